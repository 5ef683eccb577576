"""`shanxi batch`: many requests from stdin, one process, one JSON line each."""

import gc
import sys
from collections.abc import Iterator
from typing import Any, BinaryIO

import typer

from shanxi_cli.cli.app import app, no_cache_given, running
from shanxi_cli.cli.options import FactsOption, OutputFormat
from shanxi_cli.errors import OutputError
from shanxi_cli.output.emit import Environment, json_text
from shanxi_cli.text.escape import brief

# A request is a command line of a few words; a longer line is refused, not read whole.
MAX_LINE_BYTES = 64 * 1024


@app.command(short_help="Answer requests from stdin, one a line, with one JSON line each.")
def batch(ctx: typer.Context, facts: FactsOption = None) -> None:
    """Answer requests read from stdin, one a line, each written as the command line would
    be after `shanxi`, shell-quoted; blank lines and lines starting with # are skipped.

    Each request gets one JSON line on stdout, in order, written as soon as it is
    answered: {"line", "request", "exit_code", "document", "messages"}, where document is
    the command's --json document (null when it prints none) and exit_code and messages
    are what the command alone returns and says on stderr. A bad request is a line with
    exit code 2, never the end of the batch. --facts, and --no-cache before `batch`, apply
    to every request; the store and its tables are read once.

    Exit 0 once every line is answered, whatever their codes; 4 when the store cannot be
    read (nothing is answered), 5 when the output cannot be written.

    \b
    Examples:
      printf 'town Xinghuacun\\nmetric jobs --limit 2\\n' | shanxi batch
      shanxi --no-cache batch --facts big.json < requests.txt
    """
    from shanxi_cli.cli.session import Session

    # The store first, once: a store that cannot be read ends the batch at once (exit 4).
    with running(ctx, facts, OutputFormat.auto, False) as run:
        env = run.env
    session = Session(
        str(facts) if facts is not None else None, no_cache_given(ctx), ctx.find_root().command
    )
    if not gc.isenabled():
        # The console script runs one command with the collector off (shanxi_cli/__init__);
        # a batch runs many: the store is frozen out of the collector's sight, and the
        # garbage of each request collected as it goes.
        gc.freeze()
        gc.enable()
    for number, raw in _lines(_input()):
        text, problem = _decoded(raw)
        request = text.strip()
        if problem is None and (not request or request.startswith("#")):
            continue
        if problem is not None:
            outcome_code, document, messages = 2, None, [f"error: {problem}"]
        else:
            outcome_code, document, messages = session.answer_line(request)
        _write(
            env,
            {
                "line": number,
                "request": brief(request, 400) if problem else request,
                "exit_code": outcome_code,
                "document": document,
                "messages": messages,
            },
        )


def _input() -> BinaryIO:
    stream = sys.stdin
    if stream is None:
        raise typer.Exit(0)  # no stdin at all: no requests
    return stream.buffer


def _lines(stream: BinaryIO) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) of each line, without its end; a long line's first bytes only."""
    number = 0
    while True:
        raw = stream.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while True:  # the rest of the long line, read and dropped a piece at a time
                rest = stream.readline(MAX_LINE_BYTES)
                if not rest or rest.endswith(b"\n"):
                    break
            yield number, None
            continue
        yield number, raw.rstrip(b"\r\n")


def _decoded(raw: bytes | None) -> tuple[str, str | None]:
    """The request's text, and why it cannot be answered if it cannot."""
    if raw is None:
        return "", f"the request is longer than {MAX_LINE_BYTES:,} bytes"
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as error:
        return raw.decode(
            "utf-8", "backslashreplace"
        ), f"the request is not UTF-8 (byte {error.start})"


def _write(env: Environment, record: dict[str, Any]) -> None:
    try:
        env.stdout.write(json_text(record, env.stdout) + "\n")
        env.stdout.flush()
    except OSError as error:
        raise OutputError(f"cannot write the output: {error.strerror or error}") from None
