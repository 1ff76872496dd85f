"""The catalogue: every key in both languages, the same placeholders, French formats."""

from __future__ import annotations

import string
from datetime import date

import pytest

from supplychain.reporting.i18n import CATALOGUE, NBSP, fmt_date, fmt_int, fmt_pct, join_list, t


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_key_has_english_and_french_with_the_same_placeholders(key: str):
    entry = CATALOGUE[key]
    assert set(entry) == {"en", "fr"}
    assert entry["en"] and entry["fr"]
    assert placeholders(entry["en"]) == placeholders(entry["fr"])


def test_french_punctuation_gets_a_no_break_space():
    assert t("annex.heading", "fr") == f"Annexe{NBSP}: méthode et sources"
    assert t("finding.Q_OPTION", "fr", value="x", number=1, question="q").startswith(f"«{NBSP}x")


def test_numbers_and_dates_follow_each_language():
    assert fmt_int(12480, "en") == "12,480"
    assert fmt_int(12480, "fr") == f"12{NBSP}480"
    assert fmt_pct(0.125, "en") == "12.5%"
    assert fmt_pct(0.125, "fr") == f"12,5{NBSP}%"
    assert fmt_pct(0.62, "en") == "62%"
    assert fmt_pct(0.001, "en") == "<1%"
    assert fmt_date(date(2024, 4, 1), "fr") == "1er avril 2024"
    assert fmt_date(date(2025, 3, 31), "en") == "31 March 2025"
    assert join_list(["A", "B", "C"], "fr") == "A, B et C"
    assert join_list(["A"], "en") == "A"


def test_a_text_is_asked_for_in_one_language():
    with pytest.raises(ValueError, match="en or fr"):
        t("doc.title", "both")  # type: ignore[arg-type]
