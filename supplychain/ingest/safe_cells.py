"""Neutralise spreadsheet formula injection in cells we write for people to open in Excel."""

from __future__ import annotations

from collections.abc import Iterable

# OWASP "CSV injection": a cell starting with one of these may be run as a formula by Excel,
# LibreOffice or Google Sheets. An apostrophe prefix makes them show the text instead.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """Return the text with an apostrophe in front if a spreadsheet could run it as a formula."""
    if value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_row(values: Iterable[object]) -> list[object]:
    """Neutralise the text cells of a row; numbers, dates and empty cells pass through as they are.

    Exports should write amounts as numbers (not text) so that a negative amount stays a number
    rather than becoming the text "'-12".
    """
    return [neutralise(value) if isinstance(value, str) else value for value in values]
