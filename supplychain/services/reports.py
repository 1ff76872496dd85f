"""S-211 reports: create, draft from the evidence, edit, check, approve, publish, revise, render.

The views, the API and the CLI call these functions and own the transaction (services flush).
A report is a row of `supplychain.models.reports.Report`; the reporting core
(`supplychain.reporting`) does the drafting, checking and rendering on the plain objects
`report_model` and `report_evidence` build from it.

Life of a report: a draft is created for a reporting year from one or more finished
assessments, with sections (a) and (c) drafted from their evidence and the questionnaire's
"risks identified" answers pre-selected. People edit it (analysts), check it, and an owner
approves it once nothing blocks; approval freezes the row and the evidence it states. An
approved report can be published. Any later change is a revised report (s.12 of the Act):
`revise` makes the next revision, a draft again, that says what it revises.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import current_app

from supplychain.errors import Conflict, InvalidInput, NotFound
from supplychain.extensions import db
from supplychain.models.accounts import Organisation
from supplychain.models.assessments import Assessment
from supplychain.models.refdata import utcnow
from supplychain.models.reports import REPORT_LANGUAGES, Report, ReportAssessment
from supplychain.reporting import model as core
from supplychain.reporting.checks import check_report, estimate_pages
from supplychain.reporting.crosswalk import CrosswalkRow, ForeignItem, crosswalk, uncovered
from supplychain.reporting.drafting import draft_sections, preselect_risks
from supplychain.reporting.export import ExportError, export_json, render_answers_pdf
from supplychain.reporting.findings import Finding
from supplychain.reporting.i18n import t
from supplychain.reporting.pdf import render_pdf
from supplychain.reporting.questionnaire import DETAILS_LIMIT
from supplychain.services import audit, report_json
from supplychain.services.access import Principal, get_scoped, scoped_select
from supplychain.services.refdata import get_reference
from supplychain.services.report_evidence import build_evidence
from supplychain.services.report_json import Problems

REPORT_CREATED = "report.created"
REPORT_UPDATED = "report.updated"
REPORT_REDRAFTED = "report.redrafted"
REPORT_APPROVED = "report.approved"
REPORT_PUBLISHED = "report.published"
REPORT_REVISED = "report.revised"

FIRST_YEAR = 2023  # the Act came into force on 1 January 2024; first reports covered 2023
MAX_ASSESSMENTS = 20
DRAFTED_SECTIONS = ("a", "c")


# --- Finding reports -----------------------------------------------------------------------


def list_reports(organisation_id: int, year: int | None = None) -> list[Report]:
    """Return an organisation's reports, newest year and revision first."""
    query = scoped_select(Report, organisation_id)
    if year is not None:
        query = query.where(Report.reporting_year == year)
    query = query.order_by(Report.reporting_year.desc(), Report.revision.desc())
    return list(db.session.scalars(query))


def get_report(organisation_id: int, report_id: int) -> Report:
    """Return one of an organisation's reports (NotFound for another organisation's)."""
    return get_scoped(Report, report_id, organisation_id)


def find_reports(organisation_id: int | None = None) -> list[Report]:
    """List reports for the command line: one organisation's, or (None) every organisation's.

    The operator of the installation runs the CLI on the server and sees every organisation's
    data there; pages and the API use `list_reports`, always scoped.
    """
    if organisation_id is not None:
        return list_reports(organisation_id)
    query = sa.select(Report).order_by(
        Report.organisation_id, Report.reporting_year.desc(), Report.revision.desc()
    )
    return list(db.session.scalars(query))


def find_report(report_id: int, organisation_id: int | None = None) -> Report:
    """Return a report for the command line: scoped when an organisation is given.

    Without one, the operator gets any report by id (see `find_reports`).
    """
    if organisation_id is not None:
        return get_report(organisation_id, report_id)
    report = db.session.scalar(sa.select(Report).where(Report.id == report_id))
    if report is None:
        raise NotFound(f"No report {report_id}.")
    return report


def assessments_of(report: Report) -> list[Assessment]:
    """Return the assessments a report draws on, in the order they were chosen."""
    query = (
        scoped_select(Assessment, report.organisation_id)
        .join(ReportAssessment, ReportAssessment.assessment_id == Assessment.id)
        .where(
            ReportAssessment.report_id == report.id,
            ReportAssessment.organisation_id == report.organisation_id,
        )
        .order_by(ReportAssessment.position)
    )
    return list(db.session.scalars(query))


def revised_by(report: Report) -> Report | None:
    """Return the revision that replaces this report, if there is one."""
    return db.session.scalar(
        scoped_select(Report, report.organisation_id).where(Report.revises_id == report.id)
    )


# --- Plain objects for the reporting core --------------------------------------------------


def report_model(report: Report) -> core.Report:
    """Build the reporting core's report from the stored row."""
    problems = Problems()
    entity = report_json.entity_from_json(report.entity, problems)
    approval = report_json.approval_from_json(report.approval, problems)
    if problems.errors:  # stored JSON is written by report_json: this is a bug, not input
        raise RuntimeError(f"report {report.id} holds invalid JSON: {problems.errors}")
    return core.Report(
        entity=entity,
        language=report.language,  # type: ignore[arg-type]
        sections=report_json.sections_from_stored(report.sections),
        approval=approval,
        status=report.status,  # type: ignore[arg-type]
    )


def report_evidence(report: Report) -> core.EvidenceSummary | None:
    """Return the evidence the report states: frozen when approved, else its assessments' now."""
    if report.evidence is not None:
        return report_json.evidence_from_json(report.evidence)
    return build_evidence(assessments_of(report), get_reference(current_app.config))


def answers_of(report: Report) -> dict[str, Any]:
    """Return every questionnaire answer: Part 1 from the entity details, then the rest."""
    problems = Problems()
    entity = report_json.entity_from_json(report.entity, problems)
    return report_json.full_answers(entity, report.answers)


# --- Creating ------------------------------------------------------------------------------


def _language(value: str) -> str:
    if value not in REPORT_LANGUAGES:
        raise InvalidInput(
            f"{value!r} is not a report language; use en, fr or both.",
            errors={"language": ["Use en, fr or both."]},
        )
    return value


def _year(value: int) -> int:
    latest = date.today().year + 1
    if not FIRST_YEAR <= value <= latest:
        raise InvalidInput(
            f"{value} is not a reporting year we can report on: the Act applies to financial "
            f"years from {FIRST_YEAR}; give a year from {FIRST_YEAR} to {latest}.",
            errors={"reporting_year": [f"Give a year from {FIRST_YEAR} to {latest}."]},
        )
    return value


def _chosen_assessments(organisation_id: int, ids: Sequence[int]) -> list[Assessment]:
    unique = list(dict.fromkeys(ids))
    if not unique:
        raise InvalidInput(
            "Choose at least one finished assessment for the report to draw on.",
            errors={"assessment_ids": ["Choose at least one assessment."]},
        )
    if len(unique) > MAX_ASSESSMENTS:
        raise InvalidInput(
            f"A report draws on at most {MAX_ASSESSMENTS} assessments; {len(unique)} were given.",
            errors={"assessment_ids": [f"At most {MAX_ASSESSMENTS}."]},
        )
    chosen = [get_scoped(Assessment, i, organisation_id) for i in unique]
    unfinished = [a for a in chosen if a.status != "done" or not a.summary]
    if unfinished:
        first = unfinished[0]
        raise InvalidInput(
            f"Assessment {first.id} is {first.status}: a report draws on finished assessments.",
            errors={"assessment_ids": [f"Assessment {a.id} is {a.status}." for a in unfinished]},
        )
    return chosen


def _link_assessments(report: Report, assessments: Sequence[Assessment]) -> None:
    for position, assessment in enumerate(assessments):
        db.session.add(
            ReportAssessment(
                report_id=report.id,
                assessment_id=assessment.id,
                organisation_id=report.organisation_id,
                position=position,
            )
        )


def _drafted_json(evidence: core.EvidenceSummary | None, language: str) -> dict[str, Any]:
    """Return fresh sections with (a) and (c) drafted from the evidence."""
    sections = report_json.empty_sections_json()
    if evidence is None:
        return sections
    for key, statements in draft_sections(evidence, language).items():  # type: ignore[arg-type]
        sections[key]["statements"] = [report_json.statement_to_json(s) for s in statements]
    return sections


def create_report(
    principal: Principal, year: int, assessment_ids: Sequence[int], language: str = "en"
) -> Report:
    """Create a draft report for a year, drafted from the chosen finished assessments."""
    organisation_id = principal.organisation_id
    _year(year)
    _language(language)
    assessments = _chosen_assessments(organisation_id, assessment_ids)
    existing = list_reports(organisation_id, year)
    if existing:
        latest = existing[0]
        raise Conflict(
            f"There is already a report for {year} (report {latest.id}, revision "
            f"{latest.revision}, {latest.status}). Open it"
            + (", or revise it." if latest.frozen else ".")
        )
    evidence = build_evidence(assessments, get_reference(current_app.config))
    organisation = db.session.get(Organisation, organisation_id)
    entity = core.EntityDetails(legal_name=organisation.name if organisation else "")
    approval = core.Approval(
        attestation=core.BilingualText(
            en=t("attestation.suggested", "en"), fr=t("attestation.suggested", "fr")
        )
    )
    first_lang: core.Lang = "fr" if language == "fr" else "en"
    answers = preselect_risks(evidence, first_lang) if evidence else {}
    report = Report(
        organisation_id=organisation_id,
        reporting_year=year,
        revision=1,
        status="draft",
        language=language,
        entity=report_json.entity_to_json(entity),
        sections=_drafted_json(evidence, language),
        answers=answers,
        approval=report_json.approval_to_json(approval),
        created_by_id=principal.user_id,
        token_id=principal.token_id,
    )
    db.session.add(report)
    db.session.flush()
    _link_assessments(report, assessments)
    db.session.flush()
    _record(
        REPORT_CREATED,
        principal,
        report,
        {
            "reporting_year": year,
            "assessments": [a.id for a in assessments],
            "language": language,
            "preselected": sorted(answers),
        },
    )
    return report


# --- Editing -------------------------------------------------------------------------------


def _editable(report: Report) -> None:
    if report.frozen:
        raise Conflict(
            f"Report {report.id} is {report.status}, so it is frozen as approved. To change "
            "it, make a revised report (revise), which starts as a new draft."
        )


def update_report(
    report: Report,
    principal: Principal,
    *,
    entity: Mapping[str, Any] | None = None,
    sections: Mapping[str, Any] | None = None,
    answers: Mapping[str, Any] | None = None,
    approval: Mapping[str, Any] | None = None,
    language: str | None = None,
) -> Report:
    """Change a draft: the parts given replace those stored (fields within them merge).

    Everything is checked before anything is stored; a problem anywhere refuses the whole
    change with an InvalidInput whose errors say where ("entity.financial_year_end", ...).
    """
    _editable(report)
    problems = Problems()
    changed: list[str] = []
    new_entity = report_json.entity_from_json(report.entity, problems)
    if entity is not None:
        if not isinstance(entity, Mapping):
            raise InvalidInput(
                "entity must be an object.", errors={"entity": ["Expected an object."]}
            )
        new_entity = report_json.entity_from_json({**report.entity, **entity}, problems)
        changed.append("entity")
    new_sections = report.sections
    if sections is not None:
        new_sections = report_json.merge_sections(report.sections, sections, problems)
        changed.append("sections")
    new_answers = report.answers
    if answers is not None:
        new_answers = report_json.merge_answers(new_entity, report.answers, answers, problems)
        changed.append("answers")
    elif entity is not None:  # Part 1 changed: re-check the stored answers against it
        new_answers = report_json.merge_answers(new_entity, report.answers, {}, problems)
    new_approval = report.approval
    if approval is not None:
        if not isinstance(approval, Mapping):
            raise InvalidInput(
                "approval must be an object.", errors={"approval": ["Expected an object."]}
            )
        merged = report_json.approval_from_json({**report.approval, **approval}, problems)
        new_approval = report_json.approval_to_json(merged)
        changed.append("approval")
    if language is not None:
        _language(language)
        changed.append("language")
    problems.raise_if_any("report")
    report.entity = report_json.entity_to_json(new_entity)
    report.sections = new_sections
    report.answers = new_answers
    report.approval = new_approval
    if language is not None:
        report.language = language
    report.updated_at = utcnow()
    db.session.flush()
    if changed:
        _record(REPORT_UPDATED, principal, report, {"changed": changed})
    return report


def redraft(report: Report, principal: Principal) -> Report:
    """Draft (a) and (c) again from the current evidence; the person's own text is kept."""
    _editable(report)
    evidence = report_evidence(report)
    fresh = _drafted_json(evidence, report.language)
    sections = {key: dict(value) for key, value in report.sections.items()}
    for key in DRAFTED_SECTIONS:
        sections[key] = {**sections[key], "statements": fresh[key]["statements"]}
    report.sections = sections
    report.updated_at = utcnow()
    db.session.flush()
    _record(REPORT_REDRAFTED, principal, report, {"sections": list(DRAFTED_SECTIONS)})
    return report


# --- Checking ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckResult:
    """The findings on a report, blocking first, and the estimated page count."""

    findings: list[Finding]
    pages: float
    page_limit: int

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.blocking]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.blocking]


def run_checks(report: Report) -> CheckResult:
    """Check the report against the Act, its answers and the evidence it states."""
    model = report_model(report)
    evidence = report_evidence(report)
    limit = {"en": 10, "fr": 10, "both": 20}[report.language]
    return CheckResult(
        findings=check_report(model, answers_of(report), evidence),
        pages=estimate_pages(model, evidence),
        page_limit=limit,
    )


# --- Approval, publication, revision -------------------------------------------------------


def approve(report: Report, principal: Principal) -> Report:
    """Approve a draft with nothing blocking: the report and its evidence are frozen."""
    _editable(report)
    result = run_checks(report)
    if result.blocking:
        raise Conflict(
            f"Report {report.id} cannot be approved yet: {len(result.blocking)} blocking "
            f"problem{'s' if len(result.blocking) > 1 else ''}. Fix them, then approve.",
            errors={
                f"{f.section or 'report'}.{f.code}": [f"{f.message} {f.fix}"]
                for f in result.blocking
            },
        )
    evidence = report_evidence(report)
    report.evidence = report_json.evidence_to_json(evidence) if evidence else None
    report.status = "approved"
    report.approved_at = report.updated_at = utcnow()
    db.session.flush()
    approval = report.approval
    _record(
        REPORT_APPROVED,
        principal,
        report,
        {
            "approval_date": approval.get("approval_date"),
            "signatory": approval.get("signatory_name"),
            "warnings": [f.code for f in result.warnings],
        },
    )
    return report


def publish(report: Report, principal: Principal) -> Report:
    """Mark an approved report as published (on the entity's website, as the Act requires)."""
    if report.status != "approved":
        raise Conflict(
            f"Report {report.id} is {report.status}: only an approved report can be published."
        )
    report.status = "published"
    report.published_at = report.updated_at = utcnow()
    db.session.flush()
    _record(REPORT_PUBLISHED, principal, report, {})
    return report


def revise(
    report: Report,
    principal: Principal,
    description: str = "",
    original_date: date | None = None,
) -> Report:
    """Start a revised report (s.12) from an approved or published one, as a new draft.

    The new revision copies the report and its assessments, says which report it revises
    (by default, the date it was published, else approved) and what changed; it needs a new
    approval, so the approval date is cleared.
    """
    if not report.frozen:
        raise Conflict(
            f"Report {report.id} is still a draft: edit it directly; revise an approved report."
        )
    later = revised_by(report)
    if later is not None:
        raise Conflict(
            f"Report {report.id} was already revised by report {later.id} (revision "
            f"{later.revision}, {later.status}); work on that one."
        )
    if len(description) > DETAILS_LIMIT:
        raise InvalidInput(
            f"The description of the changes is {len(description):,} characters; the "
            f"questionnaire takes at most {DETAILS_LIMIT:,}.",
            errors={"description": [f"At most {DETAILS_LIMIT:,} characters."]},
        )
    entity = report_json.entity_from_json(report.entity, Problems())
    when = original_date or (report.published_at or report.approved_at or utcnow()).date()
    entity.revised = core.RevisedReport(original_date=when, description=description)
    approval = dict(report.approval)
    approval["approval_date"] = None
    revision = Report(
        organisation_id=report.organisation_id,
        reporting_year=report.reporting_year,
        revision=report.revision + 1,
        revises_id=report.id,
        status="draft",
        language=report.language,
        entity=report_json.entity_to_json(entity),
        sections=report.sections,
        answers=report.answers,
        approval=approval,
        created_by_id=principal.user_id,
        token_id=principal.token_id,
    )
    db.session.add(revision)
    db.session.flush()
    _link_assessments(revision, assessments_of(report))
    db.session.flush()
    _record(
        REPORT_REVISED,
        principal,
        revision,
        {"revises": report.id, "revision": revision.revision, "original_date": when.isoformat()},
    )
    return revision


# --- Outputs -------------------------------------------------------------------------------


def render_report_pdf(report: Report, lang: str | None = None) -> bytes:
    """Render the report as PDF in en, fr or both (default: the report's language)."""
    if lang is not None:
        _language(lang)
    return render_pdf(report_model(report), report_evidence(report), lang)  # type: ignore[arg-type]


def questionnaire_document(report: Report) -> dict[str, Any]:
    """Return the questionnaire answers as JSON valid under the published schema."""
    try:
        return export_json(report_model(report), answers_of(report))
    except ExportError as error:  # the answers were checked when saved: should not happen
        raise InvalidInput(
            "The answers do not fit the questionnaire schema; fix them and export again.",
            errors={"answers": error.errors},
        ) from error


def render_answers(report: Report, lang: str | None = None) -> bytes:
    """Print the questionnaire answers as PDF, labels in en, fr or both."""
    language = _language(lang) if lang is not None else report.language
    return render_answers_pdf(report_model(report), answers_of(report), language)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Crosswalk:
    """Which parts of the report also meet UK MSA s.54(5) and Australian MSA s.16 items."""

    rows: list[CrosswalkRow]
    uncovered: list[ForeignItem]


def report_crosswalk(report: Report) -> Crosswalk:
    model = report_model(report)
    return Crosswalk(rows=crosswalk(model), uncovered=uncovered(model))


def download_name(report: Report, kind: str, lang: str | None = None) -> str:
    """Name a download: s211-<year>-r<revision>[-<lang>].<kind>."""
    suffix = f"-{lang}" if lang else ""
    return f"s211-{report.reporting_year}-r{report.revision}{suffix}.{kind}"


def _record(action: str, principal: Principal, report: Report, detail: dict[str, Any]) -> None:
    audit.record(
        action,
        organisation_id=report.organisation_id,
        user_id=principal.user_id,
        token_id=principal.token_id,
        target=report,
        detail=detail,
    )
