"""`ask`'s answers: their documents, and the sentence a reader takes in at a glance.

The best answer is one sentence (who or what, the value, when, who said it), then the
runners-up, one line each, numbered by rank. With --quotes each answer's quote follows.
"""

from typing import TextIO

from shanxi_cli.answer.ask import Asked
from shanxi_cli.answer.candidates import KNOWN_FOR, LOCATED_IN
from shanxi_cli.output.contract import AnswerDoc, FactAnswerDoc, FactDoc, FieldAnswerDoc
from shanxi_cli.output.fact_text import INFERRED_NOTE, has_inferred_period, period_short, quoted
from shanxi_cli.output.json_docs import entity_ref, fact_doc
from shanxi_cli.output.views import FACT_COLUMNS, FlatRow, View, flat_fact
from shanxi_cli.store.interface import Store
from shanxi_cli.text.escape import visible

QUOTE_INDENT = "   "  # a quote under its answer


def answer_docs(store: Store, asked: Asked, limit: int) -> list[AnswerDoc]:
    """The first `limit` answers as documents, ranked from 1, scores to 3 decimals."""
    found: list[AnswerDoc] = []
    for rank, ranked in enumerate(asked.answers[:limit], start=1):
        candidate, score = ranked.candidate, round(ranked.score, 3)
        if candidate.fact is not None:
            found.append(
                FactAnswerDoc(
                    rank=rank, score=score, kind="fact", fact=fact_doc(store, candidate.fact)
                )
            )
        else:
            found.append(
                FieldAnswerDoc(
                    rank=rank,
                    score=score,
                    kind=candidate.kind,
                    entity=entity_ref(candidate.entity),
                    text=candidate.text,
                    quote=candidate.quote,
                )
            )
    return found


def sentence(answer: AnswerDoc) -> str:
    """The answer as a reader says it."""
    if "fact" in answer:
        return _fact_sentence(answer["fact"])
    name, text = answer["entity"]["name"], answer["text"]
    if answer["kind"] == LOCATED_IN:
        return f"{name} lies in {text}"
    if answer["kind"] == KNOWN_FOR:
        return f"{name}, known for: {text}"
    return f"{name}: {text}"  # a role


def _fact_sentence(fact: FactDoc) -> str:
    said = [fact["display"]]
    if fact["period"]:
        said.append(f"({period_short(fact)})")
    if fact["status"] != "reported":
        said.append(f"[{fact['status']}]")
    if fact["attributed_to"]:
        said.append(f"\N{EM DASH} said by {fact['attributed_to']['name']}")
    return f"{fact['subject']['name']}, {fact['metric_name']}: {' '.join(said)}"


class AnswersView(View):
    """The ranked answers; a fact answer's CSV row is the fact's, beside rank and score."""

    # A fact answer's row is its fact's, as `metric` writes it (FACT_COLUMNS, "quote"
    # included); a field answer fills the entity's columns, its text and its quote.
    csv_columns = ("rank", "score", "kind", "entity_id", "entity_name", "text", *FACT_COLUMNS)
    document: list[AnswerDoc]

    def __init__(self, answers: list[AnswerDoc], *, quotes: bool, confident: bool) -> None:
        super().__init__(answers)
        self.quotes = quotes
        self.confident = confident

    def flat_rows(self) -> list[FlatRow]:
        rows: list[FlatRow] = []
        for answer in self.document:
            row: FlatRow = dict.fromkeys(self.csv_columns)
            row.update(rank=answer["rank"], score=answer["score"], kind=answer["kind"])
            if "fact" in answer:
                flat = flat_fact(answer["fact"])
                row.update(flat)
                row.update(
                    entity_id=flat["subject_id"],
                    entity_name=flat["subject_name"],
                    text=flat["display"],
                )
            else:
                entity = answer["entity"]
                row.update(
                    entity_id=entity["id"],
                    entity_name=entity["name"],
                    text=answer["text"],
                    quote=answer["quote"],
                )
            rows.append(row)
        return rows

    def lines(self) -> list[tuple[str, str]]:
        """(style, text) lines: "best", "answer", "quote" or "heading"."""
        found: list[tuple[str, str]] = []
        for answer in self.document:
            if answer["rank"] == 1:
                found.append(("best", sentence(answer)))
            else:
                if answer["rank"] == 2:
                    found.append(("heading", "Also:" if self.confident else "Nearest:"))
                found.append(("answer", f"{answer['rank']}. {sentence(answer)}"))
            if self.quotes:
                quote = answer["fact"]["quote"] if "fact" in answer else answer["quote"]
                found.append(("quote", QUOTE_INDENT + quoted(quote)))
        facts = [answer["fact"] for answer in self.document if "fact" in answer]
        if has_inferred_period(facts):
            found.append(("heading", INFERRED_NOTE))
        return found

    def write_text(self, out: TextIO) -> None:
        for _, text in self.lines():
            out.write(f"{visible(text)}\n")
