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
question names (`_doubt`); otherwise the nearest are returned, with the reason.
"""

from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

from shanxi_cli.answer.answer_kinds import fits, names_a_maker, numbers_not_held
from shanxi_cli.answer.ask_tables import AskTables, Scored
from shanxi_cli.answer.candidates import KNOWN_FOR, LOCATED_IN, Candidate
from shanxi_cli.answer.meaning import Vector, cosine, text_vector
from shanxi_cli.answer.question_shape import (
    AMOUNT,
    DURATION,
    MAKES,
    MOST,
    SAID,
    WHEN,
    WHERE,
    WHO,
    Shape,
    asking_words,
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
# The best answer is one to stand behind when it scores CONFIDENT or more and each word of
# the question found nowhere in the store is, by its meaning, close to it (NEAR_MEANING):
# "GDP" found nowhere leaves "what is the GDP of Jinzhong" without a confident answer.
CONFIDENT = 1.3
NEAR_MEANING = 0.3
# ... and when no other answer scores within MARGIN of it: a close second is a question
# the tool cannot settle, and both are shown.
MARGIN = 0.2
# A word held by more than SEED_LIMIT candidates ("jobs" in a store of 100,000 towns) does
# not bring its holders in as candidates when a rarer word of the question does: those
# that hold both are found through the rarer word, and the others miss what the question
# is most specifically about. Far above the bundled store's 211 candidates, so it changes
# only large stores, where scoring every holder of a common word costs seconds.
SEED_LIMIT = 1000
# Why an answer is not one to stand behind.
LOW = "low"  # it matches too little of the question
CLOSE = "close"  # another answer scores about as well
OTHER_KIND = "other kind"  # the question asks for a kind of answer it is not
FAR = "far"  # a word found nowhere is far from it in meaning
NUMBER = "number"  # the question names a number or year it does not hold
SPEAKER = "speaker"  # the question names only the one who said it, and asks about them
# The shapes whose answer must be of their kind for the tool to stand behind it.
TYPED_SHAPES = frozenset({WHO, WHERE, WHEN, AMOUNT, DURATION, MAKES})


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
        ranked.append(_Ranked(item, vector, score))
    ranked.sort(key=lambda r: -r.score)
    doubt, doubt_words = _doubt(shape, ranked, unmatched, content, stems, vectors)
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


class _Ranked(NamedTuple):
    scored: Scored
    vector: Vector | None
    score: float


def _doubt(
    shape: Shape,
    ranked: list[_Ranked],
    unmatched: Sequence[str],
    content: Sequence[str],
    stems: Sequence[str],
    vectors: dict[str, Vector],
) -> tuple[str | None, tuple[str, ...]]:
    """Why the best answer is not one to stand behind, or None when it is, with the words
    that decided it: it must score CONFIDENT, stand MARGIN clear of the first other
    answer, be of the kind a typed question asks for, be close in meaning to each word
    found nowhere it does not answer, and hold every number the question names."""
    if not ranked or ranked[0].score < CONFIDENT:
        return LOW, ()
    # A year the best answer does not hold says more than a close second does.
    numbers = numbers_not_held(content, ranked[0].scored)
    if numbers:
        return NUMBER, tuple(numbers)
    best = ranked[0].scored.candidate
    # Under "which ... most" the facts of the best answer's metric are the answer, ranked.
    rival = next(
        (
            r
            for r in ranked[1:]
            if not _same_answer(r.scored.candidate, best)
            and not (MOST in shape.asks and _same_metric(r.scored.candidate, best))
        ),
        None,
    )
    if rival is not None and ranked[0].score - rival.score < MARGIN:
        return CLOSE, ()
    # "How long" answered by anything but a length of time is not an answer.
    typed = shape.asks & TYPED_SHAPES
    if typed and not any(fits(shape, asked, best) for asked in typed):
        return OTHER_KIND, ()
    speaker = _only_its_speaker(shape, ranked[0].scored, stems)
    if speaker:
        return SPEAKER, (speaker,)
    answered = {w for s in shape.asks if fits(shape, s, best) for w in asking_words(s)}
    far = _far(ranked[0].vector, [word for word in unmatched if word not in answered], vectors)
    if far:
        return FAR, tuple(far)
    return None, ()


def _only_its_speaker(shape: Shape, best: Scored, stems: Sequence[str]) -> str | None:
    """The name of the one who said the best answer, when the question names them only as
    that and asks for a figure, place or time, not what was said: "how much does Ma
    Yunxia earn" is not answered by a sum she reported."""
    fact = best.candidate.fact
    if fact is None or fact.attributed_to is None or shape.asks & {SAID, WHO}:
        return None
    if not shape.asks & TYPED_SHAPES:
        return None
    by_speaker: Counter[str] = best.stems.get("speaker", Counter())
    # The quote names its speaker as often as not ("Ma said").
    elsewhere = {
        found
        for field, held in best.stems.items()
        if field not in ("speaker", "quote")
        for found in held
    }
    named = [found for found in stems if found in by_speaker]
    if named and not any(found in elsewhere for found in named):
        return next(text for field, text in best.candidate.fields if field == "speaker")
    return None


def _same_answer(one: Candidate, other: Candidate) -> bool:
    """Two wordings of one answer: the same entity's field of one kind ("known for the
    flange industry", "known for flange casting"), or one subject's facts of one metric
    or from one sentence (the claim "among the top three" and its rank, 3)."""
    if one.entity.id != other.entity.id or one.kind != other.kind:
        return False
    if one.fact is None or other.fact is None or one.fact.metric == other.fact.metric:
        return True
    return one.quote in other.quote or other.quote in one.quote


def _same_metric(one: Candidate, other: Candidate) -> bool:
    return one.fact is not None and other.fact is not None and one.fact.metric == other.fact.metric


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


def _far(best: Vector | None, unmatched: Sequence[str], vectors: dict[str, Vector]) -> list[str]:
    """The words found nowhere that are not close in meaning to the best answer."""
    return [
        word
        for word in unmatched
        if best is None or word not in vectors or cosine(vectors[word], best) < NEAR_MEANING
    ]


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
