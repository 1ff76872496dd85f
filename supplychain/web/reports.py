"""Pages of an organisation's S-211 reports: list, new, entity, sections, questionnaire, checks,
approval, downloads and the cross-walk.

Views translate between forms and `supplychain.services.reports`; every report is found with
`get_scoped`, so another organisation's report is a 404 on every page. A form that does not
validate is shown again with what the person typed and each problem next to its field
(`errors` keyed as the service names places: "entity.financial_year_end", "answers.training").
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

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
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response as BaseResponse

from supplychain.auth import require_org
from supplychain.downloads import attachment
from supplychain.errors import Conflict, InvalidInput
from supplychain.extensions import db
from supplychain.models.assessments import Assessment, Upload
from supplychain.models.reports import REPORT_LANGUAGES, Report
from supplychain.reporting.findings import Finding
from supplychain.reporting.i18n import t
from supplychain.reporting.model import SECTIONS, report_langs
from supplychain.reporting.questionnaire import (
    DETAILS_LIMIT,
    QUESTIONS,
    QUESTIONS_BY_ID,
    Question,
    is_shown,
    option_label,
)
from supplychain.services import catalogue, reports
from supplychain.services.access import Principal, scoped_select
from supplychain.services.refdata import get_reference
from supplychain.services.report_json import DERIVED_ANSWERS, ENTITY_LISTS, SCOPE_FLAGS

bp = Blueprint("reports", __name__)

LANGUAGE_NAMES = {"en": "English", "fr": "French", "both": "English and French"}
SCOPE_LABELS = {
    "listed_in_canada": "Listed on a stock exchange in Canada",
    "canadian_presence": "Has a place of business, does business or has assets in Canada",
    "assets_20m": "Total assets of at least CAD 20 million",
    "revenue_40m": "Revenue of at least CAD 40 million",
    "employees_250": "An average of at least 250 employees",
}
BLANK_ENTITY_ROWS = 2  # empty rows offered for more covered entities
MANY_OPTIONS = 30  # more options than this are listed in a scrolling box, chosen ones first
STATUS_CLASS = {
    "draft": "status-draft",
    "approved": "status-approved",
    "published": "status-published",
}


class ActionForm(FlaskForm):
    """A form whose fields are read by name; only its CSRF token is declared."""


def _report(principal: Principal, report_id: int) -> Report:
    return reports.get_report(principal.organisation_id, report_id)


def _form_ok() -> bool:
    if ActionForm().validate_on_submit():
        return True
    flash("The form expired; please send it again.", "error")
    return False


def section_title(key: str) -> str:
    return f"({key}) {t(f'section.{key}', 'en')}"


def _where(finding: Finding) -> str:
    """Name the place of a finding for people."""
    section = finding.section
    if section in SECTIONS:
        return f"Section ({section})"
    if section == "questionnaire" and finding.question:
        question = QUESTIONS_BY_ID.get(finding.question.removesuffix(".details"))
        return f"Questionnaire, question {question.number}" if question else "Questionnaire"
    return {
        "entity": "Entity details",
        "approval": "Approval and attestation",
        "questionnaire": "Questionnaire",
        "evidence": "Evidence",
    }.get(section or "", "The whole report")


def _fix_url(report: Report, finding: Finding) -> str:
    """Return the page (and place on it) where a finding is fixed."""
    section = finding.section
    if section in SECTIONS:
        return url_for("reports.section", report_id=report.id, key=section)
    if section == "entity":
        return url_for("reports.entity", report_id=report.id)
    if section == "approval":
        return url_for("reports.approval", report_id=report.id)
    if section == "questionnaire":
        question = (finding.question or "").removesuffix(".details")
        if question in DERIVED_ANSWERS:
            return url_for("reports.entity", report_id=report.id)
        anchor = f"#q-{question}" if question in QUESTIONS_BY_ID else ""
        return url_for("reports.questionnaire", report_id=report.id) + anchor
    return url_for("reports.show", report_id=report.id)


def _context(report: Report, principal: Principal, **extra: Any) -> dict[str, Any]:
    """What every report page shows: the report, its status and what the person may do."""
    return {
        "report": report,
        "can_edit": principal.can("analyst") and not report.frozen,
        "can_approve": principal.can("owner"),
        "is_analyst": principal.can("analyst"),
        "form": ActionForm(formdata=None),
        "language_names": LANGUAGE_NAMES,
        "status_class": STATUS_CLASS,
        "section_title": section_title,
        **extra,
    }


# Listing and creating -----------------------------------------------------------------------


@bp.get("/reports")
@login_required
def index() -> str:
    """List the organisation's reports, newest year and revision first."""
    principal = require_org()
    return render_template(
        "reports/index.html",
        reports=reports.list_reports(principal.organisation_id),
        can_create=principal.can("analyst"),
        language_names=LANGUAGE_NAMES,
        status_class=STATUS_CLASS,
    )


def _finished_assessments(principal: Principal) -> list[tuple[Assessment, Upload | None]]:
    rows = list(
        db.session.scalars(
            scoped_select(Assessment, principal.organisation_id)
            .where(Assessment.status == "done")
            .order_by(Assessment.created_at.desc(), Assessment.id.desc())
            .limit(100)
        )
    )
    files = {
        upload.id: upload
        for upload in db.session.scalars(
            scoped_select(Upload, principal.organisation_id).where(
                Upload.id.in_({row.upload_id for row in rows})
            )
        )
    }
    return [(row, files.get(row.upload_id)) for row in rows]


@bp.route("/reports/new", methods=["GET", "POST"])
@login_required
def new() -> str | tuple[str, int] | BaseResponse:
    """Ask for the year, the assessments to draw on and the language; then draft."""
    principal = require_org("analyst")
    choices = _finished_assessments(principal)
    values: dict[str, Any] = {
        "reporting_year": str(_default_year()),
        "assessment_ids": [str(choices[0][0].id)] if choices else [],
        "language": "en",
    }
    errors: dict[str, list[str]] = {}
    message = None
    if request.method == "POST":
        values = {
            "reporting_year": request.form.get("reporting_year", "").strip(),
            "assessment_ids": request.form.getlist("assessment_ids"),
            "language": request.form.get("language", "en"),
        }
        if _form_ok():
            try:
                year = _int(values["reporting_year"], "reporting_year")
                ids = [_int(v, "assessment_ids") for v in values["assessment_ids"]]
                report = reports.create_report(principal, year, ids, values["language"])
            except (InvalidInput, Conflict) as error:
                db.session.rollback()
                message, errors = error.detail, error.errors
            else:
                db.session.commit()
                flash(
                    f"Report {report.id} drafted: sections (a) and (c) and the risk answers "
                    "come from the assessments. Check every statement before you rely on it."
                )
                return redirect(url_for("reports.show", report_id=report.id))
    page = render_template(
        "reports/new.html",
        choices=choices,
        values=values,
        errors=errors,
        message=message,
        languages=REPORT_LANGUAGES,
        language_names=LANGUAGE_NAMES,
        form=ActionForm(formdata=None),
    )
    return (page, 422) if request.method == "POST" else page


def _default_year() -> int:
    """The year just ended: reports are due by 31 May for the previous financial year."""
    return date.today().year - 1


def _int(value: str, field: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise InvalidInput(
            f"{value!r} is not a whole number.", errors={field: ["Enter a whole number."]}
        ) from None


# The report ---------------------------------------------------------------------------------


@bp.get("/reports/<int:report_id>")
@login_required
def show(report_id: int) -> str:
    """The report at a glance: status, parts, checks, downloads and next steps."""
    principal = require_org()
    report = _report(principal, report_id)
    result = reports.run_checks(report)
    blocking_by_part: dict[str, int] = {}
    for finding in result.blocking:
        part = finding.section if finding.section in SECTIONS else finding.section or "report"
        blocking_by_part[part] = blocking_by_part.get(part, 0) + 1
    later = reports.revised_by(report)
    earlier = (
        reports.get_report(report.organisation_id, report.revises_id) if report.revises_id else None
    )
    model = reports.report_model(report)
    return render_template(
        "reports/show.html",
        **_context(report, principal),
        checks=result,
        blocking_by_part=blocking_by_part,
        assessments=reports.assessments_of(report),
        revised_by=later,
        revises=earlier,
        filled={
            key: any(model.section(key).filled(lang) for lang in model.langs) for key in SECTIONS
        },
        description_limit=DETAILS_LIMIT,
        langs=report_langs(report.language),  # type: ignore[arg-type]
    )


# Entity details -----------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _entity_from_form(form: MultiDict[str, str]) -> dict[str, Any]:
    """Read the entity form into the stored shape (values as typed; the service checks them)."""
    covered = []
    for index in range(int(form.get("covered_rows", "0") or 0)):
        name = form.get(f"covered-{index}-name", "").strip()
        numbers = form.get(f"covered-{index}-numbers", "")
        if name or numbers.strip():
            covered.append(
                {"legal_name": name, "business_numbers": _lines(numbers.replace(",", "\n"))}
            )
    return {
        "legal_name": form.get("legal_name", ""),
        "business_numbers": _lines(form.get("business_numbers", "")),
        "financial_year_start": form.get("financial_year_start", "").strip() or None,
        "financial_year_end": form.get("financial_year_end", "").strip() or None,
        "revised": (
            {
                "original_date": form.get("revised_original_date", "").strip() or None,
                "description": form.get("revised_description", ""),
            }
            if form.get("revised")
            else None
        ),
        "joint": {"covered_entities": covered} if form.get("joint") else None,
        "scope": {flag: flag in form.getlist("scope") for flag in SCOPE_FLAGS},
        **{name: form.getlist(name) for name in ENTITY_LISTS},
    }


def _options(question_id: str) -> list[tuple[str, str]]:
    return [(o.value, o.en) for o in QUESTIONS_BY_ID[question_id].options]


@bp.route("/reports/<int:report_id>/entity", methods=["GET", "POST"])
@login_required
def entity(report_id: int) -> str | tuple[str, int] | BaseResponse:
    """Who reports, for which financial year, and why: the entity details."""
    principal = require_org()
    report = _report(principal, report_id)
    values = report.entity
    errors: dict[str, list[str]] = {}
    message = None
    if request.method == "POST":
        principal = require_org("analyst")
        values = _entity_from_form(request.form)
        if _form_ok():
            try:
                reports.update_report(report, principal, entity=values)
            except (InvalidInput, Conflict) as error:
                db.session.rollback()
                message, errors = error.detail, error.errors
            else:
                db.session.commit()
                flash("Entity details saved; the questionnaire’s Part 1 follows them.")
                return redirect(url_for("reports.entity", report_id=report.id))
    covered = list((values.get("joint") or {}).get("covered_entities") or [])
    page = render_template(
        "reports/entity.html",
        **_context(report, principal),
        values=values,
        errors=errors,
        message=message,
        covered=covered + [{"legal_name": "", "business_numbers": []}] * BLANK_ENTITY_ROWS,
        scope_labels=SCOPE_LABELS,
        option_lists={name: _options(question) for name, question in ENTITY_LISTS.items()},
        list_labels={
            "sectors": "Sectors or industries (NAICS)",
            "provinces": "Provinces or territories of the head office or principal place of "
            "business",
            "activities": "Activities",
            "other_laws": "Other supply-chain reporting laws the entity is subject to",
        },
        description_limit=DETAILS_LIMIT,
    )
    return (page, 422) if errors or message else page


# Sections -----------------------------------------------------------------------------------


def _figure(kind: str, value: Any) -> str:
    if kind in ("share_band", "insufficient_data_share") and isinstance(value, float):
        return f"{value:.1%}"
    if kind.startswith("risk_"):
        return f"{value:,} line{'s' if value != 1 else ''}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _evidence_links(link: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Return (label, URL) of the data behind one evidence link, one per assessment."""
    reference = get_reference(current_app.config)
    kind, key = link["kind"], str(link.get("key") or "")
    label, figure = t(f"kind.{kind}", "en"), _figure(kind, link.get("value"))
    if kind == "method":
        return [(f"{label}: {figure} ({key})", url_for("pages.about") + "#sources")]
    if kind == "source":
        return [(f"{label}: {key} ({figure})", url_for("pages.about") + f"#source-{key}")]
    thing, _, band = key.partition(":")
    filters: dict[str, Any] = {}
    text = f"{label}: {figure}"
    if kind == "risk_country":
        name = catalogue.country_name(reference, thing)
        filters, text = {"country": thing, "sort": "-score"}, f"{label}: {name} ({band}), {figure}"
    elif kind == "risk_good":
        good = reference.goods.get(thing)
        name = good.name if good else thing
        filters, text = {"good": thing, "sort": "-score"}, f"{label}: {name} ({band}), {figure}"
    elif kind == "risk_sector":
        text = f"{label}: NAICS {thing} ({band}), {figure}"
    elif kind == "share_band" and key:
        filters, text = {"band": key}, f"{label} {key}: {figure}"
    ids = [part.strip() for part in str(link.get("assessment_id") or "").split(",")]
    ids = [part for part in ids if part.isdigit()]
    return [
        (
            text + (f" (assessment {assessment_id})" if len(ids) > 1 else ""),
            url_for("assessments.show", assessment_id=int(assessment_id), **filters),
        )
        for assessment_id in ids
    ]


def _section_from_form(report: Report, key: str, form: MultiDict[str, str]) -> dict[str, Any]:
    langs = report_langs(report.language)  # type: ignore[arg-type]
    statements = report.sections[key]["statements"]
    edits: list[dict[str, Any]] = []
    for index, statement in enumerate(statements):
        if statement.get("lang") not in langs:
            edits.append({})  # not on the page: left as it is
            continue
        edits.append(
            {
                "text": form.get(f"statement-{index}-text", statement["text"]),
                "remove": bool(form.get(f"statement-{index}-remove")),
            }
        )
    return {
        "text": {lang: form.get(f"text-{lang}", "") for lang in langs},
        "statements": edits,
    }


@bp.route("/reports/<int:report_id>/sections/<key>", methods=["GET", "POST"])
@login_required
def section(report_id: int, key: str) -> str | tuple[str, int] | BaseResponse:
    """One of (a)-(g): the person's text and the drafted statements with their data."""
    principal = require_org()
    report = _report(principal, report_id)
    if key not in SECTIONS:
        return redirect(url_for("reports.section", report_id=report.id, key="a"))
    stored = report.sections[key]
    values = {"text": dict(stored["text"]), "statements": stored["statements"]}
    errors: dict[str, list[str]] = {}
    message = None
    if request.method == "POST":
        principal = require_org("analyst")
        change = _section_from_form(report, key, request.form)
        values = {
            "text": {**stored["text"], **change["text"]},
            "statements": [
                {**s, "text": e.get("text", s["text"]), "removed": e.get("remove", False)}
                for s, e in zip(stored["statements"], change["statements"], strict=True)
            ],
        }
        if _form_ok():
            try:
                reports.update_report(report, principal, sections={key: change})
            except (InvalidInput, Conflict) as error:
                db.session.rollback()
                message, errors = error.detail, error.errors
            else:
                db.session.commit()
                flash(f"Section ({key}) saved.")
                following = SECTIONS[SECTIONS.index(key) + 1] if key != SECTIONS[-1] else None
                if request.form.get("next") and following:
                    return redirect(url_for("reports.section", report_id=report.id, key=following))
                return redirect(url_for("reports.section", report_id=report.id, key=key))
    langs = report_langs(report.language)  # type: ignore[arg-type]
    page = render_template(
        "reports/section.html",
        **_context(report, principal),
        key=key,
        sections=SECTIONS,
        values=values,
        errors=errors,
        message=message,
        langs=langs,
        lang_names={"en": "English", "fr": "French"},
        statements=[
            (index, s, _evidence_links_all(s))
            for index, s in enumerate(values["statements"])
            if s.get("lang") in langs
        ],
        drafted=key in reports.DRAFTED_SECTIONS,
        heading_fr=f"({key}) {t(f'section.{key}', 'fr')}",
    )
    return (page, 422) if errors or message else page


def _evidence_links_all(statement: Mapping[str, Any]) -> list[tuple[str, str]]:
    found: dict[tuple[str, str], None] = {}
    for link in statement.get("evidence", []):
        for item in _evidence_links(link):
            found[item] = None
    return list(found)


@bp.post("/reports/<int:report_id>/redraft")
@login_required
def redraft(report_id: int) -> BaseResponse:
    """Draft (a) and (c) again from the assessments as they are now."""
    principal = require_org("analyst")
    report = _report(principal, report_id)
    if _form_ok():
        reports.redraft(report, principal)
        db.session.commit()
        flash("Sections (a) and (c) were drafted again from the assessments; your text is kept.")
    return redirect(url_for("reports.section", report_id=report.id, key="c"))


# Questionnaire ------------------------------------------------------------------------------


def _answer_from_form(q: Question, form: MultiDict[str, str]) -> Any:
    name = f"answer-{q.id}"
    if q.type == "multi":
        return form.getlist(name) or None
    if q.type == "list":
        return _lines(form.get(name, "")) or None
    value = form.get(name, "")
    return value if value.strip() else None


def _editable_questions(answers: Mapping[str, Any]) -> list[Question]:
    """The questions answered on this page: Part 2, as shown for the current answers."""
    return [q for q in QUESTIONS if q.id not in DERIVED_ANSWERS and is_shown(q, answers)]


@bp.route("/reports/<int:report_id>/questionnaire", methods=["GET", "POST"])
@login_required
def questionnaire(report_id: int) -> str | tuple[str, int] | BaseResponse:
    """Every question with its options; those the answers hide are not shown."""
    principal = require_org()
    report = _report(principal, report_id)
    answers = reports.answers_of(report)
    errors: dict[str, list[str]] = {}
    message = None
    if request.method == "POST":
        principal = require_org("analyst")
        shown_before = {q.id for q in _editable_questions(answers)}
        change: dict[str, Any] = {}
        for q in _editable_questions(answers):
            change[q.id] = _answer_from_form(q, request.form)
        for q in QUESTIONS:
            if q.details and (q.id in shown_before or q.id == "other_laws"):
                text = request.form.get(f"answer-{q.details_key}", "")
                change[q.details_key] = text if text.strip() else None
        # What the person typed, to show again if the answers are refused.
        typed = {k: v for k, v in {**answers, **change}.items() if v is not None}
        if _form_ok():
            try:
                reports.update_report(report, principal, answers=change)
            except (InvalidInput, Conflict) as error:
                db.session.rollback()
                message, errors = error.detail, error.errors
                answers = typed
            else:
                db.session.commit()
                now = reports.answers_of(report)
                opened = [q for q in _editable_questions(now) if q.id not in shown_before]
                note = (
                    f" {len(opened)} more question{'s' if len(opened) > 1 else ''} now "
                    "shown: answer them below."
                    if opened
                    else ""
                )
                flash("Answers saved." + note)
                anchor = f"#q-{opened[0].id}" if opened else ""
                return redirect(url_for("reports.questionnaire", report_id=report.id) + anchor)
        else:
            answers = typed
    page = render_template(
        "reports/questionnaire.html",
        **_context(report, principal),
        answers=answers,
        errors=errors,
        message=message,
        part1=[q for q in QUESTIONS if q.id in DERIVED_ANSWERS and is_shown(q, answers)],
        part2=_editable_questions(answers),
        other_laws=QUESTIONS_BY_ID["other_laws"],
        shown_answer=_shown_answer,
        many_options=MANY_OPTIONS,
        ordered_options=_ordered_options,
        details_limit=DETAILS_LIMIT,
    )
    return (page, 422) if errors or message else page


def _shown_answer(q: Question, value: Any) -> str:
    """Write a Part 1 answer for reading."""
    if value in (None, "", []):
        return "—"
    if q.type == "entities":
        return "; ".join(
            f"{e['legal_name']} ({', '.join(e.get('business_numbers', []))})" for e in value
        )
    if isinstance(value, list):
        return "; ".join(option_label(q.id, v, "en") for v in value)
    return option_label(q.id, str(value), "en")


def _ordered_options(q: Question, chosen: Iterable[str]) -> list[tuple[str, str, bool]]:
    """Return (value, label, checked), chosen options first when the list is long."""
    picked = set(chosen or [])
    options = [(o.value, o.en, o.value in picked) for o in q.options]
    if len(options) > MANY_OPTIONS:
        options.sort(key=lambda item: not item[2])
    return options


# Checks, approval, publication, revision -----------------------------------------------------


@bp.get("/reports/<int:report_id>/checks")
@login_required
def checks(report_id: int) -> str:
    """Blocking problems and warnings, each with its place, the fix and a link to it."""
    principal = require_org()
    report = _report(principal, report_id)
    result = reports.run_checks(report)
    return render_template(
        "reports/checks.html",
        **_context(report, principal),
        checks=result,
        where=_where,
        fix_url=lambda finding: _fix_url(report, finding),
    )


def _approval_from_form(form: MultiDict[str, str]) -> dict[str, Any]:
    return {
        "approving_body": {"en": form.get("body-en", ""), "fr": form.get("body-fr", "")},
        "approval_date": form.get("approval_date", "").strip() or None,
        "signatory_name": form.get("signatory_name", ""),
        "signatory_title": {"en": form.get("title-en", ""), "fr": form.get("title-fr", "")},
        "attestation": {"en": form.get("attestation-en", ""), "fr": form.get("attestation-fr", "")},
    }


@bp.route("/reports/<int:report_id>/approval", methods=["GET", "POST"])
@login_required
def approval(report_id: int) -> str | tuple[str, int] | BaseResponse:
    """Approval and attestation: save the details; an owner approves, which freezes the report."""
    principal = require_org()
    report = _report(principal, report_id)
    values = report.approval
    errors: dict[str, list[str]] = {}
    message = None
    blocking: list[Finding] = []
    if request.method == "POST":
        approving = request.form.get("action") == "approve"
        principal = require_org("owner" if approving else "analyst")
        values = _approval_from_form(request.form)
        if _form_ok():
            try:
                reports.update_report(report, principal, approval=values)
            except (InvalidInput, Conflict) as error:
                db.session.rollback()
                message, errors = error.detail, error.errors
            else:
                db.session.commit()  # the details are kept even if approval is refused
                if not approving:
                    flash("Approval details saved.")
                    return redirect(url_for("reports.approval", report_id=report.id))
                try:
                    reports.approve(report, principal)
                except Conflict as error:
                    db.session.rollback()
                    message = error.detail
                    blocking = reports.run_checks(report).blocking
                else:
                    db.session.commit()
                    flash(
                        f"Report {report.id} approved. It is frozen now; changes need a revision."
                    )
                    return redirect(url_for("reports.show", report_id=report.id))
    page = render_template(
        "reports/approval.html",
        **_context(report, principal),
        values=values,
        errors=errors,
        message=message,
        blocking=blocking,
        where=_where,
        fix_url=lambda finding: _fix_url(report, finding),
        langs=report_langs(report.language),  # type: ignore[arg-type]
        suggested={lang: t("attestation.suggested", lang) for lang in ("en", "fr")},
    )
    return (page, 422) if errors or message else page


@bp.post("/reports/<int:report_id>/publish")
@login_required
def publish(report_id: int) -> BaseResponse:
    """Mark an approved report as published."""
    principal = require_org("owner")
    report = _report(principal, report_id)
    if _form_ok():
        reports.publish(report, principal)
        db.session.commit()
        flash(f"Report {report.id} is marked as published.")
    return redirect(url_for("reports.show", report_id=report.id))


@bp.post("/reports/<int:report_id>/revise")
@login_required
def revise(report_id: int) -> BaseResponse:
    """Start a revised report from an approved one."""
    principal = require_org("analyst")
    report = _report(principal, report_id)
    if not _form_ok():
        return redirect(url_for("reports.show", report_id=report.id))
    description = request.form.get("description", "")
    try:
        revision = reports.revise(report, principal, description)
    except (InvalidInput, Conflict) as error:
        db.session.rollback()
        flash(error.detail, "error")
        return redirect(url_for("reports.show", report_id=report.id))
    db.session.commit()
    flash(
        f"Revision {revision.revision} started as a draft. Say what changed in the entity "
        "details; it needs approving again."
    )
    return redirect(url_for("reports.show", report_id=revision.id))


# Downloads and the cross-walk ---------------------------------------------------------------


def _lang_arg(report: Report) -> str:
    # The renderers check the language (services.reports._language), before any file name.
    return request.args.get("lang") or report.language


@bp.get("/reports/<int:report_id>/report.pdf")
@login_required
def report_pdf(report_id: int) -> Response:
    principal = require_org()
    report = _report(principal, report_id)
    lang = _lang_arg(report)
    return attachment(
        reports.render_report_pdf(report, lang),
        reports.download_name(report, "pdf", lang),
        "application/pdf",
    )


@bp.get("/reports/<int:report_id>/answers.pdf")
@login_required
def answers_pdf(report_id: int) -> Response:
    principal = require_org()
    report = _report(principal, report_id)
    lang = _lang_arg(report)
    return attachment(
        reports.render_answers(report, lang),
        reports.download_name(report, "answers.pdf", lang),
        "application/pdf",
    )


@bp.get("/reports/<int:report_id>/questionnaire.json")
@login_required
def questionnaire_json(report_id: int) -> Response:
    principal = require_org()
    report = _report(principal, report_id)
    body = json.dumps(reports.questionnaire_document(report), ensure_ascii=False, indent=2)
    return attachment(
        body.encode("utf-8"), reports.download_name(report, "json"), "application/json"
    )


@bp.get("/reports/<int:report_id>/crosswalk")
@login_required
def crosswalk(report_id: int) -> str:
    """Which parts of the report also meet the UK and Australian statement requirements."""
    principal = require_org()
    report = _report(principal, report_id)
    return render_template(
        "reports/crosswalk.html",
        **_context(report, principal),
        walk=reports.report_crosswalk(report),
    )
