"""A pager for a page longer than the terminal, as git and gh page theirs.

Imported only when a table or text is about to be written to a terminal: JSON and every
pipe never load it. The pager is $SHANXI_PAGER, then $PAGER, else `less -FRX` when less is
installed; an empty value or `cat` means none. A pager that cannot be started, or that
fails before it has shown the page, leaves the page to be printed as without one.
"""

import os
import shlex
import shutil
import signal
import subprocess
from collections.abc import Mapping
from typing import TextIO

DEFAULT_PAGER = "less -FRX"


def pager_command(environ: Mapping[str, str]) -> list[str] | None:
    """The pager's argv, or None for no pager."""
    for name in ("SHANXI_PAGER", "PAGER"):
        if name in environ:
            return _argv(environ[name])
    return _argv(DEFAULT_PAGER) if shutil.which("less") else None


def _argv(command: str) -> list[str] | None:
    try:
        argv = shlex.split(command)
    except ValueError:
        return None
    return argv if argv and argv != ["cat"] else None


def page(text: str, argv: list[str], stdout: TextIO) -> None:
    """Show the text through the pager; print it to stdout when the pager fails."""
    environ = dict(os.environ)
    # As git does: less shows colour and quits on a short page unless told otherwise.
    environ.setdefault("LESS", "FRX")
    environ.setdefault("LV", "-c")
    stdout.flush()
    try:
        process = subprocess.Popen(
            argv, stdin=subprocess.PIPE, env=environ, encoding="utf-8", errors="replace"
        )
    except OSError:
        stdout.write(text)
        return
    assert process.stdin is not None
    # While the pager runs it owns the terminal: Ctrl-C is its to handle (less ignores
    # it), and a pager that stops reading is an error to read, not a signal to die of.
    interrupt = signal.signal(signal.SIGINT, signal.SIG_IGN)
    broken_pipe = signal.signal(signal.SIGPIPE, signal.SIG_IGN) if _HAS_SIGPIPE else None
    try:
        try:
            process.stdin.write(text)
            process.stdin.close()
        except OSError:
            pass  # the reader quit early (q in less) or never read: its status tells which
        code = process.wait()
    finally:
        signal.signal(signal.SIGINT, interrupt)
        if broken_pipe is not None:
            signal.signal(signal.SIGPIPE, broken_pipe)
    if code != 0:
        stdout.write(text)


_HAS_SIGPIPE = hasattr(signal, "SIGPIPE")
