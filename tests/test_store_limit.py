"""$SHANXI_MAX_STORE_BYTES: the store size limit a user may raise, the default kept safe."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shanxi_cli.cli.commands import app
from shanxi_cli.store import json_store, safe_read
from shanxi_cli.store.safe_read import MOST_STORE_BYTES, STORE_LIMIT_ENV_VAR, store_limit

from .conftest import MINI_STORE

DEFAULT = json_store.MAX_STORE_BYTES


@pytest.fixture(autouse=True)
def fresh_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    # The limit is read once per process (one note at most); each test starts afresh.
    safe_read._store_limit.cache_clear()
    monkeypatch.delenv(STORE_LIMIT_ENV_VAR, raising=False)


def test_the_default_is_256_mib_and_unchanged_without_the_variable() -> None:
    assert DEFAULT == 256 * 1024 * 1024
    assert store_limit(DEFAULT) == DEFAULT


@pytest.mark.parametrize(
    ("raw", "limit"),
    [("", DEFAULT), ("   ", DEFAULT), ("1073741824", 1 << 30), (" 512 ", 512), ("1", 1)],
)
def test_a_whole_number_of_bytes_is_the_limit(
    raw: str, limit: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(STORE_LIMIT_ENV_VAR, raw)
    assert store_limit(DEFAULT) == limit
    assert capsys.readouterr().err == ""


MALFORMED = [
    "²",  # a digit to str.isdigit(), not to int()
    "١٢٣",  # Arabic-Indic digits: int() reads them, a user did not mean them
    "-1",
    "0",
    "+5",
    "1_000",
    "1e9",
    "2GB",
    "0x10",
    "nan",
    str(MOST_STORE_BYTES + 1),
    "9" * 5000,  # more digits than int() converts
    "1\n2",
    "\u202e1",
]


@pytest.mark.parametrize("raw", MALFORMED)
def test_a_malformed_value_is_one_note_and_the_default(
    raw: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(STORE_LIMIT_ENV_VAR, raw)
    assert store_limit(DEFAULT) == DEFAULT
    assert store_limit(DEFAULT) == DEFAULT  # read twice, said once
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert err.startswith(f"shanxi: note: ${STORE_LIMIT_ENV_VAR} is ")
    assert err.endswith(f"the limit stays {DEFAULT:,} bytes\n")
    assert err.isprintable() or err[:-1].isprintable()  # control characters escaped
    assert len(err) < 250  # a long value is cut short


@pytest.mark.parametrize("raw", ["²", "-7", "99999999999999999999999"])
def test_a_command_with_a_malformed_value_answers_with_one_note(
    raw: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(STORE_LIMIT_ENV_VAR, raw)
    result = CliRunner().invoke(app, ["town", "Xinghuacun", "--json"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("{")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_the_variable_raises_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "store.json"
    shutil.copy(MINI_STORE, store)
    shutil.copytree(MINI_STORE.parent / "seeds", tmp_path / "seeds")
    size = store.stat().st_size
    # A small default stands for 256 MiB: the store is too large for it ...
    monkeypatch.setattr(json_store, "MAX_STORE_BYTES", 1024)
    refused = CliRunner().invoke(app, ["town", "Taigu", "--json", "--facts", str(store)])
    assert refused.exit_code == 4
    assert refused.stderr == (
        f"shanxi: error: fact store {store} is {size:,} bytes; the limit is 1,024"
        f" (${STORE_LIMIT_ENV_VAR} raises it)\n"
    )
    # ... and the variable lets it be read.
    monkeypatch.setenv(STORE_LIMIT_ENV_VAR, str(size))
    safe_read._store_limit.cache_clear()
    answered = CliRunner().invoke(app, ["town", "Taigu", "--json", "--facts", str(store)])
    assert answered.exit_code == 0, answered.stderr
    # One byte less is refused again: the value is the limit, not a hint.
    monkeypatch.setenv(STORE_LIMIT_ENV_VAR, str(size - 1))
    from shanxi_cli.index.choice import forget_stores

    forget_stores()
    again = CliRunner().invoke(app, ["town", "Taigu", "--json", "--facts", str(store)])
    assert again.exit_code == 4
    assert f"the limit is {size - 1:,}" in again.stderr
