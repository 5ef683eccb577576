"""The bundled store against its article: every quote found, every figure accounted for."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from shanxi_cli.store.article_figures import (
    figure_in_quote,
    figures_in,
    stated_bound,
    uncovered_figures,
    unstructured_figures,
)
from shanxi_cli.store.article_text import all_spans, locate_quote, normalise_article, year_spans
from shanxi_cli.store.json_store import JsonStore, load_store
from shanxi_cli.store.provenance import period_problems, verify_store
from shanxi_cli.store.records import Period

TWO_DOCUMENTS = Path(__file__).parent / "fixtures" / "two_documents.json"


def article_text(store: JsonStore) -> str:
    return store.read_document(next(iter(store.documents)))


def test_bundled_article_is_the_shared_seed_byte_for_byte() -> None:
    repo = Path(__file__).resolve().parent.parent
    seed = repo / "seeds" / "000_66a258308dcbbee7.txt"
    shared = repo.parent / "shared" / "seeds" / seed.name
    if not shared.exists():
        pytest.skip("no ../shared/seeds beside this checkout")
    assert seed.read_bytes() == shared.read_bytes()


def test_bundled_store_passes_every_provenance_check(store: JsonStore) -> None:
    assert verify_store(store, article_text(store)) == []


def test_every_figure_of_the_article_is_a_fact_or_a_reviewed_exclusion(store: JsonStore) -> None:
    article = normalise_article(article_text(store))
    assert [figure.text for figure in uncovered_figures(store, article)] == []
    assert len(figures_in(article)) == 73


def test_every_figure_of_the_article_is_held_as_a_number_or_listed_with_a_reason(
    store: JsonStore,
) -> None:
    """Each figure is a fact's value, its dollars, or its period's year, span or day, so a
    script reads it without parsing prose; or excluded_figures says why it is not."""
    article = normalise_article(article_text(store))
    assert [figure.text for figure in unstructured_figures(store, article)] == []
    assert all(item.reason for item in store.excluded_figures)


def test_a_figure_only_in_prose_is_reported_until_it_is_held_or_excluded(
    store: JsonStore,
) -> None:
    article = normalise_article(article_text(store))
    facts = {k: v for k, v in store.facts.items() if k != "dingxiang.development-time"}
    assert [f.text for f in unstructured_figures(rebuilt(store, facts=facts), article)] == ["six"]
    kept = tuple(item for item in store.excluded_figures if item.figure != "1368-1644")
    twisted = rebuilt(store, excluded_figures=kept)
    assert [f.text for f in unstructured_figures(twisted, article)] == ["1368-1644"]


# The article's number words that `figures_in` does not read as figures ("one", "first",
# "thousands", "decades" ...), each occurrence decided: the context names it, the reason
# says where its number is held or why there is none.
_OTHER_NUMBER_WORDS = re.compile(
    r"\b(?:one|first|second|third|fourth|fifth|half|once|twice|double|triple|single"
    r"|dozens?|hundreds?|thousands?|millions?|billions?|decades?|centur(?:y|ies))\b",
    re.IGNORECASE,
)
_NUMBER_WORDS_DECIDED = {
    "announced its first batch of 10": "an order, not a count: the batch's towns are "
    "shanxi.characteristic-towns (10), its day shanxi-government.date",
    "noted that the first 10 provincial": "part of the name of the group shanxi-first-10-towns",
    "during the first five months of 2023": "the period's words of "
    "shanxi-first-10-towns.output-growth, whose year is 2023",
    "One prime example is": "an example, not a count",
    "It is one of the leading production sites": "membership of a group: the claim "
    "xinghuacun.ranking",
    "is also one of the exemplary enterprises": "membership: the claim fenjiu.recognition",
    "said one of the company's executives": "an unnamed executive: fenjiu.statement",
    "Over the past decades, we have": "no number: a quoted remark, fenjiu.statement-2",
    "Over the past six decades": "the unit of dingxiang.development-time (6 decades)",
    "One move is that": "an example, not a count: dingxiang.date",
    "Thousands of tourists": "no figure, a vague quantity kept in the words of the claim "
    "lingqiu.tourists (its note says so)",
    "made its first major victory": "an order: the claim eighth-route-army.first",
    "Lingqiu is now one of the favored": "membership: the claim lingqiu.ranking",
    "now has one of the strongest": "membership: the claim lingqiu.ranking-2",
    "The company is one of the nation's": "membership: the claim yinsheng.ranking",
    "During the first five months of this year": "the period's words of "
    "yuncheng.export-volume and yuncheng.export-value, whose year is 2023",
    "is one of the leading farming companies": "membership: the claim huarong.ranking",
    "Huarong was the first company": "an order: the claim huarong.first",
}


def test_every_other_number_word_of_the_article_is_decided(store: JsonStore) -> None:
    article = normalise_article(article_text(store))
    in_figures = [(f.start, f.end) for f in figures_in(article)]
    found = [
        match
        for match in _OTHER_NUMBER_WORDS.finditer(article)
        if not any(start <= match.start() < end for start, end in in_figures)
    ]
    decided: dict[str, list[str]] = {}
    for match in found:
        owners = [
            context
            for context in _NUMBER_WORDS_DECIDED
            if any(
                at <= match.start() and match.end() <= at + len(context)
                for at, _ in all_spans(context, article)
            )
        ]
        assert len(owners) == 1, (match.group(0), article[match.start() - 40 : match.end() + 40])
        decided.setdefault(owners[0], []).append(match.group(0))
    assert sorted(decided) == sorted(_NUMBER_WORDS_DECIDED)  # no stale entry
    named = set(re.findall(r"[a-z0-9-]+\.[a-z0-9-]+", " ".join(_NUMBER_WORDS_DECIDED.values())))
    assert named <= set(store.facts)


def test_every_numeric_fact_prints_its_value_in_its_quote(store: JsonStore) -> None:
    numeric = [fact for fact in store.facts.values() if not isinstance(fact.value, str)]
    assert len(numeric) >= 40
    assert [f.id for f in numeric if not figure_in_quote(f.value, f.quote)] == []


def test_every_display_states_the_stored_value_and_dollar_figure(store: JsonStore) -> None:
    from shanxi_cli.output.json_docs import display_value

    for fact in store.facts.values():
        if isinstance(fact.value, str):
            continue
        shown = [figure.value for figure in figures_in(display_value(fact))]
        assert shown[0] == Decimal(str(fact.value)), fact.id
        if fact.usd_as_stated is not None:
            assert Decimal(str(fact.usd_as_stated)) in shown, fact.id


def test_normalisation_drops_escapes_emphasis_and_page_breaks() -> None:
    raw = "worth \\$27.92 billion, or *baijiu*, a number of\n\n\nnationally renowned brands"
    assert normalise_article(raw) == (
        "worth $27.92 billion, or baijiu, a number of nationally renowned brands"
    )


def test_a_quote_split_by_a_caption_is_found_fragment_by_fragment() -> None:
    article = "new businesses and pro- [caption text] jects have created jobs"
    assert locate_quote("businesses and pro- … jects have created", article) == [(4, 23), (39, 57)]
    assert locate_quote("jects have created … businesses and pro-", article) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("20.15 billion yuan", Decimal("20150000000")),
        ("more than 5,500 business", Decimal(5500)),
        ("16.4 percent", Decimal("16.4")),
        ("49.23 million yuan", Decimal("49230000")),
        ("eight enterprises", Decimal(8)),
        ("the 16th festival", Decimal(16)),
        ("(1931-45)", Decimal(1931)),
    ],
)
def test_figures_are_read_fully_expanded(text: str, value: Decimal) -> None:
    assert [figure.value for figure in figures_in(text)] == [value]


@pytest.mark.parametrize(
    ("quote", "bound"),
    [
        ("more than 50,000 jobs", "more than"),
        ("output value surpasses 200 billion yuan", "more than"),
        ("about 20.15 billion yuan", "about"),
        ("its 50-plus overseas dealers", "plus"),
        ("exports can reach 266,200 tons", "up to"),
        ("sold at about $18 a pound", "about"),
        ("home to 485 businesses", "exact"),
    ],
)
def test_the_bound_a_wording_states_is_read(quote: str, bound: str) -> None:
    (figure,) = figures_in(quote)
    assert stated_bound(quote, figure) == bound


def test_a_wrong_qualifier_is_reported(store: JsonStore) -> None:
    fact = next(f for f in store.facts.values() if f.qualifier == "more than")
    broken = fact._replace(qualifier="exact")
    twisted = load_with(store, broken)
    problems = verify_store(twisted, article_text(store))
    assert any(fact.id in p and "qualifier" in p for p in problems)


def test_a_quote_that_is_not_in_the_article_is_reported(store: JsonStore) -> None:
    fact = next(iter(store.facts.values()))
    twisted = load_with(store, fact._replace(quote=fact.quote + " and more"))
    problems = verify_store(twisted, article_text(store))
    assert any(fact.id in p and "quote not found" in p for p in problems)


def load_with(store: JsonStore, fact: object) -> JsonStore:
    from shanxi_cli.store.records import Fact

    assert isinstance(fact, Fact)
    facts = dict(store.facts)
    facts[fact.id] = fact
    return rebuilt(store, facts=facts)


def rebuilt(store: JsonStore, **changes: Any) -> JsonStore:
    """The store with some of its parts replaced, built as the loader builds it."""
    parts: dict[str, Any] = {
        "path": store.path,
        "documents": store.documents,
        "stories": store.stories,
        "metrics": store.metrics,
        "entities": store.entities,
        "facts": store.facts,
        "excluded_figures": store.excluded_figures,
    }
    return JsonStore(**{**parts, **changes})


# --- documents: every quote against its own document, every document's figures covered ---


def test_a_store_citing_two_documents_verifies_each_against_its_own() -> None:
    two = load_store(TWO_DOCUMENTS)
    assert list(two.documents) == ["mini", "second"]
    assert {fact.document for fact in two.facts.values()} == {"mini", "second"}
    assert verify_store(two) == []


def test_a_quote_is_looked_for_in_its_own_document_only() -> None:
    two = load_store(TWO_DOCUMENTS)
    fact = two.facts["qingxu.output-volume"]
    moved = load_with(two, fact._replace(document="mini"))
    assert verify_store(moved) == [
        "facts[6] (qingxu.output-volume).quote: quote not found in the document 'mini': "
        f"{fact.quote!r}",
        "document 'second': figure '300,000' at character 266 (\"unty's vinegar output "
        "reached 300,000 metric tons. This article was\") is in no fact's quote and not in "
        "excluded_figures",
    ]


def test_the_figures_of_every_document_are_accounted_for() -> None:
    two = load_store(TWO_DOCUMENTS)
    kept = tuple(item for item in two.excluded_figures if item.figure != "2024")
    problems = verify_store(rebuilt(two, excluded_figures=kept))
    assert problems == [
        "document 'second': figure '2024' at character 65 ('s By A SECOND WRITER March 1, "
        "2024 The county of Qingxu is known') is in no fact's quote and not in "
        "excluded_figures"
    ]


# --- units and periods ---


def test_facts_of_one_metric_in_two_units_are_reported(store: JsonStore) -> None:
    fact = store.facts["lingqiu.output-value"]
    problems = verify_store(load_with(store, fact._replace(unit="USD")), article_text(store))
    assert len(problems) == 1
    assert problems[0].startswith("metric 'output-value': its facts mix units: CNY (")
    assert "; USD (lingqiu.output-value)" in problems[0]


def test_unit_words_must_be_the_quote_s(store: JsonStore) -> None:
    fact = store.facts["yuncheng.export-volume"]
    twisted = load_with(store, fact._replace(unit_as_stated="metric tons"))
    assert verify_store(twisted, article_text(store)) == [
        "facts[90] (yuncheng.export-volume).unit_as_stated: 'metric tons' is not in its quote"
    ]


@pytest.mark.parametrize(
    ("as_stated", "year", "inferred", "problem"),
    [
        ("in 2022", 2022, False, None),
        ("in 2022", 2021, False, "the words state [2022] but year is 2021"),
        ("in 2022", None, False, "the words state [2022] but year is None"),
        ("in 2022", 2022, True, "year 2022 is stated, not inferred"),
        ("last year", 2022, True, None),
        ("last year", 2022, False, "year 2022 is not in the words 'last year': mark it inferred"),
        (
            "during the War of Resistance (1931-45)",
            None,
            False,
            "the words print the years 1931 to 1945 but start_year and end_year are None and None",
        ),
        ("now", None, False, None),
    ],
)
def test_a_stated_year_is_the_period_s_year_and_any_other_is_inferred(
    as_stated: str, year: int | None, inferred: bool, problem: str | None
) -> None:
    period = Period(as_stated, "a reading" if inferred else None, year, None, inferred)
    assert period_problems(period) == ([problem] if problem else [])


def test_every_bundled_year_is_stated_or_marked_inferred(store: JsonStore) -> None:
    periods = [fact.period for fact in store.facts.values() if fact.period is not None]
    assert [period_problems(period) for period in periods if period_problems(period)] == []
    inferred = {f.id for f in store.facts.values() if f.period and f.period.inferred}
    assert "lingqiu.output-value" in inferred  # "last year"
    assert "xinghuacun.output-value" not in inferred  # "in 2022"


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("(1931-45)", [(1931, 1945)]),
        ("the Ming (1368-1644) and Qing (1644-1911) dynasties", [(1368, 1644), (1644, 1911)]),
        ("1995-05", [(1995, 2005)]),
        ("in 2022", []),
        ("a year-on-year increase", []),
    ],
)
def test_a_span_of_years_is_read_with_its_century(text: str, spans: list[tuple[int, int]]) -> None:
    assert year_spans(text) == spans


@pytest.mark.parametrize(
    ("as_stated", "start", "end", "problem"),
    [
        ("during the War of Resistance (1931-45)", 1931, 1945, None),
        ("the Ming (1368-1644) and Qing (1644-1911) dynasties", 1368, 1911, None),
        (
            "the Ming (1368-1644) and Qing (1644-1911) dynasties",
            1368,
            1644,
            "the words print the years 1368 to 1911 but start_year and end_year are 1368 and 1644",
        ),
        ("since 2013", 2013, None, None),
        ("since 2013", 2013, 2014, "end_year 2014 is not in the words 'since 2013'"),
        ("now", None, None, None),
    ],
)
def test_a_span_the_words_print_is_the_period_s_start_and_end_year(
    as_stated: str, start: int | None, end: int | None, problem: str | None
) -> None:
    period = Period(as_stated, None, None, None, False, start, end)
    assert period_problems(period) == ([problem] if problem else [])


def test_the_bundled_spans_of_years_are_held(store: JsonStore) -> None:
    spans = {
        fact.id: (fact.period.start_year, fact.period.end_year)
        for fact in store.facts.values()
        if fact.period and fact.period.start_year is not None
    }
    assert spans == {"eighth-route-army.first": (1931, 1945), "jinzhong.history": (1368, 1911)}


def test_less_than_a_year_ago_is_the_figure_one() -> None:
    (figure,) = figures_in("launched less than a year ago")
    assert (figure.text, figure.value) == ("a", Decimal(1))
    assert stated_bound("launched less than a year ago", figure) == "less than"
    # "a" is one only before a length of time and "ago".
    assert [f.text for f in figures_in("a year-on-year increase of $18 a pound")] == ["18"]
