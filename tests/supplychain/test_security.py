"""CSRF on forms (not on the token API), cookies, security headers and login rate limits."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask.views import MethodView
from flask_smorest import Api, Blueprint

import supplychain.api
from supplychain import create_app
from supplychain.auth import require_org
from supplychain.extensions import db
from tests.supplychain.account_builders import PASSWORD, log_in, make_org, make_token, make_user

TEMPLATES = Path(__file__).resolve().parents[2] / "supplychain" / "templates"


@pytest.fixture
def csrf_app(tmp_path: Path, monkeypatch) -> Iterator[Flask]:
    """An app with CSRF checks on, and one extra API resource that writes."""
    echo = Blueprint("echo", __name__)

    @echo.route("/echo")
    class Echo(MethodView):
        @echo.response(200)
        def post(self):
            return {"organisation": require_org("analyst").organisation.slug}

    register_api = supplychain.api.register_api

    def register_api_and_echo(api: Api) -> None:
        register_api(api)
        api.register_blueprint(echo, url_prefix="/api/v1")

    monkeypatch.setattr(supplychain.api, "register_api", register_api_and_echo)
    app = create_app(
        {
            "TESTING": True,
            "ENV_NAME": "testing",
            "DATABASE_URL": os.environ.get("SUPPLYCHAIN_TEST_DATABASE_URL", "sqlite://"),
            "REFDATA_DIR": str(tmp_path / "refdata"),
            "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
            "WTF_CSRF_ENABLED": True,
        }
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def csrf_token_from(client: FlaskClient, path: str) -> str:
    match = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"', client.get(path).get_data(as_text=True)
    )
    assert match, f"no CSRF token on {path}"
    return match.group(1)


# CSRF --------------------------------------------------------------------------------------


def test_forms_need_the_csrf_token(csrf_app: Flask):
    make_user(make_org())
    client = csrf_app.test_client()

    refused = log_in(client)
    assert refused.status_code == 400 and "CSRF" in refused.get_data(as_text=True)

    token = csrf_token_from(client, "/login")
    accepted = client.post(
        "/login", data={"email": "ana@maple.example", "password": PASSWORD, "csrf_token": token}
    )
    assert accepted.status_code == 302

    assert client.post("/account/tokens", data={"name": "ERP"}).status_code == 400
    token = csrf_token_from(client, "/account")
    created = client.post("/account/tokens", data={"name": "ERP", "csrf_token": token})
    assert created.status_code == 201
    assert client.post("/logout").status_code == 400
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302


def test_password_forms_need_the_csrf_token(csrf_app: Flask):
    client = csrf_app.test_client()
    assert client.post("/password/forgot", data={"email": "a@b.example"}).status_code == 400
    token = csrf_token_from(client, "/password/forgot")
    assert (
        client.post(
            "/password/forgot", data={"email": "a@b.example", "csrf_token": token}
        ).status_code
        == 302
    )


def test_api_blueprints_take_bearer_tokens_without_csrf(csrf_app: Flask):
    secret = make_token(make_org())
    client = csrf_app.test_client()

    response = client.post("/api/v1/echo", headers={"Authorization": f"Bearer {secret}"})

    assert response.status_code == 200
    assert response.get_json() == {"organisation": "maple-imports-ltd"}


def test_api_writes_with_a_browser_session_need_the_csrf_header(csrf_app: Flask):
    make_user(make_org())
    client = csrf_app.test_client()
    token = csrf_token_from(client, "/login")
    client.post(
        "/login", data={"email": "ana@maple.example", "password": PASSWORD, "csrf_token": token}
    )
    token = csrf_token_from(client, "/account")

    assert client.post("/api/v1/echo").status_code == 400
    assert client.post("/api/v1/echo", headers={"X-CSRFToken": token}).status_code == 200


def test_api_without_credentials_is_401_not_a_csrf_error(csrf_app: Flask):
    response = csrf_app.test_client().post("/api/v1/echo")
    assert response.status_code == 401 and response.mimetype == "application/problem+json"


# Cookies and headers ----------------------------------------------------------------------


def test_session_cookie_is_httponly_and_samesite_lax(client: FlaskClient):
    make_user(make_org())
    cookie = log_in(client).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # testing runs on plain http


def test_session_cookie_is_secure_outside_development(monkeypatch, tmp_path):
    monkeypatch.setenv("SUPPLYCHAIN_SECRET_KEY", "s3cret")
    production = create_app({"ENV_NAME": "production", "REFDATA_DIR": str(tmp_path)})
    development = create_app({"ENV_NAME": "development", "REFDATA_DIR": str(tmp_path)})
    assert production.config["SESSION_COOKIE_SECURE"] is True
    assert development.config["SESSION_COOKIE_SECURE"] is False


@pytest.mark.parametrize(
    "path",
    ["/", "/login", "/no-such-page", "/api/v1/refdata/version", "/api/v1/me", "/api/v1/docs"],
)
def test_every_response_carries_the_security_headers(client: FlaskClient, path: str):
    headers = client.get(path).headers
    assert headers["Content-Security-Policy"].startswith("default-src 'self';")
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]


def test_static_files_carry_the_headers_and_stay_cacheable(client: FlaskClient):
    with client.get("/static/site.css") as response:
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "no-store" not in response.headers.get("Cache-Control", "")


def test_pages_seen_logged_in_are_not_stored(client: FlaskClient):
    make_user(make_org())
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    log_in(client)
    assert client.get("/account").headers["Cache-Control"] == "no-store"


def test_no_template_has_inline_script_or_handlers():
    """The CSP allows scripts from this host only: inline code would silently not run."""
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son[a-z]+=", text):
            offenders.append(template.name)
    assert offenders == []


def test_swagger_ui_loads_its_scripts_from_this_host(client: FlaskClient):
    page = client.get("/api/v1/docs").get_data(as_text=True)
    sources = re.findall(r'<script src="([^"]+)"', page)
    assert sources and all(src.startswith("/") for src in sources)
    for src in sources:
        with client.get(src) as response:
            assert response.status_code == 200


# Rate limits -------------------------------------------------------------------------------


def test_login_attempts_are_rate_limited_per_address_and_email(client: FlaskClient):
    make_user(make_org())
    for _ in range(10):
        assert log_in(client, password="wrong password here").status_code == 200

    limited = log_in(client, password="wrong password here")

    assert limited.status_code == 429
    assert "Too many attempts" in limited.get_data(as_text=True)
    assert log_in(client).status_code == 429  # even with the right password, for now
    assert log_in(client, email="someone@else.example").status_code == 200
    assert client.get("/login").status_code == 200  # only POST is counted


def test_password_reset_requests_are_rate_limited(client: FlaskClient):
    for _ in range(10):
        assert client.post("/password/forgot", data={"email": "a@b.example"}).status_code == 302
    assert client.post("/password/forgot", data={"email": "a@b.example"}).status_code == 429


def test_rate_limits_use_redis_when_configured(tmp_path):
    app = create_app(
        {
            "ENV_NAME": "testing",
            "REFDATA_DIR": str(tmp_path),
            "REDIS_URL": "redis://127.0.0.1:6379/0",
        }
    )
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"
    in_memory = create_app({"ENV_NAME": "testing", "REFDATA_DIR": str(tmp_path)})
    assert in_memory.config["RATELIMIT_STORAGE_URI"] == "memory://"
