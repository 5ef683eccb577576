"""Time shanxi's start-up as a user meets it: whole processes, from exec to exit.

Usage: python bench/startup.py [--runs 15] [--shanxi PATH] [--sizes 1000,10000,100000]
                               [--json PATH] [--store-dir DIR] [--inherit-bytecode-env]
                               [--instructions]

Method
------
Every lookup is a new process, so what matters is the wall time of a whole process:
interpreter start-up, `site` and the .pth files, imports, loading and validating the
store, the lookup, the output, and exit. Each run is timed with `time.perf_counter`
around `subprocess.run`, with stdin, stdout and stderr on /dev/null, and with no
timeout: given one, `Popen.wait` polls with sleeps that double up to 50 ms, and every
time is rounded up to the next poll (a first version of this script showed medians in
50 ms steps).

Bytecode: every Python process runs with PYTHONPYCACHEPREFIX set to a scratch directory
of this script and PYTHONDONTWRITEBYTECODE unset, so that after the warm-up all of them
load compiled bytecode, as an installed package does (pip compiles on install). Without
that, an editable checkout in an environment that sets PYTHONDONTWRITEBYTECODE=1 would
recompile shanxi_cli from source on every run. Nothing is written beside the sources.

Table output needs a terminal, so those cases run with stdout on the follower side of a
pseudo-terminal (`pty.openpty`, 80x24, COLUMNS=80, TERM=xterm-256color); the parent
reads and discards the leader side until EOF, inside the timed region, as a terminal
would. Those runs use `subprocess.Popen` and `wait` (subprocess.run cannot drain a pty).

Baselines put the numbers in proportion, measured in the same session:

* `python -c pass`: the interpreter and `site` (the venv's .pth files included);
* an empty Typer app with two commands (same interpreter, same typer), running one
  command that does nothing: the floor for any Typer CLI, and the targets' reference;
* the same app with the cycle collector off and its objects frozen before exit, as
  shanxi's console script runs: part of what shanxi saves is that setting, which would
  save any Typer app as much, and this baseline shows how much;
* `python -c "import rich.console, rich.table"` (piped), and a process printing a tiny
  Rich table to a pty: what a table costs before shanxi does anything;
* `jq` selecting Xinghuacun from facts.json: a non-Python tool doing the same lookup.

Interleaving: one warm-up round runs every command once, capturing its output to check
that it did what the case says (exit 0, the right entity, an exact or a fuzzy match, a
table); a case that fails the check is reported and not timed. Then each timed round runs
every command once, in an order shuffled per round (seeded), so that drift in machine
load and position effects fall on all cases alike. The median is the headline number;
the minimum shows the noise floor.

Peak memory: after the timed rounds each case runs once more, started by GNU
`/usr/bin/time -f %M` (or, without it, by a `python -S -I` helper that forks, execs and
reaps the child with `os.wait4`), which reports that child's `ru_maxrss` in KiB. Not
`os.wait4` on a child of this script: Linux carries the RSS high-water mark of the
forking process into the child across exec, so every child would report at least this
script's own peak. (`resource.getrusage(RUSAGE_CHILDREN)` is no better: it is the
largest of all children so far.)

Instructions (--instructions, where valgrind is installed): wall time on a shared VM
wanders by 10 to 20 % from minute to minute, so each case and baseline also runs once
under `valgrind --tool=callgrind`, with PYTHONHASHSEED=0, and the instructions it executed
are reported beside the times, with their ratios. That count is the same on every run of
the same programs, whatever else the machine is doing; it ignores what a CPU does per
instruction (cache misses, page faults), so it complements the times and does not
replace them.

Growth: synthetic stores of each --sizes entity count are written by make_store.py (once
per size; with --store-dir, kept and reused while make_store.py is unchanged) and the
exact and fuzzy town lookups are timed against them. These run as a second phase, in
rounds of their own that also time the same two lookups against the bundled store, the
reference for their ratios: a 20-second, 600 MiB run in the middle of the 100 ms cases
would disturb them (page cache, memory reclaim, a VM's CPU share).

The report goes to stdout; progress goes to stderr. Standard library only.
"""

from __future__ import annotations

import argparse
import errno
import fcntl
import hashlib
import json
import os
import platform
import pty
import random
import re
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
BUNDLED_STORE = REPO / "facts.json"
MAKE_STORE = BENCH / "make_store.py"
RUN_TIMEOUT_S = 600.0  # untimed runs only
MIN_RUNS = 10
TERMINAL_COLUMNS, TERMINAL_LINES = 80, 24

EMPTY_TYPER_APP = '''\
"""An empty Typer app with two commands: the start-up floor for a Typer CLI."""

import typer

app = typer.Typer()


@app.command()
def hello() -> None:
    """Do nothing."""


@app.command()
def goodbye() -> None:
    """Do nothing either."""


if __name__ == "__main__":
    app()
'''
# The same app run as shanxi's console script runs: cycle collector off before Typer is
# imported, every object frozen before exit (shanxi_cli.main). Beside the plain app it
# separates what that setting saves any Typer app from what shanxi itself costs.
EMPTY_TYPER_APP_NO_GC = "import gc\n\ngc.disable()\n" + EMPTY_TYPER_APP.replace(
    "    app()", "    try:\n        app()\n    finally:\n        gc.freeze()"
)
IMPORT_RICH = "import rich.console, rich.table"
RICH_TABLE = (
    "import rich.console, rich.table\n"
    "table = rich.table.Table('Metric', 'Value')\n"
    "table.add_row('jobs', '37,100')\n"
    "rich.console.Console().print(table)\n"
)
JQ_FILTER = '.entities[] | select(.name == "Xinghuacun")'

# Target limits (see `targets`).
JSON_VS_TYPER = 1.25
JSON_VS_JQ = 4.0
TABLE_VS_TYPER_AND_RICH = 1.25
GROWTH_SIZE = 10_000
GROWTH_VS_BUNDLED = 2.0

Check = Callable[[bytes], str | None]


@dataclass
class Case:
    """One command to time, and what its output must show."""

    key: str
    label: str
    argv: list[str]
    env: dict[str, str]
    group: str  # "shanxi", "baseline" or "growth"
    tty: bool = False
    check: Check | None = None
    samples: list[float] = field(default_factory=list)  # seconds
    failures: int = 0
    rss_kib: int | None = None
    instructions: int | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and bool(self.samples)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples) * 1000

    @property
    def min_ms(self) -> float:
        return min(self.samples) * 1000


# --- output checks, run on the warm-up round ---


def json_entity(entity_id: str, method: str) -> Check:
    def check(out: bytes) -> str | None:
        try:
            record = json.loads(out)
        except ValueError as error:
            return f"output is not JSON: {error}"
        if not isinstance(record, dict) or record.get("id") != entity_id:
            return f"expected the record of {entity_id!r}"
        found = record.get("match", {}).get("method")
        if found != method:
            return f"expected a {method} match, got {found!r}"
        return None

    return check


def json_metric(metric_id: str) -> Check:
    def check(out: bytes) -> str | None:
        try:
            records = json.loads(out)
        except ValueError as error:
            return f"output is not JSON: {error}"
        if not isinstance(records, list) or not records:
            return "expected a non-empty list of facts"
        if any(record.get("metric") != metric_id for record in records):
            return f"expected only {metric_id!r} facts"
        return None

    return check


def table_naming(name: str) -> Check:
    def check(out: bytes) -> str | None:
        text = out.decode("utf-8", "replace")
        if name not in text:
            return f"{name!r} is not in the output"
        if not any(rule in text for rule in ("│", "┃", "|")):
            return "the output is not a table"
        return None

    return check


def contains(text: str) -> Check:
    def check(out: bytes) -> str | None:
        return None if text.encode() in out else f"{text!r} is not in the output"

    return check


# --- running one process ---


def open_terminal() -> tuple[int, int]:
    """A pty pair sized 80x24: (leader, follower)."""
    leader, follower = pty.openpty()
    size = struct.pack("HHHH", TERMINAL_LINES, TERMINAL_COLUMNS, 0, 0)
    fcntl.ioctl(follower, termios.TIOCSWINSZ, size)
    return leader, follower


def drain(fd: int) -> bytes:
    """Read a pty leader until the follower side is closed by every process."""
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError as error:
            if error.errno == errno.EIO:  # Linux: all followers closed
                break
            raise
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def timed_run(case: Case) -> tuple[float, int]:
    """One timed run: (seconds, exit status). No timeout (see the module docstring)."""
    if case.tty:
        leader, follower = open_terminal()
        try:
            start = time.perf_counter()
            proc = subprocess.Popen(
                case.argv,
                env=case.env,
                stdin=subprocess.DEVNULL,
                stdout=follower,
                stderr=subprocess.DEVNULL,
            )
            os.close(follower)
            follower = -1
            drain(leader)
            status = proc.wait()  # no timeout: see timed_run
            elapsed = time.perf_counter() - start
        finally:
            os.close(leader)
            if follower >= 0:
                os.close(follower)
        return elapsed, status
    start = time.perf_counter()
    done = subprocess.run(
        case.argv,
        env=case.env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    return time.perf_counter() - start, done.returncode


def observed_run(case: Case, argv: list[str] | None = None) -> tuple[int, bytes, bytes]:
    """An untimed run keeping the output: (exit status, stdout, stderr)."""
    leader = follower = -1
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        try:
            if case.tty:
                leader, follower = open_terminal()
            proc = subprocess.Popen(
                argv or case.argv,
                env=case.env,
                stdin=subprocess.DEVNULL,
                stdout=follower if case.tty else out,
                stderr=err,
            )
            shown = b""
            if case.tty:
                os.close(follower)
                follower = -1
                shown = drain(leader)
            status = proc.wait(RUN_TIMEOUT_S)
        finally:
            for fd in (leader, follower):
                if fd >= 0:
                    os.close(fd)
        if not case.tty:
            out.seek(0)
            shown = out.read()
        err.seek(0)
        return status, shown, err.read()


# Peak memory. Linux carries a process's RSS high-water mark across fork and exec, so
# `os.wait4` on a child of this script reports at least this script's own peak (a child
# `python -c pass` "used" 211 MiB once this process held 200 MiB). The child must be
# started from a small process instead: GNU time, or failing that this helper, run as
# `python -S -I` (about 8 MiB, the floor of what it can report).
WAIT4_HELPER = """\
import os, sys
pid = os.fork()
if pid == 0:
    try:
        os.execv(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(f"{usage.ru_maxrss}\\n")
sys.exit(os.waitstatus_to_exitcode(status))
"""


@cache
def gnu_time() -> str | None:
    """/usr/bin/time if it is GNU time (it has -f and -o), else None."""
    if not os.access("/usr/bin/time", os.X_OK):
        return None
    with tempfile.NamedTemporaryFile("r") as out:
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%M", "-o", out.name, "true"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        return "/usr/bin/time" if done.returncode == 0 and out.read().strip() else None


def rss_method() -> str:
    return "GNU time -f %M" if gnu_time() else "os.wait4 in a python -S -I helper"


def peak_rss_kib(case: Case) -> int | None:
    """One more run of the case, started from a small process that reports its max RSS."""
    with tempfile.NamedTemporaryFile("r") as result:
        time_path = gnu_time()
        if time_path:
            wrapper = [time_path, "-f", "%M", "-o", result.name]
        else:
            wrapper = [sys.executable, "-S", "-I", "-c", WAIT4_HELPER, result.name]
        status, _, _ = observed_run(case, wrapper + case.argv)
        lines = result.read().split()
    if status != 0 or not lines or not lines[-1].isdigit():
        return None
    return int(lines[-1])


def instruction_count(case: Case) -> int | None:
    """The instructions one run of the case executes, counted by callgrind."""
    counted = replace(case, env={**case.env, "PYTHONHASHSEED": "0"})
    wrapper = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    status, _, err = observed_run(counted, wrapper + case.argv)
    found = re.search(rb"Collected : (\d+)", err)
    return int(found.group(1)) if status == 0 and found else None


def warm_up(case: Case) -> None:
    """The untimed first run, which also checks that the case does what it says."""
    status, out, err = observed_run(case)
    if status != 0:
        message = err.decode("utf-8", "replace").strip().splitlines()
        case.error = f"exit {status}: {message[-1] if message else 'no message'}"
    elif case.check is not None:
        case.error = case.check(out)


# --- the cases ---


def find_shanxi(given: str | None) -> Path:
    if given:
        return Path(given)
    beside = Path(sys.executable).parent / "shanxi"
    if beside.exists():
        return beside
    found = shutil.which("shanxi")
    if found is None:
        sys.exit("startup: no shanxi console script beside python or on PATH; use --shanxi")
    return Path(found)


def child_env(pycache: Path | None) -> dict[str, str]:
    """The environment of every timed process: this one's, without SHANXI_FACTS (the
    bundled store unless a case says otherwise) and, given `pycache`, with bytecode
    cached there.

    A user's installed package has its bytecode compiled (pip does it on install), but
    this environment may say PYTHONDONTWRITEBYTECODE=1 and shanxi_cli is an editable
    checkout, so without a cache every run would compile the package from source. The
    cache goes to PYTHONPYCACHEPREFIX, a directory of this script's own: nothing is
    written beside the sources. The warm-up round fills it, for every case alike."""
    env = dict(os.environ)
    env.pop("SHANXI_FACTS", None)
    if pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def terminal_env(env: dict[str, str]) -> dict[str, str]:
    return {
        **env,
        "COLUMNS": str(TERMINAL_COLUMNS),
        "LINES": str(TERMINAL_LINES),
        "TERM": "xterm-256color",
    }


def shanxi_cases(shanxi: Path, env: dict[str, str]) -> list[Case]:
    exe = str(shanxi)
    return [
        Case(
            "town",
            "shanxi town Xinghuacun --json",
            [exe, "town", "Xinghuacun", "--json"],
            env,
            "shanxi",
            check=json_entity("xinghuacun", "exact"),
        ),
        Case(
            "company",
            "shanxi company fenjiu --json",
            [exe, "company", "fenjiu", "--json"],
            env,
            "shanxi",
            check=json_entity("fenjiu", "exact"),
        ),
        Case(
            "metric",
            "shanxi metric jobs --json",
            [exe, "metric", "jobs", "--json"],
            env,
            "shanxi",
            check=json_metric("jobs"),
        ),
        Case(
            "fuzzy",
            "shanxi town Xinghuacn --json (fuzzy)",
            [exe, "town", "Xinghuacn", "--json"],
            env,
            "shanxi",
            check=json_entity("xinghuacun", "fuzzy"),
        ),
        Case(
            "table",
            "shanxi town Xinghuacun (table, pty)",
            [exe, "town", "Xinghuacun"],
            terminal_env(env),
            "shanxi",
            tty=True,
            check=table_naming("Xinghuacun"),
        ),
    ]


def baseline_cases(workdir: Path, env: dict[str, str]) -> list[Case]:
    python = sys.executable
    empty_typer = workdir / "empty_typer.py"
    empty_typer.write_text(EMPTY_TYPER_APP, encoding="utf-8")
    empty_typer_no_gc = workdir / "empty_typer_no_gc.py"
    empty_typer_no_gc.write_text(EMPTY_TYPER_APP_NO_GC, encoding="utf-8")
    cases = [
        Case("pass", "python -c pass", [python, "-c", "pass"], env, "baseline"),
        Case(
            "typer",
            "empty Typer app (2 commands)",
            [python, str(empty_typer), "hello"],
            env,
            "baseline",
        ),
        Case(
            "typer_no_gc",
            "empty Typer app, collector off as shanxi",
            [python, str(empty_typer_no_gc), "hello"],
            env,
            "baseline",
        ),
        Case(
            "rich_import",
            "python -c 'import rich.console, rich.table'",
            [python, "-c", IMPORT_RICH],
            env,
            "baseline",
        ),
        Case(
            "rich_table",
            "python: tiny Rich table (pty)",
            [python, "-c", RICH_TABLE],
            terminal_env(env),
            "baseline",
            tty=True,
            check=table_naming("37,100"),
        ),
    ]
    jq = shutil.which("jq")
    if jq is None:
        print("note: jq is not installed; the jq baseline and its ratios are skipped")
    else:
        cases.append(
            Case(
                "jq",
                "jq select Xinghuacun facts.json",
                [jq, JQ_FILTER, str(BUNDLED_STORE)],
                env,
                "baseline",
                check=contains('"Xinghuacun"'),
            )
        )
    return cases


def synthetic_store(size: int, store_dir: Path) -> Path:
    """The store of `size` entities, generated once and reused while make_store.py is
    unchanged (its hash is in the file name)."""
    digest = hashlib.sha256(MAKE_STORE.read_bytes()).hexdigest()[:10]
    path = store_dir / f"store-{size}-{digest}.json"
    if not path.exists():
        print(f"generating the {size:,}-entity store ...", file=sys.stderr)
        subprocess.run(
            [sys.executable, str(MAKE_STORE), str(size), str(path)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return path


def growth_cases(
    shanxi: Path, sizes: list[int], store_dir: Path, env: dict[str, str]
) -> list[Case]:
    """The town lookups against each synthetic store, and against the bundled store again
    as the reference timed in the same rounds."""
    stores: list[tuple[str, str, dict[str, str]]] = [("bundled", "bundled store", env)]
    for size in sizes:
        path = synthetic_store(size, store_dir)
        stores.append((str(size), f"{size:,} entities", {**env, "SHANXI_FACTS": str(path)}))
    cases = []
    for tag, what, store_env in stores:
        for kind, name in (("exact", "Xinghuacun"), ("fuzzy", "Xinghuacn")):
            cases.append(
                Case(
                    f"growth-{tag}-{kind}",
                    f"{what}: town {name} --json",
                    [str(shanxi), "town", name, "--json"],
                    store_env,
                    "growth",
                    check=json_entity("xinghuacun", kind),
                )
            )
    return cases


# --- measuring ---


def measure(cases: list[Case], runs: int, phase: str, instructions: bool = False) -> None:
    """Warm-up and check, then `runs` interleaved rounds, then one RSS run per case, and
    with `instructions` one run under callgrind."""
    for case in cases:
        warm_up(case)
        if case.error:
            print(f"warning: {case.label}: {case.error}; not timed", file=sys.stderr)
    live = [case for case in cases if case.error is None]
    for round_number in range(1, runs + 1):
        print(f"{phase}: round {round_number}/{runs}", file=sys.stderr)
        order = live[:]
        random.Random(round_number).shuffle(order)
        for case in order:
            seconds, status = timed_run(case)
            if status == 0:
                case.samples.append(seconds)
            else:
                case.failures += 1
    for case in live:
        case.rss_kib = peak_rss_kib(case)
        if instructions:
            print(f"{phase}: counting the instructions of {case.label}", file=sys.stderr)
            case.instructions = instruction_count(case)


# --- reporting ---


def version_of(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def interpreter_of(script: Path) -> str | None:
    try:
        first = script.read_bytes().split(b"\n", 1)[0]
    except OSError:
        return None
    return first[2:].decode().strip() if first.startswith(b"#!") else None


def ratio(value: float | None, base: float | None) -> str:
    return f"{value / base:.2f}x" if value is not None and base else "-"


def median_of(cases: dict[str, Case], key: str) -> float | None:
    case = cases.get(key)
    return case.median_ms if case is not None and case.ok else None


def case_table(cases: list[Case], by_key: dict[str, Case]) -> list[str]:
    typer_ms, jq_ms = median_of(by_key, "typer"), median_of(by_key, "jq")
    typer_instructions = by_key["typer"].instructions if "typer" in by_key else None
    counted = any(case.instructions for case in cases)
    width = max(len(case.label) for case in cases)
    lines = [
        f"{'case':<{width}}  {'median ms':>9}  {'min ms':>8}  {'peak RSS MiB':>12}"
        f"  {'/ typer':>7}  {'/ jq':>7}" + (f"  {'M instr':>8}  {'/ typer':>7}" if counted else ""),
        "-" * (width + 55 + (19 if counted else 0)),
    ]
    for case in cases:
        if not case.ok:
            lines.append(f"{case.label:<{width}}  not timed: {case.error or 'every run failed'}")
            continue
        rss = f"{case.rss_kib / 1024:.1f}" if case.rss_kib else "-"
        failed = f"  ({case.failures} failed runs)" if case.failures else ""
        count = ""
        if counted:
            millions = f"{case.instructions / 1e6:.1f}" if case.instructions else "-"
            count = f"  {millions:>8}  {ratio(case.instructions, typer_instructions):>7}"
        lines.append(
            f"{case.label:<{width}}  {case.median_ms:>9.1f}  {case.min_ms:>8.1f}  {rss:>12}"
            f"  {ratio(case.median_ms, typer_ms):>7}  {ratio(case.median_ms, jq_ms):>7}"
            f"{count}{failed}"
        )
    return lines


def growth_table(sizes: list[int], by_key: dict[str, Case]) -> list[str]:
    bundled = {kind: median_of(by_key, f"growth-bundled-{kind}") for kind in ("exact", "fuzzy")}
    lines = [
        f"{'entities':>9}  {'store MiB':>9}  {'exact ms':>9}  {'fuzzy ms':>9}  "
        f"{'exact/bundled':>13}  {'fuzzy/bundled':>13}  {'peak RSS MiB':>12}",
        "-" * 88,
    ]
    for tag in ("bundled", *map(str, sizes)):
        exact = median_of(by_key, f"growth-{tag}-exact")
        fuzzy = median_of(by_key, f"growth-{tag}-fuzzy")
        case = by_key[f"growth-{tag}-exact"]
        store = Path(case.env.get("SHANXI_FACTS", BUNDLED_STORE))
        shown = tag if tag == "bundled" else f"{int(tag):,}"
        lines.append(
            f"{shown:>9}  {store.stat().st_size / 2**20:>9.2f}  {_ms(exact)}  {_ms(fuzzy)}  "
            f"{ratio(exact, bundled['exact']):>13}  {ratio(fuzzy, bundled['fuzzy']):>13}  "
            f"{_rss(case)}"
        )
    return lines


def _ms(value: float | None) -> str:
    return f"{value:>9.1f}" if value is not None else f"{'-':>9}"


def _rss(case: Case | None) -> str:
    return f"{case.rss_kib / 1024:>12.1f}" if case and case.rss_kib else f"{'-':>12}"


def targets(by_key: dict[str, Case]) -> list[dict[str, Any]]:
    """The start-up targets, each with its limit in ms and whether it is met."""
    results: list[dict[str, Any]] = []

    def target(name: str, key: str, limit: float | None, how: str) -> None:
        value = median_of(by_key, key)
        verdict = "SKIP" if value is None or limit is None else "MISS"
        if value is not None and limit is not None and value <= limit:
            verdict = "PASS"
        results.append(
            {
                "target": name,
                "case": key,
                "median_ms": value,
                "limit_ms": limit,
                "how": how,
                "verdict": verdict,
            }
        )

    typer_ms, jq_ms = median_of(by_key, "typer"), median_of(by_key, "jq")
    for key in ("town", "company", "metric", "fuzzy"):
        label = by_key[key].label
        target(
            f"{label} <= {JSON_VS_TYPER}x empty Typer",
            key,
            typer_ms * JSON_VS_TYPER if typer_ms else None,
            f"{JSON_VS_TYPER} x {_fmt(typer_ms)}",
        )
        target(
            f"{label} <= {JSON_VS_JQ:g}x jq",
            key,
            jq_ms * JSON_VS_JQ if jq_ms else None,
            f"{JSON_VS_JQ:g} x {_fmt(jq_ms)}",
        )
    pass_ms, rich_ms = median_of(by_key, "pass"), median_of(by_key, "rich_import")
    rich_cost = rich_ms - pass_ms if rich_ms is not None and pass_ms is not None else None
    target(
        f"{by_key['table'].label} <= {TABLE_VS_TYPER_AND_RICH}x (empty Typer + Rich import)",
        "table",
        (typer_ms + rich_cost) * TABLE_VS_TYPER_AND_RICH
        if typer_ms is not None and rich_cost is not None
        else None,
        f"{TABLE_VS_TYPER_AND_RICH} x ({_fmt(typer_ms)} + {_fmt(rich_cost)})",
    )
    for kind in ("exact", "fuzzy"):
        bundled = median_of(by_key, f"growth-bundled-{kind}")
        target(
            f"{GROWTH_SIZE:,}-entity store, {kind} town lookup <= {GROWTH_VS_BUNDLED:g}x bundled",
            f"growth-{GROWTH_SIZE}-{kind}",
            bundled * GROWTH_VS_BUNDLED if bundled is not None else None,
            f"{GROWTH_VS_BUNDLED:g} x {_fmt(bundled)}",
        )
    return results


def _fmt(value: float | None) -> str:
    return f"{value:.1f} ms" if value is not None else "n/a"


def target_lines(results: list[dict[str, Any]]) -> list[str]:
    lines = []
    for result in results:
        value, limit = result["median_ms"], result["limit_ms"]
        if result["verdict"] == "SKIP":
            lines.append(f"SKIP  {result['target']}: not measured")
            continue
        lines.append(
            f"{result['verdict']}  {result['target']}: {value:.1f} ms vs limit {limit:.1f} ms"
            f" = {result['how']}"
        )
    return lines


# --- main ---


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of integers: {text!r}") from None
    if any(size < 10 for size in sizes):
        raise argparse.ArgumentTypeError("each size must be at least 10")
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs per case (default 15)")
    parser.add_argument("--shanxi", help="the shanxi console script (default: beside python)")
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=[1000, 10_000, 100_000],
        help="synthetic store sizes, comma-separated (default 1000,10000,100000)",
    )
    parser.add_argument("--json", type=Path, help="also write every number to this file")
    parser.add_argument(
        "--store-dir", type=Path, help="keep synthetic stores here and reuse them across runs"
    )
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count each case's instructions once under valgrind's callgrind",
    )
    parser.add_argument(
        "--inherit-bytecode-env",
        action="store_true",
        help="leave PYTHONDONTWRITEBYTECODE and PYTHONPYCACHEPREFIX as they are "
        "(default: cache bytecode in a scratch directory, see child_env)",
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.instructions and shutil.which("valgrind") is None:
        parser.error("--instructions needs valgrind (Debian: apt install valgrind)")

    shanxi = find_shanxi(args.shanxi)
    with tempfile.TemporaryDirectory(prefix="shanxi-bench-") as scratch:
        workdir = Path(scratch)
        env = child_env(None if args.inherit_bytecode_env else workdir / "pycache")
        store_dir = args.store_dir or workdir
        store_dir.mkdir(parents=True, exist_ok=True)
        header = [
            f"python {platform.python_version()} ({sys.executable})",
            f"typer {version_of('typer')}, rich {version_of('rich')}, "
            f"rapidfuzz {version_of('rapidfuzz')}, shanxi {version_of('shanxi')}",
            f"shanxi: {shanxi} (interpreter {interpreter_of(shanxi)})",
            f"runs: {args.runs} timed per case, after 1 warm-up; rounds interleaved"
            + (f" (fewer than {MIN_RUNS}: indicative only)" if args.runs < MIN_RUNS else ""),
            f"peak RSS: {rss_method()}",
            "bytecode: "
            + (
                f"as inherited (PYTHONDONTWRITEBYTECODE={env.get('PYTHONDONTWRITEBYTECODE')})"
                if args.inherit_bytecode_env
                else "cached in a scratch PYTHONPYCACHEPREFIX, filled by the warm-up"
            ),
            f"machine: {platform.machine()}, {os.cpu_count()} CPUs, "
            f"load average {os.getloadavg()[0]:.2f}",
        ]
        print("\n".join(header), flush=True)
        main_cases = shanxi_cases(shanxi, env) + baseline_cases(workdir, env)
        grow = growth_cases(shanxi, args.sizes, store_dir, env)
        started = time.perf_counter()
        measure(main_cases, args.runs, "cases and baselines", args.instructions)
        measure(grow, args.runs, "growth")
        elapsed = time.perf_counter() - started
        by_key = {case.key: case for case in main_cases + grow}
        results = targets(by_key)
        report = [
            f"(measured in {elapsed:.0f} s; load average now {os.getloadavg()[0]:.2f})",
            "",
            *case_table(main_cases, by_key),
            "",
            "Growth: town lookups against synthetic stores (SHANXI_FACTS), timed in rounds of",
            "their own with the bundled store as reference",
            *growth_table(args.sizes, by_key),
            "",
            "Targets",
            *target_lines(results),
        ]
        print("\n".join(report))
        if args.json:
            args.json.write_text(
                json.dumps(
                    {
                        "header": header,
                        "runs": args.runs,
                        "elapsed_s": elapsed,
                        "cases": [case_json(case) for case in main_cases + grow],
                        "growth": growth_json(args.sizes, by_key),
                        "targets": results,
                    },
                    indent=2,
                )
                + "\n",
                encoding="utf-8",
            )
    return 0


def growth_json(sizes: list[int], by_key: dict[str, Case]) -> list[dict[str, Any]]:
    rows = []
    for tag in ("bundled", *map(str, sizes)):
        row: dict[str, Any] = {"entities": tag if tag == "bundled" else int(tag)}
        for kind in ("exact", "fuzzy"):
            value = median_of(by_key, f"growth-{tag}-{kind}")
            bundled = median_of(by_key, f"growth-bundled-{kind}")
            row[f"{kind}_median_ms"] = value
            row[f"{kind}_vs_bundled"] = value / bundled if value is not None and bundled else None
        rows.append(row)
    return rows


def case_json(case: Case) -> dict[str, Any]:
    return {
        "key": case.key,
        "label": case.label,
        "group": case.group,
        "argv": case.argv,
        "shanxi_facts": case.env.get("SHANXI_FACTS"),
        "tty": case.tty,
        "error": case.error,
        "failed_runs": case.failures,
        "samples_ms": [round(sample * 1000, 3) for sample in case.samples],
        "median_ms": round(case.median_ms, 3) if case.ok else None,
        "min_ms": round(case.min_ms, 3) if case.ok else None,
        "peak_rss_mib": round(case.rss_kib / 1024, 2) if case.rss_kib else None,
        "instructions": case.instructions,
    }


if __name__ == "__main__":
    sys.exit(main())
