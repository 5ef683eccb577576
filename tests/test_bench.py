"""The benchmark tools still run against the code they measure (bench/ is not timed here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from shanxi_cli.store import load_store

BENCH = Path(__file__).resolve().parent.parent / "bench"


def run(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_synthetic_store_loads_and_holds_the_benchmark_lookups(tmp_path: Path) -> None:
    path = tmp_path / "store.json"
    run(str(BENCH / "make_store.py"), "50", str(path))
    made = load_store(path)
    assert len(made.entities) == 50
    assert made.entities["xinghuacun"].name == "Xinghuacun"
    assert "Fenjiu" in made.entities["fenjiu"].aliases


def test_the_load_profile_times_every_stage(tmp_path: Path) -> None:
    path = tmp_path / "store.json"
    run(str(BENCH / "make_store.py"), "50", str(path))
    report = run(str(BENCH / "load_profile.py"), str(path), "--runs", "2")
    assert "of 2 runs" in report
    for stage in ("parse the JSON", "schema checks", "cross-reference", "name index"):
        line = next(line for line in report.splitlines() if stage in line)
        assert float(line.split("ms")[0]) > 0
