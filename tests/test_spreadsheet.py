"""The CSV as a spreadsheet or a data-frame library reads it, without a second thought."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

from .test_pages import page

# Every fact of the bundled store, as the store itself counts them.
FACTS = len(json.loads((Path(__file__).parent.parent / "facts.json").read_text("utf-8"))["facts"])


@pytest.fixture(scope="module")
def every_fact() -> pd.DataFrame:
    code, out, _ = page(["list", "facts", "--format", "csv"], 80, terminal=False)
    assert code == 0
    return pd.read_csv(io.StringIO(out))


def test_list_facts_prints_every_fact_in_every_format() -> None:
    document = json.loads(page(["list", "facts", "--json"], 80, terminal=False)[1])
    assert len(document) == FACTS == len({fact["id"] for fact in document})
    lines = page(["list", "facts", "--format", "jsonl"], 80, terminal=False)[1].splitlines()
    assert [json.loads(line) for line in lines] == document
    text = page(["list", "facts", "--format", "text"], 80, terminal=False)[1]
    assert sum(1 for line in text.splitlines() if line.count("\t") > 4) == FACTS + 1  # header


def test_the_figures_column_is_numeric_and_claims_have_their_own(
    every_fact: pd.DataFrame,
) -> None:
    assert len(every_fact) == FACTS
    assert every_fact["value"].dtype == "float64"
    assert pd.api.types.is_string_dtype(every_fact["claim"])
    figures = every_fact[every_fact["value"].notna()]
    claims = every_fact[every_fact["claim"].notna()]
    assert len(figures) + len(claims) == FACTS
    assert figures["claim"].isna().all() and claims["value"].isna().all()
    assert every_fact.set_index("id").loc["xinghuacun.output-value", "value"] == 20150000000


def test_booleans_are_true_or_false_in_every_row(every_fact: pd.DataFrame) -> None:
    assert every_fact["period_inferred"].dtype == bool
    inferred = set(every_fact[every_fact["period_inferred"]]["id"])
    assert {"lingqiu.output-value", "yuncheng.export-value", "junda.date"} <= inferred


def test_a_claim_has_no_qualifier_unless_its_words_state_a_bound(
    every_fact: pd.DataFrame,
) -> None:
    claims = every_fact[every_fact["claim"].notna()]
    assert claims["qualifier"].isna().all()
    figures = every_fact[every_fact["value"].notna()]
    assert figures["qualifier"].notna().all()
    document = json.loads(page(["metric", "dingxiang.statement", "--json"], 80)[1])
    assert (document[0]["value"], document[0]["qualifier"]) == (None, None)
    assert document[0]["claim"].startswith("We are expecting")
