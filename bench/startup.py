"""Whole-process start-up of shanxi beside its baselines, timed by `pyperf command`.

Usage: python bench/startup.py [--rounds 10] [--values 3] [--sizes 1000,10000]
                               [--only KEY,...] [--add 'LABEL=COMMAND' ...]
                               [--instructions] [--check-only] [--json OUT.json] [--keep DIR]

Every lookup is a new process, so what counts is a whole process, from exec to exit.
First each case runs once, untimed, and its output is checked (exit 0, the right
entity, a fuzzy match, a table); then come --rounds rounds, each running every case
once in a shuffled order as one `pyperf command` (one worker, a warm-up, --values timed
runs), so that drift in the machine's load falls on all cases alike. pyperf appends
each case's runs to one JSON file per case; the report gives medians, minimums, peak
RSS and each median's ratio to its reference, measured in the same rounds:

* shanxi's lookups and every baseline against an empty Typer app with two commands
  (same interpreter, same Typer): the floor of any Typer CLI;
* the growth cases (town lookups against synthetic stores of --sizes entities, written
  by make_store.py) against the same lookups of the bundled store, in rounds of their
  own, so that a slow large store does not disturb the start-up cases.

pyperf gives its workers a clean environment (PATH, HOME, the locale and the variables a
case sets), so a shell's PYTHONDONTWRITEBYTECODE does not reach the timed processes: they
load cached bytecode, as an installed package does. Table cases run under in_pty.py,
and are compared with a tiny Rich table run the same way. `--add` puts an ad-hoc
command in the same rounds (to compare a variant side by side); `--keep` keeps pyperf's
files for `python -m pyperf stats` or `hist`. `--instructions` also counts each case's
instructions once under valgrind's callgrind: wall time on a shared machine wanders with
its load, and that count does not. The report is a markdown table on stdout.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pyperf

BENCH = Path(__file__).resolve().parent
BUNDLED_STORE = BENCH.parent / "facts.json"
PYTHON = sys.executable
SHANXI = str(Path(PYTHON).parent / "shanxi")
TERMINAL = {"COLUMNS": "80", "LINES": "24", "TERM": "xterm-256color"}

EMPTY_TYPER_APP = '''\
import typer

app = typer.Typer()


@app.command()
def hello() -> None:
    """Do nothing."""


@app.command()
def goodbye() -> None:
    """Do nothing either."""


app()
'''
# The same app run as shanxi's console script runs it (collector off before Typer is
# imported, everything frozen before exit): what that setting would save any Typer app.
EMPTY_TYPER_APP_NO_GC = "import gc\n\ngc.disable()\n" + EMPTY_TYPER_APP.replace(
    "\napp()\n", "\ntry:\n    app()\nfinally:\n    gc.freeze()\n"
)
# One line: pyperf keeps the command in its metadata, where newlines are refused.
RICH_TABLE = (
    "import rich.console, rich.table; table = rich.table.Table('Metric', 'Value'); "
    "table.add_row('jobs', '37,100'); rich.console.Console().print(table)"
)


@dataclass
class Case:
    key: str
    label: str
    argv: list[str]
    reference: str  # the key of the case its median is divided by
    expect: tuple[str, ...] = ()  # text that the output must contain
    env: dict[str, str] = field(default_factory=dict)


def in_pty(argv: list[str]) -> list[str]:
    return [PYTHON, "-S", "-I", str(BENCH / "in_pty.py"), *argv]


def main_cases(scratch: Path) -> list[Case]:
    empty_typer = scratch / "empty_typer.py"
    empty_typer.write_text(EMPTY_TYPER_APP, encoding="utf-8")
    empty_typer_no_gc = scratch / "empty_typer_no_gc.py"
    empty_typer_no_gc.write_text(EMPTY_TYPER_APP_NO_GC, encoding="utf-8")

    def shanxi(key: str, args: str, *expect: str) -> Case:
        return Case(key, f"shanxi {args}", [SHANXI, *args.split()], "typer", expect)

    cases = [
        shanxi("town", "town Xinghuacun --json", "xinghuacun"),
        shanxi("fuzzy", "town Xinghuacn --json", "xinghuacun", "fuzzy"),
        shanxi("company", "company fenjiu --json", "fenjiu"),
        shanxi("metric", "metric jobs --json", "jobs"),
        shanxi("search", "search buckwheat --json", "buckwheat"),
        shanxi("ask", "ask how many jobs did Xinghuacun create --json", "xinghuacun.jobs"),
        Case(
            "table",
            "shanxi town Xinghuacun (table, pty)",
            in_pty([SHANXI, "--no-pager", "town", "Xinghuacun"]),
            "typer",
            ("Xinghuacun", "\u2500"),
            TERMINAL,
        ),
        Case("pass", "python -c pass", [PYTHON, "-c", "pass"], "typer"),
        Case("typer", "empty Typer app (2 commands)", [PYTHON, str(empty_typer), "hello"], "typer"),
        Case(
            "typer_no_gc",
            "empty Typer app, collector off and frozen as shanxi",
            [PYTHON, str(empty_typer_no_gc), "hello"],
            "typer",
        ),
        Case(
            "rich_import",
            "python -c 'import rich.console, rich.table'",
            [PYTHON, "-c", "import rich.console, rich.table"],
            "typer",
        ),
        Case(
            "rich_table",
            "tiny Rich table (pty)",
            in_pty([PYTHON, "-c", RICH_TABLE]),
            "typer",
            ("37,100",),
            TERMINAL,
        ),
    ]
    jq = shutil.which("jq")
    if jq is None:
        print("note: jq is not installed; its baseline is skipped", file=sys.stderr)
    else:
        jq_filter = '.entities[] | select(.name == "Xinghuacun")'
        cases.append(
            Case(
                "jq",
                "jq select Xinghuacun facts.json",
                [jq, jq_filter, str(BUNDLED_STORE)],
                "typer",
                ('"Xinghuacun"',),
            )
        )
    return cases


def synthetic_store(size: int, store_dir: Path) -> Path:
    """The store of `size` entities, reused while make_store.py is unchanged."""
    make_store = BENCH / "make_store.py"
    digest = hashlib.sha256(make_store.read_bytes()).hexdigest()[:10]
    path = store_dir / f"store-{size}-{digest}.json"
    if not path.exists():
        print(f"writing the {size:,}-entity store ...", file=sys.stderr)
        command = [PYTHON, str(make_store), str(size), str(path)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return path


def growth_cases(sizes: list[int], store_dir: Path) -> list[Case]:
    if not sizes:
        return []
    stores = [("bundled", "bundled store", {})]
    for size in sizes:
        path = synthetic_store(size, store_dir)
        stores.append((str(size), f"{size:,} entities", {"SHANXI_FACTS": str(path)}))
    cases = []
    for tag, what, env in stores:
        for kind, name in (("exact", "Xinghuacun"), ("fuzzy", "Xinghuacn")):
            expect = ("xinghuacun", "fuzzy") if kind == "fuzzy" else ("xinghuacun",)
            cases.append(
                Case(
                    f"growth-{tag}-{kind}",
                    f"{what}: town {name} --json",
                    [SHANXI, "town", name, "--json"],
                    f"growth-bundled-{kind}",
                    expect,
                    env,
                )
            )
    return cases


def added_cases(specs: list[str]) -> list[Case]:
    cases = []
    for spec in specs:
        label, _, command = spec.partition("=")
        if not command:
            sys.exit(f"startup: --add wants LABEL=COMMAND, got {spec!r}")
        key = "added-" + re.sub(r"\W+", "-", label).strip("-")
        cases.append(Case(key, label, shlex.split(command), "typer"))
    return cases


def untimed_env(case: Case) -> dict[str, str]:
    env = {**os.environ, **case.env}
    if "SHANXI_FACTS" not in case.env:
        env.pop("SHANXI_FACTS", None)
    return env


def check(case: Case) -> str | None:
    """Run the case once, untimed: why it is wrong, or None."""
    try:
        done = subprocess.run(
            case.argv, env=untimed_env(case), capture_output=True, timeout=600, check=False
        )
    except OSError as error:  # e.g. no shanxi console script beside this python
        return str(error)
    if done.returncode != 0:
        last = done.stderr.decode(errors="replace").strip().splitlines()[-1:]
        return f"exit {done.returncode}: {' '.join(last)}"
    missing = [text for text in case.expect if text not in done.stdout.decode(errors="replace")]
    return f"output lacks {missing}" if missing else None


def instructions(case: Case) -> int | None:
    """The instructions one run of the case executes, every process of it, counted by
    valgrind's callgrind: the same on every run, however busy the machine is."""
    env = {**untimed_env(case), "PYTHONHASHSEED": "0"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    valgrind = ["valgrind", "--tool=callgrind", "--trace-children=yes"]
    command = [*valgrind, "--callgrind-out-file=/dev/null", *case.argv]
    done = subprocess.run(command, env=env, capture_output=True, check=False)
    counts = re.findall(rb"Collected : (\d+)", done.stderr)
    return sum(map(int, counts)) if done.returncode == 0 and counts else None


def time_once(case: Case, values: int, out_dir: Path) -> None:
    """One worker of `pyperf command`: a warm-up and `values` timed runs of the case,
    appended to the case's file."""
    inherit = ["--inherit-environ", ",".join(case.env)] if case.env else []
    command = [
        PYTHON, "-m", "pyperf", "command", "--quiet", "--processes", "1",
        "--values", str(values), "--warmups", "1", "--loops", "1",
        "--append", str(out_dir / f"{case.key}.json"), "--name", case.key,
        *inherit, "--", *case.argv,
    ]  # fmt: skip
    env = {**os.environ, **case.env}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{case.label}: pyperf failed:\n{done.stdout}{done.stderr}")


def measure(cases: list[Case], rounds: int, values: int, out_dir: Path, count: bool) -> list[dict]:
    for case in cases:  # pyperf appends: runs left by an earlier --keep must not mix in
        (out_dir / f"{case.key}.json").unlink(missing_ok=True)
    for number in range(1, rounds + 1):
        print(f"round {number}/{rounds}", file=sys.stderr)
        order = cases[:]
        random.Random(number).shuffle(order)
        for case in order:
            time_once(case, values, out_dir)
    results = {}
    for case in cases:
        timed = pyperf.Benchmark.load(str(out_dir / f"{case.key}.json"))
        samples = [value * 1000 for value in timed.get_values()]
        # Each worker records the peak RSS of the command it ran, in bytes.
        peaks = [run.get_metadata().get("command_max_rss", 0) for run in timed.get_runs()]
        rss = max(peaks, default=0)
        results[case.key] = {
            "key": case.key,
            "label": case.label,
            "command": shlex.join(case.argv),
            "samples": len(samples),
            "median_ms": statistics.median(samples),
            "min_ms": min(samples),
            "peak_rss_mib": rss / 2**20 if rss else None,
            "reference": case.reference,
            "instructions": instructions(case) if count else None,
        }
    for result in results.values():
        reference = results.get(result["reference"])
        result["ratio"] = result["median_ms"] / reference["median_ms"] if reference else None
        counted = reference and reference["instructions"] and result["instructions"]
        result["instructions_ratio"] = (
            result["instructions"] / reference["instructions"] if counted else None
        )
    return list(results.values())


def markdown(results: list[dict], against: str) -> str:
    counted = any(result["instructions"] for result in results)
    extra = f" M instructions | ratio to {against} |" if counted else ""
    lines = [
        f"| case | median ms | min ms | peak RSS MiB | ratio to {against} |{extra}",
        "| --- | ---: | ---: | ---: | ---: |" + (" ---: | ---: |" if counted else ""),
    ]

    def shown(value: float | None, form: str) -> str:
        return format(value, form) if value else "-"

    for result in results:
        count = result["instructions"] / 1e6 if result["instructions"] else None
        lines.append(
            f"| `{result['label']}` | {result['median_ms']:.1f} | {result['min_ms']:.1f}"
            f" | {shown(result['peak_rss_mib'], '.1f')} | {shown(result['ratio'], '.2f')} |"
            + (
                f" {shown(count, '.1f')} | {shown(result['instructions_ratio'], '.3f')} |"
                if counted
                else ""
            )
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=10, help="interleaved rounds (10)")
    parser.add_argument("--values", type=int, default=3, help="timed runs per case a round (3)")
    parser.add_argument(
        "--sizes",
        default="1000,10000",
        help="synthetic store sizes for the growth cases ('' for none)",
    )
    parser.add_argument("--only", help="comma-separated keys of the cases to run")
    parser.add_argument(
        "--add",
        action="append",
        default=[],
        metavar="LABEL=COMMAND",
        help="also time this command, against the empty Typer app",
    )
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count each case's instructions once under valgrind's callgrind",
    )
    parser.add_argument("--check-only", action="store_true", help="check every case, time none")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--keep", type=Path, help="keep pyperf's files in this directory")
    parser.add_argument("--store-dir", type=Path, help="keep synthetic stores here")
    args = parser.parse_args(argv)
    if args.instructions and shutil.which("valgrind") is None:
        parser.error("--instructions needs valgrind (Debian: apt install valgrind)")
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    load_before = os.getloadavg()[0]

    with tempfile.TemporaryDirectory(prefix="shanxi-bench-") as scratch:
        store_dir = args.store_dir or Path(scratch)
        out_dir = args.keep or Path(scratch)
        for directory in (store_dir, out_dir):
            directory.mkdir(parents=True, exist_ok=True)
        phases = {
            "empty Typer app": main_cases(Path(scratch)) + added_cases(args.add),
            "bundled store": growth_cases(sizes, store_dir),
        }
        if args.only:
            keys = set(args.only.split(","))
            phases = {name: [c for c in cases if c.key in keys] for name, cases in phases.items()}
        wrong = [(case, check(case)) for cases in phases.values() for case in cases]
        for case, why in wrong:
            if why:
                print(f"startup: {case.label}: {why}", file=sys.stderr)
        if any(why for _, why in wrong):
            return 1
        if args.check_only:
            return 0
        report: dict[str, list[dict]] = {}
        for against, cases in phases.items():
            if cases:
                report[against] = measure(
                    cases, args.rounds, args.values, out_dir, args.instructions
                )
                print(markdown(report[against], against) + "\n")
    print(
        f"pyperf {pyperf.__version__}; python {sys.version.split()[0]}; {os.cpu_count()} CPUs;"
        f" {args.rounds} rounds of {args.values} runs a case; load average {load_before:.1f}"
        f" before, {os.getloadavg()[0]:.1f} after (other work on the machine slows every case)"
    )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
