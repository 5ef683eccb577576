"""What an index holds and what it must match: shared by the writer and the reader.

The record types come from the store module through this one place (the adapter to
re-point if they move). An index is used only if it was written by this format, this
version of shanxi and this very code, for this very store file.
"""

import os
import typing
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from shanxi_cli.index.codec import Codec, codec_for, codec_for_object
from shanxi_cli.store.json_store import Store
from shanxi_cli.store.records import Entity, Fact

FORMAT_VERSION = 2  # 2: the search corpus
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
    }
)
# What a Store computes from its entities and facts, answered a row at a time from the
# index; `path` is the run's own. Everything else a Store holds (source, stories,
# metrics, excluded figures ...) is small and kept whole in the index's header.
ROW_ATTRIBUTES = frozenset(
    {
        "path",
        "entities",
        "facts",
        "facts_by_subject",
        "facts_by_metric",
        "facts_mentioning",
        "facts_attributed",
        "children",
        "members",
    }
)


def header_of(store: Store) -> dict[str, Any]:
    """The attributes of a loaded Store that the index keeps whole."""
    return {
        name: value
        for name, value in vars(store).items()
        if name not in ROW_ATTRIBUTES and not name.startswith("_")
    }


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
def header_codec() -> Codec[dict[str, Any]]:
    """Typed as Store's constructor types its arguments; what it derives must be scalars."""
    hints = typing.get_type_hints(Store.__init__)
    return codec_for_object({name: hints[name] for name in hints if name not in ROW_ATTRIBUTES})
