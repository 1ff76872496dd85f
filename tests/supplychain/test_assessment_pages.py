"""The assessment pages: upload, mapping, progress, results with charts, lines, exports, compare."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from supplychain.extensions import db
from supplychain.models.assessments import Assessment, AssessmentLine, Upload
from tests.supplychain.account_builders import log_in, make_org, make_user

# An ERP export as people send them: their own headers, countries written three ways.
SAMPLE_CSV = (
    "Supplier,Country,Product description,Spend,Currency\r\n"
    "Hetian Taida Apparel Co Ltd,China,cotton t-shirts,12500,CAD\r\n"
    "Ashgabat Textile Export,Turkmenistan,raw cotton lint,8000,CAD\r\n"
    "Abidjan Cocoa Export SA,CIV,cocoa beans,22000,CAD\r\n"
    "Cairo Garments Co,Egypt,mens cotton t-shirts,4100,CAD\r\n"
    "Müller Armaturen GmbH,DE,stainless steel ball valves,900,CAD\r\n"
    "Acme Widgets,,N/A,50,CAD\r\n"
)
# Headers nobody would recognise for sure: the mapping step must ask.
UNCLEAR_CSV = (
    "Vendor nm,Ctry of orig,Stuff,Amt\r\n"
    "Hetian Taida Apparel Co Ltd,China,cotton t-shirts,12500\r\n"
    "Abidjan Cocoa Export SA,CIV,cocoa beans,22000\r\n"
)


def post_file(client: FlaskClient, body: str | bytes, filename: str = "erp-export.csv"):
    data = body.encode("utf-8") if isinstance(body, str) else body
    return client.post(
        "/uploads",
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def assess(client: FlaskClient, body: str = SAMPLE_CSV) -> Assessment:
    """Upload a small list (run inline in tests) and return its finished assessment."""
    response = post_file(client, body)
    assert response.status_code == 302, response.get_data(as_text=True)
    match = re.search(r"/assessments/(\d+)$", response.location)
    assert match, response.location
    assessment = db.session.get(Assessment, int(match.group(1)))
    assert assessment is not None
    db.session.refresh(assessment)
    assert assessment.status == "done", assessment.error
    return assessment


@pytest.fixture
def analyst(app: Flask, client: FlaskClient, tmp_path):
    # Jobs run in the request here, so a redirect lands on a finished assessment.
    app.config.update(JOBS_MODE="inline", UPLOAD_DIR=str(tmp_path / "uploads"))
    organisation = make_org()
    user = make_user(organisation, role="analyst")
    log_in(client)
    return user


@pytest.fixture
def outsider(app: Flask) -> FlaskClient:
    """A logged-in owner of another organisation, on a client of their own."""
    make_user(make_org("Rival Trading Inc."), email="bo@rival.example", role="owner")
    other = app.test_client()
    log_in(other, email="bo@rival.example")
    return other


# Uploading ---------------------------------------------------------------------------------


def test_upload_page_shows_the_limits_and_the_templates(client, analyst):
    page = client.get("/uploads/new").get_data(as_text=True)
    assert 'type="file"' in page and 'enctype="multipart/form-data"' in page
    assert "50 MB" in page and ".xlsx" in page
    assert 'accept=".csv,.tsv,.txt,.xlsx,.json"' in page  # the file picker offers every format
    assert "/uploads/template.csv" in page and "/uploads/template.xlsx" in page


def test_templates_download_in_both_formats(client):
    csv_file = client.get("/uploads/template.csv")
    assert csv_file.status_code == 200
    assert "attachment" in csv_file.headers["Content-Disposition"]
    assert "Supplier name" in csv_file.get_data().decode("utf-8-sig")
    xlsx = client.get("/uploads/template.xlsx")
    workbook = load_workbook(io.BytesIO(xlsx.get_data()))
    assert workbook.active["A1"].value == "Supplier name"


def test_upload_needs_a_login_and_the_analyst_role(app, client):
    assert client.get("/uploads/new").status_code == 302  # to the login page
    make_user(make_org(), role="viewer")
    log_in(client)
    assert client.get("/uploads/new").status_code == 403
    assert post_file(client, SAMPLE_CSV).status_code == 403


@pytest.mark.parametrize(
    ("filename", "body", "expected"),
    [
        ("list.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "old-format Excel"),
        ("list.csv", b"%PDF-1.7\n" + b"\0" * 64, "PDF"),
        ("list.csv", b"", "empty"),
        ("list.exe", b"MZ\x90\x00", ".exe files are not accepted"),
        ("list.xlsx", b"PK\x03\x04 not really a zip", "list.xlsx"),
    ],
)
def test_a_hostile_or_broken_file_gets_a_clear_message(client, analyst, filename, body, expected):
    response = post_file(client, body, filename)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The file was not accepted" in page and expected in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Assessment)) == 0


def test_a_file_over_the_request_limit_is_refused_on_the_upload_page(app, client, analyst):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = post_file(client, SAMPLE_CSV * 20)
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "The file was not accepted" in page and "larger than" in page


def test_the_mapping_step_asks_then_remembers(client, analyst):
    response = post_file(client, UNCLEAR_CSV)
    assert response.status_code == 302 and response.location.endswith("/mapping")
    page = client.get(response.location).get_data(as_text=True)
    for label in ("Supplier name", "Country", "Product description", "HS code", "Tier"):
        assert label in page
    assert 'name="field-supplier_name"' in page and "Vendor nm" in page
    assert "Hetian Taida Apparel Co Ltd" in page  # sample values
    assert "%" in page  # confidence

    saved = client.post(
        response.location,
        data={
            "field-supplier_name": "Vendor nm",
            "field-country": "Ctry of orig",
            "field-product_description": "Stuff",
            "field-spend": "Amt",
        },
    )
    assert saved.status_code == 302 and "/assessments/" in saved.location

    again = post_file(client, UNCLEAR_CSV, "next-year.csv")
    assert again.status_code == 302 and "/assessments/" in again.location  # no mapping step


def test_a_mapping_without_supplier_or_product_is_refused(client, analyst):
    response = post_file(client, UNCLEAR_CSV)
    refused = client.post(response.location, data={"field-country": "Ctry of orig"})
    assert refused.status_code == 422
    assert "supplier name or a product description" in refused.get_data(as_text=True)


# Progress and failure ----------------------------------------------------------------------


def test_a_running_assessment_shows_a_live_progress_bar(client, analyst):
    assessment = assess(client)
    assessment.status, assessment.stage = "running", "matching"
    assessment.rows_total, assessment.rows_done = 6, 3
    db.session.commit()

    page = client.get(f"/assessments/{assessment.id}").get_data(as_text=True)
    assert "<progress" in page and 'value="50"' in page
    assert "3 of 6 rows" in page and "Matching goods, countries and suppliers" in page
    assert f'data-progress-url="/api/v1/assessments/{assessment.id}"' in page
    assert "progress.js" in page

    # progress.js polls the API with the session cookie, no token and no CSRF header.
    api = client.get(f"/api/v1/assessments/{assessment.id}")
    assert api.status_code == 200
    assert api.json["status"] == "running" and api.json["rows_done"] == 3


def test_a_failed_assessment_shows_the_error_and_can_run_again(client, analyst):
    assessment = assess(client)
    assessment.status, assessment.error = "failed", "Row 3, column 'Spend': not a number."
    db.session.commit()

    page = client.get(f"/assessments/{assessment.id}").get_data(as_text=True)
    assert "The assessment stopped" in page and "Row 3, column &#39;Spend&#39;" in page
    assert f'action="/assessments/{assessment.id}/rerun"' in page

    response = client.post(f"/assessments/{assessment.id}/rerun")
    assert response.status_code == 302
    rerun = db.session.get(Assessment, int(response.location.rsplit("/", 1)[1]))
    db.session.refresh(rerun)
    assert rerun.status == "done"


# Results -----------------------------------------------------------------------------------


def test_results_show_headline_figures_charts_and_lines(client, analyst):
    assessment = assess(client)
    page = client.get(f"/assessments/{assessment.id}").get_data(as_text=True)

    assert "At a glance" in page and "lines with insufficient data" in page
    assert "Forced labour: share of lines by band" in page
    for chart in ("chart-countries", "chart-suppliers", "chart-scores", "chart-heatmap"):
        figure = page.split(f'id="{chart}"', 1)[1].split("</figure>", 1)[0]
        assert '<svg class="chart-svg' in figure and 'role="img"' in figure, chart
        assert "<figcaption>" in page and f'id="{chart}-desc"' in figure
        assert '<details class="chart-table">' in figure and "<table>" in figure, chart
    assert "Turkmenistan" in page and "Hetian Taida Apparel Co Ltd" in page
    assert "Export CSV" in page and "Export XLSX" in page and "Re-assess" in page
    assert page.count("/lines/") >= 6


def test_lines_are_filtered_sorted_and_paginated(client, analyst):
    assessment = assess(client)
    url = f"/assessments/{assessment.id}"

    first = client.get(f"{url}?per_page=2&sort=row").get_data(as_text=True)
    assert "Lines <strong>1–2</strong>" in first and "of 6" in first
    assert "Page 1 of 3" in first and "page=2" in first
    second = client.get(f"{url}?per_page=2&page=2&sort=row").get_data(as_text=True)
    assert "Lines <strong>3–4</strong>" in second and "Row 4" in second and "Row 2<" not in second

    critical = lines_table(client.get(f"{url}?band=Critical"))
    assert "Hetian Taida" in critical and "Müller Armaturen" not in critical
    turkmen = lines_table(client.get(f"{url}?country=TKM"))
    assert "Ashgabat" in turkmen and "Abidjan" not in turkmen
    text = lines_table(client.get(f"{url}?q=cocoa"))
    assert "Abidjan" in text and "Ashgabat" not in text

    by_score = client.get(f"{url}?sort=-score&per_page=1").get_data(as_text=True)
    assert "Critical" in by_score.split('class="lines-table"', 1)[1]
    nothing = client.get(f"{url}?supplier=nobody-at-all").get_data(as_text=True)
    assert "No line matches these filters" in nothing


def lines_table(response) -> str:
    """The lines table of a results page (the charts above it name every supplier)."""
    return response.get_data(as_text=True).split('class="lines-table"', 1)[1].split("</table>")[0]


def test_a_line_shows_its_values_matches_factors_and_sources(client, analyst):
    assessment = assess(client)
    page = client.get(f"/assessments/{assessment.id}/lines/2").get_data(as_text=True)
    assert "Hetian Taida Apparel Co Ltd" in page and "cotton t-shirts" in page  # as uploaded
    assert "What was matched" in page and "accepted" in page
    assert "Why: every factor and its source" in page and "+" in page
    assert "Problems in this row" in page
    assert "Sources cited" in page and "Questions to ask this supplier" in page
    assert client.get(f"/assessments/{assessment.id}/lines/999").status_code == 404


def test_exports_download_every_line(client, analyst):
    assessment = assess(client)
    csv_file = client.get(f"/assessments/{assessment.id}/export.csv")
    assert csv_file.status_code == 200 and "attachment" in csv_file.headers["Content-Disposition"]
    text = csv_file.get_data().decode("utf-8-sig")
    assert "Hetian Taida Apparel Co Ltd" in text and len(text.strip().splitlines()) >= 7
    xlsx = client.get(f"/assessments/{assessment.id}/export.xlsx")
    assert xlsx.status_code == 200
    assert load_workbook(io.BytesIO(xlsx.get_data()), read_only=True).sheetnames


def test_the_list_and_the_comparison_of_two_assessments(client, analyst):
    first = assess(client)
    second = assess(client, SAMPLE_CSV.replace("Cairo Garments Co,Egypt", "Cairo Garments Co,CN"))

    listing = client.get("/assessments").get_data(as_text=True)
    assert f"#{first.id}" in listing and f"#{second.id}" in listing
    assert "labour-risk-v1" in listing and first.reference_version in listing

    results = client.get(f"/assessments/{second.id}").get_data(as_text=True)
    assert 'name="with"' in results and f'value="{first.id}"' in results
    page = client.get(f"/assessments/{second.id}/compare?with={first.id}").get_data(as_text=True)
    assert "New risks" in page and "Resolved risks" in page and "Changed scores" in page


def test_reassess_starts_a_new_assessment_of_the_same_file(client, analyst):
    assessment = assess(client)
    response = client.post(f"/assessments/{assessment.id}/reassess")
    assert response.status_code == 302
    fresh = db.session.get(Assessment, int(response.location.rsplit("/", 1)[1]))
    assert fresh.id != assessment.id and fresh.upload_id == assessment.upload_id


def test_a_viewer_sees_results_but_cannot_start_anything(app, client, analyst):
    assessment = assess(client)
    make_user(analyst.organisation, email="vi@maple.example", role="viewer")
    viewer = app.test_client()
    log_in(viewer, email="vi@maple.example")
    page = viewer.get(f"/assessments/{assessment.id}").get_data(as_text=True)
    assert "At a glance" in page and "Re-assess" not in page
    assert viewer.post(f"/assessments/{assessment.id}/reassess").status_code == 403
    assert viewer.post(f"/assessments/{assessment.id}/rerun").status_code == 403


def test_another_organisations_pages_answer_404(client, analyst, outsider):
    assessment = assess(client)
    upload = db.session.get(Upload, assessment.upload_id)
    row = db.session.scalar(
        sa.select(AssessmentLine.row_number).where(AssessmentLine.assessment_id == assessment.id)
    )
    for path in (
        f"/uploads/{upload.id}/mapping",
        f"/uploads/{upload.id}/sheet",
        f"/assessments/{assessment.id}",
        f"/assessments/{assessment.id}/lines/{row}",
        f"/assessments/{assessment.id}/export.csv",
        f"/assessments/{assessment.id}/export.xlsx",
        f"/assessments/{assessment.id}/review",
        f"/assessments/{assessment.id}/compare?with={assessment.id}",
        f"/api/v1/assessments/{assessment.id}",
    ):
        assert outsider.get(path).status_code == 404, path
    assert outsider.post(f"/assessments/{assessment.id}/reassess").status_code == 404
    assert f"#{assessment.id}" not in outsider.get("/assessments").get_data(as_text=True)


def test_the_headline_counts_insufficient_data_and_leads_to_the_review(app, client, analyst):
    app.config.update(MATCH_GOODS_ACCEPT=100.0, MATCH_GOODS_REVIEW=40.0)  # some go to a person
    assessment = assess(client)
    summary = assessment.summary
    insufficient, lines = summary["insufficient_data_lines"], summary["lines"]
    assert insufficient and summary["review_pending"]

    page = client.get(f"/assessments/{assessment.id}").get_data(as_text=True)

    share = f"{100 * insufficient / lines:.0f}%"
    assert (
        f'<span class="figure">{share}</span><span class="what">lines with insufficient data'
        in page
    )
    assert f"{insufficient} line" in page and "decision=insufficient" in page
    pending = summary["review_pending"]
    assert f"Review {pending} uncertain match" in page
    shown = client.get(f"/assessments/{assessment.id}?decision=insufficient")
    assert shown.status_code == 200
    assert lines_table(shown).count('class="row-number"') == insufficient


def test_rows_with_problems_are_listed_and_downloadable(client, analyst):
    body = SAMPLE_CSV + "Bad Amount Co,China,cotton t-shirts,a lot,CAD\r\n,,,12,CAD\r\n"
    assessment = assess(client, body)
    page = client.get(f"/assessments/{assessment.id}").get_data(as_text=True)

    section = page.split('id="problems"', 1)[1].split("</section>", 1)[0]
    assert "2 rows had something we could not read" in section
    assert "Row 8" in section and "Spend" in section and "a lot" in section
    assert "Row 9" in section and "(whole row)" in section
    assert "Spend not read: <strong>1</strong>" in section
    assert f"/assessments/{assessment.id}/problems.csv" in section

    download = client.get(f"/assessments/{assessment.id}/problems.csv")
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
    text = download.get_data().decode("utf-8-sig").splitlines()
    assert text[0] == "Row,Column,Field,Value,Reason,Code"
    assert [line.split(",")[0] for line in text[1:]] == ["8", "9"]
    only = lines_table(client.get(f"/assessments/{assessment.id}?problems=yes"))
    assert "Bad Amount Co" in only and "Hetian" not in only
    # Every row is kept: both are lines of the assessment, with their own pages.
    assert client.get(f"/assessments/{assessment.id}/lines/9").status_code == 200
    full = client.get(f"/assessments/{assessment.id}/export.csv").get_data().decode("utf-8-sig")
    assert len(full.strip().splitlines()) == 1 + 8


def test_a_list_without_problems_shows_no_problem_section(client, analyst):
    clean = SAMPLE_CSV.replace("Acme Widgets,,N/A,50,CAD\r\n", "")
    assessment = assess(client, clean)
    page = client.get(f"/assessments/{assessment.id}").get_data(as_text=True)
    assert assessment.summary["rows_with_problems"] == 0
    assert 'id="problems"' not in page
    download = client.get(f"/assessments/{assessment.id}/problems.csv").get_data()
    assert download.decode("utf-8-sig").strip() == "Row,Column,Field,Value,Reason,Code"


def test_results_say_when_newer_reference_data_is_installed(client, analyst):
    assessment = assess(client)
    current = client.get(f"/assessments/{assessment.id}").get_data(as_text=True)
    assert "Newer data since this assessment ran" not in current

    assessment.reference_version = "2025.01.1+0000000"
    db.session.commit()
    page = client.get(f"/assessments/{assessment.id}").get_data(as_text=True)
    assert "Newer data since this assessment ran" in page
    assert "reference data 2025.01.1+0000000 →" in page and "Re-assess to check" in page
