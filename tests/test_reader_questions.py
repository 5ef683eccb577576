"""The corpus written from the article alone stays what it was: split, verbatim, untouched."""

import json
from pathlib import Path

import pytest

HERE = Path(__file__).parent / "reader_questions"
ARTICLE = (Path(__file__).parent.parent / "seeds" / "000_66a258308dcbbee7.txt").read_text("utf-8")


@pytest.mark.parametrize("half", ["tune", "held_back"])
def test_every_answer_span_is_verbatim_in_the_article(half: str) -> None:
    questions = json.loads((HERE / f"{half}.json").read_text("utf-8"))
    assert questions
    assert [q["q"] for q in questions if q["span"] not in ARTICLE] == []


def test_the_halves_share_no_question_and_hold_all_170() -> None:
    tune = [q["q"] for q in json.loads((HERE / "tune.json").read_text("utf-8"))]
    held = [q["q"] for q in json.loads((HERE / "held_back.json").read_text("utf-8"))]
    assert not set(tune) & set(held)  # both readers asked two questions alike: one half has both
    assert len(tune) + len(held) == 170
