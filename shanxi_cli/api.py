"""shanxi from Python: the commands' JSON documents, typed, with no process per call.

Each function answers as its command does with --json, and returns the same document
as the TypedDicts of the JSON contract (output/contract.py):

    >>> from shanxi_cli import api
    >>> api.town("xinghuacun")["name"]
    'Xinghuacun'

A name or question that finds nothing, an ambiguous name or a bad argument raises the
error the command would end with (NotFound, Ambiguous, ShanxiError, StoreError), its
message the command's and its `exit_code` the command's exit code. `request` answers
any command line, those of commands added later included, with its exit code, document
and notes, as `shanxi batch` does for each line of its input.

The store (the bundled one, $SHANXI_FACTS, or `facts=`) and the tables built from it
are read on the first call and kept for the process: later calls cost their own work
only, and a store changed on disk meanwhile is not read again. One call at a time: while
a call runs, sys.stdout and sys.stderr are the call's own.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from os import PathLike
from typing import Any, Literal, NamedTuple, TypeAlias, cast, overload

from shanxi_cli.cli.session import Outcome, Session
from shanxi_cli.errors import (
    Ambiguous,
    ExitCode,
    NotFound,
    ShanxiError,
    StoreError,
)
from shanxi_cli.output.contract import (
    AnswerDoc,
    EntityDoc,
    FactDoc,
    ListedEntityDoc,
    MetricDoc,
    SearchHitDoc,
    SourceDoc,
    VerifyDoc,
)

__all__ = [
    "Ambiguous",
    "AnswerDoc",
    "Answers",
    "EntityDoc",
    "FactDoc",
    "ListedEntityDoc",
    "MetricDoc",
    "NotFound",
    "Outcome",
    "SearchHitDoc",
    "Session",
    "ShanxiError",
    "SourceDoc",
    "StoreError",
    "VerifyDoc",
    "ask",
    "company",
    "listing",
    "metric",
    "metrics",
    "person",
    "request",
    "search",
    "session",
    "source",
    "town",
    "verify",
]

StorePath: TypeAlias = "str | PathLike[str] | None"
ERRORS: dict[int, type[ShanxiError]] = {
    ExitCode.NOT_FOUND: NotFound,
    ExitCode.USAGE: ShanxiError,
    ExitCode.AMBIGUOUS: Ambiguous,
    ExitCode.STORE: StoreError,
}


def session(facts: StorePath = None, no_cache: bool = False) -> Session:
    """The session of a store, made once per store and --no-cache for the process."""
    return _session(None if facts is None else str(facts), no_cache)


@cache
def _session(facts: str | None, no_cache: bool) -> Session:
    return Session(facts, no_cache)


def request(
    line: str | Sequence[str], *, facts: StorePath = None, no_cache: bool = False
) -> Outcome:
    """Any request, as a line after `shanxi` ("metric jobs --limit 2") or as its words.

    Never raises for what the command reports: the Outcome holds its exit code, its
    document (None when it prints none) and its lines on stderr.
    """
    chosen = session(facts, no_cache)
    return chosen.answer_line(line) if isinstance(line, str) else chosen.answer(line)


def town(name: str, *, facts: StorePath = None, no_cache: bool = False) -> EntityDoc:
    """A place: `shanxi town NAME --json`."""
    return cast(EntityDoc, _document("town", name, [], facts, no_cache))


def company(name: str, *, facts: StorePath = None, no_cache: bool = False) -> EntityDoc:
    """A company or organisation: `shanxi company NAME --json`."""
    return cast(EntityDoc, _document("company", name, [], facts, no_cache))


def person(name: str, *, facts: StorePath = None, no_cache: bool = False) -> EntityDoc:
    """A person: `shanxi person NAME --json`."""
    return cast(EntityDoc, _document("person", name, [], facts, no_cache))


@overload
def listing(
    what: Literal["towns", "companies", "people"],
    *,
    facts: StorePath = None,
    no_cache: bool = False,
) -> list[ListedEntityDoc]: ...
@overload
def listing(
    what: Literal["metrics"], *, facts: StorePath = None, no_cache: bool = False
) -> list[MetricDoc]: ...
def listing(
    what: str, *, facts: StorePath = None, no_cache: bool = False
) -> list[ListedEntityDoc] | list[MetricDoc]:
    """Every town, company, person or metric: `shanxi list WHAT --json`."""
    found = _document("list", what, [], facts, no_cache)
    return cast("list[ListedEntityDoc] | list[MetricDoc]", found)


def metrics(*, facts: StorePath = None, no_cache: bool = False) -> list[MetricDoc]:
    """The metrics and how many facts each has: `shanxi metric --json`."""
    return cast("list[MetricDoc]", _document("metric", None, [], facts, no_cache))


def metric(
    question: str,
    *,
    town: str | None = None,
    company: str | None = None,
    minimum: float | None = None,
    maximum: float | None = None,
    period: str | None = None,
    status: str | None = None,
    sort: str | None = None,
    limit: int | None = None,
    facts: StorePath = None,
    no_cache: bool = False,
) -> list[FactDoc]:
    """The facts that answer a question: `shanxi metric QUESTION [options] --json`.

    Filters that leave nothing return [] (the command's note says so: see `request`).
    """
    given = {
        "--town": town,
        "--company": company,
        "--min": minimum,
        "--max": maximum,
        "--period": period,
        "--status": status,
        "--sort": sort,
        "--limit": limit,
    }
    options: list[str] = []
    for option, value in given.items():
        if value is not None:
            options += [option, repr(value) if isinstance(value, float) else str(value)]
    return cast("list[FactDoc]", _document("metric", question, options, facts, no_cache))


def search(
    words: str, *, limit: int = 20, facts: StorePath = None, no_cache: bool = False
) -> list[SearchHitDoc]:
    """Names, metrics, claims and quotes holding the words, ranked: `shanxi search WORDS`."""
    found = _document("search", words, ["--limit", str(limit)], facts, no_cache)
    return cast("list[SearchHitDoc]", found)


class Answers(NamedTuple):
    """What `ask` answers: the answers best first, whether it stands behind the first
    (the command's exit 0; exit 1 prints the nearest all the same), and its notes."""

    answers: list[AnswerDoc]
    confident: bool
    messages: list[str]


def ask(
    question: str, *, limit: int = 5, facts: StorePath = None, no_cache: bool = False
) -> Answers:
    """A question in a reader's words: `shanxi ask QUESTION --json`.

    Not confident is not an error: `confident` is False and `answers` holds the nearest.
    A question that shares no word with the store raises NotFound, as the command exits 1
    with no document.
    """
    words = ["ask", "--limit", str(limit), "--", question]
    outcome = session(facts, no_cache).answer(words)
    found = cast("list[AnswerDoc]", _document_of(outcome, "ask"))
    return Answers(found, outcome.exit_code == ExitCode.OK, list(outcome.messages))


def source(fact_id: str, *, facts: StorePath = None, no_cache: bool = False) -> SourceDoc:
    """Where a fact comes from: `shanxi source FACT_ID --json`."""
    return cast(SourceDoc, _document("source", fact_id, [], facts, no_cache))


def verify(*, facts: StorePath = None, no_cache: bool = False) -> VerifyDoc:
    """The store checked against its article: `shanxi verify --json`.

    A store with provenance problems is not an error here: its document lists them (the
    command exits 4 with the same document).
    """
    return cast(VerifyDoc, _document("verify", None, [], facts, no_cache))


def _document(
    command: str, query: str | None, options: list[str], facts: StorePath, no_cache: bool
) -> Any:
    """The command's document; when it prints none, the error it ended with, raised."""
    # After "--", a query is the argument even if it starts with "-", as on a command line.
    words = [command, *options, *(["--", query] if query is not None else [])]
    return _document_of(session(facts, no_cache).answer(words), command)


def _document_of(outcome: Outcome, command: str) -> Any:
    if outcome.document is not None:
        return outcome.document
    errors = [m.removeprefix("error: ") for m in outcome.messages if m.startswith("error: ")]
    message = errors[-1] if errors else f"{command} ended with exit code {outcome.exit_code}"
    error = ERRORS.get(outcome.exit_code, ShanxiError)(message)
    if outcome.exit_code in ExitCode.__members__.values():
        error.exit_code = ExitCode(outcome.exit_code)
    raise error
