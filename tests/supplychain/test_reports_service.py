"""The report service: drafting from the evidence, editing, checks, approval, revision, outputs."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from flask import Flask
from pypdf import PdfReader

from supplychain.errors import Conflict, InvalidInput, NotFound
from supplychain.extensions import db
from supplychain.models.accounts import AuditEvent
from supplychain.models.reports import Report, ReportAssessment
from supplychain.reporting.export import validation_errors
from supplychain.reporting.i18n import t
from supplychain.services import reports
from supplychain.services.access import Principal
from supplychain.services.refdata import get_reference
from tests.supplychain.account_builders import make_org, make_user
from tests.supplychain.report_builders import (
    MORE_SUPPLIERS_CSV,
    complete,
    finished_assessment,
    principal_for,
)


@pytest.fixture
def owner(app: Flask) -> Principal:
    return principal_for(make_user(make_org(), role="owner"))


@pytest.fixture
def assessment(app: Flask, owner: Principal):
    return finished_assessment(app, owner.organisation)


@pytest.fixture
def report(owner: Principal, assessment) -> Report:
    created = reports.create_report(owner, 2025, [assessment.id], "en")
    db.session.commit()
    return created


def statements(report: Report, key: str) -> list[dict]:
    return report.sections[key]["statements"]


def actions(organisation_id: int) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(AuditEvent.action)
            .where(AuditEvent.organisation_id == organisation_id)
            .order_by(AuditEvent.id)
        )
    )


# Creating and drafting ---------------------------------------------------------------------


def test_a_new_report_is_drafted_from_the_assessment(report, assessment, owner):
    summary = assessment.summary
    drafted_a = statements(report, "a")
    assert len(drafted_a) == 1
    assert (
        f"{summary['lines']} purchase lines from {summary['suppliers']} suppliers"
        in (drafted_a[0]["text"])
    )
    links = {link["kind"]: link for link in drafted_a[0]["evidence"]}
    assert links["count_lines"]["value"] == summary["lines"]
    assert links["count_lines"]["assessment_id"] == assessment.id
    assert links["count_lines"]["reference_version"] == assessment.reference_version
    text_c = " ".join(s["text"] for s in statements(report, "c"))
    for name in ("China", "Turkmenistan", "Côte d'Ivoire", "Cotton", "Cocoa"):
        assert name in text_c
    assert "labour-risk-v1" in text_c and "insufficient data" in text_c
    for key in "bdefg":
        assert statements(report, key) == []
    assert report.entity["legal_name"] == owner.organisation.name
    assert report.approval["attestation"]["en"] == t("attestation.suggested", "en")
    assert actions(owner.organisation_id)[-1] == reports.REPORT_CREATED


def test_risk_answers_are_preselected_from_the_same_evidence(report):
    answers = report.answers
    assert answers["risks_identified"] == "yes"
    assert set(answers["risk_countries"]) == {"CHN", "TKM", "CIV"}
    assert "countries_regions" in answers["risk_areas"]
    assert "Cocoa" in answers["risk_products"]
    assert answers["risk_sectors"] == ["naics_11", "naics_31-33"]


def test_the_evidence_comes_from_the_stored_summary_without_reading_lines(app, report, assessment):
    statements_seen: list[str] = []

    def note(conn, cursor, statement, *args):
        statements_seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", note)
    try:
        evidence = reports.report_evidence(report)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", note)
    assert evidence is not None
    assert not [s for s in statements_seen if "FROM assessment_line" in s]
    summary = assessment.summary
    assert (evidence.lines, evidence.suppliers, evidence.countries, evidence.goods) == (
        summary["lines"],
        summary["suppliers"],
        summary["countries"],
        summary["goods"],
    )
    assert sum(evidence.share_by_band.values()) == pytest.approx(1.0)
    assert evidence.insufficient_data_share == pytest.approx(
        summary["insufficient_data_lines"] / summary["lines"]
    )
    assert {s.id for s in evidence.sources} >= {"ilab-tvpra-2022", "us-tip-2025"}
    # Editions the manifest writes as an English phrase are given by their publication date.
    withhold = next(s for s in evidence.sources if s.id == "cbp-wro-findings")
    manifest = get_reference(app.config).source("cbp-wro-findings")
    assert " " in manifest.edition and withhold.edition == manifest.published


def test_a_report_on_two_assessments_counts_shared_suppliers_once(app, owner, assessment):
    other = finished_assessment(app, owner.organisation, MORE_SUPPLIERS_CSV, "more.csv")
    report = reports.create_report(owner, 2025, [assessment.id, other.id], "en")
    evidence = reports.report_evidence(report)
    first, second = assessment.summary, other.summary
    assert evidence.lines == first["lines"] + second["lines"]
    # Hetian Taida is in both lists.
    assert evidence.suppliers == first["suppliers"] + second["suppliers"] - 1
    assert evidence.assessment_id == f"{assessment.id}, {other.id}"
    assert {"CHN", "MYS"} <= {row.key for row in evidence.risk_countries}
    china = next(row for row in evidence.risk_countries if row.key == "CHN")
    assert china.lines == 2
    assert [a.id for a in reports.assessments_of(report)] == [assessment.id, other.id]


def test_creating_refuses_what_cannot_make_a_report(app, owner, assessment, report):
    with pytest.raises(Conflict, match="already a report for 2025"):
        reports.create_report(owner, 2025, [assessment.id])
    with pytest.raises(InvalidInput, match="at least one"):
        reports.create_report(owner, 2024, [])
    with pytest.raises(InvalidInput, match="reporting year"):
        reports.create_report(owner, 1999, [assessment.id])
    with pytest.raises(InvalidInput, match="en, fr or both"):
        reports.create_report(owner, 2024, [assessment.id], "de")
    rival = make_org("Rival Trading Inc.")
    theirs = finished_assessment(app, rival)
    with pytest.raises(NotFound):
        reports.create_report(owner, 2024, [theirs.id])
    assessment.status = "running"
    with pytest.raises(InvalidInput, match="finished"):
        reports.create_report(owner, 2024, [assessment.id])


def test_another_organisation_cannot_get_the_report(report):
    rival = make_org("Rival Trading Inc.")
    with pytest.raises(NotFound):
        reports.get_report(rival.id, report.id)
    with pytest.raises(NotFound):
        reports.find_report(report.id, rival.id)
    assert reports.find_report(report.id).id == report.id
    assert reports.list_reports(rival.id) == []


# Editing -----------------------------------------------------------------------------------


def test_entity_details_are_checked_and_every_problem_named(report, owner):
    with pytest.raises(InvalidInput) as refused:
        reports.update_report(
            report,
            owner,
            entity={
                "financial_year_start": "31/12/2025",
                "sectors": ["naics_99"],
                "other_laws": ["none", "uk_msa"],
                "joint": {"covered_entities": [{"legal_name": ""}]},
                "colour": "blue",
            },
        )
    errors = refused.value.errors
    assert "YYYY-MM-DD" in errors["entity.financial_year_start"][0]
    assert "naics_99" in errors["entity.sectors"][0]
    assert "'none' cannot be chosen with other options" in errors["entity.other_laws"][0]
    assert errors["entity.joint.covered_entities.0.legal_name"] == ["Required."]
    assert "Unknown field" in errors["entity.colour"][0]
    db.session.rollback()
    assert db.session.get(Report, report.id).entity["sectors"] == []


def test_part_one_answers_follow_the_entity_details(report, owner):
    reports.update_report(
        report,
        owner,
        entity={
            "legal_name": "Maple Imports Ltd.",
            "financial_year_start": "2025-01-01",
            "financial_year_end": "2025-12-31",
            "joint": {
                "covered_entities": [
                    {"legal_name": "Maple Retail Inc.", "business_numbers": ["987654321"]}
                ]
            },
            "provinces": ["ON"],
        },
    )
    answers = reports.answers_of(report)
    assert answers["legal_name"] == "Maple Imports Ltd."
    assert answers["financial_year_end"] == "2025-12-31"
    assert answers["joint_report"] == "yes"
    assert answers["joint_entities"][0]["legal_name"] == "Maple Retail Inc."
    assert answers["locations"] == ["ON"]
    assert "legal_name" not in report.answers  # derived, never stored twice
    with pytest.raises(InvalidInput) as refused:
        reports.update_report(report, owner, answers={"legal_name": "Other Name Inc."})
    assert "entity.legal_name" in refused.value.errors["answers.legal_name"][0]


def test_answers_are_validated_and_hidden_ones_dropped(report, owner):
    with pytest.raises(InvalidInput) as refused:
        reports.update_report(
            report,
            owner,
            answers={"training": "perhaps", "remediation.details": "x" * 1501},
        )
    errors = refused.value.errors
    assert "answers.training" in errors
    assert "1501" in errors["answers.remediation.details"][0]
    db.session.rollback()
    reports.update_report(
        report,
        owner,
        answers={"training": "no", "training_mandatory": "yes", "training.details": "Planned."},
    )
    assert report.answers["training"] == "no"
    assert "training_mandatory" not in report.answers  # hidden by "no"
    assert report.answers["training.details"] == "Planned."
    reports.update_report(report, owner, answers={"training.details": None})
    assert "training.details" not in report.answers


def test_drafted_statements_can_be_edited_and_removed_but_keep_their_links(report, owner):
    before = statements(report, "c")
    edits = [{}] * len(before)
    edits[0] = {"text": "Our own wording of the method."}
    edits[-1] = {"remove": True}
    reports.update_report(
        report, owner, sections={"c": {"statements": edits, "text": {"en": "We asked."}}}
    )
    after = statements(report, "c")
    assert len(after) == len(before) - 1
    assert after[0]["text"] == "Our own wording of the method."
    assert after[0]["drafted"] == before[0]["text"]
    assert after[0]["evidence"] == before[0]["evidence"]
    assert report.sections["c"]["text"]["en"] == "We asked."
    with pytest.raises(InvalidInput) as refused:
        reports.update_report(report, owner, sections={"c": {"statements": [{}]}, "h": {}})
    assert "one per drafted statement" in refused.value.errors["sections.c.statements"][0]
    assert "a to g" in refused.value.errors["sections.h"][0]


def test_redraft_replaces_drafted_statements_and_keeps_the_text(report, owner):
    edits = [{"remove": True}] * len(statements(report, "c"))
    reports.update_report(
        report, owner, sections={"c": {"statements": edits, "text": {"en": "Mine."}}}
    )
    assert statements(report, "c") == []
    reports.redraft(report, owner)
    assert statements(report, "c")
    assert report.sections["c"]["text"]["en"] == "Mine."


# Checks, approval, publication, revision ---------------------------------------------------


def test_checks_name_blocking_problems_with_their_section(report):
    result = reports.run_checks(report)
    codes = {(f.code, f.section) for f in result.blocking}
    assert ("SECTION_EMPTY", "b") in codes
    assert ("APPROVAL_DATE_MISSING", "approval") in codes
    assert ("FINANCIAL_YEAR_MISSING", "entity") in codes
    assert all(f.fix for f in result.findings)
    assert result.page_limit == 10 and 0 < result.pages < 10


def test_denying_risks_beside_high_lines_blocks(report, owner):
    complete(report, owner)
    reports.update_report(report, owner, answers={"risks_identified": "no"})
    blocking = {f.code for f in reports.run_checks(report).blocking}
    assert blocking == {"RISKS_DENIED_WITH_EXPOSURE"}


def test_approval_is_refused_while_anything_blocks(report, owner):
    with pytest.raises(Conflict) as refused:
        reports.approve(report, owner)
    assert "SECTION_EMPTY" in " ".join(refused.value.errors)
    assert report.status == "draft"


def test_approval_freezes_the_report_and_its_evidence(report, owner, assessment):
    complete(report, owner)
    assert reports.run_checks(report).blocking == []
    reports.approve(report, owner)
    db.session.commit()
    assert report.status == "approved" and report.approved_at is not None
    frozen = reports.report_evidence(report)
    assessment.summary = {**assessment.summary, "lines": 999_999}  # a later re-score
    db.session.commit()
    assert reports.report_evidence(report) == frozen
    with pytest.raises(Conflict, match="frozen"):
        reports.update_report(report, owner, sections={"b": {"text": {"en": "Changed."}}})
    with pytest.raises(Conflict, match="frozen"):
        reports.redraft(report, owner)
    assert reports.REPORT_APPROVED in actions(owner.organisation_id)


def test_publish_needs_an_approved_report(report, owner):
    with pytest.raises(Conflict, match="only an approved report"):
        reports.publish(report, owner)
    complete(report, owner)
    reports.approve(report, owner)
    reports.publish(report, owner)
    assert report.status == "published" and report.published_at is not None
    assert actions(owner.organisation_id)[-1] == reports.REPORT_PUBLISHED


def test_revise_makes_a_new_draft_revision_that_says_what_it_revises(report, owner, assessment):
    with pytest.raises(Conflict, match="still a draft"):
        reports.revise(report, owner)
    complete(report, owner)
    reports.approve(report, owner)
    revision = reports.revise(report, owner, "Corrected the training figures.")
    db.session.commit()
    assert (revision.revision, revision.revises_id, revision.status) == (2, report.id, "draft")
    assert revision.reporting_year == report.reporting_year
    assert revision.entity["revised"] == {
        "original_date": report.approved_at.date().isoformat(),
        "description": "Corrected the training figures.",
    }
    assert revision.approval["approval_date"] is None
    assert revision.evidence is None
    assert [a.id for a in reports.assessments_of(revision)] == [assessment.id]
    answers = reports.answers_of(revision)
    assert answers["revised_report"] == "yes"
    assert answers["revised_changes"] == "Corrected the training figures."
    assert report.status == "approved"  # the original stays as it was approved
    with pytest.raises(Conflict, match="already revised"):
        reports.revise(report, owner)
    reports.update_report(revision, owner, sections={"f": {"text": {"en": "All 45 buyers."}}})
    assert report.sections["f"]["text"]["en"] != "All 45 buyers."
    assert reports.REPORT_REVISED in actions(owner.organisation_id)
    count = db.session.scalar(sa.select(sa.func.count()).select_from(ReportAssessment))
    assert count == 2


# Outputs -----------------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages).replace(
        "\u00a0", " "
    )


def headings(lang: str) -> list[str]:
    return [" ".join(f"({key}) {t(f'section.{key}', lang)}".split()) for key in "abcdefg"]


def test_the_pdf_is_in_the_language_asked(report, owner):
    complete(report, owner)
    english = pdf_text(reports.render_report_pdf(report))
    assert all(heading in english for heading in headings("en"))
    french = pdf_text(reports.render_report_pdf(report, "fr"))
    assert all(heading.replace("\u00a0", " ") in french for heading in headings("fr"))
    assert not [heading for heading in headings("en") if heading in french]
    assert "Chine" in french and "Turkménistan" in french
    with pytest.raises(InvalidInput):
        reports.render_report_pdf(report, "de")


def test_the_questionnaire_json_validates_against_the_schema(report, owner):
    complete(report, owner)
    document = reports.questionnaire_document(report)
    assert validation_errors(document) == []
    assert document["answers"]["risks_identified"] == "yes"
    assert document["report"]["financial_year"] == {"start": "2025-01-01", "end": "2025-12-31"}
    answers_pdf = pdf_text(reports.render_answers(report, "fr"))
    assert "Réponses au questionnaire" in answers_pdf


def test_the_crosswalk_follows_the_filled_sections(report, owner):
    before = reports.report_crosswalk(report)
    assert {i.ref for i in before.uncovered} >= {"UK MSA s.54(5)(b)", "UK MSA s.54(5)(f)"}
    complete(report, owner)
    after = reports.report_crosswalk(report)
    assert all(row.filled for row in after.rows)
    assert [i.ref for i in after.uncovered] == ["AU MSA s.16(1)(f)"]


def test_download_names_say_year_revision_and_language(report):
    assert reports.download_name(report, "pdf", "fr") == "s211-2025-r1-fr.pdf"
    assert reports.download_name(report, "json") == "s211-2025-r1.json"
