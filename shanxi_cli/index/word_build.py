"""The index's word tables: what `metric` and `search` read of a large store's words.

Each is an FTS5 table over texts folded as questions and searches fold them (contentless,
no positions: only which rows hold which words), its rowid the record's position:

* fact_period, fact_own: each fact's first two tiers of text (answer/question_words.py);
* subject_words: the third tier, the names, kind and known-for text of every entity that
  is some fact's subject, by entity position;
* search_words: each search record's blob (search_records, by rowid).

`vocabulary` keeps the distinct words of each (and of every entity's names, `names`), so
that a word's stem is looked up among the words that start with its prefix, and a typo
is read against the store's words without reading any record. `entity_names` keeps each
entity's names, folded and as written, for the names a question could mean, and
`entity_grams` finds the names holding a string.

SQLite's `ascii` tokenizer splits ASCII text on what is not a letter or digit, exactly as
`words` does, and never splits within non-ASCII text; a text that is not ASCII is given
to it as the words Python found, joined by spaces (words.word_text), so every table holds
exactly the words the store loaded whole gives.
"""

import json
import sqlite3
from collections.abc import Container, Iterator

from shanxi_cli.answer.question_words import names_text, own_texts, period_texts, subject_texts
from shanxi_cli.store.interface import StoreRecords
from shanxi_cli.text.words import fold, unstemmed_words, word_text

FTS = "USING fts5(text, content='', detail=none, tokenize='ascii')"
WORD_TABLES = ("fact_period", "fact_own", "subject_words", "search_words")
WORD_SCHEMA = "".join(f"CREATE VIRTUAL TABLE {name} {FTS};\n" for name in WORD_TABLES) + (
    "CREATE TABLE vocabulary(kind TEXT NOT NULL, term TEXT NOT NULL,"
    " PRIMARY KEY(kind, term)) WITHOUT ROWID;\n"
    "CREATE TABLE entity_names(position INTEGER PRIMARY KEY, blob TEXT NOT NULL,"
    " names TEXT NOT NULL);\n"
    # Every three characters of each blob: the blobs holding a string of three or more
    # are found without reading every blob, exactly as instr finds them.
    "CREATE VIRTUAL TABLE entity_grams USING fts5(blob, content='entity_names',"
    " content_rowid='position', tokenize='trigram case_sensitive 1');\n"
)


def fill_words(
    connection: sqlite3.Connection, store: StoreRecords, subjects: Container[str]
) -> None:
    """Write the word tables of `store`, whose facts are about the entities `subjects`
    holds; search_records must be written already."""
    for statement in WORD_SCHEMA.split(";\n")[:-1]:  # executescript would commit first
        connection.execute(statement)
    insert = "INSERT INTO {}(rowid, text) VALUES (?, ?)"
    connection.executemany(insert.format("fact_period"), _period_rows(store))
    connection.executemany(insert.format("fact_own"), _own_rows(store))
    connection.executemany(insert.format("subject_words"), _subject_rows(store, subjects))
    connection.create_function("word_text", 1, word_text, deterministic=True)
    connection.execute(
        "INSERT INTO search_words(rowid, text) SELECT rowid, word_text(blob) FROM search_records"
    )
    names: set[str] = set()
    connection.executemany("INSERT INTO entity_names VALUES (?, ?, ?)", _name_rows(store, names))
    connection.execute(
        # SQLite's trigram tokenizer stops at a NUL; no string looked for holds one.
        "INSERT INTO entity_grams(rowid, blob)"
        " SELECT position, replace(blob, char(0), char(10)) FROM entity_names"
    )
    connection.executemany("INSERT INTO vocabulary VALUES ('names', ?)", ((n,) for n in names))
    for kind in WORD_TABLES:
        connection.execute(
            f"CREATE VIRTUAL TABLE temp.{kind}_terms USING fts5vocab(main, {kind}, row)"
        )
        connection.execute(f"INSERT INTO vocabulary SELECT '{kind}', term FROM temp.{kind}_terms")
        connection.execute(f"DROP TABLE temp.{kind}_terms")


def _name_rows(store: StoreRecords, names: set[str]) -> Iterator[tuple[int, str, str]]:
    """Each entity's names, folded and as written; their words are added to `names`."""
    for position, entity in enumerate(store.entities.values()):
        blob = names_text(entity)
        names |= unstemmed_words(blob)
        written = json.dumps([entity.id, entity.name, *entity.aliases], ensure_ascii=False)
        yield position, blob, written


def _period_rows(store: StoreRecords) -> Iterator[tuple[int, str]]:
    folded: dict[tuple[str, ...], str] = {}  # a store repeats its periods
    for position, fact in enumerate(store.facts.values()):
        texts = tuple(period_texts(fact))
        if texts:
            text = folded.get(texts)
            if text is None:
                text = folded[texts] = word_text(fold("\n".join(texts)))
            yield position, text


def _own_rows(store: StoreRecords) -> Iterator[tuple[int, str]]:
    for position, fact in enumerate(store.facts.values()):
        yield position, word_text(fold("\n".join(own_texts(store, fact))))


def _subject_rows(store: StoreRecords, subjects: Container[str]) -> Iterator[tuple[int, str]]:
    for position, entity in enumerate(store.entities.values()):
        if entity.id in subjects:
            yield position, word_text(fold("\n".join(subject_texts(entity))))
