"""The report pages: list, new, entity, sections, questionnaire, checks, approval, downloads."""

from __future__ import annotations

import html
import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader

from supplychain.extensions import db
from supplychain.models.accounts import Organisation
from supplychain.models.reports import Report
from supplychain.reporting.export import validation_errors
from supplychain.services import reports
from tests.supplychain.account_builders import log_in, make_org, make_user
from tests.supplychain.report_builders import (
    COMPLETE_ANSWERS,
    complete,
    finished_assessment,
    principal_for,
)


@pytest.fixture
def org(app: Flask) -> Organisation:
    return make_org()


@pytest.fixture
def analyst(org: Organisation, client: FlaskClient):
    user = make_user(org, role="analyst")
    log_in(client)
    return user


@pytest.fixture
def assessment(app: Flask, org: Organisation):
    return finished_assessment(app, org)


@pytest.fixture
def report(analyst, assessment) -> Report:
    created = reports.create_report(principal_for(analyst), 2025, [assessment.id], "en")
    db.session.commit()
    return created


@pytest.fixture
def owner_client(app: Flask, org: Organisation) -> FlaskClient:
    make_user(org, email="owner@maple.example", role="owner")
    other = app.test_client()
    log_in(other, email="owner@maple.example")
    return other


def page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


# Listing and starting ----------------------------------------------------------------------


def test_the_nav_links_to_reports_and_the_list_shows_them(client, report):
    body = page(client.get("/reports"))
    assert re.search(r'<a href="/reports"\s+aria-current="page">Reports</a>', body)
    assert f'href="/reports/{report.id}"' in body and "draft" in body


def test_starting_a_report_drafts_it_and_opens_it(client, analyst, assessment):
    form = page(client.get("/reports/new"))
    assert f'value="{assessment.id}"' in form and 'name="language"' in form
    response = client.post(
        "/reports/new",
        data={"reporting_year": "2025", "assessment_ids": [str(assessment.id)], "language": "fr"},
    )
    assert response.status_code == 302
    created = db.session.scalars(db.select(Report)).one()
    assert response.location.endswith(f"/reports/{created.id}")
    assert created.language == "fr" and created.sections["c"]["statements"]


def test_a_refused_new_report_keeps_what_was_typed(client, analyst, assessment):
    response = client.post("/reports/new", data={"reporting_year": "1999", "language": "both"})
    assert response.status_code == 422
    body = page(response)
    assert "The report was not started" in body
    assert 'value="1999"' in body
    assert 'value="both" checked' in body


def test_the_overview_shows_checks_parts_and_downloads(client, report):
    body = page(client.get(f"/reports/{report.id}"))
    assert "blocking problem" in body
    assert "(b) Policies and due diligence" in body and "empty" in body
    for link in ("report.pdf?lang=fr", "report.pdf?lang=both", "questionnaire.json", "answers.pdf"):
        assert link in body


# Entity details ----------------------------------------------------------------------------


def test_entity_details_are_saved_and_drive_part_one(client, report):
    response = client.post(
        f"/reports/{report.id}/entity",
        data={
            "legal_name": "Maple Imports Ltd.",
            "business_numbers": "123456789RC0001\n",
            "financial_year_start": "2025-01-01",
            "financial_year_end": "2025-12-31",
            "scope": ["canadian_presence", "assets_20m", "revenue_40m"],
            "sectors": ["naics_41"],
            "provinces": ["ON", "QC"],
            "activities": ["import_into_canada"],
            "joint": "1",
            "covered_rows": "2",
            "covered-0-name": "Maple Retail Inc.",
            "covered-0-numbers": "987654321, 987654321RC0002",
            "covered-1-name": "",
            "covered-1-numbers": "",
        },
    )
    assert response.status_code == 302
    db.session.refresh(report)
    assert report.entity["provinces"] == ["ON", "QC"]
    assert report.entity["joint"]["covered_entities"] == [
        {"legal_name": "Maple Retail Inc.", "business_numbers": ["987654321", "987654321RC0002"]}
    ]
    questionnaire = page(client.get(f"/reports/{report.id}/questionnaire"))
    assert "Maple Retail Inc. (987654321, 987654321RC0002)" in questionnaire
    assert "Ontario; Quebec" in questionnaire


def test_a_refused_entity_form_shows_each_problem_and_keeps_the_input(client, report):
    response = client.post(
        f"/reports/{report.id}/entity",
        data={
            "legal_name": "Maple Imports Ltd. (typed)",
            "financial_year_start": "31/12/2025",
            "revised": "1",
            "revised_description": "x" * 1600,
            "joint": "1",
            "covered_rows": "1",
            "covered-0-name": "",
            "covered-0-numbers": "987654321",
        },
    )
    assert response.status_code == 422
    body = page(response)
    assert "The changes were not saved" in body
    assert 'href="#entity-financial_year_start"' in body
    assert "31/12/2025" in body and "Maple Imports Ltd. (typed)" in body
    assert "x" * 1600 in body  # nothing typed is lost
    assert "1,600 of 1,500 characters" in body
    assert 'value="987654321"' in body
    assert "Required." in body
    db.session.refresh(report)
    assert report.entity["legal_name"] == "Maple Imports Ltd."


# Sections ----------------------------------------------------------------------------------


def test_a_section_shows_drafted_statements_with_the_data_behind_them(client, report, assessment):
    body = page(client.get(f"/reports/{report.id}/sections/c"))
    assert "(c) Where the business and supply chains carry a risk" in body
    assert "Drafted from the evidence" in body
    assert f"/assessments/{assessment.id}?country=CHN&sort=-score" in body
    assert "Country at risk: China (" in body  # named, not coded
    assert f"/assessments/{assessment.id}?good=cotton&sort=-score" in body
    assert "/about#source-ilab-tvpra-2022" in body
    assert "Draft (a) and (c) again" in body


def test_saving_a_section_edits_and_removes_statements(client, report):
    count = len(report.sections["c"]["statements"])
    data = {"text-en": "We asked our suppliers for origins."}
    data |= {
        f"statement-{i}-text": report.sections["c"]["statements"][i]["text"] for i in range(count)
    }
    data["statement-0-text"] = "Our method, in our words."
    data[f"statement-{count - 1}-remove"] = "1"
    response = client.post(f"/reports/{report.id}/sections/c", data=data)
    assert response.status_code == 302
    db.session.refresh(report)
    assert report.sections["c"]["text"]["en"] == "We asked our suppliers for origins."
    assert len(report.sections["c"]["statements"]) == count - 1
    assert report.sections["c"]["statements"][0]["text"] == "Our method, in our words."
    assert "edited" in page(client.get(f"/reports/{report.id}/sections/c"))


def test_save_and_next_goes_to_the_following_section(client, report):
    response = client.post(
        f"/reports/{report.id}/sections/b", data={"text-en": "Our supplier code.", "next": "1"}
    )
    assert response.location.endswith(f"/reports/{report.id}/sections/c")


# Questionnaire -----------------------------------------------------------------------------


def test_the_questionnaire_shows_options_and_hides_questions_server_side(client, report):
    body = page(client.get(f"/reports/{report.id}/questionnaire"))
    assert 'id="q-training"' in body and 'id="q-training_mandatory"' not in body
    assert re.search(r'name="answer-risks_identified" value="yes"\s+checked', body)
    assert "0 of 1,500 characters" in body
    response = client.post(
        f"/reports/{report.id}/questionnaire",
        data={**{f"answer-{k}": v for k, v in COMPLETE_ANSWERS.items()}, "answer-training": "yes"},
    )
    assert response.status_code == 302
    after = page(client.get(response.location))
    assert 'id="q-training_mandatory"' in after  # opened by "yes"
    db.session.refresh(report)
    assert report.answers["training"] == "yes"
    # A shown question sent without an answer is cleared, as when every box is unticked.
    assert "risks_identified" not in report.answers


def test_new_questions_opened_by_an_answer_are_announced(client, report):
    response = client.post(
        f"/reports/{report.id}/questionnaire",
        data={"answer-training": "yes", "answer-risks_identified": "yes"},
        follow_redirects=True,
    )
    assert "more questions now shown" in page(response)


def test_an_over_long_answer_is_refused_and_shown_again(client, report):
    text = "y" * 1501
    response = client.post(
        f"/reports/{report.id}/questionnaire",
        data={"answer-risks_identified": "yes", "answer-remediation.details": text},
    )
    assert response.status_code == 422
    body = page(response)
    assert text in body and "1,501 of 1,500 characters" in body
    assert 'href="#answers-remediation-details"' in body


# Checks, approval, publication, revision ---------------------------------------------------


def test_checks_name_the_section_the_fix_and_link_to_it(client, report):
    body = page(client.get(f"/reports/{report.id}/checks"))
    assert "Blocking (" in body
    assert "Section (b)" in body and f'href="/reports/{report.id}/sections/b"' in body
    assert f'href="/reports/{report.id}/approval"' in body
    assert "Fix:" in body


def test_analysts_save_approval_details_but_owners_approve(client, owner_client, report, analyst):
    details = {
        "body-en": "the Board of Directors",
        "approval_date": "2026-05-15",
        "signatory_name": "Jane Whitfield",
        "title-en": "Chair of the Board",
        "attestation-en": "I attest.",
        "action": "save",
    }
    assert client.post(f"/reports/{report.id}/approval", data=details).status_code == 302
    assert (
        client.post(
            f"/reports/{report.id}/approval", data={**details, "action": "approve"}
        ).status_code
        == 403
    )
    db.session.refresh(report)
    assert report.approval["signatory_name"] == "Jane Whitfield"
    refused = owner_client.post(
        f"/reports/{report.id}/approval", data={**details, "action": "approve"}
    )
    assert refused.status_code == 422
    assert "Fix these first" in page(refused)
    complete(report, principal_for(analyst))
    approved = owner_client.post(
        f"/reports/{report.id}/approval", data={**details, "action": "approve"}
    )
    assert approved.status_code == 302
    db.session.refresh(report)
    assert report.status == "approved"
    assert report.approval["attestation"]["en"] == "I attest."
    frozen = client.post(f"/reports/{report.id}/sections/b", data={"text-en": "Changed."})
    assert frozen.status_code == 422 and "frozen" in page(frozen)
    published = owner_client.post(f"/reports/{report.id}/publish")
    assert published.status_code == 302
    db.session.refresh(report)
    assert report.status == "published"


def test_revise_from_the_overview_opens_the_new_revision(client, report, analyst):
    complete(report, principal_for(analyst))
    reports.approve(report, principal_for(analyst))
    db.session.commit()
    overview = page(client.get(f"/reports/{report.id}"))
    assert "Start a revised report" in overview
    response = client.post(f"/reports/{report.id}/revise", data={"description": "New figures."})
    revision = db.session.scalars(db.select(Report).where(Report.revision == 2)).one()
    assert response.location.endswith(f"/reports/{revision.id}")
    body = page(client.get(response.location))
    assert "revision 2" in body and f"/reports/{report.id}" in body


# Downloads and the cross-walk ---------------------------------------------------------------


def test_downloads(client, report, analyst):
    complete(report, principal_for(analyst))
    pdf = client.get(f"/reports/{report.id}/report.pdf?lang=fr")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Annexe" in text
    document = client.get(f"/reports/{report.id}/questionnaire.json").get_json()
    assert validation_errors(document) == []
    answers = client.get(f"/reports/{report.id}/answers.pdf?lang=en")
    assert answers.status_code == 200
    bad = client.get(f"/reports/{report.id}/report.pdf?lang=de")
    assert bad.status_code == 422 and "text/html" in bad.content_type


def test_the_crosswalk_page(client, report):
    body = page(client.get(f"/reports/{report.id}/crosswalk"))
    assert "UK MSA s.54(5)" in body and "Australian MSA s.16(1)" in body
    assert "Not covered yet" in body and "AU MSA s.16(1)(f)" in body


def test_viewers_see_the_report_but_no_edit_controls(app: Flask, org, report):
    make_user(org, email="vi@maple.example", role="viewer")
    viewer = app.test_client()
    log_in(viewer, email="vi@maple.example")
    body = page(viewer.get(f"/reports/{report.id}/sections/c"))
    assert "readonly" in body and "Save section" not in body
    assert viewer.post(f"/reports/{report.id}/sections/c", data={}).status_code == 403
    assert "Start a report" not in page(viewer.get("/reports"))
