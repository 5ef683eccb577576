"""`shanxi batch` and the session under it: each line answered exactly as the command
alone answers it, in one process that reads the store and its tables once."""

from __future__ import annotations

import io
import json
import os
import select
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from shanxi_cli import api
from shanxi_cli.cli.app import running
from shanxi_cli.cli.commands import app
from shanxi_cli.cli.options import FactsOption, FormatOption, JsonOption, OutputFormat
from shanxi_cli.cli.session import Outcome, Session
from shanxi_cli.output.emit import Environment
from shanxi_cli.output.json_docs import metric_docs
from shanxi_cli.output.listing_views import VocabularyView
from shanxi_cli.store.json_store import bundled_store_path

from .conftest import ALL_COMMANDS, COMMANDS

# Requests over the bundled store: every command the app has with a --json, each exit
# code a request can end with (0 to 3 here, 4 on a store that fails its checks below),
# notes, typos, filters that leave nothing, usage errors and hostile text.
REQUESTS = [
    "town Xinghuacun",
    "town xinghuacn",
    "town dingxiang county",
    "town zzzz",
    "town fenjiu",
    "town ''",
    "town",
    "town x --bogus",
    "town 'a\x1b[31mb\u202ec'",
    "company fenjiu",
    "company 'Yinsheng Technology'",
    "company ma",
    "person Bai Feng",
    "person ma",
    "list towns",
    "list companies",
    "list people",
    "list metrics",
    "list planets",
    "source xinghuacun.jobs",
    "source xinghuacun.job",
    "verify",
    "metric",
    "metric jobs",
    "metric xinghuacun.jobs",
    "metric Yuncheng exports",
    "ask how many jobs did Xinghuacun create",
    "ask who runs Yinsheng",
    "ask what is the GDP of Jinzhong",
    "ask banana",
    "metric output value --min 1e9 --sort value",
    "metric exports --town Yuncheng --period 'this year'",
    "metric jobs --town yunchen",
    "metric jobs --min 1e12",
    "metric jobs --limit 1",
    "metric ma jobs",
    "metric zzzqqq",
    "metric jobs --min nan",
    "metric --limit 2",
    "metric jobs --town x --company y",
    "search fenjiu",
    "search buckwheet",
    "search fenjiu --limit 1",
    "search zzzqqq",
    "search ab",
    "nope",
    "''",
]
# On a store that loads but fails its checks: verify's document with exit 4, a source
# whose quote is not in the article (4, no document), and a lookup that is fine (0).
BROKEN_REQUESTS = ["verify", "source xinghuacun.jobs", "town Xinghuacun"]


def alone(exe: str, request: str, facts: Path | None = None) -> Outcome:
    """The request as its own process: `shanxi COMMAND --json [--facts P] ARGS...`."""
    words = shlex.split(request)
    added = ["--json", *(["--facts", str(facts)] if facts else [])]
    args = [*words[:1], *added, *words[1:]] if words else added
    done = subprocess.run(
        [exe, *args], capture_output=True, text=True, encoding="utf-8", timeout=60
    )
    document = json.loads(done.stdout) if done.stdout.strip() else None
    messages = [line.removeprefix("shanxi: ") for line in done.stderr.splitlines()]
    return Outcome(done.returncode, document, messages)


def batch_process(
    exe: str, text: str | bytes, *options: str, root: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[bytes]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return subprocess.run(
        [exe, *root, "batch", *options], input=data, capture_output=True, timeout=120
    )


def records(done: subprocess.CompletedProcess[bytes]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]


@pytest.fixture(scope="module")
def broken_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled store with one quote the article never printed."""
    folder = tmp_path_factory.mktemp("broken")
    bundled = bundled_store_path()
    shutil.copytree(bundled.parent / "seeds", folder / "seeds")
    data = json.loads(bundled.read_text(encoding="utf-8"))
    fact = next(f for f in data["facts"] if f["id"] == "xinghuacun.jobs")
    fact["quote"] = "A sentence the article never printed."
    path = folder / "facts.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_the_requests_cover_every_command_the_app_answers() -> None:
    # Read from the app: a command added to it (`ask`) fails this until it is sampled.
    named = {shlex.split(request)[0] for request in REQUESTS if shlex.split(request)}
    assert sorted(Session().commands) == COMMANDS
    assert set(COMMANDS) <= named
    # batch is the one command without a document of its own; another one (a
    # `completion` command) is refused in a batch, and must be named here.
    assert sorted(set(ALL_COMMANDS) - set(COMMANDS)) == ["batch"]


def test_every_line_is_what_the_command_alone_prints_and_returns(
    shanxi_exe: str, broken_store: Path
) -> None:
    requests = "".join(f"{request}\n" for request in REQUESTS)
    done = batch_process(shanxi_exe, requests)
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    got = records(done)
    broken = batch_process(
        shanxi_exe, "".join(f"{r}\n" for r in BROKEN_REQUESTS), "--facts", str(broken_store)
    )
    assert broken.returncode == 0, broken.stderr
    got_broken = records(broken)
    with ThreadPoolExecutor(2) as pool:
        expected = list(pool.map(lambda r: alone(shanxi_exe, r), REQUESTS))
        expected_broken = list(
            pool.map(lambda r: alone(shanxi_exe, r, broken_store), BROKEN_REQUESTS)
        )
    assert [r["line"] for r in got] == list(range(1, len(REQUESTS) + 1))
    for request, record, want in [
        *zip(REQUESTS, got, expected, strict=True),
        *zip(BROKEN_REQUESTS, got_broken, expected_broken, strict=True),
    ]:
        assert record["request"] == request
        assert (record["exit_code"], record["document"], record["messages"]) == tuple(want), request
    codes = {want.exit_code for want in expected + expected_broken}
    assert codes == {0, 1, 2, 3, 4}
    # exit 4 with a document (verify) and without one (source)
    assert expected_broken[0].exit_code == 4 and expected_broken[0].document is not None
    assert expected_broken[1].exit_code == 4 and expected_broken[1].document is None


def test_the_api_answers_each_request_as_the_command_alone(shanxi_exe: str) -> None:
    sample = REQUESTS[::3]
    with ThreadPoolExecutor(2) as pool:
        expected = list(pool.map(lambda r: alone(shanxi_exe, r), sample))
    for request, want in zip(sample, expected, strict=True):
        assert same_store_name(api.request(request)) == same_store_name(want), request
        assert same_store_name(api.request(shlex.split(request))) == same_store_name(want)


def same_store_name(outcome: Any) -> Any:
    """verify names the store it read by path: the installed package's copy for the
    command, this checkout's for the API when the suite runs from a clone (as CI does)."""
    document = outcome.document
    if isinstance(document, dict) and "store" in document:
        document = {**document, "store": Path(document["store"]).name}
    return outcome._replace(document=document)


# --- the batch itself ---


def run_batch(text: str, *options: str, root: tuple[str, ...] = ()) -> Any:
    """The batch in this process; it writes to the environment it is given."""
    env = Environment(io.StringIO(), io.StringIO(), False, 80, False)
    result = CliRunner().invoke(app, [*root, "batch", *options], input=text, obj=env)
    return result, env


def batch_records(text: str, *args: str) -> tuple[int, list[dict[str, Any]], str]:
    result, env = run_batch(text, *args)
    lines = env.stdout.getvalue().splitlines()
    return result.exit_code, [json.loads(line) for line in lines], env.stderr.getvalue()


def test_comments_and_blank_lines_are_skipped_and_lines_keep_their_numbers() -> None:
    code, got, err = batch_records("# towns\n\n   \ntown Xinghuacun\n  # indented\ntown zzzz\r\n")
    assert code == 0, err
    assert [(r["line"], r["request"], r["exit_code"]) for r in got] == [
        (4, "town Xinghuacun", 0),
        (6, "town zzzz", 1),
    ]
    assert set(got[0]) == {"line", "request", "exit_code", "document", "messages"}
    assert got[1]["document"] is None
    assert got[1]["messages"] == ["error: no place matches 'zzzz'"]


BAD_LINES = [
    ("town 'Xinghuacun", "the request cannot be split into words: No closing quotation"),
    ("batch", "batch cannot be a request: it answers with no JSON document"),
    ("nope x", "No such command 'nope' (see 'shanxi -h')"),
    ("town x --facts other.json", "--facts is given once for all requests"),
    ("town x --facts=other.json", "--facts is given once for all requests"),
    ("--no-cache town x", "--no-cache is given once for all requests"),
    ("--version", "--version is not a request"),
    ("-h", "help is not a request"),
    ("town x --help", "help is not a request; run shanxi town -h"),
    ("town x --format csv", "answered as its JSON document; leave out --format"),
    ("town x --format=table", "answered as its JSON document; leave out --format"),
    ("--bogus town", "a request starts with a command"),
]


@pytest.mark.parametrize(("line", "message"), BAD_LINES)
def test_a_bad_line_is_exit_2_and_the_batch_goes_on(line: str, message: str) -> None:
    code, got, err = batch_records(f"{line}\ntown Xinghuacun\n")
    assert code == 0, err
    assert [r["exit_code"] for r in got] == [2, 0]
    assert got[0]["document"] is None
    assert len(got[0]["messages"]) == 1
    assert got[0]["messages"][0].startswith("error: ")
    assert message in got[0]["messages"][0]


def test_format_json_and_json_in_a_line_are_harmless() -> None:
    code, got, _ = batch_records("town Xinghuacun --format json\ntown Xinghuacun --json\n")
    assert code == 0
    assert [r["exit_code"] for r in got] == [0, 0]
    assert got[0]["document"] == got[1]["document"]


def test_bytes_that_are_not_utf8_and_an_overlong_line_are_lines_of_their_own(
    shanxi_exe: str,
) -> None:
    data = b"town \xff\xfe\n" + b"town " + b"x" * 100_000 + b"\ntown Xinghuacun\n"
    done = batch_process(shanxi_exe, data)
    assert done.returncode == 0, done.stderr
    got = records(done)
    assert [(r["line"], r["exit_code"]) for r in got] == [(1, 2), (2, 2), (3, 0)]
    assert got[0]["messages"] == ["error: the request is not UTF-8 (byte 5)"]
    assert got[0]["request"] == "town \\xff\\xfe"
    assert got[1]["messages"] == ["error: the request is longer than 65,536 bytes"]


def test_hostile_text_in_a_request_is_escaped_in_the_output(shanxi_exe: str) -> None:
    done = batch_process(shanxi_exe, "town 'a\x1b[31mb\u202ec'\n")
    assert done.returncode == 0
    assert b"\x1b" not in done.stdout and "\u202e".encode() not in done.stdout
    (got,) = records(done)
    assert got["request"] == "town 'a\x1b[31mb\u202ec'"  # the JSON escapes it, as --json


def test_facts_and_no_cache_apply_to_every_line(shanxi_exe: str, broken_store: Path) -> None:
    done = batch_process(
        shanxi_exe, "verify\nverify\n", "--facts", str(broken_store), root=("--no-cache",)
    )
    assert done.returncode == 0, done.stderr
    got = records(done)
    assert [r["exit_code"] for r in got] == [4, 4]
    assert got[0]["document"]["store"] == str(broken_store)


def test_a_store_that_cannot_be_read_ends_the_batch_before_any_line(tmp_path: Path) -> None:
    missing = tmp_path / "absent.json"
    result, env = run_batch("town Xinghuacun\n", "--facts", str(missing))
    assert result.exit_code == 4
    assert env.stdout.getvalue() == ""
    assert env.stderr.getvalue() == f"shanxi: error: fact store {missing} not found\n"


def test_an_empty_input_is_no_lines_and_exit_0() -> None:
    assert batch_records("") == (0, [], "")
    assert batch_records("# nothing\n\n") == (0, [], "")


def test_output_that_cannot_be_written_is_exit_5(shanxi_exe: str) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("needs /dev/full")
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [shanxi_exe, "batch"],
            input=b"town Xinghuacun\n" * 50,
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=60,
        )
    assert done.returncode == 5
    assert done.stderr.count(b"\n") == 1
    assert b"Traceback" not in done.stderr


def test_each_line_is_written_as_soon_as_it_is_answered(shanxi_exe: str) -> None:
    with subprocess.Popen(
        [shanxi_exe, "batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    ) as process:
        assert process.stdin is not None and process.stdout is not None
        for name in ("Xinghuacun", "Yuncheng"):
            process.stdin.write(f"town {name}\n".encode())
            process.stdin.flush()
            ready, _, _ = select.select([process.stdout], [], [], 30)
            assert ready, "no answer before the next request"
            assert json.loads(process.stdout.readline())["document"]["name"] == name
        process.stdin.close()
        assert process.wait(30) == 0


def test_batch_help_has_an_example_that_works(runner: CliRunner) -> None:
    result = runner.invoke(app, ["batch", "--help"])
    assert result.exit_code == 0
    example = result.stdout.split("Examples:")[1].strip().splitlines()[0]
    words = shlex.split(example)
    assert words[0] == "printf" and words[2:] == ["|", "shanxi", "batch"]
    code, got, err = batch_records(words[1].replace("\\n", "\n"))
    assert code == 0, err
    assert [r["exit_code"] for r in got] == [0, 0]


# --- the store and its tables, once per batch ---


def counting(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> list[int]:
    calls: list[int] = []
    real = getattr(owner, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


def test_the_store_and_every_table_are_built_once_per_batch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from shanxi_cli.answer import question_words, search, search_texts
    from shanxi_cli.index.choice import forget_stores
    from shanxi_cli.store import json_store
    from shanxi_cli.text import names

    loads = counting(monkeypatch, json_store, "_build_store")
    corpora = counting(monkeypatch, search_texts, "computed_corpus")
    word_tables = counting(monkeypatch, question_words.StoreWords, "__init__")
    search_tables = counting(monkeypatch, search._Index, "__init__")
    town_names: list[int] = []
    real_names = names.NameIndex.__init__

    def names_counted(self: Any, items: Any, *args: Any) -> None:
        town_names.append(1)
        real_names(self, items, *args)

    monkeypatch.setattr(names.NameIndex, "__init__", names_counted)
    requests = ["town Xinghuacun", "town Yuncheng", "town Taigu"] * 3
    code, got, err = batch_records("".join(f"{r}\n" for r in requests))
    assert code == 0, err
    assert len(town_names) == 1  # one name table for places, however many lookups
    forget_stores()  # a second batch, as a second process would read it
    questions = ["metric jobs", "metric Yuncheng exports", "metric jobs in Xinghuacun"] * 3
    searches = ["search fenjiu", "search buckwheet", "search liquor"] * 3
    code, got, err = batch_records("".join(f"{r}\n" for r in questions + searches))
    assert code == 0, err
    assert all(r["exit_code"] == 0 for r in got), got
    assert (len(loads), len(corpora), len(word_tables), len(search_tables)) == (2, 1, 1, 1)


def test_a_command_added_to_the_app_is_answered_without_a_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # As `ask` will be: registered on the app, with --json, and answered in a batch.

    def echo_metrics(
        ctx: typer.Context,
        words: list[str],
        facts: FactsOption = None,
        as_json: JsonOption = False,
        fmt: FormatOption = OutputFormat.auto,
    ) -> None:
        with running(ctx, facts, fmt, as_json) as run:
            run.env.say(f"note: asked {' '.join(words)!r}")
            run.show(VocabularyView(metric_docs(run.store)[:1]))

    registered = list(app.registered_commands)
    monkeypatch.setattr(app, "registered_commands", registered)
    app.command(name="ask-test")(echo_metrics)
    code, got, err = batch_records("ask-test how many jobs\n")
    assert code == 0, err
    assert got[0]["exit_code"] == 0
    assert got[0]["document"][0]["id"] == "jobs"
    assert got[0]["messages"] == ["note: asked 'how many jobs'"]
    assert "ask-test" in Session().commands


@pytest.fixture
def many_requests() -> Iterator[str]:
    yield "".join(f"{r}\n" for r in REQUESTS if r != "verify") * 5


def test_a_long_batch_answers_the_same_as_a_short_one(many_requests: str) -> None:
    # Tables kept from one request to the next change no later answer.
    code, got, err = batch_records(many_requests)
    assert code == 0, err
    per_round = len(got) // 5
    first = [(r["exit_code"], r["document"], r["messages"]) for r in got[:per_round]]
    for round_ in range(1, 5):
        chunk = got[round_ * per_round : (round_ + 1) * per_round]
        assert [(r["exit_code"], r["document"], r["messages"]) for r in chunk] == first


def test_no_cache_in_the_environment_is_honoured(shanxi_exe: str) -> None:
    done = subprocess.run(
        [shanxi_exe, "batch"],
        input=b"town Xinghuacun\n",
        capture_output=True,
        env={**os.environ, "SHANXI_NO_CACHE": "1"},
        timeout=60,
    )
    assert done.returncode == 0
    assert records(done)[0]["exit_code"] == 0


def test_a_store_read_through_its_index_answers_every_line_the_same(
    shanxi_exe: str, tmp_path: Path
) -> None:
    # The bundled store, indexed as a large one would be ($SHANXI_INDEX_THRESHOLD), and
    # read whole (--no-cache): the same lines. tests/test_index.py holds each command
    # alone to the same from the index and from the JSON.
    store = tmp_path / "store" / "facts.json"
    store.parent.mkdir()
    shutil.copy(bundled_store_path(), store)
    shutil.copytree(bundled_store_path().parent / "seeds", store.parent / "seeds")
    env = {**os.environ, "SHANXI_INDEX_THRESHOLD": "1", "XDG_CACHE_HOME": str(tmp_path / "c")}
    built = subprocess.run(
        [shanxi_exe, "town", "Xinghuacun", "--facts", str(store)], env=env, capture_output=True
    )
    assert built.returncode == 0 and list((tmp_path / "c").rglob("*.sqlite*"))
    requests = "".join(f"{r}\n" for r in REQUESTS if r != "verify").encode()

    def lines(*root: str) -> list[dict[str, Any]]:
        done = subprocess.run(
            [shanxi_exe, *root, "batch", "--facts", str(store)],
            input=requests,
            env=env,
            capture_output=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return records(done)

    assert lines() == lines("--no-cache")
