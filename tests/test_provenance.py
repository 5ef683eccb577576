"""The bundled store against its article: every quote found, every figure accounted for."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from shanxi_cli.provenance import (
    figure_in_quote,
    figures_in,
    locate_quote,
    normalise_article,
    stated_bound,
    uncovered_figures,
    verify_store,
)
from shanxi_cli.store import Store


def article_text(store: Store) -> str:
    return store.article_path.read_text(encoding="utf-8")


def test_bundled_article_is_the_shared_seed_byte_for_byte() -> None:
    repo = Path(__file__).resolve().parent.parent
    seed = repo / "seeds" / "000_66a258308dcbbee7.txt"
    shared = repo.parent / "shared" / "seeds" / seed.name
    if not shared.exists():
        pytest.skip("no ../shared/seeds beside this checkout")
    assert seed.read_bytes() == shared.read_bytes()


def test_bundled_store_passes_every_provenance_check(store: Store) -> None:
    assert verify_store(store, article_text(store)) == []


def test_every_figure_of_the_article_is_a_fact_or_a_reviewed_exclusion(store: Store) -> None:
    article = normalise_article(article_text(store))
    assert [figure.text for figure in uncovered_figures(store, article)] == []
    assert len(figures_in(article)) == 72


def test_every_numeric_fact_prints_its_value_in_its_quote(store: Store) -> None:
    numeric = [fact for fact in store.facts.values() if not isinstance(fact.value, str)]
    assert len(numeric) >= 40
    assert [f.id for f in numeric if not figure_in_quote(f.value, f.quote)] == []


def test_every_display_states_the_stored_value_and_dollar_figure(store: Store) -> None:
    from shanxi_cli.documents import display_value

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


def test_a_wrong_qualifier_is_reported(store: Store) -> None:
    fact = next(f for f in store.facts.values() if f.qualifier == "more than")
    broken = fact._replace(qualifier="exact")
    twisted = load_with(store, broken)
    problems = verify_store(twisted, article_text(store))
    assert any(fact.id in p and "qualifier" in p for p in problems)


def test_a_quote_that_is_not_in_the_article_is_reported(store: Store) -> None:
    fact = next(iter(store.facts.values()))
    twisted = load_with(store, fact._replace(quote=fact.quote + " and more"))
    problems = verify_store(twisted, article_text(store))
    assert any(fact.id in p and "quote not found" in p for p in problems)


def load_with(store: Store, fact: object) -> Store:
    from shanxi_cli.store import Fact

    assert isinstance(fact, Fact)
    facts = dict(store.facts)
    facts[fact.id] = fact
    return Store(
        path=store.path,
        source_file=store.source_file,
        title=store.title,
        stories=store.stories,
        metrics=store.metrics,
        entities=store.entities,
        facts=facts,
        excluded_figures=store.excluded_figures,
    )
