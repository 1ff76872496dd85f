"""S-211 reports: create from assessments, edit, check, approve, publish, revise, download.

Every report belongs to one organisation: ids are looked up with `get_scoped`, so another
organisation's report answers 404 exactly as a missing one does. Reading needs the viewer
role; creating, editing, re-drafting and starting a revision need analyst (API tokens act as
analysts); approving and publishing need an owner, as the governing body's approval is
recorded with them.

`PATCH /reports/{id}` takes any of `entity`, `sections`, `answers`, `approval` and
`language`; within each part the fields given replace the stored ones (shapes in
supplychain/services/report_json.py and docs/questionnaire-schema.md). A problem anywhere
refuses the whole change with 422 and `errors` keyed by where ("entity.financial_year_end",
"answers.training"). An approved or published report answers 409: revise it instead.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from supplychain.api.schemas import PROBLEM
from supplychain.auth import BEARER_SECURITY, require_org
from supplychain.downloads import attachment
from supplychain.extensions import db
from supplychain.models.reports import REPORT_LANGUAGES, REPORT_STATUSES, Report
from supplychain.reporting.findings import Finding
from supplychain.services import reports
from supplychain.services.access import Principal

blp = Blueprint(
    "reports_api",
    __name__,
    description="S-211 reports: drafted from assessments, checked, approved, in English and "
    "French, with the questionnaire answers as JSON",
)

PDF = "application/pdf"
PART = (
    "Fields to change; see supplychain/services/report_json.py for the shape. "
    "Within the part, the fields given replace the stored ones."
)


# Schemas -------------------------------------------------------------------------------------


class ReportCreateSchema(Schema):
    reporting_year = fields.Integer(
        required=True, metadata={"description": "The financial year the report covers"}
    )
    assessment_ids = fields.List(
        fields.Integer(),
        required=True,
        validate=validate.Length(min=1, max=reports.MAX_ASSESSMENTS),
        metadata={"description": "Finished assessments of your organisation to draw on"},
    )
    language = fields.String(load_default="en", validate=validate.OneOf(REPORT_LANGUAGES))


class ReportUpdateSchema(Schema):
    entity = fields.Dict(metadata={"description": PART})
    sections = fields.Dict(
        metadata={
            "description": 'Per section a-g: {"text": {"en", "fr"}, "statements": [{"text", '
            '"remove"}, ...one per drafted statement, in order]}'
        }
    )
    answers = fields.Dict(
        metadata={
            "description": "Questionnaire answers (Part 2 and other_laws.details; Part 1 comes "
            "from the entity details); null removes an answer"
        }
    )
    approval = fields.Dict(metadata={"description": PART})
    language = fields.String(validate=validate.OneOf(REPORT_LANGUAGES))


class ApprovalBodySchema(Schema):
    approval = fields.Dict(
        metadata={"description": "Approval details to save before approving (optional)"}
    )


class ReviseSchema(Schema):
    description = fields.String(
        load_default="", metadata={"description": "What changed (s.12), up to 1,500 characters"}
    )
    original_date = fields.Date(
        load_default=None,
        metadata={"description": "When the original was submitted (default: published date)"},
    )


class LangQuerySchema(Schema):
    lang = fields.String(
        load_default=None,
        validate=validate.OneOf(REPORT_LANGUAGES),
        metadata={"description": "en, fr or both (default: the report's language)"},
    )


class ListQuerySchema(Schema):
    year = fields.Integer(metadata={"description": "Only reports for this reporting year"})


class ReportListItemSchema(Schema):
    id = fields.Integer()
    reporting_year = fields.Integer()
    revision = fields.Integer()
    revises_id = fields.Integer(allow_none=True)
    status = fields.String(metadata={"enum": list(REPORT_STATUSES)})
    language = fields.String()
    legal_name = fields.String()
    updated_at = fields.DateTime()


class ReportListSchema(Schema):
    items = fields.List(fields.Nested(ReportListItemSchema))


class ReportSchema(ReportListItemSchema):
    revised_by_id = fields.Integer(allow_none=True)
    assessment_ids = fields.List(fields.Integer())
    entity = fields.Dict()
    sections = fields.Dict(
        metadata={"description": "a-g: text as entered, drafted statements with evidence links"}
    )
    answers = fields.Dict(metadata={"description": "Every answer, Part 1 included"})
    approval = fields.Dict()
    created_at = fields.DateTime()
    approved_at = fields.DateTime(allow_none=True)
    published_at = fields.DateTime(allow_none=True)


class FindingSchema(Schema):
    severity = fields.String(metadata={"enum": ["blocking", "warning"]})
    code = fields.String()
    section = fields.String(
        allow_none=True, metadata={"description": "a-g, entity, approval or questionnaire"}
    )
    question = fields.String(allow_none=True)
    message = fields.String()
    message_fr = fields.String()
    fix = fields.String()
    fix_fr = fields.String()


class ChecksSchema(Schema):
    blocking = fields.Integer()
    warnings = fields.Integer()
    estimated_pages = fields.Float()
    page_limit = fields.Integer()
    findings = fields.List(fields.Nested(FindingSchema), metadata={"description": "blocking first"})


class UncoveredItemSchema(Schema):
    ref = fields.String(metadata={"description": "e.g. UK MSA s.54(5)(b)"})
    text = fields.String()


class ForeignItemSchema(UncoveredItemSchema):
    coverage = fields.String(metadata={"enum": ["full", "partial"]})


class CrosswalkRowSchema(Schema):
    section = fields.String(metadata={"description": "entity or a-g"})
    filled = fields.Boolean()
    uk = fields.List(fields.Nested(ForeignItemSchema))
    au = fields.List(fields.Nested(ForeignItemSchema))


class CrosswalkSchema(Schema):
    rows = fields.List(fields.Nested(CrosswalkRowSchema))
    uncovered = fields.List(
        fields.Nested(UncoveredItemSchema),
        metadata={"description": "UK and AU items no filled part of the report covers"},
    )


# Helpers -------------------------------------------------------------------------------------


def _scoped(principal: Principal, report_id: int) -> Report:
    return reports.get_report(principal.organisation_id, report_id)


def _item(report: Report) -> dict[str, Any]:
    return {
        "id": report.id,
        "reporting_year": report.reporting_year,
        "revision": report.revision,
        "revises_id": report.revises_id,
        "status": report.status,
        "language": report.language,
        "legal_name": report.entity.get("legal_name", ""),
        "updated_at": report.updated_at,
    }


def _report(report: Report) -> dict[str, Any]:
    later = reports.revised_by(report)
    return {
        **_item(report),
        "revised_by_id": later.id if later else None,
        "assessment_ids": [a.id for a in reports.assessments_of(report)],
        "entity": report.entity,
        "sections": report.sections,
        "answers": reports.answers_of(report),
        "approval": report.approval,
        "created_at": report.created_at,
        "approved_at": report.approved_at,
        "published_at": report.published_at,
    }


def _finding(finding: Finding) -> dict[str, Any]:
    return {
        "severity": finding.severity,
        "code": finding.code,
        "section": finding.section,
        "question": finding.question,
        "message": finding.message,
        "message_fr": finding.message_fr,
        "fix": finding.fix,
        "fix_fr": finding.fix_fr,
    }


# Resources -----------------------------------------------------------------------------------


@blp.route("/reports")
class Reports(MethodView):
    @blp.doc(security=BEARER_SECURITY)
    @blp.arguments(ListQuerySchema, location="query")
    @blp.response(200, ReportListSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List your organisation's reports, newest year and revision first."""
        principal = require_org()
        rows = reports.list_reports(principal.organisation_id, args.get("year"))
        return {"items": [_item(row) for row in rows]}

    @blp.doc(security=BEARER_SECURITY)
    @blp.arguments(ReportCreateSchema)
    @blp.response(201, ReportSchema)
    @blp.alt_response(404, **PROBLEM)
    @blp.alt_response(409, **PROBLEM)
    @blp.alt_response(422, **PROBLEM)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Start a draft report for a year from finished assessments.

        Sections (a) and (c) are drafted from the assessments' evidence (each statement keeps
        links to the figures it states) and the "risks identified" answers are pre-selected.
        409 when the year has a report already.
        """
        principal = require_org("analyst")
        report = reports.create_report(
            principal, body["reporting_year"], body["assessment_ids"], body["language"]
        )
        db.session.commit()
        return _report(report)


@blp.route("/reports/<int:report_id>")
class ReportResource(MethodView):
    @blp.doc(security=BEARER_SECURITY)
    @blp.response(200, ReportSchema)
    @blp.alt_response(404, **PROBLEM)
    def get(self, report_id: int) -> dict[str, Any]:
        """Read a report: entity details, sections, every answer, approval, status."""
        principal = require_org()
        return _report(_scoped(principal, report_id))

    @blp.doc(security=BEARER_SECURITY)
    @blp.arguments(ReportUpdateSchema)
    @blp.response(200, ReportSchema)
    @blp.alt_response(404, **PROBLEM)
    @blp.alt_response(409, **PROBLEM)
    @blp.alt_response(422, **PROBLEM)
    def patch(self, body: dict[str, Any], report_id: int) -> dict[str, Any]:
        """Change a draft report (entity, sections, answers, approval, language)."""
        principal = require_org("analyst")
        report = reports.update_report(_scoped(principal, report_id), principal, **body)
        db.session.commit()
        return _report(report)


@blp.route("/reports/<int:report_id>/redraft")
class Redraft(MethodView):
    @blp.doc(security=BEARER_SECURITY)
    @blp.response(200, ReportSchema)
    @blp.alt_response(404, **PROBLEM)
    @blp.alt_response(409, **PROBLEM)
    def post(self, report_id: int) -> dict[str, Any]:
        """Draft (a) and (c) again from the assessments as they are now; your text stays."""
        principal = require_org("analyst")
        report = reports.redraft(_scoped(principal, report_id), principal)
        db.session.commit()
        return _report(report)


@blp.route("/reports/<int:report_id>/checks")
class Checks(MethodView):
    @blp.doc(security=BEARER_SECURITY)
    @blp.response(200, ChecksSchema)
    @blp.alt_response(404, **PROBLEM)
    def get(self, report_id: int) -> dict[str, Any]:
        """Check the report, its answers and the data: blocking problems and warnings.

        Each finding names the section (a-g, entity, approval, questionnaire) and the fix.
        """
        principal = require_org()
        result = reports.run_checks(_scoped(principal, report_id))
        return {
            "blocking": len(result.blocking),
            "warnings": len(result.warnings),
            "estimated_pages": round(result.pages, 1),
            "page_limit": result.page_limit,
            "findings": [_finding(f) for f in result.findings],
        }


@blp.route("/reports/<int:report_id>/approve")
class Approve(MethodView):
    @blp.doc(security=BEARER_SECURITY)
    @blp.arguments(ApprovalBodySchema)
    @blp.response(200, ReportSchema)
    @blp.alt_response(404, **PROBLEM)
    @blp.alt_response(409, **PROBLEM)
    @blp.alt_response(422, **PROBLEM)
    def post(self, body: dict[str, Any], report_id: int) -> dict[str, Any]:
        """Record the governing body's approval; the report is frozen from then on.

        409, with every blocking finding in `errors`, while anything blocks.
        """
        principal = require_org("owner")
        report = _scoped(principal, report_id)
        if body.get("approval"):
            reports.update_report(report, principal, approval=body["approval"])
        reports.approve(report, principal)
        db.session.commit()
        return _report(report)


@blp.route("/reports/<int:report_id>/publish")
class Publish(MethodView):
    @blp.doc(security=BEARER_SECURITY)
    @blp.response(200, ReportSchema)
    @blp.alt_response(404, **PROBLEM)
    @blp.alt_response(409, **PROBLEM)
    def post(self, report_id: int) -> dict[str, Any]:
        """Mark an approved report as published on your website."""
        principal = require_org("owner")
        report = reports.publish(_scoped(principal, report_id), principal)
        db.session.commit()
        return _report(report)


@blp.route("/reports/<int:report_id>/revise")
class Revise(MethodView):
    @blp.doc(security=BEARER_SECURITY)
    @blp.arguments(ReviseSchema)
    @blp.response(201, ReportSchema)
    @blp.alt_response(404, **PROBLEM)
    @blp.alt_response(409, **PROBLEM)
    @blp.alt_response(422, **PROBLEM)
    def post(self, body: dict[str, Any], report_id: int) -> dict[str, Any]:
        """Start a revised report (s.12) from an approved one: a new draft revision."""
        principal = require_org("analyst")
        revision = reports.revise(
            _scoped(principal, report_id),
            principal,
            body["description"],
            body["original_date"],
        )
        db.session.commit()
        return _report(revision)


@blp.route("/reports/<int:report_id>/report.pdf")
class ReportPdf(MethodView):
    @blp.doc(
        security=BEARER_SECURITY,
        responses={"200": {"description": "The report as PDF", "content": {PDF: {}}}},
    )
    @blp.arguments(LangQuerySchema, location="query")
    @blp.alt_response(404, **PROBLEM)
    def get(self, args: dict[str, Any], report_id: int) -> Response:
        """Download the report as PDF, in English, French or both."""
        principal = require_org()
        report = _scoped(principal, report_id)
        lang = args.get("lang") or report.language
        body = reports.render_report_pdf(report, lang)
        return attachment(body, reports.download_name(report, "pdf", lang), PDF)


@blp.route("/reports/<int:report_id>/answers.pdf")
class AnswersPdf(MethodView):
    @blp.doc(
        security=BEARER_SECURITY,
        responses={"200": {"description": "Printable answers", "content": {PDF: {}}}},
    )
    @blp.arguments(LangQuerySchema, location="query")
    @blp.alt_response(404, **PROBLEM)
    def get(self, args: dict[str, Any], report_id: int) -> Response:
        """Download the questionnaire answers as a printable PDF."""
        principal = require_org()
        report = _scoped(principal, report_id)
        lang = args.get("lang") or report.language
        body = reports.render_answers(report, lang)
        return attachment(body, reports.download_name(report, "answers.pdf", lang), PDF)


@blp.route("/reports/<int:report_id>/questionnaire.json")
class QuestionnaireJson(MethodView):
    @blp.doc(
        security=BEARER_SECURITY,
        responses={
            "200": {
                "description": "The answers under schema s211-questionnaire/1 "
                "(supplychain/reporting/schema/questionnaire-1.json)",
                "content": {"application/json": {}},
            }
        },
    )
    @blp.alt_response(404, **PROBLEM)
    def get(self, report_id: int) -> Response:
        """Download the questionnaire answers as machine-readable JSON (validated)."""
        principal = require_org()
        report = _scoped(principal, report_id)
        body = json.dumps(reports.questionnaire_document(report), ensure_ascii=False, indent=2)
        return attachment(
            body.encode("utf-8"), reports.download_name(report, "json"), "application/json"
        )


@blp.route("/reports/<int:report_id>/crosswalk")
class CrosswalkResource(MethodView):
    @blp.doc(security=BEARER_SECURITY)
    @blp.response(200, CrosswalkSchema)
    @blp.alt_response(404, **PROBLEM)
    def get(self, report_id: int) -> dict[str, Any]:
        """Which parts of the report also meet UK MSA s.54(5) and Australian MSA s.16 items."""
        principal = require_org()
        walk = reports.report_crosswalk(_scoped(principal, report_id))
        return {
            "rows": [
                {
                    "section": row.section,
                    "filled": row.filled,
                    "uk": [{"ref": i.ref, "text": i.text, "coverage": c} for i, c in row.uk],
                    "au": [{"ref": i.ref, "text": i.text, "coverage": c} for i, c in row.au],
                }
                for row in walk.rows
            ],
            "uncovered": [{"ref": i.ref, "text": i.text} for i in walk.uncovered],
        }
