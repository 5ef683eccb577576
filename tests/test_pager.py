"""Long pages page on a terminal, as git's do, and never in a pipe (issue 21).

The real installed script runs with stdin and stdout on a pseudo-terminal of 80x20; the
pager is a small script that records what it was given, so the tests see exactly what
reached it and what reached the terminal.
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from shanxi_cli.output.pager import pager_command

from .test_streams_and_exit_codes import imported_modules

LONG = ["town", "Shanxi"]  # far more than 20 lines
SHORT = ["metric", "lingqiu.output-value"]


@pytest.fixture
def recorder(tmp_path: Path) -> tuple[str, Path]:
    """A pager that keeps its input in a file and shows one line of its own."""
    record = tmp_path / "paged.txt"
    script = tmp_path / "pager.py"
    script.write_text(
        "import sys\n"
        f"open({str(record)!r}, 'w', encoding='utf-8').write(sys.stdin.read())\n"
        "print('[pager ran]')\n",
        encoding="utf-8",
    )
    return f"{sys.executable} {script}", record


def on_terminal(
    exe: str, args: list[str], env: dict[str, str], *, stdout_pipe: bool = False
) -> tuple[int, str]:
    """Run with stdin (and stdout, unless piped) on an 80x20 pseudo-terminal."""
    leader, follower = pty.openpty()
    full_env = {
        **{k: v for k, v in os.environ.items() if k not in ("PAGER", "SHANXI_PAGER", "LINES")},
        "COLUMNS": "80",
        "LINES": "20",
        "TERM": "xterm",
        "NO_COLOR": "1",
        **env,
    }
    process = subprocess.Popen(
        [exe, *args],
        stdin=follower,
        stdout=subprocess.PIPE if stdout_pipe else follower,
        stderr=subprocess.DEVNULL,
        env=full_env,
    )
    os.close(follower)
    chunks = []
    if stdout_pipe:
        assert process.stdout is not None
        chunks.append(process.stdout.read())
    else:
        while True:
            ready = select.select([leader], [], [], 30)[0]
            if not ready:
                break
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    code = process.wait(timeout=60)
    os.close(leader)
    return code, b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def test_a_long_page_goes_through_the_pager_on_a_terminal(
    shanxi_exe: str, recorder: tuple[str, Path]
) -> None:
    pager, record = recorder
    code, shown = on_terminal(shanxi_exe, LONG, {"SHANXI_PAGER": pager})
    assert code == 0
    assert "[pager ran]" in shown and "Facts (" not in shown
    paged = record.read_text(encoding="utf-8")
    assert paged.startswith("Shanxi (province)") and len(paged.splitlines()) > 100


def test_pager_is_shanxi_pager_then_pager(shanxi_exe: str, recorder: tuple[str, Path]) -> None:
    pager, record = recorder
    code, shown = on_terminal(shanxi_exe, LONG, {"PAGER": pager})
    assert (code, "[pager ran]" in shown, record.exists()) == (0, True, True)
    record.unlink()
    code, shown = on_terminal(shanxi_exe, LONG, {"PAGER": pager, "SHANXI_PAGER": "cat"})
    assert "Facts (" in shown and not record.exists()


@pytest.mark.parametrize(
    ("args", "stdout_pipe"),
    [
        (SHORT, False),  # fits the terminal
        (["--no-pager", *LONG], False),
        (LONG, True),  # a pipe
        ([*LONG, "--json"], False),
    ],
)
def test_no_pager_for_a_short_page_with_no_pager_in_a_pipe_or_for_json(
    shanxi_exe: str, recorder: tuple[str, Path], args: list[str], stdout_pipe: bool
) -> None:
    pager, record = recorder
    code, shown = on_terminal(shanxi_exe, args, {"SHANXI_PAGER": pager}, stdout_pipe=stdout_pipe)
    assert code == 0
    assert "[pager ran]" not in shown and not record.exists()
    assert "Shanxi" in shown or "lingqiu.output-value" in shown


@pytest.mark.parametrize("pager", ["/nonexistent/pager", "false", "'unclosed"])
def test_a_pager_that_fails_or_is_missing_falls_back_to_printing(
    shanxi_exe: str, pager: str
) -> None:
    code, shown = on_terminal(shanxi_exe, LONG, {"SHANXI_PAGER": pager})
    assert code == 0
    assert shown.startswith("Shanxi (province)") and "Facts (" in shown


def test_the_pager_command_is_chosen_as_git_chooses_it(monkeypatch: pytest.MonkeyPatch) -> None:
    assert pager_command({"SHANXI_PAGER": "most -s", "PAGER": "more"}) == ["most", "-s"]
    assert pager_command({"PAGER": "more"}) == ["more"]
    assert pager_command({"SHANXI_PAGER": "", "PAGER": "more"}) is None
    assert pager_command({"PAGER": "cat"}) is None
    monkeypatch.setattr("shutil.which", lambda name: "/usr/bin/less")
    assert pager_command({}) == ["less", "-FRX"]
    monkeypatch.setattr("shutil.which", lambda name: None)
    assert pager_command({}) is None


def test_a_json_lookup_never_loads_the_pager(shanxi_exe: str) -> None:
    modules = imported_modules(shanxi_exe, "town", "Xinghuacun", "--json")
    assert "shanxi_cli.output.pager" not in modules
