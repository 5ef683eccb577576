"""The Python API: the commands' documents, typed, with the commands' errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from shanxi_cli import api
from shanxi_cli.cli.commands import app
from shanxi_cli.store.json_store import bundled_store_path

from .conftest import MINI_STORE
from .test_output import shown


def cli_document(*args: str) -> Any:
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code in (0, 4), result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("call", "args"),
    [
        (lambda: api.town("Xinghuacun"), ["town", "Xinghuacun"]),
        (lambda: api.town("xinghuacn"), ["town", "xinghuacn"]),
        (lambda: api.company("Yinsheng Technology"), ["company", "Yinsheng", "Technology"]),
        (lambda: api.person("Ma Yunxia"), ["person", "Ma", "Yunxia"]),
        (lambda: api.listing("towns"), ["list", "towns"]),
        (lambda: api.listing("metrics"), ["list", "metrics"]),
        (lambda: api.metrics(), ["metric"]),
        (lambda: api.metric("jobs"), ["metric", "jobs"]),
        (lambda: api.metric("Yuncheng exports"), ["metric", "Yuncheng", "exports"]),
        (
            lambda: api.metric("output value", minimum=1e9, sort="value", limit=3),
            ["metric", "output", "value", "--min", "1e9", "--sort", "value", "--limit", "3"],
        ),
        (
            lambda: api.metric("exports", town="Yuncheng", period="this year"),
            ["metric", "exports", "--town", "Yuncheng", "--period", "this year"],
        ),
        (
            lambda: api.metric("jobs", company="fenjiu", maximum=1e5, status="reported"),
            ["metric", "jobs", "--company", "fenjiu", "--max", "100000", "--status", "reported"],
        ),
        (lambda: api.metric("jobs", minimum=1e12), ["metric", "jobs", "--min", "1e12"]),
        (lambda: api.search("bitter buckwheat"), ["search", "bitter", "buckwheat"]),
        (lambda: api.search("fenjiu", limit=2), ["search", "fenjiu", "--limit", "2"]),
        (lambda: api.source("xinghuacun.jobs"), ["source", "xinghuacun.jobs"]),
        (lambda: api.verify(), ["verify"]),
    ],
)
def test_each_function_returns_the_command_s_document(call: Any, args: list[str]) -> None:
    assert call() == cli_document(*args)


@pytest.mark.parametrize(
    ("call", "error", "code", "message"),
    [
        (lambda: api.town("zzzz"), api.NotFound, 1, "no place matches 'zzzz'"),
        (lambda: api.town("fenjiu"), api.NotFound, 1, "'fenjiu' is not a place"),
        (lambda: api.town(""), api.ShanxiError, 2, "NAME must not be empty"),
        (lambda: api.search("ab"), api.ShanxiError, 2, "WORDS need at least 3 letters"),
        (lambda: api.metric("jobs", limit=0), api.ShanxiError, 2, "Invalid value for '--limit'"),
        (lambda: api.metric("jobs", minimum=float("nan")), api.ShanxiError, 2, "finite"),
        (lambda: api.metric("zzzqqq"), api.NotFound, 1, "no fact answers 'zzzqqq'"),
        (lambda: api.person("ma"), api.Ambiguous, 3, "'ma' could be several people"),
        (lambda: api.metric("ma jobs"), api.Ambiguous, 3, "'ma' could be several"),
        (lambda: api.source("xinghuacun.job"), api.NotFound, 1, "did you mean: xinghuacun.jobs"),
        (lambda: api.listing("planets"), api.ShanxiError, 2, "'planets' is not one of"),  # type: ignore[call-overload]
    ],
)
def test_no_document_raises_the_command_s_error(
    call: Any, error: type[Exception], code: int, message: str
) -> None:
    with pytest.raises(error) as raised:
        call()
    assert type(raised.value) is error
    assert raised.value.exit_code == code  # type: ignore[attr-defined]
    assert message in raised.value.message  # type: ignore[attr-defined]
    assert not raised.value.message.startswith("error:")  # type: ignore[attr-defined]


def test_a_query_that_starts_with_a_dash_is_a_query() -> None:
    with pytest.raises(api.NotFound, match="no place matches '--json'"):
        api.town("--json")
    assert api.search("--fenjiu")[0]["id"] == "fenjiu"


def test_a_store_that_cannot_be_read_is_a_store_error(tmp_path: Path) -> None:
    missing = tmp_path / "absent.json"
    with pytest.raises(api.StoreError, match="not found") as raised:
        api.town("Xinghuacun", facts=missing)
    assert raised.value.exit_code == 4


def test_facts_chooses_the_store(tmp_path: Path) -> None:
    store = tmp_path / "store.json"
    shutil.copy(MINI_STORE, store)
    shutil.copytree(MINI_STORE.parent / "seeds", tmp_path / "seeds")
    mini = api.listing("towns", facts=store)
    assert mini == api.listing("towns", facts=str(store))
    assert mini != api.listing("towns")
    assert api.verify(facts=store)["store"] == str(store)
    assert api.verify()["store"] == str(bundled_store_path())


def test_verify_returns_the_problems_of_a_store_that_fails_its_checks(tmp_path: Path) -> None:
    bundled = bundled_store_path()
    shutil.copytree(bundled.parent / "seeds", tmp_path / "seeds")
    data = json.loads(bundled.read_text(encoding="utf-8"))
    next(f for f in data["facts"] if f["id"] == "xinghuacun.jobs")["quote"] = "Never printed."
    store = tmp_path / "facts.json"
    store.write_text(json.dumps(data), encoding="utf-8")
    report = api.verify(facts=store)
    assert report["problems"]
    assert api.request("verify", facts=store).exit_code == 4
    with pytest.raises(api.StoreError, match="is not in its document"):
        api.source("xinghuacun.jobs", facts=store)


def test_request_never_raises_for_what_the_command_reports() -> None:
    outcome = api.request("town zzzz")
    assert outcome == api.Outcome(1, None, ["error: no place matches 'zzzz'"])
    assert api.request("nope").exit_code == 2
    assert api.request("").exit_code == 2
    assert api.request([]).exit_code == 2


def test_calls_leave_the_process_s_streams_as_they_were(
    capsys: pytest.CaptureFixture[str],
) -> None:
    api.town("xinghuacn")
    api.request("town zzzz")
    assert capsys.readouterr() == ("", "")


def test_a_document_is_the_caller_s_to_change(monkeypatch: pytest.MonkeyPatch) -> None:
    first = api.town("Xinghuacun")
    first["aliases"].clear()
    first["facts"][0]["related"].append({"id": "x", "name": "x", "kind": "x"})
    assert api.town("Xinghuacun") == cli_document("town", "Xinghuacun")


def test_a_document_holds_json_s_types_only() -> None:
    def check(value: Any) -> None:
        if isinstance(value, dict):
            assert all(isinstance(key, str) for key in value)
            for item in value.values():
                check(item)
        elif isinstance(value, list):
            for item in value:
                check(item)
        else:
            assert value is None or isinstance(value, (str, int, float, bool)), value

    for document in (api.town("Xinghuacun"), api.source("xinghuacun.jobs"), api.metrics()):
        check(document)


def test_ask_says_whether_it_stands_behind_its_answers() -> None:
    confident = api.ask("how many jobs did Xinghuacun create", limit=2)
    assert confident.confident and len(confident.answers) == 2
    assert confident.answers == json.loads(
        shown(["ask", "how many jobs did Xinghuacun create", "--limit", "2", "--json"])[1]
    )
    doubtful = api.ask("what is the GDP of Jinzhong")
    assert not doubtful.confident and doubtful.answers
    assert any("no confident answer" in message for message in doubtful.messages)
    with pytest.raises(api.NotFound):
        api.ask("banana")
