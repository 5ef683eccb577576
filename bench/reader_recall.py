"""How often `ask`, `metric` and `search` answer the readers' questions right.

Usage: python bench/reader_recall.py HALF [HALF ...] [--commands ask,metric,search] [--misses]

HALF is `tune` or `held_back` (tests/reader_questions/) or a path to a JSON list of the
same items. For each question the command's answers, in its own order, are judged
against the reader's `span`: an answer is right when its quote and the span overlap (one
holds the other, or they share a run of at least RUN_SHARE of the shorter). Reported per
half and command: recall at 1 and at 3, and the confident wrong answers (the first answer
wrong, exit 0); for sentences alone too. `metric` answers with the facts in its order;
`search` with its hits (an entity hit's quote is the entity's own). Everything runs in
this process through the same functions the commands call.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from difflib import SequenceMatcher
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported by name only: the script also measures older commits
    from shanxi_cli.store.interface import Store

QUESTIONS = Path(__file__).resolve().parent.parent / "tests" / "reader_questions"
RUN_SHARE = 0.6


def _plain(text: str) -> str:
    text = text.replace("\\$", "$").replace("\u2019", "'").replace("\u201c", '"')
    return " ".join(text.replace("\u201d", '"').split()).lower()


def is_right(quote: str, span: str) -> bool:
    """Whether an answer whose quote is `quote` states the reader's `span`."""
    q, s = _plain(quote), _plain(span)
    if s in q or q in s:
        return True
    run = SequenceMatcher(None, q, s, autojunk=False).find_longest_match(0, len(q), 0, len(s))
    return run.size >= RUN_SHARE * min(len(s), len(q))


Answerer = Callable[[str], tuple[list[str], bool]]  # question -> quotes best first, exit 0


def ask_answers(store: Store) -> Answerer:
    from shanxi_cli.answer.ask import ask
    from shanxi_cli.answer.ask_tables import MemoryTables
    from shanxi_cli.answer.meaning import shared_meanings

    tables = MemoryTables(store, shared_meanings())

    def answer(question: str) -> tuple[list[str], bool]:
        asked = ask(tables, question)
        return [r.candidate.quote for r in asked.answers], asked.confident

    return answer


def metric_answers(store: Store) -> Answerer:
    from shanxi_cli.answer.question import answer as read_question
    from shanxi_cli.errors import ShanxiError

    def answer(question: str) -> tuple[list[str], bool]:
        try:
            answered = read_question(store, question)
        except ShanxiError:
            return [], False
        return [fact.quote for fact in answered.facts], bool(answered.facts)

    return answer


def search_answers(store: Store) -> Answerer:
    from shanxi_cli.answer.search import search
    from shanxi_cli.errors import ShanxiError

    def quote_of(kind: str, item_id: str) -> str:
        if kind == "fact":
            return store.facts[item_id].quote
        if kind == "metric":
            return ""
        return store.entities[item_id].quote

    def answer(question: str) -> tuple[list[str], bool]:
        try:
            found = search(store, question, limit=3)
        except ShanxiError:
            return [], False
        return [quote_of(hit.kind, hit.id) for hit in found.hits], bool(found.hits)

    return answer


COMMANDS = {"ask": ask_answers, "metric": metric_answers, "search": search_answers}


def measure(questions: list[dict[str, str]], answer: Answerer, misses: bool) -> dict[str, int]:
    counts = dict.fromkeys(("n", "first", "first_three", "confident_wrong"), 0)
    sentences = dict.fromkeys(("n", "first", "first_three", "confident_wrong"), 0)
    for question in questions:
        quotes, confident = answer(question["q"])
        right = [is_right(quote, question["span"]) for quote in quotes[:3]]
        first = bool(right) and right[0]
        for tally in (counts, sentences) if question["form"] == "sentence" else (counts,):
            tally["n"] += 1
            tally["first"] += first
            tally["first_three"] += any(right)
            tally["confident_wrong"] += confident and not first
        if misses and not first:
            label = "confident wrong" if confident else "miss"
            print(f"  {label}: {question['q']!r} (want {question['span'][:50]!r})")
    return {**counts, **{f"sentences_{key}": value for key, value in sentences.items()}}


def main() -> None:
    from shanxi_cli.store.json_store import bundled_store_path, load_store

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("halves", nargs="+")
    parser.add_argument("--commands", default="ask,metric,search")
    parser.add_argument("--misses", action="store_true")
    options = parser.parse_args()
    store = load_store(bundled_store_path())
    print(
        "| half | command | n | right first | in first 3 | confident wrong |"
        " sentences: n, first, first 3, confident wrong |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | --- |")
    for half in options.halves:
        path = QUESTIONS / f"{half}.json" if not half.endswith(".json") else Path(half)
        questions = json.loads(path.read_text("utf-8"))
        for command in options.commands.split(","):
            found = measure(questions, COMMANDS[command](store), options.misses)
            n = found["n"]
            print(
                f"| {path.stem} | {command} | {n} | {found['first'] / n:.0%} |"
                f" {found['first_three'] / n:.0%} | {found['confident_wrong'] / n:.0%} |"
                f" {found['sentences_n']}, {found['sentences_first']},"
                f" {found['sentences_first_three']}, {found['sentences_confident_wrong']} |"
            )


if __name__ == "__main__":
    main()
