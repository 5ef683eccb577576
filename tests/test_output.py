"""Whole outputs, per view and format, against golden files (`pytest --snapshot-update`).

Tables are drawn through an injected `Environment` at 40, 80 and 120 columns: no
pseudo-terminal, nothing patched.
"""

from __future__ import annotations

import csv
import io
import json
import shlex

import pytest
from syrupy.assertion import SnapshotAssertion
from typer.testing import CliRunner

from shanxi_cli.cli.commands import app
from shanxi_cli.output.emit import Environment
from shanxi_cli.store.json_store import bundled_store_path

from .conftest import COMMANDS

QUERIES = {
    "town": ["town", "Xinghuacun"],
    "town-without-facts": ["town", "Qixian"],
    "company": ["company", "fenjiu"],
    "person": ["person", "Ma", "Yunxia"],
    "metric": ["metric", "jobs"],
    "vocabulary": ["list", "metrics"],
    "list": ["list", "companies"],
    "search": ["search", "buckwheat"],
    "source": ["source", "xinghuacun.jobs"],
    "verify": ["verify"],
    "ask": ["ask", "how", "many", "jobs", "in", "Xinghuacun"],
}
FORMATS = ["json", "jsonl", "csv", "text"]
WIDTHS = [40, 80, 120]


def shown(args: list[str], *, terminal: bool = False, width: int = 80) -> tuple[int, str, str]:
    env = Environment(io.StringIO(), io.StringIO(), terminal, width, False)
    result = CliRunner().invoke(app, args, obj=env)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, env.stdout.getvalue(), env.stderr.getvalue()  # type: ignore[attr-defined]


@pytest.mark.parametrize("output_format", FORMATS)
@pytest.mark.parametrize("name", QUERIES)
def test_every_view_in_every_format(
    name: str, output_format: str, snapshot: SnapshotAssertion
) -> None:
    code, out, _ = shown([*QUERIES[name], "--format", output_format])
    assert code == 0
    # verify names the store it read: where the package is installed differs by machine.
    assert out.replace(str(bundled_store_path()), "<bundled store>") == snapshot


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", QUERIES)
def test_every_view_as_a_table(name: str, width: int, snapshot: SnapshotAssertion) -> None:
    code, out, _ = shown(QUERIES[name], terminal=True, width=width)
    assert code == 0
    unbreakable = ids_and_commands(QUERIES[name])
    assert all(len(line) <= width or line.strip() in unbreakable for line in out.splitlines())
    assert out == snapshot


def ids_and_commands(args: list[str]) -> set[str]:
    """The ids and commands a view shows: a narrow terminal must not break them."""
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, dict):
            found.update(str(value[key]) for key in ("id", "command") if key in value)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(json.loads(shown([*args, "--json"])[1]))
    return found


@pytest.mark.parametrize("width", WIDTHS)
def test_a_narrow_table_keeps_every_figure_and_every_id_whole(width: int) -> None:
    _, out, _ = shown(["metric", "output", "value", "--quotes"], terminal=True, width=width)
    document = json.loads(shown(["metric", "output", "value", "--json"])[1])
    lines = out.splitlines()
    for fact in document:
        assert any(fact["id"] in line for line in lines), fact["id"]
        words = " ".join(out.split())
        for word in fact["display"].split():
            assert word in words


@pytest.mark.parametrize("name", QUERIES)
def test_jsonl_lines_are_the_json_document_s_records(name: str) -> None:
    document = json.loads(shown([*QUERIES[name], "--json"])[1])
    lines = shown([*QUERIES[name], "--format", "jsonl"])[1].splitlines()
    assert [json.loads(line) for line in lines] == (
        document if isinstance(document, list) else [document]
    )


def test_one_shape_per_key_in_every_command() -> None:
    """The same key holds the same JSON type wherever it appears."""
    types: dict[str, set[str]] = {}

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                kind = "null" if item is None else type(item).__name__
                types.setdefault(key, set()).add("number" if kind in ("int", "float") else kind)
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for args in QUERIES.values():
        walk(json.loads(shown([*args, "--json"])[1]))
    # A figure's number is in `value`, a claim's words in `claim`: nothing varies.
    mixed = {key: kinds - {"null"} for key, kinds in types.items() if len(kinds - {"null"}) > 1}
    assert mixed == {}
    assert types["value"] == {"number", "null"} and types["claim"] == {"str", "null"}
    assert types["located_in"] == {"list"} and types["related"] == {"list"}


@pytest.mark.parametrize("name", QUERIES)
def test_csv_has_fixed_columns_and_parses(name: str) -> None:
    out = shown([*QUERIES[name], "--format", "csv"])[1]
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert rows and all(len(row) == len(rows[0]) for row in rows)
    assert out.endswith("\r\n")


@pytest.mark.parametrize(
    "args",
    [
        ["metric", "jobs", "--min", "1e12"],
        ["metric", "jobs", "--status", "pledge"],
    ],
)
def test_a_valid_query_that_matches_nothing_is_an_empty_document(args: list[str]) -> None:
    assert shown([*args, "--json"])[:2] == (0, "[]\n")
    assert shown([*args, "--format", "jsonl"])[:2] == (0, "")
    assert shown([*args, "--format", "text"])[:2] == (0, "")
    code, out, err = shown([*args, "--format", "csv"])
    assert (code, out.split(",")[0], out.count("\n")) == (0, "id", 1)
    code, out, err = shown(args, terminal=True)
    assert (code, out) == (0, "")
    assert err.startswith("shanxi: note: no facts answer 'jobs'")


def test_an_entity_without_facts_still_has_a_csv_header() -> None:
    out = shown(["town", "Qixian", "--format", "csv"])[1]
    assert out.startswith("relation,id,subject_id,") and out.count("\n") == 1


def test_json_with_another_format_is_a_usage_error() -> None:
    result = CliRunner().invoke(app, ["town", "Xinghuacun", "--json", "--format", "csv"])
    assert result.exit_code == 2
    assert "--json contradicts --format csv" in result.stderr


@pytest.mark.parametrize(
    ("args", "wanted", "unwanted"),
    [
        (["metric", "customers"], "(1 fact)", "(1 facts)"),
        (["town", "Taigu"], "Facts (1 fact)", "(1 facts)"),
    ],
)
def test_counts_have_the_right_plural(args: list[str], wanted: str, unwanted: str) -> None:
    out = shown(args, terminal=True)[1]
    assert wanted in out and unwanted not in out


def test_list_people_counts_the_facts_their_page_shows() -> None:
    people = json.loads(shown(["list", "people", "--json"])[1])
    ma = next(person for person in people if person["id"] == "ma-yunxia")
    page = json.loads(shown(["person", "ma-yunxia", "--json"])[1])
    shown_ids = {f["id"] for key in ("facts", "attributed", "mentioned_in") for f in page[key]}
    assert ma["fact_count"] == len(shown_ids) > 0


def test_the_vocabulary_flattens_aliases_one_way_in_every_flat_format() -> None:
    text = shown(["list", "metrics", "--format", "text"])[1]
    table = shown(["list", "metrics"], terminal=True, width=200)[1]
    rows = list(csv.DictReader(io.StringIO(shown(["list", "metrics", "--format", "csv"])[1])))
    jobs = next(row for row in rows if row["id"] == "jobs")
    assert jobs["alias_list"].startswith("employment; employed")
    assert "employment; employed" in text and "employment; employed" in table
    assert "['employment'" not in text + table


def test_the_sample_queries_cover_every_command() -> None:
    assert sorted({args[0] for args in QUERIES.values()}) == COMMANDS


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_s_help_shows_examples_that_work(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0
    examples = result.stdout.split("Examples:")[1].split("\n\n")[0].strip().splitlines()
    assert examples
    for example in examples:
        words = shlex.split(example)
        assert words[0] == "shanxi" and words[1] == command
        if "|" in words:
            words = words[: words.index("|")]
        code, _, err = shown(words[1:])
        assert code == 0, (example, err)


def test_command_summaries_in_help_are_never_cut() -> None:
    out = CliRunner().invoke(app, ["--help"]).stdout
    commands = out.split("Commands:")[1]
    assert "..." not in commands and "\u2026" not in commands


def test_csv_quotes_carriage_returns_and_neutralises_formulas() -> None:
    from shanxi_cli.output.emit import write_csv

    out = io.StringIO()
    cells = {"a": "=HYPERLINK(1)", "b": "line\rbreak", "c": -5, "d": "-5", "e": "@x", "f": "ok"}
    write_csv(tuple(cells), [cells], out)  # type: ignore[list-item]
    rows = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert rows == [list(cells), ["'=HYPERLINK(1)", "line\\rbreak", "-5", "'-5", "'@x", "ok"]]
    assert "\rbreak" not in out.getvalue()


def test_the_bundled_store_s_counts_are_pinned() -> None:
    counts = {
        what: len(json.loads(shown(["list", what, "--json"])[1]))
        for what in ("towns", "companies", "people", "metrics")
    }
    assert counts == {"towns": 30, "companies": 16, "people": 14, "metrics": 42}
    report = json.loads(shown(["verify", "--json"])[1])
    assert (report["entity_count"], report["fact_count"], report["problems"]) == (60, 113, [])


def test_help_lists_every_exit_code_of_the_enum() -> None:
    from shanxi_cli.errors import MEANINGS, ExitCode

    shown = CliRunner().invoke(app, ["--help"]).stdout
    assert set(MEANINGS) == set(ExitCode)
    for code in ExitCode:
        assert f"  {code.value:<4} {MEANINGS[code]}" in shown
