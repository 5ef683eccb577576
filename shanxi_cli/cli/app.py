"""The Typer app and what every command shares: its store, its environment, its errors.

Commands live in `lookup_commands.py` and `question_commands.py` beside this module;
`commands.py` gathers them.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NamedTuple

import typer

from shanxi_cli.cli.completion import CompletingGroup
from shanxi_cli.cli.messages import with_hint
from shanxi_cli.cli.options import NoCacheOption, NoPagerOption, OutputFormat, output_format
from shanxi_cli.errors import ShanxiError, exit_codes_help
from shanxi_cli.index.choice import store_for
from shanxi_cli.output.emit import Environment, emit
from shanxi_cli.output.views import View
from shanxi_cli.store.interface import Store
from shanxi_cli.version import __version__

app = typer.Typer(
    name="shanxi",
    help=(
        "Look up the towns, companies, people and figures of a China Daily supplement about "
        "Shanxi province. Every fact carries the verbatim quote it comes from.\n\n"
        "Output: --format auto (a table on a terminal, plain text in a pipe), table, text, "
        "json (--json), jsonl or csv, the same on every command. Data goes to stdout, "
        "messages to stderr. A page taller than the terminal goes through a pager "
        "($SHANXI_PAGER, $PAGER, else less -FRX; --no-pager prints it).\n\n" + exit_codes_help()
    ),
    add_completion=True,
    cls=CompletingGroup,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _environment(ctx: typer.Context) -> Environment:
    """The process's streams and terminal, or the one a test passes as the context's obj."""
    found = ctx.find_object(Environment)
    if found is not None:
        return found
    return Environment.of_process(paging=not ctx.find_root().params.get("no_pager", False))


class Run(NamedTuple):
    """What every command has: its store, its environment and the format asked for."""

    store: Store
    env: Environment
    output_format: str

    def show(self, view: View) -> None:
        emit(view, self.output_format, self.env)


@contextmanager
def running(
    ctx: typer.Context,
    facts: Path | None,
    fmt: OutputFormat,
    as_json: bool,
    *,
    indexed: bool = True,
) -> Iterator[Run]:
    """The command's run; a user-facing error becomes one line on stderr and its exit code."""
    chosen = output_format(fmt, as_json)
    env = _environment(ctx)
    try:
        store = store_for(str(facts) if facts else None, indexed, no_cache_given(ctx), say=env.say)
        yield Run(store, env, chosen)
    except ShanxiError as error:
        env.say(f"error: {with_hint(error, error.message)}")
        raise typer.Exit(error.exit_code) from None


def no_cache_given(ctx: typer.Context) -> bool:
    """Whether the global --no-cache was given, read from the root command's parameters."""
    return bool(ctx.find_root().params.get("no_cache", False))


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
    no_pager: NoPagerOption = False,
) -> None:
    """The global options; commands read --no-cache through no_cache_given, and --no-pager
    where they build their environment."""
