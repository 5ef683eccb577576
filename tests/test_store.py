"""Loading and validating stores: the bundled one loads; a broken one names the exact place."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from shanxi_cli.errors import StoreError
from shanxi_cli.store import Store, load_store

from .conftest import MINI_STORE


def mini() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(MINI_STORE.read_text(encoding="utf-8"))
    return data


def test_bundled_store_indexes_by_id_kind_metric_and_subject(store: Store) -> None:
    assert store.entities["xinghuacun"].kind == "township"
    assert store.entities["fenjiu"].name == "Xinghuacun Fenjiu Group"
    assert "jobs" in store.metrics
    assert all(f.subject == "xinghuacun" for f in store.facts_by_subject["xinghuacun"])
    assert all(f.metric == "jobs" for f in store.facts_by_metric["jobs"])
    assert {e.id for e in store.of_category("place")} >= {
        "shanxi",
        "jinzhong",
        "yuncheng",
        "dingxiang",
        "qixian",
        "taigu",
        "wanrong",
        "lingqiu",
        "chehe",
        "xinghuacun",
        "shouyang",
        "heshun",
        "linyi",
    }


def test_taigu_lies_in_jinzhong_as_the_article_says(store: Store) -> None:
    chain = [e.id for e in store.containment(store.entities["taigu"])]
    assert chain[0] == "jinzhong"


def test_mini_store_loads(tmp_path: Path) -> None:
    loaded = load_store(MINI_STORE)
    assert [f.id for f in loaded.facts_by_subject["xinghuacun"]] == [
        "xinghuacun.businesses",
        "xinghuacun.jobs",
        "xinghuacun.output-value",
    ]


def write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def break_fact_value(data: dict[str, Any]) -> None:
    data["facts"][2]["value"] = [1]


def break_version(data: dict[str, Any]) -> None:
    data["schema_version"] = 2


def break_subject(data: dict[str, Any]) -> None:
    data["facts"][1]["subject"] = "atlantis"


def break_duplicate_id(data: dict[str, Any]) -> None:
    data["entities"][1]["id"] = "shanxi"


def break_missing_quote(data: dict[str, Any]) -> None:
    del data["facts"][0]["quote"]


def break_alias(data: dict[str, Any]) -> None:
    data["entities"][4]["aliases"] = ["xinghuacun"]
    data["entities"][4]["kind"] = "township"


def break_claim_with_number(data: dict[str, Any]) -> None:
    data["facts"][3]["value"] = 3


@pytest.mark.parametrize(
    ("mutate", "place"),
    [
        (break_fact_value, "facts[2].value: expected a number or a string, got an array"),
        (break_version, "schema_version: expected 1, got 2"),
        (break_subject, "facts[1].subject: unknown entity 'atlantis'"),
        (break_duplicate_id, "entities[1].id: duplicate id 'shanxi'"),
        (break_missing_quote, "facts[0]: missing required key 'quote'"),
        (break_alias, "entities[4].aliases: 'xinghuacun' is already a name of 'xinghuacun'"),
        (break_claim_with_number, "facts[3].value: metric 'ranking' is a claim"),
    ],
)
def test_a_broken_store_is_rejected_naming_file_and_place(
    tmp_path: Path, mutate: Any, place: str
) -> None:
    data = mini()
    mutate(data)
    path = write(tmp_path, data)
    with pytest.raises(StoreError) as caught:
        load_store(path)
    assert str(path) in caught.value.message
    assert place in caught.value.message
    assert "\n" not in caught.value.message


RAW_BROKEN = [
    ("not-json.json", b"facts, not JSON", "is not valid JSON: Expecting value at line 1 column 1"),
    ("empty.json", b"", "is empty"),
    ("truncated.json", b'{"schema_version": 1, "source": {', "is not valid JSON"),
    ("bom.json", b"\xef\xbb\xbf{}", "starts with a byte-order mark"),
    ("latin1.json", b'{"a": "\xe9"}', "is not UTF-8 (byte 7)"),
    ("nan.json", b'{"schema_version": NaN}', "NaN is not a number JSON allows"),
    ("infinity.json", b'{"schema_version": Infinity}', "Infinity is not a number JSON allows"),
    ("duplicate-keys.json", b'{"a": 1, "a": 2}', "duplicate key 'a' in one object"),
    ("deep.json", b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ("long-number.json", b'{"schema_version": ' + b"9" * 5000 + b"}", "is not valid JSON"),
    ("array.json", b"[]", "$: expected an object, got an array"),
    ("wrong-version.json", b'{"schema_version": "1"}', "$: missing required key 'source'"),
]


@pytest.mark.parametrize(("name", "content", "message"), RAW_BROKEN)
def test_a_malformed_file_is_refused_in_one_line(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(StoreError) as caught:
        load_store(path)
    assert message in caught.value.message
    assert str(path) in caught.value.message
    assert "\n" not in caught.value.message


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a directory"):
        load_store(tmp_path)
