"""Bearer tokens and sessions on the API, role checks, and organisation scoping of rows."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from supplychain.auth import current_organisation, require_org
from supplychain.errors import Forbidden, NotFound, Unauthorized
from supplychain.extensions import db
from supplychain.models import ApiToken, ReferenceImport
from supplychain.services import tokens
from supplychain.services.access import get_scoped, has_role, scoped_select
from tests.supplychain.account_builders import log_in, make_org, make_token, make_user


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_organisation_data_needs_credentials(client: FlaskClient):
    response = client.get("/api/v1/me")

    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["title"] == "Unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_token_acts_for_its_organisation_as_analyst(client: FlaskClient):
    organisation = make_org()
    secret = make_token(organisation)

    response = client.get("/api/v1/me", headers=bearer(secret))

    assert response.status_code == 200
    assert response.get_json() == {
        "organisation": {
            "id": organisation.id,
            "name": "Maple Imports Ltd.",
            "slug": "maple-imports-ltd",
        },
        "role": "analyst",
        "via": "token",
        "user_email": None,
        "token_prefix": secret[:8],
    }
    assert response.headers["Cache-Control"] == "no-store"
    assert db.session.scalar(sa.select(ApiToken)).last_used_at is not None


@pytest.mark.parametrize(
    "header",
    ["Bearer not-a-token", "Basic YW5hOnBhc3N3b3Jk", "Bearer ", "Bearer"],
)
def test_bad_authorization_headers_are_refused(client: FlaskClient, header: str):
    make_token(make_org())
    response = client.get("/api/v1/me", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


def test_revoked_token_is_refused(client: FlaskClient):
    organisation = make_org()
    secret = make_token(organisation)
    tokens.revoke_token(tokens.token_for_secret(secret))
    db.session.commit()

    response = client.get("/api/v1/me", headers=bearer(secret))

    assert response.status_code == 401
    assert "revoked" in response.get_json()["detail"]


def test_bad_token_is_refused_even_with_a_session(client: FlaskClient):
    make_user(make_org())
    log_in(client)
    assert client.get("/api/v1/me").get_json()["via"] == "session"
    assert client.get("/api/v1/me", headers=bearer("wrong")).status_code == 401


def test_logged_in_user_acts_with_their_role(client: FlaskClient):
    make_user(make_org(), role="viewer")
    log_in(client)

    body = client.get("/api/v1/me").get_json()

    assert (body["role"], body["via"], body["user_email"]) == (
        "viewer",
        "session",
        "ana@maple.example",
    )


def test_public_reference_data_needs_no_credentials(client: FlaskClient):
    assert client.get("/api/v1/refdata/version").status_code == 200
    assert client.get("/api/v1/goods").status_code == 200


def test_openapi_declares_the_bearer_scheme(client: FlaskClient):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert spec["paths"]["/api/v1/me"]["get"]["security"] == [{"bearerAuth": []}]


def test_require_org_checks_the_role(app: Flask):
    organisation = make_org()
    secret = make_token(organisation)

    with app.test_request_context(headers=bearer(secret)):
        assert require_org("viewer").organisation_id == organisation.id
        assert require_org("analyst").token_id is not None
        assert current_organisation().id == organisation.id
        with pytest.raises(Forbidden):
            require_org("owner")
    with app.test_request_context(), pytest.raises(Unauthorized):
        require_org()


def test_roles_are_ranked():
    assert has_role("owner", "analyst") and has_role("analyst", "analyst")
    assert not has_role("viewer", "analyst") and not has_role("analyst", "owner")


# Organisation scoping ----------------------------------------------------------------------


def test_get_scoped_answers_not_found_for_another_organisations_row(app: Flask):
    maple, birch = make_org(), make_org("Birch Trading Co.")
    make_token(maple, "maple")
    make_token(birch, "birch")
    birch_token = db.session.scalar(sa.select(ApiToken).where(ApiToken.name == "birch"))

    assert get_scoped(ApiToken, birch_token.id, birch.id) is birch_token
    with pytest.raises(NotFound) as other:
        get_scoped(ApiToken, birch_token.id, maple.id)
    with pytest.raises(NotFound) as missing:
        get_scoped(ApiToken, 999_999, maple.id)
    # The same answer for "someone else's" and "does not exist", bar the id.
    assert str(other.value).replace(str(birch_token.id), "N") == str(missing.value).replace(
        "999999", "N"
    )


def test_scoped_select_lists_one_organisation_only(app: Flask):
    maple, birch = make_org(), make_org("Birch Trading Co.")
    make_token(maple, "maple")
    make_token(birch, "birch")

    names = db.session.scalars(scoped_select(ApiToken, maple.id).with_only_columns(ApiToken.name))

    assert list(names) == ["maple"]


def test_scoping_refuses_models_that_are_not_organisation_data(app: Flask):
    with pytest.raises(TypeError, match="no organisation_id"):
        scoped_select(ReferenceImport, 1)
