"""`ask`: a reader's question, in any words, answered with ranked facts and fields."""

from typing import TYPE_CHECKING, Annotated

import typer

from shanxi_cli.cli.app import app, running
from shanxi_cli.cli.options import FactsOption, FormatOption, JsonOption, OutputFormat, QuotesOption
from shanxi_cli.errors import ExitCode, NotFound

if TYPE_CHECKING:
    from shanxi_cli.answer.ask import Asked
    from shanxi_cli.answer.ask_tables import AskTables
    from shanxi_cli.output.emit import Environment
    from shanxi_cli.store.interface import Store

DEFAULT_ANSWERS = 5
# What the shape of a question asks for, as the reading note says it.
ASKS_FOR = {
    "who": "a person",
    "said": "who said it",
    "when": "a date",
    "where": "a place",
    "how_many": "a figure",
    "how_long": "a length of time",
    "most": "the largest",
    "status": "a target or expectation",
    "money": "a sum of money",
    "makes": "what it makes or is known for",
}

QuestionArgument = Annotated[
    list[str],
    typer.Argument(
        metavar="QUESTION",
        help="A question in your own words, quoted or not: how many jobs in Xinghuacun",
        show_default=False,
    ),
]
AnswersOption = Annotated[
    int, typer.Option("--limit", min=1, help="At most this many answers, best first.")
]


@app.command(short_help="Answer a question in your own words, best answer first.")
def ask(
    ctx: typer.Context,
    question: QuestionArgument,
    limit: AnswersOption = DEFAULT_ANSWERS,
    facts: FactsOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = OutputFormat.auto,
    quotes: QuotesOption = False,
) -> None:
    """Answer a question in your own words: facts, roles, places and what a place or
    company is known for, ranked, best first, each with its verbatim quote.

    stderr says how the question was read. When no answer is good enough, the nearest
    are printed and the exit code is 1 ("no confident answer").

    \b
    Examples:
      shanxi ask how many jobs did Xinghuacun create
      shanxi ask "who is the head of the Yuncheng customs house?"
      shanxi ask yuncheng farm exports in dollars --json
    """
    from shanxi_cli.answer.ask import ask as answer_question
    from shanxi_cli.answer.lookup import check_query
    from shanxi_cli.output.answer_views import AnswersView, answer_docs

    with running(ctx, facts, fmt, as_json) as run:
        text = check_query(" ".join(question), "QUESTION")
        asked = answer_question(_tables(run.store), text)
        if not asked.answers and not asked.content:
            raise NotFound(f"{text[:60]!r} names nothing to ask about: add a name or a subject")
        if not asked.answers:
            raise NotFound(f"nothing in the article has any word of {text[:60]!r}")
        _explain(run.env, asked, text)
        run.show(
            AnswersView(
                answer_docs(run.store, asked, limit), quotes=quotes, confident=asked.confident
            )
        )
        if asked.doubt:
            why = _why(asked)
            run.env.say(f"no confident answer to {text[:60]!r}: {why}; the nearest are shown")
            raise typer.Exit(ExitCode.NOT_FOUND)


# The last store's tables, kept for the process: a batch asks many questions of one store.
_LAST_TABLES: list["AskTables"] = []


def _tables(store: "Store") -> "AskTables":
    """The store's tables, built once per store."""
    from shanxi_cli.answer.ask_tables import tables_for
    from shanxi_cli.answer.meaning import shared_meanings

    if not _LAST_TABLES or _LAST_TABLES[0].store is not store:
        _LAST_TABLES[:] = [tables_for(store, shared_meanings())]
    return _LAST_TABLES[0]


def _why(asked: "Asked") -> str:
    """Why the best answer is not one to stand behind, as stderr says it."""
    from shanxi_cli.answer.ask_confidence import (
        CLOSE,
        FAR,
        NUMBER,
        OTHER_KIND,
        SPEAKER,
        TYPED_SHAPES,
    )

    if asked.doubt == CLOSE:
        return "the first answers match it about equally"
    if asked.doubt == OTHER_KIND:
        kinds = " or ".join(ASKS_FOR[shape] for shape in sorted(asked.shape.asks & TYPED_SHAPES))
        return f"it asks for {kinds} and the best answer is not"
    if asked.doubt == NUMBER:
        return f"the best answer does not say {', '.join(asked.doubt_words)}"
    if asked.doubt == SPEAKER:
        return f"the best answer is one {asked.doubt_words[0]} gave, not one about them"
    if asked.doubt == FAR:
        return f"nothing in the article is about {', '.join(map(repr, asked.doubt_words))}"
    return "no answer matches enough of it"


def _explain(env: "Environment", asked: "Asked", text: str) -> None:
    """Say how the question was read: what it asks for, typos read, words found nowhere."""
    for reading in asked.readings:
        env.say(f"note: read {reading.typed!r} as {reading.read_as!r}")
    wants = [ASKS_FOR[shape] for shape in sorted(asked.shape.asks)]
    if asked.shape.dollars:
        wants.append("US dollars")
    if wants:
        env.say(f"note: {text[:60]!r} read as asking for {', '.join(wants)}")
    if asked.unmatched:
        words = ", ".join(repr(word) for word in asked.unmatched)
        env.say(f"note: {words} found nowhere in the article; answers matched the other words")
    if asked.ordered_by_value:
        env.say("note: the facts of the best answer's metric are shown largest first")
