"""The command line: each command parses its arguments, queries, builds a view, emits it."""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Annotated, Any

import typer

from shanxi_cli import __version__
from shanxi_cli.completion import CompletingGroup
from shanxi_cli.emit import Environment, emit
from shanxi_cli.errors import NotFound, ShanxiError
from shanxi_cli.notes import note_match, show_command, with_hint
from shanxi_cli.options import (
    CompanyOption,
    FactIdArgument,
    FactsOption,
    FormatOption,
    JsonOption,
    LimitOption,
    Listing,
    MaxOption,
    MetricQueryArgument,
    MinOption,
    OrganisationArgument,
    OutputFormat,
    PeriodOption,
    PersonArgument,
    PlaceArgument,
    QuotesOption,
    SearchWordsArgument,
    SortOption,
    StatusOption,
    TownOption,
    output_format,
)
from shanxi_cli.store import Store, load_store, resolve_store_path

EXIT_CODES_HELP = """\b
Exit codes:
  0    found; or a valid query that matched nothing (an empty result, a note on stderr)
  1    a name that matches nothing (the message suggests the nearest names)
  2    usage error (bad option, empty or over-long query)
  3    ambiguous: several names match; the message lists them
  4    fact store missing or invalid (verify: a provenance problem)
  5    the output could not be written (a full disk, a closed stdout)
  130  interrupted (Ctrl-C)
"""

app = typer.Typer(
    name="shanxi",
    help=(
        "Look up the towns, companies, people and figures of a China Daily supplement about "
        "Shanxi province. Every fact carries the verbatim quote it comes from.\n\n"
        "Output: --format auto (a table on a terminal, plain text in a pipe), table, text, "
        "json (--json), jsonl or csv, the same on every command. Data goes to stdout, "
        "messages to stderr.\n\n" + EXIT_CODES_HELP
    ),
    add_completion=True,
    cls=CompletingGroup,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@cache
def _store(explicit: str | None) -> Store:
    return load_store(resolve_store_path(explicit))


def _environment(ctx: typer.Context) -> Environment:
    """The process's streams and terminal, or the one a test passes as the context's obj."""
    found = ctx.find_object(Environment)
    return found if found is not None else Environment.of_process()


@contextmanager
def _reporting_errors(env: Environment) -> Iterator[None]:
    """Turn a user-facing error into one line on stderr and its exit code."""
    try:
        yield
    except ShanxiError as error:
        env.say(f"error: {with_hint(error, error.message)}")
        raise typer.Exit(error.exit_code) from None


def _show_entity(
    ctx: typer.Context,
    category: str,
    words: list[str],
    facts: Any,
    fmt: OutputFormat,
    as_json: bool,
    quotes: bool,
) -> None:
    from shanxi_cli.documents import entity_doc
    from shanxi_cli.query import find_entity
    from shanxi_cli.views import EntityView

    chosen = output_format(fmt, as_json)
    env = _environment(ctx)
    with _reporting_errors(env):
        store = _store(str(facts) if facts else None)
        entity, match = find_entity(store, " ".join(words), category)
        view = EntityView(entity_doc(store, entity, match), quotes=quotes)
        note_match(env, match, f"{entity.name} ({entity.kind})")
        emit(view, chosen, env)


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


@app.command(short_help="Every fact of a metric across towns and companies.")
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
    """List every fact of one metric, across all towns and companies.

    With no QUERY, list the metrics and how many facts each has.

    \b
    Examples:
      shanxi metric
      shanxi metric jobs
      shanxi metric output value --min 1e9 --sort value --json
      shanxi metric exports --town Yuncheng --period "this year"
    """
    from shanxi_cli import query as q
    from shanxi_cli.documents import fact_docs
    from shanxi_cli.notes import explain_answer, no_answer
    from shanxi_cli.question import answer
    from shanxi_cli.views import FactsView

    chosen = output_format(fmt, as_json)
    narrowing = (town_name, company_name, minimum, maximum, period, status, sort, limit)
    env = _environment(ctx)
    with _reporting_errors(env):
        if town_name is not None and company_name is not None:
            raise ShanxiError("give --town or --company, not both")
        if not query and any(option is not None for option in narrowing):
            raise ShanxiError("the filters narrow a QUERY's facts; give a QUERY")
        store = _store(str(facts) if facts else None)
        if not query:
            emit(_vocabulary(store), chosen, env)
            return
        text = q.check_query(" ".join(query), "QUERY")
        within = None
        if town_name is not None or company_name is not None:
            category = "place" if town_name is not None else "organisation"
            within, within_match = q.find_entity(store, town_name or company_name or "", category)
            note_match(env, within_match, f"{within.name} ({within.kind})")
        keep = q.FactFilter(minimum, maximum, period, status.value if status else None)
        answered = answer(
            store, text, lambda f: keep.keeps(f) and (within is None or f.subject == within.id)
        )
        explain_answer(env, answered, text)
        if not answered.facts:
            unfiltered = answer(store, text) if keep != q.FactFilter() or within else answered
            if not unfiltered.facts:
                raise no_answer(answered, text)
            env.say(f"note: no facts answer {text!r} with these filters")
        chosen_facts = q.ordered(store, answered.facts, sort.value if sort else None, limit)
        view = FactsView(
            fact_docs(store, chosen_facts), quotes=quotes, grouped=len(answered.metrics) != 1
        )
        emit(view, chosen, env)


def _vocabulary(store: Store) -> Any:
    from shanxi_cli.documents import metric_doc
    from shanxi_cli.listing_views import VocabularyView

    return VocabularyView([metric_doc(store, m) for m in store.metrics.values()])


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
    from shanxi_cli.documents import search_hit_doc
    from shanxi_cli.listing_views import SearchView
    from shanxi_cli.query import listing
    from shanxi_cli.search import search as run_search

    chosen = output_format(fmt, as_json)
    env = _environment(ctx)
    with _reporting_errors(env):
        store = _store(str(facts) if facts else None)
        found = run_search(store, " ".join(text), limit)
        for reading in found.readings:
            env.say(f"note: read {reading.typed!r} as {reading.read_as!r}")
        if found.unmatched:
            raise NotFound(f"nothing in the article has {listing(map(repr, found.unmatched))}")
        if not found.hits:
            raise NotFound(f"nothing in the article has all of {' '.join(text)[:60]!r}")
        if found.total > len(found.hits):
            env.say(
                f"note: showing {len(found.hits)} of {found.total}; --limit {found.total} shows all"
            )
        hits = [search_hit_doc(hit, show_command(hit.kind, hit.id)) for hit in found.hits]
        emit(SearchView(hits), chosen, env)


@app.command(name="list", short_help="Browse every town, company, person or metric.")
def list_(
    ctx: typer.Context,
    what: Annotated[Listing, typer.Argument(help="What to list.", case_sensitive=False)],
    facts: FactsOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = OutputFormat.auto,
) -> None:
    """Browse: every town, company, person or metric, one a row.

    Piped as plain text, one name a line.

    \b
    Examples:
      shanxi list towns
      shanxi list companies --json
      shanxi list people | wc -l
    """
    from shanxi_cli.documents import listed_entity_doc
    from shanxi_cli.listing_views import EntityListView
    from shanxi_cli.query import list_entities

    chosen = output_format(fmt, as_json)
    env = _environment(ctx)
    with _reporting_errors(env):
        store = _store(str(facts) if facts else None)
        if what is Listing.metrics:
            view = _vocabulary(store)
        else:
            rows = [listed_entity_doc(store, e) for e in list_entities(store, what.value)]
            view = EntityListView(rows, what.value.capitalize())
        emit(view, chosen, env)


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
    from shanxi_cli.documents import source_doc
    from shanxi_cli.query import find_fact, locate_fact
    from shanxi_cli.report_views import SourceView

    chosen = output_format(fmt, as_json)
    env = _environment(ctx)
    with _reporting_errors(env):
        store = _store(str(facts) if facts else None)
        fact = find_fact(store, fact_id)
        site = locate_fact(store, fact, store.read_document(fact.document))
        emit(SourceView(source_doc(store, fact, site)), chosen, env)


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
    from shanxi_cli.provenance import verify_store
    from shanxi_cli.report_views import VerifyView

    chosen = output_format(fmt, as_json)
    env = _environment(ctx)
    with _reporting_errors(env):
        store = _store(str(facts) if facts else None)
        problems = verify_store(store)
        report = {
            "store": store.path,
            "documents": [document.file for document in store.documents.values()],
            "entity_count": len(store.entities),
            "fact_count": len(store.facts),
            "excluded_figure_count": len(store.excluded_figures),
            "problems": problems,
        }
        emit(VerifyView(report), chosen, env)
    if problems:
        raise typer.Exit(4)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"shanxi {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    pass
