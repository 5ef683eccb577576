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

from shanxi_cli.errors import OutputError
from shanxi_cli.output.views import FlatRow, View
from shanxi_cli.text.escape import json_inert, visible
from shanxi_cli.text.numbers import plain_int

UNKNOWN_WIDTH = 80
UNKNOWN_HEIGHT = 25
# A CSV cell a spreadsheet would run as a formula (OWASP's list); a leading apostrophe
# makes it text. Numbers are written as numbers and never changed. Control and bidi
# characters are escaped as in text output (CSV has no escapes of its own); newlines
# stay, inside quotes.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Environment(NamedTuple):
    stdout: TextIO
    stderr: TextIO
    stdout_isatty: bool
    width: int
    color: bool
    # A table or text page taller than `height` lines goes through the pager; none
    # (the default, and always in a pipe) prints it. The pager is decided in pager.py.
    paging: bool = False
    height: int = 0
    # A process that answers many requests (cli/session.py) takes each JSON document
    # here, as the object that would have been written, rather than as indented text.
    documents: list[Any] | None = None

    @classmethod
    def of_process(cls, *, paging: bool = True) -> "Environment":
        isatty = sys.stdout.isatty()
        return cls(
            stdout=sys.stdout,
            stderr=sys.stderr,
            stdout_isatty=isatty,
            width=terminal_width(os.environ.get("COLUMNS"), sys.stdout if isatty else None),
            # The no-color convention (no-color.org): set and not empty.
            color=isatty and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb",
            # Keys must reach the pager: a terminal on stdin as well as on stdout.
            paging=paging and isatty and sys.stdin is not None and sys.stdin.isatty(),
            height=terminal_height(os.environ.get("LINES"), sys.stdout) if isatty else 0,
        )

    def say(self, message: str) -> None:
        """One line for a person on stderr, escaped: notes, warnings and errors.

        A line that cannot be written (stderr closed, a full disk, `2>/dev/full`) is
        dropped: the data on stdout and the exit code are the run's answer, not its notes.
        """
        write_or_drop(self.stderr, f"shanxi: {visible(message)}\n")


def write_or_drop(stream: TextIO, text: str) -> None:
    """Write a message to a stream; if it cannot be, drop it and every later one.

    What could not be written stays in the stream's buffer, where the flush at exit would
    fail again and change the exit code; the stream's descriptor is pointed at /dev/null
    so that it drains there instead.
    """
    try:
        stream.write(text)
        stream.flush()
    except (OSError, ValueError):
        try:
            null = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(null, stream.fileno())
            finally:
                os.close(null)
        except (OSError, ValueError, AttributeError):
            pass  # no descriptor (a test's StringIO): nothing will be flushed at exit


def terminal_width(columns: str | None, terminal: TextIO | None) -> int:
    """$COLUMNS if it is a positive number, else the terminal's width, else 80."""
    return _dimension(columns, terminal, 0, UNKNOWN_WIDTH)


def terminal_height(lines: str | None, terminal: TextIO | None) -> int:
    """$LINES if it is a positive number, else the terminal's height, else 25 (Rich's)."""
    return _dimension(lines, terminal, 1, UNKNOWN_HEIGHT)


def _dimension(variable: str | None, terminal: TextIO | None, which: int, default: int) -> int:
    # ASCII digits only, and not too many: "²" passes isdigit() but not int(), and int()
    # refuses 5,000 nines.
    given = plain_int(variable)
    if given:
        return given
    if terminal is not None:
        try:
            size = os.get_terminal_size(terminal.fileno())[which]
        except (OSError, ValueError):
            size = 0
        if size > 0:
            return size
    return default


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
        elif env.paging and env.height > 0:
            _paged(view, chosen, env)
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


def _paged(view: View, chosen: str, env: Environment) -> None:
    """The page drawn in memory first: through the pager when taller than the terminal."""
    import io

    buffer = io.StringIO()
    page_env = env._replace(stdout=buffer)
    if chosen == "text":
        view.write_text(buffer)
    elif not view.is_empty:
        draw(view, page_env)
    text = buffer.getvalue()
    if text.count("\n") <= env.height - 1:
        env.stdout.write(text)
        return
    from shanxi_cli.output.pager import page, pager_command

    argv = pager_command(os.environ)
    if argv is None:
        env.stdout.write(text)
    else:
        page(text, argv, env.stdout)


def draw(view: View, env: Environment) -> None:
    from rich.console import Console

    from shanxi_cli.output.rich_views import renderable

    console = Console(
        file=env.stdout,
        width=env.width,
        # Given, so that Rich never reads $LINES itself (it takes "²" for a number).
        height=terminal_height(os.environ.get("LINES"), env.stdout if env.stdout_isatty else None),
        force_terminal=env.stdout_isatty,
        no_color=not env.color,
        color_system="auto" if env.color else None,
        highlight=False,
        emoji=False,
        markup=False,
    )
    console.print(renderable(view, env.width), crop=False)
