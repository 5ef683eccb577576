"""Whether `ask` stands behind its best answer (exit 0), and if not, why.

The best answer is one to stand behind when it scores CONFIDENT or more, stands MARGIN
clear of the next other answer, is of the kind a typed question asks for, is not a
figure someone gave when the question asks about that one, is close in meaning to every
word found nowhere that it does not answer, and holds every number the question names.
Each failed rule is a reason (LOW, CLOSE ...), which the command line words on stderr.
"""

from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

from shanxi_cli.answer.answer_kinds import fits, numbers_not_held
from shanxi_cli.answer.ask_tables import Scored
from shanxi_cli.answer.candidates import Candidate
from shanxi_cli.answer.meaning import Vector, cosine
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
)

# The best answer is one to stand behind when it scores CONFIDENT or more and each word of
# the question found nowhere in the store is, by its meaning, close to it (NEAR_MEANING):
# "GDP" found nowhere leaves "what is the GDP of Jinzhong" without a confident answer.
CONFIDENT = 1.3
NEAR_MEANING = 0.3
# ... and when no other answer scores within MARGIN of it: a close second is a question
# the tool cannot settle, and both are shown.
MARGIN = 0.2
# Why an answer is not one to stand behind.
LOW = "low"  # it matches too little of the question
CLOSE = "close"  # another answer scores about as well
OTHER_KIND = "other kind"  # the question asks for a kind of answer it is not
FAR = "far"  # a word found nowhere is far from it in meaning
NUMBER = "number"  # the question names a number or year it does not hold
SPEAKER = "speaker"  # the question names only the one who said it, and asks about them
# The shapes whose answer must be of their kind for the tool to stand behind it.
TYPED_SHAPES = frozenset({WHO, WHERE, WHEN, AMOUNT, DURATION, MAKES})


class Contender(NamedTuple):
    """A candidate as `ask` scored it: its words, its meaning vector, its score."""

    scored: Scored
    vector: Vector | None
    score: float


def doubt_of(
    shape: Shape,
    ranked: list[Contender],
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


def _far(best: Vector | None, unmatched: Sequence[str], vectors: dict[str, Vector]) -> list[str]:
    """The words found nowhere that are not close in meaning to the best answer."""
    return [
        word
        for word in unmatched
        if best is None or word not in vectors or cosine(vectors[word], best) < NEAR_MEANING
    ]
