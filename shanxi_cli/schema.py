"""Field validators: each takes a JSON value and its place, and returns a typed value.

Validation is strict and positional: the first problem found is reported with the
exact place in the document (`facts[12].value: ...`), so a person editing their own
store can go straight to it.
"""

import math
import re
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from shanxi_cli.records import (
    CATEGORY_OF_KIND,
    METRIC_TYPES,
    PERSON_KINDS,
    QUALIFIERS,
    STATUSES,
    Entity,
    Excluded,
    Fact,
    Link,
    Metric,
    Period,
    Role,
    Sourced,
    Story,
)

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_FACT_ID = re.compile(r"[a-z0-9]+(?:[-.][a-z0-9]+)*")


class _Invalid(Exception):
    pass


# --- schema checks: each takes the value and its place, and returns a typed value ---
#
# A place is a string, or a (parent, key) or (parent, index) pair turned into text only
# when a check fails: a large store has hundreds of thousands of fields, and formatting
# every path up front cost more than checking them.

_Place = Any


def _path(where: _Place) -> str:
    if isinstance(where, str):
        return where
    parent, step = where
    return f"{_path(parent)}[{step}]" if isinstance(step, int) else f"{_path(parent)}.{step}"


def _fail(where: _Place, message: str) -> _Invalid:
    return _Invalid(f"{_path(where)}: {message}")


def _object(value: Any, where: _Place, required: tuple[str, ...]) -> dict[str, Any]:
    keys = _KEY_SETS.get(required)
    if keys is None:
        keys = _KEY_SETS[required] = frozenset(required)
    if type(value) is dict and value.keys() == keys:
        return value
    if not isinstance(value, dict):
        raise _fail(where, f"expected an object, got {_type_name(value)}")
    for key in required:
        if key not in value:
            raise _fail(where, f"missing required key {key!r}")
    unknown = sorted(set(value) - set(required))
    raise _fail((where, unknown[0]), "unknown key")


def _string(value: Any, where: _Place) -> str:
    if type(value) is str and value and not value.isspace():
        return value
    if not isinstance(value, str):
        raise _fail(where, f"expected a string, got {_type_name(value)}")
    raise _fail(where, "must not be empty")


_KEY_SETS: dict[tuple[str, ...], frozenset[str]] = {}


def _optional_string(value: Any, where: _Place) -> str | None:
    return None if value is None else _string(value, where)


def _number(value: Any, where: _Place) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _fail(where, f"expected a number, got {_type_name(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise _fail(where, "must be a finite number")
    if abs(value) > 10**18:
        raise _fail(where, "is out of range")
    return value


def _choice(value: Any, where: _Place, choices: tuple[str, ...] | frozenset[str]) -> str:
    if value in choices and type(value) is str:
        return value
    text = _string(value, where)
    raise _fail(where, f"{text!r} is not one of {', '.join(sorted(choices))}")


def _pattern(value: Any, where: _Place, pattern: re.Pattern[str], what: str) -> str:
    text = _string(value, where)
    if not pattern.fullmatch(text):
        raise _fail(where, f"{text!r} is not a valid {what}")
    return text


def _items(value: Any, where: _Place) -> Iterator[tuple[Any, _Place]]:
    if not isinstance(value, list):
        raise _fail(where, f"expected an array, got {_type_name(value)}")
    return zip(value, [(where, index) for index in range(len(value))], strict=True)


def _strings(value: Any, where: _Place) -> tuple[str, ...]:
    if type(value) is list:
        for item in value:
            if type(item) is not str or not item or item.isspace():
                break
        else:
            return tuple(value)
    return tuple(_string(item, at) for item, at in _items(value, where))


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    return {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "an array",
        dict: "an object",
    }.get(type(value), type(value).__name__)


_Record = TypeVar("_Record", Metric, Entity, Fact)


def _unique(build: Callable[[Any, _Place], _Record], value: Any, where: str) -> dict[str, _Record]:
    result: dict[str, _Record] = {}
    for item, at in _items(value, where):
        built = build(item, at)
        if built.id in result:
            raise _fail((at, "id"), f"duplicate id {built.id!r}")
        result[built.id] = built
    return result


def _story(value: Any, where: _Place) -> Story:
    obj = _object(value, where, Story._fields)
    return Story(
        id=_pattern(obj["id"], (where, "id"), _SLUG, "id"),
        headline=_string(obj["headline"], (where, "headline")),
        byline=_string(obj["byline"], (where, "byline")),
    )


def _metric(value: Any, where: _Place) -> Metric:
    obj = _object(value, where, Metric._fields)
    return Metric(
        id=_pattern(obj["id"], (where, "id"), _SLUG, "id"),
        name=_string(obj["name"], (where, "name")),
        aliases=_strings(obj["aliases"], (where, "aliases")),
        type=_choice(obj["type"], (where, "type"), METRIC_TYPES),
        description=_string(obj["description"], (where, "description")),
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
    return Entity(
        id=_pattern(obj["id"], (where, "id"), _SLUG, "id"),
        kind=kind,
        name=_string(obj["name"], (where, "name")),
        aliases=_strings(obj["aliases"], (where, "aliases")),
        quote=_string(obj["quote"], (where, "quote")),
        located_in=_link(obj["located_in"], (where, "located_in")),
        known_for=tuple(
            _sourced(item, at) for item, at in _items(obj["known_for"], (where, "known_for"))
        ),
        role=role,
    )


def _period(value: Any, where: _Place) -> Period | None:
    if value is None:
        return None
    obj = _object(value, where, Period._fields)
    return Period(
        as_stated=_string(obj["as_stated"], (where, "as_stated")),
        reading=_optional_string(obj["reading"], (where, "reading")),
    )


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
    return Fact(
        id=_pattern(obj["id"], (where, "id"), _FACT_ID, "fact id"),
        subject=_string(obj["subject"], (where, "subject")),
        metric=_string(obj["metric"], (where, "metric")),
        value=fact_value,
        unit=_optional_string(obj["unit"], (where, "unit")),
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


def _excluded(value: Any, where: _Place) -> Excluded:
    obj = _object(value, where, Excluded._fields)
    return Excluded(
        figure=_string(obj["figure"], (where, "figure")),
        context=_string(obj["context"], (where, "context")),
        reason=_string(obj["reason"], (where, "reason")),
    )
