"""Build a store's index from the file read record by record, in bounded memory.

Each entity and fact, checked as `load_store` checks it (store/stream_read.py), goes
straight into the index's rows; the checks across records that need every entity are
queries over those rows; the other tables are computed from the rows read back
(index/build_view.py). What a build holds is a batch of records, SQLite's page cache
and a few small things per entity (its names to check, its id for the containment walk,
the words of the subjects): about a tenth of the store loaded whole (README).

The result is the index `write_index` makes of the same store loaded whole, row for
row (tests/test_stream_build.py). A store this reader does not take (an invalid one, or
one laid out otherwise) raises NotStreamed before anything is in place: the caller loads
it whole, which says what is wrong, or indexes it from memory as before.
"""

import gc
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from shanxi_cli.index.build import begin, checked_text, fill_derived, written_atomically
from shanxi_cli.index.build_view import BuildView
from shanxi_cli.index.format import Signature, entity_codec, fact_codec
from shanxi_cli.store.records import Entity, Fact
from shanxi_cli.store.references import cycle_start
from shanxi_cli.store.stream_read import NotStreamed, read_streamed

_FLUSH = 1000  # rows inserted at a time


class _RowWriter:
    """Each record's rows, inserted a batch at a time as the records are read."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection
        self._entity_codec = entity_codec()
        self._fact_codec = fact_codec()
        self.entity_count = 0
        self.fact_count = 0
        self._entities: list[tuple[Any, ...]] = []
        self._names: list[tuple[str, str, int]] = []
        self._facts: list[tuple[Any, ...]] = []
        self._mentions: list[tuple[str, int, int]] = []

    def entity(self, entity: Entity) -> None:
        position = self.entity_count
        text = checked_text(self._entity_codec, entity, position)
        parent = entity.located_in.id if entity.located_in else None
        organisation = entity.role.organisation if entity.role else None
        self._entities.append((position, entity.id, entity.category, parent, organisation, text))
        # Every name and alias an entity claims among its kind (store/references.py).
        for name in {entity.name.casefold(), *(alias.casefold() for alias in entity.aliases)}:
            self._names.append((entity.kind, name, position))
        self.entity_count += 1
        if len(self._entities) >= _FLUSH:
            self.flush()

    def fact(self, fact: Fact) -> None:
        position = self.fact_count
        text = checked_text(self._fact_codec, fact, position)
        row = (position, fact.id, fact.subject, fact.metric, fact.attributed_to, text)
        self._facts.append(row)
        self._mentions += [(other, position, slot) for slot, other in enumerate(fact.related)]
        self.fact_count += 1
        if len(self._facts) >= _FLUSH:
            self.flush()

    def flush(self) -> None:
        insert = self._connection.executemany
        insert("INSERT INTO entities VALUES (?, ?, ?, ?, ?, ?)", self._entities)
        insert("INSERT INTO temp.claimed_names VALUES (?, ?, ?)", self._names)
        insert("INSERT INTO facts VALUES (?, ?, ?, ?, ?, ?)", self._facts)
        insert("INSERT INTO mentions VALUES (?, ?, ?)", self._mentions)
        for rows in (self._entities, self._names, self._facts, self._mentions):
            rows.clear()


def write_streamed_index(path: Path, target: Path) -> Signature:
    """Index the store at `path` into `target`, atomically; the signature of the file it
    read. NotStreamed if it is not valid or not laid out as this reader takes it (nothing
    is written); OSError or sqlite3.Error if the index cannot be written."""

    def fill(connection: sqlite3.Connection) -> Signature:
        with _collector_paused():
            return _fill(connection, path)

    return written_atomically(target, fill)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the build, and back on after.

    A streamed build makes and drops millions of short-lived records while it keeps a
    few hundred thousand objects (the entities at hand, the texts split into words), and
    each full collection walks all of those: a quarter of the build's time at 100,000
    entities (README, "Large stores: the index"). Records are tuples of strings; the
    build makes no cycles to collect."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _fill(connection: sqlite3.Connection, path: Path) -> Signature:
    """The index's rows, from the store read record by record."""
    begin(connection)
    connection.execute(
        "CREATE TEMP TABLE claimed_names(kind TEXT NOT NULL, name TEXT NOT NULL,"
        " entity INTEGER NOT NULL)"
    )
    writer = _RowWriter(connection)
    header, status = read_streamed(str(path), writer.entity, writer.fact)
    writer.flush()
    _check_across_records(connection)
    connection.execute("DROP TABLE temp.claimed_names")
    signature = Signature.of(status)
    view = BuildView(connection, path, header, writer.entity_count, writer.fact_count)
    subjects = {row[0] for row in connection.execute("SELECT DISTINCT subject FROM facts")}
    fill_derived(connection, view, subjects, signature)
    return signature


# Each names a problem `check_across_records` (store/references.py) finds, as a query
# that returns a row when the store has it.
_PROBLEMS = (
    # a place that is not the store's, not a place, or the entity itself
    "SELECT 1 FROM entities AS held LEFT JOIN entities AS place ON place.id = held.parent"
    " WHERE held.parent IS NOT NULL"
    " AND (place.id IS NULL OR place.category != 'place' OR held.parent = held.id)",
    "SELECT 1 FROM entities WHERE organisation IS NOT NULL"
    " AND organisation NOT IN (SELECT id FROM entities)",
    "SELECT 1 FROM facts WHERE subject NOT IN (SELECT id FROM entities)",
    "SELECT 1 FROM facts WHERE attributed_to IS NOT NULL"
    " AND attributed_to NOT IN (SELECT id FROM entities)",
    "SELECT 1 FROM mentions WHERE entity NOT IN (SELECT id FROM entities)",
    # a name or alias two entities of one kind claim
    "SELECT 1 FROM temp.claimed_names GROUP BY kind, name HAVING COUNT(*) > 1",
)


def _check_across_records(connection: sqlite3.Connection) -> None:
    """NotStreamed if the rows hold a problem of references, names or containment."""
    try:  # two records of one id: the unique indexes refuse them
        connection.execute("CREATE UNIQUE INDEX IF NOT EXISTS entities_id ON entities(id)")
        connection.execute("CREATE UNIQUE INDEX IF NOT EXISTS facts_id ON facts(id)")
    except sqlite3.IntegrityError:
        raise NotStreamed("a duplicate id") from None
    for problem in _PROBLEMS:
        if connection.execute(problem + " LIMIT 1").fetchone() is not None:
            raise NotStreamed("a reference, name or place that does not hold")
    parents = dict(connection.execute("SELECT id, parent FROM entities WHERE parent IS NOT NULL"))
    if cycle_start(parents) is not None:
        raise NotStreamed("containment forms a cycle")
