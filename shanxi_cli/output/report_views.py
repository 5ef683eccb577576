"""Views of one fact's source and of the verifier's report."""

from typing import TextIO

from shanxi_cli.output.contract import SourceDoc, VerifyDoc
from shanxi_cli.output.fact_text import plural
from shanxi_cli.output.views import FACT_COLUMNS, FlatRow, View, flat_fact
from shanxi_cli.text.escape import visible


class SourceView(View):
    """A fact inside its paragraphs, the quote marked, under its story's headline."""

    csv_columns = (*FACT_COLUMNS, "headline", "paragraphs")
    document: SourceDoc

    @property
    def is_empty(self) -> bool:
        return False

    def flat_rows(self) -> list[FlatRow]:
        story = self.document["story"]
        return [
            {
                **flat_fact(self.document["fact"]),
                "headline": story["headline"] if story else None,
                "paragraphs": "\n\n".join(p["text"] for p in self.document["paragraphs"]),
            }
        ]

    def write_text(self, out: TextIO) -> None:
        fact = self.document["fact"]
        out.write(f"{fact['id']}: {visible(fact['subject']['name'])}, {visible(fact['display'])}\n")
        if fact["attributed_to"]:
            out.write(f"Said by: {visible(fact['attributed_to']['name'])}\n")
        story = self.document["story"]
        if story:
            out.write(f"Story: {visible(story['headline'])}\n")
            if story["deck"]:
                out.write(f"       {visible(story['deck'])}\n")
        for paragraph in self.document["paragraphs"]:
            text, position, marked = paragraph["text"], 0, []
            for start, end in sorted(paragraph["highlights"]):
                marked += [text[position:start], "\u00bb", text[start:end], "\u00ab"]
                position = end
            out.write("\n" + visible("".join([*marked, text[position:]])) + "\n")


class VerifyView(View):
    """The verifier's report: every problem, then one summary line."""

    csv_columns = ("problem",)
    document: VerifyDoc

    @property
    def is_empty(self) -> bool:
        return False

    def summary(self) -> str:
        report = self.document
        problems = report["problems"]
        verdict = plural(len(problems), "problem") if problems else "ok"
        return visible(
            f"{verdict}: {plural(report['entity_count'], 'entity', 'entities')}, "
            f"{plural(report['fact_count'], 'fact')} and "
            f"{plural(report['excluded_figure_count'], 'excluded figure')} "
            f"checked against {', '.join(report['documents'])}"
        )

    def flat_rows(self) -> list[FlatRow]:
        return [{"problem": problem} for problem in self.document["problems"]]

    def write_text(self, out: TextIO) -> None:
        for problem in self.document["problems"]:
            out.write(visible(problem) + "\n")
        out.write(self.summary() + "\n")
