"""Rich tables for a terminal. Imported only when a table is drawn: Rich costs start-up time.

Untrusted strings reach Rich only as `Text` (never parsed as markup) after `visible`;
columns fold rather than cut, so a narrow terminal wraps a figure but never truncates it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from shanxi_cli.render import FACT_SECTIONS, period_text, profile_lines, visible


def terminal_console() -> Console:
    return Console(highlight=False, emoji=False, markup=False)


def show(parts: Iterable[RenderableType], console: Console | None = None) -> None:
    console = console or terminal_console()
    for part in parts:
        console.print(part)


def entity_view(record: dict[str, Any], *, with_quote: bool) -> list[RenderableType]:
    title = Text(visible(record["name"]), style="bold")
    title.append(f" ({record['kind']})", style="dim")
    profile = Table.grid(padding=(0, 2))
    profile.add_column(style="bold", no_wrap=True)
    profile.add_column(overflow="fold")
    for label, text in profile_lines(record):
        profile.add_row(Text(label), Text(text))
    parts: list[RenderableType] = [title, profile]
    for key, heading in FACT_SECTIONS:
        heading = heading.format(name=visible(record["name"]))
        if record[key]:
            parts.append(
                facts_table(
                    record[key], with_subject=key != "facts", with_quote=with_quote, title=heading
                )
            )
    if not any(record[key] for key, _ in FACT_SECTIONS):
        parts.append(Text("The article states no figures or claims about it.", style="dim"))
    return parts


def facts_table(
    facts: list[dict[str, Any]], *, with_subject: bool, with_quote: bool, title: str | None = None
) -> RenderableType:
    """Facts in a table; the fact id sits under its metric, the quote under its value."""
    table = Table(title=title, title_justify="left", show_lines=with_quote)
    # Fact ids are for copying, so their column is wide enough to keep them whole
    # (a fixed width: Rich's min_width can push a table past the terminal's edge).
    id_width = min(max((len(fact["id"]) for fact in facts), default=12), 30)
    table.add_column("Fact", overflow="fold", width=max(id_width, 12))
    for header in ("Value", "Period", "Status"):
        table.add_column(header, overflow="fold")
    for fact in facts:
        label = Text()
        if with_subject:
            label.append(visible(fact["subject"]["name"]) + "\n", style="bold")
        label.append(visible(fact["metric_name"]))
        label.append("\n" + fact["id"], style="dim")
        value = Text(visible(fact["display"]))
        if with_quote:
            value.append(f"\n\u201c{visible(fact['quote'])}\u201d", style="italic dim")
        # Forecasts, targets and pledges stand out: they are not achieved figures.
        table.add_row(
            label,
            value,
            Text(visible(period_text(fact))),
            Text(fact["status"]),
            style="" if fact["status"] == "reported" else "yellow",
        )
    return table


def rows_table(
    rows: list[dict[str, Any]], columns: dict[str, str], title: str | None = None
) -> RenderableType:
    table = Table(title=title, title_justify="left")
    for header in columns.values():
        table.add_column(header, overflow="fold")
    for row in rows:
        cells = []
        for key in columns:
            value = row[key]
            text = "" if value is None else str(value)
            cells.append(Text(visible(text)))
        table.add_row(*cells)
    return table


def source_view(record: dict[str, Any]) -> list[RenderableType]:
    fact = record["fact"]
    heading = Text(fact["id"], style="bold")
    heading.append(f"  {visible(fact['subject']['name'])}: {visible(fact['display'])}")
    parts: list[RenderableType] = [heading]
    if record["story"]:
        parts.append(Text(visible(record["story"]["headline"]), style="bold underline"))
    for paragraph in record["paragraphs"]:
        text = Text()
        plain, position = paragraph["text"], 0
        for start, end in sorted(paragraph["highlights"]):
            text.append(visible(plain[position:start]))
            text.append(visible(plain[start:end]), style="reverse")
            position = end
        text.append(visible(plain[position:]))
        parts += [Text(), text]
    return parts
