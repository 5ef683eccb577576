"""One ranked search over every text the store shows, words in any order.

Each entity, metric and fact is a record of weighted fields (FIELD_WEIGHTS): names and
aliases weigh most, then kinds, known-for text, roles, values, scopes and metric words,
then notes, periods, located-in sentences and quotes. Words are folded and stemmed
(text/words.py), so plurals and verb forms match. A record is a hit when it holds every word
of the query, in any field and any order (question words such as "the" and "of" are
left out unless nothing else is left). A word found nowhere that is not an English word
is read as its nearest word in the store when one is close enough, and the reading is
returned so it can be said; any other word found nowhere is named and left out.

Hits are ranked by BM25F: per word, its count in each field, weighted and normalised by
the field's length against that field's average, saturated with K1 and multiplied by
the word's rarity across records (idf). A word in a name therefore outranks the same
word in a quote. Ties break on kind, then label, so the order is stable. Everything is
one pass over the words of a store loaded whole (`_Index`): linear in its size; a large
store's index supplies `SearchTables` that read only the postings of the asked words
(index/indexed_search.py), with the same scores.
"""

import math
from collections.abc import Mapping
from typing import NamedTuple, Protocol

from shanxi_cli.answer.lookup import check_query
from shanxi_cli.answer.meaning import english_among
from shanxi_cli.answer.search_texts import corpus_of, item_of
from shanxi_cli.answer.search_texts import texts as corpus_texts
from shanxi_cli.errors import ShanxiError
from shanxi_cli.store.figures import display_value
from shanxi_cli.store.interface import Store
from shanxi_cli.store.per_store import per_store
from shanxi_cli.store.records import Entity, Fact, Metric
from shanxi_cli.text.words import (
    STOPWORDS,
    Reading,
    prefix,
    read_typos,
    stem,
    stems,
    unstemmed_words,
    words,
)

MIN_SEARCH_LENGTH = 3
K1 = 1.2
B = 0.75
FIELD_WEIGHTS = {
    "name": 5.0,
    "alias": 4.0,
    "kind": 2.0,
    "known for": 2.0,
    "role": 2.0,
    "metric": 2.0,
    "value": 2.5,
    "scope": 2.0,
    "synonym": 2.0,
    "subject": 1.5,
    "description": 1.0,
    "note": 1.0,
    "period": 1.0,
    "related": 1.0,
    "located in": 1.0,
    "quote": 1.0,
}
KIND_ORDER = {"place": 0, "organisation": 1, "person": 2, "metric": 3, "fact": 4}


class Hit(NamedTuple):
    kind: str  # "place", "organisation", "person", "metric" or "fact"
    id: str
    label: str
    matched: str  # the field that weighed most in the score: "name", "known for", "quote" …
    score: float


class Found(NamedTuple):
    """The hits shown, how many there were in all, and how the words were read."""

    hits: tuple[Hit, ...]
    total: int
    readings: tuple[Reading, ...]  # words read as another word (typos)
    unmatched: tuple[str, ...]  # words found nowhere, as typed


class _Record(NamedTuple):
    kind: str  # "entity", "metric" or "fact": which of the store's tables holds it
    id: str
    blob: str  # every text, folded and joined: filtered by substring before any stemming


def search(store: Store, text: str, limit: int = 20) -> Found:
    """Records holding every word of the text, best first; at most `limit` of them."""
    check_query(text, "WORDS")
    if len(" ".join(text.split())) < MIN_SEARCH_LENGTH:
        raise ShanxiError(f"WORDS need at least {MIN_SEARCH_LENGTH} letters to search")
    typed = words(text)
    asked = list(dict.fromkeys(word for word in typed if word not in STOPWORDS)) or typed
    index = per_store(store, _Index, lambda: _tables_of(store))  # its stems, once per store
    unknown = [word for word in asked if not index.holds(word)]
    english = english_among(unknown) if unknown else set()
    typos = [word for word in unknown if word not in english]
    readings = read_typos(typos, index.vocabulary()) if typos else []
    readings += [Reading(word, None) for word in unknown if word in english]
    read_as = {reading.typed: reading.read_as for reading in readings}
    unmatched = tuple(word for word in unknown if read_as.get(word) is None)
    if len(unmatched) == len(asked):
        return Found((), 0, (), unmatched)
    # A word found nowhere is named, not required: the other words still find records.
    kept = [read_as.get(word) or word for word in asked if word not in unmatched]
    ranked = _ranked(store, index, kept)
    hits = tuple(_hit(store, item, matched, score) for item, matched, score in ranked[:limit])
    corrected = tuple(r for r in readings if r.read_as is not None)
    return Found(hits, len(ranked), corrected, unmatched)


class SearchTables(Protocol):
    """What a search reads of a store's words; records are named by a position."""

    @property
    def total(self) -> int:
        """How many records there are."""
        ...

    @property
    def average(self) -> Mapping[str, float]:
        """Each field's average length (search_texts.field_averages)."""
        ...

    def holds(self, word: str) -> bool:
        """Whether some record holds the word's stem."""
        ...

    def vocabulary(self) -> frozenset[str]:
        """Every word of every record, unstemmed."""
        ...

    def matching(self, starts: Mapping[str, str]) -> tuple[dict[str, int], list[int]]:
        """For stems and their prefixes: how many records' blobs hold each prefix, and the
        records holding every stem."""
        ...

    def item(self, position: int) -> Entity | Metric | Fact:
        """The record at a position."""
        ...


def _tables_of(store: Store) -> SearchTables:
    """The store's own search tables when it supplies them (an index does), else read
    from it whole."""
    supplied = getattr(store, "search_tables", None)
    if supplied is not None:
        found: SearchTables = supplied()
        return found
    return _Index(store)


class _Index:
    """Every record's folded blob, each field's average length, and records read on demand."""

    def __init__(self, store: Store) -> None:
        self.store = store
        corpus = corpus_of(store)
        self.records = [_Record(*record) for record in corpus.records]
        self.average = corpus.average
        self.total = len(self.records)
        self._stems: dict[int, frozenset[str]] = {}
        self._items: dict[int, Entity | Metric | Fact] = {}
        self._vocabulary: frozenset[str] | None = None

    def item(self, position: int) -> Entity | Metric | Fact:
        found = self._items.get(position)
        if found is None:
            record = self.records[position]
            found = self._items[position] = item_of(self.store, record.kind, record.id)
        return found

    def holds(self, word: str) -> bool:
        start, found = prefix(word), stem(word)
        return any(
            found in self._stems_of(position)
            for position, record in enumerate(self.records)
            if start in record.blob
        )

    def vocabulary(self) -> frozenset[str]:
        if self._vocabulary is None:
            found: set[str] = set()
            for record in self.records:
                found |= unstemmed_words(record.blob)
            self._vocabulary = frozenset(found)
        return self._vocabulary

    def matching(self, starts: Mapping[str, str]) -> tuple[dict[str, int], list[int]]:
        terms = list(starts)
        frequency = dict.fromkeys(terms, 0)
        holding = []
        for position, record in enumerate(self.records):
            present = [term for term, start in starts.items() if start in record.blob]
            for term in present:
                frequency[term] += 1
            if len(present) == len(terms) and all(t in self._stems_of(position) for t in terms):
                holding.append(position)
        return frequency, holding

    def _stems_of(self, position: int) -> frozenset[str]:
        found = self._stems.get(position)
        if found is None:
            found = self._stems[position] = frozenset(stems(words(self.records[position].blob)))
        return found


def _ranked(
    store: Store, tables: SearchTables, asked: list[str]
) -> list[tuple["Entity | Metric | Fact", str, float]]:
    """The records holding every word, with their best field and BM25F score, best first.

    A word's rarity (idf) counts the records whose blob holds its stem's prefix: a close
    upper bound of those holding the stem, found without stemming them all.
    """
    starts = {stem(word): prefix(word) for word in asked}
    terms = list(starts)
    frequency, holding = tables.matching(starts)
    total = tables.total
    average = tables.average
    rarity = {t: math.log(1 + (total - frequency[t] + 0.5) / (frequency[t] + 0.5)) for t in terms}
    ranked = []
    for position in holding:
        item = tables.item(position)
        score = 0.0
        by_field: dict[str, float] = {}
        texts = corpus_texts(store, item)
        fields = [(field, text, stems(words(text))) for field, text in texts if text]
        for term in terms:
            weighted = 0.0
            for field, text, field_stems in fields:
                count = field_stems.count(term)
                if count:
                    norm = 1 - B + B * len(text) / average.get(field, len(text))
                    part = FIELD_WEIGHTS[field] * count / norm
                    weighted += part
                    by_field[field] = by_field.get(field, 0.0) + part
            score += rarity[term] * weighted * (K1 + 1) / (weighted + K1)
        ranked.append((item, max(by_field, key=lambda f: by_field[f]), score))
    ranked.sort(key=lambda r: (-r[2], KIND_ORDER[_kind(r[0])], _label_key(r[0])))
    return ranked


def _kind(item: Entity | Metric | Fact) -> str:
    if isinstance(item, Entity):
        return item.category
    return "metric" if isinstance(item, Metric) else "fact"


def _label_key(item: Entity | Metric | Fact) -> tuple[str, str]:
    return (item.name if isinstance(item, (Entity, Metric)) else item.subject, item.id)


def _hit(store: Store, item: Entity | Metric | Fact, matched: str, score: float) -> Hit:
    if isinstance(item, Entity):
        return Hit(item.category, item.id, f"{item.name} ({item.kind})", matched, score)
    if isinstance(item, Metric):
        return Hit("metric", item.id, item.name, matched, score)
    label = f"{store.entities[item.subject].name}: {display_value(item)}"
    return Hit("fact", item.id, label, matched, score)
