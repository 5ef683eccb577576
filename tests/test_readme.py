"""Every example in the README is the command's real output (`python -m tests.readme_examples`
rewrites them)."""

from __future__ import annotations

import pytest

from .readme_examples import README, examples, output_of

EXAMPLES = examples(README.read_text(encoding="utf-8"))


def test_the_readme_has_examples() -> None:
    assert len(EXAMPLES) >= 15


@pytest.mark.parametrize(("command_line", "shown"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_a_readme_example_is_real_output(command_line: str, shown: str) -> None:
    assert output_of(command_line) == shown
