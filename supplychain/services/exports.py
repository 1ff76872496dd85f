"""Downloads of an assessment's lines (CSV, XLSX, JSON) and of the audit trail, streamed.

Each line is written with the values as uploaded (every column, in the file's order), then
what they matched, the scores, bands and the reasons (the strongest factors, as text). Text
cells that a spreadsheet could run as a formula (= + - @ ...) are neutralised
(`ingest.safe_cells`); numbers stay numbers. Lines are read a chunk at a time in row order,
so a million-line assessment is never held in memory.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from typing import IO, Any

import sqlalchemy as sa
from flask import has_request_context, stream_with_context
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from supplychain.extensions import db
from supplychain.ingest import neutralise, safe_row
from supplychain.models.assessments import (
    Assessment,
    AssessmentLine,
    AssessmentMatch,
    AssessmentScore,
    Upload,
)
from supplychain.services.assessments import line_item, model_info, summary
from supplychain.services.judgements import audit_log

CHUNK = 5_000
XLSX_SHEET = "Lines"
SPOOL_BYTES = 32 * 1024 * 1024  # an XLSX export is built in memory up to this, then on disk
RESULT_COLUMNS = (
    "Supplier match",
    "Supplier match decision",
    "Supplier list",
    "Good",
    "Good match decision",
    "Country (ISO3)",
    "Country match decision",
    "Forced labour score",
    "Forced labour band",
    "Child labour score",
    "Child labour band",
    "Band",
    "Confidence",
    "Insufficient data",
    "Reasons",
    "Problems",
    "Extra cells",
)
AUDIT_COLUMNS = ("When", "Action", "User", "Token", "Target", "Target id", "Detail")
PROBLEM_COLUMNS = ("Row", "Column", "Field", "Value", "Reason", "Code")


def _streamed(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Keep the request's contexts alive while a response streams (no-op outside requests)."""
    return stream_with_context(chunks) if has_request_context() else chunks


def original_headers(assessment: Assessment) -> list[str]:
    """Return the uploaded file's headers, in its order."""
    upload = db.session.scalar(
        sa.select(Upload).where(
            Upload.id == assessment.upload_id,
            Upload.organisation_id == assessment.organisation_id,
        )
    )
    headers = list(((upload.mapping or {}).get("headers") or []) if upload else [])
    return headers


def iter_items(assessment: Assessment) -> Iterator[dict[str, Any]]:
    """Yield every line's item in row order, a chunk of lines per query."""
    matches: dict[int, AssessmentMatch] = {}
    scores: dict[int, AssessmentScore] = {}
    last = None
    line = AssessmentLine
    while True:
        query = (
            sa.select(line)
            .where(
                line.assessment_id == assessment.id,
                line.organisation_id == assessment.organisation_id,
            )
            .order_by(line.row_number)
            .limit(CHUNK)
        )
        if last is not None:
            query = query.where(line.row_number > last)
        lines = list(db.session.scalars(query))
        if not lines:
            return
        _fetch(assessment, AssessmentMatch, matches, lines, _match_ids)
        _fetch(assessment, AssessmentScore, scores, lines, lambda item: (item.score_id,))
        last = lines[-1].row_number
        for item in lines:
            db.session.expunge(item)  # written out next: the session need not keep them
        for item in lines:
            yield line_item(item, matches, scores)
        if len(matches) > 100_000:  # all-distinct lists: keep the caches bounded
            matches.clear()
        if len(scores) > 100_000:
            scores.clear()


def _match_ids(line: AssessmentLine) -> tuple[int | None, ...]:
    return (line.good_match_id, line.country_match_id, line.supplier_match_id)


def _fetch(
    assessment: Assessment,
    model: Any,
    cache: dict[int, Any],
    lines: Sequence[AssessmentLine],
    ids_of: Any,
) -> None:
    missing = sorted({i for line in lines for i in ids_of(line) if i is not None} - cache.keys())
    for start in range(0, len(missing), 500):
        query = sa.select(model).where(
            model.assessment_id == assessment.id, model.id.in_(missing[start : start + 500])
        )
        for row in db.session.scalars(query):
            cache[row.id] = row
            db.session.expunge(row)


def _match_cells(match: Mapping[str, Any] | None) -> tuple[str, str]:
    if match is None:
        return "", ""
    return match.get("name") or "", match["decision"]


def export_row(item: Mapping[str, Any], headers: Sequence[str]) -> list[Any]:
    """Return one line as export cells: original values, then the results (not neutralised)."""
    original = item["original"] or {}
    # Cells beyond the header (a shifted row) go in one column, so every row lines up.
    extra = " | ".join(f"{key}: {value}" for key, value in original.items() if key not in headers)
    supplier = item["matches"]["supplier"]
    good = item["matches"]["good"]
    country = item["matches"]["country"]
    problems = "; ".join(
        f"{p['column'] + ': ' if p.get('column') else ''}{p['reason']}" for p in item["problems"]
    )
    return [
        item["row_number"],
        *(original.get(header, "") for header in headers),
        *_match_cells(supplier),
        (supplier or {}).get("list") or "",
        *_match_cells(good),
        item["country_iso3"] or "",
        (country or {}).get("decision", ""),
        item["forced_labour"],
        item["forced_labour_band"] or "",
        item["child_labour"],
        item["child_labour_band"] or "",
        item["band"] or "",
        item["confidence"],
        "yes" if item["insufficient_data"] else "no",
        " | ".join(item["reasons"]),
        problems,
        extra,
    ]


def header_row(headers: Sequence[str]) -> list[str]:
    """Return the export's header: Row, the file's own headers, then the result columns."""
    return ["Row", *headers, *RESULT_COLUMNS]


def iter_rows(assessment: Assessment) -> Iterator[list[Any]]:
    """Yield the header and every line's export cells, neutralised, in row order."""
    headers = original_headers(assessment)
    yield safe_row(header_row(headers))
    for item in iter_items(assessment):
        yield safe_row(export_row(item, headers))


def lines_csv(assessment: Assessment) -> Iterator[bytes]:
    """Stream the lines as CSV: UTF-8 with a BOM (Excel then shows accents), CRLF rows."""

    def chunks() -> Iterator[bytes]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        yield "\ufeff".encode()
        for count, row in enumerate(iter_rows(assessment), start=1):
            writer.writerow(row)
            if count % 1000 == 0:
                yield buffer.getvalue().encode("utf-8")
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue().encode("utf-8")

    return _streamed(chunks())


def write_xlsx(assessment: Assessment, out: IO[bytes]) -> None:
    """Write the lines as an Excel workbook (write-only mode: rows go straight to disk)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(XLSX_SHEET)
    rows = iter_rows(assessment)
    header = next(rows)
    sheet.freeze_panes = "B2"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    about = workbook.create_sheet("About")
    for name, value in _about(assessment):
        cell = WriteOnlyCell(about, value=neutralise(value) if isinstance(value, str) else value)
        about.append([name, cell])
    workbook.save(out)


def _about(assessment: Assessment) -> list[tuple[str, Any]]:
    model = model_info(assessment)
    totals = summary(assessment)
    return [
        ("Assessment", assessment.id),
        ("Status", assessment.status),
        ("Finished", assessment.finished_at.isoformat() if assessment.finished_at else ""),
        ("Model", f"{model['name']} ({model['profile']})"),
        ("Reference data", model["reference_version"]),
        ("Lines", totals.get("lines", 0)),
        ("Reasons", "The strongest factors of each line's score, strongest first."),
        (
            "Insufficient data",
            "Missing product or origin is not low risk: such lines are raised to Medium.",
        ),
    ]


def lines_xlsx(assessment: Assessment) -> Iterator[bytes]:
    """Build the Excel export (in memory, or on disk once large) and stream its bytes."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (closed below)
    try:
        write_xlsx(assessment, spool)
        spool.seek(0)
    except BaseException:
        spool.close()
        raise

    def chunks() -> Iterator[bytes]:
        with spool:
            while block := spool.read(1024 * 1024):
                yield block

    return chunks()


def lines_json(assessment: Assessment) -> Iterator[bytes]:
    """Stream the assessment as one JSON document: about, summary and every line's item."""

    def chunks() -> Iterator[bytes]:
        head = {
            "id": assessment.id,
            "status": assessment.status,
            "model": model_info(assessment),
            "summary": summary(assessment),
        }
        text = json.dumps(head, ensure_ascii=False, default=str)
        yield (text[:-1] + ', "lines": [').encode()
        for count, item in enumerate(iter_items(assessment)):
            prefix = "," if count else ""
            yield (prefix + json.dumps(item, ensure_ascii=False, default=str)).encode()
        yield b"]}"

    return _streamed(chunks())


def write_export(assessment: Assessment, path: str) -> str:
    """Write an export to a file chosen by its extension (.csv, .xlsx or .json); return format."""
    lower = path.lower()
    if lower.endswith(".xlsx"):
        with open(path, "wb") as out:
            write_xlsx(assessment, out)
        return "xlsx"
    chunks = lines_json(assessment) if lower.endswith(".json") else lines_csv(assessment)
    with open(path, "wb") as out:
        for block in chunks:
            out.write(block)
    return "json" if lower.endswith(".json") else "csv"


def problem_lines(
    assessment: Assessment, *, after: int | None = None, limit: int | None = None
) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """Yield (row number, problems) of every line with problems, in row order, after a row.

    Read a chunk at a time on the (assessment, row) index; a list with no problem costs one
    pass over its lines.
    """
    line = AssessmentLine
    last, given = after, 0
    while limit is None or given < limit:
        query = (
            sa.select(line.row_number, line.problems)
            .where(
                line.assessment_id == assessment.id,
                line.organisation_id == assessment.organisation_id,
                line.problems.is_not(None),
            )
            .order_by(line.row_number)
            .limit(CHUNK if limit is None else min(CHUNK, limit - given))
        )
        if last is not None:
            query = query.where(line.row_number > last)
        rows = db.session.execute(query).all()
        if not rows:
            return
        for row_number, problems in rows:
            given += 1
            yield row_number, list(problems or [])
        last = rows[-1][0]


def problem_rows(assessment: Assessment) -> Iterator[dict[str, Any]]:
    """Yield every problem of every row: row number, column, field, value, reason and code."""
    for row_number, problems in problem_lines(assessment):
        for problem in problems:
            yield {
                "row_number": row_number,
                "column": problem.get("column"),
                "field": problem.get("field"),
                "value": problem.get("value"),
                "reason": problem.get("reason"),
                "code": problem.get("code"),
            }


def problems_csv(assessment: Assessment) -> Iterator[bytes]:
    """Stream the rows with problems as CSV (one row per problem), formula-safe."""

    def chunks() -> Iterator[bytes]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        yield "\ufeff".encode()
        writer.writerow(PROBLEM_COLUMNS)
        for count, problem in enumerate(problem_rows(assessment), start=1):
            writer.writerow(
                safe_row(
                    [
                        problem["row_number"],
                        problem["column"] or "",
                        problem["field"] or "",
                        problem["value"] if problem["value"] is not None else "",
                        problem["reason"] or "",
                        problem["code"] or "",
                    ]
                )
            )
            if count % 1000 == 0:
                yield buffer.getvalue().encode("utf-8")
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue().encode("utf-8")

    return _streamed(chunks())


def audit_csv(organisation_id: int) -> bytes:
    """Return the organisation's audit trail as CSV, newest first, formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(AUDIT_COLUMNS)
    for row in audit_log(organisation_id):
        writer.writerow(
            safe_row(
                [
                    row["created_at"],
                    row["action"],
                    row["user"] or "",
                    row["token"] or "",
                    row["target_type"] or "",
                    row["target_id"] or "",
                    json.dumps(row["detail"], ensure_ascii=False, sort_keys=True),
                ]
            )
        )
    return buffer.getvalue().encode("utf-8-sig")
