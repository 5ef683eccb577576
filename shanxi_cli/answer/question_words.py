"""The store's words as a question meets them, tokenised only where a question looks.

A large store holds millions of words, and stemming each in Python would cost seconds a
lookup. So every fact's texts and every entity's names are first folded into one string
each (a C-speed join and lower), and only the strings that contain a question word's
stem prefix (words.prefix) are split and stemmed, once each, when a question asks.
"""

from collections.abc import Iterable, Iterator

from shanxi_cli.store.interface import Store
from shanxi_cli.store.records import Entity, Fact
from shanxi_cli.text.names import NameIndex, name_words
from shanxi_cli.text.words import fold, prefix, stem, unstemmed_words, words

# A fact's texts in tiers, most specific first: its period, its own words, its subject's.
TIERS = ("period", "own", "subject")
MAX_PHRASE_WORDS = 8
Phrases = dict[tuple[str, ...], list[str]]


class StoreWords:
    """Metric phrases, and the facts and entities that hold given words, for one store."""

    def __init__(self, store: Store, question_words: frozenset[str]) -> None:
        self.store = store
        self.question_words = question_words
        self.metric_phrases: Phrases = {}
        self._metric_words: set[str] = set()
        for metric in store.metrics.values():
            for text in (metric.name, metric.id, *metric.aliases, *metric.synonyms):
                found = words(text)
                self._metric_words.update(found)
                _add(self.metric_phrases, found, metric.id)
        self._metric_stems = {stem(word) for word in self._metric_words}
        self._fact_blobs = [
            (fact, fold("\n".join(text for _, text in self._texts(fact))))
            for fact in store.facts.values()
        ]
        self._entity_blobs = [
            (entity, fold("\n".join((entity.name, *entity.aliases))))
            for entity in store.entities.values()
        ]
        self._tiers: dict[str, tuple[frozenset[str], ...]] = {}
        self._facts_with: dict[str, list[Fact]] = {}
        self.entity_phrases: Phrases = {}
        self.names: NameIndex[Entity] = NameIndex(())
        self._vocabulary: frozenset[str] | None = None

    def known(self, word: str) -> bool:
        """Whether the word, by its stem, is a question word or anywhere in the store."""
        found = stem(word)
        if word in self.question_words or found in self._metric_stems or self.in_facts(word):
            return True
        return any(
            found in {stem(w) for text in (e.name, *e.aliases) for w in words(text)}
            for e in self._entities_with([word])
        )

    def vocabulary(self) -> frozenset[str]:
        """Every word of the store, unstemmed: what a typo may be read as (made once)."""
        if self._vocabulary is None:
            found = set(self._metric_words) | self.question_words
            for _, blob in self._fact_blobs:
                found |= unstemmed_words(blob)
            for _, blob in self._entity_blobs:
                found |= unstemmed_words(blob)
            self._vocabulary = frozenset(found)
        return self._vocabulary

    def prepare_entities(self, read: Iterable[str]) -> None:
        """Index the entities whose names could match the words, as phrases and by name."""
        chosen = self._entities_with(list(read))
        self.entity_phrases = {}
        for entity in chosen:
            for text in (entity.name, *entity.aliases):
                _add(self.entity_phrases, words(text), entity.id)
                _add(self.entity_phrases, name_words(text), entity.id)
        self.names = NameIndex(chosen)

    def facts_with(self, word: str) -> list[Fact]:
        """The facts whose texts may hold the word (a superset: their text has its prefix)."""
        start = prefix(word)
        found = self._facts_with.get(start)
        if found is None:
            found = self._facts_with[start] = [f for f, blob in self._fact_blobs if start in blob]
        return found

    def in_facts(self, word: str) -> bool:
        found = stem(word)
        return any(found in self.fact_stems(fact) for fact in self.facts_with(word))

    def fact_stems(self, fact: Fact, tier: int = -1) -> frozenset[str]:
        """The stems of the fact's texts up to the tier (TIERS); by default all of them."""
        return self._tiers_of(fact)[tier]

    def first_tier_holding(self, fact: Fact, word: str, first: int) -> list[int]:
        """The first tier from `first` on whose stems hold the word's stem, if any."""
        tiers = self._tiers_of(fact)
        found = stem(word)
        return [t for t in range(first, len(tiers)) if found in tiers[t]][:1]

    def _tiers_of(self, fact: Fact) -> tuple[frozenset[str], ...]:
        tiers = self._tiers.get(fact.id)
        if tiers is None:
            by_tier: list[set[str]] = [set() for _ in TIERS]
            for tier, text in self._texts(fact):
                by_tier[tier].update(stem(word) for word in words(text))
            for tier in range(1, len(TIERS)):
                by_tier[tier] |= by_tier[tier - 1]
            tiers = self._tiers[fact.id] = tuple(frozenset(found) for found in by_tier)
        return tiers

    def _entities_with(self, read: list[str]) -> list[Entity]:
        starts = [prefix(word) for word in read]
        return [e for e, blob in self._entity_blobs if any(s in blob for s in starts)]

    def _texts(self, fact: Fact) -> Iterator[tuple[int, str]]:
        """Each text of a fact with its tier."""
        entities = self.store.entities
        subject = entities[fact.subject]
        if fact.period:
            yield from ((0, fact.period.as_stated), (0, fact.period.reading or ""))
        for text in (str(fact.value), fact.unit, fact.scope, fact.note, fact.status, fact.quote):
            yield (1, text or "")
        for other in (*fact.related, fact.attributed_to or subject.id):
            yield (1, entities[other].name)
        for text in (subject.name, *subject.aliases, subject.kind):
            yield (2, text)
        yield from ((2, item.text) for item in subject.known_for)


def _add(table: Phrases, found: list[str], owner: str) -> None:
    if not found or len(found) > MAX_PHRASE_WORDS:
        return
    owners = table.setdefault(tuple(stem(word) for word in found), [])
    if owner not in owners:
        owners.append(owner)
