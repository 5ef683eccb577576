"""Every command through Typer's CliRunner: values, formats, messages and exit codes."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from typer.testing import CliRunner

from .conftest import MINI_STORE, ok_json, run


def test_town_json_has_the_contract_shape(runner: CliRunner) -> None:
    record = ok_json(run(runner, "town", "Xinghuacun", "--json"))
    assert (record["id"], record["name"], record["kind"]) == (
        "xinghuacun",
        "Xinghuacun",
        "township",
    )
    assert record["match"] == {"query": "Xinghuacun", "method": "exact", "score": 100.0}
    jobs = next(f for f in record["facts"] if f["metric"] == "jobs")
    assert jobs["value"] == 50000
    assert jobs["qualifier"] == "more than"
    assert (
        jobs["display"] == "more than 50,000 jobs \u2014 created by the 485 white liquor businesses"
    )
    assert jobs["subject"] == {"id": "xinghuacun", "name": "Xinghuacun", "kind": "township"}
    assert set(jobs) >= {
        "id",
        "subject",
        "metric",
        "value",
        "unit",
        "qualifier",
        "period",
        "status",
        "quote",
    }
    assert "Xinghuacun Fenjiu Group" in [o["name"] for o in record["organisations"]]


def test_xinghuacun_liquor_output_keeps_about_period_and_exact_value(runner: CliRunner) -> None:
    record = ok_json(run(runner, "town", "Xinghuacun", "--json"))
    output = [f for f in record["facts"] if f["value"] == 20150000000]
    assert len(output) == 1
    assert output[0]["unit"] == "CNY"
    assert output[0]["qualifier"] == "about"
    assert output[0]["period"]["as_stated"] == "in 2022"
    assert output[0]["status"] == "reported"


def test_company_json_for_an_alias(runner: CliRunner) -> None:
    record = ok_json(run(runner, "company", "Fenjiu", "--json"))
    assert record["id"] == "fenjiu"
    assert record["match"]["method"] == "exact"
    assert any("top three" in (f["claim"] or "") for f in record["facts"])


def test_group_figures_are_not_the_province_s(runner: CliRunner) -> None:
    # "more than 37,100 jobs" belongs to the first 10 towns, not to Shanxi as a whole.
    province = ok_json(run(runner, "town", "Shanxi", "--json"))
    assert 37100 not in [f["value"] for f in province["facts"]]
    assert "shanxi-first-10-towns" in [p["id"] for p in province["places"]]
    group = ok_json(run(runner, "town", "first 10 towns", "--json"))
    jobs = next(f for f in group["facts"] if f["metric"] == "jobs")
    assert (jobs["value"], jobs["qualifier"]) == (37100, "more than")


def test_scope_narrower_than_the_subject_is_shown(runner: CliRunner) -> None:
    record = ok_json(run(runner, "town", "Lingqiu", "--json"))
    cattle = next(f for f in record["facts"] if f["value"] == 694000000)
    assert cattle["scope"] == "cattle farming"
    assert cattle["display"] == "694 million yuan ($97.02 million as stated) \u2014 cattle farming"
    assert cattle["period"]["as_stated"] == "last year"
    assert cattle["period"]["reading"].startswith("2022")


def test_expected_figure_is_not_reported(runner: CliRunner) -> None:
    record = ok_json(run(runner, "company", "Qiangwei", "--json"))
    by_value = {f["value"]: f for f in record["facts"] if not isinstance(f["value"], str)}
    assert by_value[8000000000]["status"] == "expected"
    assert by_value[8000000000]["usd_as_stated"] == 1120000000
    assert by_value[2000000000]["status"] == "reported"
    assert by_value[2000000000]["period"]["as_stated"] == "in 2022"


def test_metric_lists_facts_across_subjects(runner: CliRunner) -> None:
    facts = ok_json(run(runner, "metric", "jobs", "--json"))
    assert isinstance(facts, list)
    assert {f["metric"] for f in facts} == {"jobs"}
    assert "xinghuacun" in {f["subject"]["id"] for f in facts}


def test_metric_narrowed_to_a_town(runner: CliRunner) -> None:
    facts = ok_json(run(runner, "metric", "jobs", "--town", "xinghuacun", "--json"))
    assert [f["subject"]["id"] for f in facts] == ["xinghuacun"] * len(facts)
    assert len(facts) >= 1


def test_metric_without_query_lists_the_vocabulary_with_counts(runner: CliRunner) -> None:
    metrics = ok_json(run(runner, "metric", "--json"))
    jobs = next(m for m in metrics if m["id"] == "jobs")
    assert jobs["fact_count"] >= 3
    assert all(m["fact_count"] >= 1 for m in metrics)


def test_fuzzy_match_is_announced_on_stderr(runner: CliRunner) -> None:
    result = run(runner, "town", "xinghua cun", "--json")
    assert result.exit_code == 0
    result = run(runner, "town", "Xinghuacn", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["id"] == "xinghuacun"
    assert "matched Xinghuacun (township)" in result.stderr


def test_not_found_suggests_nearest_names_and_exits_1(runner: CliRunner) -> None:
    result = run(runner, "town", "Lingqiuzhen")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "did you mean: Lingqiu" in result.stderr


def test_nothing_near_says_not_found(runner: CliRunner) -> None:
    result = run(runner, "town", "Paris", "--json")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("shanxi: error: no place matches 'Paris'")


def test_company_asked_of_town_points_to_company_command(runner: CliRunner) -> None:
    result = run(runner, "town", "Fenjiu")
    assert result.exit_code == 1
    assert "try: shanxi company" in result.stderr


def test_town_asked_of_company_points_to_town_command(runner: CliRunner) -> None:
    result = run(runner, "company", "Lingqiu")
    assert result.exit_code == 1
    assert "try: shanxi town Lingqiu" in result.stderr


def test_ambiguous_query_lists_candidates_and_exits_3(runner: CliRunner) -> None:
    result = run(runner, "company", "Dingxiang")
    assert result.exit_code == 3, result.stderr
    assert result.stdout == ""
    assert "could be several" in result.stderr


@pytest.mark.parametrize("name", ["", "   "])
def test_empty_name_is_a_usage_error(runner: CliRunner, name: str) -> None:
    result = run(runner, "town", name)
    assert result.exit_code == 2
    assert result.stderr == "shanxi: error: NAME must not be empty\n"


def test_huge_name_is_a_usage_error(runner: CliRunner) -> None:
    result = run(runner, "town", "x" * 10_000)
    assert result.exit_code == 2
    assert "10,000 characters long" in result.stderr
    assert len(result.stderr) < 200


def test_missing_argument_and_unknown_option_exit_2(runner: CliRunner) -> None:
    assert run(runner, "town").exit_code == 2
    assert run(runner, "town", "Taigu", "--bogus").exit_code == 2


def test_missing_store_exits_4_with_one_line(runner: CliRunner, tmp_path: Any) -> None:
    result = run(runner, "town", "Taigu", "--facts", str(tmp_path / "none.json"))
    assert result.exit_code == 4
    assert result.stderr.count("\n") == 1
    assert "not found" in result.stderr


def test_store_from_environment_variable(runner: CliRunner, monkeypatch: Any) -> None:
    monkeypatch.setenv("SHANXI_FACTS", str(MINI_STORE))
    record = ok_json(run(runner, "town", "Taigu", "--json"))
    assert record["known_for"][0]["quote"] == "makes malleable iron"


def test_markup_in_a_query_is_printed_literally(runner: CliRunner) -> None:
    result = run(runner, "town", "[bold]x[/bold]", "--format", "table")
    assert result.exit_code == 1
    assert "'[bold]x[/bold]'" in result.stderr


def test_control_characters_in_a_query_are_escaped(runner: CliRunner) -> None:
    result = run(runner, "town", "evil\x1b[31mred")
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr
    assert "\\x1b" in result.stderr


def test_text_output_is_one_fact_a_line(runner: CliRunner) -> None:
    result = run(runner, "town", "Xinghuacun", "--format", "text")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Xinghuacun (township)"
    assert any(line.startswith("jobs\tmore than 50,000 jobs \u2014 created by") for line in lines)
    assert "\x1b" not in result.stdout


def test_table_fits_80_columns_and_keeps_every_figure_whole(runner: CliRunner) -> None:
    from shanxi_cli.output.emit import Environment, emit
    from shanxi_cli.output.json_docs import entity_doc
    from shanxi_cli.output.views import EntityView
    from shanxi_cli.store.json_store import bundled_store_path, load_store
    from shanxi_cli.text.names import NameIndex

    store = load_store(bundled_store_path())
    for entity_id in ("xinghuacun", "shanxi", "yuncheng", "lingqiu", "qiangwei", "fenjiu"):
        entity = store.entities[entity_id]
        record = entity_doc(store, entity, NameIndex([entity]).match(entity.name))
        out = io.StringIO()
        emit(EntityView(record, quotes=True), "table", Environment(out, out, False, 80, False))
        text = out.getvalue()
        assert max(len(line) for line in text.splitlines()) <= 80
        table_lines = [line for line in text.splitlines() if line and line[0] in "┏┃┡│└"]
        assert all(line.rstrip()[-1] in "┓┃┩│┘" for line in table_lines), entity_id
        words = " ".join(text.split())
        for fact in record["facts"]:
            for number in _figures(fact["display"]):
                assert number in words, (entity_id, number)


def _figures(display: str) -> list[str]:
    return [word.strip("($),") for word in display.split() if any(c.isdigit() for c in word)]


def test_version(runner: CliRunner) -> None:
    result = run(runner, "--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("shanxi 0.")


@pytest.mark.parametrize("command", ["town", "company", "metric"])
def test_every_command_has_help_with_an_example(runner: CliRunner, command: str) -> None:
    result = run(runner, command, "--help")
    assert result.exit_code == 0
    assert f"shanxi {command}" in result.stdout
    assert "Examples:" in result.stdout


def test_root_help_documents_exit_codes(runner: CliRunner) -> None:
    result = run(runner, "--help")
    for line in (
        "0    found",
        "1    a name, id or question that matches nothing",
        "3    ambiguous",
        "4    fact store missing or invalid",
        "5    the output could not be written",
        "130  interrupted",
    ):
        assert line in result.stdout


@pytest.mark.parametrize(
    ("args", "joined"),
    [
        (["person", "Ma", "Yunxia"], ["person", "Ma Yunxia"]),
        (["town", "dingxiang", "county"], ["town", "dingxiang county"]),
        (["company", "Yinsheng", "Technology"], ["company", "Yinsheng Technology"]),
        (["metric", "Yuncheng", "exports"], ["metric", "Yuncheng exports"]),
        (["search", "bitter", "buckwheat"], ["search", "bitter buckwheat"]),
    ],
)
def test_several_words_without_quotes_are_one_query(
    runner: CliRunner, args: list[str], joined: list[str]
) -> None:
    unquoted = run(runner, *args, "--json")
    assert unquoted.exit_code == 0, unquoted.stderr
    assert unquoted.stdout == run(runner, *joined, "--json").stdout


@pytest.mark.parametrize(
    ("words", "note"),
    [
        ("jobs", ""),
        ("employment", ""),
        ("staff", "shanxi: note: 'staff' read as jobs\n"),
        ("shipments", "shanxi: note: 'shipments' read as export volume\n"),
    ],
)
def test_a_question_read_other_than_by_a_metric_s_own_name_says_so(
    runner: CliRunner, words: str, note: str
) -> None:
    result = run(runner, "metric", words, "--json")
    assert (result.exit_code, result.stderr) == (0, note)
