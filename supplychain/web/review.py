"""The review queue of an assessment (accept, reject or pick another match) and the audit log.

Decisions are data (`supplychain.services.judgements`): they apply to the same text in every
later upload, and the assessment is re-scored at once so the results show their effect.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
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
from werkzeug.wrappers import Response as BaseResponse

from supplychain.auth import require_org
from supplychain.downloads import attachment
from supplychain.errors import InvalidInput, NotFound
from supplychain.extensions import db
from supplychain.ingest import neutralise
from supplychain.models.assessments import Assessment, AssessmentMatch, Judgement
from supplychain.services import catalogue, judgements, pipeline
from supplychain.services.access import get_scoped
from supplychain.services.refdata import get_reference

bp = Blueprint("review", __name__)

JUDGEMENT_ACTIONS = (judgements.JUDGEMENT_DECIDED, judgements.JUDGEMENT_WITHDRAWN)

KINDS = (("good", "Goods"), ("country", "Countries"), ("supplier", "Suppliers"))
DECISIONS = {"accept": "accepted", "reject": "rejected", "replace": "replaced"}
BULK_FLOOR = {"good": 80, "country": 85, "supplier": 90}  # the bulk form's suggested minimum


class ActionForm(FlaskForm):
    """A decision button: only its CSRF token; the rest is read from the form by name."""


@bp.get("/assessments/<int:assessment_id>/review")
@login_required
def queue(assessment_id: int) -> str:
    """List the matches in the review band, grouped by kind, with their candidates."""
    principal = require_org()
    assessment = get_scoped(Assessment, assessment_id, principal.organisation_id)
    items = judgements.review_queue(assessment)
    return render_template(
        "review/queue.html",
        assessment=assessment,
        groups=[(kind, label, [i for i in items if i["kind"] == kind]) for kind, label in KINDS],
        can_decide=principal.can("analyst"),
        form=ActionForm(formdata=None),
        options=_options() if principal.can("analyst") else {},
        bulk_floor=BULK_FLOOR,
        singular={"good": "goods", "country": "country", "supplier": "supplier"},
    )


def _options() -> dict[str, list[tuple[str, str]]]:
    """Return what a person may pick instead: catalogue goods, countries, listed entities."""
    ref = get_reference(current_app.config)
    goods = sorted(((g.id, g.name) for g in ref.goods.values()), key=lambda item: item[1])
    countries = sorted(
        ((c.iso3, catalogue.country_name(ref, c.iso3)) for c in ref.countries.values()),
        key=lambda item: item[1],
    )
    entities = sorted(((e.entity_id, f"{e.name} ({e.list})") for e in ref.entities), key=_name)
    return {"good": goods, "country": countries, "supplier": entities}


def _name(item: tuple[str, str]) -> str:
    return item[1].casefold()


@bp.post("/assessments/<int:assessment_id>/review/<int:match_id>")
@login_required
def decide(assessment_id: int, match_id: int) -> BaseResponse:
    """Accept, reject or replace one match (or one candidate of it), then re-score."""
    principal = require_org("analyst")
    assessment = get_scoped(Assessment, assessment_id, principal.organisation_id)
    match = get_scoped(AssessmentMatch, match_id, principal.organisation_id)
    if match.assessment_id != assessment.id:
        raise NotFound("No such match in this assessment.")
    back = redirect(url_for("review.queue", assessment_id=assessment.id))
    if not ActionForm().validate_on_submit():
        flash("The form expired; please try again.", "error")
        return back
    decision = request.form.get("decision", "")
    target = request.form.get("target", "").strip() or None
    if decision not in DECISIONS:
        raise InvalidInput(f"Unknown decision {decision!r}: use accept, reject or replace.")
    if decision == "replace" and not target:
        flash("Choose the match to use instead, then press “Use this”.", "error")
        return back
    judgement = judgements.decide(
        principal.organisation_id,
        match.kind,
        match.query_key,
        decision,
        target_id=_target_id(decision, target),
        candidate_id=request.form.get("candidate_id", ""),
        user_id=principal.user_id,
        token_id=principal.token_id,
        query=match.query,
        reference=get_reference(current_app.config),
    )
    changed = pipeline.rescore(assessment, principal)
    db.session.commit()
    flash(f"{_said(judgement, match.query)} {_rescored(changed)}")
    return back


def _target_id(decision: str, target: str | None) -> str | None:
    """Take the id out of a datalist choice ("id · name" or a bare id)."""
    if decision != "replace" or target is None:
        return None
    return target.split(" · ", 1)[0].strip()


@bp.post("/assessments/<int:assessment_id>/review/bulk")
@login_required
def decide_bulk(assessment_id: int) -> BaseResponse:
    """Accept (or reject) every match of one kind scoring at least the given score."""
    principal = require_org("analyst")
    assessment = get_scoped(Assessment, assessment_id, principal.organisation_id)
    back = redirect(url_for("review.queue", assessment_id=assessment.id))
    if not ActionForm().validate_on_submit():
        flash("The form expired; please try again.", "error")
        return back
    kind = request.form.get("kind", "")
    decision = request.form.get("decision", "accept")
    minimum = request.form.get("min_score", type=float)
    if kind not in dict(KINDS) or decision not in ("accept", "reject") or minimum is None:
        raise InvalidInput("Choose a kind, accept or reject, and a minimum score from 0 to 100.")
    count = judgements.decide_bulk(
        assessment,
        kind,
        minimum,
        100.0,
        decision,
        user_id=principal.user_id,
        token_id=principal.token_id,
    )
    changed = pipeline.rescore(assessment, principal) if count else None
    db.session.commit()
    label = dict(KINDS)[kind].lower()
    singular = "goods" if kind == "good" else kind
    flash(
        f"{DECISIONS[decision].capitalize()} {count} {singular} "
        f"match{'es' if count != 1 else ''} scoring {minimum:g} or more. {_rescored(changed)}"
        if count
        else f"No {label} match in review scores {minimum:g} or more."
    )
    return back


def _said(judgement: Judgement, query: str) -> str:
    """Say what was decided, in one sentence."""
    verb = DECISIONS[judgement.decision]
    target = f" (now {judgement.target_id})" if judgement.target_id else ""
    return f"{verb.capitalize()} “{query}”{target}; later uploads reuse this."


def _rescored(changed: dict[str, int] | None) -> str:
    """Say how many lines' scores changed after the re-scoring."""
    lines = (changed or {}).get("lines_changed", 0)
    if lines == 0:
        return "No line's score changed."
    return f"{lines:,} line{'s' if lines != 1 else ''} re-scored."


# Audit log ---------------------------------------------------------------------------------


AUDIT_PAGE = 200
AUDIT_COLUMNS = ("when", "who", "kind", "query", "decision", "before", "after", "note")


@bp.get("/audit-log")
@login_required
def audit_log() -> str:
    """List the organisation's match decisions: who, when, what, before and after."""
    principal = require_org()
    page = max(1, request.args.get("page", 1, type=int) or 1)
    events = judgements.audit_log(
        principal.organisation_id,
        actions=JUDGEMENT_ACTIONS,
        limit=AUDIT_PAGE + 1,
        offset=(page - 1) * AUDIT_PAGE,
    )
    return render_template(
        "review/audit_log.html",
        entries=[_decision_row(event) for event in events[:AUDIT_PAGE]],
        page=page,
        more=len(events) > AUDIT_PAGE,
    )


@bp.get("/audit-log.csv")
@login_required
def audit_log_csv() -> Response:
    """Download every match decision as CSV (formula-safe for spreadsheets)."""
    principal = require_org()
    events = judgements.audit_log(principal.organisation_id, actions=JUDGEMENT_ACTIONS)
    rows = _csv_rows(map(_decision_row, events))
    return attachment(rows, "audit-log.csv", "text/csv; charset=utf-8")


def _decision_row(event: dict[str, Any]) -> dict[str, str]:
    """Flatten a judgement event into the columns a person reads."""
    detail = event["detail"]
    after = detail.get("after")
    return {
        "when": event["created_at"][:19].replace("T", " "),
        "who": event["user"] or event["token"] or "",
        "kind": detail.get("kind", ""),
        "query": detail.get("query") or detail.get("query_key", ""),
        "decision": "withdrawn" if after is None else DECISIONS[after["decision"]],
        "before": _describe(detail.get("before")),
        "after": _describe(after),
        "note": (after or {}).get("note") or "",
        "candidate": detail.get("candidate_id") or "",
    }


def _describe(snapshot: dict[str, Any] | None) -> str:
    if snapshot is None:
        return ""
    target = snapshot.get("target_id")
    return f"{snapshot['decision']} → {target}" if target else snapshot["decision"]


def _csv_rows(rows: Iterable[dict[str, str]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(AUDIT_COLUMNS)
    yield "\ufeff" + buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([neutralise(row[name]) for name in AUDIT_COLUMNS])
        yield buffer.getvalue()
