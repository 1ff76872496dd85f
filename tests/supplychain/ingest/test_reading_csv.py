"""Reading CSV uploads: encodings, delimiters, quoting, row numbers, and the files we refuse."""

from __future__ import annotations

import codecs
import random

import pytest

from supplychain.errors import InvalidInput
from supplychain.ingest import IngestError, IngestLimits, read_table
from tests.supplychain.ingest.builders import csv_bytes, xlsx_bytes

FRENCH = (
    "Fournisseur;Pays;Désignation;Montant\r\n"
    "Société Générale Textile;Côte d'Ivoire;Fèves de cacao;1 234,56\r\n"
)


def cells(table) -> list[list[str]]:
    return [row.cells for row in table.rows()]


# Encodings


@pytest.mark.parametrize(
    ("encoding", "bom", "expected"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", codecs.BOM_UTF8, "utf-8-sig"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16"),
        ("utf-16-le", b"", "utf-16-le"),
        ("utf-16-be", b"", "utf-16-be"),
        ("cp1252", b"", "cp1252"),
    ],
)
def test_each_encoding_reads_the_same_accented_text(encoding: str, bom: bytes, expected: str):
    table = read_table(bom + FRENCH.encode(encoding), "export.csv")

    assert table.encoding == expected
    assert table.headers == ("Fournisseur", "Pays", "Désignation", "Montant")
    assert cells(table) == [
        ["Société Générale Textile", "Côte d'Ivoire", "Fèves de cacao", "1 234,56"]
    ]


def test_a_utf8_bom_does_not_stick_to_the_first_header():
    table = read_table(codecs.BOM_UTF8 + b"Supplier,Country\nAcme,CN\n", "bom.csv")

    assert table.headers[0] == "Supplier"


def test_windows_1252_punctuation_is_decoded_not_mangled():
    data = "Supplier,Product\nO’Brien & Fils,Café – 5 €\n".encode("cp1252")

    table = read_table(data, "excel.csv")

    assert table.encoding == "cp1252"
    assert cells(table) == [["O’Brien & Fils", "Café – 5 €"]]


def test_bytes_undefined_in_windows_1252_fall_back_to_latin_1():
    data = b"Supplier,Country\nAcme\x81 Ltd,CN\n"  # 0x81 has no Windows-1252 character

    table = read_table(data, "odd.csv")

    assert table.encoding == "latin-1"
    assert cells(table) == [["Acme\x81 Ltd", "CN"]]


def test_utf8_is_tried_strictly_before_any_fallback():
    # "Ã©" is what UTF-8 "é" looks like when misread as Windows-1252; we must not do that.
    table = read_table("Supplier\nCafé\n".encode(), "utf8.csv")

    assert cells(table) == [["Café"]]


# Delimiters and quoting


@pytest.mark.parametrize(
    ("delimiter", "filename"),
    [
        (",", "list.csv"),
        (";", "list.csv"),
        ("\t", "list.tsv"),
        ("\t", "list.txt"),
        ("|", "list.txt"),
    ],
)
def test_each_delimiter_is_sniffed(delimiter: str, filename: str):
    rows = [
        ["Supplier", "Country", "Address"],
        ["Acme Ltd", "CN", "No 5 Road 2"],
        ["Bravo SA", "FR", "1 rue de la Paix"],
    ]
    text = "\n".join(delimiter.join(row) for row in rows) + "\n"

    table = read_table(csv_bytes(text), filename)

    assert table.delimiter == delimiter
    assert table.headers == tuple(rows[0])
    assert cells(table) == rows[1:]


def test_semicolons_win_over_decimal_commas_and_commas_in_addresses():
    text = (
        "Fournisseur;Pays;Adresse;Montant\n"
        "Acme;CN;No 5, Road 2, Shenzhen;1234,50\n"
        "Bravo;FR;1, rue de la Paix;99,90\n"
    )

    table = read_table(csv_bytes(text), "fr.csv")

    assert table.delimiter == ";"
    assert table.decimal_hint == ","
    assert cells(table)[0] == ["Acme", "CN", "No 5, Road 2, Shenzhen", "1234,50"]


def test_commas_win_when_addresses_hold_semicolons_inside_quotes():
    text = 'Supplier,Country,Address\nAcme,CN,"Bldg 4; Floor 2; Shenzhen"\nBravo,FR,"Lot 3; Lyon"\n'

    table = read_table(csv_bytes(text), "en.csv")

    assert table.delimiter == ","
    assert table.decimal_hint is None
    assert cells(table)[1] == ["Bravo", "FR", "Lot 3; Lyon"]


def test_a_single_column_file_is_read_as_one_column():
    table = read_table(csv_bytes("Supplier\nAcme, Inc.\nBravo\n"), "names.csv")

    assert table.headers == ("Supplier",)
    assert cells(table) == [["Acme, Inc."], ["Bravo"]]


def test_quoted_newlines_stay_in_their_cell_and_rows_count_as_in_excel():
    text = (
        "Supplier,Address,Country\r\n"
        'Acme,"Building 4\r\nFloor 2\r\nShenzhen",CN\r\n'
        "Bravo,Lyon,FR\r\n"
    )

    table = read_table(csv_bytes(text), "multiline.csv")

    rows = list(table.rows())
    assert [row.number for row in rows] == [2, 3]  # Excel shows the multi-line cell in row 2
    assert rows[0].cells[1] == "Building 4\r\nFloor 2\r\nShenzhen"
    assert rows[1].cells == ["Bravo", "Lyon", "FR"]


def test_a_quoted_newline_cut_by_the_sniffing_sample_does_not_confuse_the_delimiter():
    long_address = "x" * 70_000  # longer than the sample, so the sample ends inside quotes
    text = f'Supplier;Address\nAcme;"Line 1\n{long_address}"\nBravo;Lyon\n'

    table = read_table(csv_bytes(text), "long.csv")

    assert table.delimiter == ";"
    assert [row.cells[0] for row in table.rows()] == ["Acme", "Bravo"]


def test_rows_are_numbered_as_the_spreadsheet_shows_them():
    text = "\n\nSupplier,Country\nAcme,CN\n\nBravo,FR\n"

    table = read_table(csv_bytes(text), "gaps.csv")

    assert table.header_row == 3
    assert [(row.number, row.cells) for row in table.rows()] == [
        (4, ["Acme", "CN"]),
        (5, []),
        (6, ["Bravo", "FR"]),
    ]


def test_a_title_line_above_the_header_is_skipped():
    text = "Vendor master - exported 2024-05-01\n\nSupplier;Country\nAcme;CN\nBravo;FR\n"

    table = read_table(csv_bytes(text), "export.csv")

    assert (table.delimiter, table.header_row) == (";", 3)
    assert table.headers == ("Supplier", "Country")
    assert [row.number for row in table.rows()] == [4, 5]


def test_the_header_row_can_be_given():
    text = "Supplier,Country\nSupplier name,Country of origin\nAcme,CN\n"

    table = read_table(csv_bytes(text), "two_headers.csv", header_row=2)

    assert table.headers == ("Supplier name", "Country of origin")
    assert [row.cells for row in table.rows()] == [["Acme", "CN"]]


@pytest.mark.parametrize(
    ("header_row", "message"), [(2, "row 2, given as the header"), (9, "no row 9")]
)
def test_a_given_header_row_must_exist_and_hold_text(header_row: int, message: str):
    error = refusal(b"Supplier,Country\n,\nAcme,CN\n", "a.csv", header_row=header_row)

    assert error.code == "bad_header_row"
    assert message in error.detail


def test_a_single_column_list_keeps_its_only_header():
    table = read_table(csv_bytes("Supplier\nAcme\nBravo\n"), "names.csv")

    assert (table.header_row, table.headers) == (1, ("Supplier",))


def test_blank_and_repeated_headers_get_names_people_can_recognise():
    table = read_table(csv_bytes("Supplier,,Amount,amount,\nAcme,x,1,2\n"), "dupes.csv")

    assert table.headers == ("Supplier", "Column B", "Amount", "amount (2)")


def test_the_table_can_be_streamed_again_from_the_start():
    table = read_table(csv_bytes("Supplier\nAcme\nBravo\n"), "twice.csv")

    first = next(iter(table.rows()))
    assert first.cells == ["Acme"]
    assert [row.cells for row in table.rows()] == [["Acme"], ["Bravo"]]


def test_the_oar_style_facility_list_reads_with_crlf_and_no_break_spaces():
    text = (
        "country,name,address\r\n"
        'CHINA,"QUANZHOU XINXING FOOTWEAR CO., LTD","WUYI INDUSTIAL ZONE,\u00a0BAIQI VILLAGE"\r\n'
        'Bangladesh,Alif Embroidery Village Ltd.,"Bangobandhu Road, Savar, Dhaka\u00a01341"\r\n'
    )

    table = read_table(csv_bytes(text), "facility_list.csv")

    assert table.headers == ("country", "name", "address")
    assert [row.cells[1] for row in table.rows()] == [
        "QUANZHOU XINXING FOOTWEAR CO., LTD",
        "Alif Embroidery Village Ltd.",
    ]


# Files we refuse


def refusal(data: bytes, filename: str, **options) -> IngestError:
    with pytest.raises(IngestError) as caught:
        table = read_table(data, filename, **options)
        for _ in table.rows():
            pass
    return caught.value


def test_refusals_are_invalid_input_so_the_api_answers_422():
    error = refusal(b"", "empty.csv")

    assert isinstance(error, InvalidInput)
    assert error.status == 422
    assert error.errors["code"] == "empty_file"
    assert error.errors["file"] == "empty.csv"


@pytest.mark.parametrize(
    "data",
    [b"", codecs.BOM_UTF8, b"\r\n\r\n  \n", codecs.BOM_UTF16_LE + "\n\n".encode("utf-16-le")],
)
def test_an_empty_file_is_refused(data: bytes):
    error = refusal(data, "empty.csv")

    assert error.code == "empty_file"
    assert "empty.csv" in error.detail


def test_a_file_of_blank_cells_has_no_header():
    error = refusal(b",,,\n , ,,\n", "blank.csv")

    assert error.code == "empty_file"
    assert "no rows with data" in error.detail


def test_random_binary_with_nul_bytes_named_csv_is_refused():
    noise = random.Random(7).randbytes(4096) + b"\x00\x00\x00"

    error = refusal(noise, "supplier_list.csv")

    assert error.code == "not_text"
    assert "NUL" in error.detail
    assert "supplier_list.csv" in error.detail


def test_binary_without_nul_bytes_is_refused_for_its_control_characters():
    noise = bytes(b for b in random.Random(3).randbytes(8192) if b)

    error = refusal(noise, "noise.csv")

    assert error.code == "not_text"
    assert "control characters" in error.detail


def test_a_nul_deep_in_an_otherwise_good_file_is_refused_with_its_offset():
    data = b"Supplier,Country\n" + b"Acme,CN\n" * 20_000 + b"Bad\x00Row,CN\n"

    error = refusal(data, "late.csv")

    assert error.code == "not_text"
    assert f"byte {len(data) - 8:,}" in error.detail


def test_an_xlsx_renamed_csv_is_refused_with_the_right_advice():
    workbook = xlsx_bytes({"Sheet1": [["Supplier"], ["Acme"]]})

    error = refusal(workbook, "export.csv")

    assert error.code == "not_text"
    assert ".xlsx" in error.detail


@pytest.mark.parametrize(
    ("filename", "advice"),
    [
        ("old.xls", "save it as .xlsx"),
        ("report.pdf", ".csv, .tsv, .txt, .xlsx"),
        ("macro.xlsm", "save the sheet as .xlsx or CSV"),
        ("README", "no file extension"),
    ],
)
def test_extensions_outside_the_allow_list_are_refused(filename: str, advice: str):
    error = refusal(b"Supplier\nAcme\n", filename)

    assert error.code == "unsupported_type"
    assert advice in error.detail


def test_extension_case_and_client_paths_do_not_matter():
    table = read_table(b"Supplier\nAcme\n", "C:\\Users\\amira\\Desktop\\EXPORT.CSV")

    assert table.filename == "EXPORT.CSV"
    assert table.kind == "csv"


def test_a_file_over_the_byte_limit_is_refused_before_reading():
    error = refusal(b"Supplier\n" + b"Acme\n" * 100, "big.csv", limits=IngestLimits(max_bytes=100))

    assert error.code == "file_too_large"
    assert "100 bytes" in error.detail


def test_more_rows_than_the_limit_are_refused_up_front():
    data = b"Supplier\n" + b"Acme\n" * 6

    error = refusal(data, "long.csv", limits=IngestLimits(max_rows=5))

    assert error.code == "too_many_rows"
    assert "6 data rows" in error.detail


def test_blank_lines_do_not_count_towards_the_row_limit():
    data = b"Supplier\n" + b"Acme\n\n\n" * 5

    table = read_table(data, "airy.csv", limits=IngestLimits(max_rows=5))

    assert sum(1 for row in table.rows() if row.cells) == 5


def test_quoted_newlines_do_not_count_as_rows_against_the_limit():
    data = b"Supplier,Address\n" + b'Acme,"a\nb\nc"\n' * 5

    table = read_table(data, "quoted.csv", limits=IngestLimits(max_rows=5))

    assert len(list(table.rows())) == 5


def test_a_cell_beyond_the_csv_field_limit_is_refused_with_its_row():
    data = b"Supplier,Notes\nAcme,short\nBravo," + b"x" * 200_000 + b"\n"

    error = refusal(data, "huge_cell.csv")

    assert error.code == "bad_csv"
    assert error.where["row"] == 3


def test_a_header_wider_than_the_column_limit_is_refused():
    error = refusal(b"a,b,c,d\n1,2,3,4\n", "wide.csv", limits=IngestLimits(max_columns=3))

    assert error.code == "too_many_columns"
    assert "4 columns" in error.detail


def test_a_row_wider_than_the_column_limit_is_refused_while_streaming():
    data = b"a,b\n1,2\n1,2,3,4\n"

    error = refusal(data, "ragged.csv", limits=IngestLimits(max_columns=3))

    assert error.code == "too_many_columns"
    assert error.where["row"] == 3
