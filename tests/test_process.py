"""The installed `shanxi` as a process: broken outputs, signals, encodings, hostile argv."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from .conftest import COMMANDS
from .test_streams_and_exit_codes import in_terminal


def run_bytes(
    exe: str, *args: str | bytes, env: dict[str, str] | None = None, **kwargs: object
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [exe, *args],
        capture_output=kwargs.pop("capture_output", True),
        env={**os.environ, **(env or {})},
        timeout=60,
        **kwargs,
    )


def test_bare_shanxi_prints_help_to_stdout_and_exits_0(shanxi_exe: str) -> None:
    done = run_bytes(shanxi_exe)
    assert done.returncode == 0
    assert b"Commands:" in done.stdout and done.stderr == b""


@pytest.mark.parametrize("args", [["town", "Xinghuacun"], ["list", "towns", "--json"]])
def test_a_full_disk_is_exit_5_with_one_line(shanxi_exe: str, args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        done = run_bytes(shanxi_exe, *args, stdout=full, capture_output=False, stderr=-1)
    assert done.returncode == 5
    assert done.stderr.decode().splitlines() == [
        "shanxi: error: cannot write the output: No space left on device"
    ]


def test_a_large_output_on_a_full_disk_is_exit_5(shanxi_exe: str) -> None:
    with open("/dev/full", "w") as full:
        done = run_bytes(
            shanxi_exe, "metric", "output value", "--json", "--quotes",
            stdout=full, capture_output=False, stderr=-1,
        )  # fmt: skip
    assert done.returncode == 5
    assert b"Traceback" not in done.stderr


def test_a_closed_stdout_is_exit_5_with_one_line(shanxi_exe: str) -> None:
    done = subprocess.run(
        f"exec {shanxi_exe} town Xinghuacun >&-", shell=True, capture_output=False,
        stderr=subprocess.PIPE, timeout=60,
    )  # fmt: skip
    assert done.returncode == 5
    assert done.stderr.decode().splitlines() == [
        "shanxi: error: cannot write the output: standard output is closed"
    ]


def test_a_closed_pipe_ends_quietly(shanxi_exe: str) -> None:
    done = subprocess.run(
        f"{shanxi_exe} metric output value --quotes --json | head -c 10 >/dev/null",
        shell=True, capture_output=True, timeout=60,
    )  # fmt: skip
    assert done.stderr == b""


@pytest.mark.parametrize("delay", [0.0, 0.02, 0.05, 0.1, 0.2])
def test_ctrl_c_at_any_moment_is_130_without_a_traceback(shanxi_exe: str, delay: float) -> None:
    process = subprocess.Popen(
        [shanxi_exe, "search", "buckwheat"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    # Before shanxi's first line runs, Python's own start-up (the interpreter, site, the
    # console-script wrapper) answers Ctrl-C as Python does (README, Exit codes).
    assert b"shanxi_cli" not in err, err
    if not err:
        # Before Python installs its handler, SIGINT kills the process outright: a shell
        # reports that as 130 too.
        assert process.returncode in (0, 130, -signal.SIGINT)


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
@pytest.mark.parametrize("output_format", ["json", "text", "csv", "jsonl"])
def test_a_narrow_encoding_degrades_to_escapes(
    shanxi_exe: str, encoding: str, output_format: str
) -> None:
    done = run_bytes(
        shanxi_exe, "town", "Xinghuacun", "--format", output_format,
        env={"PYTHONIOENCODING": encoding},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    done.stdout.decode(encoding)
    if output_format == "json":
        assert "\u2014" in json.dumps(json.loads(done.stdout), ensure_ascii=False)


def test_invalid_utf8_in_argv_gives_valid_utf8_and_valid_json(shanxi_exe: str) -> None:
    done = run_bytes(shanxi_exe, "town", b"Xinghuacun\xff", "--json")
    assert done.returncode in (0, 1)
    done.stderr.decode("utf-8")
    if done.stdout:
        json.loads(done.stdout.decode("utf-8"))
    fuzzy = run_bytes(shanxi_exe, "town", b"Xinghuacn\xff", "--json")
    json.loads(fuzzy.stdout.decode("utf-8"))
    assert b"\\udcff" in fuzzy.stdout


@pytest.mark.parametrize("columns", ["0", "-5", "abc", ""])
def test_a_width_that_is_not_a_positive_number_is_80(shanxi_exe: str, columns: str) -> None:
    shown = in_terminal(shanxi_exe, "town", "Xinghuacun", env={"COLUMNS": columns})
    assert "50,000" in shown


@pytest.mark.parametrize("option", [["--min", "nan"], ["--max", "inf"], ["--min", "-inf"]])
def test_non_finite_numbers_are_usage_errors(shanxi_exe: str, option: list[str]) -> None:
    done = run_bytes(shanxi_exe, "metric", "jobs", *option)
    assert done.returncode == 2
    assert b"finite" in done.stderr


def test_usage_errors_show_argv_text_escaped(shanxi_exe: str) -> None:
    done = run_bytes(shanxi_exe, "list", "\u202etowns\u2066\u2028", "--json")
    assert done.returncode == 2
    err = done.stderr.decode()
    for raw in ("\u202e", "\u2066", "\u2028"):
        assert raw not in err
    assert "\\u202etowns" in err


HOSTILE_TEXT = "x\x1b[2J\x1b]8;;http://evil\x07link\x1b]8;;\x07\u202eevil\u2028\r\n=cmd|x\ud800"


# Keys whose values are ids, codes or quotes that must stay verbatim for the store to load.
KEPT = {"id", "kind", "subject", "metric", "file", "qualifier", "status", "type", "quote"}
KEPT |= {"organisation", "attributed_to", "unit", "unit_as_stated", "document", "date"}


def plant(value: object) -> object:
    """The store with the hostile text added to every free-text string."""
    if isinstance(value, dict):
        return {
            key: item + HOSTILE_TEXT if isinstance(item, str) and key not in KEPT else plant(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [plant(item) for item in value]
    return value


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from .conftest import MINI_STORE

    folder = tmp_path_factory.mktemp("hostile")
    data = plant(json.loads(MINI_STORE.read_text(encoding="utf-8")))
    for document in json.loads(MINI_STORE.read_text())["documents"]:
        (folder / document["file"]).parent.mkdir(parents=True, exist_ok=True)
        (folder / document["file"]).write_bytes((MINI_STORE.parent / document["file"]).read_bytes())
    path = folder / "facts.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


HOSTILE_COMMANDS = [
    ["town", "taigu"],
    ["company", "fenjiu"],
    ["person", "ma-yunxia"],
    ["source", "xinghuacun.jobs"],
    ["metric", "output-value"],
    ["metric", "jobs", "--town", "xinghuacun"],
    ["metric"],
    ["list", "towns"],
    ["list", "metrics"],
    ["search", "malleable"],
    ["ask", "malleable"],
    ["verify"],
]


def test_the_hostile_commands_cover_every_command() -> None:
    assert sorted({args[0] for args in HOSTILE_COMMANDS}) == COMMANDS


@pytest.mark.parametrize("args", HOSTILE_COMMANDS)
@pytest.mark.parametrize("output_format", ["table", "text", "csv", "json", "jsonl"])
def test_hostile_store_text_never_reaches_a_terminal_raw(
    shanxi_exe: str, hostile_store: Path, args: list[str], output_format: str
) -> None:
    shown = in_terminal(
        shanxi_exe, *args, "--format", output_format, "--facts", str(hostile_store),
        expect_code=4 if args == ["verify"] else 0,
    )  # fmt: skip
    for raw in ("\x1b[2J", "\x1b]8", "\x07", "\u202e", "\u2028"):
        assert raw not in shown, (args, output_format, raw)
    assert "Traceback" not in shown and "Error" not in shown, shown
