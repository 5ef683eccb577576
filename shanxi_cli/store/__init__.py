"""The fact store: records, schema, safe reading, provenance, loading."""
