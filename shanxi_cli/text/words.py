"""Words as search and questions see them: folded, split, stemmed, and typos read back.

Text is folded like names are (Unicode compatibility forms, accents dropped, case folded,
possessive "'s" dropped) and split on anything not a letter or digit, so "R&D" is "r d"
and "50,000" is "50 000". Each word is stemmed with the Snowball English stemmer
(PyStemmer), so "exports", "exported" and "exporting" are one stem. Stems are cached:
a store repeats its words, and a lookup is one process.
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import NamedTuple, Protocol

from shanxi_cli.text.names import similarities

# A word this many characters long or more, found nowhere, may be read as a typo of a
# word that is somewhere; shorter ones are too easily read as something else.
MIN_TYPO_LENGTH = 5
TYPO_SCORE = 80.0

# Question words: they ask, they do not narrow.
# fmt: off
STOPWORDS = frozenset({
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be",
    "been", "before", "being", "by", "can", "could", "did", "do", "does", "during", "each",
    "every", "for", "from", "get", "give", "had", "has", "have", "how", "i", "in", "into",
    "is", "it", "its", "just", "list", "many", "may", "me", "might", "more", "most", "much",
    "my", "no", "not", "number", "of", "on", "only", "or", "other", "our", "out", "over",
    "own", "per", "s", "same", "should", "show", "since", "so", "some", "such", "tell",
    "than", "that", "the", "their", "then", "there", "these", "they", "this", "those", "to",
    "too", "total", "under", "up", "us", "very", "was", "we", "were", "what", "whats", "when",
    "where", "which", "who", "whom", "why", "will", "with", "would", "you",
})
# fmt: on

_WORD = re.compile(r"[^\W_]+")
_POSSESSIVE = re.compile("['\u2019]s\\b")
_APOSTROPHE = re.compile("['\u2019]")
# The combining marks' blocks: accents left apart by NFKD, dropped in one regex pass.
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# A comma between digit groups ("50,000", "1,250,000"): one number, written as the
# store's values are (50000), so that it is one word to match and not two. The comma
# comes first so that the regex engine looks for commas, not at every character.
_DIGIT_GROUPS = re.compile(r",(?<=\d,)(?=\d{3}(?!\d))")
# Words the stemmer would merge with another word: "customs" (the border office) is not
# the plural of "custom", whose stem "customers" shares.
_STEMS: dict[str, str] = {"customs": "customs"}


def fold(text: str) -> str:
    """The text folded as words see it: compatibility forms, no accents, case folded,
    digit groups joined."""
    if text.isascii():
        folded = text.lower()
    else:
        folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
        folded = _COMBINING.sub("", folded).casefold()
    if "'" in folded or "\u2019" in folded:
        folded = _APOSTROPHE.sub("", _POSSESSIVE.sub("", folded))
    if "," in folded:
        folded = _DIGIT_GROUPS.sub("", folded)
    return folded


def words(text: str) -> list[str]:
    """The words of a text, folded."""
    return _WORD.findall(fold(text))


def unstemmed_words(folded: str) -> set[str]:
    """The distinct words of an already folded text."""
    return set(_WORD.findall(folded))


def word_text(folded: str) -> str:
    """An already folded text as SQLite's `ascii` tokenizer must read it to find exactly
    these words: itself when it is ASCII (the tokenizer splits on what is not a letter or
    digit, as `words` does), else its words joined by spaces."""
    return folded if folded.isascii() else " ".join(_WORD.findall(folded))


def prefix(word: str) -> str:
    """A string every word sharing the word's stem starts with, to filter folded texts.

    A Snowball stem is the start of its words but for its last letter ("industri" stems
    both "industry" and "industries"), so the stem less its last letter is kept.
    """
    found = stem(word)
    return found[:-1] if len(found) >= 4 else found


def stem(word: str) -> str:
    found = _STEMS.get(word)
    if found is None:
        found = _STEMS[word] = _stemmer().stemWord(word)
    return found


def stems(found: list[str]) -> tuple[str, ...]:
    """The stems of words, in order."""
    cache = _STEMS
    return tuple(cache[word] if word in cache else stem(word) for word in found)


class Reading(NamedTuple):
    """A word as typed and as it was read: the same word, a corrected one, or None."""

    typed: str
    read_as: str | None


def read_typos(typed: Sequence[str], vocabulary: Iterable[str]) -> list[Reading]:
    """Each word found nowhere read as the most similar vocabulary word, if one is close.

    The nearest word must score TYPO_SCORE or more and the typed word have
    MIN_TYPO_LENGTH characters; otherwise the word is read as None: it matches nothing.
    """
    known = sorted(set(vocabulary))
    readings = []
    for word in typed:
        nearest = None
        if len(word) >= MIN_TYPO_LENGTH and not word.isdigit():
            scores = similarities(word, known)
            # The first of the best: max keeps the first of equal keys (C, no lambda).
            best = max(range(len(known)), key=scores.__getitem__, default=None)
            if best is not None and scores[best] >= TYPO_SCORE:
                nearest = known[best]
        readings.append(Reading(word, nearest))
    return readings


class _Stemmer(Protocol):
    def stemWord(self, word: str) -> str: ...  # PyStemmer's name


_STEMMER: list[_Stemmer] = []


def _stemmer() -> _Stemmer:
    if not _STEMMER:
        # Imported on first use: only search and questions stem.
        import Stemmer

        _STEMMER.append(Stemmer.Stemmer("english"))
    return _STEMMER[0]
