"""Rows to records: canonical fields, row numbers, and every problem kept, never dropped."""

from __future__ import annotations

from decimal import Decimal

import pytest

from supplychain.ingest import (
    IngestError,
    explicit_mapping,
    propose_mapping,
    read_table,
    records,
)
from tests.supplychain.ingest.builders import csv_bytes, read_records, xlsx_bytes


def codes(record) -> list[str]:
    return [problem.code for problem in record.problems]


def test_records_carry_clean_fields_and_every_original_column():
    text = (
        "Vendor Name,Vendor #,COO,Item description,HTS,Amount,Currency,Qty,UoM,Tier,Buyer\n"
        '"  Acme   Textiles\u00a0Ltd ",V-01,CN,"TSHIRT MENS\nCTN KNIT",0901.11,'
        '"1,234.50",cad,1 200,pcs,Tier 1,Jo\n'
    )

    (record,), summary = read_records(csv_bytes(text))

    assert record.row_number == 2
    assert record.supplier_name == "Acme Textiles Ltd"
    assert record.supplier_id == "V-01"
    assert record.country == "CN"
    assert record.product_description == "TSHIRT MENS CTN KNIT"
    assert record.hs_code == "0901.11"
    assert (record.spend, record.currency) == (Decimal("1234.50"), "CAD")
    assert (record.quantity, record.unit, record.tier) == (Decimal("1200"), "pcs", 1)
    assert record.values["Buyer"] == "Jo"  # unmapped columns are kept
    assert record.values["Vendor Name"] == "  Acme   Textiles\u00a0Ltd "  # as read, untouched
    assert record.problems == ()
    assert (summary.records, summary.rows_with_problems, summary.finished) == (1, 0, True)


def test_row_numbers_match_the_spreadsheet_and_empty_rows_are_skipped_and_counted():
    text = "Supplier,Country\nAcme,CN\n,\n\nBravo,FR\n  ,  \n\n"

    rows, summary = read_records(csv_bytes(text), mapping={"supplier_name": 0, "country": 1})

    assert [(r.row_number, r.supplier_name) for r in rows] == [(2, "Acme"), (5, "Bravo")]
    assert summary.empty_rows_skipped == 2  # rows 3 and 4; trailing blank rows are not counted
    assert summary.rows_read == 6


def test_xlsx_row_numbers_match_the_sheet_below_a_title_line():
    data = xlsx_bytes(
        {"S": [["Vendor list 2024"], [], ["Supplier", "Country"], ["Acme", "CN"], [], ["Bravo"]]}
    )

    rows, summary = read_records(data, "vendors.xlsx")

    assert [(r.row_number, r.supplier_name) for r in rows] == [(4, "Acme"), (6, "Bravo")]
    assert summary.empty_rows_skipped == 1


def test_a_row_with_neither_supplier_nor_product_is_kept_with_a_problem():
    text = "Supplier,Product,Country,Amount\n,,CN,100\n"

    (record,), summary = read_records(csv_bytes(text))

    assert record.row_number == 2
    assert record.spend == Decimal("100")
    assert codes(record) == ["missing_identity"]
    assert summary.problems == {"missing_identity": 1}


def test_an_unparseable_spend_names_the_column_and_quotes_the_value():
    text = "Fournisseur;Pays;Montant\nAcme;CN;environ 200\n"

    (record,), _ = read_records(csv_bytes(text))

    (problem,) = record.problems
    assert problem.code == "bad_spend"
    assert (problem.row_number, problem.column, problem.field) == (2, "Montant", "spend")
    assert problem.value == "environ 200"
    assert "'environ 200' is not an amount" in problem.reason
    assert record.spend is None
    assert record.supplier_name == "Acme"  # the rest of the row is still there


def test_an_unknown_currency_is_a_problem_on_its_column():
    text = "Supplier,Country,Amount,Devise\nAcme,CN,100,XYZ\n"

    (record,), _ = read_records(csv_bytes(text))

    (problem,) = record.problems
    assert (problem.code, problem.column, problem.field, problem.value) == (
        "unknown_currency",
        "Devise",
        "currency",
        "XYZ",
    )
    assert record.currency is None


@pytest.mark.parametrize(
    ("header", "cell", "currency_cell", "default", "expected", "problems"),
    [
        ("Amount", "100", "EUR", None, "EUR", []),  # the currency column
        ("Amount", "€100", "", None, "EUR", []),  # a symbol in the cell
        ("Amount", "CAD 100", "", None, "CAD", []),  # a code in the cell
        ("Value (CAD)", "100", "", None, "CAD", []),  # the header's hint
        ("Amount", "100", "", "CAD", "CAD", []),  # the caller's default
        ("Amount", "$100", "", "CAD", "CAD", []),  # "$" settled by the default
        ("Amount", "$100", "", None, None, ["unknown_currency"]),  # "$" alone: which dollar?
        ("Amount", "€100", "USD", None, "USD", ["currency_conflict"]),
        ("Value (CAD)", "100", "USD", None, "USD", []),  # the column beats the header
        ("Amount", "", "EUR", None, "EUR", []),  # a currency with no amount is still read
        ("Amount", "", "", "CAD", None, []),  # no amount: no currency invented
    ],
)
def test_the_currency_comes_from_the_column_then_the_cell_then_the_header_then_the_default(
    header, cell, currency_cell, default, expected, problems
):
    text = f"Supplier,Country,{header},Currency\nAcme,CN,{cell},{currency_cell}\n"

    (record,), _ = read_records(csv_bytes(text), default_currency=default)

    assert record.currency == expected
    assert codes(record) == problems


def test_an_invalid_default_currency_is_refused_up_front():
    table = read_table(b"Supplier,Country\nAcme,CN\n", "a.csv")

    with pytest.raises(ValueError, match="not a known currency"):
        records(table, propose_mapping(table.headers), default_currency="XX")


@pytest.mark.parametrize(
    ("value", "code", "reason"),
    [
        ("0", "bad_tier", "out of range"),
        ("Tier A", "bad_tier", "not a tier"),
        ("many", "bad_quantity", ""),
    ],
)
def test_bad_tiers_and_quantities_are_problems(value: str, code: str, reason: str):
    column = "Qty" if code == "bad_quantity" else "Tier"
    text = f"Supplier,Country,{column}\nAcme,CN,{value}\n"

    (record,), _ = read_records(csv_bytes(text))

    (problem,) = record.problems
    assert (problem.code, problem.column, problem.value) == (code, column, value)
    assert reason in problem.reason


def test_an_overlong_cell_is_a_problem_even_in_an_unmapped_column():
    long_note = "x" * 2001
    text = f"Supplier,Country,Notes\nAcme,CN,{long_note}\n"

    (record,), _ = read_records(csv_bytes(text))

    (problem,) = record.problems
    assert (problem.code, problem.column, problem.field) == ("overlong_cell", "Notes", None)
    assert "2,001 characters" in problem.reason
    assert len(problem.value) == 200  # the problem quotes the start, not the whole cell
    assert record.values["Notes"] == long_note


def test_the_cell_length_limit_is_configurable():
    (record,), _ = read_records(b"Supplier,Country\nAcme Textiles,CN\n", max_cell_chars=5)

    assert [(p.code, p.field) for p in record.problems] == [("overlong_cell", "supplier_name")]


def test_cells_beyond_the_header_are_kept_and_flagged():
    text = "Supplier,Country\nAcme,No 5, Road 2,CN\n"  # an unquoted comma shifted the columns

    (record,), _ = read_records(csv_bytes(text), mapping={"supplier_name": 0, "country": 1})

    assert record.values == {
        "Supplier": "Acme",
        "Country": "No 5",
        "Column C": " Road 2",
        "Column D": "CN",
    }
    (problem,) = record.problems
    assert (problem.code, problem.column, problem.value) == ("extra_cells", "Column D", "CN")


def test_short_rows_are_padded():
    (record,), _ = read_records(b"Supplier,Country,Product\nAcme\n", mapping={"supplier_name": 0})

    assert record.values == {"Supplier": "Acme", "Country": "", "Product": ""}
    assert record.country is None


def test_several_problems_on_one_row_are_all_reported_in_column_order():
    text = "Supplier,Country,Amount,Currency,Tier\n,CN,lots,XYZ,12\n"

    (record,), summary = read_records(csv_bytes(text))

    assert codes(record) == ["missing_identity", "bad_spend", "unknown_currency", "bad_tier"]
    assert summary.rows_with_problems == 1
    assert sum(summary.problems.values()) == 4


def test_a_semicolon_csv_reads_ambiguous_amounts_with_a_decimal_comma():
    text = "Fournisseur;Pays;Montant\nAcme;CN;1.234\nBravo;FR;12,5\n"

    rows, _ = read_records(csv_bytes(text))

    assert [r.spend for r in rows] == [Decimal("1234"), Decimal("12.5")]


def test_a_column_that_shows_its_decimal_point_settles_ambiguous_values():
    text = "Supplier;Country;Amount\nAcme;CN;1,234\nBravo;FR;99.50\nCarl;DE;1,000.25\n"

    rows, _ = read_records(csv_bytes(text))

    assert [r.spend for r in rows] == [Decimal("1234"), Decimal("99.50"), Decimal("1000.25")]


def test_a_comma_csv_without_evidence_reads_the_english_way():
    rows, _ = read_records(b'Supplier,Country,Amount\nAcme,CN,1.234\nBravo,FR,"1,234"\n')

    assert [r.spend for r in rows] == [Decimal("1.234"), Decimal("1234")]


def test_xlsx_numbers_are_read_exactly():
    data = xlsx_bytes({"S": [["Supplier", "Country", "Spend", "Qty"], ["Acme", "CN", 1234.5, 3.0]]})

    (record,), _ = read_records(data, "list.xlsx")

    assert (record.spend, record.quantity) == (Decimal("1234.5"), Decimal("3"))


def test_a_unit_written_in_the_quantity_cell_is_used_when_there_is_no_unit_column():
    (record,), _ = read_records(b"Supplier,Country,Qty\nAcme,CN,12 kg\n")

    assert (record.quantity, record.unit) == (Decimal("12"), "kg")


def test_a_mapping_made_for_other_headers_is_refused():
    table = read_table(b"Supplier,Country\nAcme,CN\n", "a.csv")
    other = explicit_mapping(["Vendor", "Country"], {"supplier_name": 0})

    with pytest.raises(IngestError, match="made for other columns"):
        records(table, other)


def test_the_summary_fills_in_while_streaming():
    table = read_table(b"Supplier,Country\nAcme,CN\nBravo,FR\n", "a.csv")
    stream = records(table, propose_mapping(table.headers))

    next(stream)
    assert (stream.summary.records, stream.summary.finished) == (1, False)
    list(stream)
    assert (stream.summary.records, stream.summary.finished) == (2, True)


def test_records_are_immutable():
    (record,), _ = read_records(b"Supplier,Country\nAcme,CN\n")

    with pytest.raises(AttributeError):
        record.supplier_name = "Other"  # type: ignore[misc]
