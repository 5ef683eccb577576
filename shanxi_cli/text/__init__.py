"""Pure string algorithms with no project imports: escaping, names, words."""
