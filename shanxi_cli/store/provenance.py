"""Where a fact comes from: the one normalisation of the article, quote lookup and figure parsing.

The article is markdown-flavoured text laid out as a printed page. Quotes are checked
against it after exactly one normalisation (see `normalise_article`), so that `\\$`,
`*baijiu*` and the blank lines of page breaks never decide whether a quote is found.
"""

import re
from bisect import bisect_right
from collections.abc import Mapping
from decimal import Decimal
from itertools import accumulate
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from shanxi_cli.store.interface import Store
    from shanxi_cli.store.records import Fact, Period

FRAGMENT_SEPARATOR = " … "

_ESCAPED_PUNCTUATION = re.compile(r"\\([^\w\s])")
_EMPHASIS = re.compile(r"\*")
_WHITESPACE = re.compile(r"\s+")


def normalise_article(text: str) -> str:
    """Drop markdown escapes and emphasis, and fold every whitespace run into one space."""
    text = _ESCAPED_PUNCTUATION.sub(r"\1", text)
    text = _EMPHASIS.sub("", text)
    return _WHITESPACE.sub(" ", text).strip()


def quote_fragments(quote: str) -> list[str]:
    return quote.split(FRAGMENT_SEPARATOR)


def locate_quote(quote: str, article: str) -> list[tuple[int, int]] | None:
    """Spans of the quote's fragments in the normalised article, in order; None if absent.

    The earliest placement is returned, each fragment searched after the previous one.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for fragment in quote_fragments(quote):
        if not fragment.strip():
            return None
        at = article.find(fragment, start)
        if at < 0:
            return None
        spans.append((at, at + len(fragment)))
        start = at + len(fragment)
    return spans


def all_spans(quote: str, article: str) -> list[tuple[int, int]]:
    """Every span any fragment of the quote covers, wherever it occurs in the article."""
    spans = []
    for fragment in quote_fragments(quote):
        if not fragment:
            continue
        at = article.find(fragment)
        while at >= 0:
            spans.append((at, at + len(fragment)))
            at = article.find(fragment, at + 1)
    return spans


_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


class Paragraph(NamedTuple):
    """A paragraph of the article, normalised, and where it starts in the normalised article."""

    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def paragraphs(article_text: str) -> list[Paragraph]:
    """The article's paragraphs (blank-line separated), each normalised as `normalise_article`.

    Joined by single spaces they are exactly the normalised article, so a quote's spans
    map onto paragraphs without a second definition of normalisation.
    """
    found = []
    start = 0
    for raw in _PARAGRAPH_BREAK.split(article_text):
        text = normalise_article(raw)
        if text:
            found.append(Paragraph(text, start))
            start += len(text) + 1
    return found


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


def verify_store(store: "Store", article_text: str | None = None) -> list[str]:
    """Every provenance problem of a store against its documents; an empty list means sound.

    `article_text`, when given, stands for the primary document (the first); every other
    document is read from the store's folder.
    """
    primary = next(iter(store.documents))
    texts = {
        document: article_text
        if article_text is not None and document == primary
        else store.read_document(document)
        for document in store.documents
    }
    return verify_documents(store, texts)


def verify_documents(store: "Store", texts: Mapping[str, str]) -> list[str]:
    """Every provenance problem of a store against the given text of each document.

    Checks: every quote is in its own record's document; every numeric value and stated
    dollar figure is printed in its own quote, with the bound (qualifier) its wording
    states, and its unit words too; the facts of one metric share one unit; a period's
    year is the year its words state, or is marked inferred; every figure each document
    prints is inside some fact's quote or listed as excluded.
    """
    articles = {document: normalise_article(text) for document, text in texts.items()}
    problems: list[str] = []

    def check(quote: str, document: str, where: str) -> None:
        if locate_quote(quote, articles[document]) is None:
            problems.append(f"{where}: quote not found in the document {document!r}: {quote!r}")

    for index, story in enumerate(store.stories):
        check(story.headline, story.document, f"stories[{index}].headline")
        if story.deck is not None:
            check(story.deck, story.document, f"stories[{index}].deck")
        check(story.byline, story.document, f"stories[{index}].byline")
    for index, entity in enumerate(store.entities.values()):
        at = f"entities[{index}] ({entity.id})"
        check(entity.quote, entity.document, f"{at}.quote")
        if entity.located_in:
            check(entity.located_in.quote, entity.document, f"{at}.located_in.quote")
        for position, item in enumerate(entity.known_for):
            check(item.quote, entity.document, f"{at}.known_for[{position}].quote")
        if entity.role:
            check(entity.role.quote, entity.document, f"{at}.role.quote")
    for index, fact in enumerate(store.facts.values()):
        at = f"facts[{index}] ({fact.id})"
        check(fact.quote, fact.document, f"{at}.quote")
        problems += _figure_problems(fact.quote, fact.value, fact.qualifier, f"{at}.value")
        if fact.usd_as_stated is not None and not figure_in_quote(fact.usd_as_stated, fact.quote):
            problems.append(f"{at}.usd_as_stated: {fact.usd_as_stated} is not printed in its quote")
        if fact.unit_as_stated is not None and fact.unit_as_stated not in fact.quote:
            problems.append(f"{at}.unit_as_stated: {fact.unit_as_stated!r} is not in its quote")
        if fact.period is not None:
            problems += [f"{at}.period: {problem}" for problem in period_problems(fact.period)]
    problems += unit_problems(store)
    for index, excluded in enumerate(store.excluded_figures):
        at = f"excluded_figures[{index}]"
        check(excluded.context, excluded.document, f"{at}.context")
        if excluded.figure not in excluded.context:
            problems.append(f"{at}.figure: {excluded.figure!r} is not in its context")
    for document, article in articles.items():
        problems += [
            f"document {document!r}: figure {figure.text!r} at character {figure.start} "
            f"({article[max(0, figure.start - 30) : figure.end + 30]!r}) is in no fact's quote "
            "and not in excluded_figures"
            for figure in uncovered_figures(store, article, document)
        ]
    return problems


def unit_problems(store: "Store") -> list[str]:
    """Metrics whose figures do not share one unit: they could not be compared or summed."""
    problems = []
    for metric, facts in store.facts_by_metric.items():
        units: dict[str, list[str]] = {}
        for fact in facts:
            if fact.unit is not None:
                units.setdefault(fact.unit, []).append(fact.id)
        if len(units) > 1:
            listed = "; ".join(f"{unit} ({', '.join(ids)})" for unit, ids in units.items())
            problems.append(f"metric {metric!r}: its facts mix units: {listed}")
    return problems


# A year printed alone ("in 2022"); one inside a span ("1931-45", "1368-1644") is not the
# year of the period, so it does not count.
_STATED_YEAR = re.compile(r"(?<![\d-])(1[0-9]{3}|20[0-9]{2})(?![\d-])")
# A span of years as printed: "1368-1644", or "1931-45" with the century left out.
_YEAR_SPAN = re.compile(r"(?<![\d-])(1[0-9]{3}|20[0-9]{2})-([0-9]{4}|[0-9]{2})(?![\d-])")


def year_spans(text: str) -> list[tuple[int, int]]:
    """Every span of years the text prints, each as its first and last year: "1931-45" is
    (1931, 1945); an end of two digits takes the start's century, or the next one."""
    spans = []
    for start_text, end_text in _YEAR_SPAN.findall(text):
        start = int(start_text)
        end = int(end_text)
        if len(end_text) == 2:
            end += start - start % 100
            if end < start:
                end += 100
        spans.append((start, end))
    return spans


def period_problems(period: "Period") -> list[str]:
    """A year the words state must be the period's year; any other year must be inferred.
    A span of years the words print is the period's start_year and end_year."""
    problems = _span_problems(period)
    stated = {int(year) for year in _STATED_YEAR.findall(period.as_stated)}
    spanned = {period.start_year, period.end_year}
    if stated and period.year not in stated and not stated <= spanned:
        problems.append(f"the words state {sorted(stated)} but year is {period.year}")
    elif period.year is not None and not stated and not period.inferred:
        problems.append(
            f"year {period.year} is not in the words {period.as_stated!r}: mark it inferred"
        )
    elif period.inferred and period.year in stated:
        problems.append(f"year {period.year} is stated, not inferred")
    return problems


def _span_problems(period: "Period") -> list[str]:
    """The span the words print, first year of the first span to last of the last ("the
    Ming (1368-1644) and Qing (1644-1911)" is 1368 to 1911), is start_year and end_year;
    without a printed span, each of them is a year the words state."""
    held = (period.start_year, period.end_year)
    spans = year_spans(period.as_stated)
    if spans:
        printed = (spans[0][0], spans[-1][1])
        if held != printed:
            return [
                f"the words print the years {printed[0]} to {printed[1]} but start_year and "
                f"end_year are {held[0]} and {held[1]}"
            ]
        return []
    stated = {int(year) for year in _STATED_YEAR.findall(period.as_stated)}
    return [
        f"{name} {year} is not in the words {period.as_stated!r}"
        for name, year in zip(("start_year", "end_year"), held, strict=True)
        if year is not None and year not in stated
    ]


def _figure_problems(quote: str, value: object, qualifier: str, where: str) -> list[str]:
    if isinstance(value, str) or not isinstance(value, (int, float)):
        return []
    wanted = Decimal(str(value))
    printed = [figure for figure in figures_in(quote) if figure.value == wanted]
    if not printed:
        return [f"{where}: {value} is not printed in its quote"]
    bounds = {stated_bound(quote, figure) for figure in printed}
    if qualifier not in bounds:
        return [f"{where}: qualifier {qualifier!r} but the quote's wording says {sorted(bounds)}"]
    return []


def uncovered_figures(store: "Store", article: str, document: str | None = None) -> list[Figure]:
    """Figures of a normalised document inside no fact quote and no excluded context.

    The document defaults to the store's primary (first) one.
    """
    document = document or next(iter(store.documents))
    covered = _Cover()
    for fact in store.facts.values():
        if fact.document == document:
            covered.add(all_spans(fact.quote, article))
    excluded: dict[str, _Cover] = {}
    for item in store.excluded_figures:
        if item.document == document:
            excluded.setdefault(item.figure, _Cover()).add(all_spans(item.context, article))
    return [
        figure
        for figure in figures_in(article)
        if not covered.holds(figure.start, figure.end)
        and not any(
            figure.text.startswith(token) and cover.holds(figure.start, figure.end)
            for token, cover in excluded.items()
        )
    ]


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
