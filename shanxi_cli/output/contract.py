"""The JSON contract: one shape per record, the same in every command and format.

These types are the documents the README's "JSON contract" section describes; every
view's document is built from them, so a key has one type wherever it appears (a
reference to an entity is always an `EntityRef`, a list is `[]` when empty, never null).
"""

from typing import TypedDict, final


class EntityRef(TypedDict):
    id: str
    name: str
    kind: str


class PeriodDoc(TypedDict):
    as_stated: str
    reading: str | None
    year: int | None
    date: str | None
    inferred: bool
    start_year: int | None  # a span of years the words print ("1931-45"): its first year
    end_year: int | None  # and its last


class FactDoc(TypedDict):
    id: str
    subject: EntityRef
    metric: str
    metric_name: str
    value: int | float | None  # a figure; null for a claim
    claim: str | None  # a claim in the article's words; null for a figure
    unit: str | None
    unit_as_stated: str | None
    qualifier: str | None  # null for a claim whose words state no bound
    usd_as_stated: int | float | None
    display: str
    period: PeriodDoc | None
    status: str
    attributed_to: EntityRef | None
    related: list[EntityRef]
    scope: str | None
    note: str | None
    quote: str
    document: str


class MatchDoc(TypedDict):
    query: str
    method: str
    score: float


class SourcedDoc(TypedDict):
    text: str
    quote: str


class RoleDoc(TypedDict):
    title: str
    organisation: EntityRef | None
    quote: str


class GeneralKnowledgeDoc(TypedDict):
    of_kind: bool  # the article does not say what kind of thing the entity is
    aliases: list[str]


class EntityDoc(TypedDict):
    id: str
    name: str
    kind: str
    category: str
    aliases: list[str]
    general_knowledge: GeneralKnowledgeDoc
    match: MatchDoc
    located_in: list[EntityRef]
    located_in_quote: str | None
    known_for: list[SourcedDoc]
    role: RoleDoc | None
    places: list[EntityRef]
    organisations: list[EntityRef]
    people: list[EntityRef]
    quote: str
    facts: list[FactDoc]
    attributed: list[FactDoc]
    mentioned_in: list[FactDoc]


class ListedEntityDoc(TypedDict):
    id: str
    name: str
    kind: str
    located_in: list[EntityRef]
    fact_count: int


class MetricDoc(TypedDict):
    id: str
    name: str
    aliases: list[str]
    type: str
    description: str
    fact_count: int


class SearchHitDoc(TypedDict):
    kind: str
    id: str
    label: str
    matched: str
    attributed_to: EntityRef | None
    score: float
    command: str


class StoryDoc(TypedDict):
    id: str
    headline: str
    deck: str | None
    byline: str


class ParagraphDoc(TypedDict):
    text: str
    highlights: list[list[int]]


class SourceDoc(TypedDict):
    fact: FactDoc
    story: StoryDoc | None
    paragraphs: list[ParagraphDoc]


class VerifyDoc(TypedDict):
    store: str
    documents: list[str]
    entity_count: int
    fact_count: int
    excluded_figure_count: int
    problems: list[str]


# final: `"fact" in answer` tells the two kinds of answer apart, for mypy too.
@final
class FactAnswerDoc(TypedDict):
    """One of `ask`'s answers that is a fact."""

    rank: int
    score: float
    kind: str  # "fact"
    fact: FactDoc


@final
class FieldAnswerDoc(TypedDict):
    """One of `ask`'s answers that is a stated field of an entity."""

    rank: int
    score: float
    kind: str  # "role", "located_in" or "known_for"
    entity: EntityRef
    text: str
    quote: str


AnswerDoc = FactAnswerDoc | FieldAnswerDoc
