"""The index's ask tables: what `ask` reads of a large store's candidates (issue 23).

`ask` (answer/ask.py) scores the candidates that share a word stem with the question,
each candidate's words weighed by their rarity across all candidates and by its fields'
lengths against their averages. The index keeps, by candidate position (the order of
answer/candidates.candidates: every fact, then every entity's stated fields):

* ask_words: each candidate's words, as `words` reads its texts, joined by spaces (an
  FTS5 table as index/word_build.py's, so the `ascii` tokenizer finds exactly them);
  its distinct words are kept in `vocabulary` under the kind 'ask_words';
* ask_fields: for a candidate that is an entity's field, the entity's position and
  which of its field candidates it is (a fact's candidate position is its own);
* ask_average: each field's total length in words and how many candidates have it, so
  that an average is the very division MemoryTables makes;
* ask_meta: how many candidates there are, the count a rarity is taken over;
* ask_stems: each of ask_words' distinct words under its stem;
* ask_glosses: each word the candidates' quotes explain, by its stem, with the stems of
  its explanation joined by spaces (answer/glosses.py).
"""

import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator

from shanxi_cli.answer.ask_tables import QUOTE
from shanxi_cli.answer.candidates import (
    field_candidates,
    metric_fields,
    own_fields,
    subject_fields,
)
from shanxi_cli.answer.glosses import glosses_in
from shanxi_cli.index.word_build import FTS
from shanxi_cli.store.figures import display_value
from shanxi_cli.store.interface import StoreRecords
from shanxi_cli.text.words import stem, words

ASK_SCHEMA = (
    f"CREATE VIRTUAL TABLE ask_words {FTS};\n"
    "CREATE TABLE ask_fields(position INTEGER PRIMARY KEY, entity INTEGER NOT NULL,"
    " slot INTEGER NOT NULL);\n"
    "CREATE TABLE ask_average(field TEXT PRIMARY KEY, total INTEGER NOT NULL,"
    " count INTEGER NOT NULL);\n"
    "CREATE TABLE ask_meta(candidates INTEGER NOT NULL);\n"
    "CREATE TABLE ask_stems(stem TEXT NOT NULL, term TEXT NOT NULL,"
    " PRIMARY KEY(stem, term)) WITHOUT ROWID;\n"
    "CREATE TABLE ask_glosses(stem TEXT PRIMARY KEY, gloss TEXT NOT NULL) WITHOUT ROWID;\n"
)


Piece = tuple[str, dict[str, int]]  # fields' words as one text, and each field's length

# Texts split into words and kept for their next use (names, units, periods recur); not
# the store's every quote: a build keeps this many at most.
SPLIT_KEPT = 50_000


class _Counted:
    """Each candidate's words as one text, and each field's lengths summed on the way.

    A fact's fields from its subject, from its metric and of its own are disjoint, so
    the first two are split once per subject and metric and counted once per use."""

    def __init__(self) -> None:
        self.split: dict[str, tuple[int, str]] = {}  # a text -> its word count and words
        self.quotes: set[str] = set()
        self.totals: dict[str, int] = {}
        self.counts: dict[str, int] = {}
        self.candidates = 0

    def piece(self, fields: Iterable[tuple[str, str]]) -> Piece:
        split = self.split
        lengths: dict[str, int] = {}
        parts = []
        for field, text in fields:
            if field == QUOTE and ("(" in text or ", or " in text):  # what glosses_in reads
                self.quotes.add(text)
            found = split.get(text)
            if found is None:
                if len(split) >= SPLIT_KEPT:
                    split.clear()
                folded = words(text)
                found = split[text] = (len(folded), " ".join(folded))
            lengths[field] = lengths.get(field, 0) + found[0]
            if found[0]:
                parts.append(found[1])
        return " ".join(parts), lengths

    def count(self, lengths: dict[str, int], uses: int = 1) -> None:
        totals, counts = self.totals, self.counts
        for field, length in lengths.items():
            totals[field] = totals.get(field, 0) + length * uses
            counts[field] = counts.get(field, 0) + uses


def fill_ask(connection: sqlite3.Connection, store: StoreRecords) -> None:
    """Write the ask tables of `store`; the vocabulary table must be written already."""
    for statement in ASK_SCHEMA.split(";\n")[:-1]:  # executescript would commit first
        connection.execute(statement)
    counted = _Counted()
    fields: list[tuple[int, int, int]] = []
    connection.executemany(
        "INSERT INTO ask_words(rowid, text) VALUES (?, ?)", _rows(store, counted, fields)
    )
    connection.executemany("INSERT INTO ask_fields VALUES (?, ?, ?)", fields)
    connection.executemany(
        "INSERT INTO ask_average VALUES (?, ?, ?)",
        ((field, total, counted.counts[field]) for field, total in counted.totals.items()),
    )
    connection.execute("INSERT INTO ask_meta VALUES (?)", (counted.candidates,))
    connection.executemany(
        "INSERT INTO ask_glosses VALUES (?, ?)",
        ((word, " ".join(gloss)) for word, gloss in glosses_in(sorted(counted.quotes)).items()),
    )
    connection.execute("CREATE VIRTUAL TABLE temp.ask_terms USING fts5vocab(main, ask_words, row)")
    connection.execute("INSERT INTO vocabulary SELECT 'ask_words', term FROM temp.ask_terms")
    connection.execute("DROP TABLE temp.ask_terms")
    # Each word's own stem: a stem is not always the start of its words ("dry" stems to
    # "dri", "skies" to "sky"), so a question's stems find their words here, as exactly
    # as MemoryTables compares stems.
    terms = [
        row[0] for row in connection.execute("SELECT term FROM vocabulary WHERE kind = 'ask_words'")
    ]
    connection.executemany(
        "INSERT INTO ask_stems VALUES (?, ?)", ((stem(term), term) for term in terms)
    )


def _rows(
    store: StoreRecords, counted: _Counted, fields: list[tuple[int, int, int]]
) -> Iterator[tuple[int, str]]:
    """Every candidate's words by position: each fact's (answer/candidates.fact_candidate),
    then each entity's stated fields'."""
    subjects: dict[str, Piece] = {}
    metrics: dict[str, Piece] = {}
    subject_uses: Counter[str] = Counter()
    metric_uses: Counter[str] = Counter()
    position = 0
    for fact in store.facts.values():
        subject = subjects.get(fact.subject)
        if subject is None:
            entity = store.entities[fact.subject]
            subject = subjects[fact.subject] = counted.piece(subject_fields(entity))
        metric = metrics.get(fact.metric)
        if metric is None:
            metric = metrics[fact.metric] = counted.piece(metric_fields(store.metrics[fact.metric]))
        own_text, own = counted.piece(own_fields(store, fact, display_value(fact))[0])
        counted.count(own)
        subject_uses[fact.subject] += 1
        metric_uses[fact.metric] += 1
        yield position, f"{subject[0]} {metric[0]} {own_text}"
        position += 1
    for subject_id, uses in subject_uses.items():
        counted.count(subjects[subject_id][1], uses)
    for metric_id, uses in metric_uses.items():
        counted.count(metrics[metric_id][1], uses)
    for entity_position, entity in enumerate(store.entities.values()):
        for slot, candidate in enumerate(field_candidates(store, entity)):
            fields.append((position, entity_position, slot))
            text, lengths = counted.piece(candidate.fields)
            counted.count(lengths)
            yield position, text
            position += 1
    counted.candidates = position
