"""Reading XLSX uploads: sheets, cell values as people see them, and workbooks we refuse."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest

from supplychain.ingest import IngestError, IngestLimits, list_sheets, read_table
from supplychain.ingest import reading as reading_module
from tests.supplychain.ingest.builders import xlsx_bytes, zip_bytes

SUPPLIERS = [["Supplier", "Country"], ["Acme", "CN"], ["Bravo", "FR"]]


def cells(table) -> list[list[str]]:
    return [row.cells for row in table.rows()]


def refusal(data: bytes, filename: str = "list.xlsx", **options) -> IngestError:
    with pytest.raises(IngestError) as caught:
        table = read_table(data, filename, **options)
        for _ in table.rows():
            pass
    return caught.value


# Sheets


def test_list_sheets_names_every_worksheet_in_order():
    data = xlsx_bytes({"Notes": [["Read me"]], "Vendors 2024": SUPPLIERS, "Empty": []})

    assert list_sheets(data) == ["Notes", "Vendors 2024", "Empty"]


def test_the_first_sheet_with_data_is_read_by_default():
    data = xlsx_bytes({"Cover": [], "Vendors": SUPPLIERS, "Other": [["Item"], ["Pen"]]})

    table = read_table(data, "export.xlsx")

    assert table.sheet == "Vendors"
    assert table.headers == ("Supplier", "Country")
    assert cells(table) == [["Acme", "CN"], ["Bravo", "FR"]]


def test_a_named_sheet_is_read_and_names_match_regardless_of_case():
    data = xlsx_bytes({"Vendors": SUPPLIERS, "Products": [["Item", "HS"], ["Pen", "9608"]]})

    assert cells(read_table(data, "export.xlsx", sheet="Products")) == [["Pen", "9608"]]
    assert read_table(data, "export.xlsx", sheet=" products ").sheet == "Products"


def test_an_unknown_sheet_is_refused_listing_the_real_ones():
    data = xlsx_bytes({"Vendors": SUPPLIERS, "Products": [["Item"]]})

    error = refusal(data, sheet="Suppliers")

    assert error.code == "unknown_sheet"
    assert "'Vendors', 'Products'" in error.detail


def test_a_named_empty_sheet_is_refused_rather_than_skipped():
    data = xlsx_bytes({"Vendors": SUPPLIERS, "Empty": []})

    error = refusal(data, sheet="Empty")

    assert error.code == "empty_file"
    assert "'Empty'" in error.detail


def test_a_workbook_without_data_is_refused():
    error = refusal(xlsx_bytes({"A": [], "B": [[None, "  "]]}))

    assert error.code == "empty_file"


def test_rows_keep_their_sheet_numbers_across_blank_rows():
    data = xlsx_bytes({"S": [[], ["Supplier"], ["Acme"], [], ["Bravo"]]})

    table = read_table(data, "gaps.xlsx")

    assert table.header_row == 2
    assert [(row.number, row.cells) for row in table.rows()] == [
        (3, ["Acme"]),
        (4, []),
        (5, ["Bravo"]),
    ]


# Cell values as people see them


def test_numbers_dates_and_codes_read_as_the_user_sees_them():
    rows = [
        ["Whole float", "Noisy float", "Int", "Date", "Timestamp", "HS text", "HS padded", "Bool"],
        [
            1234.0,
            0.1 + 0.2,
            1234,
            date(2024, 3, 31),
            datetime(2024, 3, 31, 14, 30),
            "0901.11",
            90111,
            True,
        ],
    ]
    data = xlsx_bytes({"S": rows}, formats={"S!G2": "000000"})

    (row,) = cells(read_table(data, "values.xlsx"))

    assert row == [
        "1234",
        "0.3",
        "1234",
        "2024-03-31",
        "2024-03-31T14:30:00",
        "0901.11",
        "090111",
        "TRUE",
    ]


@pytest.mark.parametrize(
    ("value", "number_format", "expected"),
    [
        (6109.1, "0000.00", "6109.10"),
        (12345678901, "General", "12345678901"),
        (1e-7, "General", "0.0000001"),
        (-5.5, "0.00", "-5.50"),
        (1234.5, "#,##0.00", "1234.5"),  # display grouping is not data
        (42, "000000", "000042"),
    ],
)
def test_number_formats_made_of_zeros_keep_their_padding(value, number_format, expected):
    data = xlsx_bytes({"S": [["Value"], [value]]}, formats={"S!A2": number_format})

    assert cells(read_table(data, "numbers.xlsx")) == [[expected]]


def test_formulas_are_never_returned_as_formula_text():
    data = xlsx_bytes({"S": [["Amount", "Total"], [2, "=A2*2"]]})

    (row,) = cells(read_table(data, "formulas.xlsx"))

    assert not row[-1].startswith("=")  # the cached value when Excel saved one, else nothing


# Workbooks we refuse


def test_a_truncated_workbook_is_refused_as_damaged():
    whole = xlsx_bytes({"S": SUPPLIERS})

    error = refusal(whole[: len(whole) * 2 // 3], "cut.xlsx")

    assert error.code == "corrupt_xlsx"
    assert "damaged or truncated" in error.detail


def test_damage_deep_in_a_sheet_is_reported_while_streaming_with_the_row():
    data = bytearray(xlsx_bytes({"S": [["Supplier"]] + [[f"Name {i}"] for i in range(5000)]}))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for offset in range(start + info.compress_size - 200, start + info.compress_size - 180):
        data[offset] ^= 0xFF

    table = read_table(bytes(data), "damaged.xlsx")  # the header is intact
    with pytest.raises(IngestError) as caught:
        for _ in table.rows():
            pass

    assert caught.value.code == "corrupt_xlsx"
    assert caught.value.where["row"] > 1000
    assert "damaged after row" in caught.value.detail


def test_a_zip_that_is_not_a_workbook_is_refused():
    error = refusal(zip_bytes([("readme.txt", b"hello")]), "archive.xlsx")

    assert error.code == "not_xlsx"


def test_text_named_xlsx_is_refused_as_damaged():
    error = refusal(b"Supplier,Country\nAcme,CN\n", "really_a_csv.xlsx")

    assert error.code == "corrupt_xlsx"


def test_an_old_xls_or_encrypted_workbook_named_xlsx_gets_the_save_as_advice():
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504

    error = refusal(ole2, "protected.xlsx")

    assert error.code == "not_xlsx"
    assert "save it as .xlsx" in error.detail


def bomb(zero_bytes: int) -> bytes:
    """A workbook-shaped archive whose one member is a long run of zeros."""
    return zip_bytes(
        [
            ("[Content_Types].xml", b"<Types/>"),
            ("xl/workbook.xml", b"<workbook/>"),
            ("xl/worksheets/sheet1.xml", bytes(zero_bytes)),
        ]
    )


@pytest.fixture
def openpyxl_must_not_open(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args, **kwargs):
        raise AssertionError("openpyxl opened a file the zip checks should have refused")

    monkeypatch.setattr(reading_module.openpyxl, "load_workbook", fail)


@pytest.mark.usefixtures("openpyxl_must_not_open")
def test_a_zip_bomb_is_refused_by_its_ratio_before_openpyxl_opens_it():
    data = bomb(20 * 1024 * 1024)
    assert len(data) < 100_000  # the point of a bomb: tiny on the wire

    error = refusal(data, "bomb.xlsx")

    assert error.code == "zip_bomb"
    assert "xl/worksheets/sheet1.xml" in error.detail
    assert error.where["member"] == "xl/worksheets/sheet1.xml"


@pytest.mark.usefixtures("openpyxl_must_not_open")
def test_a_workbook_too_big_once_unzipped_is_refused_before_openpyxl_opens_it():
    incompressible = bytes(range(256)) * 4096  # 1 MB that deflate cannot shrink
    data = zip_bytes(
        [
            ("xl/workbook.xml", b"<workbook/>"),
            ("xl/worksheets/sheet1.xml", incompressible),
            ("xl/worksheets/sheet2.xml", incompressible[::-1]),
        ]
    )
    limits = IngestLimits(max_uncompressed_bytes=1024 * 1024, max_compression_ratio=1000)

    error = refusal(data, "big.xlsx", limits=limits)

    assert error.code == "zip_bomb"
    assert "would expand to 2.0 MB" in error.detail


def test_the_bomb_limits_are_configurable():
    data = bomb(2 * 1024 * 1024)
    generous = IngestLimits(max_compression_ratio=10_000)

    error = refusal(data, "bomb.xlsx", limits=generous)

    assert error.code == "corrupt_xlsx"  # past the zip checks, it is simply not a workbook


def test_an_xml_entity_bomb_inside_a_sheet_is_refused():
    laughs = b"".join(
        b'<!ENTITY lol%d "%s">' % (level, (b"&lol%d;" % (level - 1)) * 10) for level in range(1, 10)
    )
    sheet = (
        b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY lol0 "lollollollol">' + laughs + b"]>"
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    archive = zipfile.ZipFile(io.BytesIO(xlsx_bytes({"S": SUPPLIERS})))
    members = [
        (name, sheet if name == "xl/worksheets/sheet1.xml" else archive.read(name))
        for name in archive.namelist()
    ]

    error = refusal(zip_bytes(members), "laughs.xlsx")

    assert error.code == "corrupt_xlsx"


def test_more_rows_than_the_limit_are_refused_while_streaming():
    data = xlsx_bytes({"S": [["Supplier"]] + [[f"Name {i}"] for i in range(8)]})
    table = read_table(data, "long.xlsx", limits=IngestLimits(max_rows=5))

    seen = []
    with pytest.raises(IngestError) as caught:
        for row in table.rows():
            seen.append(row.number)

    assert seen == [2, 3, 4, 5, 6]
    assert caught.value.code == "too_many_rows"
    assert caught.value.where == {"file": "long.xlsx", "sheet": "S", "row": 7}


def test_a_header_wider_than_the_column_limit_is_refused():
    data = xlsx_bytes({"S": [[f"c{i}" for i in range(6)], list(range(6))]})

    error = refusal(data, "wide.xlsx", limits=IngestLimits(max_columns=5))

    assert error.code == "too_many_columns"


def test_the_header_row_can_be_given_for_a_sheet():
    data = xlsx_bytes({"S": [["Report", "2024"], ["Supplier", "Country"], ["Acme", "CN"]]})

    assert read_table(data, "a.xlsx").headers == ("Report", "2024")
    table = read_table(data, "a.xlsx", header_row=2)
    assert (table.headers, cells(table)) == (("Supplier", "Country"), [["Acme", "CN"]])
