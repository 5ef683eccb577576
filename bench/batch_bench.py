"""`shanxi batch` answering many mixed requests, against one lookup as its own process.

Usage: python bench/batch_bench.py [--requests N] [--runs N] [--write FILE] [--facts STORE]

The requests are made from the store's own names, metrics and fact ids, in a fixed mix
repeated in a fixed order (the same file every time): exact and fuzzy lookups of places,
companies and people, questions in words, searches, source lookups, lists, misses (names,
questions and searches that find nothing, the dearest kind: a miss reads every word of
the store for the nearest one) and usage errors; `ask` requests too once the app has an
`ask` command.

Then, interleaved run by run so that a busy machine slows both alike: `shanxi batch`
over the N requests (stdin from the file, stdout read and dropped) against
`shanxi town Xinghuacun --json`, each a whole process of the installed script. Printed:
the median wall and CPU time of each, the ratio batch / one lookup, each batch line's
exit code counted, and the issue's bound (10x); the script exits 1 if the bound is missed.
`--write FILE` only writes the requests, for timing them with another tool.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

BOUND = 10.0
MIX = (  # one round of requests; {i} is the request's number
    "town {place}",
    "company {organisation}",
    "person {person}",
    "town {place}",
    "town {place_typo}",
    "company {organisation_typo}",
    "metric {metric}",
    "metric {place} {metric}",
    "metric {metric} --limit 3",
    "metric {metric} --town {place} --period 2022",
    "search {word}",
    "search {word} {word2}",
    "source {fact}",
    "list towns",
    "town zzq{i}",
    "search qqxz{i}",
    "metric zzqq{i} nothing",
    "person",
    "ask how many {metric} in {place}",
    "metric {metric} --min 1000",
)


def shanxi_command() -> list[str]:
    found = Path(sys.executable).parent / "shanxi"
    return [str(found)] if found.exists() else [sys.executable, "-m", "shanxi_cli"]


def requests(count: int, facts: str | None) -> list[str]:
    """`count` requests, the MIX in turn, filled from the store's own records."""
    import shlex

    from shanxi_cli.cli.session import Session
    from shanxi_cli.index.choice import store_for

    store = store_for(facts, True, False, say=print)
    commands = set(Session(facts).commands)
    entities = list(store.entities.values())
    names = {
        category: [e.name for e in entities if e.category == category]
        for category in ("place", "organisation", "person")
    }
    metrics = [metric.name for metric in store.metrics.values()]
    facts_ids = list(store.facts)[:200]
    words = [w for name in names["organisation"] for w in name.split() if len(w) > 4]
    made: list[str] = []
    i = 0
    while len(made) < count:
        for pattern in MIX:
            if pattern.split()[0] not in commands:  # `ask`, until the app has it
                continue
            place = names["place"][i % len(names["place"])]
            organisation = names["organisation"][i % len(names["organisation"])]
            values = {
                "i": str(i),
                "place": place,
                "organisation": organisation,
                "person": names["person"][i % len(names["person"])],
                "place_typo": place[:-1] + ("x" if place[-1] != "x" else "y"),
                "organisation_typo": organisation[1:],
                "metric": metrics[i % len(metrics)],
                "word": words[i % len(words)],
                "word2": words[(i * 7 + 3) % len(words)],
                "fact": facts_ids[i % len(facts_ids)],
            }
            made.append(pattern.format(**{k: shlex.quote(v) for k, v in values.items()}))
            i += 1
            if len(made) == count:
                break
    return made


def run_once(args: list[str], stdin_path: Path | None) -> tuple[float, float, bytes]:
    """Wall and CPU seconds of one whole process, and its stdout."""
    started = time.perf_counter()
    before = os.times()
    with open(stdin_path or os.devnull, "rb") as stdin:
        done = subprocess.run(args, stdin=stdin, capture_output=True, check=False)
    wall = time.perf_counter() - started
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} exited {done.returncode}: {done.stderr.decode()[-400:]}")
    return wall, cpu, done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1000, help="requests in the batch")
    parser.add_argument("--runs", type=int, default=7, help="interleaved runs of each")
    parser.add_argument("--facts", help="a store other than the bundled one")
    parser.add_argument("--write", type=Path, help="only write the requests to this file")
    options = parser.parse_args()
    made = requests(options.requests, options.facts)
    text = "".join(f"{line}\n" for line in made)
    if options.write:
        options.write.write_text(text, encoding="utf-8")
        print(f"wrote {len(made):,} requests to {options.write}")
        return 0
    shanxi = shanxi_command()
    facts = ["--facts", options.facts] if options.facts else []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "requests.txt"
        path.write_text(text, encoding="utf-8")
        batch = [*shanxi, "batch", *facts]
        lookup = [*shanxi, "town", "Xinghuacun", "--json", *facts]
        run_once(batch, path)  # warm-up: the page cache, and an index for a large store
        run_once(lookup, None)
        timings: dict[str, list[tuple[float, float]]] = {"batch": [], "lookup": []}
        codes: Counter[int] = Counter()
        for _ in range(options.runs):
            wall, cpu, out = run_once(batch, path)
            timings["batch"].append((wall, cpu))
            codes = Counter(json.loads(line)["exit_code"] for line in out.splitlines())
            wall, cpu, _ = run_once(lookup, None)
            timings["lookup"].append((wall, cpu))
    medians = {
        name: (statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs))
        for name, runs in timings.items()
    }
    ratios = [
        b[0] / lookup[0] for b, lookup in zip(timings["batch"], timings["lookup"], strict=True)
    ]
    print(f"{len(made):,} requests, {options.runs} interleaved runs, medians:")
    print("| process | wall ms | CPU ms |")
    print("| --- | ---: | ---: |")
    print(f"| `shanxi batch` ({len(made):,} requests) | {medians['batch'][0] * 1000:.0f} |"
          f" {medians['batch'][1] * 1000:.0f} |")  # fmt: skip
    print(f"| `shanxi town Xinghuacun --json` | {medians['lookup'][0] * 1000:.0f} |"
          f" {medians['lookup'][1] * 1000:.0f} |")  # fmt: skip
    ratio = statistics.median(ratios)
    print(f"wall time, batch / one lookup, median of the run pairs: {ratio:.2f}x"
          f" (min {min(ratios):.2f}, max {max(ratios):.2f}); bound {BOUND:.0f}x")  # fmt: skip
    wall, cpu = ((medians["batch"][i] - medians["lookup"][i]) / len(made) * 1000 for i in (0, 1))
    print(f"per request beyond one start-up: {wall:.2f} ms wall, {cpu:.2f} ms CPU")
    print("exit codes of the lines: " + ", ".join(f"{c}: {n}" for c, n in sorted(codes.items())))
    return 0 if ratio <= BOUND else 1


if __name__ == "__main__":
    sys.exit(main())
