"""Commands that answer words: metric (a question in a reader's words) and search."""

from typing import TYPE_CHECKING, Annotated

import typer

from shanxi_cli.cli.app import app, running
from shanxi_cli.cli.messages import note_match, show_command
from shanxi_cli.cli.options import (
    CompanyOption,
    FactsOption,
    FormatOption,
    JsonOption,
    LimitOption,
    MaxOption,
    MetricQueryArgument,
    MinOption,
    OutputFormat,
    PeriodOption,
    QuotesOption,
    SearchWordsArgument,
    SortOption,
    StatusOption,
    TownOption,
)
from shanxi_cli.errors import NotFound, ShanxiError

if TYPE_CHECKING:
    from shanxi_cli.store.records import Fact


@app.command(short_help="The facts that answer a question: a metric, a subject, any words.")
def metric(
    ctx: typer.Context,
    query: MetricQueryArgument = None,
    town_name: TownOption = None,
    company_name: CompanyOption = None,
    minimum: MinOption = None,
    maximum: MaxOption = None,
    period: PeriodOption = None,
    status: StatusOption = None,
    sort: SortOption = None,
    limit: LimitOption = None,
    facts: FactsOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = OutputFormat.auto,
    quotes: QuotesOption = False,
) -> None:
    """Answer a question in a reader's words: the facts of the metrics, subjects and other
    words it names, in any order, grouped by metric. stderr says how it was read.

    With no QUESTION, list the metrics and how many facts each has.

    \b
    Examples:
      shanxi metric
      shanxi metric jobs
      shanxi metric Yuncheng exports
      shanxi metric output value --min 1e9 --sort value --json
      shanxi metric exports --town Yuncheng --period "this year"
    """
    from shanxi_cli.answer import lookup as q
    from shanxi_cli.answer.question import answer
    from shanxi_cli.cli.messages import explain_answer, no_answer
    from shanxi_cli.output.json_docs import fact_docs, metric_docs
    from shanxi_cli.output.listing_views import VocabularyView
    from shanxi_cli.output.views import FactsView

    narrowing = (town_name, company_name, minimum, maximum, period, status, sort, limit)
    with running(ctx, facts, fmt, as_json) as run:
        store, env = run.store, run.env
        if town_name is not None and company_name is not None:
            raise ShanxiError("give --town or --company, not both")
        if not query and any(option is not None for option in narrowing):
            raise ShanxiError("the filters narrow a QUESTION's facts; give a QUESTION")
        if not query:
            run.show(VocabularyView(metric_docs(store)))
            return
        text = q.check_query(" ".join(query), "QUESTION")
        within = None
        if town_name is not None or company_name is not None:
            category = "place" if town_name is not None else "organisation"
            within, within_match = q.find_entity(store, town_name or company_name or "", category)
            note_match(env, within_match, f"{within.name} ({within.kind})")
        filters = q.FactFilter(minimum, maximum, period, status.value if status else None)

        def keep(fact: "Fact") -> bool:
            return filters.keeps(fact) and (within is None or fact.subject == within.id)

        # Unfiltered, no fact need be read to be kept: only the answer's are decoded.
        filtered = filters != q.FactFilter() or within is not None
        answered = answer(store, text, keep if filtered else None)
        explain_answer(env, answered, text)
        if not answered.facts:
            if not filtered or not answer(store, text).facts:
                raise no_answer(answered, text)
            env.say(f"note: no facts answer {text!r} with these filters")
        shown = q.ordered(store, answered.facts, sort.value if sort else None, limit)
        if len(shown) < len(answered.facts):
            total = len(answered.facts)
            env.say(f"note: showing {len(shown)} of {total}; --limit {total} shows all")
        view = FactsView(fact_docs(store, shown), quotes=quotes, grouped=len(answered.metrics) != 1)
        run.show(view)


@app.command(short_help="Search names, metrics, claims and quotes, ranked.")
def search(
    ctx: typer.Context,
    text: SearchWordsArgument,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many results.")] = 20,
    facts: FactsOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = OutputFormat.auto,
) -> None:
    """Search everything: names, aliases, metrics, claims and quotes, ranked.

    Each result says what kind of thing it is and which command shows it.

    \b
    Examples:
      shanxi search buckwheat
      shanxi search flange --json
    """
    from shanxi_cli.answer.lookup import listing
    from shanxi_cli.answer.search import search as run_search
    from shanxi_cli.output.json_docs import search_hit_doc
    from shanxi_cli.output.listing_views import SearchView

    with running(ctx, facts, fmt, as_json) as run:
        store, env = run.store, run.env
        found = run_search(store, " ".join(text), limit)
        for reading in found.readings:
            env.say(f"note: read {reading.typed!r} as {reading.read_as!r}")
        if found.unmatched and not found.hits:
            raise NotFound(f"nothing in the article has {listing(map(repr, found.unmatched))}")
        if found.unmatched:
            words = listing(map(repr, found.unmatched))
            env.say(f"note: nothing in the article has {words}; searched the other words")
        if not found.hits:
            raise NotFound(f"nothing in the article has all of {' '.join(text)[:60]!r}")
        if found.total > len(found.hits):
            env.say(
                f"note: showing {len(found.hits)} of {found.total}; --limit {found.total} shows all"
            )
        hits = [search_hit_doc(store, hit, show_command(hit.kind, hit.id)) for hit in found.hits]
        run.show(SearchView(hits))
