"""Another organisation's report is a 404 on every page and API resource, and stays untouched."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from supplychain.extensions import db
from supplychain.models.reports import Report
from supplychain.services import reports
from tests.supplychain.account_builders import log_in, make_org, make_token, make_user
from tests.supplychain.report_builders import complete, finished_assessment, principal_for

PAGES_GET = [
    "", "/entity", "/sections/c", "/questionnaire", "/checks", "/approval", "/crosswalk",
    "/report.pdf?lang=fr", "/answers.pdf", "/questionnaire.json",
]  # fmt: skip
PAGES_POST = [
    ("/entity", {"legal_name": "Taken over"}),
    ("/sections/b", {"text-en": "Taken over"}),
    ("/questionnaire", {"answer-training": "no"}),
    ("/approval", {"signatory_name": "Someone", "action": "approve"}),
    ("/redraft", {}),
    ("/publish", {}),
    ("/revise", {"description": "Taken over"}),
]
API_GET = ["", "/checks", "/report.pdf", "/answers.pdf", "/questionnaire.json", "/crosswalk"]
API_POST = ["/redraft", "/approve", "/publish", "/revise"]


@pytest.fixture
def theirs(app: Flask) -> Report:
    """An approved report of Maple Imports (approved, so publish and revise would apply)."""
    owner = principal_for(make_user(make_org(), role="owner"))
    assessment = finished_assessment(app, owner.organisation)
    report = reports.create_report(owner, 2025, [assessment.id], "en")
    complete(report, owner)
    reports.approve(report, owner)
    db.session.commit()
    return report


@pytest.fixture
def rival(app: Flask) -> FlaskClient:
    """An owner of another organisation, logged in."""
    make_user(make_org("Rival Trading Inc."), email="bo@rival.example", role="owner")
    client = app.test_client()
    log_in(client, email="bo@rival.example")
    return client


@pytest.fixture
def rival_token(app: Flask) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_token(make_org('Third Party Ltd.'))}"}


def unchanged(report: Report) -> None:
    db.session.expire_all()
    again = db.session.get(Report, report.id)
    assert again.status == "approved"
    assert again.entity["legal_name"] == "Maple Imports Ltd."
    assert db.session.scalar(db.select(db.func.count()).select_from(Report)) == 1


@pytest.mark.parametrize("suffix", PAGES_GET)
def test_pages_answer_404(rival: FlaskClient, theirs: Report, suffix: str):
    response = rival.get(f"/reports/{theirs.id}{suffix}")
    assert response.status_code == 404
    assert "text/html" in response.content_type
    assert "Maple Imports" not in response.get_data(as_text=True)


@pytest.mark.parametrize(("suffix", "data"), PAGES_POST)
def test_page_forms_answer_404_and_change_nothing(rival, theirs, suffix, data):
    assert rival.post(f"/reports/{theirs.id}{suffix}", data=data).status_code == 404
    unchanged(theirs)


@pytest.mark.parametrize("suffix", API_GET)
def test_api_reads_answer_404(client, rival_token, theirs, suffix):
    response = client.get(f"/api/v1/reports/{theirs.id}{suffix}", headers=rival_token)
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.json["detail"] == f"No report {theirs.id} in your organisation."


@pytest.mark.parametrize("suffix", API_POST)
def test_api_actions_answer_404_and_change_nothing(rival, theirs, suffix):
    # A session owner, so the owner-only actions get as far as looking the report up.
    assert rival.post(f"/api/v1/reports/{theirs.id}{suffix}", json={}).status_code == 404
    unchanged(theirs)


def test_api_patch_answers_404(client, rival_token, theirs):
    response = client.patch(
        f"/api/v1/reports/{theirs.id}", json={"language": "fr"}, headers=rival_token
    )
    assert response.status_code == 404
    unchanged(theirs)


def test_a_missing_report_answers_the_same_404(client, rival_token, theirs):
    missing = client.get("/api/v1/reports/999999", headers=rival_token)
    other = client.get(f"/api/v1/reports/{theirs.id}", headers=rival_token)
    assert missing.status_code == other.status_code == 404
    assert missing.json["title"] == other.json["title"]


def test_lists_show_only_your_own(client, rival, rival_token, theirs):
    assert client.get("/api/v1/reports", headers=rival_token).json["items"] == []
    assert f"/reports/{theirs.id}" not in rival.get("/reports").get_data(as_text=True)


def test_a_report_cannot_draw_on_another_organisations_assessment(app, rival, theirs):
    (assessment,) = reports.assessments_of(theirs)
    response = rival.post(
        "/api/v1/reports", json={"reporting_year": 2024, "assessment_ids": [assessment.id]}
    )
    assert response.status_code == 404
    page = rival.post(
        "/reports/new", data={"reporting_year": "2024", "assessment_ids": [str(assessment.id)]}
    )
    assert page.status_code == 404
    unchanged(theirs)
