"""Answer lookups from the store as plain data: the documented JSON shape, before rendering."""

from __future__ import annotations

from typing import Any

from shanxi_cli.errors import Ambiguous, NotFound, ShanxiError
from shanxi_cli.matching import Match, NameIndex
from shanxi_cli.store import Entity, Fact, Metric, Store

# Metric names are matched like entity names, but no word is a suffix to drop.
NO_SUFFIXES: frozenset[str] = frozenset()
MAX_QUERY_LENGTH = 200

COMMAND_FOR_CATEGORY = {"place": "town", "organisation": "company", "person": "person"}
NOUN_FOR_CATEGORY = {
    "place": "place",
    "organisation": "company or organisation",
    "person": "person",
}


def check_query(query: str, what: str) -> str:
    """Refuse queries no name could match, before any matching work."""
    if not query.strip():
        raise ShanxiError(f"{what} must not be empty")
    if len(query) > MAX_QUERY_LENGTH:
        raise ShanxiError(f"{what} is {len(query):,} characters long; at most {MAX_QUERY_LENGTH}")
    return query


def find_entity(store: Store, query: str, category: str) -> tuple[Entity, Match[Entity]]:
    """The one entity of a category the query names, or NotFound / Ambiguous saying why."""
    check_query(query, "NAME")
    match = NameIndex(store.of_category(category)).match(query)
    if match.item is not None:
        return match.item, match
    noun = NOUN_FOR_CATEGORY[category]
    if match.method == "ambiguous":
        listed = "; ".join(f"{c.item.name} ({c.item.kind})" for c in match.candidates)
        plural = "companies or organisations" if category == "organisation" else f"{noun}s"
        raise Ambiguous(f"{_shown(query)} could be several {plural}: {listed}; say which")
    elsewhere = _in_other_category(store, query, category)
    if elsewhere is not None:
        command = COMMAND_FOR_CATEGORY[elsewhere.category]
        raise NotFound(
            f"{_shown(query)} is not a {noun}: {elsewhere.name} is a {elsewhere.kind}; "
            f"try: shanxi {command} {_shell_word(elsewhere.name)}"
        )
    if match.candidates:
        names = ", ".join(c.item.name for c in match.candidates)
        raise NotFound(f"no {noun} matches {_shown(query)}; did you mean: {names}?")
    raise NotFound(f"no {noun} matches {_shown(query)}")


def _in_other_category(store: Store, query: str, category: str) -> Entity | None:
    others = [e for e in store.entities.values() if e.category != category]
    return NameIndex(others).match(query).item


def _shell_word(text: str) -> str:
    return f"'{text}'" if not text.replace("-", "").isalnum() else text


def _shown(query: str) -> str:
    """The query as it appears in a message: shortened and quoted."""
    return repr(query if len(query) <= 60 else query[:57] + "...")


def find_metric(store: Store, query: str) -> tuple[Metric, Match[Metric]]:
    check_query(query, "QUERY")
    match = NameIndex(store.metrics.values(), drop=NO_SUFFIXES).match(query)
    if match.item is not None:
        return match.item, match
    if match.method == "ambiguous":
        listed = "; ".join(c.item.name for c in match.candidates)
        raise Ambiguous(f"{_shown(query)} could be several metrics: {listed}; say which")
    hint = "; run 'shanxi metric' to list them all"
    if match.candidates:
        names = ", ".join(c.item.name for c in match.candidates)
        raise NotFound(f"no metric matches {_shown(query)}; did you mean: {names}?{hint}")
    raise NotFound(f"no metric matches {_shown(query)}{hint}")


def match_record(match: Match[Any]) -> dict[str, Any]:
    return {"query": match.query, "method": match.method, "score": round(match.score, 1)}


def entity_ref(entity: Entity) -> dict[str, str]:
    return {"id": entity.id, "name": entity.name, "kind": entity.kind}


def fact_record(store: Store, fact: Fact) -> dict[str, Any]:
    """One fact in the JSON contract (README: "Fact object")."""
    subject = store.entities[fact.subject]
    metric = store.metrics[fact.metric]
    attributed = store.entities[fact.attributed_to] if fact.attributed_to else None
    return {
        "id": fact.id,
        "subject": entity_ref(subject),
        "metric": metric.id,
        "metric_name": metric.name,
        "value": fact.value,
        "unit": fact.unit,
        "qualifier": fact.qualifier,
        "usd_as_stated": fact.usd_as_stated,
        "display": display_value(fact),
        "period": (
            {"as_stated": fact.period.as_stated, "reading": fact.period.reading}
            if fact.period
            else None
        ),
        "status": fact.status,
        "attributed_to": entity_ref(attributed) if attributed else None,
        "related": [entity_ref(store.entities[other]) for other in fact.related],
        "scope": fact.scope,
        "note": fact.note,
        "quote": fact.quote,
    }


def entity_record(store: Store, entity: Entity, match: Match[Entity]) -> dict[str, Any]:
    """A place, organisation or person with everything the store says of it."""
    located = store.containment(entity)
    contained = store.children.get(entity.id, [])
    people = list(store.members.get(entity.id, []))
    if entity.category == "place":
        organisations = [e for e in contained if e.category == "organisation"]
        people += [p for o in organisations for p in store.members.get(o.id, [])]
    return {
        "id": entity.id,
        "name": entity.name,
        "kind": entity.kind,
        "category": entity.category,
        "aliases": list(entity.aliases),
        "match": match_record(match),
        "located_in": [entity_ref(place) for place in located],
        "located_in_quote": entity.located_in.quote if entity.located_in else None,
        "known_for": [{"text": item.text, "quote": item.quote} for item in entity.known_for],
        "role": (
            {
                "title": entity.role.title,
                "organisation": (
                    entity_ref(store.entities[entity.role.organisation])
                    if entity.role.organisation
                    else None
                ),
                "quote": entity.role.quote,
            }
            if entity.role
            else None
        ),
        "places": [entity_ref(e) for e in contained if e.category == "place"],
        "organisations": [entity_ref(e) for e in contained if e.category == "organisation"],
        "people": [entity_ref(person) for person in _unique_by_id(people)],
        "quote": entity.quote,
        "facts": [fact_record(store, fact) for fact in store.facts_by_subject.get(entity.id, [])],
        "mentioned_in": [
            fact_record(store, fact) for fact in store.facts_mentioning.get(entity.id, [])
        ],
    }


def _unique_by_id(entities: list[Entity]) -> list[Entity]:
    return list({entity.id: entity for entity in entities}.values())


def metric_facts(store: Store, metric: Metric, subject: Entity | None) -> list[dict[str, Any]]:
    facts = store.facts_by_metric.get(metric.id, [])
    if subject is not None:
        facts = [fact for fact in facts if fact.subject == subject.id]
    return [fact_record(store, fact) for fact in facts]


def metric_vocabulary(store: Store) -> list[dict[str, Any]]:
    return [
        {
            "id": metric.id,
            "name": metric.name,
            "aliases": list(metric.aliases),
            "type": metric.type,
            "description": metric.description,
            "facts": len(store.facts_by_metric.get(metric.id, [])),
        }
        for metric in store.metrics.values()
    ]


def display_value(fact: Fact) -> str:
    """The figure as a reader says it: "more than 50,000 jobs", "about 20.15 billion yuan"."""
    if isinstance(fact.value, str):
        return fact.value
    number = readable_number(fact.value, money=fact.unit in ("CNY", "USD") or _is_usd(fact.unit))
    unit = fact.unit or ""
    if unit == "CNY":
        text = f"{number} yuan"
    elif _is_usd(unit):
        text = f"${number}{unit[3:]}"
    elif unit == "%":
        text = f"{number}%"
    else:
        text = f"{number} {unit}".rstrip()
    if fact.qualifier == "plus":
        text = text.replace(number, f"{number}-plus", 1)
    elif fact.qualifier != "exact":
        text = f"{fact.qualifier} {text}"
    if fact.usd_as_stated is not None:
        text += f" (${readable_number(fact.usd_as_stated, money=True)} as stated)"
    if fact.scope:
        text += f" \N{EM DASH} {fact.scope}"
    return text


def _is_usd(unit: str | None) -> bool:
    return bool(unit) and unit is not None and unit.startswith("USD")


def readable_number(value: int | float, *, money: bool = False) -> str:
    """Digits with thousands separators; large sums in millions or billions, never rounded."""
    from decimal import Decimal

    exact = Decimal(str(value))
    if money:
        for scale, word in ((Decimal(10**9), "billion"), (Decimal(10**6), "million")):
            if abs(exact) >= scale:
                scaled = exact / scale
                return f"{_plain(scaled)} {word}"
    return _plain(exact)


def _plain(number: Any) -> str:
    text = f"{number.normalize():,f}"
    return text
