"""The first pass's text fields are exactly the records' fields, row for row.

The pipeline keys every distinct product, country and supplier from `text_fields` and then
looks each record's keys up while storing it: a difference in cleaning would be a failed run.
"""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from supplychain.ingest import IngestError, explicit_mapping, read_table, records, text_fields
from tests.supplychain.ingest.builders import csv_bytes, xlsx_bytes

NAMES = ("hs_code", "product_description", "country", "supplier_name")
HEADER = ["Supplier", "Country", "Product", "HS", "Amount"]
FIELDS = {
    "supplier_name": "Supplier",
    "country": "Country",
    "product_description": "Product",
    "hs_code": "HS",
    "spend": "Amount",
}


def both(data: bytes, name: str) -> tuple[list[tuple], list[tuple], object]:
    table = read_table(data, name)
    mapping = explicit_mapping(table.headers, FIELDS)
    stream = records(table, mapping)
    expected = [tuple(getattr(record, field) for field in NAMES) for record in stream]
    fields = text_fields(table, mapping, NAMES)
    return list(fields), expected, (fields, stream.summary)


def test_messy_csv_rows_give_the_records_texts():
    text = (
        "Supplier,Country,Product,HS,Amount\n"
        '"  Acme   Textiles\u00a0Ltd ",CN,"TSHIRT\nKNIT",6109.10,12\n'
        ",,,,\n"  # empty: skipped by both
        "Beta,,  ,,\n"  # empty country and product are None
        "Gamma,PE\n"  # short row
        "Delta,TH,shrimp,,1,surplus,cells\n"  # extra cells
        "\t,\t,\t,\t,x\n"  # only an amount
    )
    got, expected, (fields, summary) = both(csv_bytes(text), "list.csv")

    assert got == expected
    assert got[0] == ("6109.10", "TSHIRT KNIT", "CN", "Acme Textiles Ltd")
    assert got[1] == (None, None, None, "Beta")
    assert fields.records == summary.records == 5
    assert fields.rows_read == summary.rows_read == 6


def test_xlsx_rows_give_the_records_texts():
    data = xlsx_bytes(
        {
            "Vendors": [
                HEADER,
                ["Acme", "China", "Cotton  shirts", 610910, 10.5],
                [None, None, None, None, None],
                [" Beta ", None, "Gold", None, "n/a"],
            ]
        }
    )
    got, expected, _ = both(data, "list.xlsx")
    assert got == expected and len(got) == 2


def test_other_headers_are_refused_and_only_text_fields_are_read():
    table = read_table(csv_bytes("A,B\n1,2\n"), "list.csv")
    other = explicit_mapping(("Supplier", "Country"), {"supplier_name": "Supplier"})
    with pytest.raises(IngestError, match="other columns"):
        next(text_fields(table, other, ("supplier_name",)))
    mapping = explicit_mapping(table.headers, {"supplier_name": "A", "spend": "B"})
    with pytest.raises(ValueError, match="not a text field"):
        text_fields(table, mapping, ("spend",))


cell = st.text(alphabet=st.sampled_from(list('ab ,"\n\t\u00a0é;')), max_size=8)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(cell, min_size=0, max_size=7), min_size=1, max_size=12))
def test_any_csv_gives_the_records_texts(rows: list[list[str]]):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow(row)
    data = buffer.getvalue().encode()
    try:
        table = read_table(data, "list.csv")
        explicit_mapping(table.headers, FIELDS)
    except IngestError:
        return  # refused (or read with other headers) before either pass reads a row
    got, expected, _ = both(data, "list.csv")
    assert got == expected
