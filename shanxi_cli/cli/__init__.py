"""The command line: the Typer app, its options, commands, messages and process."""
