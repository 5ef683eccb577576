"""What each command shows, once for every format.

A view holds one command's result as its JSON document (`output/contract.py`) and knows three
more forms of it: its records (the document's objects, one a JSON line), its flat rows
(fixed CSV columns, printed even with no rows) and its plain text. Its Rich form lives in
`output/rich_views.py`, imported only when a table is drawn. `output/emit.py` picks the form.
"""

from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from shanxi_cli.output.contract import (
    EntityDoc,
    FactDoc,
)
from shanxi_cli.output.fact_text import (
    INFERRED_NOTE,
    has_inferred_period,
    joined,
    period_full,
    period_short,
    ref_text,
    role_text,
    said_by,
)
from shanxi_cli.text.escape import visible

Cell = str | int | float | None
FlatRow = dict[str, Cell]

# One fact a CSV row. A reference becomes its id (`subject_id`), a list its items
# joined by LIST_SEPARATOR: keys that hold another type in JSON get another name here.
FACT_COLUMNS = (
    "id",
    "subject_id",
    "subject_name",
    "subject_kind",
    "metric",
    "metric_name",
    "value",
    "claim",
    "unit",
    "unit_as_stated",
    "qualifier",
    "usd_as_stated",
    "display",
    "period_as_stated",
    "period_reading",
    "period_year",
    "period_date",
    "period_inferred",
    "period_start_year",
    "period_end_year",
    "status",
    "attributed_to_id",
    "attributed_to_name",
    "related_ids",
    "scope",
    "note",
    "quote",
    "document",
)
OUTSIDE_MARK = "*"  # beside an alias or kind the store adds from general knowledge


def flat_fact(fact: FactDoc) -> FlatRow:
    period = fact["period"]
    attributed = fact["attributed_to"]
    return {
        "id": fact["id"],
        "subject_id": fact["subject"]["id"],
        "subject_name": fact["subject"]["name"],
        "subject_kind": fact["subject"]["kind"],
        "metric": fact["metric"],
        "metric_name": fact["metric_name"],
        "value": fact["value"],
        "claim": fact["claim"],
        "unit": fact["unit"],
        "unit_as_stated": fact["unit_as_stated"],
        "qualifier": fact["qualifier"],
        "usd_as_stated": fact["usd_as_stated"],
        "display": fact["display"],
        "period_as_stated": period["as_stated"] if period else None,
        "period_reading": period["reading"] if period else None,
        "period_year": period["year"] if period else None,
        "period_date": period["date"] if period else None,
        # true or false in every row: a fact with no period has no inferred one.
        "period_inferred": _flag(bool(period and period["inferred"])),
        "period_start_year": period["start_year"] if period else None,
        "period_end_year": period["end_year"] if period else None,
        "status": fact["status"],
        "attributed_to_id": attributed["id"] if attributed else None,
        "attributed_to_name": attributed["name"] if attributed else None,
        "related_ids": joined(ref["id"] for ref in fact["related"]),
        "scope": fact["scope"],
        "note": fact["note"],
        "quote": fact["quote"],
        "document": fact["document"],
    }


def _flag(value: bool) -> str:
    return "true" if value else "false"


def write_tsv(out: TextIO, headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> None:
    """Plain text: a header line, then one record a line, cells separated by tabs."""
    out.write("\t".join(headers) + "\n")
    for row in rows:
        out.write("\t".join(visible("" if cell is None else str(cell)) for cell in row) + "\n")


class View:
    """One command's result; subclasses set the document and the forms that differ."""

    csv_columns: tuple[str, ...] = ()
    title: str = ""

    def __init__(self, document: Any) -> None:
        self.document = document

    @property
    def is_empty(self) -> bool:
        return bool(self.document == [])

    def records(self) -> list[Any]:
        """The JSON lines: the document's objects, or the one object it is."""
        return list(self.document) if isinstance(self.document, list) else [self.document]

    def flat_rows(self) -> list[FlatRow]:
        raise NotImplementedError

    def write_text(self, out: TextIO) -> None:
        raise NotImplementedError


class FactsView(View):
    """Facts across subjects (`metric`), in sections when they span several metrics."""

    csv_columns = FACT_COLUMNS
    document: list[FactDoc]

    def __init__(
        self,
        facts: list[FactDoc],
        *,
        quotes: bool,
        grouped: bool = False,
        heading: str | None = None,
    ) -> None:
        super().__init__(facts)
        self.quotes = quotes
        self.grouped = grouped
        self.heading = heading

    def sections(self) -> list[tuple[str, list[FactDoc]]]:
        """(heading, facts) pairs: one per metric when grouped, else one for all."""
        if not self.grouped:
            names = {fact["metric_name"] for fact in self.document}
            heading = self.heading or (names.pop() if len(names) == 1 else "Facts")
            return [(heading, self.document)] if self.document else []
        by_metric: dict[str, list[FactDoc]] = {}
        for fact in self.document:
            by_metric.setdefault(fact["metric_name"], []).append(fact)
        return list(by_metric.items())

    def flat_rows(self) -> list[FlatRow]:
        return [flat_fact(fact) for fact in self.document]

    def write_text(self, out: TextIO) -> None:
        if self.document:
            # Tab-separated lines and nothing else, for cut and sort: the `*` of an inferred
            # period is explained under a table and in the README, not here.
            write_facts_text(self.document, out, with_subject=True, quotes=self.quotes)


def write_facts_text(
    facts: Sequence[FactDoc],
    out: TextIO,
    *,
    with_subject: bool,
    quotes: bool,
    with_speaker: bool = True,
) -> None:
    """One fact a tab-separated line; with quotes, the quote and the period's whole reading."""
    headers = ["Subject"] if with_subject else []
    headers += ["Metric", "Value", "Period", "Status"] + (["Said by"] if with_speaker else [])
    headers += ["Fact id"] + (["Quote", "Period as read"] if quotes else [])
    rows = []
    for fact in facts:
        cells = [fact["subject"]["name"]] if with_subject else []
        cells += [fact["metric_name"], fact["display"], period_short(fact), fact["status"]]
        cells += [said_by(fact)] if with_speaker else []
        rows.append(cells + [fact["id"]] + ([fact["quote"], period_full(fact)] if quotes else []))
    write_tsv(out, headers, rows)


class EntityView(View):
    """A place, organisation or person: its profile, then its facts by relation."""

    csv_columns = ("relation", *FACT_COLUMNS)
    document: EntityDoc

    def __init__(self, entity: EntityDoc, *, quotes: bool) -> None:
        super().__init__(entity)
        self.quotes = quotes

    @property
    def is_empty(self) -> bool:
        return False

    def profile(self) -> list[tuple[str, str]]:
        """The labelled lines that describe the entity above its facts, escaped."""
        entity = self.document
        lines: list[tuple[str, str]] = []
        outside = set(entity["general_knowledge"]["aliases"])
        if entity["aliases"]:
            aliases = [
                alias + (OUTSIDE_MARK if alias in outside else "") for alias in entity["aliases"]
            ]
            lines.append(("Also called", joined(aliases)))
        role = entity["role"]
        if role:
            lines.append(("Role", role_text(role["title"], role["organisation"])))
        if entity["located_in"]:
            lines.append(("Located in", " < ".join(ref_text(p) for p in entity["located_in"])))
        # "Known for", not "Makes / does": what the article says an organisation is known
        # for is not always what it makes (Huarong's warehouses are its own).
        if entity["category"] != "person":
            lines += [("Known for", item["text"]) for item in entity["known_for"]]
        for title, refs in (
            ("Places", entity["places"]),
            ("Organisations", entity["organisations"]),
        ):
            if refs:
                lines.append((title, joined(ref_text(ref) for ref in refs)))
        if entity["people"]:
            lines.append(("People", joined(ref_text(ref) for ref in entity["people"])))
        return [(label, visible(text)) for label, text in lines]

    def footnotes(self) -> list[str]:
        """The notes below the profile and below the facts, each once, escaped."""
        entity = self.document
        notes = []
        if entity["general_knowledge"]["aliases"] or entity["general_knowledge"]["of_kind"]:
            notes.append(f"{OUTSIDE_MARK} from general knowledge, not the article")
        return notes

    def all_facts(self) -> list[FactDoc]:
        return [fact for _, _, facts in self.fact_sections() for fact in facts]

    def heading(self) -> str:
        """Name (kind), the kind marked when the article does not state it."""
        entity = self.document
        mark = OUTSIDE_MARK if entity["general_knowledge"]["of_kind"] else ""
        return visible(f"{entity['name']} ({entity['kind']}{mark})")

    def fact_sections(self) -> list[tuple[str, str, list[FactDoc]]]:
        """(key, heading, facts) for each relation the entity has facts in."""
        entity = self.document
        sections = (
            ("facts", "Facts", entity["facts"]),
            ("attributed", f"Said or reported by {visible(entity['name'])}", entity["attributed"]),
            ("mentioned_in", "Mentioned in", entity["mentioned_in"]),
        )
        return [(key, heading, facts) for key, heading, facts in sections if facts]

    def flat_rows(self) -> list[FlatRow]:
        relation = {"facts": "subject", "attributed": "attributed", "mentioned_in": "mentioned"}
        return [
            {"relation": relation[key], **flat_fact(fact)}
            for key, _, facts in self.fact_sections()
            for fact in facts
        ]

    def write_text(self, out: TextIO) -> None:
        out.write(self.heading() + "\n")
        for label, text in self.profile():
            out.write(f"{label}: {text}\n")
        for note in self.footnotes():
            out.write(f"{note}\n")
        for key, heading, facts in self.fact_sections():
            out.write(f"\n{heading}:\n")
            write_facts_text(
                facts,
                out,
                with_subject=key != "facts",
                quotes=self.quotes,
                with_speaker=key != "attributed",
            )
        if has_inferred_period(self.all_facts()):
            out.write(f"\n{INFERRED_NOTE}\n")
