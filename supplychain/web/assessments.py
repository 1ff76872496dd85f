"""Pages of an organisation's assessments: upload, column mapping, progress, results, lines.

Views only translate between HTTP and the services (`supplychain.services.uploads`,
`pipeline`, `assessments`, `exports`); what a chart shows is decided here, how it is drawn is
in `templates/assessments/_charts.html`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from werkzeug.wrappers import Response as BaseResponse
from wtforms import SelectField

from supplychain import ingest
from supplychain.auth import require_org
from supplychain.downloads import attachment
from supplychain.errors import InvalidInput
from supplychain.extensions import db
from supplychain.ingest import FIELD_NAMES, FIELDS, IngestError
from supplychain.models.assessments import Assessment, Upload
from supplychain.services import assessments as assessment_service
from supplychain.services import exports, pipeline, uploads
from supplychain.services.access import Principal, get_scoped, scoped_select

bp = Blueprint("assessments", __name__)

BANDS = ("Low", "Medium", "High", "Critical")
BAND_CLASS = {band: f"band-{band.lower()}" for band in BANDS}
DIMENSIONS = (("forced_labour", "Forced labour"), ("child_labour", "Child labour"))
STAGES = {
    "queued": "Waiting to start",
    "reading": "Reading the file",
    "matching": "Matching goods, countries and suppliers",
    "scoring": "Scoring lines",
    "storing": "Saving results",
    "done": "Done",
}
PER_PAGE = 50
MAX_PER_PAGE = 500
FILTERS = assessment_service.FILTERS
DECISION_LABELS = (
    ("", "Any"),
    ("review", "Has a match to review"),
    ("settled", "No match left to review"),
    ("accepted", "Has an accepted match"),
    ("judged", "Decided by a person"),
    ("none", "Something matched nothing"),
    ("insufficient", "Insufficient data"),
)
PROBLEM_LABELS = {  # supplychain/ingest/convert.py RowProblem.code
    "missing_identity": "No supplier and no product",
    "bad_spend": "Spend not read",
    "unknown_currency": "Unknown currency",
    "currency_conflict": "Currency conflicts with the amount",
    "bad_quantity": "Quantity not read",
    "bad_tier": "Tier not read",
    "extra_cells": "More cells than headers",
    "overlong_cell": "Cell too long",
}
SORTS = {
    "row": "Row",
    "-score": "Highest score first",
    "score": "Lowest score first",
    "supplier": "Supplier",
    "country": "Country",
}
TOP = 15  # countries and goods on the heatmap, bars per ranking


class UploadForm(FlaskForm):
    file = FileField(
        "Supplier list (CSV or Excel .xlsx)",
        validators=[FileRequired("Choose the file to upload.")],
    )


class SheetForm(FlaskForm):
    sheet = SelectField("Worksheet", choices=[])


class ActionForm(FlaskForm):
    """A button that changes something: only its CSRF token."""


# Uploading ---------------------------------------------------------------------------------


def _max_bytes() -> int:
    """Return the largest upload accepted: the smallest of the request and upload limits."""
    config = current_app.config
    limits = (config.get("MAX_CONTENT_LENGTH"), config.get("UPLOAD_MAX_BYTES"))
    return min([int(limit) for limit in limits if limit] or [ingest.DEFAULT_LIMITS.max_bytes])


def _upload_page(form: UploadForm, error: IngestError | InvalidInput | None = None) -> str:
    return render_template(
        "assessments/upload.html",
        form=form,
        error=error,
        where=_where(error),
        max_mb=_max_bytes() / (1024 * 1024),
        extensions=", ".join(ingest.ALLOWED_EXTENSIONS),
        fields=[FIELDS[name] for name in FIELD_NAMES],
    )


def _where(error: Exception | None) -> list[tuple[str, Any]]:
    """Return where an ingest error was found (file, row, column...), for the message."""
    where = getattr(error, "where", None) or {}
    labels = (("file", "File"), ("sheet", "Sheet"), ("row", "Row"), ("column", "Column"))
    return [(label, where[key]) for key, label in labels if where.get(key) not in (None, "")]


@bp.get("/uploads/new")
@login_required
def new_upload() -> str:
    """Show the upload form, its limits and the templates to download."""
    require_org("analyst")
    return _upload_page(UploadForm(formdata=None))


@bp.post("/uploads")
@login_required
def create_upload() -> str | tuple[str, int] | BaseResponse:
    """Keep the file, then ask for a sheet, a mapping, or start the assessment at once."""
    principal = require_org("analyst")
    form = UploadForm()
    if not form.validate_on_submit():
        return _upload_page(form), 422
    storage = form.file.data
    try:
        upload = uploads.create_upload(
            principal,
            storage.read(_max_bytes() + 1),
            storage.filename or "upload",
            content_type=storage.mimetype or "",
        )
    except IngestError as exc:
        db.session.rollback()
        return _upload_page(form, exc), 422
    db.session.commit()
    return _next_step(principal, upload)


@bp.errorhandler(413)
def too_large(error: Exception) -> tuple[str, int]:
    """Answer an upload over the request limit on the upload page, not with a bare error."""
    limit = _max_bytes() / (1024 * 1024)
    refused = InvalidInput(f"The file is larger than {limit:.0f} MB, the most we accept.")
    return _upload_page(UploadForm(formdata=None), refused), 413


def _next_step(principal: Principal, upload: Upload) -> BaseResponse:
    """Send the person to the first step the upload still needs."""
    if upload.sheet is None and len(uploads.sheets(upload)) > 1:
        return redirect(url_for("assessments.choose_sheet", upload_id=upload.id))
    if uploads.needs_mapping(upload):
        return redirect(url_for("assessments.mapping", upload_id=upload.id))
    assessment = uploads.start_assessment(upload, principal)
    db.session.commit()
    return redirect(url_for("assessments.show", assessment_id=assessment.id))


@bp.route("/uploads/<int:upload_id>/sheet", methods=["GET", "POST"])
@login_required
def choose_sheet(upload_id: int) -> str | tuple[str, int] | BaseResponse:
    """Ask which worksheet of a workbook holds the supplier list."""
    principal = require_org("analyst")
    upload = get_scoped(Upload, upload_id, principal.organisation_id)
    form = SheetForm()
    names = uploads.sheets(upload)
    if len(names) < 2:  # a CSV or a one-sheet workbook: nothing to choose
        return redirect(url_for("assessments.mapping", upload_id=upload.id))
    form.sheet.choices = [(name, name) for name in names]
    if form.validate_on_submit():
        try:
            uploads.choose_sheet(upload, form.sheet.data)
        except IngestError as exc:
            db.session.rollback()
            return render_template(
                "assessments/sheet.html", upload=upload, form=form, error=exc, where=_where(exc)
            ), 422
        db.session.commit()
        return _next_step(principal, upload)
    status = 422 if request.method == "POST" else 200
    page = render_template("assessments/sheet.html", upload=upload, form=form, error=None, where=[])
    return page, status


@bp.route("/uploads/<int:upload_id>/mapping", methods=["GET", "POST"])
@login_required
def mapping(upload_id: int) -> str | tuple[str, int] | BaseResponse:
    """Show the proposed column for each field; saving it starts the assessment."""
    principal = require_org("analyst")
    upload = get_scoped(Upload, upload_id, principal.organisation_id)
    proposal = uploads.proposal(upload)
    form = ActionForm()
    error: IngestError | None = None
    chosen = {name: proposal.choices[name].header for name in proposal.choices}
    if request.method == "POST":
        chosen = {name: request.form.get(f"field-{name}", "") for name in FIELD_NAMES}
        if form.validate_on_submit():
            try:
                uploads.save_mapping(upload, chosen, principal)
            except IngestError as exc:
                db.session.rollback()
                error = exc
            else:
                assessment = uploads.start_assessment(upload, principal)
                db.session.commit()
                flash("Column mapping saved; next time these headers are read the same way.")
                return redirect(url_for("assessments.show", assessment_id=assessment.id))
    page = render_template(
        "assessments/mapping.html",
        upload=upload,
        proposal=proposal,
        rows=_mapping_rows(proposal, chosen, uploads.samples(upload)),
        fields=[FIELDS[name] for name in FIELD_NAMES],
        form=form,
        error=error,
        where=_where(error),
    )
    return (page, 422) if error else page


def _mapping_rows(
    proposal: ingest.ColumnMapping,
    chosen: Mapping[str, str],
    samples: Mapping[str, Sequence[str]],
) -> list[dict[str, Any]]:
    """One row per field: the header chosen, how sure the proposal was, and sample values."""
    rows = []
    for name in FIELD_NAMES:
        proposed = proposal.choices.get(name)
        header = chosen.get(name) or ""
        rows.append(
            {
                "field": FIELDS[name],
                "header": header,
                "confidence": proposed.confidence if proposed else None,
                "method": proposed.method if proposed else None,
                "competing": proposal.competing.get(name, ()),
                "samples": list(samples.get(header, ()))[:3] if header else [],
            }
        )
    return rows


@bp.get("/uploads/template.csv")
def template_csv() -> Response:
    """Download the CSV template."""
    return attachment(ingest.template_csv(), "supplier-list-template.csv", "text/csv")


@bp.get("/uploads/template.xlsx")
def template_xlsx() -> Response:
    """Download the Excel template, with a sheet explaining each column in EN and FR."""
    mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return attachment(ingest.template_xlsx(), "supplier-list-template.xlsx", mimetype)


# Listing and progress ----------------------------------------------------------------------


@bp.get("/assessments")
@login_required
def index() -> str:
    """List the organisation's assessments, newest first."""
    principal = require_org()
    query = scoped_select(Assessment, principal.organisation_id).order_by(
        Assessment.created_at.desc(), Assessment.id.desc()
    )
    rows = db.session.scalars(query.limit(200)).all()
    upload_ids = {row.upload_id for row in rows}
    files = {
        upload.id: upload
        for upload in db.session.scalars(
            scoped_select(Upload, principal.organisation_id).where(Upload.id.in_(upload_ids))
        )
    }
    return render_template(
        "assessments/index.html",
        assessments=rows,
        files=files,
        stages=STAGES,
        can_upload=principal.can("analyst"),
    )


@bp.get("/assessments/<int:assessment_id>")
@login_required
def show(assessment_id: int) -> str:
    """Show progress while the job runs, the error if it failed, the results when done."""
    principal = require_org()
    assessment = get_scoped(Assessment, assessment_id, principal.organisation_id)
    upload = get_scoped(Upload, assessment.upload_id, principal.organisation_id)
    common = {
        "assessment": assessment,
        "upload": upload,
        "form": ActionForm(formdata=None),
        "can_act": principal.can("analyst"),
        "stages": STAGES,
    }
    if assessment.status != "done":
        return render_template("assessments/progress.html", **common)
    filters = _filters()
    sort = request.args.get("sort", "row")
    if sort not in SORTS:
        sort = "row"
    page = max(1, request.args.get("page", 1, type=int) or 1)
    per_page = min(MAX_PER_PAGE, max(1, request.args.get("per_page", PER_PAGE, type=int) or 1))
    items, total = assessment_service.lines_page(assessment, filters, sort, page, per_page)
    summary = assessment_service.summary(assessment)
    return render_template(
        "assessments/results.html",
        **common,
        summary=summary,
        headline=_headline(summary),
        charts=_charts(summary, assessment.id),
        lines=items,
        total=total,
        filters=filters,
        sort=sort,
        sorts=SORTS,
        page=page,
        per_page=per_page,
        pages=max(1, -(-total // per_page)),
        page_url=_page_url,
        band_class=BAND_CLASS,
        bands=BANDS,
        decisions=DECISION_LABELS,
        problems=_problems(summary),
        others=_other_assessments(principal, assessment),
        outdated=assessment_service.outdated(assessment),
    )


def _problems(summary: Mapping[str, Any]) -> dict[str, Any]:
    """Return what the results page says about rows with problems: counts and the first few."""
    by_code = summary.get("problems_by_code") or {}
    return {
        "rows": int(summary.get("rows_with_problems") or 0),
        "by_code": [
            (PROBLEM_LABELS.get(code, code.replace("_", " ").capitalize()), count)
            for code, count in sorted(by_code.items(), key=lambda item: -item[1])
        ],
        "sample": list(summary.get("problem_sample") or []),
    }


def _filters() -> dict[str, str]:
    """Read the lines table's filters from the query string; empty fields are left out."""
    return {name: value for name in FILTERS if (value := request.args.get(name, "").strip())}


def _page_url(**changes: Any) -> str:
    """Return this page's URL with some query arguments changed (None removes one)."""
    args = {key: value for key, value in request.args.items() if value != ""}
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = str(value)
    view_args = request.view_args or {}
    return url_for(request.endpoint or "assessments.show", **view_args) + (
        "?" + urlencode(args) if args else ""
    )


def _other_assessments(principal: Principal, assessment: Assessment) -> list[Assessment]:
    """Return the organisation's other finished assessments, to compare with."""
    query = (
        scoped_select(Assessment, principal.organisation_id)
        .where(Assessment.id != assessment.id, Assessment.status == "done")
        .order_by(
            sa.case((Assessment.upload_id == assessment.upload_id, 0), else_=1),
            Assessment.created_at.desc(),
        )
    )
    return list(db.session.scalars(query.limit(50)))


@bp.post("/assessments/<int:assessment_id>/rerun")
@login_required
def rerun(assessment_id: int) -> BaseResponse:
    """Run a failed (or finished) assessment again from its upload."""
    principal = require_org("analyst")
    assessment = get_scoped(Assessment, assessment_id, principal.organisation_id)
    if ActionForm().validate_on_submit():
        fresh = pipeline.rerun(assessment, principal)
        db.session.commit()
        flash("The assessment is running again.")
        return redirect(url_for("assessments.show", assessment_id=fresh.id))
    return redirect(url_for("assessments.show", assessment_id=assessment.id))


@bp.post("/assessments/<int:assessment_id>/reassess")
@login_required
def reassess(assessment_id: int) -> BaseResponse:
    """Assess the same upload again with today's reference data and model."""
    principal = require_org("analyst")
    assessment = get_scoped(Assessment, assessment_id, principal.organisation_id)
    if ActionForm().validate_on_submit():
        fresh = pipeline.reassess(assessment, principal)
        db.session.commit()
        flash(
            "A new assessment of the same file was started with the current reference data; "
            "your earlier decisions apply to it."
        )
        return redirect(url_for("assessments.show", assessment_id=fresh.id))
    return redirect(url_for("assessments.show", assessment_id=assessment.id))


# One line ----------------------------------------------------------------------------------


@bp.get("/assessments/<int:assessment_id>/lines/<int:row>")
@login_required
def line(assessment_id: int, row: int) -> str:
    """Show one line: the values as uploaded, its matches, factors and problems."""
    principal = require_org()
    assessment = get_scoped(Assessment, assessment_id, principal.organisation_id)
    detail = assessment_service.line_detail(assessment, row)
    return render_template(
        "assessments/line.html",
        assessment=assessment,
        detail=detail,
        band_class=BAND_CLASS,
        back=request.args.get("back", ""),
    )


# Exports and comparison --------------------------------------------------------------------


@bp.get("/assessments/<int:assessment_id>/export.<any(csv, xlsx):fmt>")
@login_required
def export(assessment_id: int, fmt: str) -> Response:
    """Download every line with its scores and reasons, as CSV or Excel."""
    principal = require_org()
    assessment = get_scoped(Assessment, assessment_id, principal.organisation_id)
    if fmt == "csv":
        body, mimetype = exports.lines_csv(assessment), "text/csv; charset=utf-8"
    else:
        body = exports.lines_xlsx(assessment)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return attachment(body, f"assessment-{assessment.id}-lines.{fmt}", mimetype)


@bp.get("/assessments/<int:assessment_id>/problems.csv")
@login_required
def problems_csv(assessment_id: int) -> Response:
    """Download the rows with problems: row number, column, value and reason, one per line."""
    principal = require_org()
    assessment = get_scoped(Assessment, assessment_id, principal.organisation_id)
    return attachment(
        exports.problems_csv(assessment),
        f"assessment-{assessment.id}-problems.csv",
        "text/csv; charset=utf-8",
    )


@bp.get("/assessments/<int:assessment_id>/compare")
@login_required
def compare(assessment_id: int) -> str | BaseResponse:
    """Compare with another assessment: new risks, resolved risks, changed scores."""
    principal = require_org()
    assessment = get_scoped(Assessment, assessment_id, principal.organisation_id)
    other_id = request.args.get("with", type=int)
    if other_id is None:
        flash("Choose the assessment to compare with.", "error")
        return redirect(url_for("assessments.show", assessment_id=assessment.id))
    other = get_scoped(Assessment, other_id, principal.organisation_id)
    result = pipeline.compare(other, assessment)
    return render_template(
        "assessments/compare.html",
        assessment=assessment,
        other=other,
        result=result,
        band_class=BAND_CLASS,
    )


# What the results page shows ---------------------------------------------------------------


def _share(part: float, whole: float) -> str:
    """Format a share as a percentage people read at a glance ("<1%" rather than "0%")."""
    if not whole or not part:
        return "0%"
    value = 100 * part / whole
    return "<1%" if value < 1 else f"{value:.0f}%"


def _headline(summary: Mapping[str, Any]) -> dict[str, Any]:
    """Return the headline figures and the share of lines per band for each dimension."""
    lines = int(summary.get("lines") or 0)
    bands = summary.get("bands") or {}
    dimensions = []
    for key, label in DIMENSIONS:
        counts = bands.get(key) or {}
        parts, x = [], 0.0
        for band in BANDS:
            count = int(counts.get(band) or 0)
            width = 100 * count / lines if lines else 0
            parts.append(
                {
                    "band": band,
                    "count": count,
                    "share": _share(count, lines),
                    "css": BAND_CLASS[band],
                    "x": round(x, 3),
                    "width": round(width, 3),
                }
            )
            x += width
        dimensions.append({"key": key, "label": label, "parts": parts})
    high = int(summary.get("high_or_critical") or 0)
    # The pipeline's summary keys (supplychain/services/pipeline.py).
    insufficient = int(summary.get("insufficient_data_lines") or 0)
    return {
        "lines": lines,
        "suppliers": int(summary.get("suppliers") or 0),
        "countries": int(summary.get("countries") or 0),
        "high_share": _share(high, lines),
        "insufficient": insufficient,
        "insufficient_share": _share(insufficient, lines),
        "to_review": int(summary.get("review_pending") or 0),
        "rows_with_problems": int(summary.get("rows_with_problems") or 0),
        "dimensions": dimensions,
    }


def _charts(summary: Mapping[str, Any], assessment_id: int) -> dict[str, Any]:
    """Return the data of each chart: ranked bars, the heatmap and the histogram."""
    countries = list(summary.get("by_country") or [])[:TOP]
    suppliers = list(summary.get("top_suppliers") or [])[:TOP]
    return {
        "band_legend": [(BAND_CLASS[band], band) for band in BANDS],
        "countries": _country_bars(countries, assessment_id),
        "suppliers": _supplier_bars(suppliers, assessment_id),
        "histogram": _histogram(summary.get("histogram") or {}),
        "heatmap": _heatmap(summary.get("heatmap") or {}),
        "country_options": [
            {"value": c["iso3"], "label": c.get("name") or c["iso3"]}
            for c in summary.get("by_country") or []
            if c.get("iso3")
        ],
        "good_options": [
            {"value": g["id"], "label": g.get("name") or g["id"]}
            for g in summary.get("by_good") or []
            if g.get("id")
        ],
    }


def _band_of(item: Mapping[str, Any]) -> str:
    return BAND_CLASS.get(item.get("band") or "", "")


def _country_bars(countries: list[Mapping[str, Any]], assessment_id: int) -> dict[str, Any]:
    """Rank countries by their lines in the High or Critical band, then by highest score."""
    ranked = sorted(
        countries,
        key=lambda c: (-(c.get("high") or 0), -(c.get("max_score") or 0), c.get("name") or ""),
    )
    bars = [
        {
            "label": c.get("name") or c.get("iso3") or "Unknown",
            "value": c.get("high") or 0,
            "display": f"{c.get('high') or 0:,} of {c.get('lines') or 0:,} lines",
            "detail": f"{c.get('high') or 0:,} of {c.get('lines') or 0:,} lines High or "
            f"Critical; highest score {c.get('max_score') or 0:.0f}",
            "css": _band_of(c),
            "href": url_for(
                "assessments.show",
                assessment_id=assessment_id,
                country=c["iso3"],
            )
            + "#lines"
            if c.get("iso3")
            else None,
        }
        for c in ranked
    ]
    return {
        "caption": "Lines in the High or Critical band (either dimension) per country of origin; "
        "the colour is the country's highest band.",
        "bars": [bar for bar in bars if bar["value"]] or bars,
        "head": ("Country", "Lines", "High or Critical", "Highest score", "Highest band"),
        "rows": [
            (
                c.get("name") or c.get("iso3") or "Unknown",
                f"{c.get('lines') or 0:,}",
                f"{c.get('high') or 0:,}",
                f"{c.get('max_score') or 0:.0f}",
                c.get("band") or "—",
            )
            for c in ranked
        ],
    }


def _supplier_bars(suppliers: list[Mapping[str, Any]], assessment_id: int) -> dict[str, Any]:
    """Rank suppliers by their highest score."""
    ranked = sorted(suppliers, key=lambda s: (-(s.get("max_score") or 0), s.get("name") or ""))
    return {
        "caption": "Suppliers with the highest score on any of their lines, either dimension.",
        "bars": [
            {
                "label": s.get("name") or "(no name)",
                "value": s.get("max_score") or 0,
                "display": f"{s.get('max_score') or 0:.0f} · {s.get('band') or ''}",
                "detail": f"highest score {s.get('max_score') or 0:.0f} ({s.get('band')}) "
                f"over {s.get('lines') or 0:,} lines",
                "css": _band_of(s),
                "href": url_for(
                    "assessments.show",
                    assessment_id=assessment_id,
                    supplier=s.get("name") or "",
                    sort="-score",
                )
                + "#lines",
            }
            for s in ranked
        ],
        "head": ("Supplier", "Lines", "Highest score", "Band"),
        "rows": [
            (
                s.get("name") or "(no name)",
                f"{s.get('lines') or 0:,}",
                f"{s.get('max_score') or 0:.0f}",
                s.get("band") or "—",
            )
            for s in ranked
        ],
    }


def _histogram(histogram: Mapping[str, Sequence[int]]) -> dict[str, Any]:
    """Turn per-dimension counts in ten-point bins into the histogram's bins."""
    forced = list(histogram.get("forced_labour") or [])
    child = list(histogram.get("child_labour") or [])
    size = max(len(forced), len(child))
    if not size or not any(forced + child):
        return {"caption": "", "bins": [], "series": [], "head": (), "rows": []}
    forced += [0] * (size - len(forced))
    child += [0] * (size - len(child))
    step = 100 / size
    labels = [f"{i * step:.0f}–{(i + 1) * step:.0f}" for i in range(size)]
    return {
        "caption": "How many lines score in each ten-point range, for forced and for child "
        "labour. Most lines sit low; the tail on the right is where to look.",
        "bins": [{"label": labels[i], "counts": [forced[i], child[i]]} for i in range(size)],
        "series": ["Forced labour", "Child labour"],
        "head": ("Score", "Forced labour", "Child labour"),
        "rows": [(labels[i], f"{forced[i]:,}", f"{child[i]:,}") for i in range(size)],
    }


HEAT_STEP = 17  # six colour steps of 17 points: 0-16 ... 85-100


def _heat_level(score: float) -> int:
    """Map a score (0-100) onto one of six colour steps."""
    return min(5, int(score // HEAT_STEP))


HEAT_LEGEND = tuple(
    (level, f"{level * HEAT_STEP}–{100 if level == 5 else (level + 1) * HEAT_STEP - 1}")
    for level in range(6)
)


def _heatmap(heatmap: Mapping[str, Any]) -> dict[str, Any]:
    """Lay out the country x good grid: the highest score of the lines in each cell."""
    rows = [c.get("name") or c.get("iso3") for c in (heatmap.get("countries") or [])][:TOP]
    cols = [g.get("name") or g.get("id") for g in (heatmap.get("goods") or [])][:TOP]
    cells: list[list[dict[str, Any] | None]] = []
    table = []
    for r, row in enumerate(heatmap.get("cells") or []):
        if r >= len(rows):
            break
        out: list[dict[str, Any] | None] = []
        figures = [rows[r]]
        for c in range(len(cols)):
            cell = row[c] if c < len(row) else None
            if not cell or not cell.get("lines"):
                out.append(None)
                figures.append("—")
                continue
            score = float(cell.get("max_score") or 0)
            detail = f"{cell['lines']:,} lines, highest score {score:.0f}"
            out.append({"level": _heat_level(score), "detail": detail})
            figures.append(f"{score:.0f} ({cell['lines']:,})")
        cells.append(out)
        table.append(tuple(figures))
    return {
        "caption": "Highest score of the lines for each country of origin and listed good, for "
        f"the {len(rows)} countries and {len(cols)} goods with the most exposure. Empty "
        "squares: no line.",
        "rows": rows,
        "cols": cols,
        "cells": cells,
        "legend": HEAT_LEGEND,
        "head": ("Country", *cols),
        "table": table,
    }
