"""The index built from a store read record by record (index/stream_build.py).

It must be the index a build from the loaded store makes, row for row, and it must never
be made of a store `load_store` refuses: each such store raises NotStreamed, and the run
then loads it whole, which names the problem as it always has.
"""

from __future__ import annotations

import copy
import json
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import shanxi_cli.store.stream_read as stream_read
from shanxi_cli.errors import StoreError
from shanxi_cli.index.build import write_index
from shanxi_cli.index.format import Signature
from shanxi_cli.index.stream_build import write_streamed_index
from shanxi_cli.store.json_store import bundled_store_path, load_store, load_store_with_status
from shanxi_cli.store.stream_read import NotStreamed

from .conftest import made_store

BUNDLED = json.loads(bundled_store_path().read_text("utf-8"))


def table_rows(path: Path) -> dict[str, list[Any]]:
    connection = sqlite3.connect(path)
    try:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {
            name: sorted(map(repr, connection.execute(f"SELECT * FROM {name}"))) for name in names
        }
    finally:
        connection.close()


def both_ways(store: Path, folder: Path) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    streamed = folder / "streamed.sqlite3"
    signature = write_streamed_index(store, streamed)
    loaded, status = load_store_with_status(store)
    assert status is not None and Signature.of(status) == signature
    whole = folder / "loaded.sqlite3"
    write_index(loaded, whole, signature)
    return table_rows(streamed), table_rows(whole)


def test_the_bundled_store_streamed_is_the_index_of_it_loaded(tmp_path: Path) -> None:
    streamed, loaded = both_ways(bundled_store_path(), tmp_path)
    assert "ask_words" in streamed and "entity_grams" in streamed
    assert streamed == loaded


def test_a_generated_store_read_in_tiny_chunks_is_the_same_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chunks of 7 characters cut every token somewhere, numbers too ("12" of "1234"),
    and the generated store's entities outnumber those a build keeps at hand."""
    made = made_store(300, tmp_path / "made.json")
    monkeypatch.setattr(stream_read, "_CHUNK", 7)
    monkeypatch.setattr("shanxi_cli.index.build_view.KEPT", 50)
    monkeypatch.setattr("shanxi_cli.index.build_view.BATCH", 64)
    streamed, loaded = both_ways(made, tmp_path)
    assert streamed == loaded


def _entity(store: dict[str, Any], entity_id: str) -> dict[str, Any]:
    return next(item for item in store["entities"] if item["id"] == entity_id)


def _fact_of(store: dict[str, Any], test: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    return next(item for item in store["facts"] if test(item))


def _claim_metric(store: dict[str, Any]) -> str:
    return next(m["id"] for m in store["metrics"] if m["type"] == "claim")


def _set(path: Callable[[dict[str, Any]], dict[str, Any]], key: str, value: Any) -> Any:
    def change(store: dict[str, Any]) -> None:
        path(store)[key] = value

    return change


def _cycle(store: dict[str, Any]) -> None:
    _entity(store, "china")["located_in"] = {"id": "shanxi", "quote": "x"}


def _twice(section: str) -> Callable[[dict[str, Any]], None]:
    def change(store: dict[str, Any]) -> None:
        store[section].append(copy.deepcopy(store[section][0]))

    return change


def _alias_of_another(store: dict[str, Any]) -> None:
    places = [e for e in store["entities"] if e["kind"] == "county"]
    places[1]["aliases"] = [*places[1]["aliases"], places[0]["name"].upper()]


def _first(store: dict[str, Any], section: str) -> dict[str, Any]:
    item: dict[str, Any] = store[section][0]
    return item


# Each makes the bundled store invalid in one way `load_store` refuses.
BREAKS: dict[str, Callable[[dict[str, Any]], None]] = {
    "an entity's id twice": _twice("entities"),
    "a fact's id twice": _twice("facts"),
    "a subject unknown": _set(lambda s: _first(s, "facts"), "subject", "nowhere"),
    "a metric unknown": _set(lambda s: _first(s, "facts"), "metric", "nothing"),
    "a related entity unknown": _set(lambda s: _first(s, "facts"), "related", ["nobody"]),
    "a speaker unknown": _set(
        lambda s: _fact_of(s, lambda f: f["attributed_to"] is not None), "attributed_to", "x"
    ),
    "a place unknown": _set(
        lambda s: _entity(s, "shanxi"), "located_in", {"id": "x", "quote": "q"}
    ),
    "a place that is a person": _set(
        lambda s: _entity(s, "shanxi"), "located_in", {"id": "yuan-shenggao", "quote": "q"}
    ),
    "a place that is itself": _set(
        lambda s: _entity(s, "shanxi"), "located_in", {"id": "shanxi", "quote": "q"}
    ),
    "containment in a cycle": _cycle,
    "an organisation unknown": _set(
        lambda s: _entity(s, "yuan-shenggao"),
        "role",
        {"title": "writer", "organisation": "nowhere", "quote": "By YUAN SHENGGAO"},
    ),
    "a name claimed by two of a kind": _alias_of_another,
    "a figure with words for its value": _set(
        lambda s: _fact_of(s, lambda f: isinstance(f["value"], int | float)), "value", "many"
    ),
    "a claim with a unit": _set(
        lambda s: _fact_of(s, lambda f: f["metric"] == _claim_metric(s)), "unit", "count"
    ),
    "a figure without a unit": _set(
        lambda s: _fact_of(s, lambda f: isinstance(f["value"], int | float)), "unit", None
    ),
    "an entity's document unknown": _set(lambda s: _first(s, "entities"), "document", "x"),
    "a fact's document unknown": _set(lambda s: _first(s, "facts"), "document", "x"),
    "a story's document unknown": _set(lambda s: _first(s, "stories"), "document", "x"),
    "an excluded figure's document unknown": _set(
        lambda s: _first(s, "excluded_figures"), "document", "x"
    ),
    "no documents": lambda s: s.update(documents=[]),
    "schema 1": lambda s: s.update(schema_version=1),
    "an entity's field of the wrong type": _set(lambda s: _first(s, "entities"), "name", 7),
    "a fact's key unknown": _set(lambda s: _first(s, "facts"), "colour", "red"),
    "a section missing": lambda s: s.pop("stories"),
    "a section unknown": lambda s: s.update(extra=[]),
    "facts not an array": lambda s: s.update(facts={}),
    "metrics not an array": lambda s: s.update(metrics={}),
}


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_a_store_load_refuses_is_never_streamed(name: str, tmp_path: Path) -> None:
    broken = copy.deepcopy(BUNDLED)
    BREAKS[name](broken)
    store = tmp_path / "facts.json"
    store.write_text(json.dumps(broken, ensure_ascii=False), "utf-8")
    assert_refused_both_ways(store, tmp_path)


# Each is the bundled store's text changed in one way the JSON reader refuses.
TEXT_BREAKS: dict[str, Callable[[str], str]] = {
    "a key twice in a record": lambda t: t.replace(
        '"kind": "province",', '"kind": "province", "kind": "county",', 1
    ),
    "a section twice": lambda t: t.replace('"stories": [', '"stories": [], "stories": [', 1),
    "NaN": lambda t: t.replace('"value": 10,', '"value": NaN,', 1),
    "text after the object": lambda t: t + " {}",
    "cut short": lambda t: t[: len(t) // 2],
    "a byte-order mark": lambda t: "\ufeff" + t,
    "not an object": lambda t: "[" + t + "]",
    "empty": lambda t: "   ",
    "an integer of 5,000 digits": lambda t: t.replace(
        '"value": 10,', '"value": 1' + "0" * 5000 + ",", 1
    ),
}


@pytest.mark.parametrize("name", sorted(TEXT_BREAKS))
def test_a_text_json_refuses_is_never_streamed(name: str, tmp_path: Path) -> None:
    text = bundled_store_path().read_text("utf-8")
    broken = TEXT_BREAKS[name](text)
    assert broken != text
    store = tmp_path / "facts.json"
    store.write_text(broken, "utf-8")
    assert_refused_both_ways(store, tmp_path)


def test_bytes_that_are_not_utf8_are_never_streamed(tmp_path: Path) -> None:
    data = bundled_store_path().read_bytes().replace(b"Shanxi", b"Shan\xffxi", 1)
    store = tmp_path / "facts.json"
    store.write_bytes(data)
    assert_refused_both_ways(store, tmp_path)


def assert_refused_both_ways(store: Path, folder: Path) -> None:
    with pytest.raises(StoreError):
        load_store(store)
    target = folder / "index.sqlite3"
    with pytest.raises(NotStreamed):
        write_streamed_index(store, target)
    assert sorted(path.name for path in folder.iterdir()) == ["facts.json"]


def test_a_store_over_the_limit_is_not_streamed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHANXI_MAX_STORE_BYTES", "1000")
    with pytest.raises(NotStreamed):
        write_streamed_index(bundled_store_path(), tmp_path / "index.sqlite3")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("chunk", [1, 2, 3, 5])
def test_a_number_cut_by_a_chunk_is_read_whole(
    chunk: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A value that ends where the text read so far ends may go on: 12 of 1234."""
    monkeypatch.setattr(stream_read, "_CHUNK", chunk)
    source = tmp_path / "numbers.json"
    source.write_text("[1234, 5.25e3 , -70, true]", "utf-8")
    fd = os.open(source, os.O_RDONLY)
    try:
        text = stream_read._Text(fd, 1000)
        text.take("[")
        values = [text.value()]
        while text.next_char() == ",":
            text.at += 1
            values.append(text.value())
        text.take("]")
    finally:
        os.close(fd)
    assert values == [1234, 5250.0, -70, True]


def test_an_invalid_store_the_index_cannot_hold_is_refused_with_no_note_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A lone surrogate has no UTF-8 form for SQLite: the streamed build fails on it
    before it finds the name claimed twice, and the run says only the store's problem."""
    from shanxi_cli.index import opening

    broken = copy.deepcopy(BUNDLED)
    counties = [e for e in broken["entities"] if e["kind"] == "county"]
    for county in counties[:2]:
        county["aliases"] = [*county["aliases"], "a\ud800"]
    store = tmp_path / "facts.json"
    store.write_text(json.dumps(broken), "utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    notes: list[str] = []
    with pytest.raises(StoreError, match="is already a name of"):
        opening.store_through_index(store, notes.append)
    assert notes == []
