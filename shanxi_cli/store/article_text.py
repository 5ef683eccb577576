"""The article as quotes are found in it: one normalisation, quote spans, paragraphs and
printed spans of years.

The article is markdown-flavoured text laid out as a printed page. Quotes are checked
against it after exactly one normalisation (see `normalise_article`), so that `\\$`,
`*baijiu*` and the blank lines of page breaks never decide whether a quote is found.
"""

import re
from typing import NamedTuple

FRAGMENT_SEPARATOR = " … "

_ESCAPED_PUNCTUATION = re.compile(r"\\([^\w\s])")
_EMPHASIS = re.compile(r"\*")
_WHITESPACE = re.compile(r"\s+")


def normalise_article(text: str) -> str:
    """Drop markdown escapes and emphasis, and fold every whitespace run into one space."""
    text = _ESCAPED_PUNCTUATION.sub(r"\1", text)
    text = _EMPHASIS.sub("", text)
    return _WHITESPACE.sub(" ", text).strip()


def quote_fragments(quote: str) -> list[str]:
    return quote.split(FRAGMENT_SEPARATOR)


def locate_quote(quote: str, article: str) -> list[tuple[int, int]] | None:
    """Spans of the quote's fragments in the normalised article, in order; None if absent.

    The earliest placement is returned, each fragment searched after the previous one.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for fragment in quote_fragments(quote):
        if not fragment.strip():
            return None
        at = article.find(fragment, start)
        if at < 0:
            return None
        spans.append((at, at + len(fragment)))
        start = at + len(fragment)
    return spans


def all_spans(quote: str, article: str) -> list[tuple[int, int]]:
    """Every span any fragment of the quote covers, wherever it occurs in the article."""
    spans = []
    for fragment in quote_fragments(quote):
        if not fragment:
            continue
        at = article.find(fragment)
        while at >= 0:
            spans.append((at, at + len(fragment)))
            at = article.find(fragment, at + 1)
    return spans


_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


class Paragraph(NamedTuple):
    """A paragraph of the article, normalised, and where it starts in the normalised article."""

    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def paragraphs(article_text: str) -> list[Paragraph]:
    """The article's paragraphs (blank-line separated), each normalised as `normalise_article`.

    Joined by single spaces they are exactly the normalised article, so a quote's spans
    map onto paragraphs without a second definition of normalisation.
    """
    found = []
    start = 0
    for raw in _PARAGRAPH_BREAK.split(article_text):
        text = normalise_article(raw)
        if text:
            found.append(Paragraph(text, start))
            start += len(text) + 1
    return found


STATED_YEAR = re.compile(r"(?<![\d-])(1[0-9]{3}|20[0-9]{2})(?![\d-])")
# A span of years as printed: "1368-1644", or "1931-45" with the century left out.
_YEAR_SPAN = re.compile(r"(?<![\d-])(1[0-9]{3}|20[0-9]{2})-([0-9]{4}|[0-9]{2})(?![\d-])")


def year_spans(text: str) -> list[tuple[int, int]]:
    """Every span of years the text prints, each as its first and last year: "1931-45" is
    (1931, 1945); an end of two digits takes the start's century, or the next one."""
    spans = []
    for start_text, end_text in _YEAR_SPAN.findall(text):
        start = int(start_text)
        end = int(end_text)
        if len(end_text) == 2:
            end += start - start % 100
            if end < start:
                end += 100
        spans.append((start, end))
    return spans
