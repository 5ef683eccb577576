"""Shell completion: names from the store the command would read, one shell word each.

Every Tab press is a whole process, so this module imports neither Rich nor rapidfuzz.

Candidates come from a store, which may be hostile. A candidate holding any character that
is not printable (controls such as ESC, newline and tab; format characters such as the
bidi overrides U+202E and U+2066; the line separator U+2028; non-ASCII spaces) is dropped,
not escaped: an escaped candidate would insert a different name, one that looks up
nothing, and the shells' candidate protocols are themselves split on newlines and tabs.

Each shell gets the candidate as one word:
- bash inserts COMPREPLY exactly as given, so each candidate is quoted for the quoting
  the word being completed is in (none, '…' or "…"). This is done in the completion
  class, not in the completers, so that Typer's own prefix check still compares raw text,
  and it works with the script users already installed.
- zsh quotes an inserted match itself; the candidates reach it through two `eval`s, so
  each is written in $'…' form, which survives both, spaces and quotes included.
- fish quotes an inserted match itself and reads one candidate a line.

The shell classes subclass Typer's, from its private modules: typer is pinned below 0.29,
and tests/test_completion.py drives the real shells, so a change there shows.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import typer
from typer._click.shell_completion import CompletionItem, add_completion_class
from typer._completion_classes import BashComplete, FishComplete, ZshComplete
from typer.core import TyperGroup

from shanxi_cli.errors import ShanxiError
from shanxi_cli.index.choice import store_for
from shanxi_cli.output.emit import Environment
from shanxi_cli.store.interface import Store
from shanxi_cli.text.escape import visible

# --- what the completers offer ---


def shell_safe(text: str) -> bool:
    """Whether a candidate may be offered: nothing in it can drive a terminal or a protocol."""
    return text.isprintable()


def prefix_matches(texts_by_item: Iterable[Sequence[str]], incomplete: str) -> list[str]:
    """Per item, its first name or alias that starts with what was typed; safe ones only.

    Case is ignored, but what was typed is kept as typed, because shells (and Typer) keep
    only completions that start with the typed text exactly.
    """
    typed = incomplete.casefold()
    chosen = set()
    for texts in texts_by_item:
        for text in texts:
            if text[: len(incomplete)].casefold() == typed:
                candidate = incomplete + text[len(incomplete) :]
                if shell_safe(candidate):
                    chosen.add(candidate)
                break
    return sorted(chosen)


def next_word_matches(
    texts_by_item: Iterable[Sequence[str]], typed: Sequence[str], incomplete: str
) -> list[str]:
    """The word after `typed` in each name or alias whose first words are `typed` (case
    ignored), where it starts with what is being typed: `Bai F` -> `Feng`, never a name
    that starts with F. Safe ones only; what was typed kept as typed."""
    earlier = [word.casefold() for word in typed]
    count, start = len(earlier), incomplete.casefold()
    chosen = set()
    for texts in texts_by_item:
        for text in texts:
            words = text.split()
            if len(words) <= count or [word.casefold() for word in words[:count]] != earlier:
                continue
            following = words[count]
            if following[: len(incomplete)].casefold() == start:
                candidate = incomplete + following[len(incomplete) :]
                if shell_safe(candidate):
                    chosen.add(candidate)
    return sorted(chosen)


def _offer(
    ctx: typer.Context,
    incomplete: str,
    texts: Callable[[Store], Iterable[Sequence[str]]],
    words_param: str | None = None,
    *,
    any_order: bool = False,
) -> list[str]:
    """Candidates from the store the command would read: --facts if typed before the word.

    For an argument of several words (`words_param`), the words already typed for it
    choose the names whose first words they are, and the next word of those is offered;
    with none typed, whole names are. `any_order` words (a metric question) fall back to
    whole names when the typed words begin none.
    """
    typed: list[str] = []
    if words_param is not None:
        typed = " ".join(ctx.params.get(words_param) or ()).split()
    facts = ctx.params.get("facts")
    try:
        # A --no-cache typed before the word counts, as it will when the command runs.
        no_cache = bool(ctx.find_root().params.get("no_cache", False))
        store = store_for(
            str(facts) if facts else None, no_cache=no_cache, say=Environment.of_process().say
        )
    except ShanxiError:
        return []  # a broken store completes nothing; the command itself will say why
    if not typed:
        return prefix_matches(texts(store), incomplete)
    following = next_word_matches(texts(store), typed, incomplete)
    if following or not any_order:
        return following
    return prefix_matches(texts(store), incomplete)


def category_completer(
    category: str, words_param: str | None = None
) -> Callable[[typer.Context, str], list[str]]:
    """A completer of the names and aliases of the store's places, organisations or persons;
    `words_param` names the argument of several words it completes, if it does."""

    def complete_names(ctx: typer.Context, incomplete: str) -> list[str]:
        return _offer(
            ctx,
            incomplete,
            lambda store: [(e.name, *e.aliases) for e in store.of_category(category)],
            words_param,
        )

    return complete_names


def complete_metrics(ctx: typer.Context, incomplete: str) -> list[str]:
    """Metric names and aliases; after a metric's first words, its next word."""
    return _offer(
        ctx,
        incomplete,
        lambda store: [(m.name, *m.aliases) for m in store.metrics.values()],
        "query",
        any_order=True,
    )


def complete_fact_ids(ctx: typer.Context, incomplete: str) -> list[str]:
    """Fact ids."""
    return _offer(ctx, incomplete, lambda store: [(fact_id,) for fact_id in store.facts])


# --- how each shell receives them ---

# Characters bash reads as themselves outside quotes, wherever they stand in a word.
_BASH_PLAIN = re.compile(r"[A-Za-z0-9_\-.,/+%^]")


def bash_word(value: str, open_quote: str = "") -> str:
    """The value as bash must read it, in the quoting the word being completed opened.

    Readline keeps an opening quote the user typed and closes it after a single match.
    """
    if open_quote == "'":
        return value.replace("'", "'\\''")
    if open_quote == '"':
        escaped = re.sub(r'([\\"$`])', r"\\\1", value)
        return escaped.replace("!", '"\\!"')  # history expansion ignores \! inside "…"
    return "".join(
        char if not char.isascii() or _BASH_PLAIN.fullmatch(char) else "\\" + char for char in value
    )


def _bash_open_quote() -> str:
    """The quote the word being completed opened, from the words bash passed."""
    # Typer's script joins COMP_WORDS with newlines (its IFS), each word as typed.
    words = os.environ.get("COMP_WORDS", "").split("\n")
    try:
        current = words[int(os.environ.get("COMP_CWORD", ""))]
    except (ValueError, IndexError):
        return ""
    return current[:1] if current[:1] in ("'", '"') else ""


def _option_with_value(args: list[str], incomplete: str) -> tuple[list[str], str]:
    """Join `--town = Tai`, which bash's COMP_WORDS splits at `=`, back into `--town=Tai`."""
    if incomplete == "=" and args and args[-1].startswith("-"):
        return args[:-1], f"{args[-1]}="
    if len(args) >= 2 and args[-1] == "=" and args[-2].startswith("-"):
        return args[:-2], f"{args[-2]}={incomplete}"
    return args, incomplete


def _named_values(items: list[CompletionItem], incomplete: str) -> list[CompletionItem]:
    """Values for `--town=Tai` as whole words, `--town=` first, as zsh and fish match them.

    Click completes the value alone, which is what bash replaces (the word after `=`).
    """
    name, equals, _ = incomplete.partition("=")
    if equals and name.startswith("-"):
        for item in items:
            item.value = f"{name}={item.value}"
    return items


class _Bash(BashComplete):
    def get_completion_args(self) -> tuple[list[str], str]:
        try:
            args = super().get_completion_args()
        except (KeyError, ValueError):  # COMP_CWORD missing, or not a number
            args = ([], "")
        return _option_with_value(*args)

    def format_completion(self, item: CompletionItem) -> str:
        return bash_word(str(item.value), _bash_open_quote())


def zsh_word(text: str) -> str:
    """The text in $'…' form with nothing but letters and digits left bare.

    Typer's script runs `eval $(…)`, which splits the output at whitespace and joins it
    with single spaces, and _arguments evaluates its ((…)) list again.
    """
    return "$'" + "".join(_zsh_char(char) for char in text) + "'"


def _zsh_char(char: str) -> str:
    # Only ASCII can be special to zsh; other printable characters go as they are.
    return f"\\x{ord(char):02x}" if char.isascii() and not char.isalnum() else char


def _describe_escape(text: str) -> str:
    # _describe splits each item at its first unescaped colon: value, then help.
    return text.replace("\\", "\\\\").replace(":", "\\:")


class _Zsh(ZshComplete):
    def get_completions(self, args: list[str], incomplete: str) -> list[CompletionItem]:
        return _named_values(super().get_completions(args, incomplete), incomplete)

    def format_completion(self, item: CompletionItem) -> str:
        described = _describe_escape(str(item.value))
        if item.help:
            described += ":" + _describe_escape(visible(item.help))
        return zsh_word(described)

    def complete(self) -> str:
        args, incomplete = self.get_completion_args()
        words = [self.format_completion(item) for item in self.get_completions(args, incomplete)]
        if not words:
            return "_files"
        # One single-quoted argument for the outer eval; quotes in it closed and reopened.
        spec = "*: :((" + " ".join(words) + "))"
        return "_arguments '" + spec.replace("'", "'\\''") + "'"


class _Fish(FishComplete):
    def get_completions(self, args: list[str], incomplete: str) -> list[CompletionItem]:
        return _named_values(super().get_completions(args, incomplete), incomplete)

    def format_completion(self, item: CompletionItem) -> str:
        # Typer would render the help through Rich; our help is plain text.
        value = str(item.value)
        return f"{value}\t{visible(item.help)}" if item.help else value


class CompletingGroup(TyperGroup):
    """The app's command group, answering completion requests with the classes above."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        # Typer registers its own classes while it builds the group, so ours go in after.
        for name, shell_class in (("bash", _Bash), ("zsh", _Zsh), ("fish", _Fish)):
            add_completion_class(shell_class, name)
        return super().main(*args, **kwargs)
