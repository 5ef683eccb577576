"""Where a lookup's time goes inside one process, stage by stage, for a given store.

Usage: python bench/load_profile.py [STORE.json] [--name Xinghuacun] [--runs 5] [--build]

startup.py times whole processes; this script splits the part that grows with the
store. In this process, with the cycle collector off as the console script runs, it
loads the store (bundled by default) and looks a town up --runs times. Each function
named in STAGES is wrapped in a timer for the duration (a few calls per run, so the
wrapping costs nothing measurable), and the medians over the runs are reported: of the
whole, and of each stage. Stages nest inside loading, so they do not add up to it.

With --build it loads the store once and writes its index (as a first lookup of a
large store does) --runs times, into a temporary folder: the Python that makes each
table's rows is timed inside the generators SQLite reads them from, so what is left of
the whole is SQLite's own inserts and B-trees, and the file's fsync.

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

from shanxi_cli.answer import lookup as query
from shanxi_cli.index import build as index_build
from shanxi_cli.output import json_docs as documents
from shanxi_cli.store import json_store as store
from shanxi_cli.store.json_store import bundled_store_path, load_store
from shanxi_cli.text import names as matching

# (stage, owner, attribute): the function whose calls are that stage.
STAGES: list[tuple[str, Any, str]] = [
    ("read and parse the JSON (with the duplicate-key check)", store, "_read_json"),
    ("schema checks of metrics, entities and facts", store, "_unique"),
    (
        "cross-reference, cycle, name, document and unit checks",
        store,
        "check_across_records",
    ),
    ("indexes of the store", store.JsonStore, "__init__"),
    ("name index of the lookup", matching.NameIndex, "__init__"),
    ("the lookup's record", documents, "entity_doc"),
]


# (stage, owner, attribute) of the index build; generators are timed as they are read.
BUILD_STAGES: list[tuple[str, Any, str]] = [
    ("encode and check the entities (Python)", index_build, "_entity_rows"),
    ("encode and check the facts (Python)", index_build, "_fact_rows"),
    ("name keys and words, their inserts included", index_build, "_fill_names"),
    ("search corpus (Python)", index_build, "corpus_records"),
]


def timed_generator(function: Callable[..., Any], spent: list[float]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        items = function(*args, **kwargs)
        while True:
            start = time.perf_counter()
            try:
                item = next(items)
            except StopIteration:
                spent[-1] += time.perf_counter() - start
                return
            spent[-1] += time.perf_counter() - start
            yield item

    return wrapper


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
    parser.add_argument("--build", action="store_true", help="split the index build instead")
    args = parser.parse_args(argv)
    path = args.store or bundled_store_path()
    if args.build:
        return profile_build(path, max(args.runs, 1))

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


def profile_build(path: Path, runs: int) -> int:
    import inspect
    import os
    import tempfile

    from shanxi_cli.index.format import Signature

    gc.disable()
    start = time.perf_counter()
    loaded = load_store(path)
    load_time = time.perf_counter() - start
    signature = Signature.of(os.stat(path))
    spent: dict[str, list[float]] = {stage: [] for stage, _, _ in BUILD_STAGES}
    for stage, owner, attribute in BUILD_STAGES:
        function = getattr(owner, attribute)
        wrap = timed_generator if inspect.isgeneratorfunction(function) else timed
        setattr(owner, attribute, wrap(function, spent[stage]))
    totals = []
    with tempfile.TemporaryDirectory() as folder:
        for run in range(runs):
            for times in spent.values():
                times.append(0.0)
            start = time.perf_counter()
            index_build.write_index(loaded, Path(folder) / f"{run}.sqlite3", signature)
            totals.append(time.perf_counter() - start)
    whole = statistics.median(totals)
    print(f"store: {path} ({path.stat().st_size / 2**20:.2f} MiB), loaded in {load_time:.2f} s")
    print(f"write its index: median {whole * 1000:.1f} ms of {runs} runs, of which:")
    for stage, times in spent.items():
        print(f"  {statistics.median(times) * 1000:>8.1f} ms  {stage}")
    rest = whole - sum(statistics.median(times) for times in spent.values())
    print(f"  {rest * 1000:>8.1f} ms  the rest: SQLite's other inserts and B-trees, fsync")
    return 0


if __name__ == "__main__":
    sys.exit(main())
