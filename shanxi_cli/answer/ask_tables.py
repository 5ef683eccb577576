"""What `ask` reads of a store: its candidates' words, and each word's rarity.

`ask` scores only the candidates that share a word stem with the question (the postings
of its words). `MemoryTables` builds them from a loaded store, once per store and
process; a large store's index supplies its own (index/indexed_ask.py), which read only
the candidates of the question's words (`tables_for` chooses). `AskTables` is the
interface both implement; `scored` describes a candidate the same way from any source.
"""

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import NamedTuple, Protocol

from shanxi_cli.answer.candidates import Candidate, candidates
from shanxi_cli.answer.glosses import glosses_in
from shanxi_cli.answer.meaning import Meanings
from shanxi_cli.store.interface import Store
from shanxi_cli.store.records import CATEGORY_OF_KIND
from shanxi_cli.text.words import STOPWORDS, stem, words

# An entity's kind ("county") is a field to match, not a name the question may name.
_KIND_WORDS = frozenset(CATEGORY_OF_KIND)
# Fields that name what a candidate is about: a question naming all of one is about it.
NAME_FIELDS = ("subject", "related")
QUOTE = "quote"  # the field of a candidate's verbatim quote, where glosses are read

Split = dict[str, tuple[list[str], list[str]]]  # text -> its words and their stems


class Scored(NamedTuple):
    """A candidate as words: per field its stem counts and length, the names it is
    about, and every word (for its vector)."""

    candidate: Candidate
    names: tuple[frozenset[str], ...]
    stems: dict[str, Counter[str]]
    lengths: dict[str, int]
    words: tuple[str, ...]


def scored(candidate: Candidate, split: Split) -> Scored:
    """The candidate's words; `split` caches each text's words (facts repeat their
    metric's and subject's texts)."""
    by_field: dict[str, Counter[str]] = {}
    lengths: Counter[str] = Counter()
    every: list[str] = []
    names = []
    for field, text in candidate.fields:
        if text not in split:
            found = words(text)
            split[text] = (found, [stem(word) for word in found])
        found, found_stems = split[text]
        if field in NAME_FIELDS and text not in _KIND_WORDS:
            names.append(frozenset(found) - STOPWORDS)
        every += found
        by_field.setdefault(field, Counter()).update(found_stems)
        lengths[field] += len(found)
    return Scored(candidate, tuple(names), by_field, dict(lengths), tuple(every))


class AskTables(Protocol):
    """The store as `ask` reads it."""

    store: Store
    meanings: Meanings

    def known(self, word_stem: str) -> bool:
        """Whether some candidate holds the stem."""
        ...

    def vocabulary(self) -> Iterable[str]:
        """Every word of every candidate, as folded: what a typo may be read as."""
        ...

    def holders(self, word_stem: str) -> int:
        """How many candidates hold the stem."""
        ...

    def gloss(self, word_stem: str) -> tuple[str, ...]:
        """The stems of the words the article explains the stem's word by, or ()
        (answer/glosses.py)."""
        ...

    def idf(self, word_stem: str) -> float:
        """The stem's rarity across candidates; a stem found nowhere is the rarest."""
        ...

    def average(self, field: str) -> float:
        """The field's average length in words, over the candidates that have it."""
        ...

    def sharing(self, stems: Sequence[str]) -> list[Scored]:
        """The candidates holding any of the stems, in store order."""
        ...


def idf_of(candidate_count: int, frequency: int) -> float:
    """BM25's rarity of a word held by `frequency` of `candidate_count` candidates."""
    return math.log(1 + (candidate_count - frequency + 0.5) / (frequency + 0.5))


class MemoryTables:
    """`AskTables` built from a loaded store: each stem's postings and each field's
    average length; a candidate's own words are counted only when it is asked about."""

    def __init__(self, store: Store, meanings: Meanings) -> None:
        self.store = store
        self.meanings = meanings
        self.candidates = list(candidates(store))
        self._split: Split = {}
        self.postings: dict[str, list[int]] = {}
        totals: Counter[str] = Counter()
        counts: Counter[str] = Counter()
        for position, candidate in enumerate(self.candidates):
            held: set[str] = set()
            lengths: dict[str, int] = {}
            for field, text in candidate.fields:
                found, found_stems = self._words_of(text)
                held.update(found_stems)
                lengths[field] = lengths.get(field, 0) + len(found)
            for word_stem in held:
                self.postings.setdefault(word_stem, []).append(position)
            totals.update(lengths)
            counts.update(lengths.keys())
        self._average = {field: totals[field] / counts[field] for field in totals}
        self._scored: dict[int, Scored] = {}
        quotes = {text for item in self.candidates for field, text in item.fields if field == QUOTE}
        self._glosses = glosses_in(sorted(quotes))

    def _words_of(self, text: str) -> tuple[list[str], list[str]]:
        found = self._split.get(text)
        if found is None:
            folded = words(text)
            found = self._split[text] = (folded, [stem(word) for word in folded])
        return found

    def known(self, word_stem: str) -> bool:
        return word_stem in self.postings

    def vocabulary(self) -> Iterable[str]:
        return {word for found, _ in self._split.values() for word in found}

    def holders(self, word_stem: str) -> int:
        return len(self.postings.get(word_stem, ()))

    def gloss(self, word_stem: str) -> tuple[str, ...]:
        return self._glosses.get(word_stem, ())

    def idf(self, word_stem: str) -> float:
        return idf_of(len(self.candidates), self.holders(word_stem))

    def average(self, field: str) -> float:
        return self._average.get(field, 0.0)

    def sharing(self, stems: Sequence[str]) -> list[Scored]:
        positions = sorted({p for s in stems for p in self.postings.get(s, ())})
        for position in positions:
            if position not in self._scored:
                self._scored[position] = scored(self.candidates[position], self._split)
        return [self._scored[position] for position in positions]


def tables_for(store: Store, meanings: Meanings) -> AskTables:
    """The store's own ask tables when it supplies them (an index does), else built from
    it whole."""
    supplied = getattr(store, "ask_tables", None)
    if supplied is not None:
        found: AskTables = supplied(meanings)
        return found
    return MemoryTables(store, meanings)
