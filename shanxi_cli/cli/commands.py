"""The command line: the app with every command registered on it.

Each command parses its arguments, queries the store, builds a view and emits it.
"""

from shanxi_cli.cli import ask_command, batch_command, lookup_commands, question_commands
from shanxi_cli.cli.app import app

__all__ = ["app", "ask_command", "batch_command", "lookup_commands", "question_commands"]
