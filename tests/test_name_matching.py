"""Name matching (text/names.py) pinned from both sides: what must resolve, to what, and not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz import fuzz
from typer.testing import CliRunner

from shanxi_cli.store.interface import Store
from shanxi_cli.store.records import Entity
from shanxi_cli.text import names as matching
from shanxi_cli.text.names import NameIndex, indel_ratio, name_key

from .conftest import ok_json, run

RESOLVES = [
    # (command category, query, entity id, exact?)
    ("place", "Xinghuacun", "xinghuacun", True),
    ("place", "XINGHUACUN", "xinghuacun", True),
    ("place", "xinghua cun", "xinghuacun", True),
    ("place", "xing hua cun township", "xinghuacun", True),
    ("place", "xinghuacn", "xinghuacun", False),
    ("place", "Xinghua", "xinghuacun", False),
    ("place", "Dingxiang County, Shanxi", "dingxiang", True),
    ("place", "Ding-xiang", "dingxiang", True),
    ("place", "dingxaing", "dingxiang", False),
    ("place", "qi xian", "qixian", True),
    ("place", "Taigu District, Jinzhong", "taigu", True),
    ("place", "jinzong", "jinzhong", False),
    ("place", "Jinzhong City", "jinzhong", True),
    ("place", "yun cheng", "yuncheng", True),
    ("place", "Yunchen", "yuncheng", False),
    ("place", "wan rong county", "wanrong", True),
    ("place", "ling qiu", "lingqiu", True),
    ("place", "lingqui", "lingqiu", False),
    ("place", "Chehe village", "chehe", True),
    ("place", "Shou yang county", "shouyang", True),
    ("place", "he shun", "heshun", True),
    ("place", "Lin yi county", "linyi", True),
    ("place", "shanxi province", "shanxi", True),
    ("place", "kyrgyz", "kyrgyzstan", False),
    ("place", "taihang", "taihang-mountains", True),
    ("place", "Pingxing guan", "pingxingguan", True),
    ("place", "Shangai", "shanghai", False),
    ("place", "Hénan", None, None),
    ("place", "Lingqiù", "lingqiu", True),
    ("organisation", "Fenjiu", "fenjiu", True),
    ("organisation", "fenjiu group", "fenjiu", True),
    ("organisation", "Fen jiu", "fenjiu", True),
    ("organisation", "Xinghuacun Fenjiu Group Co., Ltd", "fenjiu", True),
    ("organisation", "qiang wei", "qiangwei", True),
    ("organisation", "qiangwai", "qiangwei", False),
    ("organisation", "yinsheng tech", "yinsheng", False),
    ("organisation", "Yinsheng Technology Co", "yinsheng", True),
    ("organisation", "yingsheng", "yinsheng", False),
    ("organisation", "junda coop", "junda", False),
    ("organisation", "Junda Fruit Farming Cooperative", "junda", True),
    ("organisation", "hua rong", "huarong", True),
    ("organisation", "huarong fruit", "huarong", False),
    ("organisation", "geely's facility", "geely-jinzhong", True),
    ("organisation", "Geely", "geely-jinzhong", True),
    ("organisation", "customs house", "yuncheng-customs", False),
    ("organisation", "Bao wu", "baowu", True),
    ("organisation", "Shougang", "shougang", True),
    ("organisation", "Department of Industry", "shanxi-diit", False),
    ("organisation", "provincial government", "shanxi-government", True),
]

DOES_NOT_RESOLVE = [
    ("place", "Henan"),  # a different province: Hunan is only suggested
    ("place", "Taiyuan"),
    ("place", "Datong"),
    ("place", "Fenyang"),  # Xinghuacun's county in fact, but the article never names it
    ("place", "Paris"),
    ("place", "a"),
    ("place", "ab"),
    ("place", "xyz"),
    ("place", "county"),
    ("place", "the"),
    ("place", "Jin"),
    ("place", "Linfen"),
    ("place", "Changzhi"),
    ("place", "Xian"),
    ("place", "chian"),
    ("place", "Qixain"),
    ("organisation", "Moutai"),
    ("organisation", "Kweichow Moutai"),
    ("organisation", "Apple"),
    ("organisation", "Baosteel"),
    ("organisation", "Fenjiu Liquor"),
    ("organisation", "fenjui"),
    ("organisation", "Geeli"),
    ("organisation", "government"),
    ("organisation", "Dingxiang"),
    ("organisation", "Shanxi"),
]


def index(store: Store, category: str) -> NameIndex[Entity]:
    return NameIndex(store.of_category(category))


@pytest.mark.parametrize(("category", "query", "entity_id", "exact"), RESOLVES)
def test_query_resolves_to(
    store: Store, category: str, query: str, entity_id: str | None, exact: bool | None
) -> None:
    match = index(store, category).match(query)
    if entity_id is None:
        assert match.item is None
        return
    assert match.item is not None, (query, match.candidates)
    assert match.item.id == entity_id
    assert (match.method == "exact") is exact


@pytest.mark.parametrize(("category", "query"), DOES_NOT_RESOLVE)
def test_query_does_not_resolve(store: Store, category: str, query: str) -> None:
    assert index(store, category).match(query).item is None


@pytest.mark.parametrize(("category", "query"), [(r[0], r[1]) for r in RESOLVES] + DOES_NOT_RESOLVE)
def test_rapidfuzz_and_the_pure_python_scorer_give_the_same_outcome(
    store: Store, category: str, query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    small_store_outcome = index(store, category).match(query)
    monkeypatch.setattr(matching, "PURE_PYTHON_KEYS", 0)  # as in a store of thousands
    assert index(store, category).match(query) == small_store_outcome


# Few letters, so that strings share many of them (long common subsequences, ties); any
# text; and lone surrogates, which st.text leaves out by default.
_TEXT = (
    st.text(alphabet="abcxyzé中 ", max_size=40)
    | st.text(max_size=70)
    | st.text(st.characters(min_codepoint=0xD7FE, max_codepoint=0xE001), max_size=20)
)


@given(_TEXT, _TEXT)
def test_indel_ratio_is_rapidfuzz_ratio(first: str, second: str) -> None:
    assert indel_ratio(first, second) == fuzz.ratio(first, second)


def test_table_sizes_meet_the_bar() -> None:
    assert len([r for r in RESOLVES if r[2]]) >= 40
    assert len(DOES_NOT_RESOLVE) >= 20


def test_a_one_letter_slip_between_real_names_is_announced_not_hidden(store: Store) -> None:
    # Shaanxi is a neighbouring province the article never names; it is one letter from
    # Shanxi. It resolves, but as a fuzzy match, which the CLI announces on stderr.
    match = index(store, "place").match("Shaanxi")
    assert match.item is not None and match.item.id == "shanxi"
    assert match.method == "fuzzy"


def test_not_found_ranks_suggestions_deterministically(store: Store) -> None:
    match = index(store, "place").match("Taiyuan")
    assert [c.item.id for c in match.candidates] == ["taihang-mountains", "taigu", "tianjin"]
    assert match.method == "none"


def test_close_rivals_are_ambiguous_not_picked(store: Store) -> None:
    match = index(store, "organisation").match("Dingxiang")
    assert match.method == "ambiguous"
    assert [c.item.id for c in match.candidates] == ["dingxiang-government", "dingxiang-congress"]


def test_exact_alias_wins_over_a_closer_fuzzy_name(store: Store) -> None:
    match = index(store, "organisation").match("Fenjiu")
    assert (match.item and match.item.id, match.method) == ("fenjiu", "exact")


def test_short_queries_never_fuzzy_match(store: Store) -> None:
    for query in ("a", "ab", "zz", "xi"):
        match = index(store, "place").match(query)
        assert match.item is None
        assert match.candidates == ()


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Dingxiang County, Shanxi", "dingxiang"),
        ("Xinghuacun Fenjiu Group", "xinghuacunfenjiu"),
        ("Geely's production facility", "geelyproductionfacility"),
        ("Lingqiù", "lingqiu"),
        ("ｘｉｎｇｈｕａ　ｃｕｎ", "xinghuacun"),
        ("county", "county"),
    ],
)
def test_name_key_normalises_once(text: str, key: str) -> None:
    assert name_key(text) == key


def test_metric_aliases_resolve(store: Store) -> None:
    metrics = NameIndex(store.metrics.values(), drop=frozenset())
    for query, metric_id in [
        ("jobs", "jobs"),
        ("employment", "jobs"),
        ("exports", "export-value"),
        ("income", "per-capita-income"),
        ("job", "jobs"),
    ]:
        match = metrics.match(query)
        assert match.item is not None and match.item.id == metric_id, query


@pytest.mark.parametrize("category", ["place", "organisation", "person"])
def test_every_entity_id_round_trips_exactly(store: Store, category: str) -> None:
    names = index(store, category)
    for entity in store.of_category(category):
        for typed in (entity.id, entity.id.upper(), f" {entity.id} "):
            match = names.match(typed)
            assert (match.item and match.item.id, match.method) == (entity.id, "exact"), typed


def test_every_metric_id_round_trips_exactly(store: Store) -> None:
    metrics = NameIndex(store.metrics.values(), drop=frozenset())
    for metric in store.metrics.values():
        match = metrics.match(metric.id)
        assert (match.item and match.item.id, match.method) == (metric.id, "exact")


PARTIALS = [
    # (query, the one person it resolves to, or the people it is ambiguous between)
    ("Ma", ["ma-mingqing", "ma-yunxia"]),  # Ma Yunxia's alias, and a word of Ma Mingqing
    ("ma", ["ma-mingqing", "ma-yunxia"]),
    ("Zhang", ["zhang-qian", "zhang-xiuli", "zhang-yehua"]),
    ("Feng", ["bai-feng", "feng-xinguang"]),
    ("Yao", "yao-yi"),
    ("Mingqing", "ma-mingqing"),
    ("Xinguang", "feng-xinguang"),
    ("Yuan", "yuan-shenggao"),  # an alias no other name shares: exact
    ("Ma Yunxia", "ma-yunxia"),
]


@pytest.mark.parametrize(("query", "expected"), PARTIALS)
def test_partial_names_resolve_only_when_one_person_fits(
    store: Store, query: str, expected: str | list[str]
) -> None:
    match = index(store, "person").match(query)
    if isinstance(expected, list):
        assert match.method == "ambiguous"
        assert sorted(c.item.id for c in match.candidates) == expected
    else:
        assert match.item is not None and match.item.id == expected
        full_name = match.item.name.casefold() == query.casefold()
        alias = query in match.item.aliases
        assert match.method == ("exact" if full_name or alias else "partial")


def test_a_partial_match_is_announced_on_stderr(runner: CliRunner) -> None:
    result = run(runner, "person", "Yao", "--json")
    assert ok_json(result)["match"]["method"] == "partial"
    assert "'Yao' matched Yao Yi (person)" in result.stderr


def test_an_ambiguous_partial_exits_3_listing_both(runner: CliRunner) -> None:
    result = run(runner, "person", "Ma")
    assert result.exit_code == 3
    assert "Ma Mingqing (person); Ma Yunxia (person)" in result.stderr


@pytest.mark.parametrize(
    ("command", "entity_id"),
    [
        ("town", "shanxi-characteristic-towns"),
        ("town", "shanxi-first-10-towns"),
        ("company", "yuncheng-customs"),
        ("company", "geely-jinzhong"),
        ("person", "ma-yunxia"),
    ],
)
def test_an_id_given_back_to_its_command_resolves_quietly(
    runner: CliRunner, command: str, entity_id: str
) -> None:
    result = run(runner, command, entity_id, "--json")
    document = ok_json(result)
    assert (document["id"], document["match"]["method"]) == (entity_id, "exact")
    assert result.stderr == ""
