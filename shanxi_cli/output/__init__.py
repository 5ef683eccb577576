"""The JSON contract, documents, views, and writing them in every format."""
