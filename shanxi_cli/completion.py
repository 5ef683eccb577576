"""Shell completion: names, metrics and fact ids from the store a command would read."""

from collections.abc import Callable, Iterable, Sequence

from shanxi_cli.errors import ShanxiError
from shanxi_cli.store import Store, load_store, resolve_store_path


def _completions(texts: Callable[[Store], Iterable[Sequence[str]]], incomplete: str) -> list[str]:
    from shanxi_cli.matching import completions

    try:
        store = load_store(resolve_store_path(None))
    except ShanxiError:
        return []
    return completions(texts(store), incomplete)


def complete_category(category: str) -> Callable[[str], list[str]]:
    def complete(incomplete: str) -> list[str]:
        return _completions(
            lambda store: [(e.name, *e.aliases) for e in store.of_category(category)], incomplete
        )

    return complete


def complete_metrics(incomplete: str) -> list[str]:
    return _completions(
        lambda store: [(m.name, *m.aliases) for m in store.metrics.values()], incomplete
    )


def complete_fact_ids(incomplete: str) -> list[str]:
    return _completions(lambda store: [(fact_id,) for fact_id in store.facts], incomplete)
