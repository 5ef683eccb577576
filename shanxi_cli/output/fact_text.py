"""How a record's parts read as text, in every view: counts, lists, references, roles,
periods as a reader says them ("Jan-May 2023*"), the speaker, a quote in its marks."""

from collections.abc import Iterable

from shanxi_cli.output.contract import EntityRef, FactDoc

LIST_SEPARATOR = "; "


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """ "1 fact", "2 facts"; irregular plurals are given."""
    return f"{count:,} {noun if count == 1 else nouns or noun + 's'}"


def joined(items: Iterable[str]) -> str:
    """A list in one cell of text, a table or CSV: the one way lists are flattened."""
    return LIST_SEPARATOR.join(items)


def ref_text(ref: EntityRef) -> str:
    return f"{ref['name']} ({ref['kind']})"


def ref_id(ref: EntityRef | None) -> str | None:
    return ref["id"] if ref else None


def ref_name(ref: EntityRef | None) -> str | None:
    return ref["name"] if ref else None


def role_text(title: str, organisation: EntityRef | None) -> str:
    """A role and its organisation, the organisation's name once when the title ends with it."""
    if organisation is None:
        return title
    if title.endswith(organisation["name"]):
        return f"{title} ({organisation['kind']})"
    return f"{title}, {ref_text(organisation)}"


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
INFERRED_MARK = "*"  # beside a period whose year or date the article does not print
INFERRED_NOTE = f"{INFERRED_MARK} year or date inferred, not printed; --quotes shows the reading"


def period_short(fact: FactDoc) -> str:
    """The period as a reader says it: "Jan\u2013May 2023*", "2022*", "7 Jul 2023*", "now".

    A period the article states is shown in its words; a year or date that is a reading
    is shown short and marked INFERRED_MARK. The whole reading is period_full's.
    """
    period = fact["period"]
    if not period:
        return ""
    if not period["inferred"]:
        return period["as_stated"]
    if period["date"]:
        on_year, month, day = period["date"].split("-")
        return f"{int(day)} {MONTHS[int(month) - 1]} {on_year}{INFERRED_MARK}"
    year = period["year"]
    head = (period["reading"] or "").split(" \u2014 ")[0].split(";")[0].strip()
    if year is not None and str(year) in head and len(head) <= 24:
        for name, short in zip(_MONTH_NAMES, MONTHS, strict=True):
            head = head.replace(name, short)
        return head + INFERRED_MARK
    if year is not None:
        return f"{year}{INFERRED_MARK}"
    return period["as_stated"] + INFERRED_MARK


def period_full(fact: FactDoc) -> str:
    """The article's words for the period, then how they are read, in parentheses."""
    period = fact["period"]
    if not period:
        return ""
    if period["reading"]:
        return f"{period['as_stated']} ({period['reading']})"
    return period["as_stated"]


def has_inferred_period(facts: Iterable[FactDoc]) -> bool:
    return any(fact["period"] and fact["period"]["inferred"] for fact in facts)


def said_by(fact: FactDoc) -> str:
    """Who said or reported the fact, by name; "" when the article names nobody."""
    attributed = fact["attributed_to"]
    return attributed["name"] if attributed else ""


def quoted(quote: str) -> str:
    """The quote between curly quotes, unless the article's own quote marks open it."""
    if quote.startswith(('"', "\u201c")):
        return quote
    return f"\u201c{quote}\u201d"
