"""The environment and the streams a run is given, however odd: digit-like variables, a
stderr that cannot be written, a codec that cannot escape, empty and boolean variables.

The data on stdout and the documented exit code stand; a note that cannot be written is
dropped; nothing is a traceback.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from shanxi_cli.output.emit import Environment
from shanxi_cli.store.figures import readable_number

from .test_streams_and_exit_codes import in_terminal

DEV_FULL = Path("/dev/full")


def shanxi(
    exe: str, *args: str, stderr: int | None = subprocess.PIPE, **env: str
) -> subprocess.CompletedProcess[bytes]:
    full_env = {**os.environ, "SHANXI_FACTS": "", **env}
    full_env.pop("SHANXI_NO_CACHE", None)
    return subprocess.run(
        [exe, *args], stdout=subprocess.PIPE, stderr=stderr, env=full_env, timeout=60
    )


# --- 8. digit-like values ---


@pytest.mark.parametrize("variable", ["COLUMNS", "LINES"])
@pytest.mark.parametrize("value", ["²", "٣", "9" * 5000, "-5", " 12 "])
def test_a_size_variable_that_only_looks_like_a_number_is_ignored(
    shanxi_exe: str, variable: str, value: str
) -> None:
    done = shanxi(shanxi_exe, "town", "Xinghuacun", "--format", "table", **{variable: value})
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    assert b"Xinghuacun" in done.stdout


def test_a_size_variable_that_only_looks_like_a_number_is_ignored_on_a_terminal(
    shanxi_exe: str,
) -> None:
    shown = in_terminal(shanxi_exe, "town", "Xinghuacun", env={"COLUMNS": "²", "LINES": "²"})
    assert "Xinghuacun" in shown and "Traceback" not in shown


# --- 10. a stderr that cannot be written ---


@pytest.mark.skipif(not DEV_FULL.exists(), reason="no /dev/full")
@pytest.mark.parametrize(
    ("args", "code", "stdout"),
    [
        (["town", "Xinghuacn", "--format", "text"], 0, b"Xinghuacun"),
        (["person", "Ma"], 3, b""),
        (["list", "bogus"], 2, b""),
        (["metric", "jobs", "--period", "1999", "--json"], 0, b"[]\n"),
        (["town", "Atlantis"], 1, b""),
        (["metric", "jobs", "--limit", "1", "--json"], 0, b'"id": '),
    ],
)
def test_an_unwritable_stderr_changes_no_exit_code_and_loses_no_data(
    shanxi_exe: str, args: list[str], code: int, stdout: bytes
) -> None:
    with DEV_FULL.open("wb") as full:
        done = shanxi(shanxi_exe, *args, stderr=full.fileno())
    assert done.returncode == code
    assert stdout in done.stdout
    expected = shanxi(shanxi_exe, *args)
    assert done.stdout == expected.stdout
    assert expected.stderr  # every case has a note or an error that was dropped


def test_a_note_that_cannot_be_written_is_dropped() -> None:
    class Full(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(28, "No space left on device")

    env = Environment(io.StringIO(), Full(), False, 80, False)
    env.say("note: dropped")  # no exception


# --- 11. a codec that cannot escape ---


@pytest.mark.parametrize("encoding", ["idna", "idna:strict", "ascii", "latin-1", "utf-16"])
@pytest.mark.parametrize("output", [[], ["--json"], ["--format", "csv"]])
def test_any_codec_python_accepts_works_or_degrades(
    shanxi_exe: str, encoding: str, output: list[str]
) -> None:
    done = shanxi(shanxi_exe, "town", "Xinghuacn", *output, PYTHONIOENCODING=encoding)
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr
    shown = done.stdout.decode("utf-16" if encoding == "utf-16" else "latin-1")
    assert "Xinghuacun" in shown
    assert "matched" in done.stderr.decode("utf-16" if encoding == "utf-16" else "latin-1")


# --- 12. empty and boolean variables ---


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("value", "color"), [("", True), ("1", False), ("0", False)])
def test_no_color_counts_only_when_not_empty(
    monkeypatch: pytest.MonkeyPatch, value: str, color: bool
) -> None:
    monkeypatch.setattr(sys, "stdout", Terminal())
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", value)
    assert Environment.of_process().color is color


# --- minor ---


def test_a_malformed_comp_cword_completes_nothing_without_a_traceback(shanxi_exe: str) -> None:
    for cword in ("x", "", "9" * 5000):
        done = shanxi(
            shanxi_exe,
            _SHANXI_COMPLETE="complete_bash",
            COMP_WORDS="shanxi\ntown\nX",
            COMP_CWORD=cword,
        )
        assert b"Traceback" not in done.stderr, cword
        assert done.returncode == 0


def test_a_usage_error_does_not_echo_a_huge_argument(shanxi_exe: str) -> None:
    done = shanxi(shanxi_exe, "metric", "jobs", "--limit", "9" * 5000)
    assert done.returncode == 2
    assert len(done.stderr) < 400
    assert done.stderr.endswith(b"(see 'shanxi metric -h')\n")


@pytest.mark.parametrize(("value", "shown"), [(4e-07, "4e-07"), (-4e-07, "-4e-07"), (-0.0, "0")])
def test_a_tiny_figure_is_not_shown_as_zero(value: float, shown: str) -> None:
    assert readable_number(value) == shown
