"""Commands that look a thing up by name or id: town, company, person, list, source, verify."""

from typing import Annotated, Any

import typer

from shanxi_cli.cli.app import app, running
from shanxi_cli.cli.messages import note_match
from shanxi_cli.cli.options import (
    FactIdArgument,
    FactsOption,
    FormatOption,
    JsonOption,
    Listing,
    OrganisationArgument,
    OutputFormat,
    PersonArgument,
    PlaceArgument,
    QuotesOption,
)
from shanxi_cli.errors import ExitCode


def _show_entity(
    ctx: typer.Context,
    category: str,
    words: list[str],
    facts: Any,
    fmt: OutputFormat,
    as_json: bool,
    quotes: bool,
) -> None:
    from shanxi_cli.answer.lookup import find_entity
    from shanxi_cli.output.json_docs import entity_doc
    from shanxi_cli.output.views import EntityView

    with running(ctx, facts, fmt, as_json) as run:
        store, env = run.store, run.env
        entity, match = find_entity(store, " ".join(words), category)
        view = EntityView(entity_doc(store, entity, match), quotes=quotes)
        note_match(env, match, f"{entity.name} ({entity.kind})")
        run.show(view)


@app.command(short_help="A place: where it lies, what it is known for, its facts.")
def town(
    ctx: typer.Context,
    name: PlaceArgument,
    facts: FactsOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = OutputFormat.auto,
    quotes: QuotesOption = False,
) -> None:
    """Show a place: where it lies, what it is known for, its companies, people and facts.

    \b
    Examples:
      shanxi town Xinghuacun
      shanxi town dingxiang county --json
    """
    _show_entity(ctx, "place", name, facts, fmt, as_json, quotes)


@app.command(short_help="A company or organisation: where it is, what it makes, its facts.")
def company(
    ctx: typer.Context,
    name: OrganisationArgument,
    facts: FactsOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = OutputFormat.auto,
    quotes: QuotesOption = False,
) -> None:
    """Show a company or organisation: where it is, what it makes, its people and facts.

    \b
    Examples:
      shanxi company fenjiu
      shanxi company Yinsheng Technology --quotes
    """
    _show_entity(ctx, "organisation", name, facts, fmt, as_json, quotes)


@app.command(short_help="A person: role, organisation and what they said.")
def person(
    ctx: typer.Context,
    name: PersonArgument,
    facts: FactsOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = OutputFormat.auto,
    quotes: QuotesOption = False,
) -> None:
    """Show a person: role, organisation, place, and what the article quotes them saying.

    \b
    Examples:
      shanxi person Bai Feng
      shanxi person ma yunxia --quotes
    """
    _show_entity(ctx, "person", name, facts, fmt, as_json, quotes)


@app.command(name="list", short_help="Browse every town, company, person or metric.")
def list_(
    ctx: typer.Context,
    what: Annotated[Listing, typer.Argument(help="What to list.", case_sensitive=False)],
    facts: FactsOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = OutputFormat.auto,
) -> None:
    """Browse: every town, company, person or metric, one a row.

    Piped as plain text, one name a line.

    \b
    Examples:
      shanxi list towns
      shanxi list companies --json
      shanxi list people | wc -l
    """
    from shanxi_cli.answer.lookup import list_entities
    from shanxi_cli.output.json_docs import listed_entity_doc, metric_docs
    from shanxi_cli.output.listing_views import EntityListView, VocabularyView

    with running(ctx, facts, fmt, as_json) as run:
        store = run.store
        if what is Listing.metrics:
            run.show(VocabularyView(metric_docs(store)))
            return
        rows = [listed_entity_doc(store, e) for e in list_entities(store, what.value)]
        run.show(EntityListView(rows, what.value.capitalize()))


@app.command(short_help="Where a fact comes from: its quote inside its paragraph.")
def source(
    ctx: typer.Context,
    fact_id: FactIdArgument,
    facts: FactsOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = OutputFormat.auto,
) -> None:
    """Show where a fact comes from: its quote inside its paragraph, with the story's headline.

    \b
    Examples:
      shanxi source xinghuacun.jobs
      shanxi source qiangwei.output-value --json
    """
    from shanxi_cli.answer.lookup import find_fact, locate_fact
    from shanxi_cli.output.json_docs import source_doc
    from shanxi_cli.output.report_views import SourceView

    with running(ctx, facts, fmt, as_json) as run:
        store = run.store
        fact = find_fact(store, fact_id)
        site = locate_fact(store, fact, store.read_document(fact.document))
        run.show(SourceView(source_doc(store, fact, site)))


@app.command(short_help="Check a fact store against its article.")
def verify(
    ctx: typer.Context,
    facts: FactsOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = OutputFormat.auto,
) -> None:
    """Check a fact store against its article: every quote found, every figure accounted for.

    The same checks the bundled store passes in the tests. Exit 0 when sound, 4 otherwise.

    \b
    Examples:
      shanxi verify
      shanxi verify --json
    """
    from shanxi_cli.output.json_docs import verify_doc
    from shanxi_cli.output.report_views import VerifyView
    from shanxi_cli.store.provenance import verify_store

    # verify always checks the JSON itself, never an index of it.
    with running(ctx, facts, fmt, as_json, indexed=False) as run:
        store = run.store
        problems = verify_store(store)
        run.show(VerifyView(verify_doc(store, problems)))
    if problems:
        raise typer.Exit(ExitCode.STORE)
