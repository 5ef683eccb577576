"""Where a lookup's time goes inside one process, stage by stage, for a given store.

Usage: python bench/load_profile.py [STORE.json] [--name Xinghuacun] [--runs 5]

startup.py times whole processes; this script splits the part that grows with the
store. In this process, with the cycle collector off as the console script runs, it
loads the store (bundled by default) and looks a town up --runs times. Each function
named in STAGES is wrapped in a timer for the duration (a few calls per run, so the
wrapping costs nothing measurable), and the medians over the runs are reported: of the
whole, and of each stage. Stages nest inside loading, so they do not add up to it.

Standard library only, besides the installed shanxi_cli.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from shanxi_cli import documents, matching, query, store
from shanxi_cli.store import bundled_store_path, load_store

# (stage, owner, attribute): the function whose calls are that stage.
STAGES: list[tuple[str, Any, str]] = [
    ("read and parse the JSON (with the duplicate-key check)", store, "_read_json"),
    ("schema checks of metrics, entities and facts", store, "_unique"),
    (
        "cross-reference, cycle, name, document and unit checks",
        store,
        "check_across_records",
    ),
    ("indexes of the store", store.Store, "__init__"),
    ("name index of the lookup", matching.NameIndex, "__init__"),
    ("the lookup's record", documents, "entity_doc"),
]


def timed(function: Callable[..., Any], spent: list[float]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[-1] += time.perf_counter() - start

    return wrapper


def lookup(path: Path, name: str) -> None:
    found = load_store(path)
    entity, match = query.find_entity(found, name, "place")
    documents.entity_doc(found, entity, match)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", nargs="?", type=Path, help="a fact store (default: bundled)")
    parser.add_argument("--name", default="Xinghuacun", help="the town to look up")
    parser.add_argument("--runs", type=int, default=5, help="timed runs (default 5)")
    args = parser.parse_args(argv)
    path = args.store or bundled_store_path()

    spent: dict[str, list[float]] = {stage: [] for stage, _, _ in STAGES}
    for stage, owner, attribute in STAGES:
        setattr(owner, attribute, timed(getattr(owner, attribute), spent[stage]))
    gc.disable()
    totals = []
    for _ in range(max(args.runs, 1)):
        for times in spent.values():
            times.append(0.0)
        start = time.perf_counter()
        lookup(path, args.name)
        totals.append(time.perf_counter() - start)

    print(f"store: {path} ({path.stat().st_size / 2**20:.2f} MiB)")
    print(
        f"load it and look up {args.name!r}: median {statistics.median(totals) * 1000:.1f} ms"
        f" of {len(totals)} runs, of which:"
    )
    for stage, times in spent.items():
        print(f"  {statistics.median(times) * 1000:>8.1f} ms  {stage}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
