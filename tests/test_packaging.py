"""The wheel carries the store and the article, and a plain install answers from any folder."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEED = "seeds/000_66a258308dcbbee7.txt"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("shanxi-*.whl")
    return built


def test_wheel_holds_the_store_and_the_article_byte_for_byte(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert "shanxi_cli/data/facts.json" in names
        assert f"shanxi_cli/data/{SEED}" in names
        assert archive.read("shanxi_cli/data/facts.json") == (REPO / "facts.json").read_bytes()
        assert archive.read(f"shanxi_cli/data/{SEED}") == (REPO / SEED).read_bytes()
        entry_points = archive.read(next(n for n in names if n.endswith("entry_points.txt")))
        assert b"shanxi = shanxi_cli:main" in entry_points


def run_unpacked(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """shanxi from an unpacked wheel, run in another folder with nothing else on the path."""
    return subprocess.run(
        [sys.executable, "-m", "shanxi_cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
        timeout=60,
    )


def test_unpacked_wheel_answers_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run_unpacked(site, elsewhere, "town", "Xinghuacun", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["id"] == "xinghuacun"
    probe = "from shanxi_cli.store.json_store import bundled_store_path as p; print(p())"
    where = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env={"PYTHONPATH": str(site)},
        timeout=60,
    ).stdout.strip()
    assert where == str(site / "shanxi_cli" / "data" / "facts.json")


def test_unpacked_wheel_answers_a_question_with_the_shipped_meaning_table(
    wheel: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        assert (
            archive.read("shanxi_cli/answer/meaning.sqlite")
            == (REPO / "shanxi_cli" / "answer" / "meaning.sqlite").read_bytes()
        )
        archive.extractall(site)
    result = run_unpacked(site, tmp_path, "ask", "who", "runs", "Yinsheng", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["entity"]["id"] == "bai-feng"
