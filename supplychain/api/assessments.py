"""Uploads, assessments, their lines, exports, the review queue, judgements and the audit log.

Every resource belongs to one organisation: ids are looked up with `get_scoped`, so another
organisation's upload, assessment, line, match or judgement answers 404 exactly as a missing
one does. Reading needs the viewer role; uploading, re-running and judging need analyst
(API tokens act as analysts).

Uploading: `POST /uploads` (multipart `file`, optional `mapping` as a JSON string
`{field: header}`, optional `sheet`) keeps the file and answers 202. When the columns are
recognised (or a mapping is given, or one was saved for the same headers) an assessment is
queued and `assessment_id` and `job` are set. When the proposal needs a person to confirm
it and no mapping was sent, nothing is queued: the answer has status "needs_mapping", the
proposed mapping and the reasons; confirm it with `PUT /uploads/{id}/mapping`, which
remembers it for the next file with the same headers and queues the assessment.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from flask import Response, current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from flask_smorest.fields import Upload as UploadField
from marshmallow import Schema, fields, validate

from supplychain.api.schemas import PROBLEM, PageSchema
from supplychain.auth import BEARER_SECURITY, require_org
from supplychain.downloads import attachment
from supplychain.errors import InvalidInput
from supplychain.extensions import db
from supplychain.ingest import FIELD_NAMES
from supplychain.models.assessments import Assessment, AssessmentMatch, Judgement, Upload
from supplychain.services import assessments as assessment_service
from supplychain.services import exports, judgements, pipeline, uploads
from supplychain.services.access import Principal, get_scoped, newest_first, scoped_select
from supplychain.services.refdata import get_reference

blp = Blueprint(
    "assessments_api",
    __name__,
    description="Upload supplier lists, follow their assessment, read and export the results, "
    "review matches",
)

BANDS = ("Low", "Medium", "High", "Critical")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Schemas -------------------------------------------------------------------------------------


class UploadFileSchema(Schema):
    file = UploadField(
        required=True,
        metadata={
            "description": "CSV, TSV, TXT, XLSX, or JSON (a list of objects, one per row, "
            'keys as columns; or {"rows": [...]})'
        },
    )


class UploadFormSchema(Schema):
    mapping = fields.String(
        load_default=None,
        metadata={
            "description": "JSON object {field: header name or 0-based column index}; fields: "
            + ", ".join(FIELD_NAMES)
        },
    )
    sheet = fields.String(
        load_default=None, metadata={"description": "XLSX worksheet (default: first with data)"}
    )


class MappingBodySchema(Schema):
    mapping = fields.Dict(
        keys=fields.String(validate=validate.OneOf(FIELD_NAMES)),
        values=fields.Raw(allow_none=True),
        required=True,
        metadata={"description": "{field: header name or 0-based column index}"},
    )


class JobSchema(Schema):
    status = fields.String(metadata={"description": "queued, running, done or failed"})
    stage = fields.String(metadata={"description": "queued, reading, matching, scoring, ..."})
    progress = fields.Float(metadata={"description": "share of rows stored, 0-1"})
    rows_done = fields.Integer()
    rows_total = fields.Integer(allow_none=True)
    error = fields.String(allow_none=True)


class UploadAcceptedSchema(Schema):
    upload_id = fields.Integer(required=True)
    assessment_id = fields.Integer(allow_none=True)
    status = fields.String(
        metadata={"description": "the job's status, or needs_mapping when nothing was queued"}
    )
    job = fields.Nested(JobSchema, allow_none=True)
    mapping = fields.Dict(metadata={"description": "the column mapping used or proposed"})
    reasons = fields.List(
        fields.String(), metadata={"description": "why the mapping needs confirming"}
    )


class UploadSchema(Schema):
    id = fields.Integer()
    filename = fields.String()
    content_type = fields.String()
    size_bytes = fields.Integer()
    sha256 = fields.String()
    sheet = fields.String(allow_none=True)
    mapping = fields.Dict(allow_none=True)
    needs_mapping = fields.Boolean()
    rows_read = fields.Integer(allow_none=True)
    rows_with_problems = fields.Integer(allow_none=True)
    created_at = fields.DateTime()
    assessments = fields.List(fields.Integer(), metadata={"description": "newest first"})


class AssessmentModelSchema(Schema):
    name = fields.String()
    profile = fields.String()
    reference_version = fields.String()
    parameters = fields.Dict()
    match_thresholds = fields.Dict()


class AssessmentSchema(Schema):
    id = fields.Integer()
    upload_id = fields.Integer()
    previous_id = fields.Integer(allow_none=True)
    status = fields.String()
    stage = fields.String()
    progress = fields.Float()
    rows_done = fields.Integer()
    rows_total = fields.Integer(allow_none=True)
    error = fields.String(allow_none=True)
    summary = fields.Dict(metadata={"description": "see supplychain/services/pipeline.py"})
    model = fields.Nested(AssessmentModelSchema)
    created_at = fields.DateTime()
    started_at = fields.DateTime(allow_none=True)
    finished_at = fields.DateTime(allow_none=True)


class LinesQuerySchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(
        load_default=50, validate=validate.Range(min=1, max=assessment_service.MAX_PER_PAGE)
    )
    after = fields.String(
        metadata={"description": "the next_after of the previous page (row and score sorts)"}
    )
    sort = fields.String(load_default="row", validate=validate.OneOf(assessment_service.SORTS))
    band = fields.String(validate=validate.OneOf(BANDS))
    country = fields.String(metadata={"description": "ISO alpha-3, or none"})
    good = fields.String(metadata={"description": "good id, or none"})
    supplier = fields.String(metadata={"description": "the supplier name as uploaded"})
    decision = fields.String(
        validate=validate.OneOf(assessment_service.DECISIONS),
        metadata={
            "description": "review (a match waits for a person), settled (none does), "
            "accepted, none (a string matched nothing), judged (a person decided), "
            "insufficient (insufficient data)"
        },
    )
    problems = fields.String(
        validate=validate.OneOf(["yes"]), metadata={"description": "yes: rows with problems"}
    )
    q = fields.String(metadata={"description": "text in supplier, product, country or HS code"})


class MatchSummarySchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    query = fields.String()
    decision = fields.String()
    target_id = fields.String(allow_none=True)
    name = fields.String(allow_none=True)
    list = fields.String(allow_none=True)
    score = fields.Float(allow_none=True)
    judged = fields.Boolean()
    query_key = fields.String()
    record = fields.Dict()
    candidates = fields.List(fields.Dict())


class LineMatchesSchema(Schema):
    good = fields.Nested(MatchSummarySchema, allow_none=True)
    country = fields.Nested(MatchSummarySchema, allow_none=True)
    supplier = fields.Nested(MatchSummarySchema, allow_none=True)


class LineFactorSchema(Schema):
    kind = fields.String()
    dimension = fields.String()
    contribution = fields.Float()
    detail = fields.String()
    source = fields.Dict(allow_none=True)


class LineSchema(Schema):
    row_number = fields.Integer()
    original = fields.Dict(metadata={"description": "every cell of the row, by header"})
    supplier_name = fields.String()
    supplier_ref = fields.String()
    country_text = fields.String()
    product_text = fields.String()
    hs_code = fields.String()
    spend = fields.Float(allow_none=True)
    currency = fields.String(allow_none=True)
    quantity = fields.Float(allow_none=True)
    unit = fields.String(allow_none=True)
    tier = fields.Integer(allow_none=True)
    good_id = fields.String(allow_none=True)
    country_iso3 = fields.String(allow_none=True)
    score = fields.Float(allow_none=True, metadata={"description": "the higher of the two"})
    band = fields.String(allow_none=True, metadata={"description": "the higher of the two"})
    forced_labour = fields.Float(allow_none=True, metadata={"description": "0-100"})
    forced_labour_band = fields.String(allow_none=True)
    child_labour = fields.Float(allow_none=True, metadata={"description": "0-100"})
    child_labour_band = fields.String(allow_none=True)
    confidence = fields.Float(allow_none=True)
    insufficient_data = fields.Boolean(allow_none=True)
    matches = fields.Nested(LineMatchesSchema)
    factors = fields.List(fields.Nested(LineFactorSchema))
    reasons = fields.List(fields.String(), metadata={"description": "strongest factors first"})
    problems = fields.List(fields.Dict())


class LineDetailSchema(LineSchema):
    assessment_id = fields.Integer()
    questions = fields.List(fields.Dict())
    sources = fields.List(fields.Dict())
    model = fields.Nested(AssessmentModelSchema)


class LinesPageSchema(PageSchema):
    items = fields.List(fields.Nested(LineSchema))
    next_after = fields.String(
        allow_none=True, metadata={"description": "pass as `after` for the next page"}
    )


class PageQuerySchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(
        load_default=50, validate=validate.Range(min=1, max=assessment_service.MAX_PER_PAGE)
    )


class RowProblemSchema(Schema):
    column = fields.String(allow_none=True, metadata={"description": "the file's header"})
    field = fields.String(allow_none=True, metadata={"description": "what it was read as"})
    value = fields.String(allow_none=True, metadata={"description": "the cell, as written"})
    reason = fields.String()
    code = fields.String(metadata={"description": "bad_spend, unknown_currency, ..."})


class ProblemRowSchema(Schema):
    row_number = fields.Integer()
    problems = fields.List(fields.Nested(RowProblemSchema))


class ProblemsPageSchema(PageSchema):
    items = fields.List(fields.Nested(ProblemRowSchema))
    total = fields.Integer(metadata={"description": "rows with problems"})


class UploadListSchema(PageSchema):
    items = fields.List(fields.Nested(UploadSchema))


class AssessmentBriefSchema(Schema):
    id = fields.Integer()
    upload_id = fields.Integer()
    previous_id = fields.Integer(allow_none=True)
    filename = fields.String()
    status = fields.String()
    stage = fields.String()
    progress = fields.Float()
    error = fields.String(allow_none=True)
    lines = fields.Integer(allow_none=True)
    model = fields.Nested(AssessmentModelSchema)
    created_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)


class AssessmentListSchema(PageSchema):
    items = fields.List(fields.Nested(AssessmentBriefSchema))


class CompareQuerySchema(Schema):
    by = fields.String(
        load_default=None,
        validate=validate.OneOf(["row", "key"]),
        metadata={"description": "row (same file) or key (supplier + product); default: auto"},
    )


class CompareSchema(Schema):
    base = fields.Dict()
    current = fields.Dict()
    by = fields.String()
    counts = fields.Dict()
    new_risks = fields.List(fields.Dict())
    resolved_risks = fields.List(fields.Dict())
    changed = fields.List(fields.Dict())


class ReviewQuerySchema(Schema):
    kind = fields.String(validate=validate.OneOf(judgements.KINDS))
    band = fields.String(validate=validate.OneOf(BANDS))


class ReviewItemSchema(Schema):
    match_id = fields.Integer()
    kind = fields.String()
    query = fields.String()
    query_key = fields.String()
    decision = fields.String()
    score = fields.Float(allow_none=True)
    target_id = fields.String(allow_none=True)
    target_name = fields.String(allow_none=True)
    judged = fields.Boolean()
    judgements = fields.List(fields.Dict())
    candidates = fields.List(fields.Dict())
    explanation = fields.List(fields.Raw())
    warnings = fields.List(fields.String())
    lines = fields.Integer(allow_none=True)


class ReviewSchema(Schema):
    items = fields.List(fields.Nested(ReviewItemSchema))


class BulkDecisionSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(judgements.KINDS))
    min_score = fields.Float(required=True)
    max_score = fields.Float(required=True)
    decision = fields.String(required=True, validate=validate.OneOf(["accept", "reject"]))
    note = fields.String(load_default="", validate=validate.Length(max=2000))


class BulkResultSchema(Schema):
    decided = fields.Integer()
    rescored = fields.Dict(allow_none=True)


class JudgementRequestSchema(Schema):
    match_id = fields.Integer(
        metadata={"description": "a match of one of your assessments (sets kind and query_key)"}
    )
    kind = fields.String(validate=validate.OneOf(judgements.KINDS))
    query_key = fields.String(validate=validate.Length(min=1, max=1000))
    candidate_id = fields.String(
        load_default="",
        validate=validate.Length(max=64),
        metadata={"description": "empty: the string as a whole; else one candidate"},
    )
    decision = fields.String(required=True, validate=validate.OneOf(judgements.DECISIONS))
    target_id = fields.String(
        allow_none=True, load_default=None, metadata={"description": "for replace"}
    )
    note = fields.String(load_default="", validate=validate.Length(max=2000))
    assessment_id = fields.Integer(
        metadata={"description": "re-score this assessment with the new judgement"}
    )


class JudgementSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    query_key = fields.String()
    candidate_id = fields.String()
    decision = fields.String()
    target_id = fields.String(allow_none=True)
    note = fields.String()
    user_id = fields.Integer(allow_none=True)
    token_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()


class JudgementResultSchema(Schema):
    judgement = fields.Nested(JudgementSchema)
    rescored = fields.Dict(allow_none=True)


class JudgementListSchema(Schema):
    items = fields.List(fields.Nested(JudgementSchema))


class AuditQuerySchema(Schema):
    limit = fields.Integer(load_default=1000, validate=validate.Range(min=1, max=10_000))


class AuditLogSchema(Schema):
    items = fields.List(fields.Dict())


# Helpers -------------------------------------------------------------------------------------


def _job(assessment: Assessment) -> dict[str, Any]:
    return {
        "status": assessment.status,
        "stage": assessment.stage,
        "progress": assessment.progress,
        "rows_done": assessment.rows_done,
        "rows_total": assessment.rows_total,
        "error": assessment.error,
    }


def _accepted(upload: Upload, assessment: Assessment | None) -> dict[str, Any]:
    stored = upload.mapping or {}
    return {
        "upload_id": upload.id,
        "assessment_id": assessment.id if assessment else None,
        "status": assessment.status if assessment else "needs_mapping",
        "job": _job(assessment) if assessment else None,
        "mapping": stored,
        "reasons": stored.get("reasons", []) if assessment is None else [],
    }


def _assessment(assessment: Assessment) -> dict[str, Any]:
    return {
        "id": assessment.id,
        "upload_id": assessment.upload_id,
        "previous_id": assessment.previous_id,
        "status": assessment.status,
        "stage": assessment.stage,
        "progress": assessment.progress,
        "rows_done": assessment.rows_done,
        "rows_total": assessment.rows_total,
        "error": assessment.error,
        "summary": assessment_service.summary(assessment),
        "model": assessment_service.model_info(assessment),
        "created_at": assessment.created_at,
        "started_at": assessment.started_at,
        "finished_at": assessment.finished_at,
    }


def _scoped_assessment(principal: Principal, assessment_id: int) -> Assessment:
    return get_scoped(Assessment, assessment_id, principal.organisation_id)


def _start(principal: Principal, upload: Upload) -> Assessment | None:
    if uploads.needs_mapping(upload) is not None:
        return None
    return uploads.start_assessment(upload, principal)


# Uploads -------------------------------------------------------------------------------------


def _upload(upload: Upload, made: list[int]) -> dict[str, Any]:
    stored = upload.mapping or {}
    return {
        "id": upload.id,
        "filename": upload.filename,
        "content_type": upload.content_type,
        "size_bytes": upload.size_bytes,
        "sha256": upload.sha256,
        "sheet": upload.sheet,
        "mapping": stored,
        "needs_mapping": bool(
            stored.get("source") == "proposed" and stored.get("needs_confirmation")
        ),
        "rows_read": upload.rows_read,
        "rows_with_problems": upload.rows_with_problems,
        "created_at": upload.created_at,
        "assessments": made,
    }


def _assessment_ids(organisation_id: int, upload_ids: list[int]) -> dict[int, list[int]]:
    """Return the assessments made from each upload, newest first."""
    made: dict[int, list[int]] = {upload_id: [] for upload_id in upload_ids}
    query = (
        sa.select(Assessment.upload_id, Assessment.id)
        .where(Assessment.organisation_id == organisation_id, Assessment.upload_id.in_(upload_ids))
        .order_by(Assessment.id.desc())
    )
    for upload_id, assessment_id in db.session.execute(query):
        made[upload_id].append(assessment_id)
    return made


@blp.route("/uploads")
class Uploads(MethodView):
    @blp.doc(security=BEARER_SECURITY)
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, UploadListSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List the organisation's uploads, newest first, with the assessments made from them."""
        principal = require_org()
        rows, total = newest_first(
            Upload, principal.organisation_id, args["page"], args["per_page"]
        )
        made = _assessment_ids(principal.organisation_id, [row.id for row in rows])
        return {
            "items": [_upload(row, made[row.id]) for row in rows],
            "total": total,
            "page": args["page"],
            "per_page": args["per_page"],
        }

    @blp.doc(security=BEARER_SECURITY)
    @blp.arguments(UploadFileSchema, location="files")
    @blp.arguments(UploadFormSchema, location="form")
    @blp.response(202, UploadAcceptedSchema)
    @blp.alt_response(409, **PROBLEM)
    @blp.alt_response(413, **PROBLEM)
    @blp.alt_response(422, **PROBLEM)
    def post(self, files: dict[str, Any], form: dict[str, Any]) -> dict[str, Any]:
        """Upload a supplier list (CSV, XLSX or JSON) and queue its assessment.

        Refused files (wrong type, too large, empty, binary, damaged or bomb-like
        workbooks, ...) answer 422 with a message saying what is wrong and `errors.code`.
        When the columns need confirming and no `mapping` was sent, nothing is queued and
        the answer's status is `needs_mapping`: see `PUT /uploads/{id}/mapping`.
        """
        principal = require_org("analyst")
        mapping = None
        if form.get("mapping"):
            try:
                mapping = json.loads(form["mapping"])
            except ValueError as exc:
                raise InvalidInput(
                    f"The mapping is not valid JSON ({exc}).",
                    errors={"mapping": ["A JSON object {field: header}."]},
                ) from exc
            if not isinstance(mapping, dict):
                raise InvalidInput(
                    "The mapping must be a JSON object {field: header}.",
                    errors={"mapping": ["A JSON object {field: header}."]},
                )
        storage = files["file"]
        limit = int(current_app.config["UPLOAD_MAX_BYTES"])
        data = storage.read(limit + 1)
        upload = uploads.create_upload(
            principal,
            data,
            storage.filename or "upload",
            sheet=form.get("sheet"),
            mapping=mapping,
            content_type=storage.mimetype or "",
        )
        assessment = _start(principal, upload)
        db.session.commit()
        return _accepted(upload, assessment)


@blp.route("/uploads/<int:upload_id>")
class UploadResource(MethodView):
    @blp.doc(security=BEARER_SECURITY)
    @blp.response(200, UploadSchema)
    @blp.alt_response(404, **PROBLEM)
    def get(self, upload_id: int) -> dict[str, Any]:
        """Describe an upload: the file, its mapping, and the assessments made from it."""
        principal = require_org()
        upload = get_scoped(Upload, upload_id, principal.organisation_id)
        made = _assessment_ids(principal.organisation_id, [upload.id])
        return _upload(upload, made[upload.id])


@blp.route("/uploads/<int:upload_id>/mapping")
class UploadMapping(MethodView):
    @blp.doc(security=BEARER_SECURITY)
    @blp.arguments(MappingBodySchema)
    @blp.response(202, UploadAcceptedSchema)
    @blp.alt_response(404, **PROBLEM)
    @blp.alt_response(422, **PROBLEM)
    def put(self, body: dict[str, Any], upload_id: int) -> dict[str, Any]:
        """Confirm an upload's columns (remembered for the same headers) and queue it."""
        principal = require_org("analyst")
        upload = get_scoped(Upload, upload_id, principal.organisation_id)
        uploads.save_mapping(upload, body["mapping"], principal)
        assessment = uploads.start_assessment(upload, principal)
        db.session.commit()
        return _accepted(upload, assessment)


# Assessments ---------------------------------------------------------------------------------


@blp.route("/assessments")
class Assessments(MethodView):
    @blp.doc(security=BEARER_SECURITY)
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, AssessmentListSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List the organisation's assessments, newest first (without their summaries)."""
        principal = require_org()
        rows, total = newest_first(
            Assessment, principal.organisation_id, args["page"], args["per_page"]
        )
        files: dict[int, str] = dict(
            db.session.execute(  # type: ignore[arg-type]
                sa.select(Upload.id, Upload.filename).where(
                    Upload.organisation_id == principal.organisation_id,
                    Upload.id.in_({row.upload_id for row in rows}),
                )
            ).all()
        )
        return {
            "items": [
                {
                    "id": row.id,
                    "upload_id": row.upload_id,
                    "previous_id": row.previous_id,
                    "filename": files.get(row.upload_id, ""),
                    "status": row.status,
                    "stage": row.stage,
                    "progress": row.progress,
                    "error": row.error,
                    "lines": (row.summary or {}).get("lines") if row.status == "done" else None,
                    "model": assessment_service.model_info(row),
                    "created_at": row.created_at,
                    "finished_at": row.finished_at,
                }
                for row in rows
            ],
            "total": total,
            "page": args["page"],
            "per_page": args["per_page"],
        }


@blp.route("/assessments/<int:assessment_id>")
class AssessmentResource(MethodView):
    @blp.doc(security=BEARER_SECURITY)
    @blp.response(200, AssessmentSchema)
    @blp.alt_response(404, **PROBLEM)
    def get(self, assessment_id: int) -> dict[str, Any]:
        """Follow an assessment: status, stage, progress; the summary once done."""
        principal = require_org()
        return _assessment(_scoped_assessment(principal, assessment_id))


@blp.route("/assessments/<int:assessment_id>/lines")
class Lines(MethodView):
    @blp.doc(security=BEARER_SECURITY)
    @blp.arguments(LinesQuerySchema, location="query")
    @blp.response(200, LinesPageSchema)
    @blp.alt_response(404, **PROBLEM)
    def get(self, args: dict[str, Any], assessment_id: int) -> dict[str, Any]:
        """List lines with their original values, matches, scores, bands and factors."""
        principal = require_org()
        assessment = _scoped_assessment(principal, assessment_id)
        filters = {name: args[name] for name in assessment_service.FILTERS if name in args}
        items, total = assessment_service.lines_page(
            assessment,
            filters,
            args["sort"],
            args["page"],
            args["per_page"],
            after=args.get("after"),
        )
        next_after = None
        if len(items) == args["per_page"] and args["sort"] in ("row", "-row", "score", "-score"):
            next_after = assessment_service.cursor(items[-1], args["sort"])
        return {
            "items": items,
            "total": total,
            "page": args["page"],
            "per_page": args["per_page"],
            "next_after": next_after,
        }


@blp.route("/assessments/<int:assessment_id>/lines/<int:row_number>")
class LineResource(MethodView):
    @blp.doc(security=BEARER_SECURITY)
    @blp.response(200, LineDetailSchema)
    @blp.alt_response(404, **PROBLEM)
    def get(self, assessment_id: int, row_number: int) -> dict[str, Any]:
        """One line in full: match records and candidates, factors, sources, questions."""
        principal = require_org()
        assessment = _scoped_assessment(principal, assessment_id)
        return assessment_service.line_detail(assessment, row_number)


@blp.route("/assessments/<int:assessment_id>/problems")
class Problems(MethodView):
    @blp.doc(security=BEARER_SECURITY)
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, ProblemsPageSchema)
    @blp.alt_response(404, **PROBLEM)
    def get(self, args: dict[str, Any], assessment_id: int) -> dict[str, Any]:
        """List the rows with problems: row number, and each problem's column, value and reason.

        Every row is kept (and scored with what it gives); these are the values that could
        not be read. `GET .../problems.csv` downloads them all.
        """
        principal = require_org()
        assessment = _scoped_assessment(principal, assessment_id)
        page, per_page = args["page"], args["per_page"]
        total = assessment_service.count_lines(assessment, {"problems": "yes"})
        rows = []
        if (page - 1) * per_page < total:
            # Skipping costs a pass over the rows before the page; pages are rarely deep here.
            listed = exports.problem_lines(assessment, limit=page * per_page)
            rows = list(listed)[(page - 1) * per_page :]
        return {
            "items": [{"row_number": row, "problems": problems} for row, problems in rows],
            "total": total,
            "page": page,
            "per_page": per_page,
        }


@blp.route("/assessments/<int:assessment_id>/problems.csv")
class ProblemsCsv(MethodView):
    @blp.doc(
        security=BEARER_SECURITY,
        responses={"200": {"description": "CSV (UTF-8 with BOM)", "content": {"text/csv": {}}}},
    )
    @blp.alt_response(404, **PROBLEM)
    def get(self, assessment_id: int) -> Response:
        """Download every problem of every row: row, column, field, value, reason, code."""
        principal = require_org()
        assessment = _scoped_assessment(principal, assessment_id)
        return attachment(
            exports.problems_csv(assessment),
            f"assessment-{assessment.id}-problems.csv",
            "text/csv; charset=utf-8",
        )


@blp.route("/assessments/<int:assessment_id>/rerun")
class Rerun(MethodView):
    @blp.doc(security=BEARER_SECURITY)
    @blp.response(202, AssessmentSchema)
    @blp.alt_response(404, **PROBLEM)
    @blp.alt_response(409, **PROBLEM)
    def post(self, assessment_id: int) -> dict[str, Any]:
        """Run the assessment again from the kept file (its results are replaced)."""
        principal = require_org("analyst")
        assessment = pipeline.rerun(_scoped_assessment(principal, assessment_id), principal)
        db.session.commit()
        return _assessment(assessment)


@blp.route("/assessments/<int:assessment_id>/reassess")
class Reassess(MethodView):
    @blp.doc(security=BEARER_SECURITY)
    @blp.response(202, AssessmentSchema)
    @blp.alt_response(404, **PROBLEM)
    def post(self, assessment_id: int) -> dict[str, Any]:
        """Assess the same upload again with today's model and reference data (a new one)."""
        principal = require_org("analyst")
        fresh = pipeline.reassess(_scoped_assessment(principal, assessment_id), principal)
        db.session.commit()
        return _assessment(fresh)


@blp.route("/assessments/<int:assessment_id>/compare/<int:other_id>")
class Compare(MethodView):
    @blp.doc(security=BEARER_SECURITY)
    @blp.arguments(CompareQuerySchema, location="query")
    @blp.response(200, CompareSchema)
    @blp.alt_response(404, **PROBLEM)
    @blp.alt_response(409, **PROBLEM)
    def get(self, args: dict[str, Any], assessment_id: int, other_id: int) -> dict[str, Any]:
        """Compare this assessment with an earlier one (other_id): new, resolved, changed."""
        principal = require_org()
        current = _scoped_assessment(principal, assessment_id)
        base = _scoped_assessment(principal, other_id)
        return pipeline.compare(base, current, by=args.get("by"))


def _export(assessment_id: int, kind: str) -> Response:
    principal = require_org()
    assessment = _scoped_assessment(principal, assessment_id)
    name = f"assessment-{assessment.id}-lines.{kind}"
    if kind == "csv":
        return attachment(exports.lines_csv(assessment), name, "text/csv; charset=utf-8")
    if kind == "xlsx":
        return attachment(exports.lines_xlsx(assessment), name, XLSX)
    return attachment(exports.lines_json(assessment), name, "application/json")


@blp.route("/assessments/<int:assessment_id>/export.csv")
class ExportCsv(MethodView):
    @blp.doc(
        security=BEARER_SECURITY,
        responses={"200": {"description": "CSV (UTF-8 with BOM)", "content": {"text/csv": {}}}},
    )
    @blp.alt_response(404, **PROBLEM)
    def get(self, assessment_id: int) -> Response:
        """Download every line: original values, matches, scores, bands and reasons."""
        return _export(assessment_id, "csv")


@blp.route("/assessments/<int:assessment_id>/export.xlsx")
class ExportXlsx(MethodView):
    @blp.doc(
        security=BEARER_SECURITY,
        responses={"200": {"description": "Excel workbook", "content": {XLSX: {}}}},
    )
    @blp.alt_response(404, **PROBLEM)
    def get(self, assessment_id: int) -> Response:
        """Download every line as an Excel workbook."""
        return _export(assessment_id, "xlsx")


@blp.route("/assessments/<int:assessment_id>/export.json")
class ExportJson(MethodView):
    @blp.doc(
        security=BEARER_SECURITY,
        responses={"200": {"description": "JSON document", "content": {"application/json": {}}}},
    )
    @blp.alt_response(404, **PROBLEM)
    def get(self, assessment_id: int) -> Response:
        """Download the assessment as one JSON document (summary and every line)."""
        return _export(assessment_id, "json")


# Review and judgements -----------------------------------------------------------------------


@blp.route("/assessments/<int:assessment_id>/review")
class Review(MethodView):
    @blp.doc(security=BEARER_SECURITY)
    @blp.arguments(ReviewQuerySchema, location="query")
    @blp.response(200, ReviewSchema)
    @blp.alt_response(404, **PROBLEM)
    def get(self, args: dict[str, Any], assessment_id: int) -> dict[str, Any]:
        """List the matches waiting for a person, those used by most lines first."""
        principal = require_org()
        assessment = _scoped_assessment(principal, assessment_id)
        return {"items": judgements.review_queue(assessment, args.get("kind"), args.get("band"))}


@blp.route("/assessments/<int:assessment_id>/review/bulk")
class ReviewBulk(MethodView):
    @blp.doc(security=BEARER_SECURITY)
    @blp.arguments(BulkDecisionSchema)
    @blp.response(200, BulkResultSchema)
    @blp.alt_response(404, **PROBLEM)
    def post(self, body: dict[str, Any], assessment_id: int) -> dict[str, Any]:
        """Accept or reject every match in review of one kind within a score range.

        The assessment is re-scored with the new judgements; later uploads use them too.
        """
        principal = require_org("analyst")
        assessment = _scoped_assessment(principal, assessment_id)
        decided = judgements.decide_bulk(
            assessment,
            body["kind"],
            body["min_score"],
            body["max_score"],
            body["decision"],
            user_id=principal.user_id,
            token_id=principal.token_id,
            note=body["note"],
        )
        rescored = pipeline.rescore(assessment, principal) if decided else None
        db.session.commit()
        return {"decided": decided, "rescored": rescored}


def _judgement(row: Judgement) -> dict[str, Any]:
    return {
        "id": row.id,
        "kind": row.kind,
        "query_key": row.query_key,
        "candidate_id": row.candidate_id,
        "decision": row.decision,
        "target_id": row.target_id,
        "note": row.note,
        "user_id": row.user_id,
        "token_id": row.token_id,
        "created_at": row.created_at,
    }


@blp.route("/judgements")
class Judgements(MethodView):
    @blp.doc(security=BEARER_SECURITY)
    @blp.response(200, JudgementListSchema)
    def get(self) -> dict[str, Any]:
        """List the organisation's judgements, newest first."""
        principal = require_org()
        rows = db.session.scalars(
            scoped_select(Judgement, principal.organisation_id).order_by(Judgement.id.desc())
        )
        return {"items": [_judgement(row) for row in rows]}

    @blp.doc(security=BEARER_SECURITY)
    @blp.arguments(JudgementRequestSchema)
    @blp.response(201, JudgementResultSchema)
    @blp.alt_response(404, **PROBLEM)
    @blp.alt_response(409, **PROBLEM)
    @blp.alt_response(422, **PROBLEM)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Accept, reject or replace a match; it applies to every later upload.

        Name the match by `match_id` (from a line or the review queue), or by `kind` and
        `query_key`. With `assessment_id`, that assessment is re-scored at once.
        """
        principal = require_org("analyst")
        organisation_id = principal.organisation_id
        assessment = (
            _scoped_assessment(principal, body["assessment_id"])
            if body.get("assessment_id") is not None
            else None
        )
        if body.get("match_id") is not None:
            match = get_scoped(AssessmentMatch, body["match_id"], organisation_id)
            kind, query_key, query = match.kind, match.query_key, match.query
        elif body.get("kind") and body.get("query_key"):
            kind, query_key, query = body["kind"], body["query_key"], body["query_key"]
        else:
            raise InvalidInput(
                "Name the match: match_id, or kind and query_key.",
                errors={"match_id": ["Required unless kind and query_key are given."]},
            )
        judgement = judgements.decide(
            organisation_id,
            kind,
            query_key,
            body["decision"],
            target_id=body.get("target_id"),
            candidate_id=body.get("candidate_id") or "",
            user_id=principal.user_id,
            token_id=principal.token_id,
            note=body.get("note") or "",
            query=query,
            reference=get_reference(current_app.config),
        )
        rescored = pipeline.rescore(assessment, principal) if assessment is not None else None
        db.session.commit()
        return {"judgement": _judgement(judgement), "rescored": rescored}


@blp.route("/judgements/<int:judgement_id>")
class JudgementResource(MethodView):
    @blp.doc(security=BEARER_SECURITY)
    @blp.response(204)
    @blp.alt_response(404, **PROBLEM)
    def delete(self, judgement_id: int) -> None:
        """Withdraw a judgement: the engine decides that string again on later runs."""
        principal = require_org("analyst")
        judgements.withdraw(
            principal.organisation_id,
            judgement_id,
            user_id=principal.user_id,
            token_id=principal.token_id,
        )
        db.session.commit()


@blp.route("/audit-log")
class AuditLog(MethodView):
    @blp.doc(security=BEARER_SECURITY)
    @blp.arguments(AuditQuerySchema, location="query")
    @blp.response(200, AuditLogSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """The organisation's audit trail, newest first: who did what, when, before/after."""
        principal = require_org("analyst")
        return {"items": judgements.audit_log(principal.organisation_id, limit=args["limit"])}
