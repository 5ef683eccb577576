"""Record validators: each builds one record of docs/SCHEMA.md from its JSON object.

Validation is strict and positional: the first problem found is reported with the
exact place in the document (`facts[12].value: ...`); the primitives are in `store/fields.py`.
"""

import json
import re
from collections.abc import Callable
from typing import Any, TypeVar

from shanxi_cli.store.fields import (
    _boolean,
    _choice,
    _fail,
    _items,
    _number,
    _object,
    _optional_date,
    _optional_string,
    _optional_year,
    _pattern,
    _Place,
    _string,
    _strings,
    _type_name,
)
from shanxi_cli.store.records import (
    CATEGORY_OF_KIND,
    METRIC_TYPES,
    PERSON_KINDS,
    QUALIFIERS,
    SCHEMA_VERSION,
    STATUSES,
    UNITS,
    Document,
    Entity,
    Excluded,
    Fact,
    GeneralKnowledge,
    Link,
    Metric,
    Period,
    Role,
    Sourced,
    Story,
)

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_FACT_ID = re.compile(r"[a-z0-9]+(?:[-.][a-z0-9]+)*")
_UNIT_CODES = frozenset(UNITS)


_Record = TypeVar("_Record", Document, Metric, Entity, Fact)


def _unique(build: Callable[[Any, _Place], _Record], value: Any, where: str) -> dict[str, _Record]:
    result: dict[str, _Record] = {}
    for item, at in _items(value, where):
        built = build(item, at)
        if built.id in result:
            raise _fail((at, "id"), f"duplicate id {built.id!r}")
        result[built.id] = built
    return result


def _document(value: Any, where: _Place) -> Document:
    obj = _object(value, where, Document._fields)
    return Document(
        id=_pattern(obj["id"], (where, "id"), _SLUG, "id"),
        # Where the file may be (inside the store's folder, a regular file) is checked
        # where it is read, by safe_read: the one place that resolves paths.
        file=_string(obj["file"], (where, "file")),
        title=_string(obj["title"], (where, "title")),
        date=_optional_date(obj["date"], (where, "date")),
    )


def _story(value: Any, where: _Place) -> Story:
    obj = _object(value, where, Story._fields)
    return Story(
        id=_pattern(obj["id"], (where, "id"), _SLUG, "id"),
        document=_string(obj["document"], (where, "document")),
        headline=_string(obj["headline"], (where, "headline")),
        deck=_optional_string(obj["deck"], (where, "deck")),
        byline=_string(obj["byline"], (where, "byline")),
    )


def _metric(value: Any, where: _Place) -> Metric:
    synonyms: tuple[str, ...] = ()
    if isinstance(value, dict) and "synonyms" in value:
        synonyms = _strings(value["synonyms"], (where, "synonyms"))
        value = {key: item for key, item in value.items() if key != "synonyms"}
    obj = _object(value, where, Metric._fields[:-1])
    return Metric(
        id=_pattern(obj["id"], (where, "id"), _SLUG, "id"),
        name=_string(obj["name"], (where, "name")),
        aliases=_strings(obj["aliases"], (where, "aliases")),
        type=_choice(obj["type"], (where, "type"), METRIC_TYPES),
        description=_string(obj["description"], (where, "description")),
        synonyms=synonyms,
    )


def _link(value: Any, where: _Place) -> Link | None:
    if value is None:
        return None
    obj = _object(value, where, Link._fields)
    return Link(
        id=_string(obj["id"], (where, "id")),
        quote=_string(obj["quote"], (where, "quote")),
    )


def _sourced(value: Any, where: _Place) -> Sourced:
    obj = _object(value, where, Sourced._fields)
    return Sourced(
        text=_string(obj["text"], (where, "text")),
        quote=_string(obj["quote"], (where, "quote")),
    )


def _role(value: Any, where: _Place) -> Role | None:
    if value is None:
        return None
    obj = _object(value, where, Role._fields)
    return Role(
        title=_string(obj["title"], (where, "title")),
        organisation=_optional_string(obj["organisation"], (where, "organisation")),
        quote=_string(obj["quote"], (where, "quote")),
    )


def _entity(value: Any, where: _Place) -> Entity:
    obj = _object(value, where, Entity._fields)
    kind = _choice(obj["kind"], (where, "kind"), frozenset(CATEGORY_OF_KIND))
    role = _role(obj["role"], (where, "role"))
    if role is not None and kind not in PERSON_KINDS:
        raise _fail((where, "role"), "only people have a role")
    aliases = _strings(obj["aliases"], (where, "aliases"))
    return Entity(
        id=_pattern(obj["id"], (where, "id"), _SLUG, "id"),
        kind=kind,
        name=_string(obj["name"], (where, "name")),
        aliases=aliases,
        general_knowledge=_general_knowledge(obj["general_knowledge"], aliases, where),
        document=_string(obj["document"], (where, "document")),
        quote=_string(obj["quote"], (where, "quote")),
        located_in=_link(obj["located_in"], (where, "located_in")),
        known_for=tuple(
            _sourced(item, at) for item, at in _items(obj["known_for"], (where, "known_for"))
        ),
        role=role,
    )


_NO_GENERAL_KNOWLEDGE = GeneralKnowledge(kind=False, aliases=())


def _general_knowledge(value: Any, aliases: tuple[str, ...], entity: _Place) -> GeneralKnowledge:
    # Most entities have none: that case is checked first, and cheaply.
    if (
        type(value) is dict
        and len(value) == 2
        and value.get("kind") is False
        and value.get("aliases") == []
    ):
        return _NO_GENERAL_KNOWLEDGE
    where = (entity, "general_knowledge")
    obj = _object(value, where, GeneralKnowledge._fields)
    marked = _strings(obj["aliases"], (where, "aliases"))
    for position, alias in enumerate(marked):
        if alias not in aliases:
            raise _fail(((where, "aliases"), position), f"{alias!r} is not one of the aliases")
    return GeneralKnowledge(kind=_boolean(obj["kind"], (where, "kind")), aliases=marked)


# A period's span of years is optional in a store: most periods have none.
_SPAN_FIELDS = ("start_year", "end_year")


def _period(value: Any, where: _Place) -> Period | None:
    if value is None:
        return None
    span: dict[str, int | None] = {}
    if isinstance(value, dict) and not value.keys().isdisjoint(_SPAN_FIELDS):
        span = {
            key: _optional_year(value[key], (where, key)) for key in _SPAN_FIELDS if key in value
        }
        value = {key: item for key, item in value.items() if key not in _SPAN_FIELDS}
    obj = _object(value, where, Period._fields[:5])
    period = Period(
        as_stated=_string(obj["as_stated"], (where, "as_stated")),
        reading=_optional_string(obj["reading"], (where, "reading")),
        year=_optional_year(obj["year"], (where, "year")),
        date=_optional_date(obj["date"], (where, "date")),
        inferred=_boolean(obj["inferred"], (where, "inferred")),
        start_year=span.get("start_year"),
        end_year=span.get("end_year"),
    )
    start, end = period.start_year, period.end_year
    if start is not None and end is not None and end < start:
        raise _fail((where, "end_year"), f"{end} is before the start_year {start}")
    if period.year is not None and (start is not None or end is not None):
        raise _fail((where, "year"), "a span of years has start_year and end_year, not a year")
    if period.date is not None and int(period.date[:4]) != period.year:
        raise _fail((where, "year"), f"must be the year of the date {period.date}")
    if period.inferred and period.year is None:
        raise _fail((where, "inferred"), "is true, but there is no year or date to infer")
    if period.inferred and period.reading is None:
        raise _fail((where, "reading"), "an inferred year or date needs a reading saying why")
    return period


def _fact(value: Any, where: _Place) -> Fact:
    obj = _object(value, where, Fact._fields)
    raw_value = obj["value"]
    fact_value: int | float | str
    if isinstance(raw_value, str):
        fact_value = _string(raw_value, (where, "value"))
    elif isinstance(raw_value, (int, float)) and not isinstance(raw_value, bool):
        fact_value = _number(raw_value, (where, "value"))
    else:
        raise _fail((where, "value"), f"expected a number or a string, got {_type_name(raw_value)}")
    usd = obj["usd_as_stated"]
    unit = obj["unit"]
    unit_as_stated = _optional_string(obj["unit_as_stated"], (where, "unit_as_stated"))
    if unit is not None:
        _choice(unit, (where, "unit"), _UNIT_CODES)
    if (unit is None) != (unit_as_stated is None):
        raise _fail((where, "unit_as_stated"), "a unit and its words go together, or neither")
    fact = Fact(
        id=_pattern(obj["id"], (where, "id"), _FACT_ID, "fact id"),
        document=_string(obj["document"], (where, "document")),
        subject=_string(obj["subject"], (where, "subject")),
        metric=_string(obj["metric"], (where, "metric")),
        value=fact_value,
        unit=unit,
        unit_as_stated=unit_as_stated,
        qualifier=_choice(obj["qualifier"], (where, "qualifier"), QUALIFIERS),
        usd_as_stated=None if usd is None else _number(usd, (where, "usd_as_stated")),
        period=_period(obj["period"], (where, "period")),
        status=_choice(obj["status"], (where, "status"), STATUSES),
        attributed_to=_optional_string(obj["attributed_to"], (where, "attributed_to")),
        related=_strings(obj["related"], (where, "related")),
        scope=_optional_string(obj["scope"], (where, "scope")),
        note=_optional_string(obj["note"], (where, "note")),
        quote=_string(obj["quote"], (where, "quote")),
    )
    # The credited source is named once, in attributed_to; related holds the others,
    # each once: a fact listed under an entity once per mention would be counted once.
    seen: set[str] = set()
    for position, other in enumerate(fact.related):
        if other in (fact.subject, fact.attributed_to):
            field = "subject" if other == fact.subject else "attributed_to"
            raise _fail(((where, "related"), position), f"{other!r} is already the {field}")
        if other in seen:
            raise _fail(((where, "related"), position), f"{other!r} is named twice")
        seen.add(other)
    return fact


def _excluded(value: Any, where: _Place) -> Excluded:
    obj = _object(value, where, Excluded._fields)
    return Excluded(
        document=_string(obj["document"], (where, "document")),
        figure=_string(obj["figure"], (where, "figure")),
        context=_string(obj["context"], (where, "context")),
        reason=_string(obj["reason"], (where, "reason")),
    )


def _check_version(version: Any) -> None:
    if type(version) is int and version == SCHEMA_VERSION:
        return
    if type(version) is int and version == 1:
        raise _fail(
            "schema_version",
            f"this is a schema 1 store and shanxi reads schema {SCHEMA_VERSION}; "
            'upgrade it as docs/SCHEMA.md says under "Upgrading from schema 1"',
        )
    raise _fail(
        "schema_version",
        f"expected the integer {SCHEMA_VERSION}, got {json.dumps(version)[:40]}",
    )
