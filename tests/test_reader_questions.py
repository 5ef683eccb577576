"""The corpus written from the article alone stays what it was: split, verbatim, untouched."""

import json
from pathlib import Path

import pytest

from bench.reader_recall import ask_answers, is_right, measure
from shanxi_cli.store.json_store import bundled_store_path, load_store

HERE = Path(__file__).parent / "reader_questions"
ARTICLE = (Path(__file__).parent.parent / "seeds" / "000_66a258308dcbbee7.txt").read_text("utf-8")


@pytest.mark.parametrize(
    "half",
    [
        "tune",
        "held_back",
        "tune_2",
        "held_back_2",
        "tune_3",
        "held_back_3",
        "tune_4",
        "held_back_4",
    ],
)
def test_every_answer_span_is_verbatim_in_the_article(half: str) -> None:
    questions = json.loads((HERE / f"{half}.json").read_text("utf-8"))
    assert questions
    assert [q["q"] for q in questions if q["span"] not in ARTICLE] == []


def test_the_halves_share_no_question_and_hold_all_170() -> None:
    tune = [q["q"] for q in json.loads((HERE / "tune.json").read_text("utf-8"))]
    held = [q["q"] for q in json.loads((HERE / "held_back.json").read_text("utf-8"))]
    assert not set(tune) & set(held)  # both readers asked two questions alike: one half has both
    assert len(tune) + len(held) == 170


def test_the_second_corpus_halves_share_no_question_and_hold_all_120() -> None:
    tune = [q["q"] for q in json.loads((HERE / "tune_2.json").read_text("utf-8"))]
    held = [q["q"] for q in json.loads((HERE / "held_back_2.json").read_text("utf-8"))]
    # Both readers typed two questions alike, and each reader's questions were split
    # apart: those two are in both halves (README, "ask").
    assert set(tune) & set(held) == {
        "bitter buckwheat geographical indication year",
        "Who is Liu Fubin?",
    }
    assert len(tune) + len(held) == 120


def test_the_third_corpus_halves_share_no_question_and_hold_all_120() -> None:
    tune = [q["q"] for q in json.loads((HERE / "tune_3.json").read_text("utf-8"))]
    held = [q["q"] for q in json.loads((HERE / "held_back_3.json").read_text("utf-8"))]
    # Questions the two readers typed alike went to the tune half together.
    assert not {q.lower() for q in tune} & {q.lower() for q in held}
    assert len(tune) + len(held) == 120


def test_the_fourth_corpus_halves_share_no_question_and_hold_all_120() -> None:
    tune = [q["q"] for q in json.loads((HERE / "tune_4.json").read_text("utf-8"))]
    held = [q["q"] for q in json.loads((HERE / "held_back_4.json").read_text("utf-8"))]
    assert not {q.lower() for q in tune} & {q.lower() for q in held}
    assert len(tune) + len(held) == 120


# How `ask` does on each half (bench/reader_recall.py measures and judges): the share of
# questions whose first answer, or one of the first three, is right, and the share
# answered wrongly with exit 0. The floors are the measured figures (README, "ask"),
# rounded down (wrong answers: up); each held-back half was measured once, after
# tuning ended.
FLOORS = {
    "tune": {"first": 0.96, "first_three": 1.0, "confident_wrong": 0.0},  # 80, 83, 0 of 83
    # Each held-back half below the newest was looked at once at the end of its round,
    # and has been a seen half since.
    "held_back": {"first": 0.96, "first_three": 0.97, "confident_wrong": 0.0},  # 84, 85, 0 of 87
    "tune_2": {"first": 0.96, "first_three": 1.0, "confident_wrong": 0.017},  # 59, 61, 1 of 61
    "held_back_2": {"first": 0.94, "first_three": 1.0, "confident_wrong": 0.017},  # 56, 59, 1
    "tune_3": {"first": 1.0, "first_three": 1.0, "confident_wrong": 0.0},  # 64, 64, 0 of 64
    "held_back_3": {"first": 0.96, "first_three": 1.0, "confident_wrong": 0.018},  # 54, 56, 1
    "tune_4": {"first": 0.95, "first_three": 1.0, "confident_wrong": 0.0},  # 57, 60, 0 of 60
    "held_back_4": {"first": 1.0, "first_three": 1.0, "confident_wrong": 0.0},  # 60, 60, 0
}


def test_the_judge_tells_a_right_quote_from_a_wrong_one() -> None:
    assert is_right("It has created more than 50,000 jobs.", "more than 50,000 jobs")
    assert not is_right("Output reached 20.15 billion yuan.", "more than 50,000 jobs")


@pytest.mark.parametrize("half", sorted(FLOORS))
def test_ask_answers_the_readers_questions(half: str) -> None:
    questions = json.loads((HERE / f"{half}.json").read_text("utf-8"))
    found = measure(questions, ask_answers(load_store(bundled_store_path())), misses=False)
    n, floor = found["n"], FLOORS[half]
    assert found["first"] / n >= floor["first"], found
    assert found["first_three"] / n >= floor["first_three"], found
    assert found["confident_wrong"] / n <= floor["confident_wrong"], found
