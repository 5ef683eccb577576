"""The command line: each command parses its arguments, queries, builds a view, emits it."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Annotated, Any

import typer

from shanxi_cli import __version__
from shanxi_cli.completion import complete_category, complete_fact_ids, complete_metrics
from shanxi_cli.emit import Environment, emit
from shanxi_cli.errors import NotFound, ShanxiError, WrongCategory
from shanxi_cli.options import (
    FactsOption,
    FormatOption,
    JsonOption,
    Listing,
    MaxOption,
    MinOption,
    NoCacheOption,
    OutputFormat,
    PeriodOption,
    QuotesOption,
    SortOption,
    StatusOption,
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
COMMAND_FOR_CATEGORY = {"place": "town", "organisation": "company", "person": "person"}

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
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


# Set by the root callback from --no-cache before any command runs.
_no_cache_flag = [False]


@cache
def _store(explicit: str | None, indexed: bool = True) -> Store:
    """The store, from its index when it is large enough to have one (index.py)."""
    path = resolve_store_path(explicit)
    if indexed:
        from shanxi_cli.cache_path import wants_index

        try:
            size = path.stat().st_size if path.is_file() else -1
        except OSError:
            size = -1  # load_store says what is wrong with it
        if size >= 0 and wants_index(size, _no_cache_flag[0]):
            from shanxi_cli.index import store_through_index

            return store_through_index(path)
    return load_store(path)


def _environment() -> Environment:
    return Environment.of_process()


@contextmanager
def _reporting_errors() -> Iterator[None]:
    """Turn a user-facing error into one line on stderr and its exit code."""
    try:
        yield
    except ShanxiError as error:
        message = error.message
        if isinstance(error, WrongCategory):
            other = error.elsewhere
            command = COMMAND_FOR_CATEGORY[other.category]  # type: ignore[attr-defined]
            message += f"; try: shanxi {command} {_shell_word(other.name)}"  # type: ignore[attr-defined]
        _environment().say(f"error: {message}")
        raise typer.Exit(error.exit_code) from None


def _shell_word(text: str) -> str:
    import shlex

    return shlex.quote(text)


def _note_match(match: Any, what: str) -> None:
    """Say on stderr which entry a query resolved to when it was not an exact name."""
    if match.method != "exact":
        _environment().say(f"note: {match.query!r} matched {what} (fuzzy, score {match.score:.0f})")


def _words(help_text: str, complete: Callable[..., list[str]] | None = None) -> Any:
    return typer.Argument(help=help_text, autocompletion=complete, show_default=False)


def _show_entity(
    category: str, words: list[str], facts: Any, fmt: OutputFormat, as_json: bool, quotes: bool
) -> None:
    from shanxi_cli.documents import entity_doc
    from shanxi_cli.query import find_entity
    from shanxi_cli.views import EntityView

    chosen = output_format(fmt, as_json)
    with _reporting_errors():
        store = _store(str(facts) if facts else None)
        entity, match = find_entity(store, " ".join(words), category)
        view = EntityView(entity_doc(store, entity, match), quotes=quotes)
        _note_match(match, f"{entity.name} ({entity.kind})")
        emit(view, chosen, _environment())


@app.command(short_help="A place: where it lies, what it is known for, its facts.")
def town(
    name: Annotated[
        list[str],
        _words(
            "A place: province, city, county, district, township, village or group of towns.",
            complete_category("place"),
        ),
    ],
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
    _show_entity("place", name, facts, fmt, as_json, quotes)


@app.command(short_help="A company or organisation: where it is, what it makes, its facts.")
def company(
    name: Annotated[
        list[str],
        _words(
            "A company or organisation, government bodies and the customs house included.",
            complete_category("organisation"),
        ),
    ],
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
    _show_entity("organisation", name, facts, fmt, as_json, quotes)


@app.command(short_help="A person: role, organisation and what they said.")
def person(
    name: Annotated[
        list[str], _words("A person the article quotes or credits.", complete_category("person"))
    ],
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
    _show_entity("person", name, facts, fmt, as_json, quotes)


@app.command(short_help="Every fact of a metric across towns and companies.")
def metric(
    query: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[QUERY]...",
            help="A metric name or alias (jobs, output, exports, income). Omit to list them.",
            autocompletion=complete_metrics,
            show_default=False,
        ),
    ] = None,
    town_name: Annotated[
        str | None,
        typer.Option(
            "--town", help="Only facts about this place.", autocompletion=complete_category("place")
        ),
    ] = None,
    company_name: Annotated[
        str | None,
        typer.Option(
            "--company",
            help="Only facts about this company or organisation.",
            autocompletion=complete_category("organisation"),
        ),
    ] = None,
    minimum: MinOption = None,
    maximum: MaxOption = None,
    period: PeriodOption = None,
    status: StatusOption = None,
    sort: SortOption = None,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="At most this many facts.")
    ] = None,
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
    from shanxi_cli.views import FactsView

    chosen = output_format(fmt, as_json)
    narrowing = (town_name, company_name, minimum, maximum, period, status, sort, limit)
    env = _environment()
    with _reporting_errors():
        if town_name is not None and company_name is not None:
            raise ShanxiError("give --town or --company, not both")
        if not query and any(option is not None for option in narrowing):
            raise ShanxiError("the filters narrow a QUERY's facts; give a QUERY")
        store = _store(str(facts) if facts else None)
        if not query:
            emit(_vocabulary(store), chosen, env)
            return
        try:
            found, match = q.find_metric(store, " ".join(query))
        except NotFound as error:
            raise NotFound(f"{error.message}; run 'shanxi metric' to list them all") from None
        subject, subject_match = None, None
        if town_name is not None:
            subject, subject_match = q.find_entity(store, town_name, "place")
        elif company_name is not None:
            subject, subject_match = q.find_entity(store, company_name, "organisation")
        keep = q.FactFilter(minimum, maximum, period, status.value if status else None)
        chosen_facts = q.metric_facts(
            store, found, subject, keep, sort.value if sort else None, limit
        )
        _note_match(match, f"metric {found.name!r}")
        if subject is not None:
            _note_match(subject_match, f"{subject.name} ({subject.kind})")
        if not chosen_facts:
            where = f" about {subject.name}" if subject else ""
            env.say(f"note: no {found.name} facts{where} match these filters")
        emit(FactsView(fact_docs(store, chosen_facts), quotes=quotes), chosen, env)


def _vocabulary(store: Store) -> Any:
    from shanxi_cli.documents import metric_doc
    from shanxi_cli.views import VocabularyView

    return VocabularyView([metric_doc(store, m) for m in store.metrics.values()])


@app.command(short_help="Search names, metrics, claims and quotes, ranked.")
def search(
    text: Annotated[list[str], _words("Words to look for anywhere.")],
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
    from shanxi_cli.search import search as run_search
    from shanxi_cli.views import SearchView

    chosen = output_format(fmt, as_json)
    env = _environment()
    with _reporting_errors():
        store = _store(str(facts) if facts else None)
        joined_text = " ".join(text)
        hits = run_search(store, joined_text, limit)
        if not hits:
            raise NotFound(f"nothing in the article matches {joined_text[:60]!r}")
        docs = [{**hit.record(), "command": _show_command(hit.kind, hit.id)} for hit in hits]
        emit(SearchView(docs), chosen, env)  # type: ignore[arg-type]


def _show_command(kind: str, item_id: str) -> str:
    command = {"metric": "metric", "fact": "source", **COMMAND_FOR_CATEGORY}[kind]
    return f"shanxi {command} {_shell_word(item_id)}"


@app.command(name="list", short_help="Browse every town, company, person or metric.")
def list_(
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
    from shanxi_cli.query import list_entities
    from shanxi_cli.views import EntityListView

    chosen = output_format(fmt, as_json)
    with _reporting_errors():
        store = _store(str(facts) if facts else None)
        if what is Listing.metrics:
            view = _vocabulary(store)
        else:
            rows = [listed_entity_doc(store, e) for e in list_entities(store, what.value)]
            view = EntityListView(rows, what.value.capitalize())
        emit(view, chosen, _environment())


@app.command(short_help="Where a fact comes from: its quote inside its paragraph.")
def source(
    fact_id: Annotated[
        str,
        typer.Argument(
            metavar="FACT_ID",
            help="A fact id, as shown beside every fact (xinghuacun.jobs).",
            autocompletion=complete_fact_ids,
            show_default=False,
        ),
    ],
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
    from shanxi_cli.views import SourceView

    chosen = output_format(fmt, as_json)
    with _reporting_errors():
        store = _store(str(facts) if facts else None)
        fact = find_fact(store, fact_id)
        site = locate_fact(store, fact, store.read_article())
        emit(SourceView(source_doc(store, fact, site)), chosen, _environment())


@app.command(short_help="Check a fact store against its article.")
def verify(
    facts: FactsOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = OutputFormat.auto,
) -> None:
    """Check a fact store against its article: every quote found, every figure accounted for.

    The same checks the bundled store passes in the tests. Exit 0 when sound, 4 otherwise.

    \b
    Examples:
      shanxi verify
      shanxi verify --facts my-facts.json --json
    """
    from shanxi_cli.provenance import verify_store
    from shanxi_cli.views import VerifyView

    chosen = output_format(fmt, as_json)
    with _reporting_errors():
        store = _store(str(facts) if facts else None, indexed=False)  # always the JSON itself
        problems = verify_store(store, store.read_article())
        report = {
            "store": store.path,
            "article": str(store.article_path),
            "entities": len(store.entities),
            "facts": len(store.facts),
            "excluded_figures": len(store.excluded_figures),
            "problems": problems,
        }
        emit(VerifyView(report), chosen, _environment())
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
    no_cache: NoCacheOption = False,
) -> None:
    _no_cache_flag[0] = no_cache
