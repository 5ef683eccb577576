"""The texts `search` reads, folded once per record: what an index of a large store keeps.

A record is (kind, id, blob): every text the store shows of an entity, metric or fact,
folded and joined, so a search filters by substring before stemming anything. The field
averages BM25F needs are taken over the first records of each kind. An index of a large
store keeps both (index/build.py), so a search there reads them instead of every record.
"""

from collections.abc import Iterator
from itertools import islice

from shanxi_cli.store.figures import display_value
from shanxi_cli.store.interface import Store, StoreRecords
from shanxi_cli.store.per_store import per_store
from shanxi_cli.store.records import Corpus, Entity, Fact, Metric
from shanxi_cli.text.words import fold

AVERAGE_SAMPLE = 2000


def corpus_of(store: Store) -> Corpus:
    """The store's search corpus: from its index when it has one, else computed."""

    def read() -> Corpus:
        from_index = store.search_corpus()
        return from_index if from_index is not None else computed_corpus(store)

    return per_store(store, "search corpus", read)


def computed_corpus(store: Store) -> Corpus:
    return Corpus(list(corpus_records(store)), field_averages(store))


def corpus_records(store: StoreRecords) -> Iterator[tuple[str, str, str]]:
    """(kind, id, folded blob) of every entity, metric and fact, in the store's order."""
    for item in items(store):
        blob = fold("\n".join([text for _, text in texts(store, item)]))
        yield _KIND[type(item)], item.id, blob


def field_averages(store: StoreRecords) -> dict[str, float]:
    """Each field's average length over the first AVERAGE_SAMPLE records of each kind."""
    sizes: dict[str, list[int]] = {}
    sample: list[Entity | Metric | Fact] = [
        *islice(store.entities.values(), AVERAGE_SAMPLE),
        *islice(store.metrics.values(), AVERAGE_SAMPLE),
        *islice(store.facts.values(), AVERAGE_SAMPLE),
    ]
    for item in sample:
        for field, text in texts(store, item):
            if not text:
                continue
            size = sizes.setdefault(field, [0, 0])
            size[0] += len(text)
            size[1] += 1
    return {field: max(1.0, total / count) for field, (total, count) in sizes.items()}


_KIND = {Entity: "entity", Metric: "metric", Fact: "fact"}


def item_of(store: Store, kind: str, item_id: str) -> Entity | Metric | Fact:
    if kind == "entity":
        return store.entities[item_id]
    return store.metrics[item_id] if kind == "metric" else store.facts[item_id]


def items(store: StoreRecords) -> Iterator[Entity | Metric | Fact]:
    yield from store.entities.values()
    yield from store.metrics.values()
    yield from store.facts.values()


def texts(store: StoreRecords, item: Entity | Metric | Fact) -> list[tuple[str, str]]:
    """Each text the store shows of an item, with the field it is in."""
    if isinstance(item, Entity):
        found = [("name", item.name), ("kind", item.kind), ("quote", item.quote)]
        found += [("alias", alias) for alias in item.aliases]
        found += [("known for", known.text) for known in item.known_for]
        if item.role:
            found.append(("role", item.role.title))
            if item.role.organisation:
                found.append(("role", store.entities[item.role.organisation].name))
        if item.located_in:
            found.append(("located in", store.entities[item.located_in.id].name))
            found.append(("located in", item.located_in.quote))
        return found
    if isinstance(item, Metric):
        found = [("name", item.name), ("description", item.description)]
        found += [("alias", alias) for alias in item.aliases]
        return found + [("synonym", synonym) for synonym in item.synonyms]
    found = [
        ("value", display_value(item)),
        ("value", str(item.value)),
        ("metric", store.metrics[item.metric].name),
        ("subject", store.entities[item.subject].name),
        ("scope", item.scope or ""),
        ("note", item.note or ""),
    ]
    if item.period:
        found += [("period", item.period.as_stated), ("period", item.period.reading or "")]
    found += [("related", store.entities[other].name) for other in item.related]
    found.append(("quote", item.quote))
    return found
