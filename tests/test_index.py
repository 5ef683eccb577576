"""The index of a large store: the same answers as the JSON, never stale, never in the way.

Every test runs the installed `shanxi` as a user does, with its own cache folder
($XDG_CACHE_HOME) and $SHANXI_INDEX_THRESHOLD lowered so that small stores are indexed.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

from shanxi_cli.store.json_store import bundled_store_path

from .conftest import made_store

CHECK_SOURCE = (
    "import sys; from shanxi_cli.index.choice import store_for;"
    " print(type(store_for(sys.argv[1], say=lambda m: print(m, file=sys.stderr))).__name__)"
)


class Run(NamedTuple):
    code: int
    stdout: str
    stderr: str


class Setup(NamedTuple):
    exe: str
    cache: Path
    store: Path

    def env(self, **extra: str) -> dict[str, str]:
        env = {**os.environ, "XDG_CACHE_HOME": str(self.cache), "SHANXI_FACTS": ""}
        env.pop("SHANXI_NO_CACHE", None)
        env["SHANXI_INDEX_THRESHOLD"] = "1"
        env["NO_COLOR"] = "1"
        env["COLUMNS"] = "100"
        return {**env, **extra}

    def run(self, *args: str, **extra: str) -> Run:
        done = subprocess.run(
            [self.exe, *args, "--facts", str(self.store)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=self.env(**extra),
            timeout=120,
        )
        return Run(done.returncode, done.stdout, done.stderr)

    def json_path(self, *args: str) -> Run:
        return self.run(*args, SHANXI_NO_CACHE="1")

    def store_kind(self) -> str:
        """Which Store class a command gets right now, through the same choice as a run."""
        # From the store's folder, not the checkout's: the interpreter must import the
        # installed package, as the console script does, or its code fingerprint differs.
        done = subprocess.run(
            [sys.executable, "-c", CHECK_SOURCE, str(self.store)],
            capture_output=True,
            text=True,
            env=self.env(),
            timeout=120,
            check=True,
            cwd=self.store.parent,
        )
        return done.stdout.strip()

    def indexes(self) -> list[Path]:
        """The files of the cache folder but the lock files (which stay, empty)."""
        return [path for path in self.files() if path.suffix != ".lock"]

    def files(self) -> list[Path]:
        folder = self.cache / "shanxi"
        return sorted(folder.iterdir()) if folder.exists() else []


def to_stderr(message: str) -> None:
    """Notes, as the command line's Environment.say writes them."""
    print(f"shanxi: {message}", file=sys.stderr)


def copy_store(source: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(bundled_store_path().parent / "seeds", folder / "seeds", dirs_exist_ok=True)
    target = folder / "facts.json"
    shutil.copy(source, target)
    return target


@pytest.fixture
def bundled(shanxi_exe: str, tmp_path: Path) -> Setup:
    return Setup(shanxi_exe, tmp_path / "cache", copy_store(bundled_store_path(), tmp_path / "s"))


@pytest.fixture(scope="module")
def generated_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("generated")
    return copy_store(made_store(400, folder / "made.json"), folder / "store")


@pytest.fixture
def generated(shanxi_exe: str, tmp_path: Path, generated_store: Path) -> Setup:
    return Setup(shanxi_exe, tmp_path / "cache", generated_store)


COMMANDS = [
    ("town", "Xinghuacun"),
    ("town", "Xinghuacn"),
    ("town", "xinghua cun", "--quotes"),
    ("town", "Shanxi"),
    ("town", "Atlantis"),
    ("town", "a"),
    ("town", "Zhang"),
    ("town", "Xinghuacun Xinghuacun Xinghuacun"),
    ("town", "fenjiu"),
    ("company", "fenjiu"),
    ("company", "Fenjiu Group", "--quotes"),
    ("company", "Xinghuacun Fenjiu"),
    ("person", "Bai Feng"),
    ("person", "Wang"),
    ("metric",),
    ("metric", "jobs"),
    ("metric", "output value", "--sort", "value", "--limit", "5"),
    ("metric", "jobs", "--sort", "subject"),
    ("metric", "exports", "--town", "Yuncheng"),
    ("metric", "jobs", "--company", "fenjiu"),
    ("metric", "jobs", "--min", "100", "--status", "reported"),
    ("metric", "nonsense metric"),
    ("list", "towns"),
    ("list", "companies"),
    ("list", "people"),
    ("list", "metrics"),
    ("search", "buckwheat"),
    ("search", "fenjiu"),
    ("search", "zzzzqqq"),
    ("search", "iron", "malleable"),
    ("search", "buckwhaet"),
    ("metric", "Yuncheng", "exports"),
    ("metric", "jujube", "price"),
    ("metric", "Kyrgyzstan"),
    ("metric", "first", "--period", "1940"),  # a period's span of years
    ("metric", "history", "--period", "1400"),
    ("metric", "lingqiu.edition"),
    ("source", "xinghuacun.jobs"),
    ("source", "xinghuacun.job"),
    # Read through the index's word tables (index/indexed_words.py, indexed_search.py):
    ("metric", "Xinghuacun", "jobs"),  # a subject widened to what lies within it
    ("metric", "output", "value", "2022"),  # a year in a period before one in a note
    ("metric", "Xinghuacn", "liquor"),  # a typo, and a narrowing word
    ("metric", "vinegar", "output"),  # a miss: the nearest answers
    ("metric", "exports", "tons", "Yuncheng", "--limit", "1"),
    ("metric", "reported", "--status", "expected"),  # a word every fact holds, filtered
    ("metric", "Zhang"),  # ambiguous
    ("metric", "fenjiu", "--min", "1000"),
    ("metric", "xinghuacun"),  # an entity's id
    ("metric", "Xinghuacun", "jobs", "--min", "1000"),  # filters kept after the subject
    ("metric", "xi", "li", "Zhang", "jobs"),  # names held by strings under three letters
    (
        "metric",
        *[
            "a",
            "b",
            "c",
            "d",
            "e",
            "f",
            "g",
            "h",
            "i",
            "j",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "q",
            "r",
            "s",
            "t",
            "u",
            "v",
            "w",
            "x",
            "y",
            "z",
        ],
    ),
    ("search", "bitter", "buckwheat", "--limit", "2"),
    ("search", "the", "output", "of", "liquor"),
    ("search", "50,000"),
    ("search", "ton"),  # a prefix inside many words
    ("search", "industry", "industries"),
    ("search", "vinegar"),  # an English word found nowhere
]
FORMATS = [("--json",), ("--format", "text")]
IN_CSV = {"town", "list", "metric"}


def assert_same_everywhere(setup: Setup, commands: list[tuple[str, ...]]) -> None:
    """Each command in JSON and text, the first of each kind in CSV too: stdout, stderr
    and the exit code identical to the JSON path's."""
    in_csv = set(IN_CSV)
    for command in commands:
        outputs = [*FORMATS, ("--format", "csv")] if command[0] in in_csv else FORMATS
        in_csv.discard(command[0])
        for output in outputs:
            args = (*command, *output)
            expected = setup.json_path(*args)
            assert "Traceback" not in expected.stderr
            assert setup.run(*args) == expected, args


def test_the_bundled_store_answers_the_same_from_its_index(bundled: Setup) -> None:
    assert bundled.run("town", "Xinghuacun").code == 0  # the first run builds the index
    assert bundled.store_kind() == "IndexedStore"
    assert_same_everywhere(bundled, COMMANDS)
    table = ("town", "Xinghuacun", "--format", "table")
    assert bundled.run(*table) == bundled.json_path(*table)


def test_a_generated_store_answers_the_same_from_its_index(generated: Setup) -> None:
    first = generated.run("town", "Xinghuacun", "--json")
    assert first == generated.json_path("town", "Xinghuacun", "--json")
    assert generated.store_kind() == "IndexedStore"
    facts = json.loads(generated.json_path("list", "people", "--json").stdout)
    some_people = [("person", row["name"]) for row in facts[:3]]
    typo = ("person", facts[0]["name"][:-1])
    assert_same_everywhere(generated, [*COMMANDS, *some_people, typo])


# `ask` read through the index's ask tables (index/indexed_ask.py).
ASK_COMMANDS = [
    ("ask", "how", "many", "jobs", "did", "Xinghuacun", "create"),  # a figure
    ("ask", "who", "is", "the", "head", "of", "Xinghuacun", "Fenjiu", "Group"),  # who
    ("ask", "where", "is", "Xinghuacun"),  # where
    ("ask", "how", "many", "jobs", "in", "Xinghuacn"),  # a typo
    ("ask", "what", "is", "the", "GDP", "of", "Xinghuacun"),  # a miss
    ("ask", "zzzzqqq", "exports", "--limit", "3"),  # a word found nowhere
    ("ask", "zzzzqqq"),  # nothing found at all
    ("ask", "what", "does", "Fenjiu", "make", "--quotes"),
    ("ask", "which", "village", "has", "the", "most", "jobs"),
    ("ask", "where", "does", "Fenjiu", "rank", "among", "baijiu", "exporters"),  # a gloss
]


def test_ask_answers_the_same_from_the_index(bundled: Setup, generated: Setup) -> None:
    for setup in (bundled, generated):
        assert setup.run("town", "Xinghuacun").code == 0  # the first run builds the index
        assert setup.store_kind() == "IndexedStore"
        assert_same_everywhere(setup, ASK_COMMANDS)


def test_the_bundled_store_is_below_the_threshold_and_writes_nothing(
    shanxi_exe: str, tmp_path: Path
) -> None:
    setup = Setup(shanxi_exe, tmp_path / "cache", copy_store(bundled_store_path(), tmp_path))
    env = {**setup.env(), "SHANXI_INDEX_THRESHOLD": ""}
    done = subprocess.run(
        [shanxi_exe, "town", "Xinghuacun", "--facts", str(setup.store)], env=env, check=True
    )
    assert done.returncode == 0
    assert not setup.cache.exists()


def test_a_changed_store_is_never_answered_from_a_stale_index(generated: Setup) -> None:
    store = copy_store(generated.store, generated.cache.parent / "own")
    setup = generated._replace(store=store)
    before = setup.run("town", "Xinghuacun", "--json")
    assert setup.store_kind() == "IndexedStore"
    status = store.stat()
    lines = store.read_text(encoding="utf-8").split("\n")
    # The same number of bytes: one figure's last digit changed, then the old mtime restored.
    fact = next(f for f in json.loads(before.stdout)["facts"] if type(f["value"]) is int)
    old_text = json.dumps(fact["value"])
    new_text = old_text[:-1] + ("7" if old_text[-1] != "7" else "3")
    line = next(n for n, text in enumerate(lines) if f'"id": "{fact["id"]}"' in text)
    lines[line] = lines[line].replace(f'"value": {old_text},', f'"value": {new_text},')
    changed = "\n".join(lines)
    assert len(changed.encode()) == status.st_size
    store.write_text(changed, encoding="utf-8")
    os.utime(store, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert store.stat().st_size == status.st_size
    assert store.stat().st_mtime_ns == status.st_mtime_ns
    after = setup.run("town", "Xinghuacun", "--json")
    assert after == setup.json_path("town", "Xinghuacun", "--json")
    shown = {f["id"]: f["value"] for f in json.loads(after.stdout)["facts"]}
    assert shown[fact["id"]] == json.loads(new_text)
    assert setup.run("town", "Xinghuacun", "--json") == after  # from the rebuilt index


def only_index(setup: Setup) -> Path:
    found = setup.indexes()
    assert len(found) == 1, found
    assert found[0].suffix == ".sqlite3"
    return found[0]


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty"])
def test_a_damaged_index_is_rebuilt(generated: Setup, damage: str) -> None:
    expected = generated.json_path("metric", "jobs", "--json")
    assert generated.run("metric", "jobs", "--json") == expected
    index = only_index(generated)
    data = index.read_bytes()
    if damage == "truncate":
        index.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        index.write_bytes(os.urandom(len(data)))
    else:
        index.write_bytes(b"")
    assert generated.run("metric", "jobs", "--json") == expected
    assert only_index(generated).stat().st_size == len(data)
    assert generated.store_kind() == "IndexedStore"


def test_a_record_that_fails_mid_run_falls_back_to_the_store(generated: Setup) -> None:
    expected = generated.json_path("town", "Xinghuacun", "--json")
    generated.run("town", "Xinghuacun")
    index = only_index(generated)
    status = index.stat()
    with sqlite3.connect(index) as connection:
        connection.execute("UPDATE entities SET record = '[' WHERE id = 'xinghuacun'")
    connection.close()
    os.utime(index, ns=(status.st_atime_ns, status.st_mtime_ns))
    damaged = generated.run("town", "Xinghuacun", "--json")
    assert (damaged.code, damaged.stdout) == (expected.code, expected.stdout)
    assert damaged.stderr.count("\n") == 1
    assert "cannot be read" in damaged.stderr
    assert generated.run("town", "Xinghuacun", "--json") == expected
    assert generated.store_kind() == "IndexedStore"


@pytest.mark.parametrize(
    ("command", "tamper"),
    [
        (("metric", "reported"), "INSERT INTO fact_own(rowid, text) VALUES (99999999, 'reported')"),
        (
            ("metric", "Xinghuacun", "jobs"),
            'UPDATE entity_names SET names = \'["nobody", "Xinghuacun"]\'',
        ),
        (("search", "liquor"), "INSERT INTO search_words(rowid, text) VALUES (99999999, 'liquor')"),
    ],
)
def test_word_tables_that_name_what_the_index_lacks_fall_back_to_the_store(
    generated: Setup, command: tuple[str, ...], tamper: str
) -> None:
    expected = generated.json_path(*command, "--json")
    generated.run("town", "Xinghuacun")
    index = only_index(generated)
    status = index.stat()
    with sqlite3.connect(index) as connection:
        connection.execute(tamper)
    connection.close()
    os.utime(index, ns=(status.st_atime_ns, status.st_mtime_ns))
    damaged = generated.run(*command, "--json")
    assert (damaged.code, damaged.stdout) == (expected.code, expected.stdout)
    assert "cannot be read" in damaged.stderr


def test_the_run_that_builds_answers_from_the_new_index(
    generated_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shanxi_cli.index import opening as index
    from shanxi_cli.index.indexed_store import IndexedStore

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    built = index.store_through_index(generated_store, to_stderr)
    assert isinstance(built, IndexedStore)
    assert len(list((tmp_path / "cache" / "shanxi").glob("*.sqlite3"))) == 1


def test_a_new_index_that_cannot_be_opened_leaves_the_loaded_store_to_answer(
    generated_store: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from shanxi_cli.index import opening as index

    def unusable(*args: object, **kwargs: object) -> None:  # replaced at once by another run
        raise index.Unusable("replaced")

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(index, "open_index", unusable)
    answered = index.store_through_index(generated_store, to_stderr)
    assert type(answered).__name__ == "JsonStore"
    assert answered.entities["xinghuacun"].name == "Xinghuacun"
    assert capsys.readouterr().err == ""


def test_a_first_run_whose_new_index_fails_reads_the_store_as_any_run_does(
    generated_store: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The build read the store record by record and kept none of it: the run that built
    the index falls back as every later run does, to the store read whole, and says so
    if the store has changed since the index was made of it."""
    from shanxi_cli.errors import StoreError
    from shanxi_cli.index import opening as index

    store = copy_store(generated_store, tmp_path / "store")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    built = index.store_through_index(store, to_stderr)
    built._reader.connection.close()
    assert built.entities["xinghuacun"].name == "Xinghuacun"
    assert "cannot be read" in capsys.readouterr().err

    built = index.store_through_index(store, to_stderr)
    # Before the run reads a record, the store changes and the new index fails.
    with store.open("a", encoding="utf-8") as appended:
        appended.write("\n")
    built._reader.connection.close()
    with pytest.raises(StoreError, match="changed during this run"):
        built.entities["xinghuacun"]


def test_two_first_runs_at_once_leave_one_good_index(generated: Setup) -> None:
    args = [generated.exe, "list", "towns", "--json", "--facts", str(generated.store)]
    runs = [
        subprocess.Popen(args, env=generated.env(), stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0]
    expected = generated.json_path("list", "towns", "--json").stdout
    assert outputs == [expected, expected]
    only_index(generated)
    assert generated.store_kind() == "IndexedStore"
    assert generated.run("list", "towns", "--json").stdout == expected


def test_a_cache_that_cannot_be_written_falls_back_with_one_note(generated: Setup) -> None:
    generated.cache.mkdir()
    (generated.cache / "shanxi").write_text("a file where the folder would be")
    expected = generated.json_path("company", "fenjiu", "--json")
    result = generated.run("company", "fenjiu", "--json")
    assert (result.code, result.stdout) == (expected.code, expected.stdout)
    assert result.stderr.count("\n") == 1
    assert "cannot write an index" in result.stderr
    assert generated.store_kind() == "JsonStore"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_cache_folder_falls_back(generated: Setup) -> None:
    folder = generated.cache / "shanxi"
    folder.mkdir(parents=True)
    folder.chmod(0o500)
    try:
        result = generated.run("company", "fenjiu", "--json")
        assert result.stdout == generated.json_path("company", "fenjiu", "--json").stdout
        assert "cannot write an index" in result.stderr
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def snapshot(*folders: Path) -> dict[str, tuple[int, int]]:
    return {
        str(path): (path.stat().st_mtime_ns, path.stat().st_size)
        for folder in folders
        if folder.exists()
        for path in [folder, *folder.rglob("*")]
    }


def test_nothing_is_written_outside_the_cache_and_nothing_with_no_cache(
    generated: Setup, tmp_path: Path
) -> None:
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    store_folder = generated.store.parent
    outside = (home, work, store_folder)
    before = snapshot(*outside)

    def run(*args: str, **extra: str) -> None:
        done = subprocess.run(
            [generated.exe, *args, "--facts", str(generated.store)],
            env=generated.env(HOME=str(home), **extra),
            cwd=work,
            capture_output=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr

    run("town", "Xinghuacun", SHANXI_NO_CACHE="1")
    subprocess.run(
        [generated.exe, "--no-cache", "town", "Xinghuacun", "--facts", str(generated.store)],
        env=generated.env(HOME=str(home)),
        cwd=work,
        check=True,
        capture_output=True,
    )
    verified = subprocess.run(  # the synthetic quotes are not in the article: exit 4
        [generated.exe, "verify", "--facts", str(generated.store)],
        env=generated.env(HOME=str(home)),
        cwd=work,
        capture_output=True,
    )
    assert verified.returncode in (0, 4)
    assert not generated.cache.exists()
    assert snapshot(*outside) == before
    run("town", "Xinghuacun")
    run("metric", "jobs")
    assert snapshot(*outside) == before
    assert [path.suffix for path in generated.files()] == [".lock", ".sqlite3"]


def test_an_invalid_large_store_is_refused_as_before_and_not_indexed(
    bundled: Setup,
) -> None:
    data = json.loads(bundled.store.read_text(encoding="utf-8"))
    data["facts"][0]["value"] = True
    bundled.store.write_text(json.dumps(data), encoding="utf-8")
    result = bundled.run("town", "Xinghuacun")
    assert result == bundled.json_path("town", "Xinghuacun")
    assert result.code == 4
    assert bundled.indexes() == []


def test_no_cache_is_a_root_option_that_keeps_the_json_path(bundled: Setup) -> None:
    done = subprocess.run(
        [bundled.exe, "--no-cache", "town", "Xinghuacun", "--facts", str(bundled.store)],
        env=bundled.env(),
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == bundled.json_path("town", "Xinghuacun").stdout
    assert bundled.indexes() == []


def test_names_resolve_the_same_from_the_index_for_many_queries(
    generated_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Typos, prefixes, single words, ids and other categories' names: the same entity,
    the same ambiguity, the same suggestions, whichever way the store is read."""
    import random

    from typer.testing import CliRunner

    from shanxi_cli.cli import commands as cli
    from shanxi_cli.index.choice import forget_stores, store_for

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("SHANXI_INDEX_THRESHOLD", "1")
    monkeypatch.delenv("SHANXI_NO_CACHE", raising=False)
    indexed = tmp_path / "indexed.json"
    shutil.copy(generated_store, indexed)
    data = json.loads(generated_store.read_text(encoding="utf-8"))
    rng = random.Random(15)
    queries = ["Xinghuacn", "xinghua", "Zhang", "ma", "li", "Technology", "abc", "county"]
    for entity in rng.sample(data["entities"], 40):
        name = entity["name"]
        queries += [name, name[:-1], name[1:], name[: len(name) // 2], entity["id"]]
        # the name with a mark its id lacks: found by its key alone, not by the id
        queries += [name.split()[0], name.split()[-1], f"{name}!"]
        # one word said again: held by a name of that one word, whose key it is not
        queries += [f"{name.split()[0]} {name.split()[0]}", " ".join([name.split()[-1]] * 3)]
    runner = CliRunner()
    assert runner.invoke(cli.app, ["town", "Xinghuacun", "--facts", str(indexed)]).exit_code == 0
    forget_stores()  # as a later run chooses: from the index just built
    assert type(store_for(str(indexed), say=to_stderr)).__name__ == "IndexedStore"
    for query in queries:
        for command in ("town", "company", "person"):
            args = [command, query, "--json"]
            json_path = ["--no-cache", *args, "--facts", str(generated_store)]
            expected = runner.invoke(cli.app, json_path)
            got = runner.invoke(cli.app, [*args, "--facts", str(indexed)])
            assert (got.exit_code, got.stdout, got.stderr) == (
                expected.exit_code,
                expected.stdout,
                expected.stderr,
            ), args


def test_a_query_with_no_utf8_form_is_answered_like_the_json_and_spares_the_index(
    generated: Setup,
) -> None:
    generated.run("town", "Xinghuacun")
    index = only_index(generated)
    built = index.stat().st_mtime_ns
    for args in (("town", "\udcff"), ("source", "x\udcff"), ("company", "fen\udcffjiu")):
        assert generated.run(*args) == generated.json_path(*args), args
    assert only_index(generated).stat().st_mtime_ns == built
    assert generated.store_kind() == "IndexedStore"


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE meta SET shanxi = '0.0.1'",
        "UPDATE meta SET format = format + 1",
        "UPDATE meta SET store = CAST('/elsewhere/facts.json' AS BLOB)",
        "UPDATE meta SET ctime_ns = ctime_ns - 1",
    ],
)
def test_an_index_of_another_version_or_store_is_not_used(generated: Setup, change: str) -> None:
    expected = generated.json_path("company", "fenjiu", "--json")
    generated.run("company", "fenjiu")
    index = only_index(generated)
    with sqlite3.connect(index) as connection:
        connection.execute("UPDATE entities SET record = replace(record, 'Fenjiu', 'Fenjoo')")
        connection.execute(change)
    connection.close()
    assert generated.run("company", "fenjiu", "--json") == expected  # rebuilt, not read
    assert generated.run("company", "fenjiu", "--json") == expected
    assert generated.store_kind() == "IndexedStore"


def test_ask_finds_words_whose_stem_is_not_their_start_as_the_json_does(
    shanxi_exe: str, tmp_path: Path
) -> None:
    # Snowball stems "dry" to "dri", "skies" to "sky", "dying" to "die": the index must
    # find a stem's words by the stem itself, not by how they start.
    store = copy_store(bundled_store_path(), tmp_path / "s")
    data = json.loads(store.read_text(encoding="utf-8"))
    data["facts"][0]["note"] += " The dry orchards saw skies and dying vines."
    store.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    setup = Setup(shanxi_exe, tmp_path / "cache", store)
    assert setup.run("town", "Xinghuacun").code == 0
    assert setup.store_kind() == "IndexedStore"
    assert_same_everywhere(
        setup, [("ask", "dry", "vines"), ("ask", "sky"), ("ask", "vines", "die", "--format", "csv")]
    )


def test_fuzzy_names_read_key_lists_slice_by_slice_as_whole(
    generated_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shanxi_cli.index import build
    from shanxi_cli.index import opening as index
    from shanxi_cli.index.indexed_store import IndexedStore
    from shanxi_cli.store.json_store import load_store

    monkeypatch.setattr(build, "KEYS_PER_SLICE", 7)  # the 400-entity store in many slices
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    sliced = index.store_through_index(generated_store, to_stderr)
    assert isinstance(sliced, IndexedStore)
    whole = load_store(generated_store)
    names = [entity.name for entity in list(whole.entities.values())[::37]]
    queries = [*names, *(name[:-1] for name in names), *(name[1:] + "x" for name in names)]
    for query in queries:
        for category in ("place", "organisation", "person"):
            ours, theirs = sliced.match_name(query, {category}), whole.match_name(query, {category})
            assert (ours.item and ours.item.id, ours.method) == (
                theirs.item and theirs.item.id,
                theirs.method,
            ), query
            assert [c.item.id for c in ours.candidates] == [c.item.id for c in theirs.candidates]


def test_an_sqlite_without_trigrams_reads_the_store_with_one_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shanxi_cli.index import opening
    from shanxi_cli.store.json_store import JsonStore

    monkeypatch.setattr(opening.sqlite3, "sqlite_version_info", (3, 31, 1))
    monkeypatch.setattr(opening.sqlite3, "sqlite_version", "3.31.1")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    notes: list[str] = []
    store = opening.store_through_index(bundled_store_path(), notes.append)
    assert isinstance(store, JsonStore)
    assert notes == [
        "note: this Python's SQLite 3.31.1 cannot hold an index (3.34.0 or later can);"
        " every lookup reads the whole store"
    ]
    assert not (tmp_path / "cache").exists()
