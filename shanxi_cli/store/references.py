"""The checks that span records, run once every record has passed its own checks.

Every entity, metric and document a record names exists, and a located_in link names a
place; containment has no cycle; no name or alias is claimed by two entities of one
kind; a fact's value is a number for a figure and words for a claim, with a unit only
for a figure. Each check is linear in the store, and a failure names its exact place
(`facts[12].metric: ...`). `store/schema.py` checks each record alone.
"""

from collections.abc import Mapping

from shanxi_cli.store.fields import _fail, _Place
from shanxi_cli.store.records import Document, Entity, Excluded, Fact, Metric, Story
from shanxi_cli.text.escape import brief


def check_across_records(
    documents: dict[str, Document],
    stories: tuple[Story, ...],
    metrics: dict[str, Metric],
    entities: dict[str, Entity],
    facts: dict[str, Fact],
    excluded: tuple[Excluded, ...],
) -> None:
    """Raise the first problem found, at its exact place (`facts[12].metric: ...`)."""
    _check_references(entities, metrics, facts)
    _check_documents(documents, stories, entities, facts, excluded)
    _check_units(metrics, facts)


def _check_references(
    entities: dict[str, Entity], metrics: dict[str, Metric], facts: dict[str, Fact]
) -> None:
    positions = {entity_id: index for index, entity_id in enumerate(entities)}

    def resolve(entity_id: str, where: _Place) -> Entity:
        if entity_id not in entities:
            raise _fail(where, f"unknown entity {brief(entity_id)!r}")
        return entities[entity_id]

    for entity in entities.values():
        at = ("entities", positions[entity.id])
        if entity.located_in:
            link = ((at, "located_in"), "id")
            if entity.located_in.id == entity.id:
                raise _fail(link, "an entity cannot contain itself")
            if resolve(entity.located_in.id, link).category != "place":
                raise _fail(link, f"{entity.located_in.id!r} is not a place")
        if entity.role and entity.role.organisation:
            resolve(entity.role.organisation, ((at, "role"), "organisation"))
    _check_containment_cycles(entities, positions)
    _check_alias_claims(entities, positions)
    for index, fact in enumerate(facts.values()):
        at = ("facts", index)
        resolve(fact.subject, (at, "subject"))
        if fact.metric not in metrics:
            raise _fail((at, "metric"), f"unknown metric {brief(fact.metric)!r}")
        if fact.attributed_to:
            resolve(fact.attributed_to, (at, "attributed_to"))
        for position, other in enumerate(fact.related):
            resolve(other, ((at, "related"), position))
        is_claim = metrics[fact.metric].type == "claim"
        if is_claim != isinstance(fact.value, str):
            kind, needed = ("claim", "a string") if is_claim else ("figure", "a number")
            raise _fail(
                (at, "value"), f"metric {fact.metric!r} is a {kind}; the value must be {needed}"
            )


def _check_alias_claims(entities: dict[str, Entity], positions: dict[str, int]) -> None:
    claimed: dict[tuple[str, str], str] = {}
    for entity in entities.values():
        for name in {
            entity.name.casefold(),
            *(alias.casefold() for alias in entity.aliases),
        }:
            owner = claimed.setdefault((entity.kind, name), entity.id)
            if owner != entity.id:
                raise _fail(
                    f"entities[{positions[entity.id]}].aliases",
                    f"{brief(name)!r} is already a name of {owner!r}, another {entity.kind}",
                )


def _check_containment_cycles(entities: dict[str, Entity], positions: dict[str, int]) -> None:
    parents = {e.id: e.located_in.id for e in entities.values() if e.located_in is not None}
    start = cycle_start(parents)
    if start is not None:
        raise _fail(f"entities[{positions[start]}].located_in", "containment forms a cycle")


def cycle_start(parents: Mapping[str, str]) -> str | None:
    """The first id, in the mapping's order, whose walk up its parents comes back on
    itself; None if containment has no cycle.

    Each walk up stops at an id an earlier walk has already followed out of the store,
    so every link is followed once and a chain thousands of places deep costs no more
    than thousands of shallow ones."""
    settled: set[str] = set()
    for start in parents:
        walk: set[str] = set()
        current: str | None = start
        while current is not None and current not in settled:
            if current in walk:
                return start
            walk.add(current)
            current = parents.get(current)
        settled |= walk
    return None


def _check_documents(
    documents: dict[str, Document],
    stories: tuple[Story, ...],
    entities: dict[str, Entity],
    facts: dict[str, Fact],
    excluded: tuple[Excluded, ...],
) -> None:
    """Every record that quotes an article names one of the store's documents."""
    for field, cited in (
        ("stories", [story.document for story in stories]),
        ("entities", [entity.document for entity in entities.values()]),
        ("facts", [fact.document for fact in facts.values()]),
        ("excluded_figures", [item.document for item in excluded]),
    ):
        for index, document in enumerate(cited):
            if document not in documents:
                raise _fail(((field, index), "document"), f"unknown document {document!r}")


def _check_units(metrics: dict[str, Metric], facts: dict[str, Fact]) -> None:
    """A figure has a unit; a claim, whose words carry everything, has none."""
    for index, fact in enumerate(facts.values()):
        is_claim = metrics[fact.metric].type == "claim"
        if is_claim != (fact.unit is None):
            needed = "null for a claim" if is_claim else "a unit code for a figure"
            raise _fail((("facts", index), "unit"), f"must be {needed}")
