"""A store read record by record: what an index build needs, in memory bounded by a record.

`load_store` (store/json_store.py) reads the whole file, then every record, then checks
across them; a store of 100,000 entities holds about 860 MB on the way. An index build
reads the same file here instead: entities and facts are parsed one at a time, by the
very decoder and record checks `load_store` uses, and handed on; the small sections
(documents, stories, metrics, excluded figures) are kept whole.

This reader only ever says "valid so far" or `NotStreamed`; it never words a problem for
a user. The caller, on NotStreamed, loads the store whole, which accepts exactly what is
valid and names the first problem of what is not. So a store is never indexed that
`load_store` would refuse, and every refusal reads as it always has. The checks across
records that need every entity (each named entity exists, no containment cycle, no name
claimed twice) are the caller's, over what it has written (index/stream_build.py).
"""

import codecs
import json
import os
import re
from collections.abc import Callable
from typing import Any, NamedTuple

from shanxi_cli.store.fields import _Invalid, _items
from shanxi_cli.store.json_store import MAX_STORE_BYTES, _reject_constant, _reject_duplicate_keys
from shanxi_cli.store.records import Document, Entity, Excluded, Fact, Metric, Story
from shanxi_cli.store.safe_read import Refused, open_regular, same_file_state, store_limit
from shanxi_cli.store.schema import (
    _check_version,
    _document,
    _entity,
    _excluded,
    _fact,
    _metric,
    _story,
    _unique,
)

STREAMED = ("entities", "facts")
SECTIONS = ("schema_version", "documents", "stories", "metrics", *STREAMED, "excluded_figures")
_CHUNK = 1024 * 1024
_WHITESPACE = re.compile(r"[ \t\n\r]*")  # what the json module skips between tokens
_AFTER_VALUE = frozenset(" \t\n\r,]}:")
_DECODER = json.JSONDecoder(
    object_pairs_hook=_reject_duplicate_keys, parse_constant=_reject_constant
)


class NotStreamed(Exception):
    """The store is not built from record by record: load it whole to say why, if ever."""


class Header(NamedTuple):
    """What a streamed store keeps whole, checked as `load_store` checks it."""

    documents: dict[str, Document]
    stories: tuple[Story, ...]
    metrics: dict[str, Metric]
    excluded_figures: tuple[Excluded, ...]


class _Text:
    """The file as text, decoded as it is read, a chunk at a time."""

    def __init__(self, fd: int, limit: int) -> None:
        self._fd = fd
        self._limit = limit
        self._read = 0
        self._decoder = codecs.getincrementaldecoder("utf-8")("strict")
        self.buffer = ""
        self.at = 0
        self.ended = False

    def more(self) -> bool:
        """Read on; False at the end of the file. The amount read grows with what is held
        unparsed, so a long value costs linear time, not a re-parse per chunk."""
        if self.ended:
            return False
        try:
            wanted = max(_CHUNK, len(self.buffer) - self.at)
            chunk = os.read(self._fd, min(wanted, self._limit + 1 - self._read))
            self._read += len(chunk)
            if self._read > self._limit:
                raise NotStreamed("larger than the limit")
            text = self._decoder.decode(chunk, final=not chunk)
        except (OSError, UnicodeDecodeError) as error:
            raise NotStreamed(str(error)) from None
        self.ended = not chunk
        self.buffer = self.buffer[self.at :] + text
        self.at = 0
        return True

    def next_char(self) -> str:
        """The next character that is not whitespace, not taken; "" at the end."""
        while True:
            self.at = _WHITESPACE.match(self.buffer, self.at).end()  # type: ignore[union-attr]
            if self.at < len(self.buffer) or not self.more():
                return self.buffer[self.at : self.at + 1]

    def take(self, char: str) -> None:
        if self.next_char() != char:
            raise NotStreamed(f"expected {char!r}")
        self.at += 1

    def value(self) -> Any:
        """The next JSON value, decoded exactly as `load_store` decodes it.

        A number cut where the text read so far ends decodes as less of itself ("12" of
        "1234", "5.2" of "5.2e3"), so a value is taken only once what follows it is what
        may follow a value in JSON, or the file has ended."""
        self.next_char()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buffer, self.at)
                if self.buffer[end : end + 1] in _AFTER_VALUE or self.ended:
                    self.at = end
                    return value
            except (ValueError, _Invalid, RecursionError) as problem:
                if self.ended:
                    raise NotStreamed(str(problem)) from None
            self.more()


def read_streamed(
    path: str,
    entity: Callable[[Entity], None],
    fact: Callable[[Fact], None],
) -> tuple[Header, os.stat_result]:
    """Hand each valid entity and fact on in store order; the header, and the status of
    the file read. NotStreamed if the store is not valid as far as a record alone, the
    header and the facts' metrics and documents show, if it changed while read, or if it
    is laid out otherwise than one object of the schema's sections."""
    try:
        fd, before = open_regular(path)
    except Refused as refused:
        raise NotStreamed(refused.reason) from None
    try:
        limit = store_limit(MAX_STORE_BYTES)
        if before.st_size > limit:
            raise NotStreamed("larger than the limit")
        text = _Text(fd, limit)
        small, cited = _sections(text, entity, fact)
        try:
            after = os.fstat(fd)
        except OSError as error:
            raise NotStreamed(str(error)) from None
        if not same_file_state(before, after):
            raise NotStreamed("the file changed while it was read")
    finally:
        os.close(fd)
    return _header(small, cited), after


class _Cited(NamedTuple):
    """What facts and entities name that the header must hold."""

    documents: set[str]
    metric_uses: set[tuple[str, bool, bool]]  # (metric, value is words, unit is none)


def _sections(
    text: _Text, entity: Callable[[Entity], None], fact: Callable[[Fact], None]
) -> tuple[dict[str, Any], _Cited]:
    cited = _Cited(set(), set())
    small: dict[str, Any] = {}
    seen: set[str] = set()
    text.take("{")
    while True:
        if text.next_char() != '"':
            raise NotStreamed("expected a key")
        key = text.value()
        if key in seen or key not in SECTIONS:
            raise NotStreamed(f"key {key!r}")
        seen.add(key)
        text.take(":")
        if key == "entities":
            _stream(text, key, lambda item, at: _entity_read(item, at, entity, cited))
        elif key == "facts":
            _stream(text, key, lambda item, at: _fact_read(item, at, fact, cited))
        else:
            small[key] = text.value()
        if text.next_char() == "}":
            text.at += 1
            break
        text.take(",")
    if text.next_char() != "" or seen != set(SECTIONS):
        raise NotStreamed("not one object of the schema's sections")
    return small, cited


def _stream(text: _Text, section: str, read: Callable[[Any, Any], None]) -> None:
    text.take("[")
    if text.next_char() == "]":
        text.at += 1
        return
    index = 0
    while True:
        try:
            read(text.value(), (section, index))
        except _Invalid as problem:
            raise NotStreamed(str(problem)) from None
        index += 1
        if text.next_char() == "]":
            text.at += 1
            return
        text.take(",")


def _entity_read(item: Any, at: Any, entity: Callable[[Entity], None], cited: _Cited) -> None:
    record = _entity(item, at)
    cited.documents.add(record.document)
    entity(record)


def _fact_read(item: Any, at: Any, fact: Callable[[Fact], None], cited: _Cited) -> None:
    record = _fact(item, at)
    cited.documents.add(record.document)
    cited.metric_uses.add((record.metric, isinstance(record.value, str), record.unit is None))
    fact(record)


def _header(small: dict[str, Any], cited: _Cited) -> Header:
    """The small sections, checked as `load_store` checks them, and what the streamed
    records name of them (store/references.py, for these parts)."""
    try:
        _check_version(small["schema_version"])
        documents = _unique(_document, small["documents"], "documents")
        stories = tuple(_story(item, at) for item, at in _items(small["stories"], "stories"))
        metrics = _unique(_metric, small["metrics"], "metrics")
        excluded = tuple(
            _excluded(item, at) for item, at in _items(small["excluded_figures"], "excluded")
        )
    except _Invalid as problem:
        raise NotStreamed(str(problem)) from None
    if not documents:
        raise NotStreamed("no document")
    named = cited.documents | {story.document for story in stories}
    named |= {item.document for item in excluded}
    if not named <= documents.keys():
        raise NotStreamed("an unknown document")
    for metric, is_words, no_unit in cited.metric_uses:
        if metric not in metrics:
            raise NotStreamed("an unknown metric")
        is_claim = metrics[metric].type == "claim"
        if is_claim != is_words or is_claim != no_unit:
            raise NotStreamed("a value or unit of the wrong kind")
    return Header(documents, stories, metrics, excluded)
