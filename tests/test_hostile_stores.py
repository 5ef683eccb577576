"""Stores that are not files, articles outside the store's folder, and unreadable stores.

Each is refused with exit 4 and one line on stderr, promptly, and nothing of a file the
store had no business naming is ever shown.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from shanxi_cli.cli.commands import app

from .conftest import FIXTURES, MINI_STORE

PROC_STATUS = Path("/proc/self/status")


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(app, list(args), env=env)


def run_installed(exe: str, *args: str) -> subprocess.CompletedProcess[str]:
    """The installed script, with a memory cap and a deadline.

    Whatever may read a device or wait on a FIFO runs so, not in the test process: if it
    ever does again, the test fails in seconds instead of hanging or eating the memory.
    """

    def cap_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    return subprocess.run(
        [exe, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        preexec_fn=cap_memory,
        timeout=30,
    )


def assert_one_line_store_error(code: int, stdout: str, stderr: str, *expected: str) -> None:
    assert code == 4, stderr
    assert stdout == ""
    assert stderr.count("\n") == 1, stderr
    assert "Traceback" not in stderr
    for text in expected:
        assert text in stderr


# --- 1. only regular files are read as a store, and never more than the limit ---


@pytest.mark.parametrize(
    ("device", "what"), [("/dev/zero", "a character device"), ("/dev/null", "a character device")]
)
def test_a_device_as_the_store_is_refused(shanxi_exe: str, device: str, what: str) -> None:
    done = run_installed(shanxi_exe, "town", "Taigu", "--facts", device)
    assert_one_line_store_error(
        done.returncode,
        done.stdout,
        done.stderr,
        f"shanxi: error: fact store {device} is {what}, not a regular file\n",
    )


def test_a_fifo_with_no_writer_as_the_store_is_refused_at_once(
    shanxi_exe: str, tmp_path: Path
) -> None:
    fifo = tmp_path / "store.fifo"
    os.mkfifo(fifo)
    done = run_installed(shanxi_exe, "metric", "jobs", "--facts", str(fifo))
    assert_one_line_store_error(
        done.returncode,
        done.stdout,
        done.stderr,
        f"fact store {fifo} is a FIFO, not a regular file",
    )


def test_a_symlink_swapped_after_the_look_is_still_held_to_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shanxi_cli.store import json_store as store

    small, big, link = tmp_path / "small.json", tmp_path / "big.json", tmp_path / "facts.json"
    small.write_text("{}", encoding="utf-8")
    shutil.copy(MINI_STORE, big)
    link.symlink_to(big)
    real_stat = os.stat

    def stat_sees_the_small_file(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        # Every look by name sees the small file, and every read the big one: the link
        # swapped back and forth by a hostile writer, always at the worst moment.
        return real_stat(small if str(path) == str(link) else path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat_sees_the_small_file)
    monkeypatch.setattr(store, "MAX_STORE_BYTES", 1024)
    result = run("town", "Taigu", "--facts", str(link))
    size = big.stat().st_size
    assert_one_line_store_error(
        result.exit_code,
        result.stdout,
        result.stderr,
        f"fact store {link} is {size:,} bytes; the limit is 1,024"
        " ($SHANXI_MAX_STORE_BYTES raises it)\n",
    )


@pytest.mark.skipif(not PROC_STATUS.is_file(), reason="needs Linux's /proc")
def test_the_limit_holds_for_a_file_whose_size_says_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from shanxi_cli.store import json_store as store

    assert PROC_STATUS.stat().st_size == 0  # a /proc file: its size is 0, its text is not
    monkeypatch.setattr(store, "MAX_STORE_BYTES", 16)
    result = run("town", "Taigu", "--facts", str(PROC_STATUS))
    assert_one_line_store_error(
        result.exit_code,
        result.stdout,
        result.stderr,
        f"fact store {PROC_STATUS} is more than 16 bytes; the limit is 16"
        " ($SHANXI_MAX_STORE_BYTES raises it)\n",
    )


# --- 2. the article a store names: inside its folder, a regular file, bounded ---


def store_citing(tmp_path: Path, article: str) -> Path:
    """The mini store, in a folder of its own with its article, citing `article`."""
    folder = tmp_path / "store"
    shutil.copytree(FIXTURES / "seeds", folder / "seeds")
    data = json.loads(MINI_STORE.read_text(encoding="utf-8"))
    data["documents"][0]["file"] = article
    path = folder / "facts.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


ARTICLE_COMMANDS = [("verify",), ("source", "xinghuacun.jobs")]


@pytest.mark.parametrize("command", ARTICLE_COMMANDS)
def test_the_store_may_cite_its_article_through_a_symlink_inside_its_folder(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    path = store_citing(tmp_path, "article.txt")
    (path.parent / "article.txt").symlink_to(Path("seeds") / "mini.txt")
    assert run(*command, "--facts", str(path)).exit_code == 0


@pytest.mark.parametrize("command", ARTICLE_COMMANDS)
@pytest.mark.parametrize(
    ("article", "problem"),
    [
        ("/etc/passwd", "must be a path relative to the fact store's folder"),
        ("../../../../../../../../etc/passwd", "is outside the fact store's folder"),
        ("seeds/../../../../../../../../etc/passwd", "is outside the fact store's folder"),
        ("seeds/../..", "is outside the fact store's folder"),
        ("seeds/..", "is a directory, not a file"),
        ("seeds", "is a directory, not a file"),
        ("seeds/absent.txt", "not found"),
        ("seeds/mini.txt\x00.png", "is not a usable file name"),
    ],
)
def test_an_article_path_that_leaves_the_store_is_refused(
    tmp_path: Path, command: tuple[str, ...], article: str, problem: str
) -> None:
    path = store_citing(tmp_path, article)
    result = run(*command, "--facts", str(path))
    assert_one_line_store_error(
        result.exit_code, result.stdout, result.stderr, "error: documents[0].file ", problem
    )
    assert "root:" not in result.stderr


@pytest.mark.parametrize("command", ARTICLE_COMMANDS)
@pytest.mark.parametrize("target", ["/etc/passwd", "../../outside.txt"])
def test_a_symlink_out_of_the_folder_is_refused(
    tmp_path: Path, command: tuple[str, ...], target: str
) -> None:
    (tmp_path / "outside.txt").write_text("Xinghuacun is home to 485 businesses", encoding="utf-8")
    path = store_citing(tmp_path, "seeds/article.txt")
    (path.parent / "seeds" / "article.txt").symlink_to(target)
    result = run(*command, "--facts", str(path))
    assert_one_line_store_error(
        result.exit_code,
        result.stdout,
        result.stderr,
        "error: documents[0].file 'seeds/article.txt' is outside the fact store's folder",
    )


@pytest.mark.skipif(not PROC_STATUS.is_file(), reason="needs Linux's /proc")
def test_a_folder_swapped_for_a_symlink_after_the_path_was_resolved_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "elsewhere").mkdir()
    shutil.copy(FIXTURES / "seeds" / "mini.txt", tmp_path / "elsewhere" / "mini.txt")
    path = store_citing(tmp_path, "swapped/mini.txt")
    (path.parent / "swapped").symlink_to(tmp_path / "elsewhere")
    # Resolved while `swapped` was still a folder of the store's own; swapped since.
    monkeypatch.setattr(os.path, "realpath", os.path.abspath)
    result = run("verify", "--facts", str(path))
    assert_one_line_store_error(
        result.exit_code,
        result.stdout,
        result.stderr,
        "error: documents[0].file 'swapped/mini.txt' is outside the fact store's folder\n",
    )


def test_a_device_as_the_article_is_refused(shanxi_exe: str, tmp_path: Path) -> None:
    named = store_citing(tmp_path / "named", "/dev/zero")
    linked = store_citing(tmp_path / "linked", "seeds/article.txt")
    (linked.parent / "seeds" / "article.txt").symlink_to("/dev/zero")
    for path, problem in (
        (named, "'/dev/zero' must be a path relative to the fact store's folder\n"),
        (linked, "'seeds/article.txt' is outside the fact store's folder"),
    ):
        for command in ARTICLE_COMMANDS:
            done = run_installed(shanxi_exe, *command, "--facts", str(path))
            assert_one_line_store_error(
                done.returncode, done.stdout, done.stderr, f"error: documents[0].file {problem}"
            )


def test_a_fifo_as_the_article_is_refused_at_once(shanxi_exe: str, tmp_path: Path) -> None:
    path = store_citing(tmp_path, "seeds/article.fifo")
    os.mkfifo(path.parent / "seeds" / "article.fifo")
    for command in ARTICLE_COMMANDS:
        done = run_installed(shanxi_exe, *command, "--facts", str(path))
        assert_one_line_store_error(
            done.returncode,
            done.stdout,
            done.stderr,
            "error: documents[0].file 'seeds/article.fifo' is a FIFO, not a regular file\n",
        )


@pytest.mark.parametrize("command", ARTICLE_COMMANDS)
def test_an_article_over_the_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]
) -> None:
    from shanxi_cli.store import safe_read

    monkeypatch.setattr(safe_read, "MAX_DOCUMENT_BYTES", 64)
    path = store_citing(tmp_path, "seeds/mini.txt")
    size = (path.parent / "seeds" / "mini.txt").stat().st_size
    result = run(*command, "--facts", str(path))
    assert_one_line_store_error(
        result.exit_code,
        result.stdout,
        result.stderr,
        f"error: documents[0].file 'seeds/mini.txt' is {size:,} bytes; the limit is 64\n",
    )


def test_an_article_that_is_not_utf8_is_refused_by_field(tmp_path: Path) -> None:
    path = store_citing(tmp_path, "seeds/latin1.txt")
    (path.parent / "seeds" / "latin1.txt").write_bytes("Caf\xe9 Xinghuacun".encode("latin-1"))
    result = run("verify", "--facts", str(path))
    assert_one_line_store_error(
        result.exit_code,
        result.stdout,
        result.stderr,
        "error: documents[0].file 'seeds/latin1.txt' is not UTF-8 (byte 3)\n",
    )


def test_a_long_article_name_is_cut_short_in_the_message(tmp_path: Path) -> None:
    path = store_citing(tmp_path, "/" + "x" * 5000)
    result = run("verify", "--facts", str(path))
    assert_one_line_store_error(result.exit_code, result.stdout, result.stderr, "x...'")
    assert len(result.stderr) < 300


# --- 3. an unreadable store is a store error whichever way it was named ---


def deny_reading(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """Make the path unreadable as mode 000 makes it to anyone but root (the tests' user)."""
    real_access, real_open = os.access, os.open

    def access(file: Any, mode: int, *args: Any, **kwargs: Any) -> bool:
        return False if str(file) == str(path) else real_access(file, mode, *args, **kwargs)

    def open_(file: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, flags, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)
    monkeypatch.setattr(os, "open", open_)


@pytest.mark.parametrize("through", ["--facts", "SHANXI_FACTS"])
def test_an_unreadable_store_exits_4_both_ways(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, through: str
) -> None:
    path = tmp_path / "facts.json"
    shutil.copy(MINI_STORE, path)
    deny_reading(monkeypatch, path)
    if through == "--facts":
        result = run("town", "Taigu", "--facts", str(path))
    else:
        result = run("town", "Taigu", env={"SHANXI_FACTS": str(path)})
    assert_one_line_store_error(
        result.exit_code,
        result.stdout,
        result.stderr,
        f"shanxi: error: fact store {path} cannot be read: permission denied\n",
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file of mode 000")
@pytest.mark.parametrize("through", ["--facts", "SHANXI_FACTS"])
def test_a_store_of_mode_000_exits_4_both_ways(
    shanxi_exe: str, tmp_path: Path, through: str
) -> None:
    path = tmp_path / "facts.json"
    shutil.copy(MINI_STORE, path)
    path.chmod(0)
    args = ["town", "Taigu", "--facts", str(path)] if through == "--facts" else ["town", "Taigu"]
    env = {**os.environ, "SHANXI_FACTS": str(path)}
    done = subprocess.run([shanxi_exe, *args], capture_output=True, text=True, env=env, timeout=30)
    assert_one_line_store_error(done.returncode, done.stdout, done.stderr, "permission denied")


def test_an_empty_facts_option_is_a_usage_error() -> None:
    result = run("town", "Taigu", "--facts", "")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Invalid value for '--facts': must name a file" in result.stderr


def test_an_empty_environment_variable_means_the_bundled_store() -> None:
    bundled = run("town", "Taigu", "--json")
    assert run("town", "Taigu", "--json", env={"SHANXI_FACTS": ""}).stdout == bundled.stdout
    assert json.loads(bundled.stdout)["id"] == "taigu"
