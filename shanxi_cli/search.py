"""One ranked search across everything the store holds: names, aliases, metrics, claims, quotes.

Names and metric words are scored by whole-string similarity (ratio), or by partial_ratio
when the name is at least as long as the query (so "fenjiu" finds "Xinghuacun Fenjiu
Group", but the alias "Bai" does not match "baijiu"). Claims and quotes are scored with
partial_ratio (the best-matching stretch of a long text), discounted by QUOTE_WEIGHT so
that a name outranks a passing mention at the same score. Each group is scored in one
vectorised call; an item's score is its best text's. Ties break on kind, then label, so
the order is stable.
"""

from typing import Any, NamedTuple

from shanxi_cli.documents import display_value
from shanxi_cli.errors import ShanxiError
from shanxi_cli.query import check_query
from shanxi_cli.store import Store

MIN_SEARCH_LENGTH = 3
NAME_CUTOFF = 75.0
PARTIAL_CUTOFF = 85.0
QUOTE_WEIGHT = 0.95
KIND_ORDER = {"place": 0, "organisation": 1, "person": 2, "metric": 3, "fact": 4}


class Hit(NamedTuple):
    kind: str
    id: str
    label: str
    matched: str  # what matched: "name", "alias", "value" or "quote"
    score: float

    def record(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "label": self.label,
            "matched": self.matched,
            "score": round(self.score, 1),
        }


def search(store: Store, text: str, limit: int = 20) -> list[Hit]:
    check_query(text, "TEXT")
    query = " ".join(text.casefold().split())
    if len(query) < MIN_SEARCH_LENGTH:
        raise ShanxiError(f"TEXT needs at least {MIN_SEARCH_LENGTH} characters to search")
    from rapidfuzz import fuzz, process

    names: list[tuple[str, Hit]] = []
    for entity in store.entities.values():
        label = f"{entity.name} ({entity.kind})"
        names.append((entity.name, Hit(entity.category, entity.id, label, "name", 0)))
        for alias in entity.aliases:
            names.append((alias, Hit(entity.category, entity.id, label, "alias", 0)))
    for metric in store.metrics.values():
        names.append((metric.name, Hit("metric", metric.id, metric.name, "name", 0)))
        for alias in metric.aliases:
            names.append((alias, Hit("metric", metric.id, metric.name, "alias", 0)))
    texts: list[tuple[str, Hit]] = []
    for fact in store.facts.values():
        subject = store.entities[fact.subject].name
        label = f"{subject}: {display_value(fact)}"
        if isinstance(fact.value, str):
            texts.append((fact.value, Hit("fact", fact.id, label, "value", 0)))
        texts.append((fact.quote, Hit("fact", fact.id, label, "quote", 0)))

    best: dict[tuple[str, str], Hit] = {}
    longer_names = [(c, hit) for c, hit in names if len(c) >= len(query)]
    for group, scorer, cutoff, weight in (
        (names, fuzz.ratio, NAME_CUTOFF, 1.0),
        (longer_names, fuzz.partial_ratio, PARTIAL_CUTOFF, 1.0),
        (texts, fuzz.partial_ratio, PARTIAL_CUTOFF, QUOTE_WEIGHT),
    ):
        choices = [candidate.casefold() for candidate, _ in group]
        for _, score, index in process.extract(
            query, choices, scorer=scorer, limit=None, score_cutoff=cutoff
        ):
            hit = group[index][1]
            weighted = score * weight
            key = (hit.kind, hit.id)
            if key not in best or weighted > best[key].score:
                best[key] = Hit(hit.kind, hit.id, hit.label, hit.matched, weighted)
    ranked = sorted(best.values(), key=lambda h: (-h.score, KIND_ORDER[h.kind], h.label))
    return ranked[:limit]
