"""shanxi: look up the towns, companies and figures of one newspaper supplement about Shanxi."""

# A literal, not importlib.metadata: reading package metadata costs start-up time.
__version__ = "0.1.0"
