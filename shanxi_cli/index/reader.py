"""The index's connection, its tables of encoded records, and the way back to the store.

Every read of an index goes through `Reader.rows`; a failure there (a damaged page, a
record that does not decode) sends the run back to the store itself, loaded in full.
"""

import math
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Generic, TypeVar

from shanxi_cli.errors import StoreError
from shanxi_cli.index.codec import Codec
from shanxi_cli.index.format import Header, Signature
from shanxi_cli.index.location import Say
from shanxi_cli.store.json_store import JsonStore, load_store_with_status
from shanxi_cli.store.records import CATEGORY_OF_KIND, QUALIFIERS, STATUSES

R = TypeVar("R")
A = TypeVar("A")

# How long opening an index, and then any one query, may take before the run gives up on
# the index and reads the store: a crafted file must not spin for minutes. A lookup
# takes milliseconds; these are far beyond any honest index.
OPEN_SECONDS = 10.0
QUERY_SECONDS = 60.0
# SQLite calls the progress handler every this many virtual-machine steps: often enough
# that Ctrl-C (whose handler runs when Python code does) stops a query at once.
PROGRESS_STEPS = 10_000
# Ids asked about in one query: below SQLite's limit on parameters.
_CHUNK = 500


class IndexBroken(Exception):
    """The index could not answer: sqlite3 failed, or a record did not decode."""


class RecordDoesNotFit(ValueError):
    """A decoded record names what the store does not hold: not a record loading accepts."""


class Deadline:
    """SQLite's progress handler: ends a statement past its deadline (sqlite3 raises
    OperationalError, "interrupted"), and lets a pending Ctrl-C run its handler."""

    def __init__(self) -> None:
        self.at = math.inf

    def start(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds

    def __call__(self) -> int:
        return 1 if time.monotonic() > self.at else 0


def guard(connection: sqlite3.Connection) -> Deadline:
    deadline = Deadline()
    connection.set_progress_handler(deadline, PROGRESS_STEPS)
    return deadline


class Reader:
    """The index's connection, and the way back to the store when the index fails."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        deadline: Deadline,
        index: Path,
        store_path: Path,
        signature: Signature,
        header: Header,
        say: Say,
        loaded: JsonStore | None = None,
    ) -> None:
        self.connection = connection
        self.deadline = deadline
        self.index = index
        self.store_path = store_path
        self.signature = signature
        self.say = say
        # What a decoded record may name besides entities: the header's, kept whole.
        self._metrics = frozenset(header.metrics)
        self._documents = frozenset(header.documents)
        self._entities: set[str] = set()  # ids known to be in the index
        # The store this run loaded to build the index, if it did: the way back needs no
        # second load, and answers from the very records the index was built from.
        self._loaded = loaded
        self._failed = False

    def rows(self, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
        if self._failed:
            raise IndexBroken("the index failed earlier in this run")
        try:
            self.deadline.start(QUERY_SECONDS)
            return self.connection.execute(sql, parameters).fetchall()
        except UnicodeEncodeError:
            # Text with no UTF-8 form (a lone surrogate) equals no id, key or name the
            # index holds: every one of them came from valid UTF-8 or ASCII.
            return []
        except sqlite3.Error as error:
            raise IndexBroken(str(error)) from None

    def check(self, table: str, records: Sequence[Any]) -> None:
        """RecordDoesNotFit unless every record names only entities, metrics and documents
        the store holds: an index altered by hand must not reach the views as a KeyError."""
        named: set[str] = set()
        if table == "entities":
            self._entities.update(record.id for record in records)
        for record in records:
            if record.document not in self._documents:
                raise RecordDoesNotFit(f"{record.id!r} names an unknown document")
            if table == "facts":
                if record.metric not in self._metrics:
                    raise RecordDoesNotFit(f"{record.id!r} names an unknown metric")
                named.update((record.subject, *record.related))
                if record.attributed_to is not None:
                    named.add(record.attributed_to)
                if record.status not in STATUSES or record.qualifier not in QUALIFIERS:
                    raise RecordDoesNotFit(f"{record.id!r} has a status or qualifier unknown")
            else:
                if record.kind not in CATEGORY_OF_KIND:
                    raise RecordDoesNotFit(f"{record.id!r} is of an unknown kind")
                if record.located_in is not None:
                    named.add(record.located_in.id)
                if record.role is not None and record.role.organisation is not None:
                    named.add(record.role.organisation)
        self.require_entities(named)

    def require_entities(self, ids: Iterable[str]) -> None:
        wanted = [entity for entity in ids if entity not in self._entities]
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            sql = f"SELECT COUNT(*) FROM entities WHERE id IN ({marks})"
            if self.rows(sql, chunk)[0][0] != len(chunk):
                raise RecordDoesNotFit("a record names an entity the index does not hold")
        self._entities.update(wanted)

    def answer(self, from_index: Callable[[], A], from_store: Callable[[JsonStore], A]) -> A:
        """The index's answer; the loaded store's if the index fails."""
        if not self._failed:
            try:
                return from_index()
            except IndexBroken as problem:
                self._fall_back(str(problem))
            except (ValueError, TypeError, IndexError, AttributeError) as problem:
                self._fall_back(f"a record does not decode ({problem})")
        assert self._loaded is not None
        return from_store(self._loaded)

    def _fall_back(self, reason: str) -> None:
        self.say(f"note: the index {self.index} cannot be read ({reason}); reading the whole store")
        self.connection.close()
        self.index.unlink(missing_ok=True)
        if self._loaded is None:
            self._loaded, status = load_store_with_status(self.store_path)
            if status is None or Signature.of(status) != self.signature:
                message = f"fact store {self.store_path} changed during this run; run it again"
                raise StoreError(message)
        self._failed = True


class Table(Generic[R]):
    """One table of records by id, each decoded once."""

    def __init__(self, reader: Reader, name: str, codec: Codec[R]) -> None:
        self.reader = reader
        self.name = name
        self.codec = codec
        self.cache: dict[str, R] = {}

    def decoded(self, rows: list[Any]) -> list[R]:
        """Records from (id, record text) rows, in the rows' order."""
        cache = self.cache
        missing = [(record_id, text) for record_id, text in rows if record_id not in cache]
        if missing:
            records = self.codec.decode_many([text for _, text in missing])
            self.reader.check(self.name, records)
            cache.update(zip((record_id for record_id, _ in missing), records, strict=True))
        return [cache[record_id] for record_id, _ in rows]

    def where(self, condition: str, parameters: Sequence[Any] = ()) -> list[R]:
        sql = f"SELECT id, record FROM {self.name} WHERE {condition} ORDER BY position"
        return self.decoded(self.reader.rows(sql, parameters))
