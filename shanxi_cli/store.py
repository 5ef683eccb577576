"""Load the fact store once, validate it against docs/SCHEMA.md, and index it.

Validation is strict and positional: the first problem found is reported with the
exact place in the document (`facts[12].value: ...`), so a person editing their own
store can go straight to it.
"""

import json
import math
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from shanxi_cli.errors import StoreError

if TYPE_CHECKING:
    from collections.abc import Collection

    from shanxi_cli.matching import Match

SCHEMA_VERSION = 1
STORE_ENV_VAR = "SHANXI_FACTS"
# Far beyond the bundled store (tens of KiB) and a 100,000-entity synthetic one; a
# larger file is refused before it is read rather than exhausting memory.
MAX_STORE_BYTES = 256 * 1024 * 1024

PLACE_KINDS = frozenset(
    {
        "continent",
        "country",
        "region",
        "province",
        "municipality",
        "city",
        "county",
        "district",
        "township",
        "village",
        "mountain range",
        "landmark",
        "group",
    }
)
ORGANISATION_KINDS = frozenset(
    {
        "company",
        "cooperative",
        "facility",
        "government body",
        "customs house",
        "legislature",
        "political party",
        "military force",
        "newspaper",
    }
)
PERSON_KINDS = frozenset({"person"})
CATEGORY_OF_KIND = {
    **{kind: "place" for kind in PLACE_KINDS},
    **{kind: "organisation" for kind in ORGANISATION_KINDS},
    **{kind: "person" for kind in PERSON_KINDS},
}
QUALIFIERS = ("exact", "more than", "about", "plus", "up to", "less than")
STATUSES = ("reported", "expected", "target", "pledge")
METRIC_TYPES = ("figure", "claim")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_FACT_ID = re.compile(r"[a-z0-9]+(?:[-.][a-z0-9]+)*")


class Sourced(NamedTuple):
    """A piece of text the article states, with the quote that states it."""

    text: str
    quote: str


class Link(NamedTuple):
    """A reference to another entity, with the quote that states it."""

    id: str
    quote: str


class Role(NamedTuple):
    title: str
    organisation: str | None
    quote: str


class Entity(NamedTuple):
    id: str
    kind: str
    name: str
    aliases: tuple[str, ...]
    quote: str
    located_in: Link | None
    known_for: tuple[Sourced, ...]
    role: Role | None

    @property
    def category(self) -> str:
        return CATEGORY_OF_KIND[self.kind]


class Metric(NamedTuple):
    id: str
    name: str
    aliases: tuple[str, ...]
    type: str
    description: str


class Period(NamedTuple):
    as_stated: str
    reading: str | None


class Fact(NamedTuple):
    id: str
    subject: str
    metric: str
    value: int | float | str
    unit: str | None
    qualifier: str
    usd_as_stated: int | float | None
    period: Period | None
    status: str
    attributed_to: str | None
    related: tuple[str, ...]
    scope: str | None
    note: str | None
    quote: str


class Story(NamedTuple):
    id: str
    headline: str
    byline: str


class Excluded(NamedTuple):
    figure: str
    context: str
    reason: str


class Store:
    """The validated store and its indexes."""

    def __init__(
        self,
        *,
        path: str,
        source_file: str,
        title: str,
        stories: tuple[Story, ...],
        metrics: dict[str, Metric],
        entities: dict[str, Entity],
        facts: dict[str, Fact],
        excluded_figures: tuple[Excluded, ...],
    ) -> None:
        self.path = path
        self.source_file = source_file
        self.title = title
        self.stories = stories
        self.metrics = metrics
        self.entities = entities
        self.facts = facts
        self.excluded_figures = excluded_figures
        self.facts_by_subject: dict[str, list[Fact]] = {}
        self.facts_by_metric: dict[str, list[Fact]] = {}
        self.facts_mentioning: dict[str, list[Fact]] = {}
        self.facts_attributed: dict[str, list[Fact]] = {}
        self.children: dict[str, list[Entity]] = {}
        self.members: dict[str, list[Entity]] = {}
        for fact in facts.values():
            self.facts_by_subject.setdefault(fact.subject, []).append(fact)
            self.facts_by_metric.setdefault(fact.metric, []).append(fact)
            for other in fact.related:
                self.facts_mentioning.setdefault(other, []).append(fact)
            if fact.attributed_to:
                self.facts_attributed.setdefault(fact.attributed_to, []).append(fact)
        for entity in entities.values():
            if entity.located_in:
                self.children.setdefault(entity.located_in.id, []).append(entity)
            if entity.role and entity.role.organisation:
                self.members.setdefault(entity.role.organisation, []).append(entity)

    @property
    def article_path(self) -> Path:
        """The article the store cites: `source.file`, relative to the store's own folder."""
        return Path(self.path).parent / self.source_file

    def read_article(self) -> str:
        try:
            return self.article_path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            raise StoreError(f"the article {self.article_path} cannot be read: {reason}") from None

    def of_category(self, category: str) -> list[Entity]:
        return [e for e in self.entities.values() if e.category == category]

    def containment(self, entity: Entity) -> list[Entity]:
        """The chain of places that hold the entity, nearest first."""
        chain: list[Entity] = []
        seen = {entity.id}
        link = entity.located_in
        while link and link.id not in seen:
            seen.add(link.id)
            parent = self.entities[link.id]
            chain.append(parent)
            link = parent.located_in
        return chain

    def match_name(self, query: str, categories: "Collection[str]") -> "Match[Entity]":
        """NameIndex's answer among these categories; an IndexedStore reads fewer names."""
        from shanxi_cli.matching import NameIndex

        return NameIndex(e for e in self.entities.values() if e.category in categories).match(query)


def bundled_store_path() -> Path:
    """The store shipped in the wheel, or the repository's own in a source checkout."""
    # The package's data folder on disk is what importlib.resources.files() returns for an
    # installed package; looking there first spares every lookup importing that machinery
    # (tens of milliseconds). importlib.resources stays the way for any other loader.
    packaged = Path(__file__).parent / "data" / "facts.json"
    if packaged.is_file():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / "facts.json"
    if checkout.is_file():
        return checkout
    from importlib.resources import files

    return Path(str(files("shanxi_cli") / "data" / "facts.json"))


def resolve_store_path(explicit: str | None) -> Path:
    """--facts wins, then $SHANXI_FACTS, then the bundled store."""
    chosen = explicit or os.environ.get(STORE_ENV_VAR) or None
    return Path(chosen) if chosen else bundled_store_path()


def load_store(path: Path) -> Store:
    """Read, parse and validate a store; any problem is a StoreError naming file and place."""
    raw = _read_json(path)
    try:
        return _build_store(str(path), raw)
    except _Invalid as problem:
        raise StoreError(f"invalid fact store {path}: {problem}") from None


def _read_json(path: Path) -> Any:
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise StoreError(f"fact store {path} is a directory, not a file")
        if size > MAX_STORE_BYTES:
            raise StoreError(
                f"fact store {path} is {size:,} bytes; the limit is {MAX_STORE_BYTES:,}"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise StoreError(f"fact store {path} not found") from None
    except PermissionError:
        raise StoreError(f"fact store {path} cannot be read: permission denied") from None
    except OSError as error:
        raise StoreError(f"fact store {path} cannot be read: {error.strerror}") from None
    if data.startswith(b"\xef\xbb\xbf"):
        raise StoreError(
            f"fact store {path} starts with a byte-order mark; save it as UTF-8 without one"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise StoreError(f"fact store {path} is not UTF-8 (byte {error.start})") from None
    if not text.strip():
        raise StoreError(f"fact store {path} is empty")
    try:
        return json.loads(
            text,
            object_pairs_hook=_reject_duplicate_keys,
            parse_constant=_reject_constant,
        )
    except json.JSONDecodeError as error:
        raise StoreError(
            f"fact store {path} is not valid JSON: {error.msg}"
            f" at line {error.lineno} column {error.colno}"
        ) from None
    except _Invalid as problem:
        raise StoreError(f"fact store {path} is not valid JSON: {problem}") from None
    except RecursionError:
        raise StoreError(f"fact store {path} is nested too deeply to read") from None
    except ValueError:  # Python refuses integers of more than 4,300 digits
        raise StoreError(f"fact store {path} holds a number too long to read") from None


class _Invalid(Exception):
    pass


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):  # rare: find the key only then
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Invalid(f"duplicate key {key!r} in one object")
            seen.add(key)
    return result


def _reject_constant(name: str) -> Any:
    raise _Invalid(f"{name} is not a number JSON allows")


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


def _build_store(path: str, raw: Any) -> Store:
    top = _object(
        raw,
        "$",
        (
            "schema_version",
            "source",
            "stories",
            "metrics",
            "entities",
            "facts",
            "excluded_figures",
        ),
    )
    version = top["schema_version"]
    if version != SCHEMA_VERSION or isinstance(version, bool):
        raise _fail(
            "schema_version",
            f"expected {SCHEMA_VERSION}, got {json.dumps(version)[:40]}",
        )
    source = _object(top["source"], "source", ("file", "title"))
    stories = tuple(_story(item, at) for item, at in _items(top["stories"], "stories"))
    metrics = _unique(_metric, top["metrics"], "metrics")
    entities = _unique(_entity, top["entities"], "entities")
    facts = _unique(_fact, top["facts"], "facts")
    excluded = tuple(
        _excluded(item, at) for item, at in _items(top["excluded_figures"], "excluded_figures")
    )
    _check_references(entities, metrics, facts)
    return Store(
        path=path,
        source_file=_string(source["file"], "source.file"),
        title=_string(source["title"], "source.title"),
        stories=stories,
        metrics=metrics,
        entities=entities,
        facts=facts,
        excluded_figures=excluded,
    )


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


def _check_references(
    entities: dict[str, Entity], metrics: dict[str, Metric], facts: dict[str, Fact]
) -> None:
    positions = {entity_id: index for index, entity_id in enumerate(entities)}

    def resolve(entity_id: str, where: _Place) -> Entity:
        if entity_id not in entities:
            raise _fail(where, f"unknown entity {entity_id!r}")
        return entities[entity_id]

    for entity in entities.values():
        at = ("entities", positions[entity.id])
        if entity.located_in:
            link = ((at, "located_in"), "id")
            if entity.located_in.id == entity.id:
                raise _fail(link, "an entity cannot contain itself")
            if resolve(entity.located_in.id, link).category != "place":
                raise _fail(link, f"{entity.located_in.id!r} is not a place")
        if entity.role and entity.role.organisation:
            resolve(entity.role.organisation, ((at, "role"), "organisation"))
    _check_containment_cycles(entities, positions)
    _check_alias_claims(entities, positions)
    for index, fact in enumerate(facts.values()):
        at = ("facts", index)
        resolve(fact.subject, (at, "subject"))
        if fact.metric not in metrics:
            raise _fail((at, "metric"), f"unknown metric {fact.metric!r}")
        if fact.attributed_to:
            resolve(fact.attributed_to, (at, "attributed_to"))
        for position, other in enumerate(fact.related):
            resolve(other, ((at, "related"), position))
        is_claim = metrics[fact.metric].type == "claim"
        if is_claim != isinstance(fact.value, str):
            kind, needed = ("claim", "a string") if is_claim else ("figure", "a number")
            raise _fail(
                (at, "value"), f"metric {fact.metric!r} is a {kind}; the value must be {needed}"
            )


def _check_alias_claims(entities: dict[str, Entity], positions: dict[str, int]) -> None:
    claimed: dict[tuple[str, str], str] = {}
    for entity in entities.values():
        for name in {
            entity.name.casefold(),
            *(alias.casefold() for alias in entity.aliases),
        }:
            owner = claimed.setdefault((entity.kind, name), entity.id)
            if owner != entity.id:
                raise _fail(
                    f"entities[{positions[entity.id]}].aliases",
                    f"{name!r} is already a name of {owner!r}, another {entity.kind}",
                )


def _check_containment_cycles(entities: dict[str, Entity], positions: dict[str, int]) -> None:
    for entity in entities.values():
        seen = {entity.id}
        link = entity.located_in
        while link:
            if link.id in seen:
                raise _fail(
                    f"entities[{positions[entity.id]}].located_in",
                    "containment forms a cycle",
                )
            seen.add(link.id)
            link = entities[link.id].located_in
