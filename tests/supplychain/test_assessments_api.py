"""The assessments API: every endpoint, with a token and with a browser session."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
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
