"""Upload templates: the canonical columns, one example, and help in English and French."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from supplychain.ingest import (
    FIELD_NAMES,
    list_sheets,
    propose_mapping,
    read_table,
    records,
    template_csv,
    template_xlsx,
)


def round_trip(data: bytes, filename: str):
    table = read_table(data, filename)
    mapping = propose_mapping(table.headers)
    return table, mapping, list(records(table, mapping))


def test_the_csv_template_round_trips_without_confirmation():
    table, mapping, (example,) = round_trip(template_csv(), "template.csv")

    assert table.encoding == "utf-8-sig"
    assert not mapping.needs_confirmation
    assert set(mapping.choices) == set(FIELD_NAMES)
    assert example.problems == ()
    assert example.hs_code == "6109.10"
    assert example.currency == "CAD"
    assert example.tier == 1


def test_the_xlsx_template_round_trips_without_confirmation():
    table, mapping, (example,) = round_trip(template_xlsx(), "template.xlsx")

    assert table.sheet == "Suppliers"
    assert not mapping.needs_confirmation
    assert set(mapping.choices) == set(FIELD_NAMES)
    assert example.problems == ()
    assert example.hs_code == "6109.10"
    assert example.spend == 12500


def test_both_templates_carry_the_same_example():
    _, _, (from_csv,) = round_trip(template_csv(), "template.csv")
    _, _, (from_xlsx,) = round_trip(template_xlsx(), "template.xlsx")

    fields = [name for name in FIELD_NAMES]
    assert [getattr(from_csv, name) for name in fields] == [
        getattr(from_xlsx, name) for name in fields
    ]


def test_the_xlsx_template_explains_every_column_in_english_and_french():
    data = template_xlsx()
    assert list_sheets(data) == ["Suppliers", "Columns - Colonnes"]

    table = read_table(data, "template.xlsx", sheet="Columns - Colonnes")
    rows = {row.cells[0]: row.cells for row in table.rows() if row.cells}

    assert table.headers[:6] == (
        "Column",
        "Required",
        "What to enter",
        "Colonne",
        "Obligatoire",
        "Quoi inscrire",
    )
    assert rows["Country"][1:5] == ["Yes", rows["Country"][2], "Pays", "Oui"]
    assert rows["HS code"][3] == "Code SH"
    assert "zéros" in rows["HS code"][5]
    assert all(label in rows for label in ("Supplier name", "Spend", "Tier"))


def test_the_xlsx_template_keeps_codes_as_text():
    sheet = load_workbook(io.BytesIO(template_xlsx()))["Suppliers"]

    assert sheet["F1"].value == "HS code"
    assert sheet["F2"].value == "6109.10"
    assert sheet.column_dimensions["F"].number_format == "@"
