"""Turn query records into output for scripts and pipes: JSON, JSON lines, CSV and plain text.

Rich tables for terminals live in `tables.py`, so that nothing here imports Rich.
Every string from the store or from the user is untrusted: plain text passes through
`visible`, which shows control characters and bidirectional overrides escaped; JSON and
CSV escape what their formats escape and carry the text unchanged.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable
from typing import Any, TextIO

# One fact a line in JSON lines and CSV: flat columns, in this order.
FLAT_FACT_FIELDS = (
    "id",
    "subject_id",
    "subject_name",
    "subject_kind",
    "metric",
    "metric_name",
    "value",
    "unit",
    "qualifier",
    "usd_as_stated",
    "display",
    "period",
    "period_reading",
    "status",
    "attributed_to",
    "related",
    "scope",
    "note",
    "quote",
)
TEXT_FACT_HEADERS = ("Metric", "Value", "Period", "Status", "Fact id")


def visible(text: str) -> str:
    """The text with every control, format and unpaired-surrogate character shown escaped."""
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


# --- JSON, JSON lines, CSV ---


def write_json(document: Any, stream: TextIO) -> None:
    """One JSON document, UTF-8, keys in the contract's order, ending with a newline."""
    stream.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")


def write_jsonl(rows: Iterable[dict[str, Any]], stream: TextIO) -> None:
    for row in rows:
        stream.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_csv(rows: list[dict[str, Any]], stream: TextIO) -> None:
    import csv

    if not rows:
        return
    writer = csv.DictWriter(stream, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: "" if value is None else value for key, value in row.items()})


def flat_fact(fact: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A fact record flattened to the FLAT_FACT_FIELDS columns (and any extra ones)."""
    period = fact["period"] or {}
    attributed = fact["attributed_to"]
    flat = {
        "id": fact["id"],
        "subject_id": fact["subject"]["id"],
        "subject_name": fact["subject"]["name"],
        "subject_kind": fact["subject"]["kind"],
        "metric": fact["metric"],
        "metric_name": fact["metric_name"],
        "value": fact["value"],
        "unit": fact["unit"],
        "qualifier": fact["qualifier"],
        "usd_as_stated": fact["usd_as_stated"],
        "display": fact["display"],
        "period": period.get("as_stated"),
        "period_reading": period.get("reading"),
        "status": fact["status"],
        "attributed_to": attributed["id"] if attributed else None,
        "related": ";".join(ref["id"] for ref in fact["related"]),
        "scope": fact["scope"],
        "note": fact["note"],
        "quote": fact["quote"],
    }
    return {**flat, **extra}


def entity_fact_rows(record: dict[str, Any]) -> list[dict[str, Any]]:
    """An entity's facts as flat rows, each saying how the fact relates to the entity."""
    return [
        flat_fact(fact, relation=relation)
        for key, relation in (
            ("facts", "subject"),
            ("attributed", "attributed"),
            ("mentioned_in", "mentioned"),
        )
        for fact in record[key]
    ]


# --- plain text: no colour, no wrapping, one record a line, tab-separated ---


def period_text(fact: dict[str, Any]) -> str:
    period = fact["period"]
    if not period:
        return ""
    if period["reading"]:
        return f"{period['as_stated']} (read as {period['reading']})"
    return str(period["as_stated"])


def _ref(ref: dict[str, Any]) -> str:
    return f"{ref['name']} ({ref['kind']})"


def profile_lines(record: dict[str, Any]) -> list[tuple[str, str]]:
    """The labelled lines that describe an entity above its facts."""
    lines: list[tuple[str, str]] = []
    if record["aliases"]:
        lines.append(("Also called", ", ".join(record["aliases"])))
    if record["role"]:
        role = record["role"]
        title = role["title"]
        if role["organisation"]:
            title += f", {_ref(role['organisation'])}"
        lines.append(("Role", title))
    if record["located_in"]:
        lines.append(("Located in", " < ".join(_ref(place) for place in record["located_in"])))
    label = "Known for" if record["category"] == "place" else "Makes / does"
    if record["category"] != "person":
        lines += [(label, item["text"]) for item in record["known_for"]]
    for key, title in (
        ("places", "Places"),
        ("organisations", "Organisations"),
        ("people", "People"),
    ):
        if record[key]:
            lines.append((title, ", ".join(_ref(ref) for ref in record[key])))
    return [(title, visible(text)) for title, text in lines]


FACT_SECTIONS = (
    ("facts", "Facts"),
    ("attributed", "Said or reported by {name}"),
    ("mentioned_in", "Mentioned in"),
)


def write_entity_text(record: dict[str, Any], stream: TextIO, *, with_quote: bool) -> None:
    stream.write(f"{visible(record['name'])} ({record['kind']})\n")
    for label, text in profile_lines(record):
        stream.write(f"{label}: {text}\n")
    for key, title in FACT_SECTIONS:
        if record[key]:
            stream.write(f"\n{title.format(name=visible(record['name']))}:\n")
            write_facts_text(
                record[key], stream, with_subject=key != "facts", with_quote=with_quote
            )


def write_facts_text(
    facts: Iterable[dict[str, Any]], stream: TextIO, *, with_subject: bool, with_quote: bool
) -> None:
    headers = (["Subject"] if with_subject else []) + list(TEXT_FACT_HEADERS)
    stream.write("\t".join(headers + (["Quote"] if with_quote else [])) + "\n")
    for fact in facts:
        cells = [fact["subject"]["name"]] if with_subject else []
        cells += [fact["metric_name"], fact["display"], period_text(fact), fact["status"]]
        cells.append(fact["id"])
        if with_quote:
            cells.append(fact["quote"])
        stream.write("\t".join(visible(cell) for cell in cells) + "\n")


def write_rows_text(rows: list[dict[str, Any]], columns: dict[str, str], stream: TextIO) -> None:
    """Rows as tab-separated text under a header line; `columns` maps key to header."""
    stream.write("\t".join(columns.values()) + "\n")
    for row in rows:
        cells = [_cell(row[key]) for key in columns]
        stream.write("\t".join(visible(cell) for cell in cells) + "\n")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def write_names_text(rows: list[dict[str, Any]], stream: TextIO) -> None:
    """One name a line: for `shanxi list ... | while read name`."""
    for row in rows:
        stream.write(visible(row["name"]) + "\n")


def write_source_text(record: dict[str, Any], stream: TextIO) -> None:
    """The fact, its story's headline, and its paragraphs with the quote between » and «."""
    fact = record["fact"]
    stream.write(f"{fact['id']}: {visible(fact['subject']['name'])}, {visible(fact['display'])}\n")
    if record["story"]:
        stream.write(f"Story: {visible(record['story']['headline'])}\n")
    for paragraph in record["paragraphs"]:
        stream.write("\n" + visible(marked(paragraph, "\u00bb", "\u00ab")) + "\n")


def marked(paragraph: dict[str, Any], opening: str, closing: str) -> str:
    text = paragraph["text"]
    for start, end in sorted(paragraph["highlights"], reverse=True):
        text = text[:start] + opening + text[start:end] + closing + text[end:]
    return str(text)
