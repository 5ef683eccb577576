"""Whether a candidate is the kind of answer a question asks for (a role for "who", a
figure for "how many" ...), and whether it holds the numbers the question names."""

from collections.abc import Sequence

from shanxi_cli.answer.ask_tables import Scored
from shanxi_cli.answer.candidates import KNOWN_FOR, LOCATED_IN, ROLE, Candidate
from shanxi_cli.answer.question_shape import (
    AMOUNT,
    DURATION,
    MAKES,
    MONEY,
    MOST,
    SAID,
    STATUS,
    WHEN,
    WHERE,
    WHO,
    Shape,
)
from shanxi_cli.store.records import TIME_UNITS
from shanxi_cli.text.words import stem, words


def fits(shape: Shape, asked: str, candidate: Candidate) -> bool:
    """Whether the candidate is the kind of answer one thing the question asks for is."""
    fact = candidate.fact
    if fact is None:
        return (asked, candidate.kind) in {(WHO, ROLE), (WHERE, LOCATED_IN), (MAKES, KNOWN_FOR)}
    if asked == MAKES:
        return says_it_makes(candidate.text)
    if asked == SAID:
        return fact.attributed_to is not None
    if asked == WHO:  # "who said it" is answered by whom it is attributed to
        return SAID in shape.asks and fact.attributed_to is not None
    if asked == WHERE:  # a date that names a place answers "when", not "where"
        return candidate.names_a_place and fact.metric != "date"
    if asked == WHEN:
        # A date, or a claim in a stated year or on a stated day; a figure of that day
        # (the festival's edition) answers "how many", not "when".
        stated = bool(fact.period and (fact.period.date or fact.period.year))
        return fact.metric == "date" or (isinstance(fact.value, str) and stated)
    if asked in (AMOUNT, MOST):
        return not isinstance(fact.value, str)
    if asked == DURATION:
        return fact.unit in TIME_UNITS
    if asked == MONEY:
        return fact.unit in ("CNY", "USD", "USD/lb") or fact.usd_as_stated is not None
    if asked == STATUS:
        return fact.status != "reported"
    return False


# Stems of the words that say what something makes: "a leading producer of X" answers
# "what does it make?" as "known for X" does.
_MAKING_STEMS = frozenset({"produc", "make", "maker", "manufactur", "grow", "grower", "export"})


def says_it_makes(text: str) -> bool:
    return any(stem(word) in _MAKING_STEMS for word in words(text))


# The words that call a company the maker of something ("producers of silicon steel
# class magnesium oxide"); not "produce", which is also what a farm grows.
_MAKERS = frozenset({"producer", "producers", "maker", "makers", "manufacturer", "manufacturers"})


def names_a_maker(text: str) -> bool:
    return not _MAKERS.isdisjoint(words(text))


def numbers_not_held(typed: Sequence[str], best: Scored) -> list[str]:
    """The numbers of the question (a year, a count) that the best answer holds in none
    of its texts, nor as its period's year or within its span of years: "jobs in 1999"
    is not answered by the jobs of now."""
    held: set[str] = set()
    for counts in best.stems.values():
        held.update(counts)
    fact = best.candidate.fact
    period = fact.period if fact is not None else None
    if period is not None:
        held.update(str(year) for year in (period.year, period.start_year) if year)
        held.update(period.date.split("-")[:1] if period.date else ())
    first, last = (period.start_year, period.end_year) if period is not None else (None, None)
    return [
        word
        for word in typed
        if word.isascii()  # "፩" is a digit to str.isdigit, not to int()
        and word.isdigit()
        and word not in held
        and not (first is not None and last is not None and first <= int(word) <= last)
    ]
