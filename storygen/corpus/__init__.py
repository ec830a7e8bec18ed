"""The in-house story corpus: loading, validating, splitting; keyword extraction."""
