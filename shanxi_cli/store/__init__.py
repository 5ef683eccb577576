"""The fact store: its interface, records, schema, safe reading, provenance, loading."""
