"""Store records as documents of the JSON contract (`output/contract.py`), built in one place."""

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from shanxi_cli.answer.lookup import QuoteSite
from shanxi_cli.output.contract import (
    EntityDoc,
    EntityRef,
    FactDoc,
    ListedEntityDoc,
    MatchDoc,
    MetricDoc,
    PeriodDoc,
    RoleDoc,
    SearchHitDoc,
    SourceDoc,
    VerifyDoc,
)
from shanxi_cli.store.figures import display_value
from shanxi_cli.store.interface import Store
from shanxi_cli.store.records import Entity, Fact, Metric, Period
from shanxi_cli.text.names import Match

if TYPE_CHECKING:
    from shanxi_cli.answer.search import Hit


def entity_ref(entity: Entity) -> EntityRef:
    return {"id": entity.id, "name": entity.name, "kind": entity.kind}


def match_doc(match: Match[Any]) -> MatchDoc:
    return {"query": match.query, "method": match.method, "score": round(match.score, 1)}


def fact_doc(store: Store, fact: Fact) -> FactDoc:
    """One fact (README: "Fact object")."""
    attributed = store.entities[fact.attributed_to] if fact.attributed_to else None
    # A figure is a number in `value`, a claim text in `claim`: one type a key, in JSON
    # and CSV alike. A claim's bound is in its words, so its qualifier is null unless the
    # store gives it one.
    claim = fact.value if isinstance(fact.value, str) else None
    return {
        "id": fact.id,
        "subject": entity_ref(store.entities[fact.subject]),
        "metric": fact.metric,
        "metric_name": store.metrics[fact.metric].name,
        "value": None if isinstance(fact.value, str) else fact.value,
        "claim": claim,
        "unit": fact.unit,
        "unit_as_stated": fact.unit_as_stated,
        "qualifier": None if claim is not None and fact.qualifier == "exact" else fact.qualifier,
        "usd_as_stated": fact.usd_as_stated,
        "display": display_value(fact),
        "period": period_doc(fact.period) if fact.period else None,
        "status": fact.status,
        "attributed_to": entity_ref(attributed) if attributed else None,
        "related": [entity_ref(store.entities[other]) for other in fact.related],
        "scope": fact.scope,
        "note": fact.note,
        "quote": fact.quote,
        "document": fact.document,
    }


def period_doc(period: Period) -> PeriodDoc:
    return {
        "as_stated": period.as_stated,
        "reading": period.reading,
        "year": period.year,
        "date": period.date,
        "inferred": period.inferred,
        "start_year": period.start_year,
        "end_year": period.end_year,
    }


def fact_docs(store: Store, facts: Iterable[Fact]) -> list[FactDoc]:
    return [fact_doc(store, fact) for fact in facts]


def entity_doc(store: Store, entity: Entity, match: Match[Entity]) -> EntityDoc:
    """A place, organisation or person with everything the store says of it."""
    role = entity.role
    organisation = store.entities[role.organisation] if role and role.organisation else None
    # The article places no person; their role names the organisation, which has a place.
    located = store.containment(entity)
    contained = store.children.get(entity.id, [])
    people = list(store.members.get(entity.id, []))
    if entity.category == "place":
        organisations = [e for e in contained if e.category == "organisation"]
        people += [p for o in organisations for p in store.members.get(o.id, [])]
    role_doc: RoleDoc | None = None
    if role:
        role_doc = {
            "title": role.title,
            "organisation": entity_ref(organisation) if organisation else None,
            "quote": role.quote,
        }
    return {
        "id": entity.id,
        "name": entity.name,
        "kind": entity.kind,
        "category": entity.category,
        "aliases": list(entity.aliases),
        "general_knowledge": {
            "of_kind": entity.general_knowledge.kind,
            "aliases": list(entity.general_knowledge.aliases),
        },
        "match": match_doc(match),
        "located_in": [entity_ref(place) for place in located],
        "located_in_quote": entity.located_in.quote if entity.located_in else None,
        "known_for": [{"text": item.text, "quote": item.quote} for item in entity.known_for],
        "role": role_doc,
        "places": [entity_ref(e) for e in contained if e.category == "place"],
        "organisations": [entity_ref(e) for e in contained if e.category == "organisation"],
        "people": [entity_ref(person) for person in {p.id: p for p in people}.values()],
        "quote": entity.quote,
        "facts": fact_docs(store, store.facts_by_subject.get(entity.id, [])),
        "attributed": fact_docs(store, store.facts_attributed.get(entity.id, [])),
        "mentioned_in": fact_docs(store, store.facts_mentioning.get(entity.id, [])),
    }


def facts_shown_for(store: Store, entity: Entity) -> int:
    """How many facts `town`/`company`/`person` shows for the entity: each counted once."""
    ids = {
        fact.id
        for index in (store.facts_by_subject, store.facts_attributed, store.facts_mentioning)
        for fact in index.get(entity.id, [])
    }
    return len(ids)


def listed_entity_doc(store: Store, entity: Entity) -> ListedEntityDoc:
    return {
        **entity_ref(entity),
        "located_in": [entity_ref(place) for place in store.containment(entity)],
        "fact_count": facts_shown_for(store, entity),
    }


def metric_docs(store: Store) -> list[MetricDoc]:
    """The metric vocabulary, in the store's order."""
    return [metric_doc(store, metric) for metric in store.metrics.values()]


def metric_doc(store: Store, metric: Metric) -> MetricDoc:
    return {
        "id": metric.id,
        "name": metric.name,
        "aliases": list(metric.aliases),
        "type": metric.type,
        "description": metric.description,
        "fact_count": len(store.facts_by_metric.get(metric.id, [])),
    }


def source_doc(store: Store, fact: Fact, site: QuoteSite) -> SourceDoc:
    story = site.story
    return {
        "fact": fact_doc(store, fact),
        "story": (
            {"id": story.id, "headline": story.headline, "deck": story.deck, "byline": story.byline}
            if story
            else None
        ),
        "paragraphs": [
            {"text": text, "highlights": [[start, end] for start, end in marks]}
            for text, marks in site.paragraphs
        ],
    }


def search_hit_doc(store: Store, hit: "Hit", command: str) -> SearchHitDoc:
    """A search hit; a fact's hit says who said or reported it, as its fact object does."""
    fact = store.facts.get(hit.id) if hit.kind == "fact" else None
    speaker = store.entities[fact.attributed_to] if fact and fact.attributed_to else None
    return {
        "kind": hit.kind,
        "id": hit.id,
        "label": hit.label,
        "matched": hit.matched,
        "attributed_to": entity_ref(speaker) if speaker else None,
        "score": round(hit.score, 2),
        "command": command,
    }


def verify_doc(store: Store, problems: list[str]) -> VerifyDoc:
    return {
        "store": store.path,
        "documents": [document.file for document in store.documents.values()],
        "entity_count": len(store.entities),
        "fact_count": len(store.facts),
        "excluded_figure_count": len(store.excluded_figures),
        "problems": problems,
    }
