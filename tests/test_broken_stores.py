"""A corpus of broken stores: each refused with one line naming the file and the place, exit 4."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from shanxi_cli.cli.commands import app

CORPUS = Path(__file__).parent / "broken_stores"

EXPECTED = {
    "alias-claimed-twice.json": "entities[4].aliases: 'xinghuacun' is already a name of",
    "bom.json": "starts with a byte-order mark",
    "claim-with-number.json": "facts[3].value: metric 'ranking' is a claim",
    "containment-cycle.json": "entities[1].located_in: containment forms a cycle",
    "dangling-located-in.json": "entities[2].located_in.id: unknown entity 'nowhere'",
    "dangling-subject.json": "facts[1].subject: unknown entity 'atlantis'",
    "deep-nesting.json": "is nested too deeply to read",
    "duplicate-ids.json": "entities[1].id: duplicate id 'shanxi'",
    "duplicate-keys.json": "duplicate key 'schema_version' in one object",
    "duplicate-key-nested.json": "duplicate key 'value' in one object",
    "duplicate-key-spaced.json": "duplicate key 'name' in one object",
    "empty.json": "is empty",
    "huge-number.json": "facts[0].value: is out of range",
    "infinity.json": "Infinity is not a number JSON allows",
    "latin1.json": "is not UTF-8 (byte 110)",
    "long-number.json": "holds a number too long to read",
    "missing-field.json": "facts[0]: missing required key 'quote'",
    "nan.json": "NaN is not a number JSON allows",
    "not-json.json": "is not valid JSON: Expecting value at line 1 column 1",
    "qualifier-unknown.json": "facts[1].qualifier: 'roughly' is not one of",
    "schema-version-string.json": 'schema_version: expected the integer 2, got "2"',
    "schema-version-float.json": "schema_version: expected the integer 2, got 1.0",
    "schema-1.json": "schema_version: this is a schema 1 store and shanxi reads schema 2; upgrade",
    "top-level-array.json": "$: expected an object, got an array",
    "truncated.json": "is not valid JSON: Expecting value at line 176",
    "value-wrong-type.json": "facts[2].value: expected a number or a string, got an array",
    "whitespace-only.json": "is empty",
    "wrong-schema-version.json": "schema_version: expected the integer 2, got 3",
    "unit-unknown.json": (
        "facts[0].unit: 'businesses' is not one of %, CNY, USD, USD/lb, count, decade, ordinal, t, "
        "top, year"
    ),
    "unit-array.json": "facts[0].unit: expected a string, got an array",
    "unit-on-claim.json": "facts[3].unit: must be null for a claim",
    "unit-words-missing.json": "facts[1].unit_as_stated: a unit and its words go together",
    "document-unknown.json": "facts[1].document: unknown document 'elsewhere'",
    "no-documents.json": "documents: a store cites at least one document",
    "period-date-invalid.json": "period.date: '2022-02-30' is not a date written YYYY-MM-DD",
    "period-year-not-date-year.json": "facts[2].period.year: must be the year of the date 2023-09",
    "period-year-float.json": "facts[2].period.year: expected an integer year or null",
    "period-inferred-without-reading.json": "facts[0].period.reading: an inferred year or date",
    "period-span-reversed.json": "facts[2].period.end_year: 2021 is before the start_year 2022",
    "period-span-with-year.json": "facts[2].period.year: a span of years has start_year and",
    "general-knowledge-unknown-alias.json": (
        "entities[3].general_knowledge.aliases[0]: 'Apricot Blossom Village' is not one of"
    ),
    "related-repeats-attributed.json": "facts[3].related[0]: 'ma-yunxia' is already the attributed",
}


def test_the_corpus_and_its_expectations_match() -> None:
    assert sorted(path.name for path in CORPUS.glob("*.json")) == sorted(EXPECTED)
    assert len(EXPECTED) >= 15


def assert_refused(result: Result, path: Path, expected: str) -> None:
    assert result.exit_code == 4, result.stderr
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert str(path) in result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_refused_through_facts_option(name: str) -> None:
    path = CORPUS / name
    result = CliRunner().invoke(app, ["town", "Taigu", "--json", "--facts", str(path)])
    assert_refused(result, path, EXPECTED[name])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_refused_through_environment(name: str) -> None:
    path = CORPUS / name
    result = CliRunner().invoke(app, ["metric", "jobs", "--json"], env={"SHANXI_FACTS": str(path)})
    assert_refused(result, path, EXPECTED[name])


def test_a_directory_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["town", "Taigu", "--facts", str(tmp_path)])
    assert_refused(result, tmp_path, "is a directory, not a file")


def test_an_unreadable_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.json"
    path.write_text("{}", encoding="utf-8")

    # Denied by a stand-in for the open: the tests run as root, who may read any file.
    real_open = os.open

    def deny(file: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    result = CliRunner().invoke(app, ["town", "Taigu", "--facts", str(path)])
    assert_refused(result, path, "permission denied")


def test_a_huge_file_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shanxi_cli.store import json_store as store

    path = tmp_path / "huge.json"
    path.write_bytes(b" " * 2048)
    monkeypatch.setattr(store, "MAX_STORE_BYTES", 1024)
    result = CliRunner().invoke(app, ["town", "Taigu", "--facts", str(path)])
    assert_refused(result, path, "is 2,048 bytes; the limit is 1,024")


def test_a_missing_store_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "absent.json"
    result = CliRunner().invoke(app, ["town", "Taigu", "--facts", str(path)])
    assert_refused(result, path, "not found")
