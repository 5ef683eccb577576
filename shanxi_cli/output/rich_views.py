"""Views drawn for a terminal with Rich. Imported only when a table is drawn.

A table is drawn only when every column gets a readable width and every id fits whole
on its line; below that the same records are stacked, one block each, "label: value",
as `gh` and `kubectl describe` do. Untrusted text reaches Rich only as `Text` (never
parsed as markup) after `visible`.
"""

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from shanxi_cli.output.answer_views import AnswersView
from shanxi_cli.output.contract import FactDoc
from shanxi_cli.output.listing_views import EntityListView, SearchView, VocabularyView
from shanxi_cli.output.report_views import SourceView, VerifyView
from shanxi_cli.output.views import EntityView, FactsView, View, period_text, plural
from shanxi_cli.text.escape import visible

READABLE_WIDTH = 10  # the narrowest a column of words is still worth drawing
FACT_LABEL_WIDTH = 16


def renderable(view: View, width: int) -> RenderableType:
    """The view as one Rich renderable for a terminal `width` columns wide."""
    if isinstance(view, EntityView):
        return _entity(view, width)
    if isinstance(view, FactsView):
        return Group(
            *(
                _facts(facts, width, with_subject=True, quotes=view.quotes, title=heading)
                for heading, facts in view.sections()
            )
        )
    if isinstance(view, EntityListView | VocabularyView | SearchView):
        no_wrap = {"id", "command"}
        return _rows(view.title, view.columns, view.table_rows(), no_wrap, width)
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
    lines = []
    for style, text in view.lines():
        indent = "   " if style == "quote" else ""
        lines.append(Text(indent + visible(text), style=ANSWER_STYLES[style]))
    return Group(*lines)


def _table_fits(width: int, minimums: Sequence[int]) -> bool:
    # A boxed table spends one column on its left edge and three on each column's
    # padding and right edge.
    return sum(minimums) + 1 + 3 * len(minimums) <= width


def _stacked(
    heading: Text, fields: Sequence[tuple[str, Text]], whole: Sequence[str] = ()
) -> RenderableType:
    """One record as a block: its heading, its unbreakable lines, then label: value rows."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    for label, value in fields:
        grid.add_row(label, value)
    return Group(heading, *(_whole(line) for line in whole), grid, Text())


def _whole(text: str) -> Text:
    """An id or a command, never broken: past the edge the terminal wraps it, so a copied
    id is whole (the console prints with crop=False)."""
    return Text(visible(text), style="dim", no_wrap=True, overflow="ignore")


def _facts(
    facts: Sequence[FactDoc], width: int, *, with_subject: bool, quotes: bool, title: str
) -> RenderableType:
    """Facts in a table, the id under its metric and the quote under its value."""
    count = f"{visible(title)} ({plural(len(facts), 'fact')})"
    id_width = max(max(len(fact["id"]) for fact in facts), FACT_LABEL_WIDTH)
    if not _table_fits(width, [id_width, READABLE_WIDTH, READABLE_WIDTH, len("expected")]):
        blocks: list[RenderableType] = [Text(count, style="bold underline")]
        for fact in facts:
            heading = Text(visible(fact["subject"]["name"]) + ": " if with_subject else "")
            heading.append(visible(fact["metric_name"]), style="bold")
            fields = [("Value", Text(visible(fact["display"])))]
            if fact["period"]:
                fields.append(("Period", Text(visible(period_text(fact)))))
            fields.append(("Status", _status(fact)))
            if quotes:
                fields.append(("Quote", Text(visible(fact["quote"]), style="italic dim")))
            blocks.append(_stacked(heading, fields, [fact["id"]]))
        return Group(*blocks)
    table = Table(title=count, title_justify="left", show_lines=quotes)
    # A fixed width, not min_width: Rich would shrink a min_width column, then widen it
    # back past the terminal's edge.
    table.add_column("Fact", width=id_width)
    table.add_column("Value", min_width=READABLE_WIDTH)
    table.add_column("Period", min_width=READABLE_WIDTH)
    table.add_column("Status", no_wrap=True)
    for fact in facts:
        label = Text()
        if with_subject:
            label.append(visible(fact["subject"]["name"]) + "\n", style="bold")
        label.append(visible(fact["metric_name"]) + "\n")
        label.append(fact["id"], style="dim")
        value = Text(visible(fact["display"]))
        if quotes:
            value.append(f"\n\u201c{visible(fact['quote'])}\u201d", style="italic dim")
        table.add_row(label, value, Text(visible(period_text(fact))), _status(fact))
    return table


def _status(fact: FactDoc) -> Text:
    # Forecasts, targets and pledges stand out: they are not achieved figures.
    return Text(fact["status"], style="" if fact["status"] == "reported" else "yellow")


def _rows(
    title: str,
    columns: dict[str, str],
    rows: list[list[str]],
    no_wrap: set[str],
    width: int,
) -> RenderableType:
    keys = list(columns)
    longest = [max((len(row[i]) for row in rows), default=0) for i in range(len(keys))]
    # An id or a command needs its whole length; words need a readable width, or less
    # when the column's longest cell is shorter.
    minimums = [
        longest[i] if key in no_wrap else min(READABLE_WIDTH, max(longest[i], len(columns[key])))
        for i, key in enumerate(keys)
    ]
    if not _table_fits(width, minimums):
        blocks: list[RenderableType] = [Text(visible(title), style="bold underline")]
        for row in rows:
            cells = list(zip(keys[1:], row[1:], strict=True))
            fields = [
                (columns[key], Text(visible(cell))) for key, cell in cells if key not in no_wrap
            ]
            whole = [cell for key, cell in cells if key in no_wrap]
            blocks.append(_stacked(Text(visible(row[0]), style="bold"), fields, whole))
        return Group(*blocks)
    table = Table(title=visible(title), title_justify="left")
    for key, header, minimum in zip(keys, columns.values(), minimums, strict=True):
        table.add_column(header, no_wrap=key in no_wrap, width=minimum if key in no_wrap else None)
    for row in rows:
        table.add_row(*(Text(visible(cell)) for cell in row))
    return table


def _entity(view: EntityView, width: int) -> RenderableType:
    title = Text(view.heading(), style="bold")
    profile = Table.grid(padding=(0, 2))
    profile.add_column(style="bold", no_wrap=True)
    profile.add_column()
    for label, text in view.profile():
        profile.add_row(Text(label), Text(text))
    parts: list[RenderableType] = [title, profile]
    for key, heading, facts in view.fact_sections():
        parts += [
            Text(),
            _facts(facts, width, with_subject=key != "facts", quotes=view.quotes, title=heading),
        ]
    if not view.fact_sections():
        parts.append(Text("The article states no figures or claims about it.", style="dim"))
    return Group(*parts)


def _source(view: SourceView) -> RenderableType:
    fact = view.document["fact"]
    parts: list[RenderableType] = [
        _whole(fact["id"]),
        Text(f"{visible(fact['subject']['name'])}: {visible(fact['display'])}"),
    ]
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
