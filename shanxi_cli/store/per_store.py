"""Tables computed from a store, kept for as long as the store itself is.

A store is read once per process (index/choice.py), and so is every table built from it
through here: the name tables lookups match against, the search corpus, the word tables
of questions. A single command builds each at most once, as before; `shanxi batch` and
the Python API, which answer many requests from one store, build each once in all
instead of once a request.

A table kept here must not change what a later request answers: it holds what the store
determines, and any state of one request is reset by the code that uses it.
"""

from collections.abc import Callable, Hashable
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

T = TypeVar("T")

_TABLES: "WeakKeyDictionary[object, dict[Hashable, Any]]" = WeakKeyDictionary()


def per_store(store: object, key: Hashable, build: Callable[[], T]) -> T:
    """The store's table under `key`, built by `build` the first time it is asked for."""
    tables = _TABLES.get(store)
    if tables is None:
        tables = _TABLES[store] = {}
    if key not in tables:
        tables[key] = build()
    found: T = tables[key]
    return found
