"""Tab completion as shells see it: one word per candidate, nothing raw from a store, fast.

Three levels: the candidate protocol each shell's script reads from the installed
`shanxi`; bash's real completion function (COMPREPLY, and how bash reads it back); and
the real interactive shells on a pseudo-terminal, where Tab is pressed and the line run.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import shutil
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from shanxi_cli.cli import completion
from shanxi_cli.cli.commands import app
from shanxi_cli.errors import StoreError
from shanxi_cli.store.json_store import load_store

from .conftest import MINI_STORE

SPACED = "Taihang Mountains"
QUOTED = "Quan's Well"
# Everything a shell reads specially, a doubled space, and a colon (zsh's separator).
AWKWARD = 'Zed\'s  "Best" $HOME `id` & Wow! (1*2) \\ a:b; #c ~d'
HOSTILE_NAMES = [
    "Evil\x1b[2J",
    "Evil\x1b]8;;http://evil.example\x07link\x1b]8;;\x07",
    "Evil\u202eright",
    "Evil\u2066isolate",
    "Evil\u2028line",
    "Evil\nline",
    "Evil\tTab",
]
HOSTILE_CHARACTERS = ("\x1b", "\x07", "\u202e", "\u2066", "\u2028")


def _entity(entity_id: str, kind: str, name: str, aliases: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "id": entity_id,
        "kind": kind,
        "name": name,
        "aliases": list(aliases),
        "general_knowledge": {"kind": False, "aliases": []},
        "document": "mini",
        "quote": "Taigu district",
        "located_in": None,
        "known_for": [],
        "role": None,
    }


@pytest.fixture(scope="module")
def awkward_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini store plus names with spaces, quotes and shell syntax, and a spaced metric."""
    raw = json.loads(MINI_STORE.read_text(encoding="utf-8"))
    raw["entities"] += [
        _entity("taihang", "mountain range", SPACED),
        _entity("quan", "village", QUOTED),
        _entity("zed", "company", AWKWARD),
    ]
    raw["metrics"].append(
        {
            "id": "output",
            "name": "output value",
            "aliases": [],
            "type": "figure",
            "description": "Output",
        }
    )
    path = tmp_path_factory.mktemp("awkward") / "facts.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = json.loads(MINI_STORE.read_text(encoding="utf-8"))
    raw["entities"] += [
        _entity(f"evil-{n}", "village", name) for n, name in enumerate(HOSTILE_NAMES)
    ]
    raw["entities"].append(_entity("evil-twin", "village", "Evil Twin"))
    raw["metrics"].append(
        {
            "id": "evil",
            "name": "evil\x1b[31m metric",
            "aliases": ["evil\u202e alias"],
            "type": "figure",
            "description": "x",
        }
    )
    path = tmp_path_factory.mktemp("hostile") / "facts.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    return path


def complete(
    exe: str, shell: str, words: list[str], env: dict[str, str] | None = None
) -> list[str]:
    """The lines the script hands the shell's completion script for the last of the words."""
    if shell == "bash":
        protocol = {"COMP_WORDS": "\n".join(words), "COMP_CWORD": str(len(words) - 1)}
    else:
        protocol = {"_TYPER_COMPLETE_ARGS": " ".join(words)}
        if shell == "fish":
            protocol["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    result = subprocess.run(
        [exe],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "_SHANXI_COMPLETE": f"complete_{shell}", **protocol, **(env or {})},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.endswith("\n")
    return result.stdout[:-1].split("\n") if result.stdout != "\n" else []


# --- the candidates ---


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("shanxi town Xing", ["Xinghuacun"]),
        ("shanxi company fen", ["fenjiu"]),
        ("shanxi person Bai", ["Bai\\ Feng"]),
        ("shanxi source xinghuacun.j", ["xinghuacun.jobs"]),
        ("shanxi metric --town Xing", ["Xinghuacun"]),
        ("shanxi town Atlantis", []),
    ],
)
def test_shell_completion_offers_names_from_the_store(
    shanxi_exe: str, words: str, expected: list[str]
) -> None:
    assert complete(shanxi_exe, "bash", words.split(" ")) == expected


BUNDLED = {"SHANXI_FACTS": ""}


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        # The words typed before choose the names; the next word of those is offered.
        ("shanxi person Bai F", {"bash": ["Feng"], "fish": ["Feng"]}),
        ("shanxi company Huarong F", {"bash": ["Fruits"], "fish": ["Fruits"]}),
        ("shanxi company xinghuacun fenjiu g", {"bash": ["group"], "fish": ["group"]}),
        ("shanxi town Dingxiang c", {"bash": ["county"], "fish": ["county"]}),
        ("shanxi person Bai X", {"bash": [], "fish": []}),
        ("shanxi metric output v", {"bash": ["value", "volume"], "fish": ["value", "volume"]}),
    ],
)
def test_a_name_of_several_words_completes_its_next_word(
    shanxi_exe: str, words: str, expected: dict[str, list[str]]
) -> None:
    for shell, candidates in expected.items():
        assert complete(shanxi_exe, shell, words.split(" "), BUNDLED) == candidates, shell
    zsh = complete(shanxi_exe, "zsh", words.split(" "), BUNDLED)
    if expected["bash"]:
        spec = " ".join(completion.zsh_word(word) for word in expected["bash"])
        assert zsh == ["_arguments '*: :((" + spec.replace("'", "'\\''") + "))'"]
    else:
        assert zsh == ["_files"]


def test_next_word_matches_only_names_that_begin_with_the_typed_words() -> None:
    names = [("Bai Feng", "Bai"), ("Feng Xinguang",), ("Bai Fenghua Li",)]
    assert completion.next_word_matches(names, ["bai"], "F") == ["Feng", "Fenghua"]
    assert completion.next_word_matches(names, ["Bai", "Feng"], "") == []
    assert completion.next_word_matches(names, ["Bai", "Fenghua"], "") == ["Li"]
    assert completion.next_word_matches([("Evil \x1b[2J",)], ["Evil"], "") == []


def test_install_completion_is_offered(shanxi_exe: str) -> None:
    result = subprocess.run([shanxi_exe, "--help"], capture_output=True, text=True, timeout=60)
    assert "--install-completion" in result.stdout


def test_completion_reads_the_store_the_command_would(shanxi_exe: str, awkward_store: Path) -> None:
    words = ["shanxi", "town", "Qua"]
    assert complete(shanxi_exe, "fish", words) == []  # not in the bundled store
    with_option = ["shanxi", "town", "--facts", str(awkward_store), "Qua"]
    assert complete(shanxi_exe, "fish", with_option) == [QUOTED]
    from_env = complete(shanxi_exe, "fish", words, env={"SHANXI_FACTS": str(awkward_store)})
    assert from_env == [QUOTED]


PLACES = ["Dingxiang", "Jinzhong", "Shanxi", "Taigu", "Xinghuacun"]  # of the mini store


@pytest.mark.parametrize(
    ("shell", "words", "expected"),
    [
        # bash splits the word at "=" and replaces only what follows it
        ("bash", ["shanxi", "metric", "jobs", "--town", "=", "Xing"], ["Xinghuacun"]),
        ("bash", ["shanxi", "metric", "jobs", "--town", "="], PLACES),
        ("fish", ["shanxi", "metric", "jobs", "--town=Xing"], ["--town=Xinghuacun"]),
        (
            "zsh",
            ["shanxi", "metric", "jobs", "--town=Xing"],
            ["_arguments '*: :(($'\\''\\x2d\\x2dtown\\x3dXinghuacun'\\''))'"],
        ),
    ],
)
def test_an_option_value_after_equals_is_completed(
    shanxi_exe: str, shell: str, words: list[str], expected: list[str]
) -> None:
    env = {"SHANXI_FACTS": str(MINI_STORE)}
    assert complete(shanxi_exe, shell, words, env) == expected


def test_a_broken_store_completes_nothing_quietly(shanxi_exe: str, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    for shell in ("bash", "zsh", "fish"):
        out = complete(shanxi_exe, shell, ["shanxi", "town", "Xing"], {"SHANXI_FACTS": str(broken)})
        assert out in ([], ["_files"])


def test_candidates_with_control_or_bidi_characters_are_dropped() -> None:
    names = [(name,) for name in HOSTILE_NAMES] + [("Evil Twin",)]
    assert completion.prefix_matches(names, "Evil") == ["Evil Twin"]
    # what was typed is part of the candidate, and is held to the same rule
    assert completion.prefix_matches([("Evil\u202eright",)], "Evil\u202e") == []


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
@pytest.mark.parametrize("words", ["shanxi town Evil", "shanxi town ", "shanxi metric ev"])
def test_a_hostile_store_never_reaches_the_terminal_through_completion(
    shanxi_exe: str, hostile_store: Path, shell: str, words: str
) -> None:
    out = complete(shanxi_exe, shell, words.split(" "), {"SHANXI_FACTS": str(hostile_store)})
    for character in HOSTILE_CHARACTERS:
        assert not any(character in line for line in out)
    try:
        load_store(hostile_store)
    except StoreError:
        return  # refused at load: nothing to offer, which is safe
    if words == "shanxi town Evil":
        expected = {
            "bash": ["Evil\\ Twin"],
            "zsh": ["_arguments '*: :(($'\\''Evil\\x20Twin'\\''))'"],
            "fish": ["Evil Twin"],
        }
        assert out == expected[shell]


def test_ctrl_c_during_completion_is_not_swallowed(monkeypatch: pytest.MonkeyPatch) -> None:
    # The caller of the app turns KeyboardInterrupt into exit 130; completion must let it out.
    def interrupted(_explicit: str | None, **_options: bool) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(completion, "store_for", interrupted)
    env = {"_SHANXI_COMPLETE": "complete_bash", "COMP_WORDS": "shanxi\ntown\nX", "COMP_CWORD": "2"}
    with pytest.raises(KeyboardInterrupt):
        CliRunner().invoke(app, [], env=env, prog_name="shanxi")


@pytest.mark.parametrize(
    ("shell", "words"),
    [
        ("bash", "shanxi town Xing"),
        ("zsh", "shanxi "),  # command names with their help
        ("zsh", "shanxi metric jo"),
        ("fish", "shanxi "),
        ("fish", "shanxi source xinghuacun.j"),
    ],
)
def test_completion_imports_neither_rich_nor_rapidfuzz(shell: str, words: str) -> None:
    probe = (
        "import atexit, sys\n"
        "atexit.register(lambda: print(sorted({m.split('.')[0] for m in sys.modules}"
        " & {'rich', 'rapidfuzz'}), file=sys.stderr))\n"
        "sys.argv = ['shanxi']\n"
        "from shanxi_cli import main\n"
        "main()\n"
    )
    env = {**os.environ, "_SHANXI_COMPLETE": f"complete_{shell}"}
    if shell == "bash":
        env |= {"COMP_WORDS": words.replace(" ", "\n"), "COMP_CWORD": str(words.count(" "))}
    else:
        env |= {"_TYPER_COMPLETE_ARGS": words, "_TYPER_COMPLETE_FISH_ACTION": "get-args"}
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.stdout.strip()
    assert result.stderr.strip().splitlines()[-1] == "[]"


# --- bash, through its real completion function ---

BASH = shutil.which("bash")
needs_bash = pytest.mark.skipif(BASH is None, reason="bash is not installed")


def words_as_typed(line: str) -> list[str]:
    """The line split where bash splits COMP_WORDS, kept as typed.

    At spaces outside quotes, and around an `=` outside quotes, which is a word of its own.
    """
    words, current, quote, escaped = [], "", "", False
    for char in line:
        if escaped:
            escaped = False
        elif char == "\\" and quote != "'":
            escaped = True
        elif quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == " ":
            words.append(current)
            current = ""
            continue
        elif char == "=":
            words += [current, "="]
            current = ""
            continue
        current += char
    return [*words, current]


def bash_compreply(exe: str, line: str, store: Path) -> list[tuple[str, list[str]]]:
    """COMPREPLY for the line's last word, each with the words bash reads it back as.

    Bash inserts a reply in place of the word being completed, after any quote the user
    opened, and closes that quote after a single match.
    """
    script = (
        'eval "$(_SHANXI_COMPLETE=source_bash shanxi)"\n'
        'mapfile -t COMP_WORDS <<< "$WORDS"\n'
        "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
        "_shanxi_completion shanxi\n"
        "current=${COMP_WORDS[COMP_CWORD]}; quote=${current:0:1}\n"
        '[[ $quote == [\\"\\\'] ]] || quote=""\n'
        'for reply in "${COMPREPLY[@]}"; do\n'
        '  eval "inserted=( $quote$reply$quote )"\n'
        '  printf \'%s\\0\' "$reply" "${#inserted[@]}" "${inserted[@]}"\n'
        "done\n"
    )
    env = {
        **os.environ,
        "PATH": f"{Path(exe).parent}{os.pathsep}{os.environ['PATH']}",
        "SHANXI_FACTS": str(store),
        "WORDS": "\n".join(words_as_typed(line)),
        "HOME": "/nonexistent",  # an escaped $HOME must not expand
    }
    assert BASH is not None
    result = subprocess.run(
        [BASH, "--norc", "--noprofile", "-c", script],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0 and result.stderr == "", result.stderr
    fields = result.stdout.split("\0")[:-1]
    replies = []
    while fields:
        reply, count = fields[0], int(fields[1])
        replies.append((reply, fields[2 : 2 + count]))
        fields = fields[2 + count :]
    return replies


@needs_bash
@pytest.mark.parametrize(
    ("line", "value"),
    [
        ("shanxi town Taih", SPACED),
        ("shanxi town Taihang\\ M", SPACED),
        ('shanxi town "Taihang M', SPACED),
        ("shanxi town 'Taihang M", SPACED),
        ("shanxi town Qua", QUOTED),
        ("shanxi town 'Qua", QUOTED),
        ('shanxi town "Qua', QUOTED),
        ("shanxi company Zed", AWKWARD),
        ("shanxi company 'Zed", AWKWARD),
        ('shanxi company "Zed', AWKWARD),
        ("shanxi metric outp", "output value"),
        ("shanxi metric --company Zed", AWKWARD),
        ("shanxi metric jobs --town=Taih", SPACED),
    ],
)
def test_bash_gets_one_word_per_name(
    shanxi_exe: str, awkward_store: Path, line: str, value: str
) -> None:
    [(reply, words)] = bash_compreply(shanxi_exe, line, awkward_store)
    assert words == [value], reply
    typed = words_as_typed(line)[-1].lstrip("'\"")
    assert reply.startswith(typed)  # readline keeps what was typed


@needs_bash
@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("shanxi person Bai F", ["Feng"]),
        ("shanxi company Huarong F", ["Fruits"]),
        ("shanxi person 'Bai' F", ["Feng"]),
    ],
)
def test_bash_completes_the_next_word_of_a_name(
    shanxi_exe: str, line: str, words: list[str]
) -> None:
    from shanxi_cli.store.json_store import bundled_store_path

    replies = bash_compreply(shanxi_exe, line, bundled_store_path())
    assert [inserted for _, inserted in replies] == [words]


@needs_bash
def test_bash_keeps_the_common_prefix_of_several_names(
    shanxi_exe: str, awkward_store: Path
) -> None:
    replies = bash_compreply(shanxi_exe, "shanxi town T", awkward_store)
    assert [words for _, words in replies] == [["Taigu"], [SPACED]]
    assert all(reply.startswith("Tai") for reply, _ in replies)


@needs_bash
def test_the_shown_bash_script_is_the_one_tested(shanxi_exe: str) -> None:
    env = {**os.environ, "PATH": f"{Path(shanxi_exe).parent}{os.pathsep}{os.environ['PATH']}"}
    assert BASH is not None
    shown = subprocess.run(
        [BASH, "--norc", "-c", "shanxi --show-completion bash"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    sourced = subprocess.run(
        [shanxi_exe], capture_output=True, text=True, env={**env, "_SHANXI_COMPLETE": "source_bash"}
    )
    assert shown.stdout.strip() == sourced.stdout.strip() != ""


# --- the real shells, interactive, on a pseudo-terminal ---

END = "--end-of-line--"
SHELL_SETUP = {
    "bash": (
        ["--norc", "--noprofile", "-i"],
        [
            'eval "$(_SHANXI_COMPLETE=source_bash shanxi)"',
            f'shanxi() {{ printf \'%s\\0\' "$@" {END} >> "$ARGS_FILE"; }}',
        ],
    ),
    "zsh": (
        ["-f", "-i"],
        [
            "autoload -Uz compinit && compinit -u",
            'eval "$(_SHANXI_COMPLETE=source_zsh shanxi)"',
            f'shanxi() {{ printf \'%s\\0\' "$@" {END} >> "$ARGS_FILE" }}',
        ],
    ),
    "fish": (
        ["--no-config", "-i"],
        [
            "_SHANXI_COMPLETE=source_fish shanxi | source",
            f"function shanxi; printf '%s\\0' $argv {END} >> $ARGS_FILE; end",
        ],
    ),
}
TYPED = {
    "shanxi town Taih": ["town", SPACED],
    'shanxi town "Taihang M': ["town", SPACED],
    "shanxi town Qua": ["town", QUOTED],
    "shanxi company 'Zed": ["company", AWKWARD],
    "shanxi company Zed": ["company", AWKWARD],
    "shanxi metric outp": ["metric", "output value"],
    "shanxi metric jobs --town=Taih": ["metric", "jobs", f"--town={SPACED}"],
    "shanxi company Xinghuacun F": ["company", "Xinghuacun", "Fenjiu"],
}


def _controlling_terminal() -> None:
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def run_after_tab(shell: str, lines: list[str], store: Path, exe: str, home: Path) -> list[str]:
    """Type each line in the shell, press Tab, then Enter: the arguments each line ran with.

    `shanxi` is a shell function that records its arguments; the completion scripts call
    the installed script through `env`, so they still reach it. A result is "" for a line
    the shell never ran (left waiting for a closing quote, say).
    """
    flags, setup = SHELL_SETUP[shell]
    args_file = home / "args"
    leader, follower = pty.openpty()
    env = {
        **os.environ,
        "PATH": f"{Path(exe).parent}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(home),
        "TERM": "xterm",
        "INPUTRC": "/dev/null",  # the user's readline settings must not change bash's Tab
        "SHANXI_FACTS": str(store),
        "ARGS_FILE": str(args_file),
    }
    shell_path = shutil.which(shell)
    assert shell_path is not None
    process = subprocess.Popen(
        [shell_path, *flags],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        cwd=home,
        preexec_fn=_controlling_terminal,
    )
    os.close(follower)

    def recorded() -> list[str]:
        text = args_file.read_text(encoding="utf-8") if args_file.exists() else ""
        return text.split(f"{END}\0")[:-1]

    try:
        # Typed ahead: the shell reads each Tab, completes, then reads the Enter.
        os.write(leader, "".join(f"{line}\n" for line in setup).encode())
        for line in lines:
            os.write(leader, f"{line}\t\n".encode())
            deadline = time.monotonic() + 20
            done = len(recorded())
            while time.monotonic() < deadline and len(recorded()) == done:
                if select.select([leader], [], [], 0.05)[0]:
                    try:
                        os.read(leader, 65536)
                    except OSError:
                        break
            if len(recorded()) == done:
                break  # the shell is stuck on this line; the rest would run inside it
    finally:
        process.kill()
        process.wait()
        os.close(leader)
    results = recorded()
    return results + [""] * (len(lines) - len(results))


@pytest.fixture(scope="module")
def shell_runs(
    awkward_store: Path, shanxi_exe: str, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], dict[str, list[str]]]:
    """Per shell, once: what each line of TYPED ran with after Tab."""
    runs: dict[str, dict[str, list[str]]] = {}

    def run(shell: str) -> dict[str, list[str]]:
        if shell not in runs:
            home = tmp_path_factory.mktemp(shell)
            results = run_after_tab(shell, list(TYPED), awkward_store, shanxi_exe, home)
            runs[shell] = {
                line: result.split("\0")[:-1] for line, result in zip(TYPED, results, strict=True)
            }
        return runs[shell]

    return run


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
@pytest.mark.parametrize("typed", list(TYPED))
def test_a_real_shell_inserts_one_word(
    shell: str, typed: str, shell_runs: Callable[[str], dict[str, list[str]]]
) -> None:
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed")
    assert shell_runs(shell)[typed] == TYPED[typed]
