"""Tiny builders for upload files: CSV text in any encoding, XLSX workbooks, hostile ZIPs."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook

from supplychain.ingest import ColumnMapping, Record, explicit_mapping, read_table, records

SUPPLIER_HEADER = "Supplier,Country,Product,Amount"


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    """Encode CSV text as a user's tool would have saved it."""
    return text.encode(encoding)


def xlsx_bytes(
    sheets: dict[str, Sequence[Sequence[Any]]], formats: dict[str, str] | None = None
) -> bytes:
    """Build a workbook, one sheet per entry; `formats` maps "Sheet!B2" to a number format."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    for ref, number_format in (formats or {}).items():
        title, cell = ref.split("!")
        workbook[title][cell].number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bytes(members: Iterable[tuple[str, bytes]]) -> bytes:
    """Build a deflated ZIP archive from (name, content) pairs."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in members:
            archive.writestr(name, content)
    return buffer.getvalue()


def read_records(
    data: bytes,
    filename: str = "list.csv",
    mapping: dict[str, str | int | None] | None = None,
    **options: Any,
) -> tuple[list[Record], Any]:
    """Read a file end to end with a given (or the proposed) mapping; return records and summary."""
    from supplychain.ingest import propose_mapping

    table = read_table(data, filename)
    chosen: ColumnMapping = (
        explicit_mapping(table.headers, mapping) if mapping else propose_mapping(table.headers)
    )
    stream = records(table, chosen, **options)
    return list(stream), stream.summary
