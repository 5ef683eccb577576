"""`search`: every word somewhere in a record, any order, stemmed, ranked by where it is."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from shanxi_cli.answer.search import search
from shanxi_cli.errors import ShanxiError
from shanxi_cli.store.interface import Store

from .conftest import ok_json, run


def ids(store: Store, text: str, limit: int = 20) -> list[tuple[str, str]]:
    return [(hit.kind, hit.id) for hit in search(store, text, limit).hits]


def test_words_in_reversed_order_find_the_same_records(store: Store) -> None:
    found = ids(store, "bitter buckwheat")
    assert ids(store, "buckwheat bitter") == found
    assert found[0] == ("fact", "lingqiu.output-volume")  # "bitter buckwheat" is its scope
    assert sorted(found) == [
        ("fact", "lingqiu.business-entities"),
        ("fact", "lingqiu.output-volume"),
        ("fact", "lingqiu.recognition"),
        ("fact", "lingqiu.strategy"),
        ("place", "lingqiu"),
    ]
    assert found[-1] == ("fact", "lingqiu.strategy")  # only its quote names the produce


def test_what_a_place_is_known_for_is_searched(store: Store) -> None:
    hits = search(store, "malleable iron").hits
    assert (hits[0].id, hits[0].matched) == ("taigu", "known for")


def test_a_person_s_role_is_searched(store: Store) -> None:
    hits = search(store, "deputy chief").hits
    assert [(hit.id, hit.matched) for hit in hits[:2]] == [
        ("li-zhiyong", "role"),
        ("ma-yunxia", "role"),
    ]


def test_plurals_and_verb_forms_match_their_stem(store: Store) -> None:
    assert ids(store, "peach") == ids(store, "peaches")
    assert ("fact", "yuncheng.export-volume") in ids(store, "exporting farming products")


def test_every_word_must_appear_in_the_record(store: Store) -> None:
    assert ids(store, "buckwheat flange") == []


def test_a_hit_in_a_name_outranks_a_hit_in_a_quote(store: Store) -> None:
    hits = search(store, "Great Wall").hits
    assert (hits[0].id, hits[0].matched) == ("great-wall", "name")
    assert hits[-1].matched == "quote"


def test_the_total_is_reported_when_the_limit_cuts(store: Store) -> None:
    found = search(store, "Yuncheng", limit=3)
    assert len(found.hits) == 3
    assert found.total > 3
    assert found.hits == search(store, "Yuncheng", limit=found.total).hits[:3]


def test_a_typo_is_read_as_the_nearest_word_and_said(store: Store) -> None:
    found = search(store, "buckweat")
    assert [(r.typed, r.read_as) for r in found.readings] == [("buckweat", "buckwheat")]
    assert [hit.id for hit in found.hits] == [hit.id for hit in search(store, "buckwheat").hits]


def test_a_word_found_nowhere_is_named_and_the_other_words_still_search(store: Store) -> None:
    found = search(store, "vinegar flange")
    assert found.unmatched == ("vinegar",)
    assert found.hits == search(store, "flange").hits


def test_words_found_nowhere_alone_find_nothing(store: Store) -> None:
    found = search(store, "vinegar weigh")
    assert (found.hits, found.total, found.unmatched) == ((), 0, ("vinegar", "weigh"))


def test_an_english_word_is_not_read_as_a_store_word(store: Store) -> None:
    # "weigh" is one edit from "eight", a word of the store: it is English, not a typo.
    assert search(store, "fruit weigh").readings == ()


def test_metric_synonyms_and_values_are_searched(store: Store) -> None:
    assert ids(store, "shipments")[0] == ("metric", "export-volume")
    assert ("fact", "xinghuacun.jobs") in ids(store, "50,000")


@pytest.mark.parametrize("text", ["50,000", "50000"])
def test_a_number_with_thousands_separators_is_one_number(store: Store, text: str) -> None:
    # Not "50" and "000", which "more than 9,000 foreign outlets" holds too.
    assert ids(store, text) == [("fact", "xinghuacun.jobs")]


def test_a_question_reads_a_number_with_separators_as_one_word(runner: CliRunner) -> None:
    result = run(runner, "metric", "50,000", "jobs", "--json")
    assert [fact["id"] for fact in ok_json(result)] == ["xinghuacun.jobs"]
    assert "with '50000'" in result.stderr


@pytest.mark.parametrize("text", ["", "  ", "ab"])
def test_too_short_a_text_is_a_usage_error(store: Store, text: str) -> None:
    with pytest.raises(ShanxiError):
        search(store, text)


def test_search_command_says_when_results_are_cut(runner: CliRunner) -> None:
    result = run(runner, "search", "Yuncheng", "--limit", "2", "--json")
    total = search_total = len(
        ok_json(run(runner, "search", "Yuncheng", "--limit", "500", "--json"))
    )
    assert len(ok_json(result)) == 2
    assert f"showing 2 of {search_total}" in result.stderr
    assert total > 2


def test_search_command_exits_1_naming_a_missing_word(runner: CliRunner) -> None:
    result = run(runner, "search", "vinegar")
    assert result.exit_code == 1
    assert "nothing in the article has 'vinegar'" in result.stderr
