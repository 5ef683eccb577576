"""The store's records and closed vocabularies, as docs/SCHEMA.md describes them."""

from typing import NamedTuple

SCHEMA_VERSION = 2

PLACE_KINDS = frozenset(
    {
        "continent",
        "country",
        "region",
        "province",
        "municipality",
        "city",
        "county",
        "district",
        "township",
        "village",
        "mountain range",
        "landmark",
        "group",
    }
)
ORGANISATION_KINDS = frozenset(
    {
        "company",
        "cooperative",
        "facility",
        "government body",
        "customs house",
        "legislature",
        "political party",
        "military force",
        "newspaper",
    }
)
PERSON_KINDS = frozenset({"person"})
CATEGORY_OF_KIND = {
    **{kind: "place" for kind in PLACE_KINDS},
    **{kind: "organisation" for kind in ORGANISATION_KINDS},
    **{kind: "person" for kind in PERSON_KINDS},
}
QUALIFIERS = ("exact", "more than", "about", "plus", "up to", "less than")
STATUSES = ("reported", "expected", "target", "pledge")
METRIC_TYPES = ("figure", "claim")
# The unit codes a figure may carry; what each means is in docs/SCHEMA.md ("Units").
# The article's own words for the unit are kept beside the code, in `unit_as_stated`.
UNITS = {
    "CNY": "Chinese yuan",
    "USD": "US dollars",
    "USD/lb": "US dollars per pound",
    "t": "metric tons",
    "%": "percent",
    "count": "a number of things; unit_as_stated says of what",
    "year": "years, as a length of time",
    "decade": "decades, as a length of time; the article's number is kept (six decades is 6)",
    "ordinal": "a place in a series: 16 for 'the 16th'; unit_as_stated says of what",
    "top": "the size of the top group of a ranking: 3 for 'among the top three'",
}
# The codes that are lengths of time: what "how long" asks for.
TIME_UNITS = frozenset({"year", "decade"})


class Sourced(NamedTuple):
    """A piece of text the article states, with the quote that states it."""

    text: str
    quote: str


class Link(NamedTuple):
    """A reference to another entity, with the quote that states it."""

    id: str
    quote: str


class Role(NamedTuple):
    title: str
    organisation: str | None
    quote: str


class GeneralKnowledge(NamedTuple):
    """What the store says of an entity that the article does not support."""

    kind: bool
    aliases: tuple[str, ...]


class Entity(NamedTuple):
    id: str
    kind: str
    name: str
    aliases: tuple[str, ...]
    general_knowledge: GeneralKnowledge
    document: str
    quote: str
    located_in: Link | None
    known_for: tuple[Sourced, ...]
    role: Role | None

    @property
    def category(self) -> str:
        return CATEGORY_OF_KIND[self.kind]


class Metric(NamedTuple):
    id: str
    name: str
    aliases: tuple[str, ...]
    type: str
    description: str
    # Optional in a store: words readers use for the metric that are not names of it.
    synonyms: tuple[str, ...] = ()


class Period(NamedTuple):
    as_stated: str
    reading: str | None
    year: int | None
    date: str | None
    inferred: bool
    # A span of years the words print ("(1931-45)"): its first and last year. Optional
    # in a store (absent is null), always present in output.
    start_year: int | None = None
    end_year: int | None = None


class Fact(NamedTuple):
    id: str
    document: str
    subject: str
    metric: str
    value: int | float | str
    unit: str | None
    unit_as_stated: str | None
    qualifier: str
    usd_as_stated: int | float | None
    period: Period | None
    status: str
    attributed_to: str | None
    related: tuple[str, ...]
    scope: str | None
    note: str | None
    quote: str


class Document(NamedTuple):
    """An article the store cites: its file under the store's folder."""

    id: str
    file: str
    title: str
    date: str | None


class Story(NamedTuple):
    id: str
    document: str
    headline: str
    deck: str | None
    byline: str


class Excluded(NamedTuple):
    document: str
    figure: str
    context: str
    reason: str


class Corpus(NamedTuple):
    """What `search` reads of a store (answer/search_texts.py), kept whole in an index."""

    records: list[tuple[str, str, str]]  # kind ("entity", "metric" or "fact"), id, folded text
    average: dict[str, float]  # each field's average length in characters
