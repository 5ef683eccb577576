"""Name matching on an index: the same answer as NameIndex, reading only the candidates.

`NameIndex` (text/names.py) scores a query against every name and alias of a category; an
entity none of whose keys scores above zero plays no part in its answer, and of the
others only those near the top do: the best, its rivals within AMBIGUITY_MARGIN, and
when nothing is accepted the first MAX_SUGGESTIONS suggestions. So the index

1. finds, with its precomputed keys, every entity that could score, each with an upper
   bound of its score: an id or key equal to the query (100), a key the query is a
   prefix of or a name holding all of the query's words (PARTIAL_SCORE), a key within
   the ratio cutoff (its exact fuzz.ratio, all keys of the category in one rapidfuzz
   pass);
2. loads a short list of the highest bounds and lets NameIndex itself decide among
   them, so that the matching rules stay in one place;
3. keeps that answer only if no entity left out could have changed it (its bound is
   below the rivals' margin and below the suggestions shown), and otherwise asks
   NameIndex again with every entity of step 1.

Step 1 must find a superset of what NameIndex scores: a rule added to NameIndex that
scores entities none of these finds would need its own finder here.
"""

from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

from shanxi_cli.store.records import Entity
from shanxi_cli.text.names import (
    AMBIGUITY_MARGIN,
    MAX_SUGGESTIONS,
    MIN_PARTIAL_LENGTH,
    PARTIAL_SCORE,
    SUGGEST_SCORE,
    Match,
    NameIndex,
    name_words,
)

if TYPE_CHECKING:
    from shanxi_cli.index.reader import Reader, Table

# Below NameIndex's own cutoff, so a score at the boundary is never lost to rounding.
RATIO_CUTOFF = SUGGEST_SCORE - 1.0
# Matching keys and words are runs of letters and digits: no key holds this character,
# and every key starting with a prefix sorts before the prefix followed by it.
_AFTER_EVERY_KEY = "\U0010ffff"
SHORT_LIST = 4 * MAX_SUGGESTIONS


def match_name(
    reader: "Reader", entities: "Table[Entity]", query: str, categories: Collection[str]
) -> Match[Entity]:
    chosen = sorted(categories)
    in_categories = f"category IN ({', '.join('?' for _ in chosen)})"

    def positions(sql: str, *parameters: str) -> set[int]:
        return {row[0] for row in reader.rows(sql, (*parameters, *chosen))}

    words = name_words(query)
    key = "".join(words)
    exact = positions(f"SELECT entity FROM name_keys WHERE key = ? AND {in_categories}", key)
    holding = _holding_all(reader, set(words), in_categories, chosen)
    by_id = positions(
        f"SELECT position FROM entities WHERE id = ? AND {in_categories}", query.strip().casefold()
    )
    if exact:  # an exact key decides among its owners (and their rivals by words) alone
        return NameIndex(_load(reader, entities, exact | holding | by_id)).match(query)
    bounds: dict[int, float] = {}
    _raise(bounds, by_id, 100.0)
    _raise(bounds, holding, PARTIAL_SCORE)
    if len(key) >= MIN_PARTIAL_LENGTH:
        after = key + _AFTER_EVERY_KEY
        sql = f"SELECT entity FROM name_keys WHERE key >= ? AND key < ? AND {in_categories}"
        _raise(bounds, positions(sql, key, after), PARTIAL_SCORE)
    if key:
        for position, score in _near_keys(reader, key, in_categories, chosen):
            _raise(bounds, (position,), score)
    short = _short_list(bounds)
    match = NameIndex(_load(reader, entities, short)).match(query)
    left_out = max((bound for p, bound in bounds.items() if p not in short), default=-1.0)
    if left_out < 0 or _unchanged_by(match, left_out):
        return match
    return NameIndex(_load(reader, entities, set(bounds))).match(query)


def _raise(bounds: dict[int, float], positions: Iterable[int], score: float) -> None:
    for position in positions:
        if bounds.get(position, -1.0) < score:
            bounds[position] = score


def _short_list(bounds: dict[int, float]) -> set[int]:
    """The highest bounds: enough for a best, its rivals and the suggestions, ties kept."""
    ranked = sorted(bounds.items(), key=lambda item: -item[1])
    if not ranked:
        return set()
    floor = min(ranked[min(SHORT_LIST, len(ranked)) - 1][1], ranked[0][1] - 2 * AMBIGUITY_MARGIN)
    return {position for position, bound in ranked if bound >= floor}


def _unchanged_by(match: Match[Entity], left_out: float) -> bool:
    """Whether an entity scoring at most `left_out` could not have changed the match."""
    if left_out >= match.score - AMBIGUITY_MARGIN:
        return False  # it could be the best, or a rival of it
    if match.method != "none" or left_out < SUGGEST_SCORE:
        return True
    shown = [candidate.score for candidate in match.candidates]
    return len(shown) >= MAX_SUGGESTIONS and min(shown) > left_out


def _holding_all(
    reader: "Reader", words: set[str], in_categories: str, chosen: list[str]
) -> set[int]:
    """Entities with every one of the words among the words of their names and aliases.

    The index keeps no word rows for a name of one word: its one word is its key. Such a
    name holds a query only when the query's words are that word alone ("Pu", or "Pu Pu",
    whose key is "pupu"), so for those queries the owners of the key are read as well.
    """
    holding: set[int] | None = None
    word_sql = f"SELECT entity FROM name_words WHERE word = ? AND {in_categories}"
    key_sql = f"SELECT entity FROM name_keys WHERE key = ? AND {in_categories}"
    for word in sorted(words):
        found = {row[0] for row in reader.rows(word_sql, (word, *chosen))}
        if len(words) == 1:
            found |= {row[0] for row in reader.rows(key_sql, (word, *chosen))}
        holding = found if holding is None else holding & found
        if not holding:
            return set()
    return holding or set()


def _near_keys(
    reader: "Reader", key: str, in_categories: str, chosen: list[str]
) -> list[tuple[int, float]]:
    """(entity position, fuzz.ratio) of each key within the cutoff: one rapidfuzz pass
    over each slice of the categories' keys."""
    from rapidfuzz import fuzz, process

    near: list[tuple[int, float]] = []
    sql = f"SELECT keys, entities FROM key_lists WHERE {in_categories}"
    for keys_text, owners_text in reader.rows(sql, chosen):
        owners = owners_text.split("\n")
        near.extend(
            (int(owners[index]), score)
            for _, score, index in process.extract(
                key, keys_text.split("\n"), scorer=fuzz.ratio, limit=None, score_cutoff=RATIO_CUTOFF
            )
        )
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
