"""The reports API: create, edit, check, approve, publish, revise, downloads; roles and errors."""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator, FormatChecker
from pypdf import PdfReader

from supplychain.models.accounts import Organisation
from supplychain.reporting.export import load_schema
from supplychain.reporting.i18n import t
from tests.supplychain.account_builders import log_in, make_org, make_token, make_user
from tests.supplychain.report_builders import (
    COMPLETE_ANSWERS,
    COMPLETE_APPROVAL,
    COMPLETE_ENTITY,
    finished_assessment,
    section_texts,
)


@pytest.fixture
def org(app: Flask) -> Organisation:
    return make_org()


@pytest.fixture
def token(org: Organisation) -> dict[str, str]:
    """An API token: it acts as an analyst."""
    return {"Authorization": f"Bearer {make_token(org)}"}


@pytest.fixture
def assessment_id(app: Flask, org: Organisation) -> int:
    return finished_assessment(app, org).id


@pytest.fixture
def report(client: FlaskClient, token: dict[str, str], assessment_id: int) -> dict[str, Any]:
    response = client.post(
        "/api/v1/reports",
        json={"reporting_year": 2025, "assessment_ids": [assessment_id], "language": "en"},
        headers=token,
    )
    assert response.status_code == 201, response.json
    return response.json


def fill(client: FlaskClient, token: dict[str, str], report_id: int, language: str = "en") -> None:
    response = client.patch(
        f"/api/v1/reports/{report_id}",
        json={
            "entity": COMPLETE_ENTITY,
            "sections": section_texts(language),
            "answers": COMPLETE_ANSWERS,
            "approval": COMPLETE_APPROVAL,
            "language": language,
        },
        headers=token,
    )
    assert response.status_code == 200, response.json


@pytest.fixture
def owner(app: Flask, org: Organisation) -> FlaskClient:
    """A logged-in owner on a client of their own (approving needs the owner role)."""
    make_user(org, email="owner@maple.example", role="owner")
    client = app.test_client()
    log_in(client, email="owner@maple.example")
    return client


def pdf_text(data: bytes) -> str:
    pages = PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages).replace("\u00a0", " ")


def headings(lang: str) -> list[str]:
    keys = ["entity.heading", "annex.heading", "attestation.heading", "annex.sources"]
    texts = [t(key, lang) for key in keys]
    texts += [f"({key}) {t(f'section.{key}', lang)}" for key in "abcdefg"]
    return [" ".join(text.replace("\u00a0", " ").split()) for text in texts]


# Creating and reading ----------------------------------------------------------------------


def test_create_drafts_from_the_assessment(report: dict[str, Any], assessment_id: int):
    assert report["status"] == "draft" and report["revision"] == 1
    assert report["assessment_ids"] == [assessment_id]
    drafted = report["sections"]["c"]["statements"]
    assert drafted and all(s["evidence"] for s in drafted)
    assert report["answers"]["risks_identified"] == "yes"
    assert report["answers"]["reporting_for"] == "entity"  # Part 1, derived


def test_list_and_get(client: FlaskClient, token, report):
    listed = client.get("/api/v1/reports", headers=token)
    assert [item["id"] for item in listed.json["items"]] == [report["id"]]
    assert client.get("/api/v1/reports?year=2024", headers=token).json["items"] == []
    got = client.get(f"/api/v1/reports/{report['id']}", headers=token)
    assert got.status_code == 200 and got.json["sections"] == report["sections"]


def test_create_errors_are_problems(client: FlaskClient, token, report, assessment_id):
    again = client.post(
        "/api/v1/reports",
        json={"reporting_year": 2025, "assessment_ids": [assessment_id]},
        headers=token,
    )
    assert again.status_code == 409
    assert again.mimetype == "application/problem+json"
    assert "already a report for 2025" in again.json["detail"]
    missing = client.post(
        "/api/v1/reports", json={"reporting_year": 2024, "assessment_ids": []}, headers=token
    )
    assert missing.status_code == 422 and "assessment_ids" in missing.json["errors"]["json"]
    unknown = client.post(
        "/api/v1/reports", json={"reporting_year": 2024, "assessment_ids": [9999]}, headers=token
    )
    assert unknown.status_code == 404


# Editing -----------------------------------------------------------------------------------


def test_patch_saves_and_refuses_with_errors_naming_the_place(client: FlaskClient, token, report):
    url = f"/api/v1/reports/{report['id']}"
    saved = client.patch(
        url, json={"sections": {"b": {"text": {"en": "Our supplier code."}}}}, headers=token
    )
    assert saved.status_code == 200
    assert saved.json["sections"]["b"]["text"]["en"] == "Our supplier code."
    refused = client.patch(
        url,
        json={"entity": {"financial_year_end": "next year"}, "answers": {"training": "maybe"}},
        headers=token,
    )
    assert refused.status_code == 422
    assert refused.mimetype == "application/problem+json"
    assert set(refused.json["errors"]) == {"entity.financial_year_end", "answers.training"}
    unchanged = client.get(url, headers=token).json
    assert unchanged["entity"]["financial_year_end"] is None
    assert unchanged["sections"]["b"]["text"]["en"] == "Our supplier code."


def test_checks_list_blocking_findings_with_section_and_fix(client: FlaskClient, token, report):
    checks = client.get(f"/api/v1/reports/{report['id']}/checks", headers=token).json
    assert checks["blocking"] > 0
    empty_b = next(f for f in checks["findings"] if f["code"] == "SECTION_EMPTY")
    assert empty_b["severity"] == "blocking" and empty_b["section"] in "bdefg"
    assert empty_b["fix"] and empty_b["fix_fr"]
    fill(client, token, report["id"])
    assert client.get(f"/api/v1/reports/{report['id']}/checks", headers=token).json["blocking"] == 0


# Approval and revision ---------------------------------------------------------------------


def test_approving_needs_an_owner_and_nothing_blocking(client: FlaskClient, token, owner, report):
    url = f"/api/v1/reports/{report['id']}/approve"
    assert client.post(url, json={}, headers=token).status_code == 403  # tokens are analysts
    blocked = owner.post(url)  # no body: nothing to save first
    assert blocked.status_code == 409
    assert any("SECTION_EMPTY" in key for key in blocked.json["errors"])
    fill(client, token, report["id"])
    approved = owner.post(url, json={"approval": {"signatory_name": "Jane Whitfield"}})
    assert approved.status_code == 200, approved.json
    assert approved.json["status"] == "approved" and approved.json["approved_at"]
    frozen = client.patch(f"/api/v1/reports/{report['id']}", json={"language": "fr"}, headers=token)
    assert frozen.status_code == 409 and "revise" in frozen.json["detail"]
    published = owner.post(f"/api/v1/reports/{report['id']}/publish")
    assert published.status_code == 200 and published.json["status"] == "published"


def test_revise_makes_the_next_revision(client: FlaskClient, token, owner, report):
    fill(client, token, report["id"])
    assert owner.post(f"/api/v1/reports/{report['id']}/approve", json={}).status_code == 200
    revised = client.post(
        f"/api/v1/reports/{report['id']}/revise",
        json={"description": "Corrected figures.", "original_date": "2026-05-20"},
        headers=token,
    )
    assert revised.status_code == 201, revised.json
    body = revised.json
    assert (body["revision"], body["revises_id"], body["status"]) == (2, report["id"], "draft")
    assert body["entity"]["revised"] == {
        "original_date": "2026-05-20",
        "description": "Corrected figures.",
    }
    original = client.get(f"/api/v1/reports/{report['id']}", headers=token).json
    assert original["revised_by_id"] == body["id"]
    twice = client.post(f"/api/v1/reports/{report['id']}/revise", json={}, headers=token)
    assert twice.status_code == 409


def test_viewers_read_but_do_not_edit(app: Flask, org, report):
    make_user(org, email="vi@maple.example", role="viewer")
    viewer = app.test_client()
    log_in(viewer, email="vi@maple.example")
    url = f"/api/v1/reports/{report['id']}"
    assert viewer.get(url).status_code == 200
    assert viewer.get(f"{url}/checks").status_code == 200
    refused = viewer.patch(url, json={"language": "fr"})
    assert refused.status_code == 403 and refused.mimetype == "application/problem+json"
    assert viewer.post(f"{url}/redraft").status_code == 403


# Downloads ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_pdf_has_the_headings_attestation_and_sources_in_the_language(
    client: FlaskClient, token, report, lang: str
):
    fill(client, token, report["id"], "both")
    response = client.get(f"/api/v1/reports/{report['id']}/report.pdf?lang={lang}", headers=token)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert f"s211-2025-r1-{lang}.pdf" in response.headers["Content-Disposition"]
    text = pdf_text(response.data)
    missing = [heading for heading in headings(lang) if heading not in text]
    assert missing == []
    other = "fr" if lang == "en" else "en"
    assert [heading for heading in headings(other) if heading in text] == []
    attestation = " ".join(t("attestation.suggested", lang).replace("\u00a0", " ").split())
    assert attestation[:80] in text
    assert "List of Goods Produced by Child Labor or Forced Labor" in text  # the sources annex
    assert "Jane Whitfield" in text


def test_a_bilingual_pdf_has_both(client: FlaskClient, token, report):
    fill(client, token, report["id"], "both")
    text = pdf_text(client.get(f"/api/v1/reports/{report['id']}/report.pdf", headers=token).data)
    assert [h for h in headings("en") + headings("fr") if h not in text] == []


def test_the_questionnaire_json_validates_against_the_schema(client: FlaskClient, token, report):
    fill(client, token, report["id"])
    response = client.get(f"/api/v1/reports/{report['id']}/questionnaire.json", headers=token)
    assert response.status_code == 200 and response.mimetype == "application/json"
    document = response.get_json()
    validator = Draft202012Validator(load_schema(), format_checker=FormatChecker())
    assert list(validator.iter_errors(document)) == []
    assert document["answers"]["risk_countries"]
    assert document["report"]["legal_name"] == "Maple Imports Ltd."


def test_answers_pdf_and_crosswalk(client: FlaskClient, token, report):
    answers = client.get(f"/api/v1/reports/{report['id']}/answers.pdf?lang=fr", headers=token)
    assert answers.status_code == 200
    assert "Réponses au questionnaire" in pdf_text(answers.data)
    walk = client.get(f"/api/v1/reports/{report['id']}/crosswalk", headers=token).json
    assert [row["section"] for row in walk["rows"]] == ["entity", *"abcdefg"]
    row_b = next(row for row in walk["rows"] if row["section"] == "b")
    assert row_b["filled"] is False
    assert {item["ref"] for item in row_b["uk"]} == {"UK MSA s.54(5)(b)", "UK MSA s.54(5)(c)"}
    assert "UK MSA s.54(5)(b)" in {item["ref"] for item in walk["uncovered"]}
    bad = client.get(f"/api/v1/reports/{report['id']}/report.pdf?lang=de", headers=token)
    assert bad.status_code == 422 and bad.mimetype == "application/problem+json"


def test_the_openapi_document_lists_the_report_resources(client: FlaskClient):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in (
        "/api/v1/reports",
        "/api/v1/reports/{report_id}",
        "/api/v1/reports/{report_id}/checks",
        "/api/v1/reports/{report_id}/approve",
        "/api/v1/reports/{report_id}/report.pdf",
        "/api/v1/reports/{report_id}/questionnaire.json",
    ):
        assert path in paths
