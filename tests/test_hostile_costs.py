"""Crafted stores cost time in proportion to their size, never to its square.

Each cost test times the same command on a crafted store of n and of 4n entries, best of
a few runs: linear work takes about 4 times as long, quadratic work 16 times. The bound
sits between the two, far enough from both to hold on a loaded machine.
"""

from __future__ import annotations

import copy
import gc
import json
import math
import time
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from shanxi_cli.cli.commands import app
from shanxi_cli.index.choice import forget_stores

from .conftest import MINI_STORE

MAX_RATIO = 10.0
MINI = json.loads(MINI_STORE.read_text(encoding="utf-8"))


def village(index: int, name: str, located_in: str | None) -> dict[str, Any]:
    return {
        "id": f"v{index}",
        "kind": "village",
        "name": name,
        "aliases": [],
        "general_knowledge": {"kind": False, "aliases": []},
        "document": "mini",
        "quote": "The township of Xinghuacun",
        "located_in": {"id": located_in, "quote": "x"} if located_in else None,
        "known_for": [],
        "role": None,
    }


def containment_chain(size: int) -> dict[str, Any]:
    """The mini store and a chain of villages, each inside the one before."""
    data = copy.deepcopy(MINI)
    data["entities"] += [
        village(index, f"Village {index}", f"v{index - 1}" if index else "shanxi")
        for index in range(size)
    ]
    return data


def distinct_separators(count: int) -> list[str]:
    """Runs of spaces and hyphens of one length, each different: index i in binary."""
    width = max(count - 1, 1).bit_length()
    return [
        format(index, f"0{width}b").replace("0", " ").replace("1", "-") for index in range(count)
    ]


def one_key_names(size: int) -> dict[str, Any]:
    """The mini store and villages whose names differ, but all normalise to one key."""
    data = copy.deepcopy(MINI)
    data["entities"] += [
        village(index, f"Same{separators}Name", None)
        for index, separators in enumerate(distinct_separators(size))
    ]
    return data


def timed_runs(
    tmp_path: Path, build: Callable[[int], dict[str, Any]], size: int, *args: str
) -> Iterator[tuple[float, Any]]:
    """Run the command on the crafted store again and again: each run's time and result."""
    path = tmp_path / f"{build.__name__}-{size}.json"
    path.write_text(json.dumps(build(size)), encoding="utf-8")
    while True:
        # The collector's passes grow with everything the test process holds: not the
        # cost under test, and the noisiest part of it.
        gc.collect()
        gc.disable()
        forget_stores()  # each run reads the store, as each process does
        try:
            started = time.perf_counter()
            result = CliRunner().invoke(app, [*args, "--facts", str(path)])
            finished = time.perf_counter()
        finally:
            gc.enable()
        yield finished - started, result


def growth(
    tmp_path: Path, build: Callable[[int], dict[str, Any]], size: int, *args: str
) -> tuple[float, Any]:
    """How many times longer the command takes on 4 times the entries; the larger's result.

    Best of three runs each; the larger stops as soon as it is under the bound, so that
    a run slowed by another process is retried, and a linear store is not run in vain.
    """
    small = min(run_time for run_time, _ in islice(timed_runs(tmp_path, build, size, *args), 3))
    large = math.inf
    larger = timed_runs(tmp_path, build, 4 * size, *args)
    for _ in range(3):
        run_time, result = next(larger)
        large = min(large, run_time)
        if large / small < MAX_RATIO:
            break
    return large / small, result


def test_a_deep_containment_chain_is_checked_in_linear_time(tmp_path: Path) -> None:
    ratio, result = growth(tmp_path, containment_chain, 2000, "town", "Taigu", "--json")
    assert result.exit_code == 0, result.stderr
    assert ratio < MAX_RATIO


def test_the_deepest_place_of_a_chain_lists_every_place_above_it(tmp_path: Path) -> None:
    path = tmp_path / "chain.json"
    path.write_text(json.dumps(containment_chain(5000)), encoding="utf-8")
    result = CliRunner().invoke(app, ["town", "Village 4999", "--json", "--facts", str(path)])
    located = [place["id"] for place in json.loads(result.stdout)["located_in"]]
    assert located == [f"v{index}" for index in range(4998, -1, -1)] + ["shanxi"]


def test_a_cycle_at_the_end_of_a_deep_chain_is_found(tmp_path: Path) -> None:
    data = containment_chain(5000)
    data["entities"][len(MINI["entities"])]["located_in"]["id"] = "v4999"
    path = tmp_path / "cycle.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = CliRunner().invoke(app, ["town", "Taigu", "--facts", str(path)])
    assert result.exit_code == 4
    position = len(MINI["entities"])
    assert f"entities[{position}].located_in: containment forms a cycle\n" in result.stderr


def test_a_long_name_claimed_twice_is_cut_short_in_the_message(tmp_path: Path) -> None:
    data = copy.deepcopy(MINI)
    data["entities"] += [village(index, "x" * 10_000, None) for index in range(2)]
    path = tmp_path / "claimed.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = CliRunner().invoke(app, ["town", "Taigu", "--facts", str(path)])
    assert result.exit_code == 4
    assert f"'{'x' * 77}...' is already a name of 'v0', another village\n" in result.stderr
    assert len(result.stderr) < 400


def test_many_names_of_one_key_cost_linear_time_and_a_short_message(tmp_path: Path) -> None:
    ratio, result = growth(tmp_path, one_key_names, 1000, "town", "same name")
    assert result.exit_code == 3
    assert len(result.stderr) < 2000
    assert ratio < MAX_RATIO


def test_verify_of_an_article_of_many_figures_costs_n_log_n(tmp_path: Path) -> None:
    def many_figures(size: int) -> dict[str, Any]:
        """An article of `size` figures "1", every one covered by a fact quoting "1"."""
        (tmp_path / f"figures-{size}.txt").write_text("1 " * size, encoding="utf-8")
        data = copy.deepcopy(MINI)
        data["documents"][0]["file"] = f"figures-{size}.txt"
        data["facts"][0]["quote"] = "1"
        return data

    ratio, result = growth(tmp_path, many_figures, 4000, "verify", "--json")
    assert result.exit_code == 4  # the mini store's other quotes are not in this article
    assert ratio < MAX_RATIO


@pytest.mark.parametrize(
    ("field", "place"),
    [("qualifier", "facts"), ("metric", "facts"), ("subject", "facts"), ("kind", "entities")],
)
def test_a_megabyte_value_makes_a_short_error(tmp_path: Path, field: str, place: str) -> None:
    data = copy.deepcopy(MINI)
    data[place][0][field] = "x" * 1_000_000
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = CliRunner().invoke(app, ["town", "Taigu", "--facts", str(path)])
    assert result.exit_code == 4
    assert len(result.stderr) < 600 and "xxx..." in result.stderr


def article_store(tmp_path: Path, name: str, article: str) -> dict[str, Any]:
    """The mini store citing an article of the given text instead of its own."""
    (tmp_path / name).write_text(article, encoding="utf-8")
    data = copy.deepcopy(MINI)
    data["documents"][0]["file"] = name
    return data


def test_verify_of_many_facts_quoting_a_phrase_the_article_repeats_is_linear(
    tmp_path: Path,
) -> None:
    def repeated_quotes(size: int) -> dict[str, Any]:
        """`size` facts quoting "1 jobs", in an article that prints it `size` times."""
        data = article_store(tmp_path, f"repeated-{size}.txt", "1 jobs " * size)
        template = {**data["facts"][1], "value": 1, "qualifier": "exact", "quote": "1 jobs"}
        data["facts"] += [{**template, "id": f"xinghuacun.jobs-{i}"} for i in range(size)]
        return data

    ratio, result = growth(tmp_path, repeated_quotes, 700, "verify", "--json")
    assert result.exit_code == 4  # the mini store's own quotes are not in this article
    assert "figure '1'" not in result.stdout  # every printed 1 is covered
    assert ratio < MAX_RATIO


def test_verify_of_many_figures_and_many_excluded_figures_is_linear(tmp_path: Path) -> None:
    def excluded_everywhere(size: int) -> dict[str, Any]:
        """An article of `size` distinct figures, each listed among the excluded ones, in
        a context of a hundred of them (each context is found once, in C: not the cost
        under test)."""
        blocks = [
            " ".join(f"x {index} ;" for index in range(start, min(start + 100, size)))
            for start in range(0, size, 100)
        ]
        data = article_store(tmp_path, f"excluded-{size}.txt", " ".join(blocks))
        data["excluded_figures"] = [
            {"document": "mini", "figure": str(i), "context": blocks[i // 100], "reason": "x"}
            for i in range(size)
        ]
        return data

    ratio, result = growth(tmp_path, excluded_everywhere, 2000, "verify", "--json")
    assert result.exit_code == 4
    assert "is in no fact's quote" not in result.stdout
    assert ratio < MAX_RATIO


def test_a_subject_typed_many_times_is_one_subject_and_costs_as_much_as_once(
    tmp_path: Path,
) -> None:
    path = tmp_path / "chain.json"
    path.write_text(json.dumps(containment_chain(4000)), encoding="utf-8")

    def best_time(query: list[str]) -> tuple[float, Any]:
        runs = []
        for _ in range(3):
            forget_stores()
            gc.collect()
            started = time.perf_counter()
            result = CliRunner().invoke(app, ["metric", *query, "--facts", str(path)])
            runs.append((time.perf_counter() - started, result))
        return min(runs, key=lambda run: run[0])

    once, single = best_time(["jobs", "Shanxi"])
    many, result = best_time(["jobs", *["Shanxi"] * 28])
    assert result.exit_code == single.exit_code
    assert "about Shanxi;" in result.stderr or "about Shanxi\n" in result.stderr
    assert "Shanxi or Shanxi" not in result.stderr
    assert many / once < 3
