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

The answer is confident when the best candidate scores CONFIDENT or more, stands MARGIN
clear of the next other answer, is of the kind a typed question asks for, is close in
meaning to every word found nowhere that it does not answer, and holds every number the
question names (answer/ask_confidence.py); otherwise the nearest are returned, with the
reason.
"""

from collections.abc import Sequence
from typing import NamedTuple

from shanxi_cli.answer.answer_kinds import fits, names_a_maker
from shanxi_cli.answer.ask_confidence import Contender, doubt_of
from shanxi_cli.answer.ask_tables import AskTables, Scored
from shanxi_cli.answer.candidates import KNOWN_FOR, LOCATED_IN, Candidate
from shanxi_cli.answer.meaning import cosine, text_vector
from shanxi_cli.answer.question_shape import (
    MOST,
    WHERE,
    Shape,
    shape_of,
)
from shanxi_cli.text.words import STOPWORDS, Reading, read_typos, stem, words

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
# A field whose text the question already says ("home of Yinsheng Technology" for "what
# does Yinsheng Technology in Heshun make?") tells the reader nothing new.
REPEAT_PENALTY = 0.5
# A word held by more than SEED_LIMIT candidates ("jobs" in a store of 100,000 towns) does
# not bring its holders in as candidates when a rarer word of the question does: those
# that hold both are found through the rarer word, and the others miss what the question
# is most specifically about. Far above the bundled store's 211 candidates, so it changes
# only large stores, where scoring every holder of a common word costs seconds.
SEED_LIMIT = 1000


class Ranked(NamedTuple):
    candidate: Candidate
    score: float


class Asked(NamedTuple):
    """The answers best first, whether the best is one to stand behind, and the reading."""

    answers: tuple[Ranked, ...]
    # Why the best answer is not one to stand behind (LOW, CLOSE, OTHER_KIND, FAR or
    # NUMBER), or None; and for FAR and NUMBER, the question's words that decided it.
    doubt: str | None
    doubt_words: tuple[str, ...]
    shape: Shape
    readings: tuple[Reading, ...]  # words read as another word (typos)
    content: tuple[str, ...]  # the words that say what it asks about (not "who", "the")
    unmatched: tuple[str, ...]  # words found nowhere: they lowered every score alike
    ordered_by_value: bool  # "which ... most": the top facts of one metric, largest first

    @property
    def confident(self) -> bool:
        return self.doubt is None


def ask(tables: AskTables, question: str) -> Asked:
    """The candidates that answer the question, best first, and how it was read."""
    typed = words(question)
    shape = shape_of(typed)
    content = [w for w in dict.fromkeys(typed) if w not in STOPWORDS and w not in shape.shape_words]
    unknown = [w for w in content if not tables.known(stem(w)) and not w.isdigit()]
    foreign = [w for w in unknown if not tables.meanings.is_english(w)]
    readings = read_typos(foreign, tables.vocabulary()) if foreign else []
    read_as = {r.typed: r.read_as for r in readings if r.read_as is not None}
    asked = [read_as.get(word, word) for word in content]
    unmatched = tuple(w for w in unknown if w not in read_as)
    stems = [stem(word) for word in asked]
    glossed = {found: gloss for found in stems if (gloss := tables.gloss(found))}
    shared = tables.sharing(_seeds(tables, [*stems, *(g for gs in glossed.values() for g in gs)]))
    vectors = tables.meanings.vectors({*asked, *(w for item in shared for w in item.words)})
    question_vector = text_vector(asked, vectors)
    asked_set = set(asked)
    ranked = []
    coverage = _coverage(tables, shared, stems, glossed)
    for item, words_score in zip(shared, coverage, strict=True):
        vector = text_vector(item.words, vectors)
        meaning = cosine(question_vector, vector) if question_vector and vector else 0.0
        score = (
            WORD_WEIGHT * words_score
            + MEANING_WEIGHT * meaning
            + SHAPE_BONUS * _shape_fit(shape, item.candidate)
            + NAME_BONUS * _named(item, asked_set)
            - REPEAT_PENALTY * _repeated(item.candidate, stems)
        )
        ranked.append(Contender(item, vector, score))
    ranked.sort(key=lambda r: -r.score)
    doubt, doubt_words = doubt_of(shape, ranked, unmatched, content, stems, vectors)
    answers = [Ranked(r.scored.candidate, r.score) for r in ranked]
    ordered = False
    if MOST in shape.asks and answers:
        answers, ordered = _largest_first(answers)
    corrected = tuple(r for r in readings if r.read_as is not None)
    return Asked(
        tuple(answers), doubt, doubt_words, shape, corrected, tuple(content), unmatched, ordered
    )


def _seeds(tables: AskTables, stems: Sequence[str]) -> list[str]:
    """The stems whose holders are the candidates: the rare ones when there are any."""
    held = {found: tables.holders(found) for found in stems}
    rare = [found for found, count in held.items() if 0 < count <= SEED_LIMIT]
    return rare or list(stems)


def _coverage(
    tables: AskTables,
    shared: list[Scored],
    asked: Sequence[str],
    glossed: dict[str, tuple[str, ...]],
) -> list[float]:
    """How much of the question each candidate holds: per word, BM25F's saturated weight
    of the word in the candidate's fields (0 to 1), averaged with the words' idf as
    weights. A word found nowhere weighs as the rarest word and is held by none; a word
    the article explains is held where every word of its gloss is, weighted as the least
    weighted of them."""
    idf = {word: tables.idf(word) for word in asked}
    total_idf = sum(idf.values()) or 1.0
    average = {field: tables.average(field) or 1.0 for field in FIELD_WEIGHTS}
    scores = []
    for item in shared:
        total = 0.0
        for word in asked:
            weighted = _weighted(item, word, average)
            if not weighted and word in glossed:
                weighted = min(_weighted(item, meant, average) for meant in glossed[word])
            if weighted:
                total += idf[word] * weighted / (K1 + weighted)
        scores.append(total / total_idf)
    return scores


def _weighted(item: Scored, word: str, average: dict[str, float]) -> float:
    """BM25F's weighted count of the word over the candidate's fields."""
    weighted = 0.0
    for field, counts in item.stems.items():
        count = counts.get(word)
        if count:
            length = item.lengths[field] / average[field]
            weighted += FIELD_WEIGHTS[field] * count / (1 - B + B * length)
    return weighted


def _repeated(candidate: Candidate, asked: Sequence[str]) -> float:
    """The share of a known-for text's words that the question already holds; 0 for the
    rest, whose answer is a value, a person or a place the question does not name."""
    if candidate.kind != KNOWN_FOR:
        return 0.0
    own = {stem(word) for word in words(candidate.text) if word not in STOPWORDS}
    return len(own.intersection(asked)) / len(own) if own else 0.0


def _named(scored: Scored, asked: set[str]) -> float:
    """How wholly the question names what the candidate is about (1: a whole name)."""
    return max((len(name & asked) / len(name) for name in scored.names if name), default=0.0)


def _shape_fit(shape: Shape, candidate: Candidate) -> float:
    """How many of the things the question asks for the candidate is; a place where
    something lies answers little but "where"."""
    fit = float(sum(fits(shape, asked, candidate) for asked in shape.asks))
    fact = candidate.fact
    if shape.dollars and fact is not None and fact.usd_as_stated is not None:
        fit += 1
    if shape.yuan and fact is not None and fact.unit == "CNY":
        fit += 1
    # Of the things a company is known for, the one its quote says it produces answers
    # "what does it make" as a figure answers "how many": it outweighs a quote that
    # merely repeats the company's name.
    if shape.products and candidate.kind == KNOWN_FOR and names_a_maker(candidate.quote):
        fit += 2
    if candidate.kind == LOCATED_IN and WHERE not in shape.asks:
        fit -= FIELD_PENALTY / SHAPE_BONUS
    return fit


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
    # Each keeps its own score: the order is by value, as stderr says.
    peers.sort(key=lambda peer: -peer[0])
    return [item for _, item in peers] + rest, True
