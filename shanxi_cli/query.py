"""Answer lookups from the store as plain data: the documented JSON shape, before rendering."""

from typing import Any, NamedTuple

from shanxi_cli.errors import Ambiguous, NotFound, ShanxiError, StoreError
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
            f"try: shanxi {command} {shell_word(elsewhere.name)}"
        )
    if match.candidates:
        names = ", ".join(c.item.name for c in match.candidates)
        raise NotFound(f"no {noun} matches {_shown(query)}; did you mean: {names}?")
    raise NotFound(f"no {noun} matches {_shown(query)}")


def _in_other_category(store: Store, query: str, category: str) -> Entity | None:
    others = [e for e in store.entities.values() if e.category != category]
    return NameIndex(others).match(query).item


def shell_word(text: str) -> str:
    """The text as one word of a shell command a user can paste."""
    import shlex

    return shlex.quote(text)


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
    organisation = (
        store.entities[entity.role.organisation]
        if entity.role and entity.role.organisation
        else None
    )
    # A person is where their organisation is; the article places people no other way.
    located = store.containment(organisation or entity)
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
                "organisation": entity_ref(organisation) if organisation else None,
                "quote": entity.role.quote,
            }
            if entity.role
            else None
        ),
        "places": [entity_ref(e) for e in contained if e.category == "place"],
        "organisations": [entity_ref(e) for e in contained if e.category == "organisation"],
        "people": [entity_ref(person) for person in _unique_by_id(people)],
        "quote": entity.quote,
        "facts": _records(store, store.facts_by_subject.get(entity.id, [])),
        "attributed": _records(store, store.facts_attributed.get(entity.id, [])),
        "mentioned_in": _records(store, store.facts_mentioning.get(entity.id, [])),
    }


def _records(store: Store, facts: list[Fact]) -> list[dict[str, Any]]:
    return [fact_record(store, fact) for fact in facts]


def _unique_by_id(entities: list[Entity]) -> list[Entity]:
    return list({entity.id: entity for entity in entities}.values())


class FactFilter(NamedTuple):
    """The `metric` command's filters; None means no filter."""

    minimum: float | None = None
    maximum: float | None = None
    period: str | None = None
    status: str | None = None

    def keeps(self, fact: Fact) -> bool:
        numeric = not isinstance(fact.value, str)
        if (self.minimum is not None or self.maximum is not None) and not numeric:
            return False
        if self.minimum is not None and not float(fact.value) >= self.minimum:
            return False
        if self.maximum is not None and not float(fact.value) <= self.maximum:
            return False
        if self.status is not None and fact.status != self.status:
            return False
        if self.period is not None:
            period = fact.period
            words = f"{period.as_stated} {period.reading or ''}" if period else ""
            if self.period.casefold() not in words.casefold():
                return False
        return True


NO_FILTER = FactFilter()


def metric_facts(
    store: Store,
    metric: Metric,
    subject: Entity | None,
    keep: FactFilter = NO_FILTER,
    sort: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """A metric's facts, narrowed, sorted and cut as asked; the store's order otherwise."""
    facts = [
        fact
        for fact in store.facts_by_metric.get(metric.id, [])
        if (subject is None or fact.subject == subject.id) and keep.keeps(fact)
    ]
    return ordered_records(store, facts, sort, limit)


def ordered_records(
    store: Store, facts: list[Fact], sort: str | None = None, limit: int | None = None
) -> list[dict[str, Any]]:
    """Facts as records, sorted and cut as asked; in the order given otherwise."""
    facts = list(facts)
    if sort == "value":
        # Figures first, largest first; claims after them, alphabetically.
        facts.sort(
            key=lambda f: (1, 0.0, f.value) if isinstance(f.value, str) else (0, -f.value, "")
        )
    elif sort == "subject":
        facts.sort(key=lambda f: store.entities[f.subject].name.casefold())
    elif sort == "metric":
        facts.sort(key=lambda f: store.metrics[f.metric].name.casefold())
    return _records(store, facts[:limit] if limit is not None else facts)


def find_fact(store: Store, fact_id: str) -> Fact:
    """A fact by its exact id; a miss suggests the nearest ids, it never picks one."""
    check_query(fact_id, "FACT_ID")
    wanted = fact_id.strip().casefold()
    if wanted in store.facts:
        return store.facts[wanted]
    from rapidfuzz import fuzz, process

    near = process.extract(wanted, list(store.facts), scorer=fuzz.ratio, limit=3, score_cutoff=60)
    if near:
        raise NotFound(
            f"no fact has the id {_shown(fact_id)}; did you mean: {', '.join(n[0] for n in near)}?"
        )
    raise NotFound(f"no fact has the id {_shown(fact_id)}")


def source_record(store: Store, fact: Fact, article_text: str) -> dict[str, Any]:
    """The fact with the paragraphs of the article its quote stands in, and its story."""
    from shanxi_cli.provenance import locate_quote, normalise_article, paragraphs

    article = normalise_article(article_text)
    spans = locate_quote(fact.quote, article)
    if spans is None:
        raise StoreError(f"the quote of {fact.id} is not in the article {store.source_file}")
    shown = []
    for paragraph in paragraphs(article_text):
        marks = [
            [
                max(start, paragraph.start) - paragraph.start,
                min(end, paragraph.end) - paragraph.start,
            ]
            for start, end in spans
            if start < paragraph.end and end > paragraph.start
        ]
        if marks:
            shown.append({"text": paragraph.text, "highlights": marks})
    # The story is the last one whose headline comes before the quote.
    starts = {story.id: article.find(story.headline) for story in store.stories}
    before = [story for story in store.stories if 0 <= starts[story.id] <= spans[0][0]]
    story = max(before, key=lambda candidate: starts[candidate.id], default=None)
    return {
        "fact": fact_record(store, fact),
        "story": (
            {"id": story.id, "headline": story.headline, "byline": story.byline} if story else None
        ),
        "paragraphs": shown,
    }


LISTABLE = {"towns": "place", "companies": "organisation", "people": "person"}


def list_entities(store: Store, what: str) -> list[dict[str, Any]]:
    """One category of entities, by name, with where each is and how many facts it has."""
    chosen = sorted(store.of_category(LISTABLE[what]), key=lambda e: e.name.casefold())
    return [
        {
            **entity_ref(entity),
            "located_in": entity.located_in.id if entity.located_in else None,
            "facts": len(store.facts_by_subject.get(entity.id, [])),
        }
        for entity in chosen
    ]


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
    number = readable_number(fact.value, money=fact.unit == "CNY" or _is_usd(fact.unit))
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
    return unit is not None and unit.startswith("USD")


def readable_number(value: int | float, *, money: bool = False) -> str:
    """Digits with thousands separators; large sums in millions or billions."""
    if money:
        for scale, word in ((10**9, "billion"), (10**6, "million")):
            if abs(value) >= scale:
                return f"{_trimmed(value / scale)} {word}"
    return _trimmed(value)


def _trimmed(number: int | float) -> str:
    # Six decimals absorb float noise (27920000000 / 1e9); the article prints at most two.
    return f"{number:,.6f}".rstrip("0").rstrip(".")
