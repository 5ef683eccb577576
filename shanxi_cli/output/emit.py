"""Write any view in any format: the one place output formats are decided.

`Environment` is everything output depends on (the streams, whether stdout is a
terminal, its width, colour); tests build one around a StringIO to see exactly what a
terminal would, with no pseudo-terminal and nothing patched.
"""

import codecs
import json
import os
import sys
from typing import Any, NamedTuple, TextIO

from shanxi_cli.errors import ExitCode, ShanxiError
from shanxi_cli.output.views import FlatRow, View
from shanxi_cli.text.escape import json_inert, visible

UNKNOWN_WIDTH = 80
# A CSV cell a spreadsheet would run as a formula (OWASP's list); a leading apostrophe
# makes it text. Numbers are written as numbers and never changed. Control and bidi
# characters are escaped as in text output (CSV has no escapes of its own); newlines
# stay, inside quotes.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class OutputError(ShanxiError):
    exit_code = ExitCode.OUTPUT


class Environment(NamedTuple):
    stdout: TextIO
    stderr: TextIO
    stdout_isatty: bool
    width: int
    color: bool
    # A process that answers many requests (cli/session.py) takes each JSON document
    # here, as the object that would have been written, rather than as indented text.
    documents: list[Any] | None = None

    @classmethod
    def of_process(cls) -> "Environment":
        isatty = sys.stdout.isatty()
        return cls(
            stdout=sys.stdout,
            stderr=sys.stderr,
            stdout_isatty=isatty,
            width=terminal_width(os.environ.get("COLUMNS"), sys.stdout if isatty else None),
            color=isatty and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb",
        )

    def say(self, message: str) -> None:
        """One line for a person on stderr, escaped: notes, warnings and errors."""
        self.stderr.write(f"shanxi: {visible(message)}\n")


def terminal_width(columns: str | None, terminal: TextIO | None) -> int:
    """$COLUMNS if it is a positive number, else the terminal's width, else 80."""
    if columns and columns.strip().isdigit() and int(columns) > 0:
        return int(columns)
    if terminal is not None:
        try:
            size = os.get_terminal_size(terminal.fileno()).columns
        except (OSError, ValueError):
            size = 0
        if size > 0:
            return size
    return UNKNOWN_WIDTH


def chosen_format(requested: str, env: Environment) -> str:
    """`auto` is a table on a terminal and plain text in a pipe."""
    if requested == "auto":
        return "table" if env.stdout_isatty else "text"
    return requested


def emit(view: View, output_format: str, env: Environment) -> None:
    """Write the view to env.stdout in the format; a failed write is an OutputError."""
    chosen = chosen_format(output_format, env)
    try:
        if chosen == "json" and env.documents is not None:
            env.documents.append(view.document)
        elif chosen == "json":
            env.stdout.write(json_text(view.document, env.stdout, indent=2) + "\n")
        elif chosen == "jsonl":
            for record in view.records():
                env.stdout.write(json_text(record, env.stdout) + "\n")
        elif chosen == "csv":
            write_csv(view.csv_columns, view.flat_rows(), env.stdout)
        elif chosen == "text":
            view.write_text(env.stdout)
        elif not view.is_empty:
            draw(view, env)
        env.stdout.flush()
    except OSError as error:
        raise OutputError(f"cannot write the output: {error.strerror or error}") from None


def json_text(document: Any, stream: TextIO, indent: int | None = None) -> str:
    """JSON in the contract's key order; inert on a terminal, ASCII where UTF-8 is not."""
    ascii_only = not _writes_unicode(stream)
    text = json.dumps(document, ensure_ascii=ascii_only, indent=indent)
    return text if ascii_only else json_inert(text)


def _writes_unicode(stream: TextIO) -> bool:
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        return codecs.lookup(encoding).name in {"utf-8", "utf-16", "utf-32"}
    except LookupError:
        return False


def write_csv(columns: tuple[str, ...], rows: list[FlatRow], stream: TextIO) -> None:
    """RFC 4180: a header even with no rows, CRLF line ends, cells quoted as needed."""
    import csv

    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_cell(row[column]) for column in columns])


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_STARTS):
        value = "'" + value
    return visible(value, keep_newlines=True)


def draw(view: View, env: Environment) -> None:
    from rich.console import Console

    from shanxi_cli.output.rich_views import renderable

    console = Console(
        file=env.stdout,
        width=env.width,
        force_terminal=env.stdout_isatty,
        no_color=not env.color,
        color_system="auto" if env.color else None,
        highlight=False,
        emoji=False,
        markup=False,
    )
    console.print(renderable(view, env.width), crop=False)
