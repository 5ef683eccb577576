"""Which store a run reads: the JSON itself, or its index when the store is large.

Commands and shell completion choose the same way, so a Tab on a large store is answered
from its index too. Notes about the index go to `say`, the command line's channel.
"""

import os
from collections.abc import Callable

from shanxi_cli.store.interface import Store
from shanxi_cli.store.json_store import bundled_store_path, load_store, resolve_store_path


def store_for(
    explicit: str | None,
    indexed: bool = True,
    no_cache: bool = False,
    *,
    say: Callable[[str], None],
) -> Store:
    """The store, from its index when it is large enough to have one (index/opening.py).

    Chosen once per process and arguments: a batch or a test that runs many commands
    reads the store, and opens its index, once. `say` hears the notes of that first
    choice; it is not part of what is remembered."""
    key = (explicit, indexed, no_cache)
    found = _CHOSEN.get(key)
    if found is None:
        found = _CHOSEN[key] = _choose(explicit, indexed, no_cache, say)
    return found


def forget_stores() -> None:
    """Choose afresh: a test that changes a store or the environment between runs."""
    _CHOSEN.clear()


_CHOSEN: dict[tuple[str | None, bool, bool], Store] = {}


def _choose(
    explicit: str | None, indexed: bool, no_cache: bool, say: Callable[[str], None]
) -> Store:
    path = resolve_store_path(explicit)
    if indexed:
        from shanxi_cli.index.location import wants_index

        try:
            size = path.stat().st_size if path.is_file() else -1
        except OSError:
            size = -1  # load_store says what is wrong with it
        if size >= 0 and wants_index(size, no_cache) and not _is_bundled(path):
            from shanxi_cli.index.opening import store_through_index

            return store_through_index(path, say)
    return load_store(path)


def _is_bundled(path: os.PathLike[str]) -> bool:
    """The store shipped with shanxi is never indexed, whatever the threshold: nothing is
    written for it (asked only once a store is large enough to be indexed)."""
    try:
        return os.path.samefile(path, bundled_store_path())
    except OSError:
        return False
