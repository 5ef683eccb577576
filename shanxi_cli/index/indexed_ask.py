"""`AskTables` (answer/ask_tables.py) answered from a large store's ask tables.

A question reads the words of `ask_words` under each of its stems (`ask_stems`, a
B-tree), counts the candidates holding them (a rarity), reads the
candidates holding any (the FTS5 table, by candidate position), and decodes only their
facts and entities, and the entities those name: nothing is read in proportion to the
store, only to the candidates that share a word with the question. Field averages and
the candidate count were summed at build (index/ask_build.py).

If the index fails, each answer comes from `MemoryTables` over the store loaded in full,
as every other read of the index does (Reader.answer).
"""

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from shanxi_cli.answer.ask_tables import MemoryTables, Scored, Split, idf_of, scored
from shanxi_cli.answer.candidates import Candidate, fact_candidate, field_candidates
from shanxi_cli.answer.meaning import Meanings
from shanxi_cli.index.indexed_words import TERMS_CHUNK, chunks, fts_query, rows_holding
from shanxi_cli.index.reader import Reader, RecordDoesNotFit, Table
from shanxi_cli.store.interface import Store
from shanxi_cli.store.json_store import JsonStore
from shanxi_cli.store.records import Entity, Fact

A = TypeVar("A")
R = TypeVar("R")
KIND = "ask_words"


class IndexedAsk:
    """A large store's `AskTables`: candidates named by their position."""

    def __init__(
        self,
        store: Store,
        meanings: Meanings,
        reader: Reader,
        facts: Table[Fact],
        entities: Table[Entity],
    ) -> None:
        self.store = store
        self.meanings = meanings
        self._reader = reader
        self._facts = facts
        self._entities = entities
        self._terms: dict[str, list[str]] = {}
        self._frequency: dict[str, int] = {}
        self._count: int | None = None
        self._average: dict[str, float] | None = None
        self._vocabulary: frozenset[str] | None = None
        self._scored: dict[int, Scored] = {}
        self._split: Split = {}
        self._whole: MemoryTables | None = None

    def _answer(self, from_index: Callable[[], A], from_whole: Callable[[MemoryTables], A]) -> A:
        def from_store(loaded: JsonStore) -> A:
            if self._whole is None:
                self._whole = MemoryTables(loaded, self.meanings)
            return from_whole(self._whole)

        return self._reader.answer(from_index, from_store)

    def _stem_terms(self, found: str) -> list[str]:
        terms = self._terms.get(found)
        if terms is None:
            sql = "SELECT term FROM ask_stems WHERE stem = ?"
            terms = self._terms[found] = [row[0] for row in self._reader.rows(sql, (found,))]
        return terms

    def _candidate_count(self) -> int:
        if self._count is None:
            rows = self._reader.rows("SELECT candidates FROM ask_meta")
            if len(rows) != 1 or not isinstance(rows[0][0], int) or rows[0][0] < 0:
                raise RecordDoesNotFit("the index does not say how many candidates it holds")
            self._count = rows[0][0]
        return self._count

    def known(self, word_stem: str) -> bool:
        return self._answer(
            lambda: bool(self._stem_terms(word_stem)), lambda whole: whole.known(word_stem)
        )

    def vocabulary(self) -> Iterable[str]:
        if self._vocabulary is None:
            sql = "SELECT term FROM vocabulary WHERE kind = ?"
            self._vocabulary = self._answer(
                lambda: frozenset([row[0] for row in self._reader.rows(sql, (KIND,))]),
                lambda whole: frozenset(whole.vocabulary()),
            )
        return self._vocabulary

    def holders(self, word_stem: str) -> int:
        return self._answer(
            lambda: self._holding_count(word_stem), lambda whole: whole.holders(word_stem)
        )

    def gloss(self, word_stem: str) -> tuple[str, ...]:
        def from_index() -> tuple[str, ...]:
            sql = "SELECT gloss FROM ask_glosses WHERE stem = ?"
            rows = self._reader.rows(sql, (word_stem,))
            if not rows:
                return ()
            # The build writes one or two words (answer/glosses.py): more is not its own.
            if not isinstance(rows[0][0], str) or not 0 < len(rows[0][0].split()) <= 2:
                raise RecordDoesNotFit("a gloss is not a text of words")
            return tuple(rows[0][0].split())

        return self._answer(from_index, lambda whole: whole.gloss(word_stem))

    def idf(self, word_stem: str) -> float:
        return self._answer(
            lambda: idf_of(self._candidate_count(), self._holding_count(word_stem)),
            lambda whole: whole.idf(word_stem),
        )

    def _holding_count(self, word_stem: str) -> int:
        known = self._frequency.get(word_stem)
        if known is None:
            known = self._frequency[word_stem] = self._counted(word_stem)
        return known

    def _counted(self, word_stem: str) -> int:
        terms = self._stem_terms(word_stem)
        if not terms:
            return 0
        if len(terms) <= TERMS_CHUNK:
            sql = f"SELECT COUNT(*) FROM {KIND} WHERE {KIND} MATCH ?"
            count: int = self._reader.rows(sql, (fts_query(terms),))[0][0]
        else:
            count = len(rows_holding(self._reader, KIND, terms))
        if count > self._candidate_count():
            raise RecordDoesNotFit("a word table names a candidate the index does not hold")
        return count

    def average(self, field: str) -> float:
        def from_index() -> float:
            if self._average is None:
                rows = self._reader.rows("SELECT field, total, count FROM ask_average")
                if any(count <= 0 or total < 0 for _, total, count in rows):
                    raise RecordDoesNotFit("a field's average is of no candidate")
                self._average = {name: total / count for name, total, count in rows}
            return self._average.get(field, 0.0)

        return self._answer(from_index, lambda whole: whole.average(field))

    def sharing(self, stems: Sequence[str]) -> list[Scored]:
        def from_index() -> list[Scored]:
            terms = sorted({term for found in stems for term in self._stem_terms(found)})
            positions = sorted(rows_holding(self._reader, KIND, terms))
            if positions and not (positions[0] >= 0 and positions[-1] < self._candidate_count()):
                raise RecordDoesNotFit("a word table names a candidate the index does not hold")
            self._read([position for position in positions if position not in self._scored])
            return [self._scored[position] for position in positions]

        return self._answer(from_index, lambda whole: whole.sharing(stems))

    def _read(self, positions: list[int]) -> None:
        """The candidates at the positions, decoded with every entity they name."""
        fact_count = len(self.store.facts)
        facts = self._at(self._facts, [p for p in positions if p < fact_count])
        fields = [p for p in positions if p >= fact_count]
        slots: dict[int, tuple[int, int]] = {}
        for part in chunks(fields):
            marks = ", ".join("?" * len(part))
            sql = f"SELECT position, entity, slot FROM ask_fields WHERE position IN ({marks})"
            slots.update((row[0], (row[1], row[2])) for row in self._reader.rows(sql, part))
        if len(slots) != len(fields):
            raise RecordDoesNotFit("a word table names a candidate the index does not hold")
        owners = self._at(self._entities, sorted({entity for entity, _ in slots.values()}))
        named: set[str] = set()
        for fact in facts.values():
            named.update((fact.subject, *fact.related))
            if fact.attributed_to is not None:
                named.add(fact.attributed_to)
        for entity in owners.values():
            if entity.located_in is not None:
                named.add(entity.located_in.id)
            if entity.role is not None and entity.role.organisation is not None:
                named.add(entity.role.organisation)
        self._entities_named(named)
        for position, fact in facts.items():
            self._keep(position, fact_candidate(self.store, fact))
        for position, (entity_position, slot) in slots.items():
            of_entity = list(field_candidates(self.store, owners[entity_position]))
            if not 0 <= slot < len(of_entity):
                raise RecordDoesNotFit("a candidate names a field its entity does not state")
            self._keep(position, of_entity[slot])

    def _keep(self, position: int, candidate: Candidate) -> None:
        self._scored[position] = scored(candidate, self._split)

    def _at(self, table: Table[R], positions: list[int]) -> dict[int, R]:
        found: dict[int, R] = {}
        for part in chunks(positions):
            marks = ", ".join("?" * len(part))
            sql = f"SELECT position, id, record FROM {table.name} WHERE position IN ({marks})"
            rows = self._reader.rows(sql, part)
            decoded = table.decoded([(row[1], row[2]) for row in rows])
            found.update(zip((row[0] for row in rows), decoded, strict=True))
        if len(found) != len(positions):
            raise RecordDoesNotFit(f"a candidate names a record {table.name} does not hold")
        return found

    def _entities_named(self, ids: set[str]) -> None:
        """Decode the entities the candidates name, in few queries: read by id then."""
        wanted = sorted(entity for entity in ids if entity not in self._entities.cache)
        for part in chunks(wanted):
            marks = ", ".join("?" * len(part))
            self._entities.where(f"id IN ({marks})", part)
