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


MEANINGS = {
    ExitCode.OK: "found; or filters that leave nothing (an empty result, a note on stderr)",
    ExitCode.NOT_FOUND: (
        "a name, id or question that matches nothing (the message suggests the nearest)"
    ),
    ExitCode.USAGE: "usage error (bad option, empty or over-long query)",
    ExitCode.AMBIGUOUS: "ambiguous: several names match; the message lists them",
    ExitCode.STORE: "fact store missing or invalid (verify: a provenance problem)",
    ExitCode.OUTPUT: "the output could not be written (a full disk, a closed stdout)",
    ExitCode.INTERRUPTED: "interrupted (Ctrl-C)",
}


def exit_codes_help() -> str:
    """The exit codes for --help, one line each, from the enum (Click's \\b keeps the lines)."""
    lines = "".join(f"  {code.value:<4} {MEANINGS[code]}\n" for code in ExitCode)
    return "\b\nExit codes:\n" + lines


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


class OutputError(ShanxiError):
    """The output could not be written: a full disk, a closed stdout."""

    exit_code = ExitCode.OUTPUT
