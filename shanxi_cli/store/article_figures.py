"""The figures an article prints, read as numbers, and which of them the store holds.

A figure is digits ("50,000", "20.15 billion", "16.4 percent") or a number word
("six decades", "the top three"); `uncovered_figures` lists the ones no fact quotes and no
excluded figure explains, `unstructured_figures` the ones no fact holds as a number.
"""

import re
from bisect import bisect_right
from collections.abc import Iterator
from decimal import Decimal
from itertools import accumulate
from typing import TYPE_CHECKING, Any, NamedTuple

from shanxi_cli.store.article_text import all_spans, quote_fragments, year_spans

if TYPE_CHECKING:
    from shanxi_cli.store.interface import Store
    from shanxi_cli.store.records import Fact

NUMBER_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
}
_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}

# A figure as the article prints it: digits with thousands commas and decimals, an
# optional scale word, or a number word. Ordinals ("16th") and ranges ("1931-45") are
# figures too, for coverage; their leading number is what they parse to (a range's two
# years are read by `year_spans`). "a" or "an" before a length of time and "ago" ("less
# than a year ago") is the number one.
FIGURE = re.compile(
    r"(?<![\w.])(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:(?:st|nd|rd|th)\b|-\d+\b)?"
    r"(?:\s+(?P<scale>thousand|million|billion|trillion)\b)?"
    r"|\b(?P<word>" + "|".join(NUMBER_WORDS) + r")\b"
    r"|\b(?P<one>an?)(?=\s+(?:year|month|week|day|decade|century)\s+ago\b)",
    re.IGNORECASE,
)


class Figure(NamedTuple):
    text: str
    value: Decimal
    start: int
    end: int


def figures_in(text: str) -> list[Figure]:
    """Every figure printed in the text, with its value fully expanded."""
    found = []
    for match in FIGURE.finditer(text):
        if match.group("word"):
            value = Decimal(NUMBER_WORDS[match.group("word").lower()])
        elif match.group("one"):
            value = Decimal(1)
        else:
            value = Decimal(match.group("digits").replace(",", ""))
            scale = match.group("scale")
            if scale:
                value *= _SCALES[scale.lower()]
        found.append(Figure(match.group(0), value, match.start(), match.end()))
    return found


def figure_in_quote(value: int | float, quote: str) -> bool:
    """Whether the quote prints this fully expanded value."""
    wanted = Decimal(str(value))
    return any(figure.value == wanted for figure in figures_in(quote))


# Words that state a figure's bound, read just before (or, for "-plus", right after) it.
_BOUND_BEFORE = (
    ("more than", "more than"),
    ("surpasses", "more than"),
    ("over", "more than"),
    ("about", "about"),
    ("can reach", "up to"),
    ("less than", "less than"),
)


def stated_bound(quote: str, figure: Figure) -> str:
    """The qualifier the quote's wording gives a figure: "exact" when it says none."""
    if quote[figure.end :].startswith("-plus"):
        return "plus"
    before = quote[max(0, figure.start - 16) : figure.start].lower().replace("$", "").rstrip()
    for words, qualifier in _BOUND_BEFORE:
        if before.endswith(words):
            return qualifier
    return "exact"


def uncovered_figures(store: "Store", article: str, document: str | None = None) -> list[Figure]:
    """Figures of a normalised document inside no fact quote and no excluded context.

    The document defaults to the store's primary (first) one. Each distinct fragment is
    looked for once, however many quotes repeat it (their spans would be the same), and
    each figure looks up only the excluded figures its text starts with, walking a trie
    of them: linear in the quotes, the excluded figures and the article, never in their
    products.
    """
    document = document or next(iter(store.documents))
    covered = _Cover()
    fragments = {
        fragment
        for fact in store.facts.values()
        if fact.document == document
        for fragment in quote_fragments(fact.quote)
    }
    for fragment in fragments:
        covered.add(all_spans(fragment, article))
    contexts: dict[str, set[str]] = {}
    for item in store.excluded_figures:
        if item.document == document:
            contexts.setdefault(item.figure, set()).add(item.context)
    spans_of: dict[str, list[tuple[int, int]]] = {}
    excluded = _Trie()
    for token, token_contexts in contexts.items():
        cover = _Cover()
        for context in token_contexts:
            if context not in spans_of:
                spans_of[context] = all_spans(context, article)
            cover.add(spans_of[context])
        excluded.add(token, cover)
    return [
        figure
        for figure in figures_in(article)
        if not covered.holds(figure.start, figure.end)
        and not any(
            cover.holds(figure.start, figure.end) for cover in excluded.prefixes_of(figure.text)
        )
    ]


class _Trie:
    """Excluded figures by their text, asked which of them a figure's text starts with."""

    def __init__(self) -> None:
        self._root: dict[str, Any] = {}

    def add(self, token: str, cover: "_Cover") -> None:
        node = self._root
        for char in token:
            node = node.setdefault(char, {})
        node[""] = cover  # no character is "": the key marks where a token ends

    def prefixes_of(self, text: str) -> Iterator["_Cover"]:
        node = self._root
        if "" in node:
            yield node[""]
        for char in text:
            following = node.get(char)
            if following is None:
                return
            node = following
            if "" in node:
                yield node[""]


def unstructured_figures(store: "Store", article: str, document: str | None = None) -> list[Figure]:
    """Figures of a normalised document that no fact holds as a number and no excluded
    figure lists: what a script could not read without parsing the article's prose.

    A fact holds a figure that its quote prints when the figure is the fact's value, its
    usd_as_stated, its period's year, start_year or end_year, or the day of its period's
    date; a span of years ("1931-45") is held when both its years are. The document
    defaults to the store's primary (first) one.
    """
    document = document or next(iter(store.documents))
    quoted: list[tuple[int, int, frozenset[Decimal]]] = []
    for fact in store.facts.values():
        if fact.document == document:
            held = _numbers_held(fact)
            quoted += [(start, end, held) for start, end in all_spans(fact.quote, article)]
    excluded: dict[str, _Cover] = {}
    for item in store.excluded_figures:
        if item.document == document:
            excluded.setdefault(item.figure, _Cover()).add(all_spans(item.context, article))
    found = []
    for figure in figures_in(article):
        spans = year_spans(figure.text)
        wanted = {Decimal(year) for span in spans for year in span} or {figure.value}
        if any(
            start <= figure.start and figure.end <= end and wanted <= held
            for start, end, held in quoted
        ):
            continue
        if any(
            figure.text.startswith(token) and cover.holds(figure.start, figure.end)
            for token, cover in excluded.items()
        ):
            continue
        found.append(figure)
    return found


def _numbers_held(fact: "Fact") -> frozenset[Decimal]:
    """The numbers a fact holds in its fields: its value, dollars, years and date's day."""
    numbers: list[int | float] = []
    if not isinstance(fact.value, str):
        numbers.append(fact.value)
    if fact.usd_as_stated is not None:
        numbers.append(fact.usd_as_stated)
    period = fact.period
    if period is not None:
        numbers += [
            year for year in (period.year, period.start_year, period.end_year) if year is not None
        ]
        if period.date is not None:
            numbers.append(int(period.date[8:]))
    return frozenset(Decimal(str(number)) for number in numbers)


class _Cover:
    """Spans of text, asked whether one of them holds a given stretch: n log n, not n * m."""

    def __init__(self) -> None:
        self._spans: list[tuple[int, int]] = []
        self._starts: list[int] = []
        self._reach: list[int] = []  # the furthest end of the spans up to each one

    def add(self, spans: list[tuple[int, int]]) -> None:
        self._spans += spans
        self._starts = []

    def holds(self, start: int, end: int) -> bool:
        if not self._starts and self._spans:
            self._spans.sort()
            self._starts = [span[0] for span in self._spans]
            self._reach = list(accumulate((span[1] for span in self._spans), max))
        # Of the spans that start at or before `start`, the one reaching furthest decides.
        last = bisect_right(self._starts, start) - 1
        return last >= 0 and self._reach[last] >= end
