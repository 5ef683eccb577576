"""The process around a command: signals, streams, usage errors and exit codes.

Every way a run can end is one line on stderr at most and a documented exit code:
Ctrl-C at any moment is 130, a closed pipe ends quietly as other Unix tools do, output
that cannot be written is 5, and a usage error prints its argv-derived text escaped.
"""

import os
import signal
import sys
from typing import NoReturn

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
            stream.reconfigure(errors="backslashreplace")
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


def _show_escaped(error: Exception) -> None:
    """A usage error as one line, its argv text escaped, with where to find help."""
    from shanxi_cli.text.escape import visible

    format_message = getattr(error, "format_message", None)
    message = format_message() if format_message else str(error)
    context = getattr(error, "ctx", None)
    where = f" (see '{context.command_path} -h')" if context is not None else ""
    sys.stderr.write(f"shanxi: error: {visible(message.rstrip('.'))}{where}\n")


def _fail(message: str, code: int) -> NoReturn:
    """Report on stderr and end without flushing stdout again: its buffer cannot be written."""
    sys.stderr.write(f"shanxi: {message}\n")
    sys.stderr.flush()
    os._exit(code)
