"""The benchmark tools still run against the code they measure (bench/ is not timed here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from shanxi_cli.store.json_store import load_store

BENCH = Path(__file__).resolve().parent.parent / "bench"


def run(*args: str, status: int = 0) -> str:
    done = subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == status, done.stderr
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


def test_the_build_profile_times_every_stage_of_the_index(tmp_path: Path) -> None:
    path = tmp_path / "store.json"
    run(str(BENCH / "make_store.py"), "50", str(path))
    report = run(str(BENCH / "load_profile.py"), str(path), "--build", "--runs", "2")
    assert "of 2 runs" in report
    for stage in ("entities", "facts", "name keys", "search corpus", "the rest"):
        line = next(line for line in report.splitlines() if stage in line)
        assert float(line.split("ms")[0]) > 0


def test_every_startup_case_runs_and_shows_what_it_claims(tmp_path: Path) -> None:
    # Each case runs once, untimed; a wrong exit status or output fails the check.
    run(str(BENCH / "startup.py"), "--check-only", "--sizes", "20", "--store-dir", str(tmp_path))


def test_a_case_that_fails_fails_the_startup_check() -> None:
    command = [sys.executable, str(BENCH / "startup.py"), "--check-only", "--sizes", ""]
    command += ["--only", "town,added-broken", "--add", "broken=false"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1
    assert "broken: exit 1" in done.stderr


def test_pyperf_times_the_cases_and_the_ratios_are_to_the_empty_typer_app(
    tmp_path: Path,
) -> None:
    out = tmp_path / "startup.json"
    startup = str(BENCH / "startup.py")
    run(startup, "--rounds", "1", "--values", "1", "--sizes", "", "--only", "typer,town",
        "--json", str(out))  # fmt: skip
    results = {case["key"]: case for case in json.loads(out.read_text())["empty Typer app"]}
    assert set(results) == {"typer", "town"}
    assert results["typer"]["ratio"] == 1.0
    town = results["town"]
    assert town["samples"] == 1
    assert town["median_ms"] > 0
    assert town["ratio"] == town["median_ms"] / results["typer"]["median_ms"]
    assert town["peak_rss_mib"] > 0


def test_reader_recall_reports_each_command_on_a_half() -> None:
    out = run(str(BENCH / "reader_recall.py"), "tune", "--commands", "ask,metric,search")
    assert [line.split(" | ")[1] for line in out.splitlines()[2:]] == ["ask", "metric", "search"]


def test_the_batch_bench_writes_its_requests_and_runs(tmp_path: Path) -> None:
    path = tmp_path / "requests.txt"
    run(str(BENCH / "batch_bench.py"), "--requests", "45", "--write", str(path))
    made = path.read_text(encoding="utf-8").splitlines()
    assert len(made) == 45
    assert {line.split()[0] for line in made} >= {"town", "company", "person", "metric", "search"}
    report = run(str(BENCH / "batch_bench.py"), "--requests", "45", "--runs", "1")
    assert "batch / one lookup" in report
    assert "exit codes of the lines: 0: " in report
