from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from shanxi_cli.cli import commands as cli
from shanxi_cli.index.choice import forget_stores
from shanxi_cli.store.json_store import JsonStore, bundled_store_path, load_store

FIXTURES = Path(__file__).parent / "fixtures"
# Every command, read from the app itself: a test that samples each command checks that
# its sample covers this list, so a new command cannot slip past it.
ALL_COMMANDS = sorted(typer.main.get_command(cli.app).commands)
# The commands that print a document (they have --json and --format): every command but
# those that answer with something else, which tests/test_batch.py names and tests.
COMMANDS = sorted(
    name
    for name, command in typer.main.get_command(cli.app).commands.items()  # type: ignore[attr-defined]
    if any("--json" in getattr(param, "opts", ()) for param in command.params)
)
MINI_STORE = FIXTURES / "store.json"
BENCH = Path(__file__).resolve().parent.parent / "bench"


def made_store(entities: int, path: Path) -> Path:
    """A synthetic store of about this many entities, from the bench's generator."""
    subprocess.run(
        [sys.executable, str(BENCH / "make_store.py"), str(entities), str(path)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return path


@pytest.fixture(autouse=True)
def fresh_store_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each test picks its store through --facts or $SHANXI_FACTS; the per-process cache
    # must not carry one test's store into the next.
    forget_stores()
    monkeypatch.delenv("SHANXI_FACTS", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def run(runner: CliRunner, *args: str) -> Any:
    """One command through Typer's CliRunner, stdout and stderr kept apart."""
    return runner.invoke(cli.app, list(args))


def ok_json(result: Any) -> Any:
    """The JSON document a successful command printed."""
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="session")
def store() -> JsonStore:
    return load_store(bundled_store_path())


@pytest.fixture(scope="session")
def shanxi_exe() -> str:
    """The installed console script, beside the running interpreter."""
    candidate = Path(sys.executable).parent / "shanxi"
    found = str(candidate) if candidate.exists() else shutil.which("shanxi")
    if not found:
        pytest.fail("the shanxi console script is not installed: pip install .[test]")
    return found
