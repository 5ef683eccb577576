"""Commands that look a thing up by name or id: town, company, person, list, source, verify."""

import shlex
from typing import Any

import typer

from shanxi_cli.cli.app import app, running
from shanxi_cli.cli.messages import note_match
from shanxi_cli.cli.options import (
    CompanyOption,
    FactIdArgument,
    FactsOption,
    FormatOption,
    JsonOption,
    LimitOption,
    Listing,
    ListingArgument,
    MaxOption,
    MinOption,
    OrganisationArgument,
    OutputFormat,
    PeriodOption,
    PersonArgument,
    PlaceArgument,
    QuotesOption,
    SortOption,
    StatusOption,
    TownOption,
)
from shanxi_cli.errors import ExitCode, NotFound, ShanxiError


def _show_entity(
    ctx: typer.Context,
    category: str,
    words: list[str],
    facts: Any,
    fmt: OutputFormat,
    as_json: bool,
    quotes: bool,
) -> None:
    from shanxi_cli.answer.lookup import find_entity
    from shanxi_cli.output.json_docs import entity_doc
    from shanxi_cli.output.views import EntityView

    with running(ctx, facts, fmt, as_json) as run:
        store, env = run.store, run.env
        entity, match = find_entity(store, " ".join(words), category)
        view = EntityView(entity_doc(store, entity, match), quotes=quotes)
        note_match(env, match, f"{entity.name} ({entity.kind})")
        run.show(view)


@app.command(short_help="A place: where it lies, what it is known for, its facts.")
def town(
    ctx: typer.Context,
    name: PlaceArgument,
    facts: FactsOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = OutputFormat.auto,
    quotes: QuotesOption = False,
) -> None:
    """Show a place: where it lies, what it is known for, its companies, people and facts.

    \b
    Examples:
      shanxi town Xinghuacun
      shanxi town dingxiang county --json
    """
    _show_entity(ctx, "place", name, facts, fmt, as_json, quotes)


@app.command(short_help="A company or organisation: where it is, what it makes, its facts.")
def company(
    ctx: typer.Context,
    name: OrganisationArgument,
    facts: FactsOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = OutputFormat.auto,
    quotes: QuotesOption = False,
) -> None:
    """Show a company or organisation: where it is, what it makes, its people and facts.

    \b
    Examples:
      shanxi company fenjiu
      shanxi company Yinsheng Technology --quotes
    """
    _show_entity(ctx, "organisation", name, facts, fmt, as_json, quotes)


@app.command(short_help="A person: role, organisation and what they said.")
def person(
    ctx: typer.Context,
    name: PersonArgument,
    facts: FactsOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = OutputFormat.auto,
    quotes: QuotesOption = False,
) -> None:
    """Show a person: role, organisation, place, and what the article quotes them saying.

    \b
    Examples:
      shanxi person Bai Feng
      shanxi person ma yunxia --quotes
    """
    _show_entity(ctx, "person", name, facts, fmt, as_json, quotes)


@app.command(name="list", short_help="Browse every town, company, person, metric or fact.")
def list_(
    ctx: typer.Context,
    what: ListingArgument,
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
    """Browse: every place, organisation, person, metric or fact, one a row.

    Piped as plain text, one name a line (facts: one a tab-separated line). `list facts`
    takes the filters `metric` takes (--town, --company, --min, --max, --period,
    --status, --sort, --limit) and --quotes.

    \b
    Examples:
      shanxi list towns
      shanxi list companies --json
      shanxi list people | wc -l
      shanxi list facts --town Lingqiu --sort value
      shanxi list fact --status expected --format csv
    """
    from shanxi_cli.answer import lookup as q
    from shanxi_cli.output.json_docs import fact_docs, listed_entity_doc, metric_docs
    from shanxi_cli.output.listing_views import LISTING_TITLES, EntityListView, VocabularyView
    from shanxi_cli.output.views import FactsView

    narrowing = (town_name, company_name, minimum, maximum, period, status, sort, limit)
    with running(ctx, facts, fmt, as_json) as run:
        store, env = run.store, run.env
        if what is not Listing.facts and (quotes or any(o is not None for o in narrowing)):
            raise ShanxiError("the filters and --quotes are for `list facts`")
        if what is Listing.metrics:
            run.show(VocabularyView(metric_docs(store)))
            return
        if what is not Listing.facts:
            rows = [listed_entity_doc(store, e) for e in q.list_entities(store, what.value)]
            run.show(EntityListView(rows, LISTING_TITLES[what.value]))
            return
        if town_name is not None and company_name is not None:
            raise ShanxiError("give --town or --company, not both")
        within = None
        if town_name is not None or company_name is not None:
            category = "place" if town_name is not None else "organisation"
            within, within_match = q.find_entity(store, town_name or company_name or "", category)
            note_match(env, within_match, f"{within.name} ({within.kind})")
        keep = q.FactFilter(minimum, maximum, period, status.value if status else None)
        kept = [
            fact
            for fact in store.facts.values()
            if keep.keeps(fact) and (within is None or fact.subject == within.id)
        ]
        shown = q.ordered(store, kept, sort.value if sort else None, limit)
        if len(shown) < len(kept):
            env.say(f"note: showing {len(shown)} of {len(kept)}; --limit {len(kept)} shows all")
        run.show(FactsView(fact_docs(store, shown), quotes=quotes, heading="Facts"))


@app.command(short_help="Where a fact comes from: its quote inside its paragraph.")
def source(
    ctx: typer.Context,
    fact_id: FactIdArgument,
    facts: FactsOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = OutputFormat.auto,
) -> None:
    """Show where a fact comes from: its quote inside its paragraph, with the story's headline.

    \b
    Examples:
      shanxi source xinghuacun.jobs
      shanxi source qiangwei.output-value --json
    """
    from shanxi_cli.answer.lookup import find_fact, locate_fact
    from shanxi_cli.output.json_docs import source_doc
    from shanxi_cli.output.report_views import SourceView

    with running(ctx, facts, fmt, as_json) as run:
        store = run.store
        try:
            fact = find_fact(store, fact_id)
        except NotFound as error:
            raise NotFound(error.message + _other_command(store, fact_id)) from None
        site = locate_fact(store, fact, store.read_document(fact.document))
        run.show(SourceView(source_doc(store, fact, site)))


def _other_command(store: Any, word: str) -> str:
    """Where a metric's or an entity's id given to `source` is shown: "; try: ..."."""
    from shanxi_cli.cli.messages import COMMAND_FOR_CATEGORY

    wanted = word.strip().casefold()
    if wanted in store.metrics:
        return f"; {wanted} is a metric: try: shanxi metric {shlex.quote(wanted)}"
    entity = store.entities.get(wanted)
    if entity is not None:
        command = COMMAND_FOR_CATEGORY[entity.category]
        return f"; {wanted} is a {entity.kind}: try: shanxi {command} {shlex.quote(wanted)}"
    return ""


@app.command(short_help="Check a fact store against its article.")
def verify(
    ctx: typer.Context,
    facts: FactsOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = OutputFormat.auto,
) -> None:
    """Check a fact store against its article: every quote found, every figure accounted for.

    The same checks the bundled store passes in the tests. Exit 0 when sound, 4 otherwise.

    \b
    Examples:
      shanxi verify
      shanxi verify --json
    """
    from shanxi_cli.output.json_docs import verify_doc
    from shanxi_cli.output.report_views import VerifyView
    from shanxi_cli.store.provenance import verify_store

    # verify always checks the JSON itself, never an index of it.
    with running(ctx, facts, fmt, as_json, indexed=False) as run:
        store = run.store
        problems = verify_store(store)
        run.show(VerifyView(verify_doc(store, problems)))
    if problems:
        raise typer.Exit(ExitCode.STORE)
