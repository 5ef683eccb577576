"""What an index holds and what it must match: shared by the writer and the reader.

The index keeps a store's small tables whole (`Header`) and each entity and fact as a
row; their codecs come from the record types, through this one place (the adapter to
re-point if they move). An index is used only if it was written by this format, this
version of shanxi and this very code, for this very store file (`Signature`,
`code_fingerprint`).
"""

import os
from functools import cache
from pathlib import Path
from typing import NamedTuple

from shanxi_cli.index.codec import Codec, codec_for
from shanxi_cli.store.interface import StoreRecords
from shanxi_cli.store.records import Document, Entity, Excluded, Fact, Metric, Story

# 2: the search corpus; 3: the header as a record, not an object; 4: a period's span of
# years (start_year, end_year), two more fields in every period; 5: the word tables
# (index/word_build.py); 6: the ask tables (index/ask_build.py); 7: ask_stems;
# 8: ask_glosses, entity_grams, key_lists in slices
FORMAT_VERSION = 8
# The tables an index is written with (index/build.py's SCHEMA); a test keeps the two
# the same. An index in which any of them is missing, or is a view, is not used.
TABLES = frozenset(
    {
        "meta",
        "entities",
        "facts",
        "mentions",
        "name_keys",
        "name_words",
        "key_lists",
        "search_records",
        "search_average",
        "fact_period",
        "fact_own",
        "subject_words",
        "search_words",
        "vocabulary",
        "entity_names",
        "entity_grams",
        "ask_words",
        "ask_fields",
        "ask_average",
        "ask_meta",
        "ask_stems",
        "ask_glosses",
    }
)


class Header(NamedTuple):
    """What an index keeps of a store whole: the small tables, read on every run.

    The rest of a store (its entities and facts, and what groups them) is answered a row
    at a time from the index's tables; its path is the run's own.
    """

    documents: dict[str, Document]
    stories: tuple[Story, ...]
    metrics: dict[str, Metric]
    excluded_figures: tuple[Excluded, ...]


def header_of(store: StoreRecords) -> Header:
    """The part of a store that the index keeps whole."""
    return Header(
        dict(store.documents),
        tuple(store.stories),
        dict(store.metrics),
        tuple(store.excluded_figures),
    )


class Signature(NamedTuple):
    """What identifies one state of the store file: any write changes ctime_ns at least."""

    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    device: int

    @classmethod
    def of(cls, status: os.stat_result) -> "Signature":
        return cls(
            status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino, status.st_dev
        )


def code_fingerprint() -> str:
    """The package's source files as they are on disk: a changed record type or matching
    rule makes every index written before it foreign, even within one version number."""
    # Every subpackage, not only this one: a record type (store/), a name rule (text/) or
    # a search text (answer/) changes what an index holds as surely as this folder does.
    package = Path(__file__).resolve().parent.parent
    parts = []
    for source in sorted(package.rglob("*.py")):
        status = source.stat()
        parts.append(f"{source.relative_to(package)}:{status.st_size}:{status.st_mtime_ns}")
    return ";".join(parts)


@cache
def entity_codec() -> Codec[Entity]:
    return codec_for(Entity)


@cache
def fact_codec() -> Codec[Fact]:
    return codec_for(Fact)


@cache
def header_codec() -> Codec[Header]:
    return codec_for(Header)
