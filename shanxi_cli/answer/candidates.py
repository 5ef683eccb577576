"""Everything `ask` can answer with: each fact, and each field of a place, organisation or
person that the article states (a role, where a place lies, what it is known for).

A candidate carries its fields as (field, text) pairs for matching, the verbatim quote
that states it, and the kind of answer it gives, so that the question's shape ("who",
"where", "how many") can prefer one kind over another.
"""

from collections.abc import Iterator
from typing import NamedTuple

from shanxi_cli.store.figures import display_value
from shanxi_cli.store.interface import Store, StoreRecords
from shanxi_cli.store.records import Entity, Fact, Metric

# What a field answer says, as a kind: the JSON `kind` of a field answer.
ROLE = "role"
LOCATED_IN = "located_in"
KNOWN_FOR = "known_for"


class Candidate(NamedTuple):
    kind: str  # "fact", ROLE, LOCATED_IN or KNOWN_FOR
    fact: Fact | None  # the fact of a fact answer
    entity: Entity  # the fact's subject, or the entity whose field answers
    text: str  # a field answer's text ("deputy chief of ..."); a fact's shown value
    quote: str
    fields: tuple[tuple[str, str], ...]  # (field, text) pairs to match words against
    names_a_place: bool = False  # a fact whose related entities include a place


def candidates(store: Store) -> Iterator[Candidate]:
    """Every fact, then every entity's stated fields, in store order."""
    for fact in store.facts.values():
        yield fact_candidate(store, fact)
    for entity in store.entities.values():
        yield from field_candidates(store, entity)


def _names(entity: Entity) -> list[tuple[str, str]]:
    return [("name", entity.name), *(("alias", alias) for alias in entity.aliases)]


def fact_candidate(store: Store, fact: Fact) -> Candidate:
    """The fact as a candidate: its subject's, metric's and own texts, in that order."""
    subject = store.entities[fact.subject]
    shown = display_value(fact)
    own, places = own_fields(store, fact, shown)
    fields = (*subject_fields(subject), *metric_fields(store.metrics[fact.metric]), *own)
    return Candidate("fact", fact, subject, shown, fact.quote, fields, places)


def subject_fields(subject: Entity) -> list[tuple[str, str]]:
    """A fact candidate's fields from its subject: the same for each of its facts."""
    fields: list[tuple[str, str]] = [("subject", text) for _, text in _names(subject)]
    fields.append(("subject", subject.kind))
    return fields


def metric_fields(metric: Metric) -> list[tuple[str, str]]:
    """A fact candidate's fields from its metric: the same for each of its facts."""
    fields = [("metric", metric.name)]
    fields += [("metric", alias) for alias in metric.aliases]
    fields += [("synonym", synonym) for synonym in metric.synonyms]
    fields.append(("description", metric.description))
    return fields


def own_fields(store: StoreRecords, fact: Fact, shown: str) -> tuple[list[tuple[str, str]], bool]:
    """A fact candidate's fields of its own (`shown` is its value as displayed), and
    whether one of its related entities is a place."""
    fields = [("value", shown)]
    for field, text in (
        ("value", fact.unit_as_stated),
        ("scope", fact.scope),
        ("note", fact.note),
        ("period", fact.period.as_stated if fact.period else None),
        ("status", fact.status if fact.status != "reported" else None),
    ):
        if text:
            fields.append((field, text))
    if fact.attributed_to and fact.attributed_to in store.entities:
        speaker = store.entities[fact.attributed_to]
        fields += [("speaker", text) for _, text in _names(speaker)]
    places = False
    for related in fact.related:
        if related in store.entities:
            fields.append(("related", store.entities[related].name))
            places = places or store.entities[related].category == "place"
    fields.append(("quote", fact.quote))
    return fields, places


def field_candidates(store: StoreRecords, entity: Entity) -> Iterator[Candidate]:
    """The entity's stated fields as candidates: its role, where it lies, what it is
    known for, in that order."""
    names = [("subject", text) for _, text in _names(entity)]
    names.append(("subject", entity.kind))
    if entity.role is not None:
        role = entity.role.title
        fields = [*names, ("role", role)]
        organisation = store.entities.get(entity.role.organisation or "")
        if organisation is not None:
            # The organisation's name once, when the title already ends with it.
            if not role.endswith(organisation.name):
                role = f"{role}, {organisation.name}"
            fields += [("related", text) for _, text in _names(organisation)]
            fields.append(("related", organisation.kind))
        fields.append(("quote", entity.role.quote))
        yield Candidate(ROLE, None, entity, role, entity.role.quote, tuple(fields))
    if entity.located_in is not None and entity.located_in.id in store.entities:
        place = store.entities[entity.located_in.id]
        fields = [*names, ("located in", place.name), ("quote", entity.located_in.quote)]
        yield Candidate(
            LOCATED_IN, None, entity, place.name, entity.located_in.quote, tuple(fields)
        )
    for known in entity.known_for:
        fields = [*names, ("known for", known.text), ("quote", known.quote)]
        yield Candidate(KNOWN_FOR, None, entity, known.text, known.quote, tuple(fields))
