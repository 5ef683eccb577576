"""`BuildView`: a streamed build's records, read back from the rows it has just written.

A build from a streamed store (index/stream_build.py) has no store in memory to compute
the index's other tables from; it reads its own entities and facts tables back, a batch
at a time, through this `StoreRecords` (store/interface.py). Each batch brings the
entities its records name (a fact's subject, speaker and related entities; an entity's
place and organisation) in one query, since the code that computes a table looks each
one up; what it holds is a few batches of records, never the store.
"""

from collections.abc import Iterable, Iterator, Mapping, ValuesView
from itertools import islice
from pathlib import Path
from sqlite3 import Connection
from typing import Generic, TypeVar

from shanxi_cli.index.codec import Codec
from shanxi_cli.index.format import entity_codec, fact_codec
from shanxi_cli.store.records import Document, Entity, Excluded, Fact, Metric, Story
from shanxi_cli.store.stream_read import Header

R = TypeVar("R", Entity, Fact)

BATCH = 1000
# Entities looked up and kept for the records that follow; past this many, those kept
# longest unasked for are dropped.
KEPT = 20_000
_CHUNK = 500  # ids in one query: below SQLite's limit on parameters


class _Rows(Mapping[str, R], Generic[R]):
    """A records table by id; `values()` reads it in batches, in store order."""

    def __init__(self, connection: Connection, table: str, codec: Codec[R], count: int) -> None:
        self._connection = connection
        self._table = table
        self._codec: Codec[R] = codec
        self._count = count

    def batches(self) -> Iterator[list[R]]:
        sql = f"SELECT record FROM {self._table} WHERE position >= ? AND position < ?"
        for start in range(0, self._count, BATCH):
            texts = [row[0] for row in self._connection.execute(sql, (start, start + BATCH))]
            yield self._codec.decode_many(texts)

    def by_ids(self, ids: list[str]) -> list[R]:
        found: list[R] = []
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            sql = f"SELECT record FROM {self._table} WHERE id IN ({marks})"
            rows = self._connection.execute(sql, chunk).fetchall()
            found += self._codec.decode_many([row[0] for row in rows])
        return found

    def __getitem__(self, key: str) -> R:
        found = self.by_ids([key])
        if not found:
            raise KeyError(key)
        return found[0]

    def __iter__(self) -> Iterator[str]:
        sql = f"SELECT id FROM {self._table} ORDER BY position"
        return (row[0] for row in self._connection.execute(sql))

    def __len__(self) -> int:
        return self._count

    def values(self) -> ValuesView[R]:
        return _Batched(self)


class _Batched(ValuesView[R]):
    _mapping: "_Rows[R]"

    def __iter__(self) -> Iterator[R]:
        for batch in self._mapping.batches():
            yield from batch


class _Entities(_Rows[Entity]):
    """Entities, with those the records in hand name kept at hand.

    The records in hand are the last batch read; the entities they name are looked up,
    all in a few queries, when the first of them is asked for, so a pass that looks none
    up pays nothing. The entities kept longest unasked for are dropped first: the few
    places most records name stay."""

    def __init__(self, connection: Connection, count: int) -> None:
        super().__init__(connection, "entities", entity_codec(), count)
        self._kept: dict[str, Entity] = {}
        self._named: Iterable[str] = ()

    def name(self, ids: Iterable[str]) -> None:
        """The ids the records now in hand name."""
        self._named = ids

    def _keep_named(self) -> bool:
        named, self._named = self._named, ()
        kept = self._kept
        wanted = set()
        for entity_id in named:
            found = kept.pop(entity_id, None)
            if found is None:
                wanted.add(entity_id)
            else:
                kept[entity_id] = found  # now the newest
        for oldest in list(islice(kept, max(0, len(kept) + len(wanted) - KEPT))):
            del kept[oldest]
        for entity in self.by_ids(sorted(wanted)):
            kept[entity.id] = entity
        return bool(named)

    def __getitem__(self, key: str) -> Entity:
        found = self._kept.get(key)
        if found is None and self._keep_named():
            found = self._kept.get(key)
        return found if found is not None else super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        try:
            self[key]  # type: ignore[index]
        except (KeyError, TypeError):
            return False
        return True

    def batches(self) -> Iterator[list[Entity]]:
        for batch in super().batches():
            self.name(list(_named_by_entities(batch)))
            yield batch


class _Facts(_Rows[Fact]):
    def __init__(self, connection: Connection, count: int, entities: _Entities) -> None:
        super().__init__(connection, "facts", fact_codec(), count)
        self._entities = entities

    def batches(self) -> Iterator[list[Fact]]:
        for batch in super().batches():
            self._entities.name(list(_named_by_facts(batch)))
            yield batch


def _named_by_entities(batch: list[Entity]) -> Iterator[str]:
    for entity in batch:
        if entity.located_in is not None:
            yield entity.located_in.id
        if entity.role is not None and entity.role.organisation is not None:
            yield entity.role.organisation


def _named_by_facts(batch: list[Fact]) -> Iterator[str]:
    for fact in batch:
        yield fact.subject
        yield from fact.related
        if fact.attributed_to is not None:
            yield fact.attributed_to


class BuildView:
    """The `StoreRecords` of a streamed store: its header kept, its records in the rows."""

    def __init__(
        self,
        connection: Connection,
        path: Path,
        header: Header,
        entity_count: int,
        fact_count: int,
    ) -> None:
        self.path = str(path)
        self.documents: dict[str, Document] = header.documents
        self.stories: tuple[Story, ...] = header.stories
        self.metrics: dict[str, Metric] = header.metrics
        self.excluded_figures: tuple[Excluded, ...] = header.excluded_figures
        self.entities = _Entities(connection, entity_count)
        self.facts = _Facts(connection, fact_count, self.entities)
