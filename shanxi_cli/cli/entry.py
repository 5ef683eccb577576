"""The process around a command: signals, streams, usage errors and exit codes.

Every way a run can end is one line on stderr at most and a documented exit code:
Ctrl-C at any moment is 130, a closed pipe ends quietly as other Unix tools do, output
that cannot be written is 5, and a usage error prints its argv-derived text escaped.
"""

import os
import signal
import sys
from typing import Any, NoReturn

from shanxi_cli.errors import ExitCode, OutputError


def run(args: list[str]) -> int:
    """Run one command line; return its exit code."""
    # A closed pipe (`shanxi ... | head -1`) ends the process silently.
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (lives as long as the run)
    if sys.stdout is None:
        return _fail("error: cannot write the output: standard output is closed", ExitCode.OUTPUT)
    # Text that a stream's encoding cannot carry degrades to escapes instead of crashing.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            _escape_what_cannot_be_encoded(stream)
    import typer
    import typer.main

    from shanxi_cli.cli.commands import app

    try:
        code = typer.main.get_command(app).main(
            args=args or ["--help"], prog_name="shanxi", standalone_mode=False
        )
        sys.stdout.flush()
    except typer.TyperException as error:  # usage errors, as the vendored click reports them
        _show_escaped(error)
        return error.exit_code
    except typer.Abort:
        return ExitCode.INTERRUPTED
    except OutputError as error:
        return _fail(f"error: {error.message}", ExitCode.OUTPUT)
    except OSError as error:
        return _fail(f"error: cannot write the output: {error.strerror}", ExitCode.OUTPUT)
    return code if isinstance(code, int) else 0


# Text that any encoding that can carry a message can carry: long lines, spaces, letters
# beyond ASCII and a lone surrogate, all as escapes where the encoding has no form.
_PROBE = "shanxi: " + "x" * 80 + " \u00e9 \u5c71\u897f \udce9\n"


def _escape_what_cannot_be_encoded(stream: Any) -> None:
    """Escape what the stream's encoding cannot carry; where the codec cannot escape
    (idna, say, or one that refuses a long line), write ASCII, escaped, instead."""
    try:
        _PROBE.encode(stream.encoding or "utf-8", "backslashreplace")
        stream.reconfigure(errors="backslashreplace")
    except (LookupError, UnicodeError, TypeError, ValueError):
        stream.reconfigure(encoding="ascii", errors="backslashreplace")


# A usage error quotes what was typed; a 5,000-digit --limit is not worth 5,000 digits.
MAX_USAGE_MESSAGE = 300


def _show_escaped(error: Exception) -> None:
    """A usage error as one line, its argv text escaped, with where to find help."""
    from shanxi_cli.output.emit import write_or_drop
    from shanxi_cli.text.escape import brief, visible

    format_message = getattr(error, "format_message", None)
    message = format_message() if format_message else str(error)
    context = getattr(error, "ctx", None)
    where = f" (see '{context.command_path} -h')" if context is not None else ""
    shown = brief(visible(message.rstrip(".")), MAX_USAGE_MESSAGE)
    write_or_drop(sys.stderr, f"shanxi: error: {shown}{where}\n")


def _fail(message: str, code: int) -> NoReturn:
    """Report on stderr and end without flushing stdout again: its buffer cannot be written."""
    from shanxi_cli.output.emit import write_or_drop

    write_or_drop(sys.stderr, f"shanxi: {message}\n")
    os._exit(code)
