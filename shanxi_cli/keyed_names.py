"""Name matching on an index: the same answer as NameIndex, reading only the candidates.

`matching.NameIndex` scores a query against every name and alias of a category, and
any entity none of whose keys scores above zero plays no part in its answer. So the
index finds, with its precomputed keys, every entity that could score (an id or key
equal to the query, a key the query is a prefix of, a name holding all of the query's
words, a key within rapidfuzz's ratio cutoff, scored in one pass over the category's
keys), loads only those, and lets NameIndex itself decide among them: the matching
rules stay in one place. The candidate set is a superset of what NameIndex can score,
which is what keeps the answers identical; a rule added to NameIndex that scores
entities none of these finds would need its own finder here.
"""

from collections.abc import Collection
from typing import TYPE_CHECKING

from shanxi_cli.matching import MIN_PARTIAL_LENGTH, SUGGEST_SCORE, Match, NameIndex, name_words
from shanxi_cli.store import Entity

if TYPE_CHECKING:
    from shanxi_cli.indexed_store import Reader, Table

# Below NameIndex's own cutoff, so a score at the boundary is never lost to rounding.
RATIO_CUTOFF = SUGGEST_SCORE - 1.0
# Matching keys and words are runs of letters and digits: no key holds this character,
# and every key starting with a prefix sorts before the prefix followed by it.
_AFTER_EVERY_KEY = "\U0010ffff"


def match_name(
    reader: "Reader", entities: "Table[Entity]", query: str, categories: Collection[str]
) -> Match[Entity]:
    chosen = sorted(categories)
    marks = ", ".join("?" for _ in chosen)
    in_categories = f"category IN ({marks})"
    words = name_words(query)
    key = "".join(words)
    positions: set[int] = set()

    def add(sql: str, *parameters: str) -> None:
        positions.update(row[0] for row in reader.rows(sql, (*parameters, *chosen)))

    if key:
        add(f"SELECT entity FROM name_keys WHERE key = ? AND {in_categories}", key)
    # An exact key decides among its owners (and their rivals by words) alone.
    known = bool(positions)
    add(f"SELECT position FROM entities WHERE id = ? AND {in_categories}", query.strip().casefold())
    positions |= _holding_all(reader, set(words), in_categories, chosen)
    if not known and key:
        if len(key) >= MIN_PARTIAL_LENGTH:
            add(
                f"SELECT entity FROM name_keys WHERE key >= ? AND key < ? AND {in_categories}",
                key,
                key + _AFTER_EVERY_KEY,
            )
        positions |= _near_keys(reader, key, in_categories, chosen)
    candidates = _load(reader, entities, positions)
    return NameIndex(candidates).match(query)


def _holding_all(
    reader: "Reader", words: set[str], in_categories: str, chosen: list[str]
) -> set[int]:
    """Entities with every one of the words among the words of their names and aliases."""
    holding: set[int] | None = None
    sql = f"SELECT entity FROM name_words WHERE word = ? AND {in_categories}"
    for word in sorted(words):
        found = {row[0] for row in reader.rows(sql, (word, *chosen))}
        holding = found if holding is None else holding & found
        if not holding:
            return set()
    return holding or set()


def _near_keys(reader: "Reader", key: str, in_categories: str, chosen: list[str]) -> set[int]:
    """Entities with a key within the ratio cutoff of the query's: one rapidfuzz pass."""
    from rapidfuzz import fuzz, process

    near: set[int] = set()
    sql = f"SELECT keys, entities FROM key_lists WHERE {in_categories}"
    for keys_text, owners_text in reader.rows(sql, chosen):
        keys = keys_text.split("\n")
        owners = owners_text.split("\n")
        for _, _, index in process.extract(
            key, keys, scorer=fuzz.ratio, limit=None, score_cutoff=RATIO_CUTOFF
        ):
            near.add(int(owners[index]))
    return near


def _load(reader: "Reader", entities: "Table[Entity]", positions: set[int]) -> list[Entity]:
    """The entities at these positions, in the store's order."""
    if not positions:
        return []
    ordered = sorted(positions)
    found: list[Entity] = []
    # SQLite limits the number of parameters of one statement; read in slices.
    for start in range(0, len(ordered), 500):
        part = ordered[start : start + 500]
        marks = ", ".join("?" for _ in part)
        found.extend(entities.where(f"position IN ({marks})", part))
    return found
