"""The sentences the command line writes about a query, and the commands they suggest.

Query code (answer/) returns data: how it read the words, what matched, what is near.
The words are built here: the notes on stderr (`note: ... read as ...`), the hint an
error ends with ("try: shanxi company ..."), the error when no fact answers a question,
and the command that shows each search hit (the `command` column of `search`).
"""

import shlex
from typing import TYPE_CHECKING, Any

from shanxi_cli.answer.lookup import listing
from shanxi_cli.errors import Ambiguous, NotFound, WrongCategory
from shanxi_cli.output.emit import Environment
from shanxi_cli.store.figures import display_value

if TYPE_CHECKING:
    from shanxi_cli.answer.question import Answer

COMMAND_FOR_CATEGORY = {"place": "town", "organisation": "company", "person": "person"}


def show_command(kind: str, item_id: str) -> str:
    """The command that shows a search hit; ids round-trip, so the id is the argument."""
    command = {"metric": "metric", "fact": "source", **COMMAND_FOR_CATEGORY}[kind]
    return f"shanxi {command} {shlex.quote(item_id)}"


def with_hint(error: Exception, message: str) -> str:
    """The error's message, with the command to try when the name is another kind's."""
    if isinstance(error, WrongCategory):
        other: Any = error.elsewhere
        command = COMMAND_FOR_CATEGORY[other.category]
        message += f"; try: shanxi {command} {shlex.quote(other.name)}"
    return message


def note_match(env: Environment, match: Any, what: str) -> None:
    """Say which entry a query resolved to when it was not the exact name or id."""
    if match.method != "exact":
        env.say(f"note: {match.query!r} matched {what} ({match.method}, score {match.score:.0f})")


def explain_answer(env: Environment, answered: "Answer", query_text: str) -> None:
    """Say how a metric question was read; raise when the words themselves answer nothing."""
    if answered.ambiguous is not None:
        candidates = answered.ambiguous.match.candidates
        listed = listing(f"{c.item.name} ({c.item.kind})" for c in candidates)
        raise Ambiguous(f"{answered.ambiguous.words!r} could be several: {listed}; say which")
    for reading in answered.readings:
        env.say(f"note: read {reading.typed!r} as {reading.read_as!r}")
    for subject in answered.subjects:
        item = subject.match.item
        if item is not None:
            note_match(env, subject.match, f"{item.name} ({item.kind})")
    # Said unless the words are just one metric's id, name or alias: a synonym, a plural
    # or a typo is a reading the user should see.
    named = {text.casefold() for m in answered.metrics for text in (m.id, m.name, *m.aliases)}
    if not answered.by_id and (
        answered.subjects
        or answered.narrowing
        or len(answered.metrics) != 1
        or " ".join(query_text.casefold().split()) not in named
    ):
        parts = [", ".join(m.name for m in answered.metrics) or "any metric"]
        names = [s.match.item.name for s in answered.subjects if s.match.item is not None]
        if names:
            parts.append("about " + " or ".join(names))
        if answered.narrowing:
            parts.append("with " + " ".join(repr(word) for word in answered.narrowing))
        env.say(f"note: {query_text!r} read as {'; '.join(parts)}")
    for entity in answered.widened:
        env.say(
            f"note: no such facts about {entity.name} itself; showing facts that concern it"
            " (about what lies within it, or naming it)"
        )


def no_answer(answered: "Answer", query_text: str) -> NotFound:
    """Why no fact answers the words, the nearest answers, and the search to run instead."""
    why = ""
    if answered.unmatched:
        why = f": {', '.join(repr(word) for word in answered.unmatched)} matched nothing"
    elif not (answered.metrics or answered.subjects or answered.narrowing):
        why = ": it names no metric, place, company or word of any fact"
    nearest = "; ".join(f"{f.id} ({display_value(f)})" for f in answered.nearest[:3])
    hint = f"; nearest: {nearest}" if nearest else ""
    return NotFound(
        f"no fact answers {query_text[:60]!r}{why}{hint};"
        f" try: shanxi search {shlex.quote(query_text[:60])}"
    )
