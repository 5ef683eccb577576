from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shanxi_cli import cli
from shanxi_cli.store import Store, bundled_store_path, load_store

FIXTURES = Path(__file__).parent / "fixtures"
MINI_STORE = FIXTURES / "store.json"


@pytest.fixture(autouse=True)
def fresh_store_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each test picks its store through --facts or $SHANXI_FACTS; the per-process cache
    # must not carry one test's store into the next.
    cli._store.cache_clear()
    monkeypatch.delenv("SHANXI_FACTS", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def store() -> Store:
    return load_store(bundled_store_path())


@pytest.fixture(scope="session")
def shanxi_exe() -> str:
    """The installed console script, beside the running interpreter."""
    candidate = Path(sys.executable).parent / "shanxi"
    found = str(candidate) if candidate.exists() else shutil.which("shanxi")
    if not found:
        pytest.fail("the shanxi console script is not installed: pip install .[test]")
    return found
