"""Turn table rows into plain records with their problems attached, and problems into a CSV.

Nothing is dropped silently: every row with any text becomes a Record, problems and all;
completely empty rows between data rows are skipped and counted in the summary.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from typing import NamedTuple

from openpyxl.utils import get_column_letter

from supplychain.ingest.columns import FIELDS, ColumnMapping
from supplychain.ingest.errors import IngestError
from supplychain.ingest.reading import Table
from supplychain.ingest.safe_cells import neutralise
from supplychain.ingest.values import (
    currency_code,
    decimal_evidence,
    parse_amount,
    parse_quantity,
    parse_tier,
)

MAX_CELL_CHARS = 2000
CLEAN_CACHE_SIZE = 100_000  # distinct cell texts remembered while folding whitespace
PROBLEM_VALUE_CHARS = 200  # a problem quotes at most this much of the offending cell
DECIMAL_SAMPLE_ROWS = 1000  # rows read ahead to learn a column's decimal separator
TEXT_FIELDS = (
    "supplier_name",
    "supplier_id",
    "country",
    "address",
    "product_description",
    "hs_code",
    "unit",
)


@dataclass(frozen=True, slots=True)
class RowProblem:
    """Something wrong in one row, said so the person can find and fix it in their file."""

    row_number: int
    column: str | None  # the user's header, or None for a row-level problem
    field: str | None  # the canonical field, when the column feeds one
    value: str
    reason: str
    code: str  # stable, for translation and counting: "bad_spend", "unknown_currency", ...


class Record(NamedTuple):
    """One supplier/product line as the engine sees it, with the user's row kept beside it.

    A named tuple rather than a frozen dataclass, as immutable and read the same way: a
    frozen dataclass sets each of its fifteen fields through object.__setattr__, which cost
    three seconds of a million-row upload; a tuple is made in one step.
    """

    row_number: int  # as in the spreadsheet: the header is row 1, the first data row row 2
    headers: tuple[str, ...]  # shared by every record of a table
    cells: tuple[str, ...]  # every cell of the row as read, mapped or not
    supplier_name: str | None = None
    supplier_id: str | None = None
    country: str | None = None
    address: str | None = None
    product_description: str | None = None
    hs_code: str | None = None
    spend: Decimal | None = None
    currency: str | None = None
    quantity: Decimal | None = None
    unit: str | None = None
    tier: int | None = None
    problems: tuple[RowProblem, ...] = ()

    @property
    def values(self) -> dict[str, str]:
        """Return every column of the row by the user's header, as read."""
        return dict(zip(self.headers, self.cells, strict=True))


@dataclass
class IngestSummary:
    """Counts for the progress bar and the upload report; complete once iteration ends."""

    rows_read: int = 0  # data rows seen, empty ones included
    records: int = 0
    empty_rows_skipped: int = 0  # empty rows followed by data (trailing blank rows not counted)
    rows_with_problems: int = 0
    problems: Counter[str] = field(default_factory=Counter)  # by RowProblem.code
    finished: bool = False


class RecordStream(Iterator[Record]):
    """The records of a table, streamed; `summary` fills in as they are read."""

    def __init__(self, table: Table, reader: _RowReader, summary: IngestSummary):
        self.table = table
        self.summary = summary
        self._records = self._generate(reader)

    def __iter__(self) -> RecordStream:
        return self

    def __next__(self) -> Record:
        return next(self._records)

    def _generate(self, reader: _RowReader) -> Iterator[Record]:
        summary = self.summary
        pending_empty = 0
        for number, cells in self.table.rows():
            summary.rows_read += 1
            if not any(map(str.strip, cells)):
                pending_empty += 1
                continue
            summary.empty_rows_skipped += pending_empty
            pending_empty = 0
            record = reader.read(number, cells)
            summary.records += 1
            if record.problems:
                summary.rows_with_problems += 1
                summary.problems.update(item.code for item in record.problems)
            yield record
        summary.finished = True


def records(
    table: Table,
    mapping: ColumnMapping,
    *,
    default_currency: str | None = None,
    max_cell_chars: int = MAX_CELL_CHARS,
) -> RecordStream:
    """Stream the table's rows as Records, each carrying its problems.

    `default_currency` (an ISO code, say the organisation's) applies to spend with no
    currency anywhere, and settles "$" or "¥". Raises IngestError if the mapping was made for
    other headers, and while streaming if the table hits a limit or is damaged.
    """
    _check_headers(table, mapping)
    if default_currency is not None:
        default_currency = currency_code(default_currency)
    reader = _RowReader(table, mapping, default_currency, max_cell_chars)
    return RecordStream(table, reader, IngestSummary())


class TextStream(Iterator[tuple[str | None, ...]]):
    """A few text fields of each non-empty row, cleaned exactly as `records` cleans them.

    For a first pass over a file that needs only names, countries and products (no amounts,
    no problems): it reads the same rows as `records` at a fraction of the cost. `rows_read`
    and `records` count as IngestSummary's do, complete after iteration.
    """

    def __init__(self, table: Table, mapping: ColumnMapping, names: tuple[str, ...]):
        _check_headers(table, mapping)
        self.table = table
        self.columns = [mapping.column(name) for name in names]
        self.rows_read = 0
        self.records = 0
        self._fields = self._generate()

    def __iter__(self) -> TextStream:
        return self

    def __next__(self) -> tuple[str | None, ...]:
        return next(self._fields)

    def _generate(self) -> Iterator[tuple[str | None, ...]]:
        clean: dict[str, str] = {}
        columns = self.columns
        for _number, cells in self.table.rows():
            self.rows_read += 1
            if not any(map(str.strip, cells)):
                continue
            self.records += 1
            width = len(cells)
            values: list[str | None] = []
            for column in columns:
                raw = cells[column] if column is not None and column < width else ""
                cleaned = clean.get(raw)
                if cleaned is None:  # as _RowReader.read: whitespace folded, empty is None
                    cleaned = " ".join(raw.split())
                    if len(clean) >= CLEAN_CACHE_SIZE:
                        clean.clear()
                    clean[raw] = cleaned
                values.append(cleaned or None)
            yield tuple(values)


def text_fields(table: Table, mapping: ColumnMapping, names: tuple[str, ...]) -> TextStream:
    """Stream the named text fields (supplier_name, country, ...) of each non-empty row."""
    unknown = [name for name in names if name not in TEXT_FIELDS]
    if unknown:
        raise ValueError(f"{unknown[0]!r} is not a text field ({', '.join(TEXT_FIELDS)})")
    return TextStream(table, mapping, names)


def _check_headers(table: Table, mapping: ColumnMapping) -> None:
    if tuple(mapping.headers) != tuple(table.headers):
        raise IngestError(
            f"{table.filename}: the column mapping was made for other columns; "
            "map this file's columns again (explicit_mapping re-applies a saved one).",
            code="bad_mapping",
            file=table.filename,
        )


class _RowReader:
    """Read one non-empty row into a Record; set up once per table."""

    def __init__(
        self,
        table: Table,
        mapping: ColumnMapping,
        default_currency: str | None,
        max_cell_chars: int,
    ):
        self.headers = table.headers
        self.mapping = mapping
        self.default_currency = default_currency
        self.max_cell_chars = max_cell_chars
        self.text_columns = [
            (name, column) for name in TEXT_FIELDS if (column := mapping.column(name)) is not None
        ]
        self.spend = mapping.column("spend")
        self.currency = mapping.column("currency")
        self.quantity = mapping.column("quantity")
        self.tier = mapping.column("tier")
        self.clean: dict[str, str] = {}  # names and countries repeat: fold each value once
        self.spend_decimal, self.quantity_decimal = _decimal_separators(
            table, (self.spend, self.quantity)
        )

    def problem(
        self, number: int, cells: list[str], column: int | None, reason: str, code: str
    ) -> RowProblem:
        """Describe a problem in the user's words: their header, their value."""
        if column is None:
            return RowProblem(number, None, None, "", reason, code)
        value = cells[column]
        if len(value) > PROBLEM_VALUE_CHARS:
            value = value[: PROBLEM_VALUE_CHARS - 1] + "…"
        header = _header_name(self.headers, column)
        return RowProblem(number, header, _field_of(self.mapping, column), value, reason, code)

    def read(self, number: int, cells: list[str]) -> Record:
        headers = self.headers
        width = len(headers)
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        problems: list[RowProblem] = []
        if len(cells) > width:
            headers = headers + tuple(
                _header_name(headers, column) for column in range(width, len(cells))
            )
            reason = (
                f"the row has {len(cells)} cells but the header has {width}; a value may "
                "contain an unquoted separator, which shifts the columns"
            )
            problems.append(self.problem(number, cells, len(cells) - 1, reason, "extra_cells"))
        if max(map(len, cells)) > self.max_cell_chars:
            for column, cell in enumerate(cells):
                if len(cell) > self.max_cell_chars:
                    reason = (
                        f"the cell has {len(cell):,} characters; at most "
                        f"{self.max_cell_chars:,} are expected"
                    )
                    problems.append(self.problem(number, cells, column, reason, "overlong_cell"))

        text: dict[str, str] = {}
        clean = self.clean
        for name, column in self.text_columns:
            raw = cells[column]
            cleaned = clean.get(raw)
            if cleaned is None:
                cleaned = " ".join(raw.split())
                if len(clean) >= CLEAN_CACHE_SIZE:
                    clean.clear()
                clean[raw] = cleaned
            if cleaned:
                text[name] = cleaned
        if "supplier_name" not in text and "product_description" not in text:
            reason = "the row has neither a supplier name nor a product description"
            problems.append(self.problem(number, cells, None, reason, "missing_identity"))

        spend, currency = self._money(number, cells, problems)
        quantity = None
        if self.quantity is not None and (raw := cells[self.quantity].strip()):
            try:
                quantity, unit = parse_quantity(raw, self.quantity_decimal)
            except ValueError as exc:
                problems.append(
                    self.problem(number, cells, self.quantity, str(exc), "bad_quantity")
                )
            else:
                if unit and "unit" not in text:
                    text["unit"] = unit  # "12 kg" in a quantity column with no unit given
        tier = None
        if self.tier is not None and (raw := cells[self.tier].strip()):
            try:
                tier = parse_tier(raw)
            except ValueError as exc:
                problems.append(self.problem(number, cells, self.tier, str(exc), "bad_tier"))

        get = text.get
        return Record(
            number,
            headers,
            tuple(cells),
            get("supplier_name"),
            get("supplier_id"),
            get("country"),
            get("address"),
            get("product_description"),
            get("hs_code"),
            spend,
            currency,
            quantity,
            get("unit"),
            tier,
            tuple(problems),
        )

    def _money(
        self, number: int, cells: list[str], problems: list[RowProblem]
    ) -> tuple[Decimal | None, str | None]:
        """Read the spend and its currency: currency column, else cell marker, else header."""
        spend = marked = stated = None
        if self.spend is not None and (raw := cells[self.spend].strip()):
            try:
                spend, marker = parse_amount(raw, self.spend_decimal)
            except ValueError as exc:
                problems.append(self.problem(number, cells, self.spend, str(exc), "bad_spend"))
            else:
                if marker:
                    try:
                        marked = currency_code(marker, self.default_currency)
                    except ValueError as exc:
                        problems.append(
                            self.problem(number, cells, self.spend, str(exc), "unknown_currency")
                        )
        if self.currency is not None and (raw := cells[self.currency].strip()):
            try:
                stated = currency_code(raw, self.default_currency)
            except ValueError as exc:
                problems.append(
                    self.problem(number, cells, self.currency, str(exc), "unknown_currency")
                )
        if stated and marked and stated != marked:
            reason = f"the amount is marked {marked} but the currency column says {stated}"
            problems.append(self.problem(number, cells, self.spend, reason, "currency_conflict"))
        currency = stated or marked
        if currency is None and spend is not None:
            currency = self.mapping.currency_hint or self.default_currency
        return spend, currency


def _header_name(headers: tuple[str, ...], column: int) -> str:
    if column < len(headers):
        return headers[column]
    name = f"Column {get_column_letter(column + 1)}"
    return name if name not in headers else f"{name} (beyond the header)"


def _field_of(mapping: ColumnMapping, column: int) -> str | None:
    return next((name for name, c in mapping.choices.items() if c.column == column), None)


def _decimal_separators(table: Table, columns: tuple[int | None, ...]) -> list[str | None]:
    """Learn numeric columns' decimal separators from the values that show them unambiguously.

    "1 234,56" proves a decimal comma, "1,234.56" a decimal point; the majority over the first
    rows settles values like "1.234" that could be read either way. With no evidence, the
    table's hint (a semicolon-separated CSV suggests a decimal comma) is used.
    """
    votes: list[Counter[str]] = [Counter() for _ in columns]
    if any(column is not None for column in columns):
        for row in islice(table.rows(), DECIMAL_SAMPLE_ROWS):
            for column, counter in zip(columns, votes, strict=True):
                if (
                    column is not None
                    and column < len(row.cells)
                    and (evidence := decimal_evidence(row.cells[column]))
                ):
                    counter[evidence] += 1
    separators: list[str | None] = []
    for column, counter in zip(columns, votes, strict=True):
        ranked = counter.most_common(2)
        if column is None:
            separators.append(None)
        elif ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            separators.append(ranked[0][0])
        else:
            separators.append(table.decimal_hint)
    return separators


PROBLEM_COLUMNS = ("Row", "Column", "Field", "Value", "Problem", "Code")


def problems_csv(problems: Iterable[RowProblem]) -> bytes:
    """Write problems as a CSV for people to open in Excel, safe from formula injection.

    UTF-8 with a BOM so Excel shows accents; every text cell neutralised (safe_cells).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(PROBLEM_COLUMNS)
    for item in problems:
        label = FIELDS[item.field].label_en if item.field in FIELDS else ""
        writer.writerow(
            [
                item.row_number,
                neutralise(item.column or ""),
                label,
                neutralise(item.value),
                neutralise(item.reason),
                item.code,
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")
