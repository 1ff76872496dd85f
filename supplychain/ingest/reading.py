"""Read uploaded CSV, XLSX and JSON files into a streaming table of strings, refusing hostile ones.

Nothing here holds the rows of CSV and XLSX: `Table.rows()` re-reads the bytes each time it
is called, so a preview, a column-mapping step and the full import can each stream the file
from the start. JSON (sent by other tools through the API) is parsed once and kept.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import warnings
import zipfile
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import partial
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any, NamedTuple

import openpyxl
from openpyxl.utils import get_column_letter

from supplychain.ingest.errors import IngestError

MB = 1024 * 1024
ALLOWED_EXTENSIONS = (".csv", ".tsv", ".txt", ".xlsx", ".json")
TEXT_EXTENSIONS = (".csv", ".tsv", ".txt")
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}

SAMPLE_BYTES = 64 * 1024  # enough for the delimiter and binary checks, small enough to be instant
SNIFF_LINES = 100
HEADER_SEARCH_ROWS = 20  # rows with text searched for one that names two or more columns
CHUNK_BYTES = 1 * MB
# Share of control characters in the sample above which a "text" file is really binary.
MAX_CONTROL_SHARE = 0.01
MIN_CONTROLS = 4  # a stray control character or two in a short list is a typo, not binary

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_ZERO_FORMAT = re.compile(r"(0+)(?:\.(0+))?")

# Byte signatures of files people rename to .csv by mistake, with the advice to give them.
_SIGNATURES = (
    (b"PK\x03\x04", "is a ZIP archive (probably an Excel .xlsx workbook); upload it as .xlsx"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "is an old-format Excel (.xls) or password-protected workbook; "
        "open it in Excel and save it as .xlsx (without a password) or as CSV",
    ),
    (b"%PDF", "is a PDF document; upload the supplier list as CSV or .xlsx"),
)
_BOMS = (  # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class IngestLimits:
    """What an upload may cost us; the caller passes its own to tighten or loosen them."""

    max_bytes: int = 50 * MB
    max_rows: int = 1_000_000
    max_columns: int = 500
    max_uncompressed_bytes: int = 200 * MB  # XLSX: sum of the members' declared sizes
    max_compression_ratio: float = 100.0  # XLSX: per member; real sheets compress ~5-20x


DEFAULT_LIMITS = IngestLimits()


class TableRow(NamedTuple):
    """One spreadsheet row: its number as the user sees it (header = 1) and its cells."""

    number: int
    cells: list[str]


@dataclass(frozen=True, eq=False)
class Table:
    """A readable upload: its header and a way to stream its data rows as strings."""

    filename: str
    kind: str  # "csv", "xlsx" or "json"
    headers: tuple[str, ...]
    header_row: int
    _open: Callable[[], Iterator[TableRow]] = field(repr=False)
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    # "," when the file's conventions suggest a decimal comma (a semicolon-separated CSV, as
    # Excel writes in French and most European locales); used only for values like "1.234".
    decimal_hint: str | None = None

    def rows(self) -> Iterator[TableRow]:
        """Stream the data rows after the header, empty ones included, from the start."""
        return self._open()

    def __iter__(self) -> Iterator[TableRow]:
        return self.rows()


def read_table(
    data: bytes,
    filename: str,
    sheet: str | None = None,
    *,
    header_row: int | None = None,
    limits: IngestLimits = DEFAULT_LIMITS,
) -> Table:
    """Open an uploaded CSV or XLSX file, check it, and return its streaming table.

    `sheet` chooses an XLSX worksheet by name (default: the first one with data); it is
    ignored for CSV. `header_row` (1-based, as the spreadsheet shows it) overrides the
    header we find: the first row naming two or more columns. Raises `IngestError` for
    anything we refuse, before streaming starts, except a row or column limit first exceeded
    deep in the file, which is raised while streaming.
    """
    name = display_name(filename)
    extension = _extension(filename, name)
    if len(data) > limits.max_bytes:
        raise IngestError(
            f"{name} is {_size(len(data))}; files up to {_size(limits.max_bytes)} are accepted.",
            code="file_too_large",
            file=name,
        )
    if not data:
        raise IngestError(f"{name} is empty (0 bytes).", code="empty_file", file=name)
    if extension == ".xlsx":
        return _xlsx_table(data, name, sheet, header_row, limits)
    if extension == ".json":
        return _json_table(data, name, limits)
    return _csv_table(data, name, extension, header_row, limits)


def list_sheets(
    data: bytes, filename: str = "workbook.xlsx", *, limits: IngestLimits = DEFAULT_LIMITS
) -> list[str]:
    """Return the names of an XLSX workbook's worksheets, in workbook order."""
    name = display_name(filename)
    workbook = _open_workbook(data, name, limits)
    try:
        return [worksheet.title for worksheet in workbook.worksheets]
    finally:
        workbook.close()


def display_name(filename: str) -> str:
    """Return the file's base name, safe to quote in a message."""
    base = PureWindowsPath(PurePosixPath(filename).name).name
    base = _CONTROL.sub("", base).strip() or "upload"
    return base if len(base) <= 80 else base[:77] + "..."


def _extension(filename: str, name: str) -> str:
    extension = PurePosixPath(PureWindowsPath(filename).name).suffix.lower()
    if extension in ALLOWED_EXTENSIONS:
        return extension
    allowed = ", ".join(ALLOWED_EXTENSIONS)
    if extension == ".xls":
        detail = (
            f"{name} is an old-format Excel file (.xls), which we do not read; "
            "open it in Excel and save it as .xlsx (Excel Workbook) or CSV."
        )
    elif extension in (".xlsm", ".xlsb", ".ods", ".numbers"):
        detail = f"{name}: {extension} files are not accepted; save the sheet as .xlsx or CSV."
    elif not extension:
        detail = f"{name} has no file extension; upload a {allowed} file."
    else:
        detail = f"{name}: {extension} files are not accepted; upload a {allowed} file."
    raise IngestError(detail, code="unsupported_type", file=name, extension=extension or None)


def _size(count: int) -> str:
    return f"{count / MB:.1f} MB" if count >= MB // 10 else f"{count:,} bytes"


def _letter_names(cells: list[str]) -> tuple[str, ...]:
    """Name the header cells: blanks become "Column C", repeats become "Amount (2)"."""
    names: list[str] = []
    seen: set[str] = set()
    for index, cell in enumerate(cells):
        base = (
            " ".join(cell.replace("\ufeff", "").split()) or f"Column {get_column_letter(index + 1)}"
        )
        candidate, copy = base, 1
        while candidate.casefold() in seen:
            copy += 1
            candidate = f"{base} ({copy})"
        seen.add(candidate.casefold())
        names.append(candidate)
    return tuple(names)


def _is_blank(cells: list[str]) -> bool:
    return not any(map(str.strip, cells))


def _data_rows(
    source: Callable[[], Generator[TableRow, None, None]],
    header_row: int,
    limits: IngestLimits,
    where: dict[str, Any],
) -> Iterator[TableRow]:
    """Stream the rows after the header, trimmed of trailing empty cells, within the limits."""
    seen = 0
    for row in source():
        if row.number <= header_row:
            continue
        cells = row.cells
        while cells and not cells[-1]:
            cells.pop()
        if len(cells) > limits.max_columns:
            raise IngestError(
                f"{where['file']}: row {row.number} has {len(cells):,} columns; "
                f"at most {limits.max_columns:,} are accepted.",
                code="too_many_columns",
                row=row.number,
                **where,
            )
        if cells and not _is_blank(cells):
            seen += 1
            if seen > limits.max_rows:
                raise IngestError(
                    f"{where['file']} has more than {limits.max_rows:,} data rows "
                    f"(row {row.number} is over the limit); split the file and upload the parts.",
                    code="too_many_rows",
                    row=row.number,
                    **where,
                )
        yield row


def _header(
    source: Callable[[], Generator[TableRow, None, None]],
    limits: IngestLimits,
    where: dict[str, Any],
    header_row: int | None,
) -> tuple[int, tuple[str, ...]]:
    """Find the header: the given row, else the first row naming two or more columns.

    Exports often start with a title line ("Vendor list - 2024"); a row with a single value
    is taken as the header only when none of the first rows has more (a one-column list).
    """
    with closing(source()) as rows:
        candidates: list[TableRow] = []
        for row in rows:
            if header_row is not None and row.number < header_row:
                continue
            cells = row.cells
            while cells and not cells[-1].strip():
                cells.pop()
            filled = sum(1 for cell in cells if cell.strip())
            if header_row is not None or filled >= 2:
                return _header_names(row, limits, where)
            if filled:
                candidates.append(row)
                if len(candidates) >= HEADER_SEARCH_ROWS:
                    break
    if candidates:
        return _header_names(candidates[0], limits, where)
    sheet = f" (sheet {where['sheet']!r})" if where.get("sheet") else ""
    if header_row is not None:
        raise IngestError(
            f"{where['file']}{sheet} has no row {header_row} to use as the header.",
            code="bad_header_row",
            row=header_row,
            **where,
        )
    raise IngestError(f"{where['file']}{sheet} has no rows with data.", code="empty_file", **where)


def _header_names(
    row: TableRow, limits: IngestLimits, where: dict[str, Any]
) -> tuple[int, tuple[str, ...]]:
    cells = row.cells
    if _is_blank(cells):
        raise IngestError(
            f"{where['file']}: row {row.number}, given as the header, is empty.",
            code="bad_header_row",
            row=row.number,
            **where,
        )
    if len(cells) > limits.max_columns:
        raise IngestError(
            f"{where['file']}: the header (row {row.number}) has {len(cells):,} columns; "
            f"at most {limits.max_columns:,} are accepted.",
            code="too_many_columns",
            row=row.number,
            **where,
        )
    return row.number, _letter_names(cells)


# CSV


def _csv_table(
    data: bytes, name: str, extension: str, header_row: int | None, limits: IngestLimits
) -> Table:
    for signature, advice in _SIGNATURES:
        if data.startswith(signature):
            raise IngestError(f"{name} {advice}.", code="not_text", file=name)
    encoding = detect_encoding(data)
    if encoding is None:
        first_nul = data.find(b"\x00")
        raise IngestError(
            f"{name} does not look like a text (CSV) file: it contains NUL bytes "
            f"(first at byte {first_nul:,}). If it is a spreadsheet, upload it as .xlsx.",
            code="not_text",
            file=name,
        )
    sample, truncated = _decode_sample(data, encoding)
    _refuse_binary(sample, name, data)
    delimiter = sniff_delimiter(sample, truncated, prefer="\t" if extension == ".tsv" else None)
    where: dict[str, Any] = {"file": name}

    def source() -> Generator[TableRow, None, None]:
        return _csv_records(data, encoding, delimiter, name)

    header_row, headers = _header(source, limits, where, header_row)
    _precheck_row_count(data, source, header_row, limits, name)
    return Table(
        filename=name,
        kind="csv",
        headers=headers,
        header_row=header_row,
        _open=lambda: _data_rows(source, header_row, limits, where),
        encoding=encoding,
        delimiter=delimiter,
        decimal_hint="," if delimiter == ";" else None,
    )


def detect_encoding(data: bytes) -> str | None:
    """Name the file's text encoding, or None when it holds NUL bytes outside UTF-16/32.

    A BOM decides; then BOM-less UTF-16 (every other byte NUL); then strict UTF-8 over the
    whole file; then Windows-1252, and Latin-1 (which decodes anything) as the last resort.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    head = data[:SAMPLE_BYTES]
    if len(head) >= 4:
        even, odd = head[0::2], head[1::2]
        if odd.count(0) >= 0.9 * len(odd) and even.count(0) <= 0.1 * len(even):
            return "utf-16-le" if _decodes(data, "utf-16-le") else None
        if even.count(0) >= 0.9 * len(even) and odd.count(0) <= 0.1 * len(odd):
            return "utf-16-be" if _decodes(data, "utf-16-be") else None
    if b"\x00" in data:
        return None
    for encoding in ("utf-8", "cp1252"):
        if _decodes(data, encoding):
            return encoding
    return "latin-1"


def _decodes(data: bytes, encoding: str) -> bool:
    """Tell whether the whole file decodes strictly, a chunk at a time (nothing is kept)."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    view = memoryview(data)
    try:
        for start in range(0, len(view), CHUNK_BYTES):
            decoder.decode(view[start : start + CHUNK_BYTES])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _decode_sample(data: bytes, encoding: str) -> tuple[str, bool]:
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    truncated = len(data) > SAMPLE_BYTES
    return decoder.decode(data[:SAMPLE_BYTES], final=not truncated), truncated


def _refuse_binary(sample: str, name: str, data: bytes) -> None:
    if "\x00" in sample:
        raise IngestError(
            f"{name} does not look like a text (CSV) file: it contains NUL characters.",
            code="not_text",
            file=name,
        )
    text = sample.lstrip("\ufeff")
    if not text.strip():
        if len(data) <= SAMPLE_BYTES:
            raise IngestError(f"{name} contains no data.", code="empty_file", file=name)
        raise IngestError(
            f"{name} starts with {SAMPLE_BYTES:,} bytes of blank space; "
            "it does not look like a supplier list.",
            code="not_text",
            file=name,
        )
    controls = _CONTROL.findall(text)
    if len(controls) > max(MIN_CONTROLS, MAX_CONTROL_SHARE * len(text)):
        raise IngestError(
            f"{name} does not look like a text (CSV) file: {len(controls):,} of its first "
            f"{len(text):,} characters are control characters (first: {controls[0]!r}). "
            "If it is a spreadsheet, upload it as .xlsx.",
            code="not_text",
            file=name,
        )


def sniff_delimiter(sample: str, truncated: bool = False, prefer: str | None = None) -> str:
    """Choose the delimiter among comma, semicolon, tab and pipe.

    csv.Sniffer proposes; counting decides: each candidate parses the sample, and the one
    under which most rows share the same number of columns (at least two) wins, so a title
    line above the header does not mislead it. Ties go to the Sniffer's choice, then to
    `prefer` (tab for .tsv), then to the one giving more columns. A file with a single column
    gets a delimiter its text does not contain.
    """
    lines = sample.splitlines(keepends=True)
    if truncated and len(lines) > 1:
        lines = lines[:-1]  # the sample may end mid-row
    text = "".join(lines[: SNIFF_LINES * 2])
    try:
        sniffed: str | None = csv.Sniffer().sniff(text, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        sniffed = None
    scores: dict[str, tuple[float, int]] = {}
    for delimiter in DELIMITERS:
        rows = [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if row]
        if truncated and len(rows) > 1:
            rows = rows[:-1]  # a quoted newline may have been cut in half
        widths = Counter(len(row) for row in rows[:SNIFF_LINES])
        (width, count), *_ = sorted(widths.items(), key=lambda item: (-item[1], -item[0]))
        if width >= 2:
            scores[delimiter] = (count / widths.total(), width)
    if not scores:
        # One column: pick a delimiter the text never uses, so "Acme, Inc." stays one cell.
        unused = [d for d in (prefer, *DELIMITERS) if d and d not in text]
        return unused[0] if unused else prefer or ","
    best = max(share for share, _ in scores.values())
    tied = [delimiter for delimiter, (share, _) in scores.items() if share >= best - 1e-9]
    for choice in (sniffed, prefer):
        if choice in tied:
            return choice
    return max(tied, key=lambda delimiter: scores[delimiter][1])


def _csv_records(
    data: bytes, encoding: str, delimiter: str, name: str
) -> Generator[TableRow, None, None]:
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    lines: Iterable[str] = stream
    if encoding.startswith("utf-16") or encoding.startswith("utf-32"):
        lines = _refuse_nul(stream, name)  # other encodings were checked on the raw bytes
    reader = csv.reader(lines, delimiter=delimiter)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            yield TableRow(number, cells)
    except csv.Error as exc:
        raise IngestError(
            f"{name}: row {number + 1} cannot be read as CSV ({exc}).",
            code="bad_csv",
            file=name,
            row=number + 1,
        ) from exc


def _refuse_nul(lines: Iterable[str], name: str) -> Iterator[str]:
    for line in lines:
        if "\x00" in line:
            raise IngestError(
                f"{name} contains NUL characters; it does not look like a text file.",
                code="not_text",
                file=name,
            )
        yield line


def _precheck_row_count(
    data: bytes,
    source: Callable[[], Generator[TableRow, None, None]],
    header_row: int,
    limits: IngestLimits,
    name: str,
) -> None:
    """Refuse an over-long CSV before streaming starts, counting rows only when it may be one."""
    # Every row but perhaps the last ends with a line break, and in every encoding we accept a
    # line break holds the byte 0x0A or 0x0D, so this bounds the row count from above.
    breaks = max(data.count(b"\n"), data.count(b"\r"))
    unterminated = not data.rstrip(b"\x00").endswith((b"\n", b"\r"))
    if breaks + unterminated - header_row <= limits.max_rows:
        return
    count = sum(1 for row in source() if row.number > header_row and not _is_blank(row.cells))
    if count > limits.max_rows:
        raise IngestError(
            f"{name} has {count:,} data rows; at most {limits.max_rows:,} are accepted. "
            "Split the file and upload the parts.",
            code="too_many_rows",
            file=name,
        )


# JSON


def _json_table(data: bytes, name: str, limits: IngestLimits) -> Table:
    """Read a JSON list of objects, one per row (or {"rows": [...]}); keys are the columns.

    Values stay as written: numbers keep their digits ("1200.50"), true/false are words,
    null is an empty cell. Items are numbered from 1 (there is no header row to count).
    """
    encoding = detect_encoding(data)
    if encoding is None:
        raise IngestError(f"{name} is not a text (JSON) file.", code="not_text", file=name)
    try:
        document = json.loads(
            data.decode(encoding), parse_float=str, parse_int=str, parse_constant=str
        )
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        where = (
            f" at line {line}, column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
        )
        raise IngestError(
            f"{name} is not valid JSON{where}: {getattr(exc, 'msg', exc)}.",
            code="bad_json",
            file=name,
            row=line,
        ) from None
    items = document.get("rows") if isinstance(document, dict) else document
    if not isinstance(items, list):
        raise IngestError(
            f'{name}: expected a JSON list of objects, one per row (or {{"rows": [...]}}).',
            code="bad_json",
            file=name,
        )
    keys: dict[str, int] = {}
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise IngestError(
                f"{name}: item {number} is a {type(item).__name__}, not an object "
                '({"Supplier": ..., "Country": ...}).',
                code="bad_json",
                file=name,
                row=number,
            )
        for key, value in item.items():
            if isinstance(value, dict | list):
                raise IngestError(
                    f"{name}: item {number}, {key!r} holds a nested {type(value).__name__}; "
                    "give one plain value per key.",
                    code="bad_json",
                    file=name,
                    row=number,
                    column=key,
                )
            keys.setdefault(key, len(keys))
        if len(keys) > limits.max_columns:
            raise IngestError(
                f"{name}: the items have {len(keys):,} different keys; at most "
                f"{limits.max_columns:,} columns are accepted.",
                code="too_many_columns",
                file=name,
                row=number,
            )
    rows = [item for item in items if any(_json_cell(value).strip() for value in item.values())]
    if not rows:
        raise IngestError(f"{name} has no rows with data.", code="empty_file", file=name)
    if len(rows) > limits.max_rows:
        raise IngestError(
            f"{name} has {len(rows):,} data rows; at most {limits.max_rows:,} are accepted. "
            "Split the file and upload the parts.",
            code="too_many_rows",
            file=name,
        )
    order = list(keys)

    def source() -> Iterator[TableRow]:
        for number, item in enumerate(items, start=1):
            yield TableRow(number, [_json_cell(item.get(key)) for key in order])

    return Table(
        filename=name,
        kind="json",
        headers=_letter_names(order),
        header_row=0,
        _open=source,
        encoding=encoding,
    )


def _json_cell(value: Any) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    return str(value)


# XLSX


def _check_zip(data: bytes, name: str, limits: IngestLimits) -> None:
    """Refuse damaged, foreign or bomb-like archives before openpyxl opens them."""
    if data.startswith(_SIGNATURES[1][0]):
        raise IngestError(f"{name} {_SIGNATURES[1][1]}.", code="not_xlsx", file=name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise IngestError(
            f"{name} is not a readable .xlsx workbook: the file is damaged or truncated "
            f"({exc}). Save it again from Excel and re-upload it.",
            code="corrupt_xlsx",
            file=name,
        ) from exc
    if "xl/workbook.xml" not in {member.filename for member in members}:
        raise IngestError(
            f"{name} is a ZIP archive but not an Excel workbook (no xl/workbook.xml).",
            code="not_xlsx",
            file=name,
        )
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise IngestError(
                f"{name} is encrypted ({member.filename}); save it without a password.",
                code="not_xlsx",
                file=name,
            )
        total += member.file_size
        if member.file_size and (
            member.compress_size == 0
            or member.file_size / member.compress_size > limits.max_compression_ratio
        ):
            ratio = member.file_size / max(member.compress_size, 1)
            raise IngestError(
                f"{name} looks like a ZIP bomb: {member.filename} would expand "
                f"{ratio:,.0f} times (from {_size(member.compress_size)} to "
                f"{_size(member.file_size)}); at most {limits.max_compression_ratio:,.0f} "
                "times is accepted.",
                code="zip_bomb",
                file=name,
                member=member.filename,
            )
    if total > limits.max_uncompressed_bytes:
        raise IngestError(
            f"{name} would expand to {_size(total)} when opened; at most "
            f"{_size(limits.max_uncompressed_bytes)} is accepted.",
            code="zip_bomb",
            file=name,
        )


def _open_workbook(data: bytes, name: str, limits: IngestLimits) -> Any:
    if len(data) > limits.max_bytes:
        raise IngestError(
            f"{name} is {_size(len(data))}; files up to {_size(limits.max_bytes)} are accepted.",
            code="file_too_large",
            file=name,
        )
    if not data:
        raise IngestError(f"{name} is empty (0 bytes).", code="empty_file", file=name)
    _check_zip(data, name, limits)
    try:
        # openpyxl warns about harmless quirks of ERP-generated files ("no default style");
        # the caller's warning filters (pytest's "error" included) must not turn those into
        # failures. catch_warnings is process-wide, but only this synchronous call runs in it.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(
                io.BytesIO(data), read_only=True, data_only=True, keep_links=False
            )
    except Exception as exc:  # openpyxl raises a zoo of types for damaged parts; all mean one thing
        raise IngestError(
            f"{name} is not a readable .xlsx workbook ({type(exc).__name__}: {exc}). "
            "Save it again from Excel and re-upload it.",
            code="corrupt_xlsx",
            file=name,
        ) from exc


def _sheet_rows(workbook: Any, name: str, sheet: str) -> Generator[TableRow, None, None]:
    number = 0
    try:
        worksheet = workbook[sheet]
        worksheet.reset_dimensions()  # a stale <dimension> would otherwise cut rows or columns
        for number, cells in enumerate(worksheet.iter_rows(min_row=1, min_col=1), start=1):
            yield TableRow(number, [cell_text(cell) for cell in cells])
    except IngestError:
        raise
    except Exception as exc:  # see _open_workbook: damage shows up as any exception type
        raise IngestError(
            f"{name}: sheet {sheet!r} is damaged after row {number} "
            f"({type(exc).__name__}: {exc}). Save it again from Excel and re-upload it.",
            code="corrupt_xlsx",
            file=name,
            sheet=sheet,
            row=number + 1,
        ) from exc


def _xlsx_table(
    data: bytes, name: str, sheet: str | None, header_row: int | None, limits: IngestLimits
) -> Table:
    # The table keeps the read-only workbook: loading one parses its shared strings and, for
    # files written without a <dimension>, every sheet in full, so each rows() call reuses
    # it. It holds only memory (the archive is the BytesIO of `data`), freed with the table.
    workbook = _open_workbook(data, name, limits)
    chosen, header_row, headers = _choose_sheet(workbook, name, sheet, header_row, limits)
    where: dict[str, Any] = {"file": name, "sheet": chosen}
    source = partial(_sheet_rows, workbook, name, chosen)
    return Table(
        filename=name,
        kind="xlsx",
        headers=headers,
        header_row=header_row,
        _open=lambda: _data_rows(source, header_row, limits, where),
        sheet=chosen,
    )


def _choose_sheet(
    workbook: Any, name: str, sheet: str | None, header_row: int | None, limits: IngestLimits
) -> tuple[str, int, tuple[str, ...]]:
    """Return the sheet to read (the named one, or the first with data) and its header."""
    titles = [worksheet.title for worksheet in workbook.worksheets]
    if sheet is None:
        candidates = titles
    else:
        candidates = [title for title in titles if title == sheet] or [
            title for title in titles if title.casefold() == sheet.strip().casefold()
        ]
        if len(candidates) != 1:
            listed = ", ".join(repr(title) for title in titles)
            raise IngestError(
                f"{name} has no sheet named {sheet!r}; its sheets are {listed}.",
                code="unknown_sheet",
                file=name,
                sheet=sheet,
            )
    for title in candidates:
        where = {"file": name, "sheet": title}
        try:
            found, headers = _header(
                partial(_sheet_rows, workbook, name, title), limits, where, header_row
            )
        except IngestError as error:
            if sheet is None and error.code == "empty_file":
                continue
            raise
        return title, found, headers
    raise IngestError(f"{name} has no worksheet with data.", code="empty_file", file=name)


def cell_text(cell: Any) -> str:
    """Render an openpyxl cell as the text the user sees, without float noise.

    Numbers formatted with zeros only ("000000", "0000.00") keep their padding, so an HS code
    typed as 090111 into a cell formatted "000000" reads "090111", not "90111".
    """
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        text = number_text(value)
        padding = _ZERO_FORMAT.fullmatch(cell.number_format or "")
        return _pad(text, padding) if padding else text
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def number_text(value: int | float) -> str:
    """Render a number plainly: 1234.0 -> "1234", 0.1 + 0.2 -> "0.3", 1e-7 -> "0.0000001"."""
    if isinstance(value, int):
        return str(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    # Excel shows 15 significant digits; more would only be binary noise.
    return format(Decimal(format(value, ".15g")), "f")


def _pad(text: str, padding: re.Match[str]) -> str:
    decimals = len(padding.group(2) or "")
    sign = "-" if text.startswith("-") else ""
    number = format(Decimal(text.lstrip("-")), f".{decimals}f")
    whole, _, fraction = number.partition(".")
    whole = whole.zfill(len(padding.group(1)))
    return sign + whole + ("." + fraction if fraction else "")
