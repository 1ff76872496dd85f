"""The review queue (accept, reject, pick another, in bulk), its roles, and the audit log."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from supplychain.extensions import db
from supplychain.models.assessments import Assessment, AssessmentLine, AssessmentMatch
from tests.supplychain.account_builders import log_in, make_org, make_user
from tests.supplychain.test_assessment_pages import SAMPLE_CSV, assess

DECIDE = re.compile(r'action="/assessments/(\d+)/review/(\d+)"')


@pytest.fixture
def unsure(app: Flask):
    """Make every goods and country match short of certain go to a person."""
    app.config.update(MATCH_GOODS_ACCEPT=100.0, MATCH_GOODS_REVIEW=50.0)
    app.config.update(MATCH_COUNTRIES_ACCEPT=100.0, MATCH_COUNTRIES_REVIEW=50.0)


@pytest.fixture
def analyst(app: Flask, client: FlaskClient, tmp_path):
    # Jobs run in the request here, so a redirect lands on a finished assessment.
    app.config.update(JOBS_MODE="inline", UPLOAD_DIR=str(tmp_path / "uploads"))
    user = make_user(make_org(), role="analyst")
    log_in(client)
    return user


def review_matches(assessment: Assessment, kind: str) -> list[AssessmentMatch]:
    query = sa.select(AssessmentMatch).where(
        AssessmentMatch.assessment_id == assessment.id,
        AssessmentMatch.kind == kind,
        AssessmentMatch.decision == "review",
    )
    return list(db.session.scalars(query.order_by(AssessmentMatch.id)))


def lines_of(match: AssessmentMatch) -> list[AssessmentLine]:
    column = {"good": AssessmentLine.good_match_id, "country": AssessmentLine.country_match_id}
    query = sa.select(AssessmentLine).where(column[match.kind] == match.id)
    return list(db.session.scalars(query))


def test_the_queue_groups_matches_with_candidates_and_actions(client, analyst, unsure):
    assessment = assess(client)
    page = client.get(f"/assessments/{assessment.id}/review").get_data(as_text=True)
    assert "Review uncertain matches" in page
    for kind in ("good", "country", "supplier"):
        assert f'id="kind-{kind}"' in page
    assert "cotton t-shirts" in page and "score" in page
    assert "Accept" in page and "Reject" in page and "Pick another" in page
    assert 'list="options-good"' in page and '<datalist id="options-country">' in page
    assert "every goods match scoring at least" in page


def test_accepting_a_match_rescores_its_lines(client, analyst, unsure):
    assessment = assess(client)
    match = next(m for m in review_matches(assessment, "good") if m.query == "cotton t-shirts")
    line = lines_of(match)[0]
    before = (line.forced_labour, line.child_labour, line.score_id)

    response = client.post(
        f"/assessments/{assessment.id}/review/{match.id}", data={"decision": "accept"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(AssessmentMatch, match.id).decision == "accepted"
    line = db.session.get(AssessmentLine, line.id)
    assert (line.forced_labour, line.child_labour, line.score_id) != before
    flashed = client.get(response.location).get_data(as_text=True)
    assert "Accepted" in flashed and "later uploads reuse this" in flashed
    assert "cotton t-shirts" not in flashed.split("Goods", 1)[1].split("Countries", 1)[0]


def test_rejecting_and_picking_another(client, analyst, unsure):
    assessment = assess(client)
    goods = review_matches(assessment, "good")
    rejected, replaced = goods[0], goods[1]

    client.post(f"/assessments/{assessment.id}/review/{rejected.id}", data={"decision": "reject"})
    client.post(
        f"/assessments/{assessment.id}/review/{replaced.id}",
        data={"decision": "replace", "target": "cotton · Cotton"},
    )
    db.session.expire_all()
    assert db.session.get(AssessmentMatch, rejected.id).decision != "review"
    swapped = db.session.get(AssessmentMatch, replaced.id)
    assert swapped.target_id == "cotton" and swapped.judged


def test_bulk_accept_by_kind_and_score(client, analyst, unsure):
    assessment = assess(client)
    countries = review_matches(assessment, "country")
    assert countries
    response = client.post(
        f"/assessments/{assessment.id}/review/bulk",
        data={"kind": "country", "decision": "accept", "min_score": "0"},
    )
    assert response.status_code == 302
    assert "country match" in client.get(response.location).get_data(as_text=True)
    db.session.expire_all()
    assert review_matches(assessment, "country") == []


def test_a_viewer_sees_the_queue_but_cannot_decide(app, client, analyst, unsure):
    assessment = assess(client)
    make_user(analyst.organisation, email="vi@maple.example", role="viewer")
    viewer = app.test_client()
    log_in(viewer, email="vi@maple.example")

    page = viewer.get(f"/assessments/{assessment.id}/review").get_data(as_text=True)
    assert "cotton t-shirts" in page and "an analyst or the owner" in page
    assert not DECIDE.search(page)
    match = review_matches(assessment, "good")[0]
    decided = viewer.post(
        f"/assessments/{assessment.id}/review/{match.id}", data={"decision": "accept"}
    )
    assert decided.status_code == 403
    bulk = viewer.post(
        f"/assessments/{assessment.id}/review/bulk",
        data={"kind": "good", "decision": "accept", "min_score": "0"},
    )
    assert bulk.status_code == 403


def test_another_organisation_cannot_see_or_decide(app, client, analyst, unsure):
    assessment = assess(client)
    match = review_matches(assessment, "good")[0]
    make_user(make_org("Rival Trading Inc."), email="bo@rival.example", role="owner")
    other = app.test_client()
    log_in(other, email="bo@rival.example")
    assert other.get(f"/assessments/{assessment.id}/review").status_code == 404
    decided = other.post(
        f"/assessments/{assessment.id}/review/{match.id}", data={"decision": "accept"}
    )
    assert decided.status_code == 404
    assert "cotton t-shirts" not in other.get("/audit-log").get_data(as_text=True)


def test_the_audit_log_lists_every_decision_and_exports_csv(client, analyst, unsure):
    assessment = assess(client)
    match = next(m for m in review_matches(assessment, "good") if m.query == "cotton t-shirts")
    client.post(f"/assessments/{assessment.id}/review/{match.id}", data={"decision": "accept"})

    page = client.get("/audit-log").get_data(as_text=True)
    assert "Audit log" in page and "cotton t-shirts" in page and "ana@maple.example" in page
    exported = client.get("/audit-log.csv")
    assert exported.status_code == 200 and "attachment" in exported.headers["Content-Disposition"]
    text = exported.get_data().decode("utf-8-sig")
    assert text.startswith("when,who,kind,query,decision,before,after")
    assert "cotton t-shirts" in text


def test_the_same_text_is_not_asked_again_on_the_next_upload(client, analyst, unsure):
    first = assess(client)
    match = next(m for m in review_matches(first, "good") if m.query == "cotton t-shirts")
    client.post(f"/assessments/{first.id}/review/{match.id}", data={"decision": "accept"})
    second = assess(client, SAMPLE_CSV)
    assert "cotton t-shirts" not in {m.query for m in review_matches(second, "good")}
