"""`IndexedStore`: the `Store` interface (store/interface.py), answered from an SQLite index.

Query and view code reads a store only through that interface; this class offers it
lazily: the header (documents, stories, metrics, excluded figures) whole, and entities,
facts and their groupings (by subject, by metric ...) as read-only mappings that select
what is asked for. A record decoded once is kept for the rest of the run.

If the index fails while a command runs (a damaged page, a record that does not decode),
the run goes on from the store itself, loaded in full: the answer comes out the same,
slower, with one note on stderr. The broken index is removed so that the next run
builds a sound one.
"""

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence, ValuesView
from typing import TYPE_CHECKING, Any, TypeVar

from shanxi_cli.index.codec import Codec
from shanxi_cli.index.format import Header, entity_codec, fact_codec
from shanxi_cli.index.reader import Reader, Table
from shanxi_cli.store.interface import containment_of, document_text
from shanxi_cli.store.json_store import JsonStore
from shanxi_cli.store.records import Corpus, Entity, Fact
from shanxi_cli.text.names import Match

if TYPE_CHECKING:
    from shanxi_cli.answer.meaning import Meanings
    from shanxi_cli.index.indexed_ask import IndexedAsk
    from shanxi_cli.index.indexed_search import IndexedSearch
    from shanxi_cli.index.indexed_words import IndexedWords

R = TypeVar("R")


class Records(Mapping[str, R]):
    """entities or facts by id, in the store's order."""

    def __init__(
        self, table: Table[R], count: int, of_store: Callable[[JsonStore], Mapping[str, R]]
    ):
        self._table = table
        self._count = count
        self._of_store = of_store

    def __getitem__(self, key: str) -> R:
        cached = self._table.cache.get(key)
        if cached is not None:
            return cached

        def from_index() -> R:
            found = self._table.where("id = ?", (key,))
            if not found:
                raise KeyError(key)
            return found[0]

        return self._table.reader.answer(from_index, lambda store: self._of_store(store)[key])

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        try:
            self[key]
        except KeyError:
            return False
        return True

    def __iter__(self) -> Iterator[str]:
        sql = f"SELECT id FROM {self._table.name} ORDER BY position"
        return iter(
            self._table.reader.answer(
                lambda: [row[0] for row in self._table.reader.rows(sql)],
                lambda store: list(self._of_store(store)),
            )
        )

    def __len__(self) -> int:
        return self._count

    def values(self) -> ValuesView[R]:
        return _AllValues(self)

    def all(self) -> list[R]:
        """Every record, in one pass over the table."""
        return self._table.reader.answer(
            lambda: self._table.where("1"), lambda store: list(self._of_store(store).values())
        )


class _AllValues(ValuesView[R]):
    """`values()` read in one query rather than one query a record."""

    _mapping: Records[R]

    def __iter__(self) -> Iterator[R]:
        return iter(self._mapping.all())


class Grouped(Mapping[str, Sequence[R]]):
    """Records grouped by a column (facts by subject, entities by parent ...), store order.

    Like the store's dicts, a key with no records is absent: `.get(key, [])` is [].
    """

    def __init__(
        self,
        table: Table[R],
        condition: str,
        of_store: Callable[[JsonStore], Mapping[str, Sequence[R]]],
        keys_sql: str,
    ) -> None:
        self._table = table
        self._condition = condition
        self._of_store = of_store
        self._keys_sql = keys_sql

    def __getitem__(self, key: str) -> Sequence[R]:
        def from_index() -> Sequence[R]:
            found = self._table.where(self._condition, (key,))
            if not found:
                raise KeyError(key)
            return found

        return self._table.reader.answer(from_index, lambda store: self._of_store(store)[key])

    def _keys(self) -> list[str]:
        return self._table.reader.answer(
            lambda: [row[0] for row in self._table.reader.rows(self._keys_sql)],
            lambda store: list(self._of_store(store)),
        )

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys())

    def __len__(self) -> int:
        return len(self._keys())


class CountedFacts(Sequence[Fact]):
    """A metric's facts: counted without being read, read only when iterated."""

    def __init__(self, table: Table[Fact], metric: str, count: int) -> None:
        self._table = table
        self._metric = metric
        self._count = count
        self._facts: list[Fact] | None = None

    def _all(self) -> list[Fact]:
        if self._facts is None:
            metric = self._metric
            self._facts = list(
                self._table.reader.answer(
                    lambda: self._table.where("metric = ?", (metric,)),
                    lambda store: store.facts_by_metric[metric],
                )
            )
        return self._facts

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: Any) -> Any:
        return self._all()[index]

    def __iter__(self) -> Iterator[Fact]:
        return iter(self._all())


class FactsByMetric(Mapping[str, Sequence[Fact]]):
    def __init__(self, table: Table[Fact]) -> None:
        self._table = table

    def _counts(self) -> dict[str, int]:
        sql = "SELECT metric, COUNT(*) FROM facts GROUP BY metric ORDER BY MIN(position)"
        return dict(self._table.reader.rows(sql))

    def __getitem__(self, metric: str) -> Sequence[Fact]:
        def from_index() -> Sequence[Fact]:
            sql = "SELECT COUNT(*) FROM facts WHERE metric = ?"
            count = self._table.reader.rows(sql, (metric,))[0][0]
            if not count:
                raise KeyError(metric)
            return CountedFacts(self._table, metric, count)

        return self._table.reader.answer(from_index, lambda store: store.facts_by_metric[metric])

    def __iter__(self) -> Iterator[str]:
        return iter(
            self._table.reader.answer(
                lambda: list(self._counts()), lambda store: list(store.facts_by_metric)
            )
        )

    def __len__(self) -> int:
        return len(list(iter(self)))


class IndexedStore:
    """A `Store` whose entities and facts stay in the index until asked for."""

    def __init__(self, reader: Reader, header: Header, entity_count: int, fact_count: int) -> None:
        self.path = str(reader.store_path)
        self.documents = header.documents
        self.stories = header.stories
        self.metrics = header.metrics
        self.excluded_figures = header.excluded_figures
        self._reader = reader
        entities = Table(reader, "entities", entity_codec())
        facts = Table(reader, "facts", fact_codec())
        self._entity_table = entities
        self._fact_table = facts
        self.entities = Records(entities, entity_count, lambda s: s.entities)
        self.facts = Records(facts, fact_count, lambda s: s.facts)
        self.facts_by_subject = _by_column(facts, "subject", lambda s: s.facts_by_subject)
        self.facts_attributed = _by_column(facts, "attributed_to", lambda s: s.facts_attributed)
        self.facts_mentioning = Grouped(
            _MentionsTable(reader, "facts", fact_codec(), facts),
            "",
            lambda s: s.facts_mentioning,
            "SELECT entity FROM mentions GROUP BY entity ORDER BY MIN(fact)",
        )
        self.facts_by_metric = FactsByMetric(facts)
        self.children = _by_column(entities, "parent", lambda s: s.children)
        self.members = _by_column(entities, "organisation", lambda s: s.members)

    def read_document(self, document_id: str) -> str:
        return document_text(self, document_id)

    def containment(self, entity: Entity) -> list[Entity]:
        return containment_of(self, entity)

    def of_category(self, category: str) -> list[Entity]:
        return self._reader.answer(
            lambda: self._entity_table.where("category = ?", (category,)),
            lambda store: store.of_category(category),
        )

    def search_corpus(self) -> Corpus | None:
        from shanxi_cli.answer.search_texts import computed_corpus

        def from_index() -> Corpus:
            records = self._reader.rows("SELECT kind, id, blob FROM search_records ORDER BY rowid")
            average = self._reader.rows("SELECT field, average FROM search_average")
            return Corpus([tuple(row) for row in records], dict(average))

        return self._reader.answer(from_index, computed_corpus)

    def question_tables(self) -> "IndexedWords":
        """The word tables a `metric` question reads (answer/question_facts.tables_of)."""
        from shanxi_cli.index.indexed_words import IndexedWords

        return IndexedWords(self, self._reader, self._fact_table)

    def ask_tables(self, meanings: "Meanings") -> "IndexedAsk":
        """The tables `ask` reads (answer/ask_tables.tables_for)."""
        from shanxi_cli.index.indexed_ask import IndexedAsk

        return IndexedAsk(self, meanings, self._reader, self._fact_table, self._entity_table)

    def search_tables(self) -> "IndexedSearch":
        """The word tables a search reads (answer/search.py)."""
        from shanxi_cli.index.indexed_search import IndexedSearch

        return IndexedSearch(self, self._reader)

    def match_name(self, query: str, categories: Collection[str]) -> Match[Entity]:
        from shanxi_cli.index.keyed_names import match_name

        return self._reader.answer(
            lambda: match_name(self._reader, self._entity_table, query, categories),
            lambda store: store.match_name(query, categories),
        )


def _by_column(
    table: Table[R], column: str, of_store: Callable[[JsonStore], Mapping[str, Sequence[R]]]
) -> Grouped[R]:
    """Records grouped by one column of their table, its values in the order the store
    first holds them."""
    keys_sql = (
        f"SELECT {column} FROM {table.name} WHERE {column} IS NOT NULL"
        f" GROUP BY {column} ORDER BY MIN(position)"
    )
    return Grouped(table, f"{column} = ?", of_store, keys_sql)


class _MentionsTable(Table[Fact]):
    """Facts that name an entity among their `related`, once per mention, as the store has."""

    def __init__(self, reader: Reader, name: str, codec: Codec[Fact], facts: Table[Fact]):
        super().__init__(reader, name, codec)
        self.cache = facts.cache

    def where(self, condition: str, parameters: Sequence[Any] = ()) -> list[Fact]:
        sql = (
            "SELECT facts.id, facts.record FROM mentions"
            " JOIN facts ON facts.position = mentions.fact WHERE mentions.entity = ?"
            " ORDER BY mentions.fact, mentions.slot"
        )
        return self.decoded(self.reader.rows(sql, parameters))
