"""The store's words as a question meets them: the tables `metric` reads, and the protocol
through which a store supplies them.

`QuestionTables` is all that answer/question.py asks of a store's words. A store loaded
whole gets `StoreWords`, below; a large store's index supplies its own from its word
tables (index/indexed_words.py), so that a question reads only the postings of its
words. Both give the same answers: which facts hold a word's stem and in which tier of
their texts, which entities' names could match the words, every word of the store.

A large store holds millions of words, and stemming each in Python would cost seconds a
lookup. So `StoreWords` first folds every fact's texts and every entity's names into one
string each (a C-speed join and lower), and only the strings that contain a question
word's stem prefix (words.prefix) are split and stemmed, once each, when a question asks.
"""

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Protocol

from shanxi_cli.store.interface import Store, StoreRecords
from shanxi_cli.store.records import Entity, Fact, Metric
from shanxi_cli.text.names import Match, Named, NameIndex, name_words
from shanxi_cli.text.words import fold, prefix, stem, unstemmed_words, words

# A fact's texts in tiers, most specific first: its period, its own words, its subject's.
TIERS = ("period", "own", "subject")
MAX_PHRASE_WORDS = 8
Phrases = dict[tuple[str, ...], list[str]]


class NameMatcher(Protocol):
    def match(self, query: str) -> Match[Entity]: ...


class QuestionTables(Protocol):
    """What a question reads of a store's words. Facts are named by their position in
    the store's order (0 for the first)."""

    metric_phrases: Phrases  # stems of a metric's name, alias or synonym -> metric ids
    entity_phrases: Phrases  # the same of the entities prepare_entities chose

    @property
    def names(self) -> NameMatcher:
        """Name matching among the entities prepare_entities chose."""
        ...

    def known(self, word: str) -> bool:
        """Whether the word, by its stem, is a question word or anywhere in the store."""
        ...

    def vocabulary(self) -> frozenset[str]:
        """Every word of the store, unstemmed: what a typo may be read as."""
        ...

    def prepare_entities(self, read: Iterable[str]) -> None:
        """Choose the entities whose folded names hold a word's stem prefix."""
        ...

    def in_facts(self, word: str) -> bool:
        """Whether some fact's texts hold the word's stem."""
        ...

    def holding(self, word: str) -> Mapping[int, int]:
        """The facts whose texts hold the word's stem, each with the first tier holding it."""
        ...

    def of_metrics(self, metric_ids: Iterable[str]) -> list[int]:
        """The facts of these metrics, in store order."""
        ...

    def concerning(self, entity_ids: set[str]) -> set[int]:
        """The facts whose subject, related entities or speaker is one of these."""
        ...

    def facts_at(self, positions: Iterable[int]) -> list[Fact]:
        """The facts at these positions, in the order given."""
        ...


def metric_phrases(metrics: Iterable[Metric]) -> tuple[Phrases, set[str]]:
    """Each metric's phrases by their stems, and every word of them."""
    phrases: Phrases = {}
    found_words: set[str] = set()
    for metric in metrics:
        for text in (metric.name, metric.id, *metric.aliases, *metric.synonyms):
            found = words(text)
            found_words.update(found)
            add_phrase(phrases, found, metric.id)
    return phrases, found_words


def entity_phrases(entities: Iterable[Named], read: Iterable[str]) -> Phrases:
    """The phrases of the entities' names and aliases that a question of the `read` words
    can look up: those whose every word's stem is a read word's."""
    wanted = {stem(word) for word in read}
    phrases: Phrases = {}
    for entity in entities:
        texts = (entity.name, *entity.aliases)
        if not _may_name(texts, wanted):
            continue
        for text in texts:
            add_phrase(phrases, words(text), entity.id)
            add_phrase(phrases, name_words(text), entity.id)
    return phrases


_PLAIN = re.compile(r"[a-z\s'\-.,&()]*")


def _may_name(texts: tuple[str, ...], wanted: set[str]) -> bool:
    """False only when no phrase of these names can be wanted: the names are ASCII letters
    and plain punctuation (so every word matching makes of them is one of their
    words) and none of their words has a wanted stem."""
    joined = "\n".join(texts)
    folded = joined.lower()
    if not joined.isascii() or not _PLAIN.fullmatch(folded):
        return True
    return any(stem(word) in wanted for word in unstemmed_words(folded))


def period_texts(fact: Fact) -> list[str]:
    """The texts of a fact's first tier: its period."""
    return [fact.period.as_stated, fact.period.reading or ""] if fact.period else []


def own_texts(store: StoreRecords, fact: Fact) -> list[str]:
    """The texts of a fact's second tier: its own words and the names it gives."""
    entities = store.entities
    found = [str(fact.value), fact.unit, fact.scope, fact.note, fact.status, fact.quote]
    texts = [text or "" for text in found]
    texts += [entities[other].name for other in (*fact.related, fact.attributed_to or fact.subject)]
    return texts


def subject_texts(subject: Entity) -> list[str]:
    """The texts of a fact's third tier: its subject's names, kind and known-for text."""
    known_for = [item.text for item in subject.known_for]
    return [subject.name, *subject.aliases, subject.kind, *known_for]


def names_text(entity: Entity) -> str:
    """An entity's names and aliases, folded into one string."""
    return fold("\n".join((entity.name, *entity.aliases)))


class StoreWords:
    """`QuestionTables` of a store loaded whole: its texts folded in memory (made once,
    when first asked for)."""

    def __init__(self, store: Store, question_words: frozenset[str]) -> None:
        self.store = store
        self.question_words = question_words
        self.metric_phrases, self._metric_words = metric_phrases(store.metrics.values())
        self._metric_stems = {stem(word) for word in self._metric_words}
        self._blobs: tuple[list[tuple[int, Fact, str]], list[tuple[Entity, str]]] | None = None
        self._tiers: dict[int, tuple[frozenset[str], ...]] = {}
        self._prefixed: dict[str, list[tuple[int, Fact]]] = {}
        self._holding: dict[str, dict[int, int]] = {}
        self._positions: dict[str, int] | None = None
        self.entity_phrases: Phrases = {}
        self.names: NameIndex[Entity] = NameIndex(())
        self._vocabulary: frozenset[str] | None = None

    def _folded(self) -> tuple[list[tuple[int, Fact, str]], list[tuple[Entity, str]]]:
        if self._blobs is None:
            facts = [
                (position, fact, fold("\n".join(text for _, text in self._texts(fact))))
                for position, fact in enumerate(self.store.facts.values())
            ]
            entities = [(entity, names_text(entity)) for entity in self.store.entities.values()]
            self._blobs = (facts, entities)
        return self._blobs

    def known(self, word: str) -> bool:
        found = stem(word)
        if word in self.question_words or found in self._metric_stems or self.in_facts(word):
            return True
        return any(
            found in {stem(w) for text in (e.name, *e.aliases) for w in words(text)}
            for e in self._entities_with([word])
        )

    def vocabulary(self) -> frozenset[str]:
        if self._vocabulary is None:
            found = set(self._metric_words) | self.question_words
            fact_blobs, entity_blobs = self._folded()
            for _, _, blob in fact_blobs:
                found |= unstemmed_words(blob)
            for _, blob in entity_blobs:
                found |= unstemmed_words(blob)
            self._vocabulary = frozenset(found)
        return self._vocabulary

    def prepare_entities(self, read: Iterable[str]) -> None:
        read = list(read)
        chosen = self._entities_with(read)
        self.entity_phrases = entity_phrases(chosen, read)
        self.names = NameIndex(chosen)

    def in_facts(self, word: str) -> bool:
        return bool(self.holding(word))

    def holding(self, word: str) -> Mapping[int, int]:
        found = stem(word)
        held = self._holding.get(found)
        if held is None:
            held = self._holding[found] = {}
            for position, fact in self._facts_with(word):
                tiers = self._tiers_of(position, fact)
                first = next((t for t, stems in enumerate(tiers) if found in stems), None)
                if first is not None:
                    held[position] = first
        return held

    def of_metrics(self, metric_ids: Iterable[str]) -> list[int]:
        wanted = set(metric_ids)
        return [p for p, fact, _ in self._folded()[0] if fact.metric in wanted]

    def concerning(self, entity_ids: set[str]) -> set[int]:
        store = self.store
        if self._positions is None:
            self._positions = {fact_id: p for p, fact_id in enumerate(store.facts)}
        positions = self._positions
        found: set[int] = set()
        groupings = (store.facts_by_subject, store.facts_mentioning, store.facts_attributed)
        for entity_id in entity_ids:
            for grouping in groupings:
                found.update(positions[fact.id] for fact in grouping.get(entity_id, []))
        return found

    def facts_at(self, positions: Iterable[int]) -> list[Fact]:
        fact_blobs = self._folded()[0]
        return [fact_blobs[position][1] for position in positions]

    def _facts_with(self, word: str) -> list[tuple[int, Fact]]:
        """The facts whose texts may hold the word (a superset: their text has its prefix)."""
        start = prefix(word)
        found = self._prefixed.get(start)
        if found is None:
            found = self._prefixed[start] = [
                (p, f) for p, f, blob in self._folded()[0] if start in blob
            ]
        return found

    def _tiers_of(self, position: int, fact: Fact) -> tuple[frozenset[str], ...]:
        """The stems of the fact's texts up to each tier (TIERS)."""
        tiers = self._tiers.get(position)
        if tiers is None:
            by_tier: list[set[str]] = [set() for _ in TIERS]
            for tier, text in self._texts(fact):
                by_tier[tier].update(stem(word) for word in words(text))
            for tier in range(1, len(TIERS)):
                by_tier[tier] |= by_tier[tier - 1]
            tiers = self._tiers[position] = tuple(frozenset(found) for found in by_tier)
        return tiers

    def _entities_with(self, read: list[str]) -> list[Entity]:
        starts = [prefix(word) for word in read]
        return [e for e, blob in self._folded()[1] if any(s in blob for s in starts)]

    def _texts(self, fact: Fact) -> Iterator[tuple[int, str]]:
        """Each text of a fact with its tier."""
        yield from ((0, text) for text in period_texts(fact))
        yield from ((1, text) for text in own_texts(self.store, fact))
        yield from ((2, text) for text in subject_texts(self.store.entities[fact.subject]))


def add_phrase(table: Phrases, found: list[str], owner: str) -> None:
    if not found or len(found) > MAX_PHRASE_WORDS:
        return
    owners = table.setdefault(tuple(stem(word) for word in found), [])
    if owner not in owners:
        owners.append(owner)
