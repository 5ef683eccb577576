"""The command line: parse arguments, call one query, hand the result to one renderer."""

import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer

from shanxi_cli import __version__
from shanxi_cli.errors import ExitCode, NotFound, ShanxiError
from shanxi_cli.store import STORE_ENV_VAR, Store, load_store, resolve_store_path

if TYPE_CHECKING:
    from rich.console import RenderableType

    from shanxi_cli.matching import Match
    from shanxi_cli.question import Answer

COMPLETION_VAR = "_SHANXI_COMPLETE"  # click's _{PROG_NAME}_COMPLETE

EXIT_CODES_HELP = """\b
Exit codes:
  0  found
  1  nothing found (the message suggests the nearest names)
  2  usage error (bad option, empty or over-long query)
  3  ambiguous: several names match; the message lists them
  4  fact store missing or invalid (verify: a provenance problem)
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
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class OutputFormat(StrEnum):
    auto = "auto"
    table = "table"
    text = "text"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


class Listing(StrEnum):
    towns = "towns"
    companies = "companies"
    people = "people"
    metrics = "metrics"


class SortKey(StrEnum):
    value = "value"
    subject = "subject"
    metric = "metric"


class Status(StrEnum):  # the store's STATUSES; a test keeps the two the same
    reported = "reported"
    expected = "expected"
    target = "target"
    pledge = "pledge"


@cache
def _store(explicit: str | None) -> Store:
    return load_store(resolve_store_path(explicit))


# --- shell completion: names from the store the command would read ---


def _completions(texts: Callable[[Store], Iterable[Sequence[str]]], incomplete: str) -> list[str]:
    from shanxi_cli.matching import completions

    try:
        store = _store(None)
    except ShanxiError:
        return []
    return completions(texts(store), incomplete)


def _complete_category(category: str) -> Callable[[str], list[str]]:
    def complete(incomplete: str) -> list[str]:
        return _completions(
            lambda store: [(e.name, *e.aliases) for e in store.of_category(category)], incomplete
        )

    return complete


def _complete_metrics(incomplete: str) -> list[str]:
    return _completions(
        lambda store: [(m.name, *m.aliases) for m in store.metrics.values()], incomplete
    )


def _complete_fact_ids(incomplete: str) -> list[str]:
    return _completions(lambda store: [(fact_id,) for fact_id in store.facts], incomplete)


# --- options shared by every command, so they mean the same everywhere ---

FactsOption = Annotated[
    Path | None,
    typer.Option(
        "--facts",
        help=f"Read this fact store instead of the bundled one (also ${STORE_ENV_VAR}).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Same as --format json.")]
FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        help="auto: a table on a terminal, plain text in a pipe. jsonl and csv: one record a line.",
        case_sensitive=False,
    ),
]
QuotesOption = Annotated[
    bool, typer.Option("--quotes", help="Show each fact's verbatim quote from the article.")
]


def _name_argument(help_text: str, category: str) -> Any:
    return typer.Argument(
        help=help_text, autocompletion=_complete_category(category), show_default=False
    )


def _chosen_format(output_format: OutputFormat, as_json: bool) -> OutputFormat:
    if as_json:
        return OutputFormat.json
    if output_format is OutputFormat.auto:
        return OutputFormat.table if sys.stdout.isatty() else OutputFormat.text
    return output_format


def _emit(
    chosen: OutputFormat,
    *,
    document: Any,
    rows: Callable[[], list[dict[str, Any]]],
    text: Callable[[TextIO], None],
    table: Callable[[], list["RenderableType"]],
) -> None:
    """Print one result in the chosen format: the one place output formats are decided."""
    from shanxi_cli import render

    if chosen is OutputFormat.json:
        render.write_json(document, sys.stdout)
    elif chosen is OutputFormat.jsonl:
        render.write_jsonl(rows(), sys.stdout)
    elif chosen is OutputFormat.csv:
        render.write_csv(rows(), sys.stdout)
    elif chosen is OutputFormat.text:
        text(sys.stdout)
    else:
        from shanxi_cli import tables

        tables.show(table())


@contextmanager
def _reporting_errors() -> Iterator[None]:
    """Turn a user-facing error into one line on stderr and its exit code."""
    try:
        yield
    except ShanxiError as error:
        _say(f"error: {error.message}")
        raise typer.Exit(error.exit_code) from None


def _say(message: str) -> None:
    from shanxi_cli.render import visible

    typer.echo(f"shanxi: {visible(message)}", err=True)


def _note_match(match: "Match[Any]", what: str) -> None:
    """Say on stderr which entry a non-exact query resolved to."""
    if match.method != "exact":
        _say(f"note: {match.query!r} matched {what} ({match.method}, score {match.score:.0f})")


def _show_entity(
    category: str,
    name: str,
    facts_path: Path | None,
    output_format: OutputFormat,
    as_json: bool,
    quotes: bool,
) -> None:
    from shanxi_cli import query, render

    chosen = _chosen_format(output_format, as_json)
    with _reporting_errors():
        store = _store(str(facts_path) if facts_path else None)
        entity, match = query.find_entity(store, name, category)
        record = query.entity_record(store, entity, match)
    _note_match(match, f"{entity.name} ({entity.kind})")

    def table() -> list["RenderableType"]:
        from shanxi_cli import tables

        return tables.entity_view(record, with_quote=quotes)

    _emit(
        chosen,
        document=record,
        rows=lambda: render.entity_fact_rows(record),
        text=lambda out: render.write_entity_text(record, out, with_quote=quotes),
        table=table,
    )


@app.command()
def town(
    name: Annotated[
        str,
        _name_argument(
            "A place: province, city, county, district, township, village or group of towns.",
            "place",
        ),
    ],
    facts: FactsOption = None,
    as_json: JsonOption = False,
    output_format: FormatOption = OutputFormat.auto,
    quotes: QuotesOption = False,
) -> None:
    """Show a place: where it lies, what it is known for, its companies, people and facts.

    \b
    Examples:
      shanxi town Xinghuacun
      shanxi town "dingxiang county" --json
    """
    _show_entity("place", name, facts, output_format, as_json, quotes)


@app.command()
def company(
    name: Annotated[
        str,
        _name_argument(
            "A company or organisation, government bodies and the customs house included.",
            "organisation",
        ),
    ],
    facts: FactsOption = None,
    as_json: JsonOption = False,
    output_format: FormatOption = OutputFormat.auto,
    quotes: QuotesOption = False,
) -> None:
    """Show a company or organisation: where it is, what it makes, its people and facts.

    \b
    Examples:
      shanxi company fenjiu
      shanxi company "Yinsheng Technology" --quotes
    """
    _show_entity("organisation", name, facts, output_format, as_json, quotes)


@app.command()
def person(
    name: Annotated[str, _name_argument("A person the article quotes or credits.", "person")],
    facts: FactsOption = None,
    as_json: JsonOption = False,
    output_format: FormatOption = OutputFormat.auto,
    quotes: QuotesOption = False,
) -> None:
    """Show a person: role, organisation, place, and what the article quotes them saying.

    \b
    Examples:
      shanxi person "Bai Feng"
      shanxi person "ma yunxia" --quotes
    """
    _show_entity("person", name, facts, output_format, as_json, quotes)


LIST_COLUMNS = {"name": "Name", "kind": "Kind", "id": "Id", "facts": "Facts"}
METRIC_COLUMNS = {"name": "Metric", "id": "Id", "facts": "Facts", "aliases": "Also matches"}


@app.command()
def metric(
    query_text: Annotated[
        str | None,
        typer.Argument(
            metavar="[QUERY]",
            help="A metric name or alias (jobs, output, exports, income). Omit to list them.",
            autocompletion=_complete_metrics,
            show_default=False,
        ),
    ] = None,
    town_name: Annotated[
        str | None,
        typer.Option(
            "--town",
            help="Only facts about this place.",
            autocompletion=_complete_category("place"),
        ),
    ] = None,
    company_name: Annotated[
        str | None,
        typer.Option(
            "--company",
            help="Only facts about this company or organisation.",
            autocompletion=_complete_category("organisation"),
        ),
    ] = None,
    minimum: Annotated[
        float | None, typer.Option("--min", help="Only figures at least this large.")
    ] = None,
    maximum: Annotated[
        float | None, typer.Option("--max", help="Only figures at most this large.")
    ] = None,
    period: Annotated[
        str | None,
        typer.Option("--period", help='Only facts whose period mentions this ("2022", "months").'),
    ] = None,
    status: Annotated[
        Status | None, typer.Option("--status", help="Only facts of this status.")
    ] = None,
    sort: Annotated[
        SortKey | None,
        typer.Option("--sort", help="Order by value (largest first), subject or metric."),
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="At most this many facts.")
    ] = None,
    facts: FactsOption = None,
    as_json: JsonOption = False,
    output_format: FormatOption = OutputFormat.auto,
    quotes: QuotesOption = False,
) -> None:
    """List every fact of one metric, across all towns and companies.

    With no QUERY, list the metrics and how many facts each has.

    \b
    Examples:
      shanxi metric
      shanxi metric jobs
      shanxi metric "output value" --min 1e9 --sort value --json
      shanxi metric exports --town Yuncheng --period "this year"
    """
    from shanxi_cli import query, render

    chosen = _chosen_format(output_format, as_json)
    narrowing = (town_name, company_name, minimum, maximum, period, status, sort, limit)
    with _reporting_errors():
        if town_name is not None and company_name is not None:
            raise ShanxiError("give --town or --company, not both")
        if query_text is None and any(option is not None for option in narrowing):
            raise ShanxiError("the filters narrow a QUERY's facts; give a QUERY")
        store = _store(str(facts) if facts else None)
        if query_text is None:
            vocabulary = query.metric_vocabulary(store)
        else:
            from shanxi_cli.question import answer

            check_query_text = query.check_query(query_text, "QUERY")
            subject, subject_match = None, None
            if town_name is not None:
                subject, subject_match = query.find_entity(store, town_name, "place")
            elif company_name is not None:
                subject, subject_match = query.find_entity(store, company_name, "organisation")
            keep = query.FactFilter(minimum, maximum, period, status.value if status else None)
            within = subject.id if subject else None
            answered = answer(
                store,
                check_query_text,
                lambda f: keep.keeps(f) and (within is None or f.subject == within),
            )
            _explain_answer(answered, query_text)
            records = query.ordered_records(
                store, answered.facts, sort.value if sort else None, limit
            )
    if query_text is None:
        _emit(
            chosen,
            document=vocabulary,
            rows=lambda: [{**m, "aliases": ";".join(m["aliases"])} for m in vocabulary],
            text=lambda out: render.write_rows_text(vocabulary, METRIC_COLUMNS, out),
            table=lambda: [_rows_table(vocabulary, METRIC_COLUMNS, "Metrics")],
        )
        return
    if subject is not None and subject_match is not None:
        _note_match(subject_match, f"{subject.name} ({subject.kind})")

    def table() -> list["RenderableType"]:
        from shanxi_cli import tables

        names = ", ".join(m.name for m in answered.metrics) or "facts"
        title = f"{names} ({len(records)} facts)"
        return [tables.facts_table(records, with_subject=True, with_quote=quotes, title=title)]

    _emit(
        chosen,
        document=records,
        rows=lambda: [render.flat_fact(fact) for fact in records],
        text=lambda out: render.write_facts_text(
            records, out, with_subject=True, with_quote=quotes
        ),
        table=table,
    )


def _explain_answer(answered: "Answer", query_text: str) -> None:
    """Say on stderr how a metric question was read; fail when nothing answers it."""
    from shanxi_cli.errors import Ambiguous
    from shanxi_cli.query import display_value, shell_word

    if answered.ambiguous is not None:
        listed = "; ".join(
            f"{c.item.name} ({c.item.kind})" for c in answered.ambiguous.match.candidates
        )
        raise Ambiguous(f"{answered.ambiguous.words!r} could be several: {listed}; say which")
    for reading in answered.readings:
        _say(f"note: read {reading.typed!r} as {reading.read_as!r}")
    for subject in answered.subjects:
        item = subject.match.item
        if item is not None and subject.match.method not in ("exact",):
            _note_match(subject.match, f"{item.name} ({item.kind})")
    if not answered.by_id and (
        answered.subjects or answered.narrowing or len(answered.metrics) > 1
    ):
        parts = [", ".join(m.name for m in answered.metrics) or "any metric"]
        names = [s.match.item.name for s in answered.subjects if s.match.item is not None]
        if names:
            parts.append("about " + " or ".join(names))
        if answered.narrowing:
            parts.append("with " + " ".join(repr(w) for w in answered.narrowing))
        _say(f"note: {query_text!r} read as {'; '.join(parts)}")
    for entity in answered.widened:
        _say(
            f"note: no such facts about {entity.name} itself;"
            " showing what lies within it or names it"
        )
    if answered.facts:
        return
    why = ""
    if answered.unmatched:
        why = f": {', '.join(repr(w) for w in answered.unmatched)} matched nothing"
    elif not (answered.metrics or answered.subjects or answered.narrowing):
        why = ": it names no metric, place, company or word of any fact"
    nearest = "; ".join(f"{f.id} ({display_value(f)})" for f in answered.nearest[:3])
    hint = f"; nearest: {nearest}" if nearest else ""
    raise NotFound(
        f"no fact answers {query_text[:60]!r}{why}{hint};"
        f" try: shanxi search {shell_word(query_text)}"
    )


def _rows_table(rows: list[dict[str, Any]], columns: dict[str, str], title: str) -> Any:
    from shanxi_cli import tables

    return tables.rows_table(rows, columns, title)


SEARCH_COLUMNS = {"kind": "Kind", "label": "Match", "matched": "In", "command": "Show with"}


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="Words to look for anywhere.", show_default=False)],
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many results.")] = 20,
    facts: FactsOption = None,
    as_json: JsonOption = False,
    output_format: FormatOption = OutputFormat.auto,
) -> None:
    """Search everything: names, aliases, metrics, claims and quotes, ranked.

    Each result says what kind of thing it is and which command shows it.

    \b
    Examples:
      shanxi search buckwheat
      shanxi search "flange" --json
    """
    from shanxi_cli import render
    from shanxi_cli.search import search as run_search

    chosen = _chosen_format(output_format, as_json)
    with _reporting_errors():
        store = _store(str(facts) if facts else None)
        found = run_search(store, text, limit)
        for reading in found.readings:
            _say(f"note: read {reading.typed!r} as {reading.read_as!r}")
        if found.unmatched:
            missing = ", ".join(repr(word) for word in found.unmatched)
            raise NotFound(f"nothing in the article has {missing}")
        hits = [hit.record() for hit in found.hits]
        if not hits:
            raise NotFound(f"nothing in the article has all of {text[:60]!r}")
    if found.total > len(hits):
        _say(f"showing {len(hits)} of {found.total}; --limit {found.total} shows all")
    _emit(
        chosen,
        document=hits,
        rows=lambda: hits,
        text=lambda out: render.write_rows_text(hits, SEARCH_COLUMNS, out),
        table=lambda: [_rows_table(hits, SEARCH_COLUMNS, f"{len(hits)} results")],
    )


@app.command(name="list")
def list_(
    what: Annotated[Listing, typer.Argument(help="What to list.", case_sensitive=False)],
    facts: FactsOption = None,
    as_json: JsonOption = False,
    output_format: FormatOption = OutputFormat.auto,
) -> None:
    """Browse: every town, company, person or metric, one a row.

    Piped as plain text, one name a line.

    \b
    Examples:
      shanxi list towns
      shanxi list companies --json
      shanxi list people | wc -l
    """
    from shanxi_cli import query, render

    chosen = _chosen_format(output_format, as_json)
    with _reporting_errors():
        store = _store(str(facts) if facts else None)
    if what is Listing.metrics:
        rows = [{**m, "aliases": ";".join(m["aliases"])} for m in query.metric_vocabulary(store)]
        columns = METRIC_COLUMNS
    else:
        rows = query.list_entities(store, what.value)
        columns = LIST_COLUMNS
    _emit(
        chosen,
        document=rows,
        rows=lambda: rows,
        text=lambda out: render.write_names_text(rows, out),
        table=lambda: [_rows_table(rows, columns, f"{what.value.capitalize()} ({len(rows)})")],
    )


@app.command()
def source(
    fact_id: Annotated[
        str,
        typer.Argument(
            metavar="FACT_ID",
            help="A fact id, as shown beside every fact (xinghuacun.jobs).",
            autocompletion=_complete_fact_ids,
            show_default=False,
        ),
    ],
    facts: FactsOption = None,
    as_json: JsonOption = False,
    output_format: FormatOption = OutputFormat.auto,
) -> None:
    """Show where a fact comes from: its quote inside its paragraph, with the story's headline.

    \b
    Examples:
      shanxi source xinghuacun.jobs
      shanxi source qiangwei.output-value --json
    """
    from shanxi_cli import query, render

    chosen = _chosen_format(output_format, as_json)
    with _reporting_errors():
        store = _store(str(facts) if facts else None)
        fact = query.find_fact(store, fact_id)
        record = query.source_record(store, fact, store.read_article())

    def table() -> list["RenderableType"]:
        from shanxi_cli import tables

        return tables.source_view(record)

    headline = record["story"]["headline"] if record["story"] else None
    _emit(
        chosen,
        document=record,
        rows=lambda: [
            render.flat_fact(
                record["fact"],
                headline=headline,
                paragraph=" ".join(p["text"] for p in record["paragraphs"]),
            )
        ],
        text=lambda out: render.write_source_text(record, out),
        table=table,
    )


@app.command()
def verify(
    facts: FactsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Check a fact store against its article: every quote found, every figure accounted for.

    The same checks the bundled store passes in the tests. Exit 0 when sound, 4 otherwise.

    \b
    Examples:
      shanxi verify
      shanxi verify --facts my-facts.json
    """
    from shanxi_cli.provenance import verify_store
    from shanxi_cli.render import visible, write_json

    with _reporting_errors():
        store = _store(str(facts) if facts else None)
        problems = verify_store(store, store.read_article())
    summary = (
        f"{len(store.entities)} entities, {len(store.facts)} facts and "
        f"{len(store.excluded_figures)} excluded figures checked against {store.article_path}"
    )
    if as_json:
        write_json(
            {"store": store.path, "article": str(store.article_path), "problems": problems},
            sys.stdout,
        )
    else:
        for problem in problems:
            sys.stdout.write(visible(problem) + "\n")
        sys.stdout.write(f"{'ok' if not problems else f'{len(problems)} problems'}: {summary}\n")
    if problems:
        raise typer.Exit(ExitCode.STORE)


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


def app_for(args: Sequence[str]) -> typer.Typer:
    """The app with only the command that the first argument names, or the whole app.

    Typer turns every registered command into click parameters on every run (about 0.7 ms
    a command, measured) and a run uses one of them. Anything other than a command name
    first (--help, --version, a typo) gets them all, and so does shell completion, which
    reads the words being completed from the environment, not from the arguments.
    """
    import os
    from copy import copy

    from typer.main import get_command_name

    if not args or COMPLETION_VAR in os.environ:
        return app
    named = [
        command
        for command in app.registered_commands
        if command.callback is not None
        and (command.name or get_command_name(command.callback.__name__)) == args[0]
    ]
    if not named:
        return app
    narrowed = copy(app)
    narrowed.registered_commands = named
    return narrowed


def main() -> None:
    """Run the command that sys.argv names (the console script is shanxi_cli.main)."""
    import signal

    # A closed pipe (`shanxi ... | head -1`) ends the process silently, as it does for
    # other Unix tools, instead of raising BrokenPipeError at some later write.
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    app_for(sys.argv[1:])()
