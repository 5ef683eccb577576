"""Loading a store, its records grouped in memory, audits of the bundled store's records,
and how their fields show in commands (broken stores: test_broken_stores.py; the SQLite
index of a large store: test_index.py)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shanxi_cli.errors import StoreError
from shanxi_cli.store.article_text import normalise_article
from shanxi_cli.store.json_store import JsonStore, load_store
from shanxi_cli.store.records import Document

from .conftest import FIXTURES, MINI_STORE, ok_json, run

TWO_DOCUMENTS = FIXTURES / "two_documents.json"


def test_bundled_store_indexes_by_id_kind_metric_and_subject(store: JsonStore) -> None:
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


def test_taigu_lies_in_jinzhong_as_the_article_says(store: JsonStore) -> None:
    chain = [e.id for e in store.containment(store.entities["taigu"])]
    assert chain[0] == "jinzhong"


def test_mini_store_loads() -> None:
    loaded = load_store(MINI_STORE)
    assert [f.id for f in loaded.facts_by_subject["xinghuacun"]] == [
        "xinghuacun.businesses",
        "xinghuacun.jobs",
        "xinghuacun.output-value",
    ]


# --- schema 2 ---


def test_schema_version_is_the_integer_2_only(tmp_path: Path) -> None:
    raw = json.loads(MINI_STORE.read_text(encoding="utf-8"))
    refused = {}
    for version in (2.0, 1.0, True, "2", 1):
        path = tmp_path / "store.json"
        path.write_text(json.dumps({**raw, "schema_version": version}), encoding="utf-8")
        with pytest.raises(StoreError) as caught:
            load_store(path)
        refused[json.dumps(version)] = str(caught.value).split(": ", 1)[1]
    assert refused == {
        "2.0": "schema_version: expected the integer 2, got 2.0",
        "1.0": "schema_version: expected the integer 2, got 1.0",
        "true": "schema_version: expected the integer 2, got true",
        '"2"': 'schema_version: expected the integer 2, got "2"',
        "1": "schema_version: this is a schema 1 store and shanxi reads schema 2; "
        'upgrade it as docs/SCHEMA.md says under "Upgrading from schema 1"',
    }


def test_every_figure_has_a_unit_code_and_the_article_s_words(store: JsonStore) -> None:
    figures = [f for f in store.facts.values() if not isinstance(f.value, str)]
    assert {f.unit for f in figures} == {
        *("CNY", "USD/lb", "t", "%", "count", "year", "decade", "ordinal", "top")
    }
    assert all(f.unit_as_stated and f.unit_as_stated in f.quote for f in figures)
    claims = [f for f in store.facts.values() if isinstance(f.value, str)]
    assert {(f.unit, f.unit_as_stated) for f in claims} == {(None, None)}
    volumes = store.facts_by_metric["export-volume"]
    assert [(f.unit, f.unit_as_stated) for f in volumes] == [
        ("t", "metric tons"),
        ("t", "tons"),
        ("t", "tons"),
    ]


def test_every_record_names_the_one_document_of_the_bundled_store(store: JsonStore) -> None:
    (document,) = store.documents.values()
    assert document == Document(
        id="shanxi-supplement",
        file="seeds/000_66a258308dcbbee7.txt",
        title="Honored firms help fuel high-quality growth",
        date=None,
    )
    records = [*store.stories, *store.entities.values(), *store.facts.values()]
    assert {record.document for record in [*records, *store.excluded_figures]} == {document.id}


def test_general_knowledge_is_marked_on_kinds_and_aliases(store: JsonStore) -> None:
    marked = {
        entity.id: (entity.general_knowledge.kind, list(entity.general_knowledge.aliases))
        for entity in store.entities.values()
        if entity.general_knowledge.kind or entity.general_knowledge.aliases
    }
    assert marked["china"] == (True, ["PRC", "People's Republic of China"])
    assert marked["qixian"] == (False, ["Qi county"])
    assert marked["cpc"] == (False, ["CPC", "Chinese Communist Party", "CCP", "the Party"])
    assert marked["pingxingguan"] == (False, ["Pingxing Pass"])
    assert marked["beijing"] == (True, [])
    assert "jinzhong" not in marked  # "Jinzhong city" only reorders "the city of Jinzhong"


# --- the audit's doubtful items, one test each ---


def normalised_article(store: JsonStore) -> str:
    return normalise_article(store.read_document(next(iter(store.documents))))


def test_audit_ten_towns_projects_investment_and_jobs_carry_the_ambiguous_period(
    store: JsonStore,
) -> None:
    for fact_id in ("investment-projects", "investment", "jobs"):
        period = store.facts[f"shanxi-first-10-towns.{fact_id}"].period
        assert period is not None
        assert (period.as_stated, period.year, period.inferred) == (
            "in the past 10 months",
            None,
            False,
        )
        assert period.reading and "not certain" in period.reading


def test_audit_every_story_runs_headline_then_byline(store: JsonStore) -> None:
    article = normalised_article(store)
    for story in store.stories:
        assert f"{story.headline} {story.byline}" in article, story.id
    first = store.stories[0]
    assert article.startswith(f"{first.headline} {first.byline} {first.deck} ")
    assert [story.deck for story in store.stories[1:]] == [None, None, None]


def test_audit_dingxiang_rankings_have_no_sixty_year_period(store: JsonStore) -> None:
    for fact_id in ("dingxiang.ranking", "dingxiang.ranking-2"):
        fact = store.facts[fact_id]
        assert fact.period is None
        assert fact.note and "how long the county took" in fact.note


def test_audit_the_jujube_price_stays_huarong_s_example_with_the_reason(store: JsonStore) -> None:
    fact = store.facts["huarong.price"]
    assert (fact.subject, fact.attributed_to, fact.related) == (
        "huarong",
        "huang-yue",
        ("united-states",),
    )
    assert (fact.value, fact.unit, fact.qualifier) == (18, "USD/lb", "about")
    assert fact.note and "does not say the jujube is Huarong's own" in fact.note
    assert "Kept under Huarong" in fact.note


def test_audit_the_july_7_shipment_has_one_year_everywhere(store: JsonStore) -> None:
    periods = {
        fact.id: fact.period
        for fact in store.facts.values()
        if fact.period and fact.period.as_stated == "On July 7"
    }
    assert sorted(periods) == ["junda.date", "junda.destination", "junda.export-volume"]
    assert len(set(periods.values())) == 1
    (period,) = set(periods.values())
    assert (period.year, period.date, period.inferred) == (2023, "2023-07-07", True)


def test_audit_pingxingguan_is_stored_as_the_most_famed(store: JsonStore) -> None:
    fact = store.facts["pingxingguan.ranking"]
    assert fact.value == "the most famed of the county's cultural assets and historical moments"
    assert "The most famed is Pingxingguan" in fact.quote
    assert fact.related == ("lingqiu",)


def test_audit_no_fact_names_its_subject_or_source_again_in_related(store: JsonStore) -> None:
    assert store.facts["shanxi.characteristic-towns"].related == ()
    assert [
        fact.id
        for fact in store.facts.values()
        if fact.subject in fact.related or fact.attributed_to in fact.related
    ] == []


# --- what a script sees ---


def test_a_fact_carries_its_unit_period_year_and_document(runner: CliRunner) -> None:
    facts = ok_json(run(runner, "metric", "output value", "--town", "Lingqiu", "--json"))
    assert facts[0] | {"display": None, "quote": None, "subject": None} == {
        "id": "lingqiu.output-value",
        "subject": None,
        "metric": "output-value",
        "metric_name": "output value",
        "value": 694000000,
        "claim": None,
        "unit": "CNY",
        "unit_as_stated": "yuan",
        "qualifier": "exact",
        "usd_as_stated": 97020000,
        "display": None,
        "period": {
            "as_stated": "last year",
            "reading": "2022 — an inference: the article reports 'the first five months of "
            "2023' as past data, so it appeared in 2023, and 'last year' is read as 2022",
            "year": 2022,
            "date": None,
            "inferred": True,
            "start_year": None,
            "end_year": None,
        },
        "status": "reported",
        "attributed_to": None,
        "related": [],
        "scope": "cattle farming",
        "note": facts[0]["note"],
        "quote": None,
        "document": "shanxi-supplement",
    }
    assert facts[0]["display"] == "694 million yuan ($97.02 million as stated) — cattle farming"


def test_period_2022_finds_a_stated_2022_and_an_inferred_last_year(runner: CliRunner) -> None:
    found = ok_json(run(runner, "metric", "output value", "--period", "2022", "--json"))
    assert [(f["id"], f["period"]["as_stated"]) for f in found] == [
        ("xinghuacun.output-value", "in 2022"),
        ("lingqiu.output-value", "last year"),
        ("qiangwei.output-value-2", "in 2022"),
    ]
    words = ok_json(run(runner, "metric", "output value", "--period", "last year", "--json"))
    assert [f["id"] for f in words] == ["lingqiu.output-value"]


def test_period_year_ignores_a_year_only_mentioned_in_a_reading(runner: CliRunner) -> None:
    # The Sept 14 announcement's reading mentions 2023 data; its year is 2022.
    found = ok_json(run(runner, "metric", "date", "--period", "2023", "--json"))
    assert [f["id"] for f in found] == [
        "dingxiang.date",
        "dingxiang.date-2",
        "lingqiu.date",
        "junda.date",
    ]


def test_town_output_marks_general_knowledge(runner: CliRunner) -> None:
    china = ok_json(run(runner, "town", "China", "--json"))
    assert china["general_knowledge"] == {
        "of_kind": True,
        "aliases": ["PRC", "People's Republic of China"],
    }
    fenjiu = ok_json(run(runner, "company", "Fenjiu", "--json"))
    assert fenjiu["general_knowledge"] == {"of_kind": False, "aliases": []}


def test_a_fact_of_a_second_document_is_sourced_from_that_document(runner: CliRunner) -> None:
    two = str(TWO_DOCUMENTS)
    shown = ok_json(run(runner, "source", "qingxu.output-volume", "--facts", two, "--json"))
    assert shown["story"] == {
        "id": "s2",
        "headline": "Vinegar county keeps its old recipes",
        "deck": None,
        "byline": "By A SECOND WRITER",
    }
    assert shown["paragraphs"] == [
        {
            "text": "Last year, the county's vinegar output reached 300,000 metric tons.",
            "highlights": [[0, 67]],
        }
    ]
    verified = run(runner, "verify", "--facts", two, "--json")
    assert verified.exit_code == 0, verified.stdout
    assert json.loads(verified.stdout)["problems"] == []


def test_a_second_document_outside_the_store_s_folder_is_not_read(tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "store"
    shutil.copytree(FIXTURES, folder)
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the store's eyes", encoding="utf-8")
    second = folder / "seeds" / "second.txt"
    second.unlink()
    second.symlink_to(secret)
    two = load_store(folder / "two_documents.json")
    with pytest.raises(StoreError) as caught:
        two.read_document("second")
    assert str(caught.value).startswith(
        "documents[1].file 'seeds/second.txt' is outside the fact store's folder"
    )
    second.unlink()
    os.mkfifo(second)
    with pytest.raises(StoreError) as caught:
        two.read_document("second")
    assert str(caught.value) == "documents[1].file 'seeds/second.txt' is a FIFO, not a regular file"


# --- every figure a structured value (issue 20, item 5) ---

# The figures the article printed only in prose or in a claim's words, now facts with a
# number: (value, unit, the article's words for the unit, qualifier, display).
_FIGURES_MADE_FACTS = {
    "shanxi.duration": (1, "year", "year", "less than", "less than 1 year"),
    "dingxiang.development-time": (6, "decade", "decades", "exact", "6 decades"),
    "yuncheng.duration": (10, "year", "consecutive years", "exact", "10 consecutive years"),
    "lingqiu.edition": (
        16,
        "ordinal",
        "Pingxingguan Cultural Tourism Festival",
        "exact",
        "16th Pingxingguan Cultural Tourism Festival",
    ),
    "fenjiu.top-rank": (3, "top", "exporters", "exact", "top 3 exporters"),
    "yinsheng.top-rank": (8, "top", "producers", "exact", "top 8 producers"),
    "lingqiu.tourist-regions": (3, "count", "regions", "exact", "3 regions"),
}


@pytest.mark.parametrize("fact_id", sorted(_FIGURES_MADE_FACTS))
def test_a_figure_once_only_in_prose_is_a_fact_with_its_number_and_words(
    store: JsonStore, fact_id: str
) -> None:
    from shanxi_cli.store.figures import display_value

    fact = store.facts[fact_id]
    value, unit, words, qualifier, display = _FIGURES_MADE_FACTS[fact_id]
    assert (fact.value, fact.unit, fact.unit_as_stated, fact.qualifier) == (
        value,
        unit,
        words,
        qualifier,
    )
    assert display_value(fact).split(" \N{EM DASH} ")[0] == display
    assert fact.status == "reported"
    assert words in fact.quote


def test_the_claims_a_figure_was_taken_from_keep_their_words(store: JsonStore) -> None:
    """The new facts add numbers; the claims that print them are unchanged."""
    assert store.facts["dingxiang.ranking"].period is None
    assert store.facts["yuncheng.ranking"].value == (
        "the largest exporter of farm produce in the province for 10 consecutive years"
    )
    assert store.facts["fenjiu.ranking-2"].value == (
        "among the top three exporters in China's white liquor industry"
    )
    assert store.facts["lingqiu.date"].value == (
        "the 16th Pingxingguan Cultural Tourism Festival opened on July 18"
    )


def test_period_year_finds_a_span_of_years_that_holds_it(runner: CliRunner) -> None:
    found = ok_json(run(runner, "metric", "first", "--period", "1940", "--json"))
    assert [(f["id"], f["period"]["start_year"], f["period"]["end_year"]) for f in found] == [
        ("eighth-route-army.first", 1931, 1945)
    ]
    assert ok_json(run(runner, "metric", "history", "--period", "1644", "--json"))
    after = run(runner, "metric", "first", "--period", "1950", "--json")
    assert after.exit_code == 0 and json.loads(after.stdout) == []
