"""The options every command shares, declared once so that they mean the same everywhere."""

import math
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from shanxi_cli.store import STORE_ENV_VAR


class OutputFormat(StrEnum):
    auto = "auto"
    table = "table"
    text = "text"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


class Listing(StrEnum):
    towns = "towns"
    companies = "companies"
    people = "people"
    metrics = "metrics"


class SortKey(StrEnum):
    value = "value"
    subject = "subject"
    metric = "metric"


class Status(StrEnum):  # the store's STATUSES; a test keeps the two the same
    reported = "reported"
    expected = "expected"
    target = "target"
    pledge = "pledge"


def finite(value: float | None) -> float | None:
    """Refuse nan and infinities: no figure compares with them as a reader expects."""
    if value is not None and not math.isfinite(value):
        raise typer.BadParameter("must be a finite number")
    return value


def output_format(requested: OutputFormat, as_json: bool) -> str:
    """--json is --format json; with any other --format it is a contradiction."""
    if as_json and requested not in (OutputFormat.auto, OutputFormat.json):
        raise typer.BadParameter(
            f"--json contradicts --format {requested.value}; give one", param_hint="'--json'"
        )
    return OutputFormat.json.value if as_json else requested.value


FactsOption = Annotated[
    Path | None,
    typer.Option(
        "--facts",
        help=f"Read this fact store instead of the bundled one (also ${STORE_ENV_VAR}).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Same as --format json.")]
FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        help="auto: a table on a terminal, plain text in a pipe. jsonl and csv: one record a line.",
        case_sensitive=False,
    ),
]
QuotesOption = Annotated[
    bool, typer.Option("--quotes", help="Show each fact's verbatim quote from the article.")
]
MinOption = Annotated[
    float | None,
    typer.Option("--min", help="Only figures at least this large.", callback=finite),
]
MaxOption = Annotated[
    float | None,
    typer.Option("--max", help="Only figures at most this large.", callback=finite),
]
PeriodOption = Annotated[
    str | None,
    typer.Option("--period", help='Only facts whose period mentions this ("2022", "months").'),
]
StatusOption = Annotated[Status | None, typer.Option("--status", help="Only facts of this status.")]
SortOption = Annotated[
    SortKey | None,
    typer.Option("--sort", help="Order by value (largest first), subject or metric."),
]
NoCacheOption = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help="Read the whole store; never read or write its index (also $SHANXI_NO_CACHE=1).",
    ),
]
