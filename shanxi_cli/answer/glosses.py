"""The words the article explains: "white liquor, or baijiu," and "white liquor
(baijiu)" say that "baijiu" is white liquor, which no language model here knows.

A reader who asks about "baijiu companies" asks about the businesses "in the white
liquor industry": `ask` counts a candidate holding every word of a word's gloss as
holding the word (answer/ask.py). Only the quotes are read, the article's own words (a
store's notes put remarks in brackets: "(combined)"), and only one word explained by
the one or two words before it, so a store with no such phrase has no gloss.
"""

import re
from collections import Counter
from collections.abc import Iterable

from shanxi_cli.text.words import STOPWORDS, stem, words

_NAME = r"[A-Za-z][A-Za-z'\u2019-]*"
# "white liquor, or baijiu," / "white liquor (baijiu)": the phrase, then the one word.
_GLOSSED = re.compile(rf"\b({_NAME}(?: {_NAME})?)(?:, or ([A-Za-z]+)(?=[,;.)])| \(([A-Za-z]+)\))")

Glosses = dict[str, tuple[str, ...]]  # a word's stem -> the stems of the words it means


def glosses_in(quotes: Iterable[str]) -> Glosses:
    """Each word the distinct quotes explain, by its stem, with the stems of its
    explanation; a word explained two ways keeps the one most quotes state (ties: the
    first in sorted order)."""
    stated: Counter[tuple[str, tuple[str, ...]]] = Counter()
    for text in quotes:
        if "(" not in text and ", or " not in text:
            continue
        for match in _GLOSSED.finditer(text):
            explained = words(match.group(2) or match.group(3))
            phrase = [word for word in words(match.group(1)) if word not in STOPWORDS]
            if len(explained) != 1 or explained[0] in STOPWORDS or not phrase:
                continue
            word_stem = stem(explained[0])
            meaning = tuple(stem(word) for word in phrase)
            if word_stem not in meaning:
                stated[word_stem, meaning] += 1
    found: Glosses = {}
    for (word_stem, meaning), _ in sorted(stated.items(), key=lambda item: (-item[1], item[0])):
        found.setdefault(word_stem, meaning)
    return found
