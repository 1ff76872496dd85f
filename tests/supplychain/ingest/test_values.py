"""Parsing typed values: amounts in every common notation, currencies, quantities and tiers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from supplychain.ingest.values import (
    currency_code,
    decimal_evidence,
    parse_amount,
    parse_quantity,
    parse_tier,
)


@pytest.mark.parametrize(
    ("text", "decimal", "amount", "marker"),
    [
        ("1234", None, "1234", None),
        ("1234.56", None, "1234.56", None),
        ("1,234.56", None, "1234.56", None),
        ("1 234,56", None, "1234.56", None),
        ("1\u00a0234,56", None, "1234.56", None),  # no-break space, as French Excel writes
        ("1\u202f234,56", None, "1234.56", None),  # narrow no-break space
        ("1.234,56", None, "1234.56", None),
        ("1'234.56", None, "1234.56", None),
        ("1,234,567", None, "1234567", None),
        ("1.234.567", None, "1234567", None),
        ("12,34,567.50", None, "1234567.50", None),  # Indian lakh grouping
        ("0,5", None, "0.5", None),
        (".5", None, "0.5", None),
        ("$1,234", None, "1234", "$"),
        ("US$ 1,234.00", None, "1234.00", "US$"),
        ("CAD 1234", None, "1234", "CAD"),
        ("1234 CAD", None, "1234", "CAD"),
        ("cad1234", None, "1234", "cad"),
        ("€ 1.234,56", None, "1234.56", "€"),
        ("1 234,56 €", None, "1234.56", "€"),
        ("(1,234)", None, "-1234", None),
        ("($1,234.50)", None, "-1234.50", "$"),
        ("CAD (1,234)", None, "-1234", "CAD"),
        ("-$1,234", None, "-1234", "$"),
        ("$-1,234", None, "-1234", "$"),
        ("1234-", None, "-1234", None),  # SAP writes the minus sign last
        ("\u22121 234,56", None, "-1234.56", None),  # the Unicode minus sign
        ("+12", None, "12", None),
        # A lone separator followed by three digits: the column's convention decides.
        ("1,234", None, "1234", None),
        ("1.234", None, "1.234", None),
        ("1,234", ",", "1.234", None),
        ("1.234", ",", "1234", None),
        ("1234,567", None, "1234.567", None),  # four digits before: cannot be grouping
        ("0,123", None, "0.123", None),
    ],
)
def test_amounts_in_every_common_notation(text: str, decimal, amount: str, marker):
    assert parse_amount(text, decimal) == (Decimal(amount), marker)


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "",
        "  ",
        "1,2,3",
        "12 34",
        "1.2.3,4,5",
        "--1",
        "1e5",
        "1,23,4",
        "12.34.56",
        "N/A",
        "$",
        "1 2 3",
    ],
)
def test_text_that_is_not_an_amount_is_refused_with_the_value_quoted(text: str):
    with pytest.raises(ValueError) as caught:
        parse_amount(text)

    if text.strip():
        assert repr(text.strip()) in str(caught.value)


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("1 234,56", ","),
        ("1.234,56", ","),
        ("1234,5", ","),
        ("1,234.56", "."),
        ("1,234,567", "."),
        ("1234.5", "."),
        ("1,234", None),
        ("1.234", None),
        ("1234", None),
    ],
)
def test_decimal_evidence_only_from_unambiguous_values(text: str, evidence):
    assert decimal_evidence(text) == evidence


@pytest.mark.parametrize(
    ("text", "default", "code"),
    [
        ("CAD", None, "CAD"),
        ("cad", None, "CAD"),
        (" eur ", None, "EUR"),
        ("€", None, "EUR"),
        ("£", None, "GBP"),
        ("C$", None, "CAD"),
        ("US$", None, "USD"),
        ("RMB", None, "CNY"),
        ("Dollars canadiens", None, "CAD"),
        ("$", "CAD", "CAD"),
        ("$", "USD", "USD"),
        ("¥", "JPY", "JPY"),
    ],
)
def test_currencies_resolve_to_iso_4217(text: str, default, code: str):
    assert currency_code(text, default) == code


@pytest.mark.parametrize(
    ("text", "default", "message"),
    [
        ("XYZ", None, "not a known currency"),
        ("Dollars", None, "not a known currency"),
        ("$", None, "could be any of"),
        ("$", "EUR", "could be any of"),
        ("¥", None, "CNY, JPY"),
    ],
)
def test_unknown_or_ambiguous_currencies_are_refused(text: str, default, message: str):
    with pytest.raises(ValueError, match=message):
        currency_code(text, default)


@pytest.mark.parametrize(
    ("text", "decimal", "quantity", "unit"),
    [
        ("1200", None, "1200", None),
        ("1 200", None, "1200", None),
        ("12,5", None, "12.5", None),
        ("12,5 kg", None, "12.5", "kg"),
        ("300pcs", None, "300", "pcs"),
        ("40 m2", None, "40", "m2"),
        ("1.500", ",", "1500", None),
    ],
)
def test_quantities_with_and_without_units(text: str, decimal, quantity: str, unit):
    assert parse_quantity(text, decimal) == (Decimal(quantity), unit)


def test_a_quantity_that_is_not_a_number_is_refused():
    with pytest.raises(ValueError, match="'lots' is not a quantity"):
        parse_quantity("lots")


@pytest.mark.parametrize(
    ("text", "tier"),
    [
        ("1", 1),
        ("2.0", 2),
        ("Tier 2", 2),
        ("tier-3", 3),
        ("T1", 1),
        ("Rang 2", 2),
        ("N1", 1),
        ("9", 9),
        ("1st", 1),
    ],
)
def test_tiers_in_common_notations(text: str, tier: int):
    assert parse_tier(text) == tier


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0", "out of range"),
        ("10", "out of range"),
        ("A", "not a tier"),
        ("1.5", "not a tier"),
        ("-1", "not a tier"),
    ],
)
def test_bad_tiers_are_refused(text: str, message: str):
    with pytest.raises(ValueError, match=message):
        parse_tier(text)
