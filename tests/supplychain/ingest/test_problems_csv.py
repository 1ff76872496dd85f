"""The downloadable problems CSV, and the formula neutralising every export can reuse."""

from __future__ import annotations

import codecs
import csv
import io

import pytest

from supplychain.ingest import RowProblem, neutralise, problems_csv, safe_row
from tests.supplychain.ingest.builders import read_records


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil","click")', '\'=HYPERLINK("http://evil","click")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Acme = Best", "Acme = Best"),
        ("", ""),
        (" =1", " =1"),
    ],
)
def test_cells_a_spreadsheet_would_run_get_an_apostrophe(value: str, expected: str):
    assert neutralise(value) == expected


def test_safe_row_leaves_numbers_alone():
    assert safe_row(["=1", -12, 3.5, None, "ok"]) == ["'=1", -12, 3.5, None, "ok"]


def parse(data: bytes) -> list[list[str]]:
    assert data.startswith(codecs.BOM_UTF8)  # so Excel shows accents
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_problems_csv_lists_row_column_field_value_and_reason():
    problems = [
        RowProblem(
            7, "Montant", "spend", "environ 200", "'environ 200' is not an amount", "bad_spend"
        ),
        RowProblem(
            9,
            None,
            None,
            "",
            "the row has neither a supplier name nor a product description",
            "missing_identity",
        ),
    ]

    rows = parse(problems_csv(problems))

    assert rows == [
        ["Row", "Column", "Field", "Value", "Problem", "Code"],
        ["7", "Montant", "Spend", "environ 200", "'environ 200' is not an amount", "bad_spend"],
        [
            "9",
            "",
            "",
            "",
            "the row has neither a supplier name nor a product description",
            "missing_identity",
        ],
    ]


def test_problems_csv_neutralises_formulas_from_the_uploaded_file():
    text = 'Supplier,Country,=cmd|calc,Amount\nAcme,CN,x,"=1+1"\n'
    (record,), _ = read_records(
        text.encode(), mapping={"supplier_name": 0, "country": 1, "spend": 3}
    )

    rows = parse(problems_csv(record.problems))

    assert rows[1][1] == "Amount"
    assert rows[1][3] == "'=1+1"
    assert rows[1][4] == "'=1+1' is not an amount"  # starts with a quote already: inert


def test_problems_csv_neutralises_hostile_header_names():
    problem = RowProblem(2, "@evil", None, "-1", "+reason", "bad_spend")

    assert parse(problems_csv([problem]))[1] == ["2", "'@evil", "", "'-1", "'+reason", "bad_spend"]
