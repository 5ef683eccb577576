"""Every example in the README is the command's real output (`python -m tests.readme_examples`
rewrites them)."""

from __future__ import annotations

import doctest
import re

import pytest

from .readme_examples import README, examples, output_of

EXAMPLES = examples(README.read_text(encoding="utf-8"))


def test_the_readme_has_examples() -> None:
    assert len(EXAMPLES) >= 15


@pytest.mark.parametrize(("command_line", "shown"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_a_readme_example_is_real_output(command_line: str, shown: str) -> None:
    assert output_of(command_line) == shown


# The Python API's examples: every ```pycon block, run as a doctest.
PYTHON_EXAMPLE = re.compile(r"^```pycon\n(.*?)^```$", re.MULTILINE | re.DOTALL)
PYTHON_EXAMPLES = PYTHON_EXAMPLE.findall(README.read_text(encoding="utf-8"))


def test_the_readme_has_python_examples() -> None:
    assert len(PYTHON_EXAMPLES) >= 2


def test_the_readme_python_examples_run_as_shown() -> None:
    # One session, block after block, as a reader would type them.
    names: dict[str, object] = {}
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    report: list[str] = []
    for number, block in enumerate(PYTHON_EXAMPLES):
        test = doctest.DocTestParser().get_doctest(block, names, f"block {number}", None, 0)
        runner.run(test, out=report.append, clear_globs=False)
        names = test.globs
    assert runner.failures == 0, "".join(report)


def test_the_api_module_s_own_example_runs() -> None:
    from shanxi_cli import api

    assert doctest.testmod(api).failed == 0
