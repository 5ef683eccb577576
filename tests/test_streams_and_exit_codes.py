"""The installed `shanxi` as scripts and terminals see it: streams, exit codes, TTY vs pipe."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest


def shanxi(
    exe: str, *args: str, env: dict[str, str] | None = None, cwd: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [exe, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, **(env or {})},
        cwd=cwd,
        timeout=60,
    )


def in_terminal(
    exe: str, *args: str, env: dict[str, str] | None = None, expect_code: int | None = 0
) -> str:
    """Run with stdout on a pseudo-terminal 80 columns wide; return what it showed there,
    then what it wrote to stderr."""
    leader, follower = pty.openpty()
    inherited = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    full_env = {
        **inherited,
        "COLUMNS": "80",
        "LINES": "40",
        "TERM": "xterm-256color",
        **(env or {}),
    }
    process = subprocess.Popen([exe, *args], stdout=follower, stderr=subprocess.PIPE, env=full_env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    _, err = process.communicate(timeout=60)
    os.close(leader)
    if expect_code is not None:
        assert process.returncode == expect_code, err
    return b"".join(chunks).decode("utf-8") + err.decode("utf-8")


def test_json_lookup_from_another_folder(shanxi_exe: str, tmp_path: Path) -> None:
    result = shanxi(shanxi_exe, "town", "Xinghuacun", "--json", cwd=str(tmp_path))
    assert result.returncode == 0
    assert result.stderr == ""
    assert json.loads(result.stdout)["id"] == "xinghuacun"


def test_python_dash_m_runs_the_same_app(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "shanxi_cli", "company", "fenjiu", "--json"],
        capture_output=True,
        text=True,
        cwd=str(tmp_path),
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["id"] == "fenjiu"


def test_piped_output_has_no_ansi_and_no_wrapping(shanxi_exe: str) -> None:
    result = shanxi(shanxi_exe, "town", "Xinghuacun", "--quotes", env={"COLUMNS": "40"})
    assert result.returncode == 0
    assert "\x1b" not in result.stdout
    fact_lines = [line for line in result.stdout.splitlines() if "\t" in line]
    assert any(len(line) > 120 for line in fact_lines)


def test_terminal_gets_a_coloured_table_within_80_columns(shanxi_exe: str) -> None:
    shown = in_terminal(shanxi_exe, "town", "Xinghuacun")
    assert "\x1b[" in shown
    assert "\u2500" in shown  # the rule under a table's headers
    plain = subprocess.run(
        ["sed", "s/\x1b\\[[0-9;]*m//g"], input=shown, capture_output=True, text=True
    ).stdout
    assert max(len(line.rstrip("\r")) for line in plain.splitlines()) <= 80
    assert "50,000" in plain


def test_no_color_turns_colour_off_on_a_terminal(shanxi_exe: str) -> None:
    shown = in_terminal(shanxi_exe, "company", "Qiangwei", env={"NO_COLOR": "1"})
    # NO_COLOR forbids colour; bold and dim are not colours and may stay.
    assert colour_codes(in_terminal(shanxi_exe, "company", "Qiangwei"))  # an expected figure
    assert colour_codes(shown) == []
    assert "8 billion" in shown


def colour_codes(shown: str) -> list[str]:
    params = [p for group in re.findall(r"\x1b\[([0-9;]*)m", shown) for p in group.split(";")]
    return [p for p in params if p.isdigit() and (30 <= int(p) <= 49 or 90 <= int(p) <= 107)]


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("town", "Xinghuacun", "--json"), 0),
        (("town", "Atlantis", "--json"), 1),
        (("town", "--json"), 2),
        (("company", "Dingxiang", "--json"), 3),
        (("town", "Taigu", "--json", "--facts", "/nonexistent/facts.json"), 4),
    ],
)
def test_exit_codes_and_streams(shanxi_exe: str, args: tuple[str, ...], code: int) -> None:
    result = shanxi(shanxi_exe, *args)
    assert result.returncode == code
    assert "Traceback" not in result.stderr
    if code == 0:
        json.loads(result.stdout)
        assert result.stderr == ""
    else:
        assert result.stdout == ""
        assert result.stderr.strip()


def test_invalid_store_file_exits_4_naming_it(shanxi_exe: str, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{ not json", encoding="utf-8")
    result = shanxi(shanxi_exe, "town", "Taigu", env={"SHANXI_FACTS": str(broken)})
    assert result.returncode == 4
    assert str(broken) in result.stderr
    assert result.stderr.count("\n") == 1


@pytest.fixture(scope="module")
def big_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store whose `metric jobs` output is far larger than a pipe's buffer."""
    from .conftest import MINI_STORE

    data = json.loads(MINI_STORE.read_text(encoding="utf-8"))
    jobs = data["facts"][1]
    data["facts"] = [{**jobs, "id": f"xinghuacun.jobs-{n}"} for n in range(3000)]
    path = tmp_path_factory.mktemp("big") / "facts.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize("reader", ["head -c 20", "head -1"])
@pytest.mark.parametrize("output", ["--json", "--format=text", "--format=csv"])
def test_closed_pipe_ends_quietly(
    shanxi_exe: str, big_store: Path, reader: str, output: str
) -> None:
    result = subprocess.run(
        f"'{shanxi_exe}' metric jobs {output} --facts '{big_store}' | {reader} >/dev/null;"
        ' echo "${PIPESTATUS[0]}"',
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stderr == ""
    assert result.stdout.strip() == "141"  # ended by SIGPIPE, as `yes | head` is


def snapshot(*folders: Path) -> dict[str, float]:
    return {
        str(path): path.stat().st_mtime
        for folder in folders
        for path in [folder, *folder.rglob("*")]
    }


def test_the_tool_writes_nothing_anywhere(shanxi_exe: str, tmp_path: Path) -> None:
    import shutil
    import stat

    from shanxi_cli.store.json_store import bundled_store_path

    data = tmp_path / "data"
    shutil.copytree(bundled_store_path().parent / "seeds", data / "seeds")
    shutil.copy(bundled_store_path(), data / "facts.json")
    for path in [data, *data.rglob("*")]:
        path.chmod(stat.S_IRUSR | stat.S_IXUSR if path.is_dir() else stat.S_IRUSR)
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    package = Path(
        subprocess.run(
            [sys.executable, "-c", "import shanxi_cli; print(shanxi_cli.__file__)"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    ).parent
    before = snapshot(data, home, work, package)
    env = {"HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"), "SHANXI_FACTS": ""}
    for args in (
        ["town", "Xinghuacun", "--json"],
        ["town", "Xinghuacn", "--format", "table"],
        ["metric", "jobs", "--format", "csv"],
        ["search", "buckwheat"],
        ["source", "xinghuacun.jobs"],
        ["verify"],
    ):
        result = shanxi(
            shanxi_exe, *args, "--facts", str(data / "facts.json"), env=env, cwd=str(work)
        )
        assert result.returncode == 0, (args, result.stderr)
    assert snapshot(data, home, work, package) == before


def imported_modules(exe: str, *args: str) -> set[str]:
    """Every module a whole run of the installed script imports (Python's import-time log)."""
    result = shanxi(exe, *args, env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert result.returncode == 0, result.stderr
    return {
        line.rsplit("|", 1)[1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }


NEVER_AT_START = {"importlib.metadata", "pkg_resources", "pydantic", "importlib.resources"}


def test_an_exact_json_lookup_imports_no_heavy_module(shanxi_exe: str) -> None:
    modules = imported_modules(shanxi_exe, "town", "Xinghuacun", "--json")
    assert "shanxi_cli.store.json_store" in modules  # the log is real
    heavy = {
        "rich",
        "rapidfuzz",
        "decimal",
        "csv",
        "shanxi_cli.store.provenance",
        "shanxi_cli.output.rich_views",
        # ask's reading of questions and its meaning table: a lookup pays nothing for them
        "sqlite3",
        "Stemmer",
        "shanxi_cli.answer.ask",
        "shanxi_cli.answer.meaning",
    }
    assert modules & (heavy | NEVER_AT_START) == set()


def test_a_fuzzy_json_lookup_in_a_small_store_imports_neither_rapidfuzz_nor_rich(
    shanxi_exe: str,
) -> None:
    modules = imported_modules(shanxi_exe, "town", "Xinghuacn", "--json")
    assert "shanxi_cli.text.names" in modules
    assert modules & ({"rich", "rapidfuzz"} | NEVER_AT_START) == set()


def test_only_a_table_imports_rich(shanxi_exe: str) -> None:
    assert "rich" not in imported_modules(shanxi_exe, "town", "Xinghuacun", "--format", "text")
    assert "rich" in imported_modules(shanxi_exe, "town", "Xinghuacun", "--format", "table")
