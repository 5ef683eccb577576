"""Rich tables that never cut a word: column widths worked out here, not by Rich.

A table is drawn only when every column of words gets at least a readable width
(VALUE_WIDTH for values, and never less than its longest word); an id or a command is
never broken: it stays a column when it fits whole, else it goes on a dim line of its own
under its row. Below that, `fitted_table` returns None and the caller stacks the records.
Widths count terminal cells, so a wide (CJK) character takes two columns.
"""

from collections.abc import Sequence
from typing import NamedTuple

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from shanxi_cli.text.escape import visible

VALUE_WIDTH = 20  # the narrowest a value column is drawn: any narrower, the records stack
WORDS_WIDTH = 10  # the narrowest another column of words is drawn (or its longest cell)
GAP = 2  # spaces between two columns
WHOLE_INDENT = "  "  # before an id or a command on its own line under its row


class Row(NamedTuple):
    """One record of a table: its cells, and its ids or commands, never broken."""

    cells: list[Text]
    whole: list[str]


def _longest_word(text: str) -> int:
    # Cells, not characters: a wide (CJK) character takes two columns.
    return max((cell_len(word) for word in text.split()), default=0)


def _longest_line(text: str) -> int:
    return max((cell_len(line) for line in text.split("\n")), default=0)


def allocate(minimums: Sequence[int], wanted: Sequence[int], available: int) -> list[int] | None:
    """Column widths: each its minimum, then the room left shared fairly (the columns that
    want least get all they want first, the rest split what remains); None when the
    minimums alone do not fit."""
    if sum(minimums) > available:
        return None
    widths = list(minimums)
    spare = available - sum(widths)
    needs = sorted(range(len(widths)), key=lambda i: wanted[i] - widths[i])
    for place, i in enumerate(needs):
        share = spare // (len(needs) - place)
        extra = min(max(wanted[i] - widths[i], 0), share)
        widths[i] += extra
        spare -= extra
    return widths


def fitted_table(
    title: Text,
    headers: Sequence[str],
    rows: Sequence[Row],
    width: int,
    *,
    least: Sequence[int],
    unbroken: frozenset[int] = frozenset(),
) -> RenderableType | None:
    """Rows under bold headers and a rule, each row's whole lines under it; None when a
    column would get less than its least width (or, unbroken, its longest line)."""
    count = len(headers)
    minimums, wanted = [], []
    for i in range(count):
        texts = [headers[i]] + [row.cells[i].plain for row in rows]
        line = max(_longest_line(text) for text in texts)
        word = max(_longest_word(text) for text in texts)
        minimums.append(line if i in unbroken else max(word, min(least[i], line)))
        wanted.append(line)
    widths = allocate(minimums, wanted, width - GAP * (count - 1))
    if widths is None or any(
        cell_len(WHOLE_INDENT + line) > width for r in rows for line in r.whole
    ):
        return None

    def grid() -> Table:
        table = Table.grid(padding=(0, GAP, 0, 0), pad_edge=False)
        for i, column_width in enumerate(widths):
            table.add_column(width=column_width, overflow="fold", no_wrap=i in unbroken)
        return table

    header = grid()
    header.add_row(*(Text(visible(h), style="bold") for h in headers))
    parts: list[RenderableType] = [
        title,
        header,
        Text("\u2500" * (sum(widths) + GAP * (count - 1)), style="dim"),
    ]
    for row in rows:
        drawn = grid()
        drawn.add_row(*(_fit(cell) for cell in row.cells))
        parts.append(drawn)
        parts += [whole_line(WHOLE_INDENT + text) for text in row.whole]
    return Group(*parts)


def _fit(cell: Text) -> Text:
    """The cell wrapped at spaces, a word longer than its column folded, never cut."""
    cell.overflow = "fold"
    return cell


def stacked_record(
    heading: Text, fields: Sequence[tuple[str, Text]], whole: Sequence[str] = ()
) -> RenderableType:
    """One record as a block: its heading, its unbreakable lines, then label value rows."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in fields:
        value.overflow = "fold"
        grid.add_row(label, value)
    return Group(heading, *(whole_line(line) for line in whole), grid, Text())


def whole_line(text: str) -> Text:
    """An id or a command, never broken: past the edge the terminal wraps it, so a copied
    id is whole (the console prints with crop=False)."""
    return Text(visible(text), style="dim", no_wrap=True, overflow="ignore")
