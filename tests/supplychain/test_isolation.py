"""One organisation never reaches another's uploads, assessments, lines, exports or judgements.

Every route of the app is listed here, read from the app's own url_map, so that a new route
without an isolation case fails `test_every_route_has_an_isolation_case`:

- routes that take an organisation's id (upload, assessment, line, match, judgement, token)
  get a case: organisation B asks for A's id, through the pages with B's session and through
  the API with B's token and B's session, and gets the very 404 of an id that does not exist;
- routes that list the caller's own rows are checked to list B's rows only;
- routes that create rows for the caller, and routes that carry no organisation's data
  (reference data, login, templates, API documents), are named with the reason.

Reports (/reports and /api/v1/reports) are left out here: their isolation cases live in
tests/supplychain/test_reports_isolation.py, with the reports themselves.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from supplychain.extensions import db
from supplychain.models.accounts import ApiToken
from supplychain.models.assessments import (
    Assessment,
    AssessmentLine,
    AssessmentMatch,
    Judgement,
    SavedMapping,
    Upload,
)
from supplychain.services import judgements
from tests.supplychain.account_builders import log_in, make_org, make_token, make_user
from tests.supplychain.test_pipeline import csv_bytes

# Covered by test_reports_isolation.py (the reports, their pages and their API).
ELSEWHERE = ("/reports", "/api/v1/reports")

# Routes that hold no organisation's data, with why.
NOT_ORGANISATION_DATA: dict[tuple[str, str], str] = {
    ("/", "GET"): "home page",
    ("/about", "GET"): "about page",
    ("/static/<path:filename>", "GET"): "stylesheets and scripts",
    ("/countries", "GET"): "reference data",
    ("/countries/<iso3>", "GET"): "reference data",
    ("/goods", "GET"): "reference data",
    ("/goods/<good_id>", "GET"): "reference data",
    ("/lists", "GET"): "reference data",
    ("/vendor-check", "GET"): "a check of what is typed, nothing stored",
    ("/login", "GET"): "login",
    ("/login", "POST"): "login",
    ("/logout", "GET"): "logout",
    ("/logout", "POST"): "logout",
    ("/password/forgot", "GET"): "password reset by e-mail",
    ("/password/forgot", "POST"): "password reset by e-mail",
    ("/password/reset/<token>", "GET"): "signed token of one user (tests/test_accounts.py)",
    ("/password/reset/<token>", "POST"): "signed token of one user (tests/test_accounts.py)",
    ("/uploads/new", "GET"): "the empty upload form",
    ("/uploads/template.csv", "GET"): "blank template",
    ("/uploads/template.xlsx", "GET"): "blank template",
    ("/api/v1/countries", "GET"): "reference data",
    ("/api/v1/countries/<iso3>", "GET"): "reference data",
    ("/api/v1/goods", "GET"): "reference data",
    ("/api/v1/goods/<good_id>", "GET"): "reference data",
    ("/api/v1/lists", "GET"): "reference data",
    ("/api/v1/refdata/version", "GET"): "reference data",
    ("/api/v1/match/countries", "POST"): "matches what is sent, nothing stored",
    ("/api/v1/match/goods", "POST"): "matches what is sent, nothing stored",
    ("/api/v1/screen/suppliers", "POST"): "screens what is sent, nothing stored",
    ("/api/v1/vendor-check", "POST"): "checks what is sent, nothing stored",
    ("/api/v1/me", "GET"): "the caller's own organisation (test_auth_api.py)",
    ("/api/v1/docs", "GET"): "API documentation",
    ("/api/v1/docs/static/<path:filename>", "GET"): "API documentation",
    ("/api/v1/openapi.json", "GET"): "API documentation",
}

# Routes that create rows for the caller's own organisation from what is sent.
CREATES: dict[tuple[str, str], str] = {
    ("/uploads", "POST"): "a new upload of the caller's organisation",
    ("/api/v1/uploads", "POST"): "a new upload of the caller's organisation",
    ("/account/tokens", "POST"): "a new token of the caller's organisation",
}

# Routes that list the caller's own rows: test_lists_show_only_your_own_rows.
LISTS = {
    ("/assessments", "GET"),
    ("/audit-log", "GET"),
    ("/audit-log.csv", "GET"),
    ("/account", "GET"),
    ("/api/v1/uploads", "GET"),
    ("/api/v1/assessments", "GET"),
    ("/api/v1/judgements", "GET"),
    ("/api/v1/audit-log", "GET"),
}


@dataclass
class Tenant:
    name: str
    auth: dict[str, str]
    client: FlaskClient
    email: str
    organisation_id: int
    upload_id: int
    assessment_id: int
    row: int
    match_id: int
    judgement_id: int
    token_id: int
    filename: str


def _tenant(app: Flask, name: str, slug: str) -> Tenant:
    organisation = make_org(name)
    email = f"owner@{slug}.example"
    make_user(organisation, email=email, role="owner")
    auth = {"Authorization": f"Bearer {make_token(organisation, name=f'{slug} ERP')}"}
    client = app.test_client()
    assert log_in(client, email=email).status_code == 302
    filename = f"{slug}-suppliers.csv"
    response = client.post(
        "/api/v1/uploads",
        data={"file": (io.BytesIO(csv_bytes()), filename)},
        headers=auth,
        content_type="multipart/form-data",
    )
    assert response.status_code == 202, response.json
    assessment_id = response.json["assessment_id"]
    match = db.session.scalar(
        sa.select(AssessmentMatch)
        .where(AssessmentMatch.assessment_id == assessment_id)
        .order_by(AssessmentMatch.id)
    )
    judgement = judgements.decide(organisation.id, match.kind, match.query_key, "accept")
    db.session.commit()
    row = db.session.scalar(
        sa.select(sa.func.min(AssessmentLine.row_number)).where(
            AssessmentLine.assessment_id == assessment_id
        )
    )
    token_id = db.session.scalar(
        sa.select(ApiToken.id).where(ApiToken.organisation_id == organisation.id)
    )
    return Tenant(
        name, auth, client, email, organisation.id, response.json["upload_id"], assessment_id,
        row, match.id, judgement.id, token_id, filename,
    )  # fmt: skip


@pytest.fixture
def tenants(app: Flask, tmp_path: Path) -> tuple[Tenant, Tenant]:
    app.config.update(JOBS_MODE="inline", UPLOAD_DIR=str(tmp_path / "uploads"))
    return _tenant(app, "Maple Imports Ltd.", "maple"), _tenant(app, "Birch Retail Inc.", "birch")


Case = tuple[str, str, Any]  # method, URL, JSON body (API) or form (pages)


def cases(a: Tenant, b: Tenant) -> dict[tuple[str, str], list[Case]]:
    """Every route that takes an organisation's id, asked by B with A's ids."""
    page = f"/assessments/{a.assessment_id}"
    api = f"/api/v1/assessments/{a.assessment_id}"
    mine = b.assessment_id
    mapping = {"mapping": {"supplier_name": "Supplier", "country": "Country"}}
    bulk = {"kind": "good", "min_score": 0, "max_score": 100, "decision": "accept"}
    form_bulk = {"kind": "good", "decision": "accept", "min_score": "0"}
    return {
        # Pages, with B's session.
        ("/uploads/<int:upload_id>/mapping", "GET"): [
            ("GET", f"/uploads/{a.upload_id}/mapping", None)
        ],
        ("/uploads/<int:upload_id>/mapping", "POST"): [
            ("POST", f"/uploads/{a.upload_id}/mapping", {"field-supplier_name": "Supplier"})
        ],
        ("/uploads/<int:upload_id>/sheet", "GET"): [("GET", f"/uploads/{a.upload_id}/sheet", None)],
        ("/uploads/<int:upload_id>/sheet", "POST"): [
            ("POST", f"/uploads/{a.upload_id}/sheet", {"sheet": "Sheet1"})
        ],
        ("/assessments/<int:assessment_id>", "GET"): [
            ("GET", page, None),
            ("GET", f"{page}?band=High&sort=-score", None),
        ],
        ("/assessments/<int:assessment_id>/lines/<int:row>", "GET"): [
            ("GET", f"{page}/lines/{a.row}", None)
        ],
        ("/assessments/<int:assessment_id>/export.<any(csv, xlsx):fmt>", "GET"): [
            ("GET", f"{page}/export.csv", None),
            ("GET", f"{page}/export.xlsx", None),
        ],
        ("/assessments/<int:assessment_id>/problems.csv", "GET"): [
            ("GET", f"{page}/problems.csv", None)
        ],
        ("/assessments/<int:assessment_id>/compare", "GET"): [
            ("GET", f"{page}/compare?with={mine}", None),
            ("GET", f"/assessments/{mine}/compare?with={a.assessment_id}", None),
        ],
        ("/assessments/<int:assessment_id>/rerun", "POST"): [("POST", f"{page}/rerun", {})],
        ("/assessments/<int:assessment_id>/reassess", "POST"): [("POST", f"{page}/reassess", {})],
        ("/assessments/<int:assessment_id>/review", "GET"): [("GET", f"{page}/review", None)],
        ("/assessments/<int:assessment_id>/review/<int:match_id>", "POST"): [
            ("POST", f"{page}/review/{a.match_id}", {"decision": "reject"}),
            ("POST", f"/assessments/{mine}/review/{a.match_id}", {"decision": "reject"}),
        ],
        ("/assessments/<int:assessment_id>/review/bulk", "POST"): [
            ("POST", f"{page}/review/bulk", form_bulk)
        ],
        ("/account/tokens/<int:token_id>/revoke", "POST"): [
            ("POST", f"/account/tokens/{a.token_id}/revoke", {})
        ],
        # The API, with B's token (and B's session).
        ("/api/v1/uploads/<int:upload_id>", "GET"): [
            ("GET", f"/api/v1/uploads/{a.upload_id}", None)
        ],
        ("/api/v1/uploads/<int:upload_id>/mapping", "PUT"): [
            ("PUT", f"/api/v1/uploads/{a.upload_id}/mapping", mapping)
        ],
        ("/api/v1/assessments/<int:assessment_id>", "GET"): [("GET", api, None)],
        ("/api/v1/assessments/<int:assessment_id>/lines", "GET"): [
            ("GET", f"{api}/lines", None),
            ("GET", f"{api}/lines?band=High&sort=-score&per_page=5", None),
        ],
        ("/api/v1/assessments/<int:assessment_id>/lines/<int:row_number>", "GET"): [
            ("GET", f"{api}/lines/{a.row}", None)
        ],
        ("/api/v1/assessments/<int:assessment_id>/problems", "GET"): [
            ("GET", f"{api}/problems", None)
        ],
        ("/api/v1/assessments/<int:assessment_id>/problems.csv", "GET"): [
            ("GET", f"{api}/problems.csv", None)
        ],
        ("/api/v1/assessments/<int:assessment_id>/rerun", "POST"): [("POST", f"{api}/rerun", None)],
        ("/api/v1/assessments/<int:assessment_id>/reassess", "POST"): [
            ("POST", f"{api}/reassess", None)
        ],
        ("/api/v1/assessments/<int:assessment_id>/compare/<int:other_id>", "GET"): [
            ("GET", f"{api}/compare/{mine}", None),
            ("GET", f"/api/v1/assessments/{mine}/compare/{a.assessment_id}", None),
        ],
        ("/api/v1/assessments/<int:assessment_id>/export.csv", "GET"): [
            ("GET", f"{api}/export.csv", None)
        ],
        ("/api/v1/assessments/<int:assessment_id>/export.xlsx", "GET"): [
            ("GET", f"{api}/export.xlsx", None)
        ],
        ("/api/v1/assessments/<int:assessment_id>/export.json", "GET"): [
            ("GET", f"{api}/export.json", None)
        ],
        ("/api/v1/assessments/<int:assessment_id>/review", "GET"): [("GET", f"{api}/review", None)],
        ("/api/v1/assessments/<int:assessment_id>/review/bulk", "POST"): [
            ("POST", f"{api}/review/bulk", bulk)
        ],
        ("/api/v1/judgements", "POST"): [
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
        ],
        ("/api/v1/judgements/<int:judgement_id>", "DELETE"): [
            ("DELETE", f"/api/v1/judgements/{a.judgement_id}", None)
        ],
    }


def routes(app: Flask) -> set[tuple[str, str]]:
    """Every (rule, method) of the app, reports excepted (see ELSEWHERE)."""
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(ELSEWHERE):
            continue
        for method in rule.methods or ():
            if method not in ("HEAD", "OPTIONS"):
                found.add((rule.rule, method))
    return found


def test_every_route_has_an_isolation_case(app: Flask, tenants: tuple[Tenant, Tenant]):
    a, b = tenants
    covered = set(cases(a, b)) | set(NOT_ORGANISATION_DATA) | set(CREATES) | LISTS
    present = routes(app)

    assert present - covered == set(), "routes without an isolation case (add one here)"
    assert covered - present == set(), "cases of routes that no longer exist"


def _ask(client: FlaskClient, method: str, url: str, body: Any, **kwargs: Any):
    if url.startswith("/api/"):
        response = client.open(url, method=method, json=body, **kwargs)
    else:
        response = client.open(url, method=method, data=body, **kwargs)
    response.get_data()  # read streamed downloads to the end, inside their request context
    response.close()
    return response


def test_every_id_of_another_organisation_answers_404(tenants: tuple[Tenant, Tenant]):
    a, b = tenants
    for route, asked in cases(a, b).items():
        for method, url, body in asked:
            if url.startswith("/api/"):
                with_token = _ask(b.client, method, url, body, headers=b.auth)
                assert with_token.status_code == 404, (route, url, with_token.get_data()[:300])
                assert with_token.mimetype == "application/problem+json", url
            # Pages with B's session, and the API with B's session too.
            with_session = _ask(b.client, method, url, body)
            assert with_session.status_code == 404, (route, url, with_session.get_data()[:300])


def test_the_same_ids_work_for_their_own_organisation(tenants: tuple[Tenant, Tenant]):
    """The cases are real: A's own reads succeed, so B's 404s are isolation, not typos."""
    a, b = tenants
    for route, asked in cases(a, b).items():
        for method, url, body in asked:
            if method != "GET" or "compare" in url:
                continue  # changes are checked elsewhere; a comparison with B is no one's
            response = _ask(a.client, method, url, body, headers=a.auth)
            assert response.status_code < 400, (route, url, response.get_data()[:300])


def test_a_missing_id_answers_the_same_404(tenants: tuple[Tenant, Tenant]):
    a, b = tenants
    theirs = b.client.get(f"/api/v1/assessments/{a.assessment_id}", headers=b.auth).json
    missing = b.client.get("/api/v1/assessments/999999", headers=b.auth).json
    assert theirs["title"] == missing["title"] and theirs["status"] == missing["status"] == 404
    assert theirs["detail"].replace(str(a.assessment_id), "N") == missing["detail"].replace(
        "999999", "N"
    )
    page = b.client.get(f"/assessments/{a.assessment_id}")
    nothing = b.client.get("/assessments/999999")
    assert page.status_code == nothing.status_code == 404
    said = f"No assessment {a.assessment_id} in your organisation"
    assert said in page.get_data(as_text=True)
    theirs_page = _without_csrf_token(page.get_data(as_text=True)).replace(said, "")
    missing_page = _without_csrf_token(nothing.get_data(as_text=True))
    assert theirs_page == missing_page.replace("No assessment 999999 in your organisation", "")


def _without_csrf_token(html: str) -> str:
    """The form token is signed with the time, so two pages a second apart differ there."""
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token"', html)


def _snapshot(tenant: Tenant) -> dict[str, Any]:
    """What A owns, as rows: it must be the same after B's attempts."""
    db.session.expire_all()
    assessments = db.session.scalars(
        sa.select(Assessment).where(Assessment.organisation_id == tenant.organisation_id)
    ).all()
    return {
        "assessments": [(x.id, x.status, x.job_id, x.summary) for x in assessments],
        "uploads": [
            (u.id, u.mapping, u.sheet)
            for u in db.session.scalars(
                sa.select(Upload).where(Upload.organisation_id == tenant.organisation_id)
            )
        ],
        "lines": db.session.execute(
            sa.select(AssessmentLine.row_number, AssessmentLine.band, AssessmentLine.score)
            .where(AssessmentLine.organisation_id == tenant.organisation_id)
            .order_by(AssessmentLine.id)
        ).all(),
        "matches": db.session.execute(
            sa.select(AssessmentMatch.id, AssessmentMatch.decision, AssessmentMatch.judged)
            .where(AssessmentMatch.organisation_id == tenant.organisation_id)
            .order_by(AssessmentMatch.id)
        ).all(),
        "judgements": db.session.execute(
            sa.select(Judgement.id, Judgement.decision, Judgement.target_id)
            .where(Judgement.organisation_id == tenant.organisation_id)
            .order_by(Judgement.id)
        ).all(),
        "mappings": db.session.execute(
            sa.select(SavedMapping.id, SavedMapping.mapping).where(
                SavedMapping.organisation_id == tenant.organisation_id
            )
        ).all(),
        "tokens": db.session.execute(
            sa.select(ApiToken.id, ApiToken.revoked_at).where(
                ApiToken.organisation_id == tenant.organisation_id
            )
        ).all(),
    }


def test_nothing_of_the_other_organisation_changed(tenants: tuple[Tenant, Tenant]):
    a, b = tenants
    before = _snapshot(a)
    for asked in cases(a, b).values():
        for method, url, body in asked:
            _ask(b.client, method, url, body, headers=b.auth if url.startswith("/api/") else {})
            _ask(b.client, method, url, body)

    assert _snapshot(a) == before
    mine = a.client.get(f"/api/v1/assessments/{a.assessment_id}", headers=a.auth).json
    assert mine["status"] == "done" and mine["summary"]["lines"] > 0
    # B's own judgement is all B has: nothing was decided for B on A's matches either.
    decided = db.session.scalars(
        sa.select(Judgement).where(Judgement.organisation_id == b.organisation_id)
    ).all()
    assert [row.id for row in decided] == [b.judgement_id]


def test_lists_show_only_your_own_rows(tenants: tuple[Tenant, Tenant]):
    a, b = tenants
    uploads = b.client.get("/api/v1/uploads", headers=b.auth).json["items"]
    assert [item["id"] for item in uploads] == [b.upload_id]
    listed = b.client.get("/api/v1/assessments", headers=b.auth).json["items"]
    assert [item["id"] for item in listed] == [b.assessment_id]
    judged = b.client.get("/api/v1/judgements", headers=b.auth).json["items"]
    assert [item["id"] for item in judged] == [b.judgement_id]
    log = b.client.get("/api/v1/audit-log", headers=b.auth).json["items"]
    assert log and all(item["token"] is None or "birch" in item["token"] for item in log)
    assert all(
        item["target_id"] not in (str(a.assessment_id), str(a.upload_id))
        or item["target_type"] not in ("assessment", "upload")
        for item in log
    )
    # Pages: A's file name, token and e-mail appear nowhere in B's listings.
    for url in ("/assessments", "/audit-log", "/audit-log.csv", "/account"):
        text = b.client.get(url).get_data(as_text=True)
        assert b.client.get(url).status_code == 200, url
        for secret in (a.filename, "maple ERP", a.email):
            assert secret not in text, (url, secret)
    assert b.filename in b.client.get("/assessments").get_data(as_text=True)
    review = b.client.get(f"/api/v1/assessments/{b.assessment_id}/review", headers=b.auth).json
    assert all(item["match_id"] != a.match_id for item in review["items"])


def test_judgements_of_one_organisation_do_not_apply_to_another(tenants: tuple[Tenant, Tenant]):
    a, b = tenants
    a.client.post(
        "/api/v1/judgements",
        json={"kind": "good", "query_key": "office chairs", "decision": "replace",
              "target_id": "garments", "assessment_id": a.assessment_id},
        headers=a.auth,
    )  # fmt: skip
    theirs = a.client.get(f"/api/v1/assessments/{a.assessment_id}/lines/6", headers=a.auth).json
    mine = b.client.get(f"/api/v1/assessments/{b.assessment_id}/lines/6", headers=b.auth).json
    assert theirs["good_id"] == "garments"
    assert mine["good_id"] != "garments" and not mine["matches"]["good"]["judged"]
    # B's next upload of the same list does not get A's decision either.
    again = b.client.post(
        "/api/v1/uploads",
        data={"file": (io.BytesIO(csv_bytes()), "again.csv")},
        headers=b.auth,
        content_type="multipart/form-data",
    ).json
    line = b.client.get(f"/api/v1/assessments/{again['assessment_id']}/lines/6", headers=b.auth)
    assert line.json["good_id"] != "garments"
