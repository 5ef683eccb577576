"""The README's examples, run: every ```` ``` ```` block that starts with `$ shanxi ...`.

A command alone is shown as a terminal 80 columns wide (or `COLUMNS=N`) shows it: a
table, no colour. `| cat` shows it piped; `| head -N` keeps the first N lines;
`printf 'LINE\\nLINE\\n' | shanxi ...` gives the command those lines on stdin.
`python -m tests.readme_examples` rewrites the README with the real output; a test
compares.
"""

from __future__ import annotations

import io
import re
import shlex
import sys
from pathlib import Path

from typer.testing import CliRunner

from shanxi_cli.cli.commands import app
from shanxi_cli.output.emit import Environment

README = Path(__file__).resolve().parent.parent / "README.md"
EXAMPLE = re.compile(
    r"^```\n(\$ (?:COLUMNS=\d+ )?(?:printf '[^'\n]*' \| )?shanxi [^\n]*)\n(.*?)^```$",
    re.MULTILINE | re.DOTALL,
)


def output_of(command_line: str) -> str:
    """What the command line prints: stdout, then stderr lines, as a terminal shows them."""
    words = shlex.split(command_line.removeprefix("$ "))
    given = None
    if words[0] == "printf":  # `printf 'LINE\nLINE\n' | shanxi batch`: its stdin
        given = words[1].replace("\\n", "\n")
        words = words[3:]
    width = 80
    if words[0].startswith("COLUMNS="):
        width = int(words.pop(0).removeprefix("COLUMNS="))
    head = None
    terminal = True
    if "|" in words:
        pipe = words.index("|")
        words, after = words[:pipe], words[pipe + 1 :]
        terminal = False
        if after[:1] == ["head"]:
            head = int(after[1].lstrip("-n") or after[2])
    env = Environment(io.StringIO(), io.StringIO(), terminal, width, False)
    CliRunner().invoke(app, words[1:], input=given, obj=env)
    out = env.stdout.getvalue() + env.stderr.getvalue()  # type: ignore[attr-defined]
    lines = [line.rstrip() for line in out.splitlines()]
    return "\n".join(lines[:head] if head else lines) + "\n"


def examples(text: str) -> list[tuple[str, str]]:
    """(command line, shown output) of every example block."""
    return [(found.group(1), found.group(2)) for found in EXAMPLE.finditer(text)]


def updated(text: str) -> str:
    return EXAMPLE.sub(lambda m: f"```\n{m.group(1)}\n{output_of(m.group(1))}```", text)


if __name__ == "__main__":
    README.write_text(updated(README.read_text(encoding="utf-8")), encoding="utf-8")
    sys.exit(0)
