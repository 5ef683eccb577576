"""`QuestionTables` (answer/question_words.py) answered from a large store's word tables.

A question reads the words that start with each of its words' stem prefixes
(`vocabulary`, a B-tree), the facts holding them (the FTS5 tables of index/word_build.py,
by position), the facts of its metrics and subjects (the facts table's indexes), and only
then decodes the facts in its answer: nothing is read in proportion to the store, only
to the words asked. A word that every fact holds costs its postings, a list of integers.

If the index fails, each answer comes from `StoreWords` over the store loaded in full,
as every other read of the index does (Reader.answer).
"""

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import NamedTuple, TypeVar

from shanxi_cli.answer.question_words import (
    NameMatcher,
    Phrases,
    StoreWords,
    entity_phrases,
    metric_phrases,
)
from shanxi_cli.index.reader import Reader, RecordDoesNotFit, Table
from shanxi_cli.store.interface import Store
from shanxi_cli.store.json_store import JsonStore
from shanxi_cli.store.records import Entity, Fact
from shanxi_cli.text.names import Match, NameIndex, Scored
from shanxi_cli.text.words import STOPWORDS, prefix, stem

A = TypeVar("A")
# Values asked about in one statement: below SQLite's limit on parameters.
CHUNK = 500
# Terms OR-ed in one full-text query.
TERMS_CHUNK = 200
GRAM = 3  # the length of entity_grams' strings: a shorter one is found by reading all
# The tables of a fact's text tiers, most specific first (question_words.TIERS).
TIER_TABLES = ("fact_period", "fact_own", "subject_words")


class NamesOnly(NamedTuple):
    """An entity's id and names: all that choosing and matching names reads of it."""

    id: str
    name: str
    aliases: tuple[str, ...]


class LiftedNames:
    """Name matching among entities read as names only; matches name the entities."""

    def __init__(self, index: NameIndex[NamesOnly], store: Store) -> None:
        self._index = index
        self._store = store

    def match(self, query: str) -> Match[Entity]:
        found = self._index.match(query)
        entities = self._store.entities
        item = entities[found.item.id] if found.item is not None else None
        candidates = tuple(Scored(entities[c.item.id], c.score) for c in found.candidates)
        return Match(found.query, item, found.method, found.score, candidates)


def fts_query(terms: Sequence[str]) -> str:
    """A full-text query for any of the terms, each quoted as a string."""
    return " OR ".join('"' + term.replace('"', '""') + '"' for term in terms)


def rows_holding(reader: Reader, table: str, terms: Sequence[str]) -> set[int]:
    """The rowids of a word table's rows holding any of the terms, in chunks of queries."""
    sql = f"SELECT rowid FROM {table} WHERE {table} MATCH ?"
    found: set[int] = set()
    for part in chunks(terms, TERMS_CHUNK):
        found.update(row[0] for row in reader.rows(sql, (fts_query(part),)))
    return found


def terms_with_stem(reader: Reader, kind: str, found: str) -> list[str]:
    """The words of one word table whose stem is `found`: among those that start with its
    prefix (words.prefix), as every word sharing a stem does."""
    start = found[:-1] if len(found) >= 4 else found
    sql = "SELECT term FROM vocabulary WHERE kind = ? AND term >= ? AND term < ?"
    rows = reader.rows(sql, (kind, start, start + "\U0010ffff"))
    return [row[0] for row in rows if stem(row[0]) == found]


def chunks(values: Sequence[A], size: int = CHUNK) -> Iterable[Sequence[A]]:
    return (values[start : start + size] for start in range(0, len(values), size))


class IndexedWords:
    """A large store's `QuestionTables`, read from its index a word at a time."""

    def __init__(self, store: Store, reader: Reader, facts: Table[Fact]) -> None:
        self._store = store
        self._reader = reader
        self._facts = facts
        self.metric_phrases, self._metric_words = metric_phrases(store.metrics.values())
        self._metric_stems = {stem(word) for word in self._metric_words}
        self.entity_phrases: Phrases = {}
        self.names: NameMatcher = NameIndex[Entity](())
        self._terms: dict[tuple[str, str], list[str]] = {}
        self._holding: dict[str, Mapping[int, int]] = {}
        self._vocabulary: frozenset[str] | None = None
        self._whole: StoreWords | None = None

    def _answer(self, from_index: Callable[[], A], from_whole: Callable[[StoreWords], A]) -> A:
        def from_store(loaded: JsonStore) -> A:
            if self._whole is None:
                self._whole = StoreWords(loaded, STOPWORDS)
            return from_whole(self._whole)

        return self._reader.answer(from_index, from_store)

    def _stem_terms(self, kind: str, found: str) -> list[str]:
        terms = self._terms.get((kind, found))
        if terms is None:
            terms = self._terms[kind, found] = terms_with_stem(self._reader, kind, found)
        return terms

    def known(self, word: str) -> bool:
        found = stem(word)
        if word in STOPWORDS or found in self._metric_stems:
            return True
        return self._answer(
            lambda: any(self._stem_terms(kind, found) for kind in (*TIER_TABLES, "names")),
            lambda whole: whole.known(word),
        )

    def in_facts(self, word: str) -> bool:
        found = stem(word)
        return self._answer(
            lambda: any(self._stem_terms(kind, found) for kind in TIER_TABLES),
            lambda whole: whole.in_facts(word),
        )

    def vocabulary(self) -> frozenset[str]:
        if self._vocabulary is None:

            def from_index() -> frozenset[str]:
                marks = ", ".join("?" * (len(TIER_TABLES) + 1))
                sql = f"SELECT DISTINCT term FROM vocabulary WHERE kind IN ({marks})"
                rows = self._reader.rows(sql, (*TIER_TABLES, "names"))
                return frozenset([row[0] for row in rows]) | self._metric_words | STOPWORDS

            self._vocabulary = self._answer(from_index, lambda whole: whole.vocabulary())
        return self._vocabulary

    def prepare_entities(self, read: Iterable[str]) -> None:
        words = list(read)
        starts = list(dict.fromkeys(prefix(word) for word in words))

        def from_index() -> tuple[Phrases, NameMatcher]:
            found: dict[int, NamesOnly] = {}
            for sql, part in self._names_holding(starts):
                for position, names in self._reader.rows(sql, part):
                    entity_id, name, *aliases = json.loads(names)
                    found[position] = NamesOnly(entity_id, name, tuple(aliases))
            chosen = [found[position] for position in sorted(found)]
            self._reader.require_entities(entity.id for entity in chosen)
            return entity_phrases(chosen, words), LiftedNames(NameIndex(chosen), self._store)

        def from_whole(whole: StoreWords) -> tuple[Phrases, NameMatcher]:
            whole.prepare_entities(words)
            return whole.entity_phrases, whole.names

        self.entity_phrases, self.names = self._answer(from_index, from_whole)

    def _names_holding(self, starts: list[str]) -> Iterator[tuple[str, Sequence[str]]]:
        """Queries for the entity_names rows whose blob holds any of the strings: through
        entity_grams for those of three characters or more, by reading every blob for the
        shorter ones (a trigram index cannot find them)."""
        select = "SELECT position, names FROM entity_names WHERE"
        long = [start for start in starts if len(start) >= GRAM]
        for start in long:
            grams = "SELECT rowid FROM entity_grams WHERE entity_grams MATCH ?"
            yield f"{select} position IN ({grams})", [fts_query([start])]
        for part in chunks([start for start in starts if len(start) < GRAM], 100):
            yield f"{select} " + " OR ".join("instr(blob, ?) > 0" for _ in part), part

    def holding(self, word: str) -> Mapping[int, int]:
        found = stem(word)
        held = self._holding.get(found)
        if held is None:
            held = self._holding[found] = self._answer(
                lambda: self._held(found), lambda whole: whole.holding(word)
            )
        return held

    def _held(self, found: str) -> dict[int, int]:
        held: dict[int, int] = {}
        # The subject's tier first, then the fact's own words, then its period: each
        # fact keeps the most specific tier that holds the stem.
        by_subject = (
            "SELECT facts.position FROM subject_words"
            " JOIN entities ON entities.position = subject_words.rowid"
            " JOIN facts ON facts.subject = entities.id WHERE subject_words MATCH ?"
        )
        own = "SELECT rowid FROM {} WHERE {} MATCH ?"
        for tier, kind in reversed(list(enumerate(TIER_TABLES))):
            sql = by_subject if kind == "subject_words" else own.format(kind, kind)
            for part in chunks(self._stem_terms(kind, found), TERMS_CHUNK):
                held.update((row[0], tier) for row in self._reader.rows(sql, (fts_query(part),)))
        if held and not (min(held) >= 0 and max(held) < len(self._store.facts)):
            # Positions are handed on before any fact is read: each must be a fact's.
            raise RecordDoesNotFit("a word table names a fact the index does not hold")
        return held

    def of_metrics(self, metric_ids: Iterable[str]) -> list[int]:
        wanted = list(dict.fromkeys(metric_ids))

        def from_index() -> list[int]:
            marks = ", ".join("?" * len(wanted))
            sql = f"SELECT position FROM facts WHERE metric IN ({marks}) ORDER BY position"
            return [row[0] for row in self._reader.rows(sql, wanted)]

        return self._answer(from_index, lambda whole: whole.of_metrics(wanted))

    def concerning(self, entity_ids: set[str]) -> set[int]:
        wanted = sorted(entity_ids)

        def from_index() -> set[int]:
            found: set[int] = set()
            for part in chunks(wanted):
                marks = ", ".join("?" * len(part))
                for sql in (
                    f"SELECT position FROM facts WHERE subject IN ({marks})",
                    f"SELECT fact FROM mentions WHERE entity IN ({marks})",
                    f"SELECT position FROM facts WHERE attributed_to IN ({marks})",
                ):
                    found.update(row[0] for row in self._reader.rows(sql, part))
            return found

        return self._answer(from_index, lambda whole: whole.concerning(entity_ids))

    def facts_at(self, positions: Iterable[int]) -> list[Fact]:
        wanted = list(positions)

        def from_index() -> list[Fact]:
            found: dict[int, Fact] = {}
            for part in chunks(sorted(set(wanted))):
                marks = ", ".join("?" * len(part))
                sql = f"SELECT position, id, record FROM facts WHERE position IN ({marks})"
                rows = self._reader.rows(sql, part)
                decoded = self._facts.decoded([(row[1], row[2]) for row in rows])
                found.update(zip((row[0] for row in rows), decoded, strict=True))
            if len(found) != len(set(wanted)):
                raise RecordDoesNotFit("a word table names a fact the index does not hold")
            return [found[position] for position in wanted]

        return self._answer(from_index, lambda whole: whole.facts_at(wanted))
