"""The index's connection, its tables of encoded records, and the way back to the store.

Every read of an index goes through `Reader.rows`; a failure there (a damaged page, a
record that does not decode) sends the run back to the store itself, loaded in full.
"""

import os
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Generic, TypeVar

from shanxi_cli.errors import StoreError
from shanxi_cli.index.codec import Codec
from shanxi_cli.index.format import Signature
from shanxi_cli.index.location import note
from shanxi_cli.store.json_store import JsonStore, load_store

R = TypeVar("R")
A = TypeVar("A")


class IndexBroken(Exception):
    """The index could not answer: sqlite3 failed, or a record did not decode."""


class Reader:
    """The index's connection, and the way back to the store when the index fails."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        index: Path,
        store_path: Path,
        signature: Signature,
        loaded: JsonStore | None = None,
    ) -> None:
        self.connection = connection
        self.index = index
        self.store_path = store_path
        self.signature = signature
        # The store this run loaded to build the index, if it did: the way back needs no
        # second load, and answers from the very records the index was built from.
        self._loaded = loaded
        self._failed = False

    def rows(self, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
        if self._failed:
            raise IndexBroken("the index failed earlier in this run")
        try:
            return self.connection.execute(sql, parameters).fetchall()
        except UnicodeEncodeError:
            # Text with no UTF-8 form (a lone surrogate) equals no id, key or name the
            # index holds: every one of them came from valid UTF-8 or ASCII.
            return []
        except sqlite3.Error as error:
            raise IndexBroken(str(error)) from None

    def answer(self, from_index: Callable[[], A], from_store: Callable[[JsonStore], A]) -> A:
        """The index's answer; the loaded store's if the index fails."""
        if not self._failed:
            try:
                return from_index()
            except IndexBroken as problem:
                self._fall_back(str(problem))
            except (ValueError, TypeError, IndexError) as problem:
                self._fall_back(f"a record does not decode ({problem})")
        assert self._loaded is not None
        return from_store(self._loaded)

    def _fall_back(self, reason: str) -> None:
        note(f"the index {self.index} cannot be read ({reason}); reading the whole store")
        self.connection.close()
        self.index.unlink(missing_ok=True)
        if self._loaded is None:
            self._loaded = load_store(self.store_path)
            if Signature.of(os.stat(self.store_path)) != self.signature:
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
            cache.update(zip((record_id for record_id, _ in missing), records, strict=True))
        return [cache[record_id] for record_id, _ in rows]

    def where(self, condition: str, parameters: Sequence[Any] = ()) -> list[R]:
        sql = f"SELECT id, record FROM {self.name} WHERE {condition} ORDER BY position"
        return self.decoded(self.reader.rows(sql, parameters))
