"""`supplychain reports list|check|render`: output, exit codes, scoping by --org."""

from __future__ import annotations

import io
import json

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from pypdf import PdfReader

from supplychain.extensions import db
from supplychain.models.reports import Report
from supplychain.reporting.export import validation_errors
from supplychain.reporting.findings import make_finding
from supplychain.reporting.i18n import t
from supplychain.services import reports
from supplychain.services.access import Principal
from tests.supplychain.account_builders import make_org, make_user
from tests.supplychain.report_builders import complete, finished_assessment, principal_for


@pytest.fixture
def owner(app: Flask) -> Principal:
    return principal_for(make_user(make_org(), role="owner"))


@pytest.fixture
def report(app: Flask, owner: Principal) -> Report:
    assessment = finished_assessment(app, owner.organisation)
    created = reports.create_report(owner, 2025, [assessment.id], "both")
    db.session.commit()
    return created


@pytest.fixture
def complete_report(report: Report, owner: Principal) -> Report:
    return complete(report, owner)


def test_list_as_a_table_and_as_json(runner: FlaskCliRunner, report: Report):
    table = runner.invoke(args=["reports", "list"])
    assert table.exit_code == 0, table.output
    header, row = table.output.splitlines()[:2]
    assert header.split()[:6] == ["ID", "ORGANISATION", "YEAR", "REV", "STATUS", "LANG"]
    assert row.split()[:6] == [str(report.id), "maple-imports-ltd", "2025", "1", "draft", "both"]
    listed = json.loads(runner.invoke(args=["reports", "list", "--format", "json"]).output)
    assert [item["id"] for item in listed] == [report.id]
    assert listed[0]["legal_name"] == "Maple Imports Ltd."


def test_list_for_one_organisation(runner: FlaskCliRunner, report: Report):
    make_org("Rival Trading Inc.")
    rival = runner.invoke(
        args=["reports", "list", "--org", "rival-trading-inc", "--format", "json"]
    )
    assert json.loads(rival.output) == []
    unknown = runner.invoke(args=["reports", "list", "--org", "nobody"])
    assert unknown.exit_code == 1 and "No organisation" in unknown.output


def test_check_exits_1_when_something_blocks(runner: FlaskCliRunner, report: Report):
    result = runner.invoke(args=["reports", "check", str(report.id)])
    assert result.exit_code == 1
    assert "BLOCKING" in result.output
    assert "section (b)" in result.output and "SECTION_EMPTY" in result.output
    assert "Fix: " in result.output
    assert "blocking," in result.output.splitlines()[-1]
    french = runner.invoke(args=["reports", "check", str(report.id), "--lang", "fr"])
    assert make_finding("SECTION_EMPTY", section="b").fix_fr in french.output


def test_check_exits_0_when_nothing_blocks(runner: FlaskCliRunner, complete_report: Report):
    result = runner.invoke(args=["reports", "check", str(complete_report.id)])
    assert result.exit_code == 0, result.output
    assert "BLOCKING" not in result.output
    assert " 0 blocking" in result.output


def test_check_of_another_organisations_report_is_not_found(runner: FlaskCliRunner, report: Report):
    make_org("Rival Trading Inc.")
    result = runner.invoke(args=["reports", "check", str(report.id), "--org", "rival-trading-inc"])
    assert result.exit_code == 1 and f"No report {report.id}" in result.output
    assert runner.invoke(args=["reports", "check", "999"]).exit_code == 1


def test_render_writes_the_pdf_and_the_json(runner: FlaskCliRunner, complete_report, tmp_path):
    out, answers = tmp_path / "report.pdf", tmp_path / "answers.json"
    result = runner.invoke(
        args=[
            "reports", "render", str(complete_report.id), "--lang", "fr",
            "--out", str(out), "--json", str(answers),
        ]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    text = " ".join(page.extract_text() for page in reader.pages).replace("\u00a0", " ")
    assert " ".join(t("annex.heading", "fr").split()) in " ".join(text.split())
    assert reader.metadata.title.startswith("Rapport en vertu de la Loi")
    document = json.loads(answers.read_text(encoding="utf-8"))
    assert validation_errors(document) == []


def test_render_refuses_a_wrong_file_type(runner: FlaskCliRunner, report: Report, tmp_path):
    result = runner.invoke(
        args=["reports", "render", str(report.id), "--out", str(tmp_path / "report.docx")]
    )
    assert result.exit_code == 2 and "--out must end in .pdf" in result.output
    assert not (tmp_path / "report.docx").exists()
