"""Lookups by name and by id: the records a command asks for, found, filtered and ordered.

A query is checked before any matching (`check_query`); a name resolves to one entity
of a category or fails naming the nearest (`find_entity`: NotFound, Ambiguous,
WrongCategory); a fact is found by its id and its quote placed in its document
(`find_fact`, `locate_fact`); the `metric` command's facts are filtered and ordered
(`FactFilter`, `ordered`); a category is listed (`list_entities`). What comes back is
records (store/records.py): output/json_docs.py makes the documents of the JSON
contract from them, and answer/question.py reads a `metric` query as a question.
"""

from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple, TypeAlias

from shanxi_cli.errors import Ambiguous, NotFound, ShanxiError, StoreError, WrongCategory
from shanxi_cli.store.interface import Store
from shanxi_cli.store.records import Entity, Fact, Story
from shanxi_cli.text.escape import brief
from shanxi_cli.text.names import Match

if TYPE_CHECKING:
    from decimal import Decimal

    # A --min or --max: an int, or a Decimal when not integral; either compares with a
    # fact's int or float value exactly, as a float would not (10**18 + 1 is 10**18).
    Bound: TypeAlias = int | Decimal
else:
    Bound = object  # decimal is imported only when a bound is not an integer

MAX_QUERY_LENGTH = 200

NOUN_FOR_CATEGORY = {
    "place": "place",
    "organisation": "company or organisation",
    "person": "person",
}


def check_query(query: str, what: str) -> str:
    """Refuse queries no name could match, before any matching work."""
    if not query.strip():
        raise ShanxiError(f"{what} must not be empty")
    if len(query) > MAX_QUERY_LENGTH:
        raise ShanxiError(f"{what} is {len(query):,} characters long; at most {MAX_QUERY_LENGTH}")
    return query


def find_entity(store: Store, query: str, category: str) -> tuple[Entity, Match[Entity]]:
    """The one entity of a category the query names, or NotFound / Ambiguous saying why."""
    check_query(query, "NAME")
    match = store.match_name(query, {category})
    if match.item is not None:
        return match.item, match
    noun = NOUN_FOR_CATEGORY[category]
    if match.method == "ambiguous":
        listed = listing(f"{c.item.name} ({c.item.kind})" for c in match.candidates)
        plural = {"place": "places", "organisation": "companies or organisations"}.get(
            category, "people"
        )
        raise Ambiguous(f"{_shown(query)} could be several {plural}: {listed}; say which")
    elsewhere = _in_other_category(store, query, category)
    if elsewhere is not None:
        raise WrongCategory(
            f"{_shown(query)} is not a {noun}: {elsewhere.name} is a {elsewhere.kind}",
            elsewhere,
        )
    if match.candidates:
        names = listing((c.item.name for c in match.candidates), ", ")
        raise NotFound(f"no {noun} matches {_shown(query)}; did you mean: {names}?")
    raise NotFound(f"no {noun} matches {_shown(query)}")


def _in_other_category(store: Store, query: str, category: str) -> Entity | None:
    return store.match_name(query, set(NOUN_FOR_CATEGORY) - {category}).item


MAX_LISTED = 10


def listing(names: Iterable[str], separator: str = "; ") -> str:
    """Candidates as a message lists them: the first ten, then how many more."""
    names = list(names)
    shown = separator.join(names[:MAX_LISTED])
    more = len(names) - MAX_LISTED
    return f"{shown} \N{HORIZONTAL ELLIPSIS} and {more:,} more" if more > 0 else shown


def _shown(query: str) -> str:
    """The query as it appears in a message: shortened and quoted."""
    return repr(brief(query, 60))


class FactFilter(NamedTuple):
    """The `metric` command's filters; None means no filter."""

    minimum: Bound | None = None
    maximum: Bound | None = None
    period: str | None = None
    status: str | None = None

    def keeps(self, fact: Fact) -> bool:
        if self.minimum is not None or self.maximum is not None:
            if isinstance(fact.value, str):
                return False
            # A bound counts on its own side: "more than 50,000" is not at most 50,000,
            # "up to 266,200" is not at least 266,200.
            above = fact.qualifier in ("more than", "plus")
            below = fact.qualifier in ("up to", "less than")
            low = self.minimum
            if low is not None and (fact.value < low or (below and fact.value <= low)):
                return False
            high = self.maximum
            if high is not None and (fact.value > high or (above and fact.value >= high)):
                return False
        if self.status is not None and fact.status != self.status:
            return False
        return self.period is None or _period_matches(self.period, fact)


def _period_matches(wanted: str, fact: Fact) -> bool:
    """A year asks for the period's year (stated or inferred) or a span of years holding
    it ("1940" is in "(1931-45)"); other words match its text."""
    period = fact.period
    if period is None:
        return False
    wanted = wanted.strip()
    if len(wanted) == 4 and wanted.isdigit() and wanted.isascii():
        year = int(wanted)
        start, end = period.start_year, period.end_year
        spanned = (start is not None or end is not None) and (start or year) <= year <= (
            end or year
        )
        return period.year == year or spanned or wanted in period.as_stated
    words = f"{period.as_stated} {period.reading or ''}"
    return wanted.casefold() in words.casefold()


def ordered(
    store: Store, facts: list[Fact], sort: str | None = None, limit: int | None = None
) -> list[Fact]:
    """Facts sorted and cut as asked; in the order given otherwise."""
    facts = list(facts)
    if sort == "value":
        # Figures first, unit by unit (yuan are not tons), largest first; claims after
        # them, alphabetically.
        facts.sort(
            key=lambda f: (
                (1, "", 0.0, f.value)
                if isinstance(f.value, str)
                else (0, f.unit or "", -f.value, "")
            )
        )
    elif sort == "subject":
        facts.sort(key=lambda f: store.entities[f.subject].name.casefold())
    elif sort == "metric":
        facts.sort(key=lambda f: store.metrics[f.metric].name.casefold())
    return facts[:limit] if limit is not None else facts


def find_fact(store: Store, fact_id: str) -> Fact:
    """A fact by its exact id; a miss suggests the nearest ids, it never picks one."""
    check_query(fact_id, "FACT_ID")
    wanted = fact_id.strip().casefold()
    if wanted in store.facts:
        return store.facts[wanted]
    from rapidfuzz import fuzz, process

    near = process.extract(wanted, list(store.facts), scorer=fuzz.ratio, limit=3, score_cutoff=60)
    if near:
        raise NotFound(
            f"no fact has the id {_shown(fact_id)}; did you mean: {', '.join(n[0] for n in near)}?"
        )
    raise NotFound(f"no fact has the id {_shown(fact_id)}")


class QuoteSite(NamedTuple):
    """Where a fact's quote stands: its story and the paragraphs it spans."""

    story: Story | None
    paragraphs: list[tuple[str, list[tuple[int, int]]]]  # text, highlighted spans in it


def locate_fact(store: Store, fact: Fact, article_text: str) -> QuoteSite:
    """The paragraphs of the article the fact's quote stands in, and its story."""
    from shanxi_cli.store.article_text import locate_quote, normalise_article, paragraphs
    from shanxi_cli.store.per_store import per_store

    # The article normalised and cut into paragraphs, once per store and article.
    article, article_paragraphs = per_store(
        store,
        ("article", article_text),
        lambda: (normalise_article(article_text), paragraphs(article_text)),
    )
    spans = locate_quote(fact.quote, article)
    if spans is None:
        raise StoreError(f"the quote of {fact.id} is not in its document {fact.document!r}")
    shown = []
    for paragraph in article_paragraphs:
        marks = [
            (
                max(start, paragraph.start) - paragraph.start,
                min(end, paragraph.end) - paragraph.start,
            )
            for start, end in spans
            if start < paragraph.end and end > paragraph.start
        ]
        if marks:
            shown.append((paragraph.text, marks))
    # The story is the last of the document's whose headline comes before the quote.
    stories = [story for story in store.stories if story.document == fact.document]
    starts = {story.id: article.find(story.headline) for story in stories}
    before = [story for story in stories if 0 <= starts[story.id] <= spans[0][0]]
    story = max(before, key=lambda candidate: starts[candidate.id], default=None)
    return QuoteSite(story, shown)


LISTABLE = {"towns": "place", "companies": "organisation", "people": "person"}


def list_entities(store: Store, what: str) -> list[Entity]:
    """One category of entities, by name."""
    return sorted(store.of_category(LISTABLE[what]), key=lambda e: (e.name.casefold(), e.id))
