"""Arbitrary queries never crash: a documented exit code, no traceback, valid JSON or nothing."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from shanxi_cli.cli import app

HOSTILE = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "[bold]",
            "[/]",
            "[link=file:///etc/passwd]x[/link]",
            ":warning:",
            "\x1b]8;;http://evil\x07x",
            "\u202eevil",
            "\ud800",
            " \t ",
            "x" * 10_000,
        ]
    ),
)
DOCUMENTED_CODES = {0, 1, 2, 3}


@settings(max_examples=60, deadline=None)
@given(command=st.sampled_from(["town", "company", "metric"]), query=HOSTILE)
def test_any_query_ends_with_a_documented_code(command: str, query: str) -> None:
    result = CliRunner().invoke(app, [command, query, "--json"])
    assert result.exit_code in DOCUMENTED_CODES, (query, result.exception)
    assert "Traceback" not in result.stderr
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    if result.stdout:
        json.loads(result.stdout)
    for line in result.stderr.splitlines():
        assert "\x1b" not in line and "\u202e" not in line
