"""The assessments API: every endpoint, with a token and with a browser session."""

from __future__ import annotations

import csv
import io
import json
import uuid
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from supplychain.extensions import db
from supplychain.models.accounts import Organisation
from tests.supplychain.account_builders import log_in, make_org, make_token, make_user
from tests.supplychain.test_pipeline import ROWS, csv_bytes


@pytest.fixture
def org(app: Flask, tmp_path: Path) -> Organisation:
    app.config.update(JOBS_MODE="inline", UPLOAD_DIR=str(tmp_path / "uploads"))
    return make_org()


@pytest.fixture
def auth(org: Organisation) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_token(org)}"}


def upload(
    client: FlaskClient,
    auth: dict[str, str],
    data: bytes | None = None,
    name: str = "list.csv",
    **form: str,
) -> Any:
    payload: dict[str, Any] = {"file": (io.BytesIO(data or csv_bytes()), name), **form}
    return client.post(
        "/api/v1/uploads", data=payload, headers=auth, content_type="multipart/form-data"
    )


@pytest.fixture
def assessment_id(client: FlaskClient, auth: dict[str, str]) -> int:
    response = upload(client, auth)
    assert response.status_code == 202, response.json
    return response.json["assessment_id"]


def test_upload_answers_202_with_the_job(client: FlaskClient, auth: dict[str, str]):
    response = upload(client, auth)

    assert response.status_code == 202
    body = response.json
    assert body["upload_id"] and body["assessment_id"]
    assert body["status"] == "done"  # inline in tests; "queued" with a worker
    assert body["job"]["status"] == "done" and body["job"]["progress"] == 1.0
    assert body["mapping"]["fields"]["country"] == "Country"


def test_upload_with_an_explicit_mapping_and_sheet(client: FlaskClient, auth: dict[str, str]):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Notes"
    workbook.active.append(["nothing to see"])
    sheet = workbook.create_sheet("Vendors")
    sheet.append(["Name", "Where", "What"])
    sheet.append(["Acme", "China", "T-shirts"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    mapping = {"supplier_name": "Name", "country": "Where", "product_description": "What"}

    response = upload(
        client, auth, buffer.getvalue(), "list.xlsx", mapping=json.dumps(mapping), sheet="Vendors"
    )

    assert response.status_code == 202, response.json
    assert response.json["mapping"]["source"] == "explicit"
    lines = client.get(f"/api/v1/assessments/{response.json['assessment_id']}/lines", headers=auth)
    assert lines.json["items"][0]["country_iso3"] == "CHN"


def test_upload_needing_a_mapping_waits_for_it(client: FlaskClient, auth: dict[str, str]):
    data = b"Lieferant,Herkunft,Artikel\nAcme,China,Cotton\n"
    response = upload(client, auth, data)

    assert response.status_code == 202
    assert response.json["status"] == "needs_mapping"
    assert response.json["assessment_id"] is None and response.json["job"] is None
    assert response.json["reasons"]
    upload_id = response.json["upload_id"]
    assert client.get(f"/api/v1/uploads/{upload_id}", headers=auth).json["needs_mapping"]

    mapping = {"supplier_name": "Lieferant", "country": "Herkunft", "product_description": 2}
    confirmed = client.put(
        f"/api/v1/uploads/{upload_id}/mapping", json={"mapping": mapping}, headers=auth
    )
    assert confirmed.status_code == 202 and confirmed.json["status"] == "done"
    again = upload(client, auth, data)
    assert again.json["status"] == "done" and again.json["mapping"]["source"] == "saved"


def test_bad_mapping_json_is_a_problem(client: FlaskClient, auth: dict[str, str]):
    response = upload(client, auth, mapping="{not json")
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert "not valid JSON" in response.json["detail"]
    wrong = upload(client, auth, mapping=json.dumps({"supplier_name": "Vendor"}))
    assert wrong.status_code == 422 and "no column named 'Vendor'" in wrong.json["detail"]


def test_get_upload(client: FlaskClient, auth: dict[str, str], assessment_id: int):
    assessment = client.get(f"/api/v1/assessments/{assessment_id}", headers=auth).json
    body = client.get(f"/api/v1/uploads/{assessment['upload_id']}", headers=auth).json

    assert body["filename"] == "list.csv" and len(body["sha256"]) == 64
    assert body["assessments"] == [assessment_id]
    assert body["rows_read"] == len(ROWS) and body["rows_with_problems"] == 1


def test_get_assessment(client: FlaskClient, auth: dict[str, str], assessment_id: int):
    body = client.get(f"/api/v1/assessments/{assessment_id}", headers=auth).json

    assert body["id"] == assessment_id and body["status"] == "done"
    assert body["progress"] == 1.0 and body["stage"] == "done"
    assert body["summary"]["lines"] == len(ROWS)
    assert body["model"]["name"] == "labour-risk-v1" and body["model"]["reference_version"]
    assert body["model"]["profile"]


def test_lines_pages_and_filters(client: FlaskClient, auth: dict[str, str], assessment_id: int):
    url = f"/api/v1/assessments/{assessment_id}/lines"
    first = client.get(f"{url}?page=1&per_page=3", headers=auth).json

    assert first["total"] == len(ROWS) and first["page"] == 1 and first["per_page"] == 3
    item = first["items"][0]
    assert item["row_number"] == 2
    assert item["original"]["Supplier"] == "Northwind Apparel Co. Ltd"
    assert item["matches"]["good"]["name"] == "Garments"
    assert item["forced_labour_band"] and item["child_labour"] is not None
    assert item["factors"][0]["kind"] and item["reasons"]
    following = client.get(f"{url}?per_page=3&after={first['next_after']}", headers=auth).json
    assert [i["row_number"] for i in following["items"]] == [5, 6, 7]
    china = client.get(f"{url}?country=CHN&sort=-score", headers=auth).json
    assert china["total"] == 4
    assert client.get(f"{url}?band=Purple", headers=auth).status_code == 422
    assert client.get(f"{url}?q=hoodie", headers=auth).json["total"] == 1


def test_one_line(client: FlaskClient, auth: dict[str, str], assessment_id: int):
    body = client.get(f"/api/v1/assessments/{assessment_id}/lines/2", headers=auth).json

    assert body["row_number"] == 2 and body["assessment_id"] == assessment_id
    assert body["matches"]["good"]["record"]["candidates"]
    assert body["sources"] and body["questions"]
    missing = client.get(f"/api/v1/assessments/{assessment_id}/lines/999", headers=auth)
    assert missing.status_code == 404


def test_rerun_and_reassess(client: FlaskClient, auth: dict[str, str], assessment_id: int):
    rerun = client.post(f"/api/v1/assessments/{assessment_id}/rerun", headers=auth)
    assert rerun.status_code == 202 and rerun.json["id"] == assessment_id
    assert rerun.json["status"] == "done"
    lines = client.get(f"/api/v1/assessments/{assessment_id}/lines", headers=auth).json
    assert lines["total"] == len(ROWS)

    fresh = client.post(f"/api/v1/assessments/{assessment_id}/reassess", headers=auth)
    assert fresh.status_code == 202 and fresh.json["previous_id"] == assessment_id

    compared = client.get(
        f"/api/v1/assessments/{fresh.json['id']}/compare/{assessment_id}", headers=auth
    )
    assert compared.status_code == 200
    assert compared.json["by"] == "row" and compared.json["counts"]["new_risks"] == 0
    assert compared.json["base"]["id"] == assessment_id


def test_exports(client: FlaskClient, auth: dict[str, str], assessment_id: int):
    url = f"/api/v1/assessments/{assessment_id}/export"
    response = client.get(f"{url}.csv", headers=auth)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[0][:3] == ["Row", "Supplier", "Country"] and "Reasons" in rows[0]
    assert len(rows) == len(ROWS) + 1

    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(f"{url}.xlsx", headers=auth).get_data()), read_only=True
    )
    assert workbook.sheetnames == ["Lines", "About"]
    assert len(list(workbook["Lines"].iter_rows())) == len(ROWS) + 1

    document = json.loads(client.get(f"{url}.json", headers=auth).get_data())
    assert document["id"] == assessment_id and len(document["lines"]) == len(ROWS)


def test_exports_neutralise_formulas(client: FlaskClient, auth: dict[str, str]):
    data = csv_bytes(['"=HYPERLINK(""http://evil"")",China,@SUM(A1),,-12'])
    assessment_id = upload(client, auth, data).json["assessment_id"]
    text = client.get(f"/api/v1/assessments/{assessment_id}/export.csv", headers=auth)
    rows = list(csv.reader(io.StringIO(text.get_data().decode("utf-8-sig"))))

    assert rows[1][1].startswith("'=") and rows[1][3] == "'@SUM(A1)"
    workbook = openpyxl.load_workbook(
        io.BytesIO(
            client.get(f"/api/v1/assessments/{assessment_id}/export.xlsx", headers=auth).get_data()
        )
    )
    cell = workbook["Lines"]["B2"]
    assert cell.data_type == "s" and cell.value.startswith("'=")


def test_review_and_judgements(client: FlaskClient, auth: dict[str, str], org: Organisation):
    rows = [f"Acme {n},Vietnam,Jasmine rice,1006.30,10" for n in range(3)]
    rows.append("Hoshine Silicon Ind. Co Ltd,China,Silicon metal,,3000")
    assessment_id = upload(client, auth, csv_bytes(rows)).json["assessment_id"]
    queue = client.get(f"/api/v1/assessments/{assessment_id}/review", headers=auth).json["items"]
    assert queue and queue[0]["candidates"]

    line = client.get(f"/api/v1/assessments/{assessment_id}/lines/5", headers=auth).json
    assert line["band"] == "Critical"
    supplier = line["matches"]["supplier"]
    decided = client.post(
        "/api/v1/judgements",
        json={
            "match_id": supplier["id"],
            "decision": "reject",
            "note": "a different company",
            "assessment_id": assessment_id,
        },
        headers=auth,
    )
    assert decided.status_code == 201, decided.json
    assert decided.json["judgement"]["decision"] == "reject"
    assert decided.json["rescored"]["lines_changed"] == 1
    line = client.get(f"/api/v1/assessments/{assessment_id}/lines/5", headers=auth).json
    assert line["band"] != "Critical" and line["matches"]["supplier"]["judged"]

    listed = client.get("/api/v1/judgements", headers=auth).json["items"]
    assert [item["id"] for item in listed] == [decided.json["judgement"]["id"]]
    by_key = client.post(
        "/api/v1/judgements",
        json={"kind": "good", "query_key": "cotton shirts", "decision": "replace"},
        headers=auth,
    )
    assert by_key.status_code == 422  # replace needs a target
    unknown_target = client.post(
        "/api/v1/judgements",
        json={
            "kind": "good",
            "query_key": "cotton shirts",
            "decision": "replace",
            "target_id": "unobtainium",
        },
        headers=auth,
    )
    assert unknown_target.status_code == 422 and "unobtainium" in unknown_target.json["detail"]
    bulk = client.post(
        f"/api/v1/assessments/{assessment_id}/review/bulk",
        json={"kind": queue[0]["kind"], "min_score": 0, "max_score": 100, "decision": "accept"},
        headers=auth,
    )
    assert bulk.status_code == 200 and bulk.json["decided"] >= 1

    withdrawn = client.delete(f"/api/v1/judgements/{decided.json['judgement']['id']}", headers=auth)
    assert withdrawn.status_code == 204

    log = client.get("/api/v1/audit-log", headers=auth).json["items"]
    actions = [item["action"] for item in log]
    assert "judgement.decided" in actions and "judgement.withdrawn" in actions
    assert "upload.created" in actions and "assessment.started" in actions
    assert log[0]["token"].startswith("ERP export")


def test_session_users_use_the_api_too(client: FlaskClient, org: Organisation):
    make_user(org, role="viewer")
    log_in(client)
    assert client.get("/api/v1/audit-log").status_code == 403  # viewers do not read the log
    response = client.post(
        "/api/v1/uploads",
        data={"file": (io.BytesIO(csv_bytes()), "list.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 403  # uploading takes an analyst


def test_requests_without_credentials_are_refused(client: FlaskClient, assessment_id: int):
    for url in (
        f"/api/v1/assessments/{assessment_id}",
        f"/api/v1/assessments/{assessment_id}/lines",
        "/api/v1/audit-log",
    ):
        response = client.get(url)
        assert response.status_code == 401 and response.mimetype == "application/problem+json"


def test_openapi_documents_the_resources(client: FlaskClient):
    spec = client.get("/api/v1/openapi.json").json
    paths = spec["paths"]
    for path in (
        "/api/v1/uploads",
        "/api/v1/uploads/{upload_id}",
        "/api/v1/assessments/{assessment_id}/lines",
        "/api/v1/assessments/{assessment_id}/export.xlsx",
        "/api/v1/judgements",
        "/api/v1/audit-log",
    ):
        assert path in paths
    assert "202" in paths["/api/v1/uploads"]["post"]["responses"]
    db.session.remove()


def test_export_keeps_rows_with_extra_cells_aligned(client: FlaskClient, auth: dict[str, str]):
    data = csv_bytes(["Acme,China,T-shirts,,10,surplus", "Beta,Peru,Gold,,20"])
    assessment_id = upload(client, auth, data).json["assessment_id"]
    text = client.get(f"/api/v1/assessments/{assessment_id}/export.csv", headers=auth)
    rows = list(csv.reader(io.StringIO(text.get_data().decode("utf-8-sig"))))

    assert len({len(row) for row in rows}) == 1  # every row as wide as the header
    extra = rows[0].index("Extra cells")
    assert rows[1][extra] == "Column F: surplus" and rows[2][extra] == ""
    assert rows[1][rows[0].index("Band")] in ("High", "Critical")


# Every endpoint, and the shapes other tools rely on ------------------------------------------

LINE_KEYS = {
    "row_number", "original", "matches", "factors", "reasons", "problems", "score", "band",
    "forced_labour", "forced_labour_band", "child_labour", "child_labour_band", "confidence",
    "insufficient_data", "supplier_name", "country_text", "product_text", "hs_code", "spend",
    "currency", "good_id", "country_iso3",
}  # fmt: skip


def test_upload_answers_the_documented_shape(client: FlaskClient, auth: dict[str, str]):
    body = upload(client, auth).json

    assert {"upload_id", "assessment_id", "job"} <= set(body)
    assert isinstance(body["upload_id"], int) and isinstance(body["assessment_id"], int)
    assert {"status", "progress"} <= set(body["job"])
    assert body["job"]["status"] in ("queued", "running", "done", "failed")
    assert 0.0 <= body["job"]["progress"] <= 1.0


def test_upload_with_a_queue_answers_queued(app: Flask, client: FlaskClient, auth: dict[str, str]):
    from supplychain import jobs

    name = f"test-assessments-{uuid.uuid4().hex}"
    app.config.update(REDIS_URL="redis://127.0.0.1:6379/0", JOBS_MODE="rq", JOBS_QUEUE=name)
    try:
        body = upload(client, auth).json
        assert body["job"] == {
            "status": "queued", "stage": "queued", "progress": 0.0, "rows_done": 0,
            "rows_total": None, "error": None,
        }  # fmt: skip
        assert jobs.queue(app.config).count == 1
    finally:
        jobs.queue(app.config).delete(delete_jobs=True)


def test_assessment_and_lines_answer_the_documented_shapes(
    client: FlaskClient, auth: dict[str, str], assessment_id: int
):
    assessment = client.get(f"/api/v1/assessments/{assessment_id}", headers=auth).json
    assert {"id", "status", "progress", "summary", "model"} <= set(assessment)
    summary = assessment["summary"]
    for key in ("lines", "suppliers", "countries", "lines_by_band", "insufficient_data_share"):
        assert key in summary, key
    assert summary["rows_with_problems"] == 1 and summary["problems_by_code"] == {"bad_spend": 1}
    assert {"name", "profile", "reference_version", "parameters"} <= set(assessment["model"])

    page = client.get(
        f"/api/v1/assessments/{assessment_id}/lines?page=2&per_page=3", headers=auth
    ).json
    assert {"items", "total", "page", "per_page"} <= set(page)
    assert page["page"] == 2 and page["per_page"] == 3 and page["total"] == len(ROWS)
    assert [item["row_number"] for item in page["items"]] == [5, 6, 7]
    for item in page["items"]:
        assert set(item) >= LINE_KEYS
        assert set(item["original"]) == {"Supplier", "Country", "Product description",
                                         "HS code", "Spend (CAD)"}  # fmt: skip
        assert set(item["matches"]) == {"good", "country", "supplier"}
        assert item["band"] in ("Low", "Medium", "High", "Critical")
        assert item["score"] == max(item["forced_labour"], item["child_labour"])
        for factor in item["factors"]:
            assert {"kind", "dimension", "contribution", "detail"} <= set(factor)
    hoshine = page["items"][0]
    assert hoshine["original"]["Supplier"] == "Hoshine Silicon Ind. Co Ltd"
    assert hoshine["matches"]["supplier"]["decision"] == "accepted"
    assert hoshine["matches"]["supplier"]["list"] and hoshine["factors"]


def test_rows_with_problems_are_listed_and_downloadable(client: FlaskClient, auth: dict[str, str]):
    rows = [
        *ROWS,
        ",,,,12",  # neither supplier nor product
        "Acme,China,Cotton,,12 EUR|",  # unreadable amount
        "Beta,Peru,Gold,,=1+2",  # a formula, as text
    ]
    assessment_id = upload(client, auth, csv_bytes(rows)).json["assessment_id"]
    url = f"/api/v1/assessments/{assessment_id}"

    listed = client.get(f"{url}/problems", headers=auth).json
    assert listed["total"] == 4 and listed["page"] == 1
    by_row = {item["row_number"]: item["problems"] for item in listed["items"]}
    assert sorted(by_row) == [9, 10, 11, 12]
    assert by_row[9][0]["column"] == "Spend (CAD)" and by_row[9][0]["value"] == "not a number"
    assert by_row[10][0]["code"] == "missing_identity" and by_row[10][0]["column"] is None
    for problems in by_row.values():
        assert all(problem["reason"] for problem in problems)
    second = client.get(f"{url}/problems?page=2&per_page=3", headers=auth).json
    assert [item["row_number"] for item in second["items"]] == [12]

    text = client.get(f"{url}/problems.csv", headers=auth)
    assert text.status_code == 200 and "attachment" in text.headers["Content-Disposition"]
    table = list(csv.reader(io.StringIO(text.get_data().decode("utf-8-sig"))))
    assert table[0] == ["Row", "Column", "Field", "Value", "Reason", "Code"]
    assert [row[0] for row in table[1:]] == ["9", "10", "11", "12"]
    assert table[4][3] == "'=1+2"  # neutralised
    # Every row is kept: the lines, the export and the summary all have the problem rows.
    assert client.get(f"{url}/lines", headers=auth).json["total"] == len(rows)
    only = client.get(f"{url}/lines?problems=yes", headers=auth).json
    assert [item["row_number"] for item in only["items"]] == [9, 10, 11, 12]
    assert client.get(url, headers=auth).json["summary"]["rows_with_problems"] == 4


def test_uploads_and_assessments_are_listed_newest_first(client: FlaskClient, auth: dict[str, str]):
    first = upload(client, auth).json
    second = upload(client, auth, name="second.csv").json

    uploads = client.get("/api/v1/uploads?per_page=1", headers=auth).json
    assert uploads["total"] == 2 and uploads["per_page"] == 1
    assert [item["id"] for item in uploads["items"]] == [second["upload_id"]]
    assert uploads["items"][0]["assessments"] == [second["assessment_id"]]
    assert uploads["items"][0]["filename"] == "second.csv"
    older = client.get("/api/v1/uploads?page=2&per_page=1", headers=auth).json
    assert [item["id"] for item in older["items"]] == [first["upload_id"]]

    listed = client.get("/api/v1/assessments", headers=auth).json
    assert [item["id"] for item in listed["items"]] == [
        second["assessment_id"],
        first["assessment_id"],
    ]
    item = listed["items"][0]
    assert item["status"] == "done" and item["lines"] == len(ROWS) and item["progress"] == 1.0
    assert item["filename"] == "second.csv" and item["model"]["name"]
    assert client.get("/api/v1/uploads?per_page=0", headers=auth).status_code == 422


def _fail_matching(monkeypatch):
    from supplychain.services import pipeline

    def broken(*args, **kwargs):
        raise RuntimeError("matcher exploded")

    monkeypatch.setattr(pipeline.matching, "match_goods", broken)


def test_a_failed_job_keeps_its_error_and_file_and_reruns_without_duplicates(
    app: Flask, client: FlaskClient, auth: dict[str, str], monkeypatch
):
    from supplychain.models.assessments import AssessmentLine, AssessmentMatch, Upload
    from supplychain.services.storage import get_storage

    _fail_matching(monkeypatch)
    accepted = upload(client, auth).json
    assert accepted["job"]["status"] == "failed"
    url = f"/api/v1/assessments/{accepted['assessment_id']}"
    failed = client.get(url, headers=auth).json
    assert failed["status"] == "failed" and "matcher exploded" in failed["error"]
    assert "original file is kept" in failed["error"]
    stored = db.session.get(Upload, accepted["upload_id"])
    assert get_storage().get(stored.storage_key) == csv_bytes()
    assert client.get(f"{url}/lines", headers=auth).json["total"] == 0

    monkeypatch.undo()
    for _ in range(3):
        again = client.post(f"{url}/rerun", headers=auth)
        assert again.status_code == 202 and again.json["status"] == "done", again.json
        assert again.json["error"] is None
        lines = db.session.scalar(
            sa.select(sa.func.count()).where(
                AssessmentLine.assessment_id == accepted["assessment_id"]
            )
        )
        assert lines == len(ROWS)
        rows = db.session.scalars(
            sa.select(AssessmentLine.row_number).where(
                AssessmentLine.assessment_id == accepted["assessment_id"]
            )
        ).all()
        assert sorted(rows) == list(range(2, 2 + len(ROWS)))
    matches = db.session.scalars(
        sa.select(AssessmentMatch.query_key).where(
            AssessmentMatch.assessment_id == accepted["assessment_id"]
        )
    ).all()
    assert len(matches) == len(set(matches))
    assert client.get(url, headers=auth).json["summary"]["lines"] == len(ROWS)


def test_a_superseded_or_taken_job_does_nothing(
    app: Flask, client: FlaskClient, auth: dict[str, str]
):
    """Two jobs of one assessment (a rerun while queued, a second delivery) never both run."""
    from rq import SimpleWorker

    from supplychain import jobs
    from supplychain.models.assessments import Assessment, AssessmentLine

    name = f"test-assessments-{uuid.uuid4().hex}"
    app.config.update(REDIS_URL="redis://127.0.0.1:6379/0", JOBS_MODE="rq", JOBS_QUEUE=name)
    queue = jobs.queue(app.config)
    try:
        assessment_id = upload(client, auth).json["assessment_id"]
        first = db.session.get(Assessment, assessment_id).job_id
        again = client.post(f"/api/v1/assessments/{assessment_id}/rerun", headers=auth)
        assert again.status_code == 202 and again.json["status"] == "queued"
        second = db.session.get(Assessment, assessment_id).job_id
        assert queue.job_ids == [first, second]

        assert SimpleWorker([queue], connection=queue.connection).work(burst=True)

        assert queue.fetch_job(first).return_value() == "queued"  # superseded: did nothing
        assert queue.fetch_job(second).return_value() == "done"
        db.session.expire_all()
        assessment = db.session.get(Assessment, assessment_id)
        assert assessment.status == "done"
        finished_at = assessment.finished_at
        # A second delivery of a job already taken leaves the assessment alone too.
        assessment.status = "running"
        db.session.commit()
        assert jobs.run_job(assessment_id, second) == "running"
        db.session.expire_all()
        assert db.session.get(Assessment, assessment_id).finished_at == finished_at
        count = db.session.scalar(
            sa.select(sa.func.count()).where(AssessmentLine.assessment_id == assessment_id)
        )
        assert count == len(ROWS)
    finally:
        queue.delete(delete_jobs=True)


def test_compare_shows_new_resolved_and_changed(client: FlaskClient, auth: dict[str, str]):
    base = upload(client, auth).json["assessment_id"]
    lines = client.get(f"/api/v1/assessments/{base}/lines?per_page=50", headers=auth).json
    by_row = {item["row_number"]: item for item in lines["items"]}
    hoshine, shrimp = by_row[5], by_row[8]
    assert hoshine["band"] in ("High", "Critical") and shrimp["band"] in ("High", "Critical")
    # A person says the Hoshine hit is another company, and Blue Harbour's shrimp is not
    # shrimp; the Canadian office chairs are said to come from China.
    decide = [
        {"match_id": hoshine["matches"]["supplier"]["id"], "decision": "reject"},
        {"match_id": shrimp["matches"]["good"]["id"], "decision": "reject"},
        {"match_id": by_row[6]["matches"]["country"]["id"], "decision": "replace",
         "target_id": "CHN"},
        {"match_id": by_row[6]["matches"]["good"]["id"], "decision": "replace",
         "target_id": "garments"},
    ]  # fmt: skip
    for body in decide:
        assert client.post("/api/v1/judgements", json=body, headers=auth).status_code == 201
    current = client.post(f"/api/v1/assessments/{base}/reassess", headers=auth).json["id"]

    compared = client.get(f"/api/v1/assessments/{current}/compare/{base}", headers=auth)
    assert compared.status_code == 200
    result = compared.json
    assert result["by"] == "row" and result["base"]["id"] == base
    assert result["current"]["id"] == current
    new = {item["row_number"] for item in result["new_risks"]}
    resolved = {item["row_number"] for item in result["resolved_risks"]}
    changed = {item["row_number"]: item for item in result["changed"]}
    assert new == {6, 7}  # office chairs, now garments from China
    assert 8 in resolved  # no longer shrimp
    assert {5, 6, 7, 8} <= set(changed)
    assert changed[5]["before"]["forced_labour"] > changed[5]["after"]["forced_labour"]
    assert result["counts"]["new_risks"] == 2 and result["counts"]["changed"] == len(changed)
    unchanged = client.get(f"/api/v1/assessments/{base}/lines/2", headers=auth).json
    assert 2 not in changed and unchanged["band"] == by_row[2]["band"]
    by_key = client.get(f"/api/v1/assessments/{current}/compare/{base}?by=key", headers=auth).json
    assert by_key["by"] == "key" and by_key["counts"]["new_risks"] >= 1
    running = client.get(f"/api/v1/assessments/{current}/compare/{base}?by=colour", headers=auth)
    assert running.status_code == 422


def test_reassess_runs_on_the_current_versions(
    app: Flask, client: FlaskClient, auth: dict[str, str], assessment_id: int, monkeypatch
):
    from dataclasses import replace

    from supplychain.services import pipeline, uploads
    from supplychain.services.refdata import get_reference

    before = client.get(f"/api/v1/assessments/{assessment_id}", headers=auth).json["model"]
    # Reference data and thresholds move on after the first run.
    newer = replace(get_reference(app.config), version="2099-01-01.test")
    monkeypatch.setattr(uploads, "get_reference", lambda config: newer)
    monkeypatch.setattr(pipeline, "get_reference", lambda config: newer)
    app.config["MATCH_GOODS_ACCEPT"] = 97.0

    rerun = client.post(f"/api/v1/assessments/{assessment_id}/rerun", headers=auth).json
    fresh = client.post(f"/api/v1/assessments/{assessment_id}/reassess", headers=auth).json

    # A rerun repeats the recorded run; a re-assessment takes today's versions.
    assert rerun["model"]["match_thresholds"] == before["match_thresholds"]
    assert fresh["status"] == "done" and fresh["previous_id"] == assessment_id
    assert fresh["model"]["reference_version"] == "2099-01-01.test"
    assert before["reference_version"] != "2099-01-01.test"
    assert fresh["model"]["match_thresholds"]["goods"]["accept"] == 97.0
    assert fresh["model"]["name"] == before["name"]
    assert fresh["summary"]["lines"] == len(ROWS)


ENDPOINT_CALLS = {
    # (rule, method): how test_every_endpoint_answers calls it, and the status it expects.
    ("/api/v1/uploads", "GET"): ("GET", "/api/v1/uploads", None, 200),
    ("/api/v1/uploads", "POST"): ("UPLOAD", "/api/v1/uploads", None, 202),
    ("/api/v1/uploads/<int:upload_id>", "GET"): ("GET", "/api/v1/uploads/{u}", None, 200),
    ("/api/v1/uploads/<int:upload_id>/mapping", "PUT"): (
        "PUT",
        "/api/v1/uploads/{u}/mapping",
        {
            "mapping": {
                "supplier_name": "Supplier",
                "country": "Country",
                "product_description": "Product description",
            }
        },
        202,
    ),
    ("/api/v1/assessments", "GET"): ("GET", "/api/v1/assessments", None, 200),
    ("/api/v1/assessments/<int:assessment_id>", "GET"): (
        "GET",
        "/api/v1/assessments/{a}",
        None,
        200,
    ),
    ("/api/v1/assessments/<int:assessment_id>/lines", "GET"): (
        "GET",
        "/api/v1/assessments/{a}/lines?sort=-score&band=High",
        None,
        200,
    ),
    ("/api/v1/assessments/<int:assessment_id>/lines/<int:row_number>", "GET"): (
        "GET",
        "/api/v1/assessments/{a}/lines/2",
        None,
        200,
    ),
    ("/api/v1/assessments/<int:assessment_id>/problems", "GET"): (
        "GET",
        "/api/v1/assessments/{a}/problems",
        None,
        200,
    ),
    ("/api/v1/assessments/<int:assessment_id>/problems.csv", "GET"): (
        "GET",
        "/api/v1/assessments/{a}/problems.csv",
        None,
        200,
    ),
    ("/api/v1/assessments/<int:assessment_id>/rerun", "POST"): (
        "POST",
        "/api/v1/assessments/{a}/rerun",
        None,
        202,
    ),
    ("/api/v1/assessments/<int:assessment_id>/reassess", "POST"): (
        "POST",
        "/api/v1/assessments/{a}/reassess",
        None,
        202,
    ),
    ("/api/v1/assessments/<int:assessment_id>/compare/<int:other_id>", "GET"): (
        "GET",
        "/api/v1/assessments/{a}/compare/{a}",
        None,
        200,
    ),
    ("/api/v1/assessments/<int:assessment_id>/export.csv", "GET"): (
        "GET",
        "/api/v1/assessments/{a}/export.csv",
        None,
        200,
    ),
    ("/api/v1/assessments/<int:assessment_id>/export.xlsx", "GET"): (
        "GET",
        "/api/v1/assessments/{a}/export.xlsx",
        None,
        200,
    ),
    ("/api/v1/assessments/<int:assessment_id>/export.json", "GET"): (
        "GET",
        "/api/v1/assessments/{a}/export.json",
        None,
        200,
    ),
    ("/api/v1/assessments/<int:assessment_id>/review", "GET"): (
        "GET",
        "/api/v1/assessments/{a}/review?kind=good",
        None,
        200,
    ),
    ("/api/v1/assessments/<int:assessment_id>/review/bulk", "POST"): (
        "POST",
        "/api/v1/assessments/{a}/review/bulk",
        {"kind": "good", "min_score": 0, "max_score": 100, "decision": "accept"},
        200,
    ),
    ("/api/v1/judgements", "GET"): ("GET", "/api/v1/judgements", None, 200),
    ("/api/v1/judgements", "POST"): (
        "POST",
        "/api/v1/judgements",
        {"match_id": "{m}", "decision": "accept"},
        201,
    ),
    ("/api/v1/judgements/<int:judgement_id>", "DELETE"): (
        "DELETE",
        "/api/v1/judgements/{j}",
        None,
        204,
    ),
    ("/api/v1/audit-log", "GET"): ("GET", "/api/v1/audit-log?limit=5", None, 200),
}


def test_every_endpoint_answers(app: Flask, client: FlaskClient, auth: dict[str, str]):
    """Each endpoint of uploads, assessments, review, judgements and the audit log works."""
    from supplychain.models.assessments import AssessmentMatch

    rules = {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("assessments_api.")
        for method in (rule.methods or ()) - {"HEAD", "OPTIONS"}
    }
    assert rules == set(ENDPOINT_CALLS), "an endpoint without a call here (add it)"

    accepted = upload(client, auth).json
    ids = {"u": accepted["upload_id"], "a": accepted["assessment_id"]}
    order = sorted(ENDPOINT_CALLS.items(), key=lambda item: item[1][0] == "DELETE")
    for route, (method, url, body, status) in order:
        if method == "DELETE":
            ids["j"] = client.get("/api/v1/judgements", headers=auth).json["items"][0]["id"]
        url = url.format(**ids)
        if isinstance(body, dict) and body.get("match_id") == "{m}":
            # A match of the assessment as it is now (a rerun replaces its matches).
            current = sa.select(AssessmentMatch.id).where(AssessmentMatch.assessment_id == ids["a"])
            body = {**body, "match_id": db.session.scalar(current)}
        if method == "UPLOAD":
            response = upload(client, auth)
        else:
            response = client.open(url, method=method, json=body, headers=auth)
        assert response.status_code == status, (route, response.get_data()[:300])
        if status in (200, 201, 202) and response.mimetype == "application/json":
            assert isinstance(response.json, dict) and response.json, route
        response.close()


def test_a_json_list_is_uploaded_and_assessed_like_a_file(
    client: FlaskClient, auth: dict[str, str]
):
    items = [
        {"Supplier": "Hoshine Silicon Ind. Co Ltd", "Country": "China",
         "Product description": "Silicon metal", "Spend (CAD)": 3000},
        {"Supplier": "Maple Office Supply", "Country": "Canada",
         "Product description": "Office chairs", "Spend (CAD)": "not a number"},
    ]  # fmt: skip
    response = upload(client, auth, json.dumps(items).encode(), name="erp.json")

    assert response.status_code == 202, response.json
    assert response.json["job"]["status"] == "done"
    url = f"/api/v1/assessments/{response.json['assessment_id']}"
    lines = client.get(f"{url}/lines", headers=auth).json
    assert lines["total"] == 2 and [i["row_number"] for i in lines["items"]] == [1, 2]
    first = lines["items"][0]
    assert first["original"]["Spend (CAD)"] == "3000" and first["band"] == "Critical"
    problems = client.get(f"{url}/problems", headers=auth).json["items"]
    assert problems[0]["row_number"] == 2
    assert problems[0]["problems"][0]["column"] == "Spend (CAD)"

    broken = upload(client, auth, b'[{"Supplier": "Acme"', name="erp.json")
    assert broken.status_code == 422 and broken.mimetype == "application/problem+json"
    assert "not valid JSON at line 1" in broken.json["detail"]
    assert broken.json["errors"]["code"] == "bad_json"
