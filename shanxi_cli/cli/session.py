"""Requests answered in this process exactly as the command line answers them one by one.

A request is a command line as it would be typed after `shanxi` (`town Xinghuacun`,
`metric 'output value' --period 2022`). It runs through the app's own command tree, read
from the app once, with `--json` added: the same parsing, the same checks, the same code,
so its document, exit code and messages are the ones the command alone prints, and a
command added to the app is answered without a change here. The store and the tables
built from it are read once per process (index/choice.py, store/per_store.py), so every
request after the first costs its own work only.

What is the same for every request is done once: the command tree built, the root's
options parsed. The document is taken as the object the command would have written
(output/emit.py's Environment.documents), through compact JSON and back, rather than as
indented text to parse: the same values, a third of the time. tests/test_batch.py
compares every command, with every exit code, against its own process.

`shanxi batch` is a loop over `Session.answer_line`, and the Python API (shanxi_cli/api.py)
calls `Session.answer`. One request at a time: while a request runs, sys.stdout and
sys.stderr are the session's own buffers.
"""

from __future__ import annotations

import io
import json
import shlex
from collections.abc import Sequence
from contextlib import redirect_stderr, redirect_stdout
from typing import Any, NamedTuple

import typer
import typer.main

from shanxi_cli.errors import ExitCode
from shanxi_cli.output.emit import Environment

# What a request may not say, because it is said once for all of them, or asks for
# something other than a document.
ROOT_OPTIONS = {
    "--no-cache": "--no-cache is given once for all requests (shanxi --no-cache batch)",
    "--version": "--version is not a request",
    "--help": "help is not a request; run shanxi -h",
    "-h": "help is not a request; run shanxi -h",
    "--install-completion": "completion is not a request; run shanxi --install-completion",
    "--show-completion": "completion is not a request; run shanxi --show-completion",
}
MESSAGE_PREFIX = "shanxi: "


class Outcome(NamedTuple):
    """What the command alone would have done: its exit code, document and messages."""

    exit_code: int
    document: Any  # the --json document, as JSON's types; None when it prints none
    messages: list[str]  # its lines on stderr, without the leading "shanxi: "


class Session:
    """Answers requests against one store, chosen once: --facts (or $SHANXI_FACTS) and
    --no-cache apply to every request."""

    def __init__(self, facts: str | None = None, no_cache: bool = False, group: Any = None) -> None:
        self.facts = facts
        self.no_cache = no_cache
        # The app's command tree, built once (or the one running, for batch): a command
        # registered on the app is a command a request may name.
        if group is None:
            from shanxi_cli.cli.commands import app

            group = typer.main.get_command(app)
        self._group: Any = group
        # The root's own options (--no-cache), parsed once as the command line would
        # parse them: each request then starts from a context holding them.
        first = next(iter(group.commands))
        with group.make_context("shanxi", [*(["--no-cache"] if no_cache else []), first]) as root:
            self._root_params = dict(root.params)
        from shanxi_cli.text.names import prefer_rapidfuzz

        prefer_rapidfuzz()

    @property
    def commands(self) -> list[str]:
        """The commands a request may name: every command of the app with a --json."""
        return [name for name, command in self._group.commands.items() if _has_json(command)]

    def answer_line(self, line: str) -> Outcome:
        """One request written as a shell would split it (`metric 'output value'`)."""
        try:
            args = shlex.split(line)
        except ValueError as error:  # an unclosed quote
            return _refused(f"the request cannot be split into words: {error}")
        return self.answer(args)

    def answer(self, args: Sequence[str]) -> Outcome:
        """One request given as its words: ["town", "Xinghuacun"]."""
        args = list(args)
        refusal = self._refusal(args)
        if refusal is not None:
            return _refused(refusal)
        command = self._group.commands.get(args[0])
        added = ["--json"]
        if self.facts is not None and command is not None and _has_option(command, "--facts"):
            added += ["--facts", self.facts]
        return self._run([args[0], *added, *args[1:]])

    def _refusal(self, args: list[str]) -> str | None:
        """Why a request cannot be answered as a document, or None."""
        if not args:
            return "a request names a command: " + ", ".join(self.commands)
        name = args[0]
        if name in ROOT_OPTIONS or name.split("=", 1)[0] in ROOT_OPTIONS:
            return ROOT_OPTIONS[name.split("=", 1)[0]]
        if name.startswith("-"):
            return f"a request starts with a command ({', '.join(self.commands)}), not {name!r}"
        command = self._group.commands.get(name)
        if command is None:
            return None  # the command tree says so, as it does alone
        if not _has_json(command):
            return f"{name} cannot be a request: it answers with no JSON document"
        options = args[1 : args.index("--")] if "--" in args else args[1:]
        for position, word in enumerate(options):
            option, equals, value = word.partition("=")
            if option in ("-h", "--help"):
                return f"help is not a request; run shanxi {name} -h"
            if option == "--facts":
                return "--facts is given once for all requests (shanxi batch --facts PATH)"
            if option == "--format":
                given = value if equals else next(iter(options[position + 1 :]), "")
                if given.casefold() != "json":
                    return "a request is answered as its JSON document; leave out --format"
        return None

    def _run(self, args: list[str]) -> Outcome:
        from shanxi_cli.cli.entry import _show_escaped

        out, err = io.StringIO(), io.StringIO()
        documents: list[Any] = []
        env = Environment(out, err, stdout_isatty=False, width=80, color=False, documents=documents)
        # Whatever a command writes, through its environment or not (an index's notes
        # go straight to sys.stderr), is the request's, never the batch's own output.
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = self._invoke(args, env)
            except typer.Exit as done:
                code = done.exit_code
            except typer.TyperException as error:  # a usage error, as the app reports it
                _show_escaped(error)
                code = error.exit_code
        messages = [line.removeprefix(MESSAGE_PREFIX) for line in err.getvalue().splitlines()]
        document = None
        if documents:
            # Through JSON and back, in C: the same values the command's --json text
            # parses to, JSON's types only, and nothing shared with the kept store.
            document = json.loads(json.dumps(documents[-1]))
        if out.getvalue().strip():  # never expected: every request is answered with --json
            messages.append("error: the command printed something besides its document")
        return Outcome(code if isinstance(code, int) else 0, document, messages)

    def _invoke(self, args: list[str], env: Environment) -> Any:
        """The command, as the group's own invoke runs it below a parsed root context.

        What `group.main(args)` does but for what is the same for every request, done
        once: building the shell-completion classes and parsing the root's options.
        """
        group = self._group
        root = group.context_class(group, info_name="shanxi", obj=env, **group.context_settings)
        root.params = dict(self._root_params)
        with root:
            name, command, rest = group.resolve_command(root, args)
            root.invoked_subcommand = name
            root.invoke(group.callback, **root.params)
            with command.make_context(name, rest, parent=root) as context:
                return command.invoke(context)


def _refused(message: str) -> Outcome:
    from shanxi_cli.text.escape import visible

    return Outcome(ExitCode.USAGE, None, [f"error: {visible(message)}"])


def _has_option(command: Any, option: str) -> bool:
    return any(option in getattr(param, "opts", ()) for param in command.params)


def _has_json(command: Any) -> bool:
    return _has_option(command, "--json")
