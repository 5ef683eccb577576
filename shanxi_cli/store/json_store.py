"""`JsonStore`: the store file read once, validated against docs/SCHEMA.md, grouped in memory.

The records and vocabularies are in `store/records.py`, the checks of each record in
`store/schema.py`, the checks across records in `store/references.py`, the interface every
store offers in `store/interface.py`; this module finds the file (`--facts`, $SHANXI_FACTS
or the bundled one), reads it, runs the checks, and groups the records by what relates them.
"""

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shanxi_cli.errors import StoreError
from shanxi_cli.store.fields import _fail, _Invalid, _items, _object
from shanxi_cli.store.interface import containment_of, document_text
from shanxi_cli.store.records import (
    Corpus,
    Document,
    Entity,
    Excluded,
    Fact,
    Metric,
    Story,
)
from shanxi_cli.store.references import check_across_records
from shanxi_cli.store.schema import (
    _check_version,
    _document,
    _entity,
    _excluded,
    _fact,
    _metric,
    _story,
    _unique,
)
from shanxi_cli.text.escape import brief

if TYPE_CHECKING:
    from collections.abc import Collection

    from shanxi_cli.text.names import Match

STORE_ENV_VAR = "SHANXI_FACTS"
# Far beyond the bundled store (tens of KiB) and a 100,000-entity synthetic one; a
# larger file is refused before it is read rather than exhausting memory.
# $SHANXI_MAX_STORE_BYTES replaces it (store/safe_read.py).
MAX_STORE_BYTES = 256 * 1024 * 1024


class JsonStore:
    """The store file read and validated whole, its records grouped in memory (`Store`)."""

    def __init__(
        self,
        *,
        path: str,
        documents: dict[str, Document],
        stories: tuple[Story, ...],
        metrics: dict[str, Metric],
        entities: dict[str, Entity],
        facts: dict[str, Fact],
        excluded_figures: tuple[Excluded, ...],
    ) -> None:
        self.path = path
        self.documents = documents
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

    def read_document(self, document_id: str) -> str:
        from shanxi_cli.store.per_store import per_store

        # Read once, and kept for the store (store/per_store.py).
        return per_store(self, ("document", document_id), lambda: document_text(self, document_id))

    def of_category(self, category: str) -> list[Entity]:
        return [e for e in self.entities.values() if e.category == category]

    def containment(self, entity: Entity) -> list[Entity]:
        return containment_of(self, entity)

    def search_corpus(self) -> Corpus | None:
        """The search corpus an index keeps; a store read whole has none kept."""
        return None

    def match_name(self, query: str, categories: "Collection[str]") -> "Match[Entity]":
        """NameIndex's answer among these categories; an IndexedStore reads fewer names."""
        from shanxi_cli.store.per_store import per_store
        from shanxi_cli.text.names import NameIndex

        wanted = frozenset(categories)
        names = per_store(
            self,
            ("names", wanted),
            lambda: NameIndex(e for e in self.entities.values() if e.category in wanted),
        )
        return names.match(query)


def bundled_store_path() -> Path:
    """The store shipped in the wheel, or the repository's own in a source checkout."""
    # The package's data folder on disk is what importlib.resources.files() returns for an
    # installed package; looking there first spares every lookup importing that machinery
    # (tens of milliseconds). importlib.resources stays the way for any other loader.
    package = Path(__file__).resolve().parent.parent
    packaged = package / "data" / "facts.json"
    if packaged.is_file():
        return packaged
    checkout = package.parent / "facts.json"
    if checkout.is_file():
        return checkout
    from importlib.resources import files

    return Path(str(files("shanxi_cli") / "data" / "facts.json"))


def resolve_store_path(explicit: str | None) -> Path:
    """--facts wins, then $SHANXI_FACTS, then the bundled store.

    An empty $SHANXI_FACTS counts as unset (as `SHANXI_FACTS= shanxi ...` means to).
    """
    if explicit is not None:
        if not explicit:
            from shanxi_cli.errors import ShanxiError

            raise ShanxiError("--facts must name a file; leave it out for the bundled store")
        return Path(explicit)
    chosen = os.environ.get(STORE_ENV_VAR)
    return Path(chosen) if chosen else bundled_store_path()


def load_store(path: Path) -> JsonStore:
    """Read, parse and validate a store; any problem is a StoreError naming file and place."""
    return load_store_with_status(path)[0]


def load_store_with_status(path: Path) -> "tuple[JsonStore, os.stat_result | None]":
    """The store, and the status of the file it was read from, taken on the descriptor
    read: what an index of it records, whatever a symlink on the way points to now.
    None for the status if the file changed while it was read."""
    raw, status = _read_json(path)
    try:
        return _build_store(str(path), raw), status
    except _Invalid as problem:
        raise StoreError(f"invalid fact store {path}: {brief(str(problem), 400)}") from None


def _read_json(path: Path) -> tuple[Any, os.stat_result | None]:
    from shanxi_cli.store.safe_read import Refused, read_store_bytes

    try:
        data, status = read_store_bytes(path, MAX_STORE_BYTES)
    except Refused as refused:
        raise StoreError(f"fact store {path} {refused.reason}") from None
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
        raw = json.loads(
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
    return raw, status


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):  # rare: find the key only then
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Invalid(f"duplicate key {brief(key)!r} in one object")
            seen.add(key)
    return result


def _reject_constant(name: str) -> Any:
    raise _Invalid(f"{name} is not a number JSON allows")


def _build_store(path: str, raw: Any) -> JsonStore:
    # The version first: a store of another schema fails on its version, not its keys.
    if isinstance(raw, dict) and "schema_version" in raw:
        _check_version(raw["schema_version"])
    top = _object(
        raw,
        "$",
        (
            "schema_version",
            "documents",
            "stories",
            "metrics",
            "entities",
            "facts",
            "excluded_figures",
        ),
    )
    documents = _unique(_document, top["documents"], "documents")
    if not documents:
        raise _fail("documents", "a store cites at least one document")
    stories = tuple(_story(item, at) for item, at in _items(top["stories"], "stories"))
    metrics = _unique(_metric, top["metrics"], "metrics")
    entities = _unique(_entity, top["entities"], "entities")
    facts = _unique(_fact, top["facts"], "facts")
    excluded = tuple(
        _excluded(item, at) for item, at in _items(top["excluded_figures"], "excluded_figures")
    )
    check_across_records(documents, stories, metrics, entities, facts, excluded)
    return JsonStore(
        path=path,
        documents=documents,
        stories=stories,
        metrics=metrics,
        entities=entities,
        facts=facts,
        excluded_figures=excluded,
    )
