"""The command line: parse arguments, call one query, hand the result to one renderer."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import typer

from shanxi_cli import __version__
from shanxi_cli.errors import ExitCode, ShanxiError
from shanxi_cli.store import STORE_ENV_VAR, Store, load_store, resolve_store_path

EXIT_CODES_HELP = """\b
Exit codes:
  0  found
  1  nothing found (the message suggests the nearest names)
  2  usage error (bad option, empty or over-long query)
  3  ambiguous: several names match; the message lists them
  4  fact store missing or invalid
"""

app = typer.Typer(
    name="shanxi",
    help=(
        "Look up the towns, companies and figures of a China Daily supplement about "
        "Shanxi province. Every fact carries the verbatim quote it comes from.\n\n"
        + EXIT_CODES_HELP
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


@cache
def _store(explicit: str | None) -> Store:
    return load_store(resolve_store_path(explicit))


def _complete_names(category: str, incomplete: str) -> list[str]:
    from shanxi_cli.matching import names_starting_with

    try:
        store = _store(None)
    except ShanxiError:
        return []
    return names_starting_with(store.of_category(category), incomplete)


def _complete_places(incomplete: str) -> list[str]:
    return _complete_names("place", incomplete)


def _complete_organisations(incomplete: str) -> list[str]:
    return _complete_names("organisation", incomplete)


def _complete_metrics(incomplete: str) -> list[str]:
    try:
        store = _store(None)
    except ShanxiError:
        return []
    prefix = incomplete.casefold()
    return sorted(m.name for m in store.metrics.values() if m.name.casefold().startswith(prefix))


FactsOption = Annotated[
    Path | None,
    typer.Option(
        "--facts",
        help=f"Read this fact store instead of the bundled one (also ${STORE_ENV_VAR}).",
        show_default=False,
        dir_okay=True,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Same as --format json.")]
FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        help="auto: a table on a terminal, plain text in a pipe.",
        case_sensitive=False,
    ),
]
QuotesOption = Annotated[
    bool, typer.Option("--quotes", help="Show each fact's verbatim quote from the article.")
]


def _chosen_format(output_format: OutputFormat, as_json: bool) -> OutputFormat:
    if as_json:
        return OutputFormat.json
    if output_format is OutputFormat.auto:
        from shanxi_cli.render import stdout_is_terminal

        return OutputFormat.table if stdout_is_terminal() else OutputFormat.text
    return output_format


@contextmanager
def _reporting_errors() -> Iterator[None]:
    """Turn a user-facing error into one line on stderr and its exit code."""
    try:
        yield
    except ShanxiError as error:
        from shanxi_cli.render import visible

        typer.echo(f"shanxi: error: {visible(error.message)}", err=True)
        raise typer.Exit(error.exit_code) from None


def _note_match(match: Any, what: str) -> None:
    """Say on stderr which entry a non-exact query resolved to."""
    if match.method == "exact":
        return
    from shanxi_cli.render import visible

    query = visible(repr(match.query))
    typer.echo(f"shanxi: note: {query} matched {what} (fuzzy, score {match.score:.0f})", err=True)


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
    if chosen is OutputFormat.json:
        render.write_json(record, sys.stdout)
    elif chosen is OutputFormat.text:
        render.write_entity_text(record, sys.stdout, with_quote=quotes)
    else:
        render.print_renderables(render.entity_renderables(record, with_quote=quotes))


@app.command()
def town(
    name: Annotated[
        str,
        typer.Argument(
            help="A place: province, city, county, district, township or village.",
            autocompletion=_complete_places,
            show_default=False,
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
        typer.Argument(
            help="A company or organisation, government bodies and the customs house included.",
            autocompletion=_complete_organisations,
            show_default=False,
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
            "--town", help="Only facts about this place.", autocompletion=_complete_places
        ),
    ] = None,
    company_name: Annotated[
        str | None,
        typer.Option(
            "--company",
            help="Only facts about this company or organisation.",
            autocompletion=_complete_organisations,
        ),
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
      shanxi metric "output value" --town Xinghuacun --json
    """
    from shanxi_cli import query, render

    chosen = _chosen_format(output_format, as_json)
    with _reporting_errors():
        if town_name is not None and company_name is not None:
            raise ShanxiError("give --town or --company, not both")
        store = _store(str(facts) if facts else None)
        if query_text is None:
            if town_name is not None or company_name is not None:
                raise ShanxiError("--town and --company narrow a QUERY; give one")
            vocabulary = query.metric_vocabulary(store)
        else:
            found, match = query.find_metric(store, query_text)
            subject = None
            if town_name is not None:
                subject, subject_match = query.find_entity(store, town_name, "place")
            elif company_name is not None:
                subject, subject_match = query.find_entity(store, company_name, "organisation")
            records = query.metric_facts(store, found, subject)
    if query_text is None:
        if chosen is OutputFormat.json:
            render.write_json(vocabulary, sys.stdout)
        elif chosen is OutputFormat.text:
            render.write_metrics_text(vocabulary, sys.stdout)
        else:
            render.print_renderables([render.metrics_table(vocabulary)])
        return
    _note_match(match, f"metric {found.name!r}")
    if subject is not None:
        _note_match(subject_match, f"{subject.name} ({subject.kind})")
    if not records:
        where = f" about {subject.name}" if subject else ""
        typer.echo(f"shanxi: no {found.name} facts{where} in the article", err=True)
        if chosen is OutputFormat.json:
            render.write_json([], sys.stdout)
        raise typer.Exit(ExitCode.NOT_FOUND)
    if chosen is OutputFormat.json:
        render.write_json(records, sys.stdout)
    elif chosen is OutputFormat.text:
        render.write_facts_text(records, sys.stdout, with_subject=True, with_quote=quotes)
    else:
        title = f"{found.name} ({len(records)} facts)"
        render.print_renderables(
            [render.facts_table(records, with_subject=True, with_quote=quotes, title=title)]
        )


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


def main() -> None:
    """The console script: the app, with a closed pipe ending quietly."""
    try:
        app()
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(ExitCode.OK)
    except KeyboardInterrupt:
        sys.exit(130)
    finally:
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _silence_stdout()


def _silence_stdout() -> None:
    # The reader went away (`| head`): point stdout at /dev/null so the interpreter's
    # final flush does not print a BrokenPipeError of its own.
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
