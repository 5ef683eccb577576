"""`metric QUERY` read as a reader's question: the corpus, the rules, and the command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shanxi_cli.answer.question import answer
from shanxi_cli.store.interface import Store

from .conftest import ok_json, run

CORPUS = json.loads((Path(__file__).parent / "questions.json").read_text(encoding="utf-8"))
# Batch 1 was written from the article before the answerer was tuned; batch 2 afterwards,
# to see how far the tuning carried (13 of its 20 passed before the fixes it prompted:
# more question words, number words, metrics narrowed by each other, two synonyms).
# Floors are set a little under what the corpus reached (recall 0.99, precision 0.98,
# three questions failing), so that a regression fails the suite.
RECALL_FLOOR = 0.96
PRECISION_FLOOR = 0.95
MAX_FAILING = 5


def test_the_corpus_is_answered_with_high_recall_and_precision(store: Store) -> None:
    totals: dict[int, list[int]] = {}
    failing = []
    for entry in CORPUS:
        returned = {fact.id for fact in answer(store, entry["question"]).facts}
        expected = set(entry["expected"])
        counts = totals.setdefault(entry["batch"], [0, 0, 0])
        counts[0] += len(expected)
        counts[1] += len(expected & returned)
        counts[2] += len(returned)
        if not expected <= returned or len(returned - expected) > entry["max_extra"]:
            failing.append(
                (entry["question"], sorted(expected - returned), sorted(returned - expected))
            )
    expected_total, found_total, returned_total = (
        sum(c[i] for c in totals.values()) for i in range(3)
    )
    recall = found_total / expected_total
    precision = found_total / returned_total
    print(f"\ncorpus of {len(CORPUS)} questions: recall {recall:.3f}, precision {precision:.3f}")
    for batch, (wanted, found, returned_count) in sorted(totals.items()):
        print(
            f"  batch {batch}: recall {found / wanted:.3f}, precision {found / returned_count:.3f}"
        )
    for question, missed, extra in failing:
        print(f"  failing: {question!r} missed {missed} extra {extra}")
    assert recall >= RECALL_FLOOR
    assert precision >= PRECISION_FLOOR
    assert len(failing) <= MAX_FAILING


def test_the_corpus_is_large_and_includes_questions_the_article_cannot_answer() -> None:
    assert len(CORPUS) >= 80
    assert len({entry["question"].casefold() for entry in CORPUS}) == len(CORPUS)
    assert sum(1 for entry in CORPUS if not entry["expected"]) >= 3


@pytest.mark.parametrize(
    "question", [entry["question"] for entry in CORPUS if not entry["expected"]]
)
def test_a_question_the_article_cannot_answer_returns_no_fact(store: Store, question: str) -> None:
    assert answer(store, question).facts == []


def test_words_in_any_order_give_the_same_answer(store: Store) -> None:
    assert (
        answer(store, "Yuncheng export value").groups
        == answer(store, "export value Yuncheng").groups
    )


def test_a_word_naming_several_metrics_shows_all_of_them_grouped(store: Store) -> None:
    found = answer(store, "exports")
    assert [(group.metric.id, [f.id for f in group.facts]) for group in found.groups] == [
        ("export-value", ["yuncheng.export-value"]),
        (
            "export-volume",
            ["junda.export-volume", "yuncheng.export-volume", "yuncheng.export-volume-2"],
        ),
    ]


def test_how_the_words_were_read_is_returned(store: Store) -> None:
    found = answer(store, "Xinghuacn white liquor jobs")
    assert [metric.id for metric in found.metrics] == ["jobs"]
    assert [
        (s.words, s.match.method, s.match.item and s.match.item.id) for s in found.subjects
    ] == [("xinghuacn", "exact", "xinghuacun")]
    assert found.narrowing == ("white", "liquor")
    assert [(r.typed, r.read_as) for r in found.readings] == [("xinghuacn", "xinghuacun")]
    assert [fact.id for fact in found.facts] == ["xinghuacun.jobs"]


def test_a_word_matching_nothing_is_named_and_the_nearest_facts_given(store: Store) -> None:
    found = answer(store, "vinegar output")
    assert found.facts == []
    assert found.unmatched == ("vinegar",)
    assert [metric.id for metric in found.metrics] == ["output-value", "output-volume"]
    assert found.nearest and all(
        fact.metric in ("output-value", "output-volume") for fact in found.nearest
    )


def test_an_ambiguous_subject_gives_no_answer_but_its_candidates(store: Store) -> None:
    found = answer(store, "Ma statements")
    assert found.facts == []
    assert found.ambiguous is not None
    assert [c.item.id for c in found.ambiguous.match.candidates] == ["ma-mingqing", "ma-yunxia"]


def test_a_subject_without_such_facts_is_answered_by_what_lies_within_it(store: Store) -> None:
    found = answer(store, "Dingxiang action plans")
    assert [fact.id for fact in found.facts] == ["dingxiang-government.strategy"]
    assert [entity.id for entity in found.widened] == ["dingxiang"]


def test_two_subjects_keep_the_facts_about_both(store: Store) -> None:
    assert [f.id for f in answer(store, "Yuncheng Kyrgyzstan shipments").facts] == [
        "junda.export-volume"
    ]


def test_a_year_narrows_by_period_before_notes(store: Store) -> None:
    assert [f.id for f in answer(store, "Chehe income 2013").facts] == ["chehe.per-capita-income-2"]


def test_filters_apply_on_top(store: Store) -> None:
    found = answer(store, "jobs", keep=lambda fact: fact.subject == "lingqiu")
    assert [fact.id for fact in found.facts] == ["lingqiu.jobs"]


@pytest.mark.parametrize("kind", ["fact", "metric", "entity"])
def test_every_id_round_trips_exactly_and_quietly(store: Store, kind: str) -> None:
    ids = {"fact": store.facts, "metric": store.metrics, "entity": store.entities}[kind]
    for item_id in ids:
        found = answer(store, item_id)
        assert found.by_id and not found.readings and not found.unmatched, item_id
        if kind == "fact":
            assert [fact.id for fact in found.facts] == [item_id]
        elif kind == "metric":
            assert [fact.id for fact in found.facts] == [
                fact.id for fact in store.facts_by_metric.get(item_id, [])
            ]
        else:
            assert [s.match.method for s in found.subjects] == ["exact"]
            own = {fact.id for fact in store.facts_by_subject.get(item_id, [])}
            # An entity with no facts of its own is answered as its name would be: by
            # the facts that concern it, said so.
            if own or not found.facts:
                assert {fact.id for fact in found.facts} == own
            else:
                assert [entity.id for entity in found.widened] == [item_id]


def test_metric_command_shows_a_question_s_answer(runner: CliRunner) -> None:
    result = run(runner, "metric", "Yuncheng exports", "--json")
    assert [fact["id"] for fact in ok_json(result)] == [
        "yuncheng.export-value",
        "yuncheng.export-volume",
        "yuncheng.export-volume-2",
    ]
    assert "read as export value, export volume; about Yuncheng" in result.stderr


def test_metric_command_exits_1_naming_the_word_and_the_search_to_try(runner: CliRunner) -> None:
    result = run(runner, "metric", "vinegar output")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "'vinegar' matched nothing" in result.stderr
    assert "try: shanxi search 'vinegar output'" in result.stderr


def test_metric_command_exits_3_for_an_ambiguous_subject(runner: CliRunner) -> None:
    result = run(runner, "metric", "Ma statements")
    assert result.exit_code == 3
    assert "Ma Mingqing (person); Ma Yunxia (person)" in result.stderr


def test_metric_command_takes_a_metric_id_quietly(runner: CliRunner) -> None:
    result = run(runner, "metric", "rd-share", "--json")
    assert [fact["id"] for fact in ok_json(result)] == ["yinsheng.rd-share"]
    assert result.stderr == ""
