"""Exit codes and the errors that carry them to the command line."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    NOT_FOUND = 1
    USAGE = 2
    AMBIGUOUS = 3
    STORE = 4
    OUTPUT = 5  # the output could not be written (a full disk, a closed stdout)
    INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT


class ShanxiError(Exception):
    """A user-facing error: one line of message and the exit code it ends with."""

    exit_code = ExitCode.USAGE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(ShanxiError):
    exit_code = ExitCode.NOT_FOUND


class WrongCategory(NotFound):
    """The name belongs to another kind of thing: the CLI says which command shows it."""

    def __init__(self, message: str, elsewhere: object) -> None:
        super().__init__(message)
        self.elsewhere = elsewhere


class Ambiguous(ShanxiError):
    exit_code = ExitCode.AMBIGUOUS


class StoreError(ShanxiError):
    exit_code = ExitCode.STORE
