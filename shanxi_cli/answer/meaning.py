"""What words mean, from a language model compiled into a table the package ships.

`meaning.sqlite` (built by tools/build_meaning_table.py, not at run time) holds, for each
English word of pyspellchecker's frequency list and each word of the bundled store:
whether it is an English word, and for the 50,000 most frequent and the store's words a
vector: the sum of its WordLlama token embeddings (first 64 dimensions, int8 with a
scale). A text's vector is the sum of its words' vectors, as WordLlama pools a text, so
two texts are compared by the cosine of two sums: no model, numpy or tokenizer is loaded.
"""

import math
import sqlite3
from array import array
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path

Vector = list[float]

# SQLite's default limit on a statement's variables is 32,766; stay well inside it.
_BATCH = 500


class Meanings:
    """The table, opened read-only once; the words asked about are cached."""

    def __init__(self) -> None:
        path = resources.files("shanxi_cli.answer").joinpath("meaning.sqlite")
        # immutable=1: the file ships with the package and never changes, so SQLite takes
        # no lock and writes nothing beside it.
        # as_uri() escapes "#", "?" and "%" in the package's path, which would cut it.
        uri = Path(str(path)).resolve().as_uri() + "?mode=ro&immutable=1"
        self._db = sqlite3.connect(uri, uri=True)
        self._rows: dict[str, tuple[bool, Vector | None]] = {}

    def _fetch(self, words: Iterable[str]) -> None:
        wanted = [word for word in dict.fromkeys(words) if word not in self._rows]
        for start in range(0, len(wanted), _BATCH):
            batch = wanted[start : start + _BATCH]
            marks = ",".join("?" * len(batch))
            for word, english, scale, blob in self._db.execute(
                f"SELECT word, english, scale, vector FROM words WHERE word IN ({marks})", batch
            ):
                vector = [scale * x for x in array("b", blob)] if blob else None
                self._rows[word] = (bool(english), vector)
            for word in batch:
                self._rows.setdefault(word, (False, None))

    def is_english(self, word: str) -> bool:
        self._fetch([word])
        return self._rows[word][0]

    def vectors(self, words: Iterable[str]) -> dict[str, Vector]:
        """The vector of each word that has one."""
        words = list(words)
        self._fetch(words)
        found = {}
        for word in words:
            vector = self._rows[word][1]
            if vector is not None:
                found[word] = vector
        return found


def text_vector(words: Sequence[str], vectors: dict[str, Vector]) -> Vector | None:
    """The sum of the words' vectors (their direction is the mean's), or None if none has one."""
    found = [vectors[word] for word in words if word in vectors]
    if not found:
        return None
    return [sum(column) for column in zip(*found, strict=True)]


def cosine(left: Vector, right: Vector) -> float:
    dot = sum(a * b for a, b in zip(left, right, strict=True))
    norm = math.sqrt(sum(a * a for a in left)) * math.sqrt(sum(b * b for b in right))
    return dot / norm if norm else 0.0


_SHARED: list[Meanings] = []


def shared_meanings() -> Meanings:
    """The one table of this process, opened on first use: the file never changes."""
    if not _SHARED:
        _SHARED.append(Meanings())
    return _SHARED[0]


def english_among(words: Iterable[str]) -> set[str]:
    """The words that are English words: a typo reader leaves them as typed."""
    meanings = shared_meanings()
    return {word for word in words if meanings.is_english(word)}
