"""Views drawn for a terminal with Rich. Imported only when a table is drawn.

No word is ever cut. A table is drawn only when every column of words gets at least a
readable width (VALUE_WIDTH for values, and never less than its longest word); the widths
are worked out here, not by Rich, so that none falls below that. An id or a command is
never broken: it stays a column when it fits whole, else it goes on a dim line of its own
under its row, so a long id never sets a column's width. Below all that, the same records
are stacked, one block each, "label value", as `gh` and `kubectl describe` do. Untrusted
text reaches Rich only as `Text` (never parsed as markup) after `visible`.
"""

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from shanxi_cli.output.answer_views import AnswersView
from shanxi_cli.output.contract import FactDoc
from shanxi_cli.output.fact_text import (
    INFERRED_NOTE,
    has_inferred_period,
    period_full,
    period_short,
    plural,
    quoted,
    said_by,
)
from shanxi_cli.output.listing_views import EntityListView, SearchView, VocabularyView
from shanxi_cli.output.report_views import SourceView, VerifyView
from shanxi_cli.output.rich_table import (
    VALUE_WIDTH,
    WORDS_WIDTH,
    Row,
    fitted_table,
    stacked_record,
    whole_line,
)
from shanxi_cli.output.views import EntityView, FactsView, View
from shanxi_cli.text.escape import visible


def renderable(view: View, width: int) -> RenderableType:
    """The view as one Rich renderable for a terminal `width` columns wide."""
    if isinstance(view, EntityView):
        return _entity(view, width)
    if isinstance(view, FactsView):
        parts: list[RenderableType] = []
        for number, (heading, facts) in enumerate(view.sections()):
            parts += [Text()] if number else []
            parts.append(_facts(facts, width, with_subject=True, quotes=view.quotes, title=heading))
        parts += _inferred_note(view.document)
        return Group(*parts)
    if isinstance(view, EntityListView | VocabularyView | SearchView):
        return _rows(view.title, view.columns, view.table_rows(), {"id", "command"}, width)
    if isinstance(view, SourceView):
        return _source(view)
    if isinstance(view, AnswersView):
        return _answers(view)
    if isinstance(view, VerifyView):
        lines = [Text(visible(problem)) for problem in view.document["problems"]]
        return Group(*lines, Text(view.summary(), style="bold"))
    raise TypeError(f"no terminal form for {type(view).__name__}")


ANSWER_STYLES = {"best": "bold", "heading": "dim", "answer": "", "quote": "italic"}


def _answers(view: AnswersView) -> RenderableType:
    """The best answer in bold, then the runners-up; Rich wraps them at spaces."""
    return Group(*(Text(visible(text), style=ANSWER_STYLES[style]) for style, text in view.lines()))


def _inferred_note(facts: Sequence[FactDoc]) -> list[RenderableType]:
    return [Text(), Text(INFERRED_NOTE, style="dim")] if has_inferred_period(facts) else []


# --- facts ---


def _facts(
    facts: Sequence[FactDoc],
    width: int,
    *,
    with_subject: bool,
    quotes: bool,
    title: str,
    with_speaker: bool = True,
) -> RenderableType:
    """Facts in a table, each id on a dim line under its row, the quote under its value."""
    heading = Text(f"{visible(title)} ({plural(len(facts), 'fact')})", style="bold")
    rows = []
    for fact in facts:
        label = Text()
        if with_subject:
            label.append(visible(fact["subject"]["name"]) + "\n", style="bold")
        label.append(visible(fact["metric_name"]))
        rows.append(
            Row(
                [label, _value(fact, quotes, with_speaker), _period(fact), _status(fact)],
                [fact["id"]],
            )
        )
    table = fitted_table(
        heading,
        ["Fact", "Value", "Period", "Status"],
        rows,
        width,
        least=[WORDS_WIDTH, VALUE_WIDTH, WORDS_WIDTH, 0],
        unbroken=frozenset({3}),
    )
    if table is not None:
        return table
    blocks: list[RenderableType] = [heading]
    for fact in facts:
        name = Text(visible(fact["subject"]["name"]) + ": " if with_subject else "")
        name.append(visible(fact["metric_name"]), style="bold")
        fields = [("Value", Text(visible(fact["display"])))]
        if with_speaker and fact["attributed_to"]:
            fields.append(("Said by", Text(visible(said_by(fact)))))
        if fact["period"]:
            fields.append(("Period", _period(fact)))
        fields.append(("Status", _status(fact)))
        if quotes:
            fields.append(("Quote", Text(visible(quoted(fact["quote"])), style="italic dim")))
            if fact["period"] and fact["period"]["reading"]:
                fields.append(("Read as", Text(visible(period_full(fact)), style="dim")))
        blocks.append(stacked_record(name, fields, [fact["id"]]))
    return Group(*blocks)


def _value(fact: FactDoc, quotes: bool, with_speaker: bool) -> Text:
    value = Text(visible(fact["display"]))
    if with_speaker and fact["attributed_to"]:
        value.append(f"\nsaid by {visible(said_by(fact))}", style="italic")
    if quotes:
        value.append(f"\n{visible(quoted(fact['quote']))}", style="italic dim")
        if fact["period"] and fact["period"]["reading"]:
            value.append(f"\nPeriod: {visible(period_full(fact))}", style="dim")
    return value


def _period(fact: FactDoc) -> Text:
    return Text(visible(period_short(fact)))


def _status(fact: FactDoc) -> Text:
    # Forecasts, targets and pledges stand out: they are not achieved figures.
    return Text(fact["status"], style="" if fact["status"] == "reported" else "yellow")


# --- lists ---


def _rows(
    title: str,
    columns: dict[str, str],
    rows: list[list[str]],
    whole: set[str],
    width: int,
) -> RenderableType:
    """A list: ids and commands as columns when they fit whole, else each under its row,
    else every record stacked. A column empty in every row is left out."""
    keys = [
        key for i, key in enumerate(columns) if i == 0 or any(row[i] for row in rows) or not rows
    ]
    index = {key: list(columns).index(key) for key in keys}
    heading = Text(visible(title), style="bold")
    as_columns = [
        Row([Text(visible(row[index[key]])) for key in keys], []) for row in rows
    ]  # ids and commands as columns
    least = [WORDS_WIDTH if key not in whole else 0 for key in keys]
    unbroken = frozenset(i for i, key in enumerate(keys) if key in whole)
    table = fitted_table(
        heading, [columns[k] for k in keys], as_columns, width, least=least, unbroken=unbroken
    )
    if table is not None:
        return table
    words = [key for key in keys if key not in whole]
    beneath = [
        Row(
            [Text(visible(row[index[key]])) for key in words],
            [row[index[key]] for key in keys if key in whole],
        )
        for row in rows
    ]
    least = [WORDS_WIDTH] * len(words)
    table = fitted_table(heading, [columns[k] for k in words], beneath, width, least=least)
    if table is not None:
        return table
    blocks: list[RenderableType] = [heading]
    for row in rows:
        fields = [
            (columns[key], Text(visible(row[index[key]])))
            for key in keys[1:]
            if key not in whole and row[index[key]]
        ]
        lines = [row[index[key]] for key in keys if key in whole]
        blocks.append(
            stacked_record(Text(visible(row[index[keys[0]]]), style="bold"), fields, lines)
        )
    return Group(*blocks)


# --- pages ---


def _entity(view: EntityView, width: int) -> RenderableType:
    title = Text(view.heading(), style="bold")
    profile = Table.grid(padding=(0, 2))
    profile.add_column(style="bold", no_wrap=True)
    profile.add_column(overflow="fold")
    for label, text in view.profile():
        profile.add_row(Text(label), Text(text, overflow="fold"))
    parts: list[RenderableType] = [title, profile]
    parts += [Text(note, style="dim") for note in view.footnotes()]
    for key, heading, facts in view.fact_sections():
        parts += [
            Text(),
            _facts(
                facts,
                width,
                with_subject=key != "facts",
                quotes=view.quotes,
                title=heading,
                with_speaker=key != "attributed",
            ),
        ]
    if not view.fact_sections():
        parts.append(Text("The article states no figures or claims about it.", style="dim"))
    parts += _inferred_note(view.all_facts())
    return Group(*parts)


def _source(view: SourceView) -> RenderableType:
    fact = view.document["fact"]
    parts: list[RenderableType] = [
        whole_line(fact["id"]),
        Text(f"{visible(fact['subject']['name'])}: {visible(fact['display'])}"),
    ]
    if fact["attributed_to"]:
        parts.append(Text(f"Said by {visible(said_by(fact))}", style="italic"))
    story = view.document["story"]
    if story:
        parts.append(Text(visible(story["headline"]), style="bold underline"))
        if story["deck"]:
            parts.append(Text(visible(story["deck"]), style="italic"))
    for paragraph in view.document["paragraphs"]:
        text = Text()
        plain, position = paragraph["text"], 0
        for start, end in sorted(paragraph["highlights"]):
            text.append(visible(plain[position:start]))
            text.append(visible(plain[start:end]), style="reverse")
            position = end
        text.append(visible(plain[position:]))
        parts += [Text(), text]
    return Group(*parts)
