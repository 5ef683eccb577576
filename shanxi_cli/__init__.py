"""shanxi: look up the towns, companies and figures of one newspaper supplement about Shanxi."""

from shanxi_cli.version import __version__

__all__ = ["__version__", "main"]


def main() -> None:
    """The console script: one process, one command."""
    # The C module: importing signal.py takes as long as Ctrl-C has to be caught in.
    # typeshed has no stubs for _signal, the one reason for the ignore below.
    import _signal  # type: ignore[import-not-found]
    import os

    # Ctrl-C from here on, imports included, ends the run at once and silently: 130, as
    # shells report SIGINT. Nothing is left half-written: the one file the tool writes,
    # a large store's index, is renamed into place only when complete (index/build.py).
    _signal.signal(_signal.SIGINT, lambda signum, frame: os._exit(130))
    import gc

    # A run lasts a fraction of a second and makes no garbage worth collecting, yet the
    # cycle collector walks the objects that imports and the store create again and
    # again, and all of them once more at exit unless they are frozen. Off before Typer
    # and the rest of shanxi are imported, frozen at the end (measured: README, Speed).
    gc.disable()
    import sys

    from shanxi_cli.cli.entry import run

    code = run(sys.argv[1:])
    gc.freeze()
    sys.exit(code)
