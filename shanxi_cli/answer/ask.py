"""Answer a reader's question, in their own words, with the store's facts and fields.

Every candidate (answer/candidates.py: each fact, each stated role, place and known-for
text) is scored by three things, and the best come first:

1. Words: BM25F over the candidate's fields, words folded and stemmed. Matching is soft:
   a word found nowhere lowers every candidate's coverage alike and is named, it never
   empties the answer. A word that is not English and is close to a store word is read
   as that word (a typo); an English word is never "corrected".
2. Meaning: the cosine of the question's and the candidate's vectors, from the word
   vectors of a language model compiled into a table (answer/meaning.py), so "cash"
   finds yuan and "ranchers" finds cattle farming.
3. Shape: what the question words ask for (answer/question_shape.py) favours the kinds
   of candidate that answer it: a role for "who", a place for "where", a figure for
   "how many", a dollar figure for "in dollars", a status for "target".

The answer is confident when the best candidate covers enough of the question's words
or meaning (CONFIDENT); otherwise the nearest are returned as such.
"""

import math
from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

from shanxi_cli.answer.candidates import KNOWN_FOR, LOCATED_IN, ROLE, Candidate, candidates
from shanxi_cli.answer.meaning import Meanings, Vector, cosine, text_vector
from shanxi_cli.answer.question_shape import (
    AMOUNT,
    DURATION,
    MAKES,
    MOST,
    SAID,
    STATUS,
    WHEN,
    WHERE,
    WHO,
    Shape,
    asking_words,
    shape_of,
)
from shanxi_cli.store.interface import Store
from shanxi_cli.store.records import CATEGORY_OF_KIND, TIME_UNITS
from shanxi_cli.text.words import STOPWORDS, Reading, read_typos, stem, words

# An entity's kind ("county") is a field to match, not a name the question may name.
_KIND_WORDS = frozenset(CATEGORY_OF_KIND)
K1 = 1.2
B = 0.75
FIELD_WEIGHTS = {
    "subject": 3.0,
    "metric": 2.5,
    "synonym": 1.5,
    "description": 1.0,
    "value": 2.0,
    "scope": 1.5,
    "note": 0.7,
    "period": 1.5,
    "status": 1.0,
    "speaker": 2.0,
    "related": 1.0,
    "quote": 1.0,
    "role": 3.0,
    "located in": 2.0,
    "known for": 2.5,
}
WORD_WEIGHT = 2.0
MEANING_WEIGHT = 1.0
SHAPE_BONUS = 0.25
NAME_BONUS = 0.25
FIELD_PENALTY = 0.2
# The best answer is one to stand behind when it scores CONFIDENT or more and each word of
# the question found nowhere in the store is, by its meaning, close to it (NEAR_MEANING):
# "GDP" found nowhere leaves "what is the GDP of Jinzhong" without a confident answer.
CONFIDENT = 1.3
NEAR_MEANING = 0.3


class Ranked(NamedTuple):
    candidate: Candidate
    score: float


class Asked(NamedTuple):
    """The answers best first, whether the best is one to stand behind, and the reading."""

    answers: tuple[Ranked, ...]
    confident: bool
    shape: Shape
    readings: tuple[Reading, ...]  # words read as another word (typos)
    unmatched: tuple[str, ...]  # words found nowhere: they lowered every score alike
    ordered_by_value: bool  # "which ... most": the top facts of one metric, largest first


class _Scored(NamedTuple):
    candidate: Candidate
    names: tuple[frozenset[str], ...]  # the words of each name the candidate is about
    stems: dict[str, Counter[str]]  # field -> stem counts
    lengths: dict[str, int]
    words: tuple[str, ...]  # every word of every field, for its vector


class AskTables:
    """What `ask` reads of a store, built once per store (a batch asks many questions)."""

    def __init__(self, store: Store, meanings: Meanings) -> None:
        self.store = store
        self.meanings = meanings
        self.scored: list[_Scored] = []
        frequency: Counter[str] = Counter()
        totals: Counter[str] = Counter()
        counts: Counter[str] = Counter()
        # Facts repeat their metric's and subject's words: each text is split and
        # stemmed once.
        split: dict[str, tuple[list[str], list[str]]] = {}
        for candidate in candidates(store):
            by_field: dict[str, Counter[str]] = {}
            lengths: Counter[str] = Counter()
            every: list[str] = []
            names = []
            for field, text in candidate.fields:
                if text not in split:
                    found = words(text)
                    split[text] = (found, [stem(word) for word in found])
                found, found_stems = split[text]
                if field in ("subject", "related") and text not in _KIND_WORDS:
                    names.append(frozenset(found) - STOPWORDS)
                every += found
                by_field.setdefault(field, Counter()).update(found_stems)
                lengths[field] += len(found)
            for field, length in lengths.items():
                totals[field] += length
                counts[field] += 1
            frequency.update({s for c in by_field.values() for s in c})
            self.scored.append(
                _Scored(candidate, tuple(names), by_field, dict(lengths), tuple(every))
            )
        self.frequency = frequency
        self.average = {field: totals[field] / counts[field] for field in totals}
        self.vocabulary = {word for scored in self.scored for word in scored.words}
        self._vectors: list[Vector | None] | None = None

    def idf(self, word_stem: str) -> float:
        n, df = len(self.scored), self.frequency.get(word_stem, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def vectors(self) -> list[Vector | None]:
        if self._vectors is None:
            known = self.meanings.vectors(self.vocabulary)
            self._vectors = [text_vector(scored.words, known) for scored in self.scored]
        return self._vectors


def ask(tables: AskTables, question: str) -> Asked:
    """The candidates that answer the question, best first, and how it was read."""
    typed = words(question)
    shape = shape_of(typed)
    content = [w for w in dict.fromkeys(typed) if w not in STOPWORDS and w not in shape.shape_words]
    known = {stem(w) for w in tables.vocabulary}
    unknown = [w for w in content if stem(w) not in known and not w.isdigit()]
    foreign = [w for w in unknown if not tables.meanings.is_english(w)]
    readings = read_typos(foreign, tables.vocabulary) if foreign else []
    read_as = {r.typed: r.read_as for r in readings if r.read_as is not None}
    asked = [read_as.get(word, word) for word in content]
    unmatched = tuple(w for w in unknown if w not in read_as)
    lexical = _coverage(tables, [stem(w) for w in asked])
    meaning = _meaning(tables, asked)
    asked_set = set(asked)
    ranked = []
    for scored, words_score, meaning_score in zip(tables.scored, lexical, meaning, strict=True):
        score = (
            WORD_WEIGHT * words_score
            + MEANING_WEIGHT * meaning_score
            + SHAPE_BONUS * _shape_fit(shape, scored.candidate)
            + NAME_BONUS * _named(scored, asked_set)
        )
        ranked.append(Ranked(scored.candidate, score))
    ranked.sort(key=lambda r: -r.score)
    ordered = False
    if MOST in shape.asks:
        ranked, ordered = _largest_first(ranked)
    confident = bool(ranked) and ranked[0].score >= CONFIDENT
    if confident and unmatched:
        best = ranked[0].candidate
        answered = {w for s in shape.asks if _fits(shape, s, best) for w in asking_words(s)}
        unexplained = [word for word in unmatched if word not in answered]
        confident = _near(tables, best, unexplained)
    corrected = tuple(r for r in readings if r.read_as is not None)
    return Asked(tuple(ranked), confident, shape, corrected, unmatched, ordered)


def _coverage(tables: AskTables, asked: Sequence[str]) -> list[float]:
    """How much of the question each candidate holds: per word, BM25F's saturated weight
    of the word in the candidate's fields (0 to 1), averaged with the words' idf as
    weights. A word found nowhere weighs as the rarest word and is held by none."""
    rarest = tables.idf("")
    idf = {word: tables.idf(word) if word in tables.frequency else rarest for word in asked}
    total_idf = sum(idf.values()) or 1.0
    scores = []
    for scored in tables.scored:
        total = 0.0
        for word in asked:
            weighted = 0.0
            for field, counts in scored.stems.items():
                count = counts.get(word)
                if count:
                    length = scored.lengths[field] / (tables.average[field] or 1)
                    weighted += FIELD_WEIGHTS[field] * count / (1 - B + B * length)
            if weighted:
                total += idf[word] * weighted / (K1 + weighted)
        scores.append(total / total_idf)
    return scores


def _meaning(tables: AskTables, asked: Sequence[str]) -> list[float]:
    question = text_vector(asked, tables.meanings.vectors(asked))
    if question is None:
        return [0.0] * len(tables.scored)
    return [cosine(question, vector) if vector else 0.0 for vector in tables.vectors()]


def _near(tables: AskTables, candidate: Candidate, unmatched: Sequence[str]) -> bool:
    """Whether every word found nowhere is close in meaning to the candidate."""
    position = next(i for i, scored in enumerate(tables.scored) if scored.candidate is candidate)
    text = tables.vectors()[position]
    found = tables.meanings.vectors(unmatched)
    return not unmatched or (
        text is not None
        and all(word in found and cosine(found[word], text) >= NEAR_MEANING for word in unmatched)
    )


def _named(scored: _Scored, asked: set[str]) -> float:
    """How wholly the question names what the candidate is about (1: a whole name)."""
    return max((len(name & asked) / len(name) for name in scored.names if name), default=0.0)


def _shape_fit(shape: Shape, candidate: Candidate) -> float:
    """How many of the things the question asks for the candidate is; a place where
    something lies answers little but "where"."""
    fits = float(sum(_fits(shape, asked, candidate) for asked in shape.asks))
    fact = candidate.fact
    if shape.dollars and fact is not None and fact.usd_as_stated is not None:
        fits += 1
    if shape.yuan and fact is not None and fact.unit == "CNY":
        fits += 1
    if candidate.kind == LOCATED_IN and WHERE not in shape.asks:
        fits -= FIELD_PENALTY / SHAPE_BONUS
    return fits


def _fits(shape: Shape, asked: str, candidate: Candidate) -> bool:
    """Whether the candidate is the kind of answer one thing the question asks for is."""
    fact = candidate.fact
    if fact is None:
        return (asked, candidate.kind) in {(WHO, ROLE), (WHERE, LOCATED_IN), (MAKES, KNOWN_FOR)}
    if asked == SAID:
        return fact.attributed_to is not None
    if asked == WHEN:
        # A date, or a claim on a stated day; a figure on that day answers "how many".
        dated = isinstance(fact.value, str) and bool(fact.period and fact.period.date)
        return fact.metric == "date" or dated
    if asked in (AMOUNT, MOST):
        return not isinstance(fact.value, str)
    if asked == DURATION:
        return fact.unit in TIME_UNITS
    if asked == STATUS:
        return fact.status != "reported"
    return False


def _largest_first(ranked: list[Ranked]) -> tuple[list[Ranked], bool]:
    """The facts of the best answer's metric and unit, largest value first, then the rest."""
    best = ranked[0].candidate.fact
    if best is None or isinstance(best.value, str):
        return ranked, False
    peers: list[tuple[float, Ranked]] = []
    rest = []
    for item in ranked:
        fact = item.candidate.fact
        if (
            fact is not None
            and not isinstance(fact.value, str)
            and (fact.metric, fact.unit, fact.unit_as_stated)
            == (best.metric, best.unit, best.unit_as_stated)
        ):
            peers.append((fact.value, item))
        else:
            rest.append(item)
    if len(peers) < 2:
        return ranked, False
    top = ranked[0].score
    peers.sort(key=lambda peer: -peer[0])
    return [Ranked(item.candidate, top) for _, item in peers] + rest, True
