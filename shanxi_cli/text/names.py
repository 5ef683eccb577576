"""Resolve what a user typed to one name in the store, honestly.

The rules, in order:

1. An id, typed as printed (case and surrounding space aside), resolves to its item
   exactly and quietly, before any name matching: every id the JSON prints round-trips.
2. Normalise the query and every name and alias the same way (`name_key`): Unicode
   compatibility forms, accents dropped, case folded; a trailing ", Shanxi" style
   qualifier after the first comma dropped; possessive "'s" dropped; split into words
   on anything not a letter or digit; suffix words ("county", "city", "group", "co" …,
   see SUFFIX_WORDS) dropped unless nothing else is left. The words joined with no
   space are the key, so "xinghua cun" and "Xinghuacun" are the same key.
3. An exact key match on a name always wins; on an alias it wins too, unless the query
   is one word that is also a word of another candidate's name or alias: "Ma" is Ma
   Yunxia's alias and a word of Ma Mingqing's name, so it is ambiguous. A key that
   names two candidates is ambiguous.
4. Honest partials: a query whose words are all whole words of a name or alias, or
   (from MIN_PARTIAL_LENGTH characters) a prefix of a key, is a partial match. It
   scores PARTIAL_SCORE, so one that fits exactly one candidate resolves ("Yao" is Yao
   Yi, method "partial", which the CLI announces), and one that fits several is
   ambiguous ("Zhang" names three people). Whole words count from two letters.
5. Other keys shorter than MIN_FUZZY_LENGTH only ever match exactly: a lone "a"
   matches nothing.
6. Otherwise every key is scored by normalised Indel similarity, 0 to 100: rapidfuzz's
   `fuzz.ratio`, or for up to PURE_PYTHON_KEYS keys `indel_ratio`, which gives the same
   scores without the cost of importing rapidfuzz. A candidate's score is the best over
   its name and aliases.
7. The best candidate is taken if it scores at least ACCEPT_SCORE and no other candidate
   is within AMBIGUITY_MARGIN of it; if another is, the query is ambiguous and both are
   listed. Below ACCEPT_SCORE the query is not found, and candidates scoring at least
   SUGGEST_SCORE are suggested.
8. Ties are broken by key, then id, so the same query always gives the same answer.
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Generic, NamedTuple, Protocol, TypeVar

SUFFIX_WORDS = frozenset(
    {
        "the",
        "of",
        "county",
        "city",
        "district",
        "township",
        "town",
        "village",
        "province",
        "group",
        "co",
        "company",
        "corp",
        "corporation",
        "ltd",
        "limited",
        "inc",
    }
)
MIN_FUZZY_LENGTH = 3
MIN_PARTIAL_LENGTH = 4
PARTIAL_SCORE = 90.0
ACCEPT_SCORE = 85.0
AMBIGUITY_MARGIN = 3.0
SUGGEST_SCORE = 55.0
MAX_SUGGESTIONS = 3
# Importing rapidfuzz costs a lookup process 15 to 40 ms; indel_ratio costs about 6 us a
# key, so for up to this many keys in an index (names and aliases; the bundled store's
# largest, its metrics, has 185) it is the faster way, unless the process answers many
# requests (prefer_rapidfuzz).
PURE_PYTHON_KEYS = 2000
_RAPIDFUZZ_ALWAYS: list[bool] = []


def prefer_rapidfuzz() -> None:
    """For a process that answers many requests (`shanxi batch`, the Python API): its one
    import of rapidfuzz is soon repaid, so every key list is scored by rapidfuzz (the
    same scores, 20 to 50 times faster than indel_ratio)."""
    if not _RAPIDFUZZ_ALWAYS:
        _RAPIDFUZZ_ALWAYS.append(True)


_WORD = re.compile(r"[^\W_]+")
_POSSESSIVE = re.compile("['\u2019]s\\b")
_APOSTROPHE = re.compile("['\u2019]")


def name_words(text: str, drop: frozenset[str] = SUFFIX_WORDS) -> list[str]:
    """The words of a name as matching sees them (rule 1)."""
    if text.isascii():  # most names: nothing to decompose, and no per-character loop
        folded = text.lower()
    else:
        folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
        folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).casefold()
    if "," in folded:
        head = folded.split(",", 1)[0]
        if _WORD.search(head):
            folded = head
    if "'" in folded or "\u2019" in folded:
        folded = _APOSTROPHE.sub("", _POSSESSIVE.sub("", folded))
    words = _WORD.findall(folded)
    kept = [word for word in words if word not in drop]
    return kept or words


def name_key(text: str, drop: frozenset[str] = SUFFIX_WORDS) -> str:
    return "".join(name_words(text, drop))


class Named(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def aliases(self) -> tuple[str, ...]: ...


N = TypeVar("N", bound=Named)


class Scored(NamedTuple, Generic[N]):
    item: N
    score: float


class Match(NamedTuple, Generic[N]):
    """The outcome of a lookup: a chosen item, or the candidates that stood in the way."""

    query: str
    item: N | None
    method: str  # "exact", "partial", "fuzzy", "ambiguous" or "none"
    score: float
    candidates: tuple[Scored[N], ...]


MIN_WORD_LENGTH = 2


class NameIndex(Generic[N]):
    """Names and aliases of one set of items, keyed for matching."""

    def __init__(self, items: Iterable[N], drop: frozenset[str] = SUFFIX_WORDS) -> None:
        self._drop = drop
        self._keys: list[str] = []
        self._owners: list[N] = []
        self._by_id: dict[str, N] = {}
        self._by_key: dict[str, list[N]] = {}
        self._words: list[list[str]] = []
        # Each word of a name or alias, to the positions in _keys of the texts holding it:
        # built on first need, as an exact name (most lookups) never needs it.
        self._word_index: dict[str, list[int]] | None = None
        by_key = self._by_key
        for item in items:
            self._by_id[item.id] = item
            for text in (item.name, *item.aliases):
                words = name_words(text, drop)
                key = "".join(words)
                if not key:
                    continue
                owners = by_key.get(key)
                if owners is None:
                    by_key[key] = [item]
                elif owners[-1] is not item:  # an item's own names come one after another
                    owners.append(item)
                self._keys.append(key)
                self._owners.append(item)
                self._words.append(words)

    def match(self, query: str) -> Match[N]:
        by_id = self._by_id.get(query.strip().casefold())
        if by_id is not None:
            return Match(query, by_id, "exact", 100.0, (Scored(by_id, 100.0),))
        words = name_words(query, self._drop)
        key = "".join(words)
        exact = self._by_key.get(key, []) if key else []
        named = [item for item in exact if name_key(item.name, self._drop) == key]
        exact = named or exact
        if len(exact) == 1 and not named and len(words) == 1:
            # An alias of one word yields to the same word in another candidate's name.
            rivals = [i for i in self._word_owners(words) if i is not exact[0]]
            if rivals:
                exact = [exact[0], *rivals]
        if len(exact) == 1:
            return Match(query, exact[0], "exact", 100.0, (Scored(exact[0], 100.0),))
        if len(exact) > 1:
            tied = tuple(Scored(item, 100.0) for item in sorted(exact, key=lambda i: i.id))
            return Match(query, None, "ambiguous", 100.0, tied)
        partial = self._partial(key, words)
        if len(key) < MIN_FUZZY_LENGTH and not partial:
            return Match(query, None, "none", 0.0, ())
        ranked = self._rank(key, partial)
        if not ranked or ranked[0].score < ACCEPT_SCORE:
            suggestions = tuple(s for s in ranked if s.score >= SUGGEST_SCORE)
            top = ranked[0].score if ranked else 0.0
            return Match(query, None, "none", top, suggestions[:MAX_SUGGESTIONS])
        best = ranked[0]
        rivals_scored = tuple(s for s in ranked[1:] if s.score >= best.score - AMBIGUITY_MARGIN)
        if rivals_scored:
            return Match(query, None, "ambiguous", best.score, (best, *rivals_scored))
        method = "partial" if best.item.id in partial else "fuzzy"
        return Match(query, best.item, method, best.score, (best,))

    def _word_owners(self, words: Sequence[str]) -> list[N]:
        """The items with a name or alias holding every one of the words, in index order."""
        owners: dict[str, N] = {}
        for position in self._positions_with_all(words):
            owner = self._owners[position]
            owners.setdefault(owner.id, owner)
        return list(owners.values())

    def _positions_with_all(self, words: Sequence[str]) -> list[int]:
        if not words or any(len(word) < MIN_WORD_LENGTH for word in words):
            return []
        if self._word_index is None:
            self._word_index = {}
            for position, found in enumerate(self._words):
                for word in set(found):
                    self._word_index.setdefault(word, []).append(position)
        lists = sorted((self._word_index.get(word, []) for word in set(words)), key=len)
        shortest, others = lists[0], [set(positions) for positions in lists[1:]]
        return [p for p in shortest if all(p in other for other in others)]

    def _partial(self, key: str, words: Sequence[str]) -> dict[str, N]:
        """Items the query is a partial of (rule 4), by id."""
        found: dict[str, N] = {}
        for position in self._positions_with_all(words):
            found.setdefault(self._owners[position].id, self._owners[position])
        if len(key) >= MIN_PARTIAL_LENGTH:
            for position, candidate in enumerate(self._keys):
                if candidate.startswith(key):
                    found.setdefault(self._owners[position].id, self._owners[position])
        return found

    def _rank(self, key: str, partial: dict[str, N]) -> list[Scored[N]]:
        scores = similarities(key, self._keys) if len(key) >= MIN_FUZZY_LENGTH else []
        best: dict[str, tuple[float, str, N]] = {}
        for index, score in enumerate(scores):
            owner = self._owners[index]
            if score > 0 and score > best.get(owner.id, (-1.0, "", owner))[0]:
                best[owner.id] = (score, self._keys[index], owner)
        for item_id, item in partial.items():
            if best.get(item_id, (-1.0, "", item))[0] < PARTIAL_SCORE:
                best[item_id] = (PARTIAL_SCORE, name_key(item.name, self._drop), item)
        ordered = sorted(best.values(), key=lambda entry: (-entry[0], entry[1], entry[2].id))
        return [Scored(item, score) for score, _, item in ordered]


def similarities(key: str, candidates: Sequence[str]) -> list[float]:
    """fuzz.ratio of key and each candidate, or 0.0 where it is under SUGGEST_SCORE."""
    if len(candidates) <= PURE_PYTHON_KEYS and not _RAPIDFUZZ_ALWAYS:
        return [
            score if (score := indel_ratio(key, candidate)) >= SUGGEST_SCORE else 0.0
            for candidate in candidates
        ]
    # Imported here: exact lookups and small stores never pay for rapidfuzz.
    from rapidfuzz import fuzz, process

    scores = [0.0] * len(candidates)
    for _, score, index in process.extract(
        key, candidates, scorer=fuzz.ratio, limit=None, score_cutoff=SUGGEST_SCORE
    ):
        scores[index] = score
    return scores


def indel_ratio(first: str, second: str) -> float:
    """rapidfuzz's fuzz.ratio, to the last bit: 100 * (1 - indel distance / total length).

    The indel distance is the total length less twice the longest common subsequence,
    whose length is counted bit-parallel (Allison and Dix; Hyyrö): one bit per character
    of the shorter string, a few integer operations per character of the longer one.
    """
    total = len(first) + len(second)
    if not total:
        return 100.0
    shorter, longer = sorted((first, second), key=len)
    positions: dict[str, int] = {}
    bit = 1
    for char in shorter:
        positions[char] = positions.get(char, 0) | bit
        bit <<= 1
    all_bits = bit - 1
    row = all_bits
    for char in longer:
        matched = row & positions.get(char, 0)
        row = ((row + matched) | (row - matched)) & all_bits
    common = len(shorter) - row.bit_count()
    return 100.0 * (1.0 - (total - 2 * common) / total)
