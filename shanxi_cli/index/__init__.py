"""A large store through a compiled SQLite index in the user's cache."""
