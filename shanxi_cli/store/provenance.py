"""Where a fact comes from, checked: every quote found in its document, every figure a
fact states printed in its quote with the bound its words state, every figure of the
article accounted for, units and periods consistent (`verify_store`).
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

from shanxi_cli.store.article_figures import (
    figure_in_quote,
    figures_in,
    stated_bound,
    uncovered_figures,
)
from shanxi_cli.store.article_text import STATED_YEAR, locate_quote, normalise_article, year_spans

if TYPE_CHECKING:
    from shanxi_cli.store.interface import Store
    from shanxi_cli.store.records import Period


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

    # A quote is looked for once per document however many records repeat it: a store
    # of thousands of facts quoting one phrase costs one search, not thousands.
    located: dict[tuple[str, str], bool] = {}

    def check(quote: str, document: str, where: str) -> None:
        key = (quote, document)
        found = located.get(key)
        if found is None:
            found = located[key] = locate_quote(quote, articles[document]) is not None
        if not found:
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
def period_problems(period: "Period") -> list[str]:
    """A year the words state must be the period's year; any other year must be inferred.
    A span of years the words print is the period's start_year and end_year."""
    problems = _span_problems(period)
    stated = {int(year) for year in STATED_YEAR.findall(period.as_stated)}
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
    stated = {int(year) for year in STATED_YEAR.findall(period.as_stated)}
    return [
        f"{name} {year} is not in the words {period.as_stated!r}"
        for name, year in zip(("start_year", "end_year"), held, strict=True)
        if year is not None and year not in stated
    ]
