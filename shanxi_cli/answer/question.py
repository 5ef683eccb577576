"""Read a `metric` query as a reader's question, and answer it with the facts that fit.

The words of the query, in any order, are read in four passes:

1. The whole query, stripped, is first tried as an id: a fact id answers with that fact,
   a metric id with that metric's facts, an entity id with that entity's facts.
2. Each word whose stem is nowhere in the store is read as a number if it is a number
   word ("ten" is 10), else as its nearest word there when one is close enough
   (words.read_typos); the readings are returned so that they can be said.
3. The longest run of words that is a metric's name, alias or synonym, or an entity's
   name or alias, is taken at each place, stems compared ("prices" is "price"). A run
   that names both a metric and an entity ("characteristic towns") is the entity when
   another run names a metric, else the metric. A one-word metric alias that is a place
   word ("towns") counts only when no other run names a metric. Runs naming metrics in
   common narrow each other ("exports" and "tons" are export volume).
4. Each word left is ignored if it is a question word (STOPWORDS); narrows the facts if
   it is in some fact's text (value, unit, scope, note, period, quote, related entities,
   subject); names a subject if a name index resolves it ("Yao", or "Zhang", which is
   ambiguous); and otherwise matched nothing.

The answer is the facts that are of one of the named metrics (any metric if none),
about one of the named subjects (any subject if none), and whose text has every
narrowing word: in its own text when some candidate has it there, a year in its period
when some candidate has it there, else in its subject's names and known-for text. A
subject's facts are its own; when it has none that fit, they are the facts of what lies
within it or names it (a Linyi cooperative shipping from Yuncheng), and the subject is
listed as widened. When several subjects are named and some facts concern all of them,
only those are kept. A word that matched nothing leaves the answer empty: the nearest
facts are returned instead, ranked by how many of the query's parts they satisfy.
"""

from collections.abc import Callable, Sequence
from typing import NamedTuple

from shanxi_cli.answer.meaning import english_among
from shanxi_cli.answer.question_facts import about_entity, answering, nearest, tables_of
from shanxi_cli.answer.question_words import MAX_PHRASE_WORDS, QuestionTables
from shanxi_cli.store.interface import Store
from shanxi_cli.store.records import Entity, Fact, Metric
from shanxi_cli.text.names import SUFFIX_WORDS, Match, Scored
from shanxi_cli.text.words import STOPWORDS, Reading, read_typos, stem, words

# Words that are a currency or a unit before they are anyone's alias ("Yuan").
NOT_NAMES = frozenset({"yuan", "dollar", "dollars", "usd", "cny", "ton", "tons", "percent"})
# Number words the store does not hold, read as the digits it writes ("the first ten
# towns" is the first 10 towns; "the first five months" stays in words, as printed).
# fmt: off
_NUMBERS = ("zero one two three four five six seven eight nine ten eleven twelve"
            " thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty")
# fmt: on
NUMBER_WORDS = {word: str(number) for number, word in enumerate(_NUMBERS.split())}
MAX_TYPO_WORDS = 12


class Subject(NamedTuple):
    """An entity the query named, the words that named it as typed, and how they matched."""

    words: str
    match: Match[Entity]


class Group(NamedTuple):
    metric: Metric
    facts: tuple[Fact, ...]


class Answer(NamedTuple):
    query: str
    metrics: tuple[Metric, ...]  # metrics the words named; empty: any metric
    subjects: tuple[Subject, ...]  # subjects the words named; empty: any subject
    narrowing: tuple[str, ...]  # words every answer's text must hold, as read
    readings: tuple[Reading, ...]  # words read as another word (typos), typed -> read_as
    unmatched: tuple[str, ...]  # words that matched nothing, as typed
    ambiguous: Subject | None  # a subject that names several entities: no answer
    widened: tuple[Entity, ...]  # subjects answered through what lies within or names them
    groups: tuple[Group, ...]  # the answer, grouped by metric in the store's order
    nearest: tuple[Fact, ...]  # when there is no answer: the facts nearest to one
    by_id: bool  # the whole query was an id

    @property
    def facts(self) -> list[Fact]:
        return [fact for group in self.groups for fact in group.facts]


def answer(store: Store, query: str, keep: Callable[[Fact], bool] | None = None) -> Answer:
    """The facts that answer the query, and how its words were read; `keep` narrows more."""
    by_id = _by_id(store, query, keep)
    if by_id is not None:
        return by_id
    # Kept for the store: prepare_entities below resets what one question sets.
    tables = tables_of(store)
    typed = words(query)
    readings = _read(typed, tables)
    tables.prepare_entities(r.read_as or r.typed for r in readings)
    metric_ids, subjects, narrowing, unmatched = _parse(store, readings, tables)
    corrected = tuple(r for r in readings if r.read_as not in (None, r.typed))
    read = Answer(
        query=query,
        metrics=tuple(store.metrics[m] for m in metric_ids),
        subjects=tuple(subjects),
        narrowing=narrowing,
        readings=corrected,
        unmatched=unmatched,
        ambiguous=next((s for s in subjects if s.match.item is None), None),
        widened=(),
        groups=(),
        nearest=(),
        by_id=False,
    )
    if read.ambiguous is not None or not (metric_ids or subjects or narrowing):
        return read
    chosen = [s.match.item for s in subjects if s.match.item is not None]
    if not unmatched:
        facts, widened = answering(store, tables, metric_ids, chosen, narrowing, keep)
        if facts:
            return read._replace(widened=tuple(widened), groups=_grouped(store, facts))
    found = nearest(store, tables, keep, metric_ids, chosen, narrowing)
    return read._replace(nearest=found)


def _by_id(store: Store, query: str, keep: Callable[[Fact], bool] | None) -> Answer | None:
    wanted = query.strip().casefold()
    facts: Sequence[Fact] = []
    metrics: tuple[Metric, ...] = ()
    subjects: tuple[Subject, ...] = ()
    if wanted in store.facts:
        facts = [store.facts[wanted]]
    elif wanted in store.metrics:
        metrics = (store.metrics[wanted],)
        facts = store.facts_by_metric.get(wanted, [])
    elif wanted in store.entities:
        entity = store.entities[wanted]
        subjects = (Subject(query, Match(query, entity, "exact", 100.0, (Scored(entity, 100.0),))),)
        # As a name would be: an entity with no facts of its own is answered by the facts
        # of what lies within it or names it.
        facts, widened = about_entity(store, tables_of(store), entity, keep)
        found = _grouped(store, facts)
        return Answer(query, (), subjects, (), (), (), None, tuple(widened), found, (), True)
    else:
        return None
    chosen = [fact for fact in facts if keep is None or keep(fact)]
    return Answer(query, metrics, subjects, (), (), (), None, (), _grouped(store, chosen), (), True)


def _read(typed: list[str], tables: QuestionTables) -> list[Reading]:
    unknown = [word for word in dict.fromkeys(typed) if not tables.known(word)]
    readings = {word: Reading(word, NUMBER_WORDS[word]) for word in unknown if word in NUMBER_WORDS}
    typos = [word for word in unknown if word not in readings][:MAX_TYPO_WORDS]
    # An English word found nowhere is a word the store lacks, not a typo ("weigh" is
    # not "eight").
    english = english_among(typos) if typos else set()
    typos = [word for word in typos if word not in english]
    if typos:
        readings.update((r.typed, r) for r in read_typos(typos, tables.vocabulary()))
    return [
        readings.get(word) or Reading(word, None if word in unknown else word) for word in typed
    ]


def _parse(
    store: Store, readings: list[Reading], tables: QuestionTables
) -> tuple[list[str], list[Subject], tuple[str, ...], tuple[str, ...]]:
    """Which metrics, subjects, narrowing words and unmatched words the readings hold."""
    named: list[list[str]] = []  # the metrics each run names
    weak: list[tuple[list[str], list[Reading] | None]] = []
    subjects: list[Subject] = []
    left: list[Reading] = []
    position = 0
    while position < len(readings):
        span, metric_ids, entity_ids = _longest(readings, position, tables)
        if not span:
            left.append(readings[position])
            position += 1
            continue
        position += len(span)
        text = " ".join(r.read_as or r.typed for r in span)
        only_place_words = all(r.read_as in SUFFIX_WORDS | STOPWORDS for r in span)
        if metric_ids and (entity_ids or only_place_words):
            weak.append((metric_ids, span if entity_ids else None))
        elif metric_ids:
            named.append(metric_ids)
        else:
            subjects.append(Subject(_typed(span), _entity_match(store, text, entity_ids, tables)))
    for weak_metrics, weak_span in weak:
        if not named:
            named.append(weak_metrics)
        elif weak_span is not None:
            text = " ".join(r.read_as or r.typed for r in weak_span)
            entity_ids = tables.entity_phrases[tuple(stem(r.read_as or "") for r in weak_span)]
            match = _entity_match(store, text, entity_ids, tables)
            subjects.append(Subject(_typed(weak_span), match))
    narrowing: list[str] = []
    unmatched: list[str] = []
    for reading in left:
        word = reading.read_as
        if word is not None and word in STOPWORDS | SUFFIX_WORDS:
            continue
        if word is not None and tables.in_facts(word):
            narrowing.append(word)
            continue
        match = tables.names.match(word or reading.typed)
        if match.method in ("exact", "partial", "ambiguous"):
            subjects.append(Subject(reading.typed, match))
        else:
            unmatched.append(reading.typed)
    return _refined(named), _distinct(subjects), tuple(dict.fromkeys(narrowing)), tuple(unmatched)


def _distinct(subjects: list[Subject]) -> list[Subject]:
    """Each entity once, where the words first name it: "Shanxi" typed 28 times is one
    subject, not 28 passes over everything within Shanxi."""
    seen: set[str] = set()
    kept = []
    for subject in subjects:
        item = subject.match.item
        if item is not None:
            if item.id in seen:
                continue
            seen.add(item.id)
        kept.append(subject)
    return kept


def _typed(span: list[Reading]) -> str:
    return " ".join(reading.typed for reading in span)


def _refined(named: list[list[str]]) -> list[str]:
    """The metrics the runs name: a run's metrics narrowed by every run sharing one.

    "exports" names export value and volume, "tons" export and output volume: together
    they name export volume. Runs naming unrelated metrics ("jobs", "income") add up.
    """
    chosen: list[str] = []
    for metric_ids in named:
        kept = set(metric_ids)
        for other in named:
            if kept & set(other):
                kept &= set(other)
        chosen.extend(m for m in metric_ids if m in kept and m not in chosen)
    return chosen


def _longest(
    readings: list[Reading], start: int, tables: QuestionTables
) -> tuple[list[Reading], list[str], list[str]]:
    """The longest run from start naming a metric or an entity, and what it names."""
    end = min(len(readings), start + MAX_PHRASE_WORDS)
    for stop in range(end, start, -1):
        span = readings[start:stop]
        if any(r.read_as is None for r in span):
            continue
        key = tuple(stem(r.read_as or "") for r in span)
        metric_ids = tables.metric_phrases.get(key, [])
        entity_ids = tables.entity_phrases.get(key, [])
        if len(key) == 1 and (key[0] in STOPWORDS or key[0] in NOT_NAMES):
            entity_ids = []
        if metric_ids or entity_ids:
            return span, metric_ids, entity_ids
    return [], [], []


def _entity_match(
    store: Store, text: str, entity_ids: list[str], tables: QuestionTables
) -> Match[Entity]:
    """The name index's honest reading of a run that names entities (so "Ma" is ambiguous)."""
    match = tables.names.match(text)
    if match.item is not None or match.method == "ambiguous":
        return match
    entities = store.entities
    if len(entity_ids) == 1:
        entity = entities[entity_ids[0]]
        return Match(text, entity, "exact", 100.0, (Scored(entity, 100.0),))
    tied = tuple(Scored(entities[i], 100.0) for i in sorted(entity_ids))
    return Match(text, None, "ambiguous", 100.0, tied)


def _grouped(store: Store, facts: list[Fact]) -> tuple[Group, ...]:
    by_metric: dict[str, list[Fact]] = {}
    for fact in facts:
        by_metric.setdefault(fact.metric, []).append(fact)
    return tuple(
        Group(metric, tuple(by_metric[metric.id]))
        for metric in store.metrics.values()
        if metric.id in by_metric
    )
