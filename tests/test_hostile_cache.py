"""The index cache against another user, a flipped symlink, junk at its path, interrupted
and concurrent builds: each case answers as the JSON does, and nothing is left behind.

Like tests/test_index.py, every test runs the installed `shanxi` with its own cache
folder and $SHANXI_INDEX_THRESHOLD lowered, on a copy of the bundled store (a copy is
not the bundled store, which is never indexed).
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from shanxi_cli.index.location import index_path
from shanxi_cli.store.json_store import bundled_store_path

from .test_index import Setup, copy_store, only_index, to_stderr

NOBODY = 65534
LOOKUP = ("metric", "jobs", "--town", "Xinghuacun", "--json")


@pytest.fixture
def setup(shanxi_exe: str, tmp_path: Path) -> Setup:
    return Setup(shanxi_exe, tmp_path / "cache", copy_store(bundled_store_path(), tmp_path / "s"))


def tamper(index: Path, sql: str) -> None:
    with sqlite3.connect(index) as connection:
        connection.execute(sql)
    connection.close()


def poisoned_jobs(index: Path) -> None:
    """The index's Xinghuacun jobs figure set to 9,999,999, as an attacker would."""
    tamper(
        index,
        "UPDATE facts SET record = replace(record, '50000', '9999999')"
        " WHERE id = 'xinghuacun.jobs'",
    )


def assert_answers_as_the_json(setup: Setup, *, notes: int) -> str:
    expected = setup.json_path(*LOOKUP)
    result = setup.run(*LOOKUP)
    assert (result.code, result.stdout) == (expected.code, expected.stdout)
    assert "9999999" not in result.stdout
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == expected.stderr.count("\n") + notes, result.stderr
    return result.stderr


# --- 1. a symlink flipped during the first build ---


def test_a_symlink_flipped_during_the_build_never_files_one_store_under_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shanxi_cli.index.choice import forget_stores, store_for
    from shanxi_cli.store import safe_read, stream_read

    a = copy_store(bundled_store_path(), tmp_path / "a")
    b = copy_store(bundled_store_path(), tmp_path / "b")
    data = json.loads(b.read_text(encoding="utf-8"))
    jobs = next(fact for fact in data["facts"] if fact["id"] == "xinghuacun.jobs")
    jobs["value"] += 1
    b.write_text(json.dumps(data), encoding="utf-8")
    current = tmp_path / "cur"
    current.symlink_to(a.parent)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("SHANXI_INDEX_THRESHOLD", "1")

    def point_at(folder: Path) -> None:
        current.unlink()
        current.symlink_to(folder)

    # The worst timing: the store is stat'ed as a, opened as b, and is a again after.
    opened, read = safe_read._open_regular, safe_read._read_descriptor

    def open_b(path: Path | str, *, follow_last: bool) -> int:
        point_at(b.parent)
        return opened(path, follow_last=follow_last)

    def read_then_a(fd: int, limit: int) -> bytes:
        data = read(fd, limit)
        point_at(a.parent)
        return data

    # A build reads the store record by record (store/stream_read.py), then compares
    # the file's state before and after: the flip back comes just before that.
    compared = stream_read.same_file_state

    def read_then_a_streamed(before: os.stat_result, after: os.stat_result) -> bool:
        point_at(a.parent)
        return compared(before, after)

    monkeypatch.setattr(safe_read, "_open_regular", open_b)
    monkeypatch.setattr(safe_read, "_read_descriptor", read_then_a)
    monkeypatch.setattr(stream_read, "same_file_state", read_then_a_streamed)
    store_for(str(current / "facts.json"), say=to_stderr)
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("SHANXI_INDEX_THRESHOLD", "1")
    for path in (a, current / "facts.json"):
        forget_stores()
        store = store_for(str(path), say=to_stderr)
        assert store.facts["xinghuacun.jobs"].value == jobs["value"] - 1


# --- 2. a planted or tampered index ---


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_an_index_owned_by_another_user_is_not_used(setup: Setup) -> None:
    setup.run(*LOOKUP)
    index = only_index(setup)
    poisoned_jobs(index)
    os.chown(index, NOBODY, NOBODY)
    stderr = assert_answers_as_the_json(setup, notes=1)
    assert f"belongs to user {NOBODY}" in stderr


@pytest.mark.parametrize("which", ["index", "folder"])
def test_an_index_or_folder_others_may_write_is_not_used(setup: Setup, which: str) -> None:
    setup.run(*LOOKUP)
    index = only_index(setup)
    poisoned_jobs(index)
    (index if which == "index" else index.parent).chmod(0o666 if which == "index" else 0o777)
    stderr = assert_answers_as_the_json(setup, notes=1)
    assert "may be written by others" in stderr
    assert setup.store_kind() == "JsonStore"


def test_an_entity_of_an_unknown_kind_falls_back(setup: Setup) -> None:
    setup.run(*LOOKUP)
    tamper(
        only_index(setup),
        "UPDATE entities SET record = replace(record, '\"township\"', '\"castle\"')"
        " WHERE id = 'xinghuacun'",
    )
    assert_answers_as_the_json(setup, notes=1)


def test_the_cache_folder_is_made_for_the_user_alone(setup: Setup) -> None:
    os.umask(old := os.umask(0))
    try:
        setup.run(*LOOKUP)
    finally:
        os.umask(old)
    index = only_index(setup)
    assert index.parent.stat().st_mode & 0o777 == 0o700
    assert index.stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    "change",
    [
        "replace(record, '\"xinghuacun\"', '\"nowhere\"')",  # an unknown subject
        "replace(record, '\"jobs\"', '\"no-such-metric\"')",  # an unknown metric
        "replace(record, '\"reported\"', '\"rumoured\"')",  # an unknown status
    ],
)
def test_a_record_that_names_what_the_store_does_not_hold_falls_back(
    setup: Setup, change: str
) -> None:
    setup.run(*LOOKUP)
    index = only_index(setup)
    tamper(index, f"UPDATE facts SET record = {change} WHERE id = 'xinghuacun.jobs'")
    assert_answers_as_the_json(setup, notes=1)


# --- 3. a FIFO or a never-ending view at the index path ---


def test_a_fifo_at_the_index_path_is_replaced_not_waited_on(setup: Setup) -> None:
    setup.run(*LOOKUP)
    index = only_index(setup)
    index.unlink()
    os.mkfifo(index)
    started = time.monotonic()
    assert_answers_as_the_json(setup, notes=0)
    assert time.monotonic() - started < 20
    assert only_index(setup).is_file()


def test_a_view_that_never_ends_in_place_of_a_table_is_not_run(setup: Setup) -> None:
    setup.run(*LOOKUP)
    index = only_index(setup)
    tamper(index, "DROP TABLE meta")
    tamper(
        index,
        "CREATE VIEW meta AS WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n)"
        " SELECT x AS format FROM n",
    )
    started = time.monotonic()
    assert_answers_as_the_json(setup, notes=0)
    assert time.monotonic() - started < 20
    assert setup.store_kind() == "IndexedStore"  # rebuilt


ENDLESS_QUERY = """
import os, signal, sqlite3, sys
signal.signal(signal.SIGINT, lambda signum, frame: os._exit(130))  # as shanxi.main does
from pathlib import Path
from shanxi_cli.index import reader
from shanxi_cli.index.format import Header
connection = sqlite3.connect(":memory:")
endless = reader.Reader(
    connection, reader.guard(connection), Path("x"), Path("y"), None, Header({}, (), {}, ()), print
)
print("running", flush=True)
endless.rows("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n)"
             " SELECT COUNT(*) FROM n")
"""


def test_ctrl_c_stops_an_index_query_at_once() -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", ENDLESS_QUERY], stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None and process.stdout.readline() == "running\n"
        time.sleep(0.5)
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 130
    finally:
        process.kill()


def test_a_query_past_its_deadline_ends_and_the_store_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from shanxi_cli.index import reader
    from shanxi_cli.index.format import Header

    monkeypatch.setattr(reader, "QUERY_SECONDS", 0.2)
    connection = sqlite3.connect(":memory:")
    header = Header({}, (), {}, ())
    endless = reader.Reader(
        connection, reader.guard(connection), Path("x"), Path("y"), None, header, print
    )
    started = time.monotonic()
    with pytest.raises(reader.IndexBroken, match="interrupted"):
        endless.rows(
            "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT COUNT(*) FROM n"
        )
    assert time.monotonic() - started < 5


# --- 4. an interrupted build ---

SLOW_BUILD = """
import sys, time
from shanxi_cli.index import stream_build
filled = stream_build._fill
def slow(*args):
    signature = filled(*args)
    print("filled", flush=True)
    time.sleep(60)
    return signature
stream_build._fill = slow
sys.argv = ["shanxi", *sys.argv[1:]]
from shanxi_cli import main
main()
"""


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupted_build_leaves_no_temporary_file(
    setup: Setup, signum: int, code: int
) -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", SLOW_BUILD, *LOOKUP, "--facts", str(setup.store)],
        env=setup.env(),
        stdout=subprocess.PIPE,
        text=True,
        cwd=setup.store.parent,
    )
    try:
        assert process.stdout is not None and process.stdout.readline() == "filled\n"
        assert [path.suffix for path in setup.indexes()] == [".tmp"]
        process.send_signal(signum)
        assert process.wait(timeout=10) == code
    finally:
        process.kill()
    assert setup.indexes() == []


# --- 5 and 6. builds in other namespaces, and many first runs at once ---


def lock_of(setup: Setup) -> Path:
    target = index_path(setup.store, setup.cache / "shanxi")
    return target.with_suffix(".lock")


SHORT_WAIT = """
import sys
from shanxi_cli.index import opening
opening.BUILD_WAIT_SECONDS = 1.0
sys.argv = ["shanxi", *sys.argv[1:]]
from shanxi_cli import main
main()
"""


def test_a_build_elsewhere_is_never_disturbed(setup: Setup) -> None:
    """A build in another PID namespace: its PID means nothing here, its lock does."""
    lock = lock_of(setup)
    lock.parent.mkdir(parents=True, mode=0o700)
    theirs = lock.with_name(f"{lock.stem}.999999.k2j4.tmp")  # a PID not alive here
    theirs.write_bytes(b"half an index")
    expected = setup.json_path(*LOOKUP)
    with lock.open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        started = time.monotonic()
        waited = subprocess.run(
            [sys.executable, "-c", SHORT_WAIT, *LOOKUP, "--facts", str(setup.store)],
            env=setup.env(),
            capture_output=True,
            text=True,
            cwd=setup.store.parent,
            timeout=60,
        )
        assert (waited.returncode, waited.stdout) == (expected.code, expected.stdout)
        assert time.monotonic() - started > 1  # it waited for the build before reading
        assert theirs.read_bytes() == b"half an index"
        assert setup.indexes() == [theirs]
    assert_answers_as_the_json(setup, notes=0)  # the lock is free: this run builds
    assert not theirs.exists()  # and removes what the finished build left
    assert setup.store_kind() == "IndexedStore"


COUNTED_BUILD = """
import sys, time
from shanxi_cli.index import stream_build
written, log_path = stream_build.write_streamed_index, sys.argv[1]
def counted(*args):
    with open(log_path, "a") as log:
        log.write("build\\n")
    time.sleep(1)  # long enough for every run to find the build under way
    return written(*args)
stream_build.write_streamed_index = counted
sys.argv = ["shanxi", *sys.argv[2:]]
from shanxi_cli import main
main()
"""


def test_many_first_runs_at_once_build_one_index(setup: Setup, tmp_path: Path) -> None:
    log = tmp_path / "builds.log"
    log.touch()
    args = [sys.executable, "-c", COUNTED_BUILD, str(log), *LOOKUP, "--facts", str(setup.store)]
    runs = [
        subprocess.Popen(
            args, env=setup.env(), stdout=subprocess.PIPE, text=True, cwd=setup.store.parent
        )
        for _ in range(6)
    ]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert [run.returncode for run in runs] == [0] * 6
    assert outputs == [setup.json_path(*LOOKUP).stdout] * 6
    assert log.read_text() == "build\n"
    only_index(setup)


# --- 7. the bundled store ---

BUNDLED_PATH = (
    "from shanxi_cli.store.json_store import bundled_store_path; print(bundled_store_path())"
)


def test_the_bundled_store_is_never_indexed_whatever_the_threshold(setup: Setup) -> None:
    env = {**setup.env(), "SHANXI_INDEX_THRESHOLD": "0"}
    # The installed package's own store (from outside the checkout, as the script sees it).
    bundled = subprocess.run(
        [sys.executable, "-c", BUNDLED_PATH],
        capture_output=True,
        text=True,
        check=True,
        cwd=setup.store.parent,
    ).stdout.strip()
    for args in (
        ["town", "Xinghuacun"],
        ["town", "Xinghuacun", "--facts", bundled],
    ):
        done = subprocess.run([setup.exe, *args], env=env, capture_output=True, timeout=60)
        assert done.returncode == 0, done.stderr
        assert done.stderr == b""
    assert not setup.cache.exists()


# --- 9. no absolute home ---


@pytest.mark.parametrize("home", ["relative/home", ""])
def test_a_relative_or_empty_home_means_no_cache_and_one_note(
    setup: Setup, tmp_path: Path, home: str
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    expected = setup.json_path(*LOOKUP)
    done = subprocess.run(
        [setup.exe, *LOOKUP, "--facts", str(setup.store)],
        env=setup.env(HOME=home, XDG_CACHE_HOME=""),
        cwd=work,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stdout) == (expected.code, expected.stdout)
    assert done.stderr.count("\n") == 1 and "no cache folder" in done.stderr, done.stderr
    assert list(work.iterdir()) == []


# --- 8 and 12: the cache's variables ---


def test_a_threshold_that_only_looks_like_a_number_is_the_default(setup: Setup) -> None:
    for value in ("²", "9" * 5000):
        result = setup.run(*LOOKUP, SHANXI_INDEX_THRESHOLD=value)
        assert (result.code, result.stdout) == (0, setup.json_path(*LOOKUP).stdout)
        assert result.stderr == ""
    assert setup.indexes() == []  # the copy is far below the default threshold


@pytest.mark.parametrize("value", ["false", "no", "0", "FALSE", ""])
def test_no_cache_set_to_false_keeps_the_cache(setup: Setup, value: str) -> None:
    assert setup.run(*LOOKUP, SHANXI_NO_CACHE=value).code == 0
    only_index(setup)


@pytest.mark.parametrize("value", ["1", "true", "yes"])
def test_no_cache_set_to_true_turns_it_off(setup: Setup, value: str) -> None:
    assert setup.run(*LOOKUP, SHANXI_NO_CACHE=value).code == 0
    assert setup.indexes() == []
