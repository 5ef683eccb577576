"""Lookups through the index of a large store, side by side with the bundled store.

Usage: python bench/index_bench.py [--big STORE.json] [--mid STORE.json] [--runs N]

Without --big / --mid the synthetic stores are made with bench/make_store.py (100,000 and
10,000 entities) into a folder under the system's temporary folder, once: later runs
reuse them. The index is written into a fresh cache folder of its own ($XDG_CACHE_HOME),
so the first lookup below is always a build.

What is measured, each a whole process of the installed `shanxi`, as a user runs it:

* the first lookup on the big store (it builds the index), against a lookup that reads
  the whole store (--no-cache), which is what every lookup cost before the index: three
  pairs of the two, and the median of each;
* then, interleaved run by run so that a busy machine slows all sides alike: an exact
  and a fuzzy lookup on the big store against the same on the bundled one, and
  `metric jobs` and `search` on the mid store against the bundled one;
* `metric Xinghuacun jobs` and `search fenjiu` on the big store against the bundled one
  (they read the index's word tables), and two long questions on the big store alone: 50
  single letters, and 50 words of the store (bound 2 s of CPU each);
* CPU time (user + system) of each process, its median over the runs, and the ratio to
  the bundled store's; the peak resident memory of each lookup on the big store.

The issue's bounds are printed beside each ratio; the script exits 1 if one is missed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
MIB = 1024 * 1024
BUILD_PAIRS = 3


def shanxi_command() -> list[str]:
    found = Path(sys.executable).parent / "shanxi"
    return [str(found)] if found.exists() else [sys.executable, "-m", "shanxi_cli"]


def make_store(entities: int, folder: Path) -> Path:
    path = folder / f"store-{entities}.json"
    if not path.exists():
        print(f"making a {entities:,}-entity store in {path} (once) ...", file=sys.stderr)
        subprocess.run(
            [sys.executable, str(BENCH / "make_store.py"), str(entities), str(path)], check=True
        )
    seeds = folder / "seeds"
    if not seeds.exists():  # `source` reads the article beside the store
        shutil.copytree(REPO / "seeds", seeds)
    return path


# Fifty words, within the 200 characters a question may have.
FIFTY_WORDS = (
    "how many jobs did the big town add in 2022 and how much tax per ton was set"
    " by the new law for all its wine oil in the old farm or at sea who paid"
    " them now six fenjiu firms rose by ten up to be a b c"
)


def long_questions(runs: int) -> list[tuple[str, list[str]]]:
    letters = [chr(ord("a") + i % 26) for i in range(50)]
    return [
        ("metric of 50 single letters", ["metric", *letters]),
        ("metric of 50 words", ["metric", *FIFTY_WORDS.split()]),
    ]


def run_once(
    args: list[str], env: dict[str, str], ok: tuple[int, ...] = (0,)
) -> tuple[float, float, int]:
    """One process: (wall seconds, CPU seconds, peak resident KiB); it must succeed (or
    end with one of the codes `ok`)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [*shanxi_command(), *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert process.stderr is not None
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in ok:
        raise SystemExit(f"shanxi {' '.join(args)} failed: {errors.decode(errors='replace')}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--big", type=Path, help="a store of about 100,000 entities")
    parser.add_argument("--mid", type=Path, help="a store of about 10,000 entities")
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args()
    stores = Path(tempfile.gettempdir()) / "shanxi-index-bench"
    stores.mkdir(exist_ok=True)
    big = options.big or make_store(100_000, stores)
    mid = options.mid or make_store(10_000, stores)
    cache = Path(tempfile.mkdtemp(prefix="shanxi-index-cache-"))
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "SHANXI_FACTS": ""}
    env.pop("SHANXI_NO_CACHE", None)
    # As an installed package runs: its bytecode cached after the first run (this
    # environment may set PYTHONDONTWRITEBYTECODE=1 for an editable checkout, and every
    # run would then compile shanxi_cli from source, as bench/startup.py explains).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    try:
        return measure(big, mid, env, options.runs)
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def measure(big: Path, mid: Path, env: dict[str, str], runs: int) -> int:
    exact, fuzzy = ["town", "Xinghuacun"], ["town", "Xinghuacn"]
    no_cache = {**env, "SHANXI_NO_CACHE": "1"}
    # BUILD_PAIRS pairs, each a full load then a build, and the median of each side: one
    # sample of a process this long on a shared machine says more about the neighbours
    # than about the build.
    full_loads, builds = [], []
    for _ in range(BUILD_PAIRS):
        full_loads.append(run_once([*exact, "--facts", str(big)], no_cache))
        shutil.rmtree(Path(env["XDG_CACHE_HOME"]) / "shanxi", ignore_errors=True)
        builds.append(run_once([*exact, "--facts", str(big)], env))
    full_load = [statistics.median(sample[i] for sample in full_loads) for i in (0, 1)]
    build = [statistics.median(sample[i] for sample in builds) for i in (0, 1)]
    run_once(["metric", "jobs", "--facts", str(mid)], env)  # builds the mid store's index
    for args in (exact, fuzzy, ["search", "fenjiu"]):  # warm-up: bytecode, disk cache
        run_once(args, env)
    cases = {
        "exact": (exact, big),
        "fuzzy": (fuzzy, big),
        "metric": (["metric", "jobs"], mid),
        "search": (["search", "fenjiu"], mid),
        "question": (["metric", "Xinghuacun", "jobs"], big),
        "search big": (["search", "fenjiu"], big),
        "ask": (["ask", "how", "many", "jobs", "did", "Xinghuacun", "create"], big),
    }
    cpu: dict[str, list[float]] = {f"{name} {side}": [] for name in cases for side in "bl"}
    peaks: dict[str, int] = dict.fromkeys(cases, 0)
    for _ in range(runs):
        for name, (args, store) in cases.items():
            # ask exits 1 when it does not stand behind its answer, as on the big store.
            cpu[f"{name} b"].append(run_once(args, env, (0, 1))[1])
            _, seconds, rss = run_once([*args, "--facts", str(store)], env, (0, 1))
            cpu[f"{name} l"].append(seconds)
            peaks[name] = max(peaks[name], rss)
    peak = peaks["exact"]
    bounds = {"exact": 1.25, "fuzzy": 2.0, "metric": 2.0, "search": 2.0}
    bounds.update({"question": 2.0, "search big": 2.0, "ask": 2.0})
    sizes = {big: "100k", mid: "10k"}
    print(f"{'lookup':<28}{'bundled':>10}{'large':>10}{'ratio':>8}{'bound':>8}")
    missed = []
    for name, (args, store) in cases.items():
        bundled = statistics.median(cpu[f"{name} b"])
        large = statistics.median(cpu[f"{name} l"])
        ratio = large / bundled
        label = f"{' '.join(args)} ({sizes[store]})"
        print(
            f"{label:<28}{bundled * 1000:>8.0f}ms{large * 1000:>8.0f}ms{ratio:>7.2f}x"
            f"{bounds[name]:>7.2f}x"
        )
        if ratio > bounds[name]:
            missed.append(name)
    for name, (args, store) in cases.items():
        if store == big:
            label = " ".join(args)
            print(f"peak memory, {label} on 100k: {peaks[name] / 1024:.1f} MiB (bound 64 MiB)")
            if peaks[name] / 1024 > 64:
                missed.append(f"{name} memory")
    for label, args in long_questions(runs):
        seconds = statistics.median(
            run_once([*args, "--facts", str(big)], env, ok=(0, 1))[1] for _ in range(3)
        )
        print(f"{label} on 100k: {seconds:.2f} s CPU, median of 3 (bound 2 s)")
        if seconds > 2:
            missed.append(label)
    print(
        f"first lookup on 100k (build): {build[1]:.1f} s CPU, {build[0]:.1f} s wall;"
        f" a full load (--no-cache): {full_load[1]:.1f} s CPU, {full_load[0]:.1f} s wall;"
        f" ratio {build[1] / full_load[1]:.2f} CPU, {build[0] / full_load[0]:.2f} wall"
        f" (bound 2.00; medians of {BUILD_PAIRS} pairs)"
    )
    build_peak = max(sample[2] for sample in builds) / 1024
    load_peak = max(sample[2] for sample in full_loads) / 1024
    print(
        f"peak memory, first lookup on 100k (build): {build_peak:.0f} MiB;"
        f" a full load: {load_peak:.0f} MiB (bound 400 MiB for the build)"
    )
    if build_peak > 400:
        missed.append("build memory")
    if peak / 1024 > 64:
        missed.append("memory")
    if build[1] > 2 * full_load[1]:
        missed.append("build")
    print(f"medians of {runs} interleaved runs, CPU time (user + system) per process")
    if missed:
        print(f"missed: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
