"""The options every command shares, declared once so that they mean the same everywhere."""

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from shanxi_cli.answer.lookup import Bound
from shanxi_cli.cli.completion import category_completer, complete_fact_ids, complete_metrics
from shanxi_cli.store.json_store import STORE_ENV_VAR
from shanxi_cli.text.escape import brief


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
    facts = "facts"


# What `list` also accepts for each kind: the singular, and the names the output uses.
LISTING_WORDS = {
    **{kind.value: kind for kind in Listing},
    "town": Listing.towns,
    "place": Listing.towns,
    "places": Listing.towns,
    "company": Listing.companies,
    "organisation": Listing.companies,
    "organisations": Listing.companies,
    "organization": Listing.companies,
    "organizations": Listing.companies,
    "person": Listing.people,
    "persons": Listing.people,
    "metric": Listing.metrics,
    "fact": Listing.facts,
}


def listing(value: str) -> Listing:
    """A kind to list, plural or singular, any case."""
    found = LISTING_WORDS.get(value.strip().casefold())
    if found is None:
        kinds = ", ".join(kind.value for kind in Listing)
        raise typer.BadParameter(f"{value!r} is not one of {kinds}")
    return found


def complete_listing(incomplete: str) -> list[str]:
    return [kind.value for kind in Listing if kind.value.startswith(incomplete.casefold())]


class SortKey(StrEnum):
    value = "value"
    subject = "subject"
    metric = "metric"


class Status(StrEnum):  # the store's STATUSES; a test keeps the two the same
    reported = "reported"
    expected = "expected"
    target = "target"
    pledge = "pledge"


def bound(text: str) -> Bound:
    """A --min or --max as an exact number: 10**18 + 1 stays larger than 10**18.

    An integer is an int; anything else (1e9, 0.5) a Decimal, which compares with a
    fact's int or float exactly, where a float would round. Nan and the infinities are
    refused: no figure compares with them as a reader expects.
    """
    try:
        return int(text)
    except ValueError:
        pass  # not an integer literal, or one longer than Python reads as one
    from decimal import Decimal, InvalidOperation

    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        raise typer.BadParameter(f"{brief(text, 40)!r} is not a number") from None
    if not value.is_finite():
        raise typer.BadParameter("must be a finite number")
    return value


def output_format(requested: OutputFormat, as_json: bool) -> str:
    """--json is --format json; with any other --format it is a contradiction."""
    if as_json and requested not in (OutputFormat.auto, OutputFormat.json):
        raise typer.BadParameter(
            f"--json contradicts --format {requested.value}; give one", param_hint="'--json'"
        )
    return OutputFormat.json.value if as_json else requested.value


def _store_path_option(value: str) -> Path:
    # A parser, not Typer's Path type: that type turns '' into '.', and its readability
    # check ends an unreadable store with the usage code, not the store code.
    if not value:
        raise typer.BadParameter("must name a file; leave it out for the bundled store")
    return Path(value)


FactsOption = Annotated[
    Path | None,
    typer.Option(
        "--facts",
        parser=_store_path_option,
        metavar="<path>",
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
    Bound | None,
    typer.Option(
        "--min",
        help="Only figures at least this large (a stated bound counts on its side).",
        parser=bound,
        metavar="<float>",
    ),
]
MaxOption = Annotated[
    Bound | None,
    typer.Option(
        "--max",
        help="Only figures at most this large (a stated bound counts on its side).",
        parser=bound,
        metavar="<float>",
    ),
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
TownOption = Annotated[
    str | None,
    typer.Option(
        "--town", help="Only facts about this place.", autocompletion=category_completer("place")
    ),
]
CompanyOption = Annotated[
    str | None,
    typer.Option(
        "--company",
        help="Only facts about this company or organisation.",
        autocompletion=category_completer("organisation"),
    ),
]
LimitOption = Annotated[int | None, typer.Option("--limit", min=1, help="At most this many facts.")]
ListingArgument = Annotated[
    Listing,
    typer.Argument(
        metavar="KIND",
        help="towns, companies, people, metrics or facts (a singular too: town, fact).",
        parser=listing,
        autocompletion=complete_listing,
        show_default=False,
    ),
]
MetricQueryArgument = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="[QUESTION]...",
        help="A question's words, in any order: metrics, subjects, other words "
        "(jobs, Yuncheng exports, jujube price). Omit to list the metrics.",
        autocompletion=complete_metrics,
        show_default=False,
    ),
]


def _words(
    help_text: str, complete: Callable[..., list[str]] | None = None, metavar: str = "NAME..."
) -> Any:
    """Several words, joined as one query: `shanxi person Ma Yunxia` needs no quotes."""
    return typer.Argument(
        help=help_text, autocompletion=complete, show_default=False, metavar=metavar
    )


PlaceArgument = Annotated[
    list[str],
    _words(
        "A place: province, city, county, district, township, village or group of towns.",
        category_completer("place", "name"),
    ),
]
OrganisationArgument = Annotated[
    list[str],
    _words(
        "A company or organisation, government bodies and the customs house included.",
        category_completer("organisation", "name"),
    ),
]
PersonArgument = Annotated[
    list[str],
    _words("A person the article quotes or credits.", category_completer("person", "name")),
]
SearchWordsArgument = Annotated[
    list[str], _words("Words to look for anywhere, in any order.", metavar="WORDS...")
]
FactIdArgument = Annotated[
    str,
    typer.Argument(
        metavar="FACT_ID",
        help="A fact id, as shown beside every fact (xinghuacun.jobs).",
        autocompletion=complete_fact_ids,
        show_default=False,
    ),
]
NoCacheOption = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help="Read the whole store; never read or write its index (also $SHANXI_NO_CACHE=1).",
    ),
]
NoPagerOption = Annotated[
    bool,
    typer.Option(
        "--no-pager",
        help="Print a long page instead of paging it on a terminal "
        "(the pager: $SHANXI_PAGER, $PAGER, else less -FRX).",
    ),
]
