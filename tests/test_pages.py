"""Pages a reader takes in at a glance (issue 21): no word cut, periods short, the speaker.

Tables are drawn through an injected `Environment`, as tests/test_output.py does, at every
width a terminal commonly has, over every name, every metric and a spread of searches.
"""

from __future__ import annotations

import io
import json

import pytest
from typer.testing import CliRunner

from shanxi_cli.cli.commands import app
from shanxi_cli.output.emit import Environment
from shanxi_cli.store.interface import Store

WIDTHS = [40, 60, 80, 100, 120]
ELLIPSES = ("\u2026", "...")
SEARCHES = [
    "buckwheat",
    "resting on our laurels",
    "jobs",
    "export",
    "liquor",
    "Ma Yunxia",
    "flange",
    "warehouses",
    "tourists",
    "silicon steel",
]
COMMAND_OF = {"place": "town", "organisation": "company", "person": "person"}


def page(args: list[str], width: int, *, terminal: bool = True) -> tuple[int, str, str]:
    env = Environment(io.StringIO(), io.StringIO(), terminal, width, False)
    result = CliRunner().invoke(app, args, obj=env)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, env.stdout.getvalue(), env.stderr.getvalue()  # type: ignore[attr-defined]


def every_page(store: Store) -> list[list[str]]:
    """Every entity's page, every metric's facts, every list and a spread of searches."""
    pages = [[COMMAND_OF[e.category], e.id] for e in store.entities.values()]
    pages += [["metric", metric_id] for metric_id in store.metrics]
    pages += [["metric"], ["metric", "Yuncheng", "exports"], ["metric", "characteristic", "towns"]]
    pages += [["search", *words.split()] for words in SEARCHES]
    pages += [["list", what] for what in ("towns", "companies", "people", "metrics", "facts")]
    return pages


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_cuts_a_word_at_any_width(store: Store, width: int) -> None:
    for args in every_page(store):
        code, out, err = page(args, width)
        assert code == 0, (args, err)
        for mark in ELLIPSES:
            assert mark not in out, (args, width, out)
        for line in out.splitlines():
            # Only an id or a command, never broken, may run past the edge.
            whole = " " not in line.strip() or line.strip().startswith("shanxi ")
            assert len(line.rstrip()) <= width or whole, (args, width, line)


def test_a_long_id_does_not_set_the_width_of_a_column() -> None:
    _, out, _ = page(["metric", "output-value"], 80)
    header = next(line for line in out.splitlines() if line.startswith("Fact"))
    # The Fact column is as wide as the names need, not as the 40-character ids.
    assert header.index("Value") < 30
    assert "  shanxi-characteristic-towns.output-value" in [
        line.rstrip() for line in out.splitlines()
    ]


def test_three_yuncheng_export_facts_fit_in_26_lines_at_80_columns() -> None:
    code, out, _ = page(["metric", "Yuncheng", "exports"], 80)
    assert code == 0
    assert out.count("yuncheng.export-") == 3
    assert len(out.rstrip("\n").splitlines()) <= 26


def test_a_period_is_shown_as_a_reader_says_it_and_read_in_full_with_quotes() -> None:
    _, out, _ = page(["metric", "Yuncheng", "exports"], 80)
    assert "Jan\u2013May 2023*" in out
    assert "an inference" not in out
    assert out.count("* year or date inferred") == 1
    _, out, _ = page(["metric", "lingqiu.output-value"], 80)
    assert "2022*" in out
    _, out, _ = page(["metric", "junda.date"], 80)
    assert "7 Jul 2023*" in out
    _, out, _ = page(["metric", "Yuncheng", "exports", "--quotes"], 120)
    assert "an inference" in " ".join(out.split())
    _, text, _ = page(["metric", "Yuncheng", "exports"], 80, terminal=False)
    assert "\tJan\u2013May 2023*\t" in text and "an inference" not in text


def test_no_reading_contradicts_itself() -> None:
    _, out, _ = page(["metric", "shanxi-government.date", "--quotes", "--format", "text"], 80)
    assert "read as year not stated" not in out
    assert "on Sept 14 (year not stated; read as 2022" in out
    _, out, _ = page(["metric", "shanxi-government.date"], 80)
    assert "14 Sep 2022*" in out


@pytest.mark.parametrize("terminal", [True, False])
@pytest.mark.parametrize(
    "args",
    [
        ["metric", "dingxiang.statement"],
        ["search", "resting", "on", "our", "laurels"],
        ["town", "Dingxiang"],
        ["source", "dingxiang.statement"],
    ],
)
def test_the_speaker_of_a_statement_is_on_screen(args: list[str], terminal: bool) -> None:
    code, out, _ = page(args, 80, terminal=terminal)
    assert code == 0
    assert "Li Zhiyong" in out
    at = out.rindex("Li Zhiyong")
    assert "said by" in out[:at].lower()


def test_search_hits_carry_who_said_them_in_json() -> None:
    _, out, _ = page(["search", "resting", "on", "our", "laurels", "--json"], 80)
    [hit] = json.loads(out)
    assert hit["attributed_to"] == {"id": "li-zhiyong", "name": "Li Zhiyong", "kind": "person"}


def test_a_quote_is_never_marked_twice() -> None:
    _, out, _ = page(["metric", "qiangwei.output-value", "--quotes"], 120)
    assert '"Upon the completion' in out
    assert '\u201c"' not in out and '"\u201d' not in out
    _, out, _ = page(["metric", "qiangwei.output-value-2", "--quotes"], 120)
    assert "\u201cQiangwei's output value" in out


def test_the_general_knowledge_note_is_not_indented_as_a_profile_line() -> None:
    _, out, _ = page(["town", "Xinghuacun"], 80)
    assert "\n* from general knowledge, not the article\n" in out


def test_a_role_names_its_organisation_once() -> None:
    _, out, _ = page(["person", "Zhang", "Xiuli"], 80, terminal=False)
    assert "China Daily, China Daily" not in out
    assert "Role: photographer (photo credit), for China Daily (newspaper)" in out


def test_an_organisation_is_known_for_what_it_has_not_said_to_make_it() -> None:
    _, out, _ = page(["company", "Huarong"], 80, terminal=False)
    assert "Makes / does" not in out
    assert "Known for: air-conditioned warehouses" in out


@pytest.mark.parametrize(
    ("word", "hint"),
    [
        ("jobs", "jobs is a metric: try: shanxi metric jobs"),
        ("Jobs", "jobs is a metric: try: shanxi metric jobs"),
        ("xinghuacun", "xinghuacun is a township: try: shanxi town xinghuacun"),
        ("bai-feng", "bai-feng is a person: try: shanxi person bai-feng"),
    ],
)
def test_source_of_a_metric_or_entity_id_points_to_its_command(word: str, hint: str) -> None:
    code, _, err = page(["source", word], 80)
    assert code == 1
    assert err.startswith(f"shanxi: error: no fact has the id {word!r}")
    assert hint in err


@pytest.mark.parametrize(
    ("kind", "heading"),
    [("town", "Places (30)"), ("company", "Organisations (16)"), ("person", "People (14)")],
)
def test_list_takes_a_singular_and_its_heading_says_what_it_holds(kind: str, heading: str) -> None:
    code, out, _ = page(["list", kind], 120)
    assert code == 0 and out.startswith(heading)
    plural = {"town": "towns", "company": "companies", "person": "people"}[kind]
    assert page(["list", kind, "--json"], 80)[1] == page(["list", plural, "--json"], 80)[1]


def test_widths_give_short_columns_all_they_want_and_refuse_what_cannot_fit() -> None:
    from shanxi_cli.output.rich_table import allocate

    assert allocate([10, 20, 8], [12, 90, 8], 60) == [12, 40, 8]
    assert allocate([10, 20, 8], [12, 25, 8], 60) == [12, 25, 8]
    assert allocate([10, 20, 8], [12, 25, 8], 37) is None


@pytest.mark.parametrize("width", [40, 60, 80])
def test_wide_characters_are_measured_in_cells(width: int) -> None:
    from rich.cells import cell_len
    from rich.console import Console

    from shanxi_cli.output.rich_views import renderable
    from shanxi_cli.output.views import FactsView

    facts = json.loads(page(["metric", "jobs", "--json"], 80)[1])
    for fact in facts:
        fact["display"] = "\u5c71\u897f\u7701" * 12 + " \u665f\u57ce" * 5
        fact["subject"]["name"] = "\u664b\u4e2d\u5e02"
    console = Console(file=io.StringIO(), width=width, no_color=True, highlight=False)
    console.print(renderable(FactsView(facts, quotes=False), width), crop=False)
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert "\u2026" not in out
    for line in out.splitlines():
        assert cell_len(line.rstrip()) <= width or " " not in line.strip(), line
