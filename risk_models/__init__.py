"""The engine: normalising, matching, scoring and explaining. Pure Python, no web or database."""
