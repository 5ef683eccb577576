"""Answers from a store as plain data: lookups, questions, search."""
