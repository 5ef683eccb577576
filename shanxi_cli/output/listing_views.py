"""Views of many records: entities of one kind, the metric vocabulary, search hits."""

from typing import ClassVar, TextIO

from shanxi_cli.output.contract import ListedEntityDoc, MetricDoc, SearchHitDoc
from shanxi_cli.output.fact_text import joined, plural, ref_id, ref_name
from shanxi_cli.output.views import FlatRow, View, write_tsv
from shanxi_cli.text.escape import visible

# What each list holds, as its heading says it: `list towns` holds every place.
LISTING_TITLES = {"towns": "Places", "companies": "Organisations", "people": "People"}


class EntityListView(View):
    """`list towns|companies|people`: piped as text, one name a line."""

    csv_columns = ("id", "name", "kind", "located_in_ids", "fact_count")
    columns: ClassVar[dict[str, str]] = {
        "name": "Name",
        "kind": "Kind",
        "id": "Id",
        "fact_count": "Facts",
    }
    document: list[ListedEntityDoc]

    def __init__(self, rows: list[ListedEntityDoc], title: str) -> None:
        super().__init__(rows)
        self.title = f"{title} ({len(rows):,})"

    def flat_rows(self) -> list[FlatRow]:
        return [
            {
                "id": row["id"],
                "name": row["name"],
                "kind": row["kind"],
                "located_in_ids": joined(ref["id"] for ref in row["located_in"]),
                "fact_count": row["fact_count"],
            }
            for row in self.document
        ]

    def table_rows(self) -> list[list[str]]:
        return [
            [row["name"], row["kind"], row["id"], str(row["fact_count"])] for row in self.document
        ]

    def write_text(self, out: TextIO) -> None:
        for row in self.document:
            out.write(visible(row["name"]) + "\n")


class VocabularyView(View):
    """The metric vocabulary (`metric` alone, `list metrics`)."""

    csv_columns = ("id", "name", "alias_list", "type", "description", "fact_count")
    columns: ClassVar[dict[str, str]] = {
        "name": "Metric",
        "id": "Id",
        "facts": "Facts",
        "aliases": "Also matches",
    }
    document: list[MetricDoc]

    def __init__(self, metrics: list[MetricDoc]) -> None:
        super().__init__(metrics)
        self.title = f"Metrics ({len(metrics):,})"

    def flat_rows(self) -> list[FlatRow]:
        return [
            {
                "id": metric["id"],
                "name": metric["name"],
                "alias_list": joined(metric["aliases"]),
                "type": metric["type"],
                "description": metric["description"],
                "fact_count": metric["fact_count"],
            }
            for metric in self.document
        ]

    def table_rows(self) -> list[list[str]]:
        return [
            [metric["name"], metric["id"], str(metric["fact_count"]), joined(metric["aliases"])]
            for metric in self.document
        ]

    def write_text(self, out: TextIO) -> None:
        write_tsv(out, list(self.columns.values()), self.table_rows())


class SearchView(View):
    """Ranked search hits, each with the command that shows it."""

    csv_columns = (
        "kind",
        "id",
        "label",
        "matched",
        "attributed_to_id",
        "attributed_to_name",
        "score",
        "command",
    )
    columns: ClassVar[dict[str, str]] = {
        "label": "Match",
        "kind": "Kind",
        "matched": "In",
        "said_by": "Said by",
        "command": "Show with",
    }
    document: list[SearchHitDoc]

    def __init__(self, hits: list[SearchHitDoc]) -> None:
        super().__init__(hits)
        self.title = plural(len(hits), "result")

    def flat_rows(self) -> list[FlatRow]:
        return [
            {
                "kind": hit["kind"],
                "id": hit["id"],
                "label": hit["label"],
                "matched": hit["matched"],
                "attributed_to_id": ref_id(hit["attributed_to"]),
                "attributed_to_name": ref_name(hit["attributed_to"]),
                "score": hit["score"],
                "command": hit["command"],
            }
            for hit in self.document
        ]

    def table_rows(self) -> list[list[str]]:
        return [
            [
                hit["label"],
                hit["kind"],
                hit["matched"],
                ref_name(hit["attributed_to"]) or "",
                hit["command"],
            ]
            for hit in self.document
        ]

    def write_text(self, out: TextIO) -> None:
        if self.document:
            write_tsv(out, list(self.columns.values()), self.table_rows())
