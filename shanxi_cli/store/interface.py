"""`Store`: the one interface of a fact store, all that answer/, output/ and cli/ read of one.

Two classes implement it: `JsonStore` (store/json_store.py), the file read and validated
whole, its records grouped in memory; and `IndexedStore` (index/indexed_store.py), the
same answers read a row at a time from an SQLite index. Every member is read-only, typed
as the `Mapping` or `Sequence` both offer, never as the dict or tuple of one of them.
The two methods both answer from their other members alone are written once, here.
"""

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from shanxi_cli.store.records import Corpus, Document, Entity, Excluded, Fact, Metric, Story

if TYPE_CHECKING:  # text.names is imported by the runs that match names, not by every run
    from collections.abc import Collection

    from shanxi_cli.text.names import Match


class StoreRecords(Protocol):
    """A validated store's records by id: all that building an index reads of one."""

    @property
    def path(self) -> str:
        """The store file, as it was named."""
        ...

    @property
    def documents(self) -> Mapping[str, Document]: ...

    @property
    def stories(self) -> Sequence[Story]: ...

    @property
    def metrics(self) -> Mapping[str, Metric]: ...

    @property
    def entities(self) -> Mapping[str, Entity]: ...

    @property
    def facts(self) -> Mapping[str, Fact]: ...

    @property
    def excluded_figures(self) -> Sequence[Excluded]: ...


class Store(StoreRecords, Protocol):
    """A validated store: its records by id, what relates them, and name matching."""

    # Facts and entities grouped by what relates them, in store order. A key with no
    # records is absent: `.get(key, [])` is empty.
    @property
    def facts_by_subject(self) -> Mapping[str, Sequence[Fact]]: ...

    @property
    def facts_by_metric(self) -> Mapping[str, Sequence[Fact]]: ...

    @property
    def facts_mentioning(self) -> Mapping[str, Sequence[Fact]]: ...

    @property
    def facts_attributed(self) -> Mapping[str, Sequence[Fact]]: ...

    @property
    def children(self) -> Mapping[str, Sequence[Entity]]:
        """The places inside each place."""
        ...

    @property
    def members(self) -> Mapping[str, Sequence[Entity]]:
        """The people of each organisation."""
        ...

    def read_document(self, document_id: str) -> str:
        """A document's text (`document_text`)."""
        ...

    def of_category(self, category: str) -> list[Entity]:
        """The entities of one category, in store order."""
        ...

    def containment(self, entity: Entity) -> list[Entity]:
        """The chain of places that hold the entity, nearest first (`containment_of`)."""
        ...

    def search_corpus(self) -> Corpus | None:
        """The search corpus the store keeps, if it keeps one."""
        ...

    def match_name(self, query: str, categories: "Collection[str]") -> "Match[Entity]":
        """`NameIndex`'s answer among the entities of these categories."""
        ...


def document_text(store: Store, document_id: str) -> str:
    """A document's text: only a regular file inside the store's folder, size-bounded."""
    from shanxi_cli.store.safe_read import MAX_DOCUMENT_BYTES, read_store_file

    position = list(store.documents).index(document_id)
    return read_store_file(
        Path(store.path).parent,
        store.documents[document_id].file,
        f"documents[{position}].file",
        MAX_DOCUMENT_BYTES,
    )


def containment_of(store: Store, entity: Entity) -> list[Entity]:
    """The chain of places that hold the entity, nearest first."""
    chain: list[Entity] = []
    seen = {entity.id}
    link = entity.located_in
    while link and link.id not in seen:
        seen.add(link.id)
        parent = store.entities[link.id]
        chain.append(parent)
        link = parent.located_in
    return chain
