"""Compile a validated store into an SQLite index file.

Nothing reaches the index that loading would refuse: a store is compiled either read
record by record through load_store's own checks (index/stream_build.py), or loaded
whole by `load_store` (`write_index`). The file is written under a temporary name in
the cache folder and moved into place with `os.replace` once complete, so a reader sees
either the old index, the new one or none, never half of one; the builder holds the
store's lock (index/build_lock.py); Ctrl-C or SIGTERM during a build removes its
temporary file before the process ends.
"""

import os
import sqlite3
import tempfile
from collections.abc import Callable, Container, Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, TypeVar

from shanxi_cli.answer.search_texts import corpus_records, field_averages
from shanxi_cli.index.ask_build import fill_ask
from shanxi_cli.index.codec import Codec
from shanxi_cli.index.format import (
    FORMAT_VERSION,
    Signature,
    code_fingerprint,
    entity_codec,
    fact_codec,
    header_codec,
    header_of,
)
from shanxi_cli.index.word_build import fill_words
from shanxi_cli.store.interface import StoreRecords
from shanxi_cli.store.json_store import JsonStore
from shanxi_cli.text.names import name_words

SCHEMA = """
CREATE TABLE meta(
    format INTEGER NOT NULL, shanxi TEXT NOT NULL, code TEXT NOT NULL, store BLOB NOT NULL,
    size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL,
    inode INTEGER NOT NULL, device INTEGER NOT NULL,
    entity_count INTEGER NOT NULL, fact_count INTEGER NOT NULL, header TEXT NOT NULL);
CREATE TABLE entities(
    position INTEGER PRIMARY KEY, id TEXT NOT NULL, category TEXT NOT NULL,
    parent TEXT, organisation TEXT, record TEXT NOT NULL);
CREATE TABLE facts(
    position INTEGER PRIMARY KEY, id TEXT NOT NULL, subject TEXT NOT NULL,
    metric TEXT NOT NULL, attributed_to TEXT, record TEXT NOT NULL);
CREATE TABLE mentions(
    entity TEXT NOT NULL, fact INTEGER NOT NULL, slot INTEGER NOT NULL,
    PRIMARY KEY(entity, fact, slot)) WITHOUT ROWID;
CREATE TABLE name_keys(key TEXT NOT NULL, category TEXT NOT NULL, entity INTEGER NOT NULL);
CREATE TABLE name_words(word TEXT NOT NULL, category TEXT NOT NULL, entity INTEGER NOT NULL);
CREATE TABLE key_lists(
    category TEXT NOT NULL, slice INTEGER NOT NULL, keys TEXT NOT NULL, entities TEXT NOT NULL,
    PRIMARY KEY(category, slice));
CREATE TABLE search_records(kind TEXT NOT NULL, id TEXT NOT NULL, blob TEXT NOT NULL);
CREATE TABLE search_average(field TEXT PRIMARY KEY, average REAL NOT NULL);
"""
# Built after the rows are in: one sort per index instead of a B-tree insert per row
# (a streamed build makes the two by id earlier, to read its records back by id).
# Columns that few rows fill are indexed only where filled (`x = ?` implies it).
INDEXES = """
CREATE UNIQUE INDEX IF NOT EXISTS entities_id ON entities(id);
CREATE INDEX entities_category ON entities(category);
CREATE INDEX entities_parent ON entities(parent);
CREATE INDEX entities_organisation ON entities(organisation) WHERE organisation IS NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS facts_id ON facts(id);
CREATE INDEX facts_subject ON facts(subject);
CREATE INDEX facts_metric ON facts(metric);
CREATE INDEX facts_attributed ON facts(attributed_to) WHERE attributed_to IS NOT NULL;
CREATE INDEX name_keys_key ON name_keys(key, category);
CREATE INDEX name_words_word ON name_words(word, category);
"""


# A fuzzy lookup reads its categories' keys a slice at a time (index/keyed_names.py), so
# what it holds at once is bounded by this, not by the store.
KEYS_PER_SLICE = 10_000

R = TypeVar("R", bound=tuple[Any, ...])  # a record: a NamedTuple


class RoundTripFailed(Exception):
    """A record did not come back out of its encoding identical; nothing is indexed."""


def write_index(store: JsonStore, target: Path, signature: Signature) -> None:
    """Write the index of a loaded store to `target`, atomically; OSError or sqlite3.Error
    if not. The caller holds the store's BuildLock."""

    def fill(connection: sqlite3.Connection) -> None:
        begin(connection)
        # Rows stream from the records into SQLite: no table is ever held whole in memory.
        insert = connection.executemany
        insert("INSERT INTO entities VALUES (?, ?, ?, ?, ?, ?)", _entity_rows(store))
        insert("INSERT INTO facts VALUES (?, ?, ?, ?, ?, ?)", _fact_rows(store))
        insert(
            "INSERT INTO mentions VALUES (?, ?, ?)",
            (
                (other, position, slot)
                for position, fact in enumerate(store.facts.values())
                for slot, other in enumerate(fact.related)
            ),
        )
        fill_derived(connection, store, store.facts_by_subject, signature)

    written_atomically(target, fill)


T = TypeVar("T")


def written_atomically(target: Path, fill: Callable[[sqlite3.Connection], T]) -> T:
    """`fill`'s result once the database it filled is in place at `target`; nothing
    there if it fails (OSError, sqlite3.Error or its own exception)."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f"{target.stem}.", suffix=".tmp")
    os.close(handle)
    with _removed_if_interrupted(temporary):
        try:
            connection = sqlite3.connect(temporary, isolation_level=None)
            try:
                result = fill(connection)
            finally:
                connection.close()
            with open(temporary, "rb") as written:
                os.fsync(written.fileno())
            os.replace(temporary, target)
            return result
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


@contextmanager
def _removed_if_interrupted(temporary: str) -> Iterator[None]:
    """Ctrl-C and SIGTERM end the process at once, as always (130, 143), but remove the
    temporary file first: an index-sized file must not be left behind."""
    import signal

    def end(signum: int, frame: object) -> None:
        with suppress(OSError):
            os.unlink(temporary)
        os._exit(128 + signum)

    wanted = [signal.SIGINT, *([signal.SIGTERM] if hasattr(signal, "SIGTERM") else [])]
    try:
        previous = {signum: signal.signal(signum, end) for signum in wanted}
    except ValueError:  # not the main thread: no handlers of its own
        yield
        return
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def begin(connection: sqlite3.Connection) -> None:
    """The empty tables, and the one transaction every row goes in."""
    # A temporary file that is renamed into place only when complete needs no journal.
    # SQLite's largest page: a build writes and balances a sixteenth of the pages, and a
    # lookup, which reads a handful, does not notice (README, Speed).
    connection.executescript(
        "PRAGMA page_size = 65536; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
        " PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;" + SCHEMA
    )
    connection.execute("BEGIN")


def fill_derived(
    connection: sqlite3.Connection,
    store: StoreRecords,
    subjects: Container[str],
    signature: Signature,
) -> None:
    """Everything but the records' own rows, from the records, and the transaction
    committed. `subjects` holds the ids of the entities some fact is about."""
    _fill_names(connection, store)
    # What `search` reads of every record, computed once here (answer/search_texts.py).
    connection.executemany("INSERT INTO search_records VALUES (?, ?, ?)", corpus_records(store))
    connection.executemany(
        "INSERT INTO search_average VALUES (?, ?)", field_averages(store).items()
    )
    # What `metric` and `search` read of the store's words (index/word_build.py).
    fill_words(connection, store, subjects)
    # What `ask` reads of the store's candidates (index/ask_build.py).
    fill_ask(connection, store)
    connection.execute(
        "INSERT INTO meta VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            FORMAT_VERSION,
            _version(),
            code_fingerprint(),
            os.fsencode(os.path.realpath(store.path)),
            *signature,
            len(store.entities),
            len(store.facts),
            _header_text(store),
        ),
    )
    for statement in INDEXES.split(";"):
        connection.execute(statement)
    connection.execute("COMMIT")


def _version() -> str:
    from shanxi_cli.version import __version__

    return __version__


def _entity_rows(store: JsonStore) -> Iterator[tuple[Any, ...]]:
    for position, (entity, text) in enumerate(_checked(entity_codec(), store.entities.values())):
        yield (
            position,
            entity.id,
            entity.category,
            entity.located_in.id if entity.located_in else None,
            entity.role.organisation if entity.role else None,
            text,
        )


def _fact_rows(store: JsonStore) -> Iterator[tuple[Any, ...]]:
    for position, (fact, text) in enumerate(_checked(fact_codec(), store.facts.values())):
        yield (position, fact.id, fact.subject, fact.metric, fact.attributed_to, text)


# How many records of each table are decoded again and compared at build time: all of
# the first ones, then one in SPOT_CHECK_EVERY. Decoding is derived from the record
# types, and JSON carries strings (ASCII-escaped), integers and floats (shortest repr)
# exactly, so a record that fails to come back is a fault of a field's type, which the
# first records show.
CHECK_ALL_FIRST = 2000
SPOT_CHECK_EVERY = 25


def _checked(codec: Codec[R], records: Iterable[R]) -> Iterator[tuple[R, str]]:
    """Each record with its text; the checked ones proven to decode back to the record."""
    for index, record in enumerate(records):
        yield record, checked_text(codec, record, index)


def checked_text(codec: Codec[R], record: R, index: int) -> str:
    """The record's text, proven to decode back to it if it is one of those checked."""
    text = codec.encode(record)
    if index < CHECK_ALL_FIRST or index % SPOT_CHECK_EVERY == 0:
        back = codec.decode(text)
        if back != record:
            raise RoundTripFailed(f"{type(back).__name__} {back[0]!r} does not survive")
    return text


def _header_text(store: StoreRecords) -> str:
    header = header_of(store)
    codec = header_codec()
    text: str = codec.encode(header)
    try:
        survived = codec.decode(text) == header
    except ValueError as problem:
        raise RoundTripFailed(f"the store's header cannot be indexed: {problem}") from None
    if not survived:
        raise RoundTripFailed("the store's header does not survive indexing")
    return text


def _fill_names(connection: sqlite3.Connection, store: StoreRecords) -> None:
    """Every name and alias's matching key, and the words of those of two words or more,
    as `NameIndex` (text/names.py) makes them."""
    keys: list[tuple[str, str, int]] = []
    words: list[tuple[str, str, int]] = []
    listed: dict[str, tuple[list[str], list[int]]] = {}
    for position, entity in enumerate(store.entities.values()):
        category = entity.category
        category_keys, category_owners = listed.setdefault(category, ([], []))
        own_keys: set[str] = set()
        own_words: set[str] = set()
        for text in (entity.name, *entity.aliases):
            name = name_words(text)
            if not name:  # no words, no key: NameIndex skips it too
                continue
            key = "".join(name)
            category_keys.append(key)
            category_owners.append(position)
            if key not in own_keys:
                own_keys.add(key)
                keys.append((key, category, position))
            if len(name) == 1:  # its one word is its key, in name_keys: see keyed_names
                continue
            for word in name:
                if word not in own_words:
                    own_words.add(word)
                    words.append((word, category, position))
    connection.executemany("INSERT INTO name_keys VALUES (?, ?, ?)", keys)
    connection.executemany("INSERT INTO name_words VALUES (?, ?, ?)", words)
    connection.executemany(
        "INSERT INTO key_lists VALUES (?, ?, ?, ?)",
        (
            (
                category,
                start // KEYS_PER_SLICE,
                "\n".join(category_keys[start : start + KEYS_PER_SLICE]),
                "\n".join(map(str, owners[start : start + KEYS_PER_SLICE])),
            )
            for category, (category_keys, owners) in listed.items()
            for start in range(0, len(category_keys), KEYS_PER_SLICE)
        ),
    )
