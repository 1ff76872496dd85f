"""One organisation never reaches another's uploads, assessments, lines, exports or judgements.

Every id of organisation A, asked for with organisation B's token, answers 404 exactly as an
id that does not exist; lists show B's rows only.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from supplychain.extensions import db
from supplychain.models.assessments import AssessmentMatch, Judgement
from supplychain.services import judgements
from tests.supplychain.account_builders import make_org, make_token
from tests.supplychain.test_pipeline import csv_bytes


@dataclass
class Tenant:
    auth: dict[str, str]
    organisation_id: int
    upload_id: int
    assessment_id: int
    match_id: int
    judgement_id: int


def _tenant(client: FlaskClient, name: str) -> Tenant:
    organisation = make_org(name)
    auth = {"Authorization": f"Bearer {make_token(organisation)}"}
    response = client.post(
        "/api/v1/uploads",
        data={"file": (io.BytesIO(csv_bytes()), "list.csv")},
        headers=auth,
        content_type="multipart/form-data",
    )
    assert response.status_code == 202, response.json
    match = db.session.scalar(
        sa.select(AssessmentMatch).where(
            AssessmentMatch.assessment_id == response.json["assessment_id"]
        )
    )
    judgement = judgements.decide(organisation.id, match.kind, match.query_key, "accept")
    db.session.commit()
    return Tenant(
        auth,
        organisation.id,
        response.json["upload_id"],
        response.json["assessment_id"],
        match.id,
        judgement.id,
    )


@pytest.fixture
def tenants(app: Flask, client: FlaskClient, tmp_path: Path) -> tuple[Tenant, Tenant]:
    app.config.update(JOBS_MODE="inline", UPLOAD_DIR=str(tmp_path / "uploads"))
    return _tenant(client, "Maple Imports Ltd."), _tenant(client, "Birch Retail Inc.")


def _others(a: Tenant, b: Tenant) -> list[tuple[str, str, dict | None]]:
    """Every resource of A, as (method, url, json body) asked for by B."""
    base = f"/api/v1/assessments/{a.assessment_id}"
    mapping = {"mapping": {"supplier_name": "Supplier", "country": "Country"}}
    bulk = {"kind": "good", "min_score": 0, "max_score": 100, "decision": "accept"}
    return [
        ("GET", f"/api/v1/uploads/{a.upload_id}", None),
        ("PUT", f"/api/v1/uploads/{a.upload_id}/mapping", mapping),
        ("GET", base, None),
        ("GET", f"{base}/lines", None),
        ("GET", f"{base}/lines/2", None),
        ("POST", f"{base}/rerun", None),
        ("POST", f"{base}/reassess", None),
        ("GET", f"{base}/compare/{b.assessment_id}", None),
        ("GET", f"/api/v1/assessments/{b.assessment_id}/compare/{a.assessment_id}", None),
        ("GET", f"{base}/export.csv", None),
        ("GET", f"{base}/export.xlsx", None),
        ("GET", f"{base}/export.json", None),
        ("GET", f"{base}/review", None),
        ("POST", f"{base}/review/bulk", bulk),
        ("POST", "/api/v1/judgements", {"match_id": a.match_id, "decision": "reject"}),
        (
            "POST",
            "/api/v1/judgements",
            {
                "kind": "good",
                "query_key": "office chairs",
                "decision": "reject",
                "assessment_id": a.assessment_id,
            },
        ),
        ("DELETE", f"/api/v1/judgements/{a.judgement_id}", None),
    ]


def test_every_resource_of_another_organisation_answers_404(
    client: FlaskClient, tenants: tuple[Tenant, Tenant]
):
    a, b = tenants
    for method, url, body in _others(a, b):
        response = client.open(url, method=method, json=body, headers=b.auth)
        assert response.status_code == 404, (method, url, response.status_code, response.json)
        assert response.mimetype == "application/problem+json"


def test_a_missing_id_answers_the_same_404(client: FlaskClient, tenants: tuple[Tenant, Tenant]):
    a, b = tenants
    theirs = client.get(f"/api/v1/assessments/{a.assessment_id}", headers=b.auth).json
    missing = client.get("/api/v1/assessments/999999", headers=b.auth).json
    assert theirs["title"] == missing["title"] and theirs["status"] == missing["status"] == 404
    assert theirs["detail"].replace(str(a.assessment_id), "N") == missing["detail"].replace(
        "999999", "N"
    )


def test_nothing_of_the_other_organisation_changed(
    client: FlaskClient, tenants: tuple[Tenant, Tenant]
):
    a, b = tenants
    for method, url, body in _others(a, b):
        client.open(url, method=method, json=body, headers=b.auth)

    mine = client.get(f"/api/v1/assessments/{a.assessment_id}", headers=a.auth).json
    assert mine["status"] == "done" and mine["summary"]["lines"] > 0
    rows = db.session.scalars(sa.select(Judgement).order_by(Judgement.id)).all()
    assert [(row.organisation_id, row.decision) for row in rows] == [
        (a.organisation_id, "accept"),
        (b.organisation_id, "accept"),
    ]
    upload = client.get(f"/api/v1/uploads/{a.upload_id}", headers=a.auth).json
    assert upload["assessments"] == [a.assessment_id]


def test_lists_show_only_your_own_rows(client: FlaskClient, tenants: tuple[Tenant, Tenant]):
    a, b = tenants
    listed = client.get("/api/v1/judgements", headers=b.auth).json["items"]
    assert [item["id"] for item in listed] == [b.judgement_id]
    log = client.get("/api/v1/audit-log", headers=b.auth).json["items"]
    assert log and all(
        item["target_id"] != str(a.assessment_id) or item["target_type"] != "assessment"
        for item in log
    )
    assert {item["token"].split(" (")[0] for item in log if item["token"]} == {"ERP export"}
    review = client.get(f"/api/v1/assessments/{b.assessment_id}/review", headers=b.auth).json
    assert all(item["match_id"] != a.match_id for item in review["items"])


def test_judgements_of_one_organisation_do_not_apply_to_another(
    client: FlaskClient, tenants: tuple[Tenant, Tenant]
):
    a, b = tenants
    client.post(
        "/api/v1/judgements",
        json={"kind": "good", "query_key": "office chairs", "decision": "replace",
              "target_id": "garments", "assessment_id": a.assessment_id},
        headers=a.auth,
    )  # fmt: skip
    theirs = client.get(f"/api/v1/assessments/{a.assessment_id}/lines/6", headers=a.auth).json
    mine = client.get(f"/api/v1/assessments/{b.assessment_id}/lines/6", headers=b.auth).json
    assert theirs["good_id"] == "garments"
    assert mine["good_id"] != "garments" and not mine["matches"]["good"]["judged"]
