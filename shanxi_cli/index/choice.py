"""Which store a run reads: the JSON itself, or its index when the store is large.

Commands and shell completion choose the same way, so a Tab on a large store is answered
from its index too.
"""

from functools import cache

from shanxi_cli.store.interface import Store
from shanxi_cli.store.json_store import load_store, resolve_store_path


@cache
def store_for(explicit: str | None, indexed: bool = True, no_cache: bool = False) -> Store:
    """The store, from its index when it is large enough to have one (index/opening.py)."""
    path = resolve_store_path(explicit)
    if indexed:
        from shanxi_cli.index.location import wants_index

        try:
            size = path.stat().st_size if path.is_file() else -1
        except OSError:
            size = -1  # load_store says what is wrong with it
        if size >= 0 and wants_index(size, no_cache):
            from shanxi_cli.index.opening import store_through_index

            return store_through_index(path)
    return load_store(path)
