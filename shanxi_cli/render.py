"""Turn query records into output: JSON for scripts, plain text for pipes, Rich tables for people.

Every string from the store or from the user is untrusted: in text and tables it passes
through `visible` (control characters and bidirectional overrides shown escaped) and
reaches Rich only as `Text`, never as markup.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

FACT_COLUMNS = ("Metric", "Value", "Period", "Status", "Fact id")  # plain text


def visible(text: str) -> str:
    """The text with every control, format and unpaired-surrogate character shown as an escape."""
    if text.isprintable():
        return text
    out = []
    for char in text:
        if char.isprintable() or char == " ":
            out.append(char)
        elif unicodedata.category(char) == "Cs":
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(repr(char)[1:-1] if ord(char) < 0x10000 else f"\\U{ord(char):08x}")
    return "".join(out)


def write_json(document: Any, stream: TextIO) -> None:
    """One JSON document, UTF-8, keys in the contract's order, ending with a newline."""
    stream.write(json.dumps(document, ensure_ascii=False, indent=2, default=_reject) + "\n")


def _reject(value: Any) -> Any:
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def period_text(fact: dict[str, Any]) -> str:
    period = fact["period"]
    if not period:
        return ""
    if period["reading"]:
        return f"{period['as_stated']} (read as {period['reading']})"
    return str(period["as_stated"])


def fact_cells(fact: dict[str, Any], *, with_subject: bool, with_quote: bool) -> list[str]:
    cells = [fact["subject"]["name"]] if with_subject else []
    cells += [fact["metric_name"], fact["display"], period_text(fact), fact["status"], fact["id"]]
    if with_quote:
        cells.append(fact["quote"])
    return [visible(cell) for cell in cells]


def fact_headers(*, with_subject: bool, with_quote: bool) -> list[str]:
    return (
        (["Subject"] if with_subject else [])
        + list(FACT_COLUMNS)
        + (["Quote"] if with_quote else [])
    )


def _ref(ref: dict[str, Any]) -> str:
    return f"{ref['name']} ({ref['kind']})"


def profile_lines(record: dict[str, Any]) -> list[tuple[str, str]]:
    """The labelled lines that describe an entity above its facts."""
    lines: list[tuple[str, str]] = []
    if record["aliases"]:
        lines.append(("Also called", ", ".join(record["aliases"])))
    if record["located_in"]:
        lines.append(("Located in", " < ".join(_ref(place) for place in record["located_in"])))
    if record["role"]:
        role = record["role"]
        title = role["title"]
        if role["organisation"]:
            title += f", {_ref(role['organisation'])}"
        lines.append(("Role", title))
    label = "Known for" if record["category"] == "place" else "Makes / does"
    lines += [(label, item["text"]) for item in record["known_for"]]
    for key, label in (
        ("places", "Places"),
        ("organisations", "Organisations"),
        ("people", "People"),
    ):
        if record[key]:
            lines.append((label, ", ".join(_ref(ref) for ref in record[key])))
    return [(label, visible(text)) for label, text in lines]


# --- plain text, for pipes: no colour, no wrapping, one fact a line ---


def write_entity_text(record: dict[str, Any], stream: TextIO, *, with_quote: bool) -> None:
    stream.write(f"{visible(record['name'])} ({record['kind']})\n")
    for label, text in profile_lines(record):
        stream.write(f"{label}: {text}\n")
    for title, key in (("Facts", "facts"), ("Mentioned in", "mentioned_in")):
        if record[key]:
            stream.write(f"\n{title}:\n")
            write_facts_text(
                record[key], stream, with_subject=key == "mentioned_in", with_quote=with_quote
            )


def write_facts_text(
    facts: Iterable[dict[str, Any]], stream: TextIO, *, with_subject: bool, with_quote: bool
) -> None:
    stream.write("\t".join(fact_headers(with_subject=with_subject, with_quote=with_quote)) + "\n")
    for fact in facts:
        stream.write(
            "\t".join(fact_cells(fact, with_subject=with_subject, with_quote=with_quote)) + "\n"
        )


def write_metrics_text(metrics: list[dict[str, Any]], stream: TextIO) -> None:
    stream.write("Metric\tId\tFacts\tAlso matches\n")
    for metric in metrics:
        aliases = ", ".join(metric["aliases"])
        stream.write(
            f"{visible(metric['name'])}\t{metric['id']}\t{metric['facts']}\t{visible(aliases)}\n"
        )


# --- Rich tables, for terminals ---


def terminal_console() -> Console:
    # Imported here: only a table on a terminal pays for Rich.
    from rich.console import Console

    return Console(highlight=False, emoji=False, markup=False)


def entity_renderables(record: dict[str, Any], *, with_quote: bool) -> list[RenderableType]:
    from rich.table import Table
    from rich.text import Text

    title = Text(visible(record["name"]), style="bold")
    title.append(f" ({record['kind']})", style="dim")
    profile = Table.grid(padding=(0, 2))
    profile.add_column(style="bold", no_wrap=True)
    profile.add_column(overflow="fold")
    for label, text in profile_lines(record):
        profile.add_row(Text(label), Text(text))
    parts: list[RenderableType] = [title, profile]
    if record["facts"]:
        parts.append(
            facts_table(record["facts"], with_subject=False, with_quote=with_quote, title="Facts")
        )
    if record["mentioned_in"]:
        parts.append(
            facts_table(
                record["mentioned_in"],
                with_subject=True,
                with_quote=with_quote,
                title="Mentioned in",
            )
        )
    if not record["facts"] and not record["mentioned_in"]:
        parts.append(Text("No figures or claims about it in the article.", style="dim"))
    return parts


def facts_table(
    facts: list[dict[str, Any]], *, with_subject: bool, with_quote: bool, title: str | None = None
) -> RenderableType:
    """Facts in a table; the fact id sits under its metric, the quote under its value."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, title_justify="left", show_lines=with_quote)
    # Fact ids are for copying, so their column is wide enough to keep them whole.
    # (a fixed width: Rich's min_width can push a table past the terminal's edge).
    id_width = min(max((len(fact["id"]) for fact in facts), default=12), 30)
    table.add_column("Fact", overflow="fold", width=max(id_width, 12))
    for header in ("Value", "Period", "Status"):
        # fold, never ellipsis: a narrow terminal wraps a figure, it does not cut it.
        table.add_column(header, overflow="fold")
    for fact in facts:
        label = (
            Text(visible(fact["subject"]["name"]) + "\n", style="bold") if with_subject else Text()
        )
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


def metrics_table(metrics: list[dict[str, Any]]) -> RenderableType:
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Metrics", title_justify="left")
    for header in ("Metric", "Id", "Facts", "Also matches"):
        table.add_column(header, overflow="fold", justify="right" if header == "Facts" else "left")
    for metric in metrics:
        table.add_row(
            Text(visible(metric["name"])),
            Text(metric["id"]),
            Text(str(metric["facts"])),
            Text(visible(", ".join(metric["aliases"]))),
        )
    return table


def print_renderables(parts: Iterable[RenderableType], console: Console | None = None) -> None:
    console = console or terminal_console()
    for part in parts:
        console.print(part)


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()
