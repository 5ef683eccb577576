"""Data that a float or a lax schema check would get wrong: exact bounds, repeated names."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from shanxi_cli.cli.commands import app

from .conftest import MINI_STORE

MINI = json.loads(MINI_STORE.read_text(encoding="utf-8"))
HUGE = 10**18


def store_with(tmp_path: Path, change: Any) -> Path:
    data = copy.deepcopy(MINI)
    change(data)
    path = tmp_path / "store.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "seeds").mkdir(exist_ok=True)
    (tmp_path / "seeds" / "mini.txt").write_text(
        (MINI_STORE.parent / "seeds" / "mini.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    return path


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def huge_jobs(tmp_path: Path) -> Path:
    def change(data: dict[str, Any]) -> None:
        data["facts"][1]["value"] = HUGE
        data["facts"][1]["qualifier"] = "exact"

    return store_with(tmp_path, change)


@pytest.mark.parametrize(
    ("option", "bound", "kept"),
    [
        ("--min", str(HUGE + 1), False),
        ("--min", str(HUGE), True),
        ("--max", str(HUGE - 1), False),
        ("--max", str(HUGE), True),
        ("--min", "1000000000000000000.5", False),
        ("--max", "999999999999999999.5", False),
        ("--min", "1e18", True),
        ("--min", "1.0000000000000000001e18", False),
    ],
)
def test_bounds_are_compared_exactly_not_as_floats(
    huge_jobs: Path, option: str, bound: str, kept: bool
) -> None:
    result = run("metric", "jobs", option, bound, "--json", "--facts", str(huge_jobs))
    assert result.exit_code == 0, result.stderr
    assert [fact["value"] for fact in json.loads(result.stdout)] == ([HUGE] if kept else [])


def test_a_bound_of_thousands_of_digits_is_a_number_not_a_traceback(huge_jobs: Path) -> None:
    result = run("metric", "jobs", "--max", "9" * 5000, "--json", "--facts", str(huge_jobs))
    assert result.exit_code == 0, result.stderr
    assert [fact["value"] for fact in json.loads(result.stdout)] == [HUGE]


def test_a_bound_that_is_no_number_is_a_short_usage_error(huge_jobs: Path) -> None:
    result = run("metric", "jobs", "--min", "x" * 5000, "--facts", str(huge_jobs))
    assert result.exit_code == 2
    assert "is not a number" in result.stderr and len(result.stderr) < 300


def test_a_related_entity_named_twice_is_refused(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["facts"][0]["related"] = ["shanxi", "shanxi", "shanxi"]

    result = run("town", "shanxi", "--facts", str(store_with(tmp_path, change)))
    assert result.exit_code == 4
    assert result.stderr == (
        f"shanxi: error: invalid fact store {tmp_path / 'store.json'}:"
        " facts[0].related[1]: 'shanxi' is named twice\n"
    )
