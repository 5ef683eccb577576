"""Loading and indexing stores (broken stores: test_broken_stores.py)."""

from __future__ import annotations

from shanxi_cli.store import Store, load_store

from .conftest import MINI_STORE


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


def test_mini_store_loads() -> None:
    loaded = load_store(MINI_STORE)
    assert [f.id for f in loaded.facts_by_subject["xinghuacun"]] == [
        "xinghuacun.businesses",
        "xinghuacun.jobs",
        "xinghuacun.output-value",
    ]
