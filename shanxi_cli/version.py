"""The version of shanxi, below every layer: the CLI prints it and an index records it."""

# A literal, not importlib.metadata: reading package metadata costs start-up time.
__version__ = "0.1.0"
