"""People, search, browsing, the source view, output formats, metric filters and verify."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from .conftest import FIXTURES, MINI_STORE, ok_json, run


def test_person_shows_role_place_and_what_they_said(runner: CliRunner) -> None:
    record = ok_json(run(runner, "person", "Bai Feng", "--json"))
    assert record["role"]["title"] == "chairman"
    assert record["role"]["organisation"]["id"] == "yinsheng"
    # The article places no person: the role names the organisation, which has a place.
    assert record["located_in"] == []
    said = {fact["id"] for fact in record["attributed"]}
    assert "yinsheng.rd-share" in said


def test_person_resolves_a_surname_alias_and_misspelling(runner: CliRunner) -> None:
    assert ok_json(run(runner, "person", "ma yunxia", "--json"))["id"] == "ma-yunxia"
    result = run(runner, "person", "Huang Yeu", "--json")
    assert json.loads(result.stdout)["id"] == "huang-yue"
    assert "matched Huang Yue (person)" in result.stderr


def test_person_asked_of_company_points_to_person_command(runner: CliRunner) -> None:
    result = run(runner, "company", "Bai Feng")
    assert result.exit_code == 1
    assert "try: shanxi person 'Bai Feng'" in result.stderr


def test_search_ranks_names_before_mentions_and_says_how_to_show_each(runner: CliRunner) -> None:
    hits = ok_json(run(runner, "search", "fenjiu", "--json"))
    assert hits[0]["kind"] == "organisation"
    assert hits[0]["command"] == "shanxi company fenjiu"
    assert all(hit["command"].startswith("shanxi source ") for hit in hits if hit["kind"] == "fact")


def test_search_finds_a_word_only_quotes_hold(runner: CliRunner) -> None:
    hits = ok_json(run(runner, "search", "buckwheat", "--json"))
    assert "lingqiu.recognition" in [hit["id"] for hit in hits]


def test_search_with_nothing_near_exits_1(runner: CliRunner) -> None:
    result = run(runner, "search", "zzqqxx")
    assert result.exit_code == 1
    assert result.stdout == ""


def test_search_refuses_two_letters(runner: CliRunner) -> None:
    assert run(runner, "search", "ab").exit_code == 2


def test_list_piped_is_one_name_a_line(runner: CliRunner) -> None:
    result = run(runner, "list", "people")
    assert result.exit_code == 0
    names = result.stdout.splitlines()
    assert len(names) == 14
    assert "Bai Feng" in names
    assert names == sorted(names, key=str.casefold)


def test_list_json_has_ids_kinds_and_fact_counts(runner: CliRunner) -> None:
    towns = ok_json(run(runner, "list", "towns", "--json"))
    xinghuacun = next(town for town in towns if town["id"] == "xinghuacun")
    assert xinghuacun == {
        "id": "xinghuacun",
        "name": "Xinghuacun",
        "kind": "township",
        "located_in": [
            {"id": "shanxi", "name": "Shanxi", "kind": "province"},
            {"id": "china", "name": "China", "kind": "country"},
        ],
        "fact_count": 6,
    }


def test_list_metrics(runner: CliRunner) -> None:
    metrics = ok_json(run(runner, "list", "metrics", "--json"))
    assert "jobs" in [metric["id"] for metric in metrics]


def test_source_marks_the_quote_inside_its_paragraph(runner: CliRunner) -> None:
    result = run(runner, "source", "lingqiu.output-value")
    assert result.exit_code == 0
    assert "Story: Rural tourism boosted by county's cultural bounty" in result.stdout
    assert (
        "\u00bbStatistics show that Lingqiu has more than 5,500 people engaged in cattle farming, "
        "which reported an output value of 694 million yuan ($97.02 million) last year.\u00ab "
        "Beef products there"
    ) in result.stdout


def test_source_json_highlights_are_the_quote(runner: CliRunner) -> None:
    record = ok_json(run(runner, "source", "shanxi-first-10-towns.jobs", "--json"))
    fragments = [
        paragraph["text"][start:end]
        for paragraph in record["paragraphs"]
        for start, end in paragraph["highlights"]
    ]
    assert " \u2026 ".join(fragments) == record["fact"]["quote"]
    assert record["story"]["id"] == "s1"


def test_source_of_an_unknown_id_suggests_near_ids(runner: CliRunner) -> None:
    result = run(runner, "source", "xinghuacun.job")
    assert result.exit_code == 1
    assert "did you mean: xinghuacun.jobs" in result.stderr


@pytest.mark.parametrize("command", [["town", "Xinghuacun"], ["metric", "jobs"]])
def test_jsonl_lines_are_the_json_array_s_objects(runner: CliRunner, command: list[str]) -> None:
    lines = run(runner, *command, "--format", "jsonl").stdout.splitlines()
    document = ok_json(run(runner, *command, "--json"))
    records = document if isinstance(document, list) else [document]
    assert [json.loads(line) for line in lines] == records


def test_csv_has_a_header_and_keeps_full_values(runner: CliRunner) -> None:
    result = run(runner, "metric", "output value", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    liquor = next(row for row in rows if row["id"] == "xinghuacun.output-value")
    assert (liquor["value"], liquor["unit"], liquor["qualifier"]) == ("20150000000", "CNY", "about")
    assert liquor["period_as_stated"] == "in 2022"


def test_metric_filters_sort_and_limit(runner: CliRunner) -> None:
    facts = ok_json(
        run(runner, "metric", "output value", "--min", "1e9", "--sort", "value", "--json")
    )
    values = [fact["value"] for fact in facts]
    assert values == sorted(values, reverse=True)
    assert min(values) >= 1e9
    top = ok_json(
        run(runner, "metric", "output value", "--sort", "value", "--limit", "1", "--json")
    )
    assert [fact["value"] for fact in top] == [200000000000]


def test_metric_period_and_status_filters(runner: CliRunner) -> None:
    in_2022 = ok_json(run(runner, "metric", "output value", "--period", "2022", "--json"))
    assert {fact["id"] for fact in in_2022} >= {
        "xinghuacun.output-value",
        "qiangwei.output-value-2",
    }
    expected = ok_json(run(runner, "metric", "output value", "--status", "expected", "--json"))
    assert [fact["id"] for fact in expected] == ["qiangwei.output-value"]


def test_status_choices_are_the_store_s_statuses() -> None:
    from shanxi_cli.cli.options import Status
    from shanxi_cli.store.records import STATUSES

    assert tuple(status.value for status in Status) == STATUSES


def test_filters_that_leave_nothing_print_an_empty_document_and_exit_0(
    runner: CliRunner,
) -> None:
    result = run(runner, "metric", "jobs", "--min", "1e12", "--json")
    assert (result.exit_code, result.stdout) == (0, "[]\n")
    assert result.stderr == "shanxi: note: no facts answer 'jobs' with these filters\n"
    csv_result = run(runner, "metric", "jobs", "--min", "1e12", "--format", "csv")
    assert csv_result.stdout.startswith("id,subject_id,") and csv_result.stdout.count("\n") == 1
    assert run(runner, "metric", "jobs", "--min", "1e12", "--format", "text").stdout == ""


def test_filters_without_a_query_are_a_usage_error(runner: CliRunner) -> None:
    assert run(runner, "metric", "--min", "5").exit_code == 2


def test_verify_passes_the_bundled_store(runner: CliRunner) -> None:
    result = run(runner, "verify")
    assert result.exit_code == 0
    assert result.stdout.startswith("ok: 60 entities, 113 facts")


def test_verify_reports_a_doctored_store_and_exits_4(runner: CliRunner, tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "seeds", tmp_path / "seeds")
    data = json.loads(MINI_STORE.read_text(encoding="utf-8"))
    data["facts"][1]["value"] = 60000
    store = tmp_path / "facts.json"
    store.write_text(json.dumps(data), encoding="utf-8")
    result = run(runner, "verify", "--facts", str(store))
    assert result.exit_code == 4
    assert "facts[1] (xinghuacun.jobs).value: 60000 is not printed in its quote" in result.stdout
    assert ok_json(run(runner, "verify", "--facts", str(MINI_STORE), "--json"))["problems"] == []


def test_every_command_takes_the_same_output_options(runner: CliRunner) -> None:
    for command in ("town", "company", "person", "metric", "search", "list", "source"):
        help_text = run(runner, command, "--help").stdout
        for option in ("--format", "--json", "--facts"):
            assert option in help_text, (command, option)
