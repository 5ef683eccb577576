"""One ranked search over every text the store shows, words in any order.

Each entity, metric and fact is a record of weighted fields (FIELD_WEIGHTS): names and
aliases weigh most, then kinds, known-for text, roles, values, scopes and metric words,
then notes, periods, located-in sentences and quotes. Words are folded and stemmed
(words.py), so plurals and verb forms match. A record is a hit when it holds every word
of the query, in any field and any order (question words such as "the" and "of" are
left out unless nothing else is left). A word found nowhere is read as its nearest word
in the store when one is close enough, and the reading is returned so it can be said.

Hits are ranked by BM25F: per word, its count in each field, weighted and normalised by
the field's length against that field's average, saturated with K1 and multiplied by
the word's rarity across records (idf). A word in a name therefore outranks the same
word in a quote. Ties break on kind, then label, so the order is stable. Everything is
one pass over the store's words: linear in its size.
"""

import math
from collections.abc import Iterator
from itertools import islice
from typing import NamedTuple

from shanxi_cli.display import display_value
from shanxi_cli.errors import ShanxiError
from shanxi_cli.query import check_query
from shanxi_cli.store import Entity, Fact, Metric, Store
from shanxi_cli.words import (
    STOPWORDS,
    Reading,
    fold,
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
AVERAGE_SAMPLE = 2000
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
    item: "Entity | Metric | Fact"
    blob: str  # every text, folded and joined: filtered by substring before any stemming


def search(store: Store, text: str, limit: int = 20) -> Found:
    """Records holding every word of the text, best first; at most `limit` of them."""
    check_query(text, "WORDS")
    if len(" ".join(text.split())) < MIN_SEARCH_LENGTH:
        raise ShanxiError(f"WORDS need at least {MIN_SEARCH_LENGTH} letters to search")
    typed = words(text)
    asked = list(dict.fromkeys(word for word in typed if word not in STOPWORDS)) or typed
    index = _Index(store)
    unknown = [word for word in asked if not index.holds(word)]
    readings = read_typos(unknown, index.vocabulary()) if unknown else []
    read_as = {reading.typed: reading.read_as for reading in readings}
    unmatched = tuple(r.typed for r in readings if r.read_as is None)
    if unmatched or not asked:
        return Found((), 0, (), unmatched)
    ranked = index.ranked([read_as.get(word) or word for word in asked])
    hits = tuple(_hit(store, record, matched, score) for record, matched, score in ranked[:limit])
    corrected = tuple(r for r in readings if r.read_as is not None)
    return Found(hits, len(ranked), corrected, ())


class _Index:
    """Every record's folded blob, and each field's average length in characters."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.records = [
            _Record(item, fold("\n".join(text for _, text in _texts(store, item))))
            for item in _items(store)
        ]
        # Field lengths are averaged over the first records of each kind, enough for a
        # stable figure without walking every text of a large store twice.
        sizes: dict[str, list[int]] = {}
        sample: list[Entity | Metric | Fact] = [
            *islice(store.entities.values(), AVERAGE_SAMPLE),
            *islice(store.metrics.values(), AVERAGE_SAMPLE),
            *islice(store.facts.values(), AVERAGE_SAMPLE),
        ]
        for item in sample:
            for field, text in _texts(store, item):
                if not text:
                    continue
                size = sizes.setdefault(field, [0, 0])
                size[0] += len(text)
                size[1] += 1
        self.average = {field: max(1.0, total / count) for field, (total, count) in sizes.items()}
        self._stems: dict[int, frozenset[str]] = {}

    def holds(self, word: str) -> bool:
        """Whether some record holds the word's stem."""
        start, found = prefix(word), stem(word)
        return any(
            found in self._stems_of(position)
            for position, record in enumerate(self.records)
            if start in record.blob
        )

    def vocabulary(self) -> set[str]:
        found: set[str] = set()
        for record in self.records:
            found |= unstemmed_words(record.blob)
        return found

    def ranked(self, asked: list[str]) -> list[tuple[_Record, str, float]]:
        """The records holding every word, with their best field and BM25F score, best first.

        A word's rarity (idf) counts the records whose blob holds its stem's prefix: a
        close upper bound of those holding the stem, found without stemming them all.
        """
        starts = {stem(word): prefix(word) for word in asked}
        terms = list(starts)
        frequency = dict.fromkeys(terms, 0)
        holding = []
        for position, record in enumerate(self.records):
            present = [term for term, start in starts.items() if start in record.blob]
            for term in present:
                frequency[term] += 1
            if len(present) == len(terms) and all(t in self._stems_of(position) for t in terms):
                holding.append(record)
        total = len(self.records)
        rarity = {
            t: math.log(1 + (total - frequency[t] + 0.5) / (frequency[t] + 0.5)) for t in terms
        }
        ranked = []
        for record in holding:
            score = 0.0
            by_field: dict[str, float] = {}
            texts = _texts(self.store, record.item)
            fields = [(field, text, stems(words(text))) for field, text in texts if text]
            for term in terms:
                weighted = 0.0
                for field, text, field_stems in fields:
                    count = field_stems.count(term)
                    if count:
                        norm = 1 - B + B * len(text) / self.average.get(field, len(text))
                        part = FIELD_WEIGHTS[field] * count / norm
                        weighted += part
                        by_field[field] = by_field.get(field, 0.0) + part
                score += rarity[term] * weighted * (K1 + 1) / (weighted + K1)
            ranked.append((record, max(by_field, key=lambda f: by_field[f]), score))
        ranked.sort(key=lambda r: (-r[2], KIND_ORDER[_kind(r[0].item)], _label_key(r[0].item)))
        return ranked

    def _stems_of(self, position: int) -> frozenset[str]:
        found = self._stems.get(position)
        if found is None:
            found = self._stems[position] = frozenset(stems(words(self.records[position].blob)))
        return found


def _kind(item: Entity | Metric | Fact) -> str:
    if isinstance(item, Entity):
        return item.category
    return "metric" if isinstance(item, Metric) else "fact"


def _label_key(item: Entity | Metric | Fact) -> tuple[str, str]:
    return (item.name if isinstance(item, (Entity, Metric)) else item.subject, item.id)


def _hit(store: Store, record: _Record, matched: str, score: float) -> Hit:
    item = record.item
    if isinstance(item, Entity):
        return Hit(item.category, item.id, f"{item.name} ({item.kind})", matched, score)
    if isinstance(item, Metric):
        return Hit("metric", item.id, item.name, matched, score)
    label = f"{store.entities[item.subject].name}: {display_value(item)}"
    return Hit("fact", item.id, label, matched, score)


def _items(store: Store) -> Iterator[Entity | Metric | Fact]:
    yield from store.entities.values()
    yield from store.metrics.values()
    yield from store.facts.values()


def _texts(store: Store, item: Entity | Metric | Fact) -> Iterator[tuple[str, str]]:
    """Each text the store shows of an item, with the field it is in."""
    if isinstance(item, Entity):
        yield from (("name", item.name), ("kind", item.kind), ("quote", item.quote))
        yield from (("alias", alias) for alias in item.aliases)
        yield from (("known for", known.text) for known in item.known_for)
        if item.role:
            yield ("role", item.role.title)
            if item.role.organisation:
                yield ("role", store.entities[item.role.organisation].name)
        if item.located_in:
            yield ("located in", store.entities[item.located_in.id].name)
            yield ("located in", item.located_in.quote)
    elif isinstance(item, Metric):
        yield from (("name", item.name), ("description", item.description))
        yield from (("alias", alias) for alias in item.aliases)
        yield from (("synonym", synonym) for synonym in item.synonyms)
    else:
        metric = store.metrics[item.metric]
        yield from (("value", display_value(item)), ("value", str(item.value)))
        yield from (("metric", metric.name), ("subject", store.entities[item.subject].name))
        yield from (("scope", item.scope or ""), ("note", item.note or ""))
        if item.period:
            yield from (("period", item.period.as_stated), ("period", item.period.reading or ""))
        yield from (("related", store.entities[other].name) for other in item.related)
        yield ("quote", item.quote)
