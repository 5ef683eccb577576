"""Which facts answer a question once its words are read, found through the store's word
tables (`QuestionTables`) rather than by reading every fact.

Facts are taken by position: the facts of the named metrics, then those holding each
narrowing word (question.py's rules), then those concerning the named subjects; a fact
is decoded only when a filter (`keep`) must see it or it is in the answer. A store
loaded whole and a large store's index answer through the same steps.
"""

from collections.abc import Callable, Iterable, Sequence

from shanxi_cli.answer.question_subjects import facts_about, within
from shanxi_cli.answer.question_words import QuestionTables, StoreWords
from shanxi_cli.store.interface import Store
from shanxi_cli.store.per_store import per_store
from shanxi_cli.store.records import Entity, Fact
from shanxi_cli.text.words import STOPWORDS

MAX_NEAREST = 5
Keep = Callable[[Fact], bool] | None


def tables_of(store: Store) -> QuestionTables:
    """The store's question tables, kept for the store: its own when it supplies them (an
    index does), else read from it whole. prepare_entities resets what one question sets."""

    def build() -> QuestionTables:
        supplied = getattr(store, "question_tables", None)
        if supplied is not None:
            found: QuestionTables = supplied()
            return found
        return StoreWords(store, STOPWORDS)

    return per_store(store, StoreWords, build)


def _kept(tables: QuestionTables, positions: list[int], keep: Keep) -> list[int]:
    if keep is None:
        return positions
    return [p for p, fact in zip(positions, tables.facts_at(positions), strict=True) if keep(fact)]


def answering(
    store: Store,
    tables: QuestionTables,
    metric_ids: Sequence[str],
    subjects: list[Entity],
    narrowing: Sequence[str],
    keep: Keep,
) -> tuple[list[Fact], list[Entity]]:
    """The facts of one of the metrics (any if none), kept, holding every narrowing word,
    about the subjects (question_subjects.py); and the subjects widened."""
    positions: list[int] | None = None  # None: every fact
    filtered = False
    if metric_ids:
        positions = tables.of_metrics(metric_ids)
        # A narrowing word's tiers are taken over the kept facts, so they are kept first;
        # else keeping waits for the subjects, which leave far fewer facts to decode.
        if narrowing:
            positions, filtered = _kept(tables, positions, keep), True
    for word in narrowing:
        held = tables.holding(word)
        positions = [p for p in (sorted(held) if positions is None else positions) if p in held]
        if not filtered:
            positions, filtered = _kept(tables, positions, keep), True
        # The most specific texts that hold the word anywhere decide: a year in a period
        # before a year in a note, a fact's own words before its subject's.
        first = 0 if word.isdigit() else 1
        tier = min((max(first, held[p]) for p in positions), default=0)
        positions = [p for p in positions if held[p] <= tier]
    if subjects:
        # Only facts concerning a subject or what lies within it can be about it.
        around: set[str] = set().union(*(within(store, subject) for subject in subjects))
        concerning = tables.concerning(around)
        if positions is None:
            positions = sorted(concerning)
        else:
            positions = [p for p in positions if p in concerning]
    assert positions is not None  # the question named a metric, a subject or a word
    if not filtered:
        positions = _kept(tables, positions, keep)
    return facts_about(store, tables.facts_at(positions), subjects)


def about_entity(
    store: Store, tables: QuestionTables, entity: Entity, keep: Keep
) -> tuple[list[Fact], list[Entity]]:
    """The facts an entity's id answers with: its own, else those of what lies within it
    or names it."""
    positions = _kept(tables, sorted(tables.concerning(within(store, entity))), keep)
    return facts_about(store, tables.facts_at(positions), [entity])


def nearest(
    store: Store,
    tables: QuestionTables,
    keep: Keep,
    metric_ids: Sequence[str],
    subjects: list[Entity],
    narrowing: Iterable[str],
) -> tuple[Fact, ...]:
    """The facts satisfying most parts of the query: a metric, a subject, each word."""
    scores: dict[int, int] = {}
    for position in tables.of_metrics(metric_ids) if metric_ids else []:
        scores[position] = 2
    concerned: set[int] = set()
    for subject in subjects:
        concerned |= tables.concerning(within(store, subject))
    for position in concerned:
        scores[position] = scores.get(position, 0) + 2
    for word in narrowing:
        for position in tables.holding(word):
            scores[position] = scores.get(position, 0) + 1
    ranked = sorted(scores, key=lambda position: (-scores[position], position))
    found: list[Fact] = []
    # Read in rank order, a few at a time, until enough pass the filters.
    start, step = 0, MAX_NEAREST
    while start < len(ranked) and len(found) < MAX_NEAREST:
        chunk = ranked[start : start + step]
        found += [fact for fact in tables.facts_at(chunk) if keep is None or keep(fact)]
        start, step = start + step, min(step * 4, 2000)
    return tuple(found[:MAX_NEAREST])
