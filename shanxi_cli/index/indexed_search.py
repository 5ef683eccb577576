"""`SearchTables` (answer/search.py) answered from a large store's word tables.

A search reads the words of `search_words` that start with each asked word's stem prefix
(to find the records holding the stem, through the FTS5 table), and those that contain
the prefix anywhere (a rarity counts records whose text holds the prefix, as a store
loaded whole counts them); then it decodes only the records that hold every word.
If the index fails, the answer comes from the store loaded in full.
"""

from collections.abc import Callable, Mapping
from typing import TypeVar

from shanxi_cli.answer.search import _Index
from shanxi_cli.answer.search_texts import item_of
from shanxi_cli.index.indexed_words import (
    TERMS_CHUNK,
    fts_query,
    rows_holding,
    terms_with_stem,
)
from shanxi_cli.index.reader import Reader, RecordDoesNotFit
from shanxi_cli.store.interface import Store
from shanxi_cli.store.json_store import JsonStore
from shanxi_cli.store.records import Entity, Fact, Metric
from shanxi_cli.text.words import stem

A = TypeVar("A")
KIND = "search_words"


class IndexedSearch:
    """A large store's `SearchTables`: records named by their rowid in search_records."""

    def __init__(self, store: Store, reader: Reader) -> None:
        self._store = store
        self._reader = reader
        self.total = len(store.entities) + len(store.metrics) + len(store.facts)
        self._average: dict[str, float] | None = None
        self._whole: _Index | None = None
        self._vocabulary: frozenset[str] | None = None

    def _answer(self, from_index: Callable[[], A], from_whole: Callable[[_Index], A]) -> A:
        def from_store(loaded: JsonStore) -> A:
            if self._whole is None:
                self._whole = _Index(loaded)
            return from_whole(self._whole)

        return self._reader.answer(from_index, from_store)

    @property
    def average(self) -> Mapping[str, float]:
        if self._average is None:
            self._average = self._answer(
                lambda: dict(self._reader.rows("SELECT field, average FROM search_average")),
                lambda whole: dict(whole.average),
            )
        return self._average

    def holds(self, word: str) -> bool:
        found = stem(word)
        return self._answer(
            lambda: bool(terms_with_stem(self._reader, KIND, found)),
            lambda whole: whole.holds(word),
        )

    def vocabulary(self) -> frozenset[str]:
        if self._vocabulary is None:
            sql = "SELECT term FROM vocabulary WHERE kind = ?"
            self._vocabulary = self._answer(
                lambda: frozenset([row[0] for row in self._reader.rows(sql, (KIND,))]),
                lambda whole: whole.vocabulary(),
            )
        return self._vocabulary

    def matching(self, starts: Mapping[str, str]) -> tuple[dict[str, int], list[int]]:
        def from_index() -> tuple[dict[str, int], list[int]]:
            frequency = {term: self._count_holding(start) for term, start in starts.items()}
            groups = [terms_with_stem(self._reader, KIND, term) for term in starts]
            if not all(groups) or len(starts) == 0:
                return frequency, []
            if any(len(group) > TERMS_CHUNK for group in groups):
                held = set.intersection(
                    *(rows_holding(self._reader, KIND, group) for group in groups)
                )
                return frequency, self._checked(sorted(held))
            query = " AND ".join(f"({fts_query(group)})" for group in groups)
            sql = f"SELECT rowid FROM {KIND} WHERE {KIND} MATCH ? ORDER BY rowid"
            return frequency, self._checked([row[0] for row in self._reader.rows(sql, (query,))])

        def from_whole(whole: _Index) -> tuple[dict[str, int], list[int]]:
            frequency, holding = whole.matching(starts)
            return frequency, [position + 1 for position in holding]  # rowids from 1

        return self._answer(from_index, from_whole)

    def _checked(self, rowids: list[int]) -> list[int]:
        """The rowids, each a record's: handed on before any record is read."""
        if rowids and not (rowids[0] >= 1 and rowids[-1] <= self.total):
            raise RecordDoesNotFit("a word table names a record the index does not hold")
        return rowids

    def _count_holding(self, start: str) -> int:
        """How many records' blobs hold `start`: those holding a word that contains it (a
        prefix is letters and digits, so it lies within one word)."""
        sql = "SELECT term FROM vocabulary WHERE kind = ? AND instr(term, ?) > 0"
        terms = [row[0] for row in self._reader.rows(sql, (KIND, start))]
        if not terms:
            return 0
        if len(terms) <= TERMS_CHUNK:
            count_sql = f"SELECT COUNT(*) FROM {KIND} WHERE {KIND} MATCH ?"
            count: int = self._reader.rows(count_sql, (fts_query(terms),))[0][0]
            return count
        return len(rows_holding(self._reader, KIND, terms))

    def item(self, position: int) -> Entity | Metric | Fact:
        def from_index() -> Entity | Metric | Fact:
            sql = "SELECT kind, id FROM search_records WHERE rowid = ?"
            rows = self._reader.rows(sql, (position,))
            if not rows:
                raise RecordDoesNotFit("a word table names a record the index does not hold")
            kind, item_id = rows[0]
            holder: Mapping[str, object] = {
                "entity": self._store.entities,
                "metric": self._store.metrics,
                "fact": self._store.facts,
            }.get(kind, {})
            if item_id not in holder:
                raise RecordDoesNotFit("a search record names what the index does not hold")
            return item_of(self._store, kind, item_id)

        return self._answer(from_index, lambda whole: whole.item(position - 1))
