"""Logging in and out, password resets, the account page and the admin commands."""

from __future__ import annotations

import email
import email.policy
import re
import time
import types
from pathlib import Path

import itsdangerous.timed
import sqlalchemy as sa
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from supplychain.extensions import db
from supplychain.models.accounts import ApiToken, AuditEvent, Organisation, User
from supplychain.services import accounts, tokens
from supplychain.services.demo import DEMO_EMAIL, DEMO_ORGANISATION
from tests.supplychain.account_builders import (
    PASSWORD,
    log_in,
    make_org,
    make_token,
    make_user,
)

FAILED = "The e-mail address or the password is not right."


def actions(organisation_id: int) -> list[str]:
    query = sa.select(AuditEvent.action).where(AuditEvent.organisation_id == organisation_id)
    return list(db.session.scalars(query.order_by(AuditEvent.id)))


def outbox(app: Flask) -> list[Path]:
    folder = Path(app.config["MAIL_OUTBOX_DIR"])
    return sorted(folder.glob("*.eml")) if folder.exists() else []


def reset_link_in(mail: Path) -> str:
    body = email.message_from_bytes(mail.read_bytes(), policy=email.policy.default)
    text = body.get_content()  # type: ignore[attr-defined]
    match = re.search(r"http://localhost(/password/reset/\S+)", text)
    assert match, text
    return match.group(1)


# Logging in and out ------------------------------------------------------------------------


def test_login_opens_the_account_page(client: FlaskClient):
    organisation = make_org()
    user = make_user(organisation, role="analyst")

    response = log_in(client)

    assert response.status_code == 302 and response.location == "/account"
    page = client.get("/account").get_data(as_text=True)
    assert "Maple Imports Ltd." in page and "analyst" in page
    assert db.session.get(User, user.id).last_login_at is not None
    assert "user.logged_in" in actions(organisation.id)


def test_email_is_matched_whatever_its_case(client: FlaskClient):
    make_user(make_org(), email="Ana@Maple.Example")
    assert log_in(client, email="  ANA@maple.example ").status_code == 302


def test_wrong_password_and_unknown_email_get_the_same_answer(client: FlaskClient):
    organisation = make_org()
    make_user(organisation)

    wrong = log_in(client, password="not the password at all")
    unknown = log_in(client, email="nobody@maple.example")

    assert wrong.status_code == unknown.status_code == 200
    assert FAILED in wrong.get_data(as_text=True)
    typed_email = wrong.get_data(as_text=True).replace("ana@maple.example", "EMAIL")
    assert typed_email == unknown.get_data(as_text=True).replace("nobody@maple.example", "EMAIL")
    assert client.get("/account").status_code == 302
    assert actions(organisation.id)[-1] == "user.login_failed"


def test_inactive_user_cannot_log_in(client: FlaskClient):
    user = make_user(make_org())
    user.active = False
    db.session.commit()

    response = log_in(client)

    assert response.status_code == 200 and FAILED in response.get_data(as_text=True)


def test_deactivating_a_user_ends_their_open_session(client: FlaskClient):
    user = make_user(make_org())
    log_in(client)
    user.active = False
    db.session.commit()

    assert client.get("/account").status_code == 302


def test_account_page_needs_a_login_and_comes_back_after_it(client: FlaskClient):
    make_user(make_org())
    response = client.get("/account")
    assert response.status_code == 302 and response.location.startswith("/login?next=")

    response = client.post(
        "/login?next=/account%23tokens", data={"email": "ana@maple.example", "password": PASSWORD}
    )
    assert response.location == "/account#tokens"


def test_login_never_redirects_to_another_site(client: FlaskClient):
    make_user(make_org())
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post(
            "/login",
            query_string={"next": target},
            data={"email": "ana@maple.example", "password": PASSWORD},
        )
        assert response.location == "/account", target
        client.post("/logout")


def test_logout_asks_on_get_and_logs_out_on_post(client: FlaskClient):
    organisation = make_org()
    make_user(organisation)
    log_in(client)

    assert "Log out" in client.get("/logout").get_data(as_text=True)
    assert client.get("/account").status_code == 200

    response = client.post("/logout")

    assert response.status_code == 302 and response.location == "/"
    assert client.get("/account").status_code == 302
    assert actions(organisation.id)[-1] == "user.logged_out"


def test_header_shows_login_or_account(client: FlaskClient):
    make_user(make_org())
    assert 'href="/login"' in client.get("/").get_data(as_text=True)
    log_in(client)
    page = client.get("/").get_data(as_text=True)
    assert 'href="/account"' in page and 'action="/logout"' in page


def test_login_form_is_labelled_and_errors_point_to_their_fields(client: FlaskClient):
    page = client.get("/login").get_data(as_text=True)
    assert '<label for="email">' in page and '<label for="password">' in page
    assert 'autocomplete="current-password"' in page

    page = client.post("/login", data={"email": "", "password": ""}).get_data(as_text=True)
    assert 'aria-invalid="true"' in page and 'aria-describedby="email-error"' in page
    assert 'role="alert"' in page and 'href="#email"' in page


def test_password_is_rehashed_when_the_hash_parameters_change(client: FlaskClient):
    user = make_user(make_org())
    user.password_hash = PasswordHasher(time_cost=1, memory_cost=8 * 1024).hash(PASSWORD)
    db.session.commit()
    old_hash = user.password_hash

    assert log_in(client).status_code == 302

    new_hash = db.session.get(User, user.id).password_hash
    assert new_hash != old_hash and "m=65536" in new_hash
    assert log_in(client).status_code == 302


# Password reset ----------------------------------------------------------------------------


def test_reset_request_answers_the_same_whether_or_not_the_account_exists(
    client: FlaskClient, app: Flask
):
    make_user(make_org())

    unknown = client.post("/password/forgot", data={"email": "nobody@maple.example"})
    assert outbox(app) == []
    known = client.post("/password/forgot", data={"email": "ANA@maple.example"})

    assert unknown.status_code == known.status_code == 302
    assert unknown.location == known.location == "/login"
    assert len(outbox(app)) == 1
    mail = outbox(app)[0].read_text()
    assert "To: ana@maple.example" in mail and "Subject: Reset your password" in mail


def test_reset_link_sets_a_new_password_and_works_once(client: FlaskClient, app: Flask):
    organisation = make_org()
    make_user(organisation)
    client.post("/password/forgot", data={"email": "ana@maple.example"})
    link = reset_link_in(outbox(app)[0])

    assert client.get(link).status_code == 200
    new = {"password": "a brand new passphrase", "confirm": "a brand new passphrase"}
    response = client.post(link, data=new)

    assert response.status_code == 302 and response.location == "/login"
    assert log_in(client).status_code == 200  # the old password no longer works
    assert log_in(client, password="a brand new passphrase").status_code == 302
    assert "user.password_reset" in actions(organisation.id)

    client.post("/logout")
    reused = client.post(
        link, data={"password": "yet another passphrase", "confirm": "yet another passphrase"}
    )
    assert reused.status_code == 400 and "no longer works" in reused.get_data(as_text=True)


def test_expired_reset_link_is_refused(client: FlaskClient, app: Flask, monkeypatch):
    user = make_user(make_org())
    issued = time.time() - 7200  # older than PASSWORD_RESET_MAX_AGE (an hour)
    two_hours_ago = types.SimpleNamespace(time=lambda: issued)
    with monkeypatch.context() as patch:
        patch.setattr(itsdangerous.timed, "time", two_hours_ago)
        token = accounts.make_reset_token(user, app.config["SECRET_KEY"])

    response = client.get(f"/password/reset/{token}")

    assert response.status_code == 400


def test_tampered_reset_link_is_refused(client: FlaskClient, app: Flask):
    user = make_user(make_org())
    token = accounts.make_reset_token(user, "another-secret-key")
    assert client.get(f"/password/reset/{token}").status_code == 400
    assert client.get("/password/reset/garbage").status_code == 400


def test_reset_refuses_a_short_or_mistyped_password(client: FlaskClient, app: Flask):
    user = make_user(make_org())
    token = accounts.make_reset_token(user, app.config["SECRET_KEY"])

    short = client.post(
        f"/password/reset/{token}", data={"password": "too short", "confirm": "too short"}
    )
    assert short.status_code == 200
    assert "Use at least 12 characters." in short.get_data(as_text=True)
    mistyped = client.post(
        f"/password/reset/{token}",
        data={"password": "a long enough one", "confirm": "a long enough 1"},
    )
    assert "The two passwords differ." in mistyped.get_data(as_text=True)
    assert log_in(client).status_code == 302  # unchanged


def test_password_reset_ends_sessions_opened_before(app: Flask):
    user = make_user(make_org())
    elsewhere = app.test_client()
    log_in(elsewhere)
    assert elsewhere.get("/account").status_code == 200

    accounts.reset_password(user, "a brand new passphrase")
    db.session.commit()

    assert elsewhere.get("/account").status_code == 302


# Account page and API tokens --------------------------------------------------------------


def test_owner_creates_sees_once_and_revokes_a_token(client: FlaskClient):
    organisation = make_org()
    make_user(organisation)
    log_in(client)

    created = client.post("/account/tokens", data={"name": "ERP nightly export"})

    assert created.status_code == 201
    secret = re.search(r'id="new-token"[^>]*value="([^"]+)"', created.get_data(as_text=True))
    assert secret is not None
    secret_value = secret.group(1)
    assert (
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret_value}"}).status_code
        == 200
    )

    listing = client.get("/account").get_data(as_text=True)
    assert "ERP nightly export" in listing and secret_value[:8] in listing
    assert secret_value not in listing

    token = db.session.scalar(sa.select(ApiToken))
    response = client.post(f"/account/tokens/{token.id}/revoke")

    assert response.status_code == 302
    assert "revoked" in client.get("/account").get_data(as_text=True)
    assert (
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret_value}"}).status_code
        == 401
    )
    assert actions(organisation.id)[-2:] == ["token.created", "token.revoked"]


def test_token_needs_a_name(client: FlaskClient):
    make_user(make_org())
    log_in(client)
    response = client.post("/account/tokens", data={"name": ""})
    assert response.status_code == 422
    assert 'aria-describedby="name-hint name-error"' in response.get_data(as_text=True)


def test_viewer_and_analyst_cannot_manage_tokens(client: FlaskClient):
    organisation = make_org()
    make_user(organisation, email="vic@maple.example", role="viewer")
    make_user(organisation, email="al@maple.example", role="analyst")
    make_token(organisation)
    token_id = db.session.scalar(sa.select(ApiToken.id))

    for address in ("vic@maple.example", "al@maple.example"):
        log_in(client, email=address)
        page = client.get("/account").get_data(as_text=True)
        assert "Owners of the organisation make and revoke API tokens" in page
        assert "ERP export" not in page
        assert client.post("/account/tokens", data={"name": "mine"}).status_code == 403
        assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 403
        client.post("/logout")
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 1


def test_owner_cannot_revoke_another_organisations_token(client: FlaskClient):
    make_user(make_org())
    other = make_org("Birch Trading Co.")
    make_token(other)
    token = db.session.scalar(sa.select(ApiToken))
    log_in(client)

    response = client.post(f"/account/tokens/{token.id}/revoke")

    assert response.status_code == 404
    db.session.refresh(token)
    assert token.revoked_at is None


# Admin commands ----------------------------------------------------------------------------


def test_orgs_create_prints_the_slug(runner: FlaskCliRunner):
    result = runner.invoke(args=["orgs", "create", "Maple Imports Ltd."])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "maple-imports-ltd"

    again = runner.invoke(args=["orgs", "create", "Maple Imports Ltd."])
    assert again.exit_code == 1 and "exists" in again.output


def test_users_create_reads_the_password_from_stdin(runner: FlaskCliRunner, client: FlaskClient):
    make_org()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--org",
            "maple-imports-ltd",
            "--email",
            "Ana@Maple.Example",
            "--role",
            "owner",
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "ana@maple.example (owner) added to maple-imports-ltd" in result.output
    assert log_in(client).status_code == 302


def test_users_create_asks_for_the_password_twice(runner: FlaskCliRunner):
    make_org()
    args = ["users", "create", "--org", "Maple Imports Ltd.", "--email", "al@maple.example"]

    result = runner.invoke(args=args, input=f"{PASSWORD}\n{PASSWORD}\n")

    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output  # typed hidden
    user = accounts.find_user("al@maple.example")
    assert user is not None and user.role == "analyst"


def test_users_create_refuses_short_passwords_duplicates_and_unknown_orgs(runner: FlaskCliRunner):
    make_user(make_org())
    base = ["users", "create", "--org", "maple-imports-ltd", "--password-stdin"]

    short = runner.invoke(args=[*base, "--email", "x@maple.example"], input="short\n")
    assert short.exit_code == 1 and "at least 12 characters" in short.output
    duplicate = runner.invoke(args=[*base, "--email", "ANA@maple.example"], input=PASSWORD + "\n")
    assert duplicate.exit_code == 1 and "exists" in duplicate.output
    unknown = runner.invoke(
        args=["users", "create", "--org", "nope", "--email", "y@maple.example", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert unknown.exit_code == 1 and "No organisation" in unknown.output
    bad_role = runner.invoke(args=[*base, "--email", "z@maple.example", "--role", "admin"])
    assert bad_role.exit_code == 2


def test_tokens_create_list_revoke(runner: FlaskCliRunner, client: FlaskClient):
    make_org()

    created = runner.invoke(
        args=["tokens", "create", "--org", "maple-imports-ltd", "--name", "ERP"]
    )
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip()
    assert len(secret) >= 43
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200

    listed = runner.invoke(args=["tokens", "list", "--org", "maple-imports-ltd"])
    assert listed.exit_code == 0
    prefix, status, last_used, _created, name = listed.output.strip().split("\t")
    assert (prefix, status, name) == (secret[:8], "active", "ERP")
    assert last_used != "never"
    assert secret not in listed.output

    revoked = runner.invoke(args=["tokens", "revoke", "--org", "maple-imports-ltd", secret[:8]])
    assert revoked.exit_code == 0, revoked.output
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    listed = runner.invoke(args=["tokens", "list", "--org", "maple-imports-ltd"])
    assert "\trevoked\t" in listed.output

    missing = runner.invoke(args=["tokens", "revoke", "--org", "maple-imports-ltd", "zzzzzzzz"])
    assert missing.exit_code == 1 and "No token" in missing.output


def test_tokens_revoke_cannot_reach_another_organisation(runner: FlaskCliRunner):
    make_org()
    secret = make_token(make_org("Birch Trading Co."))

    result = runner.invoke(args=["tokens", "revoke", "--org", "maple-imports-ltd", secret[:8]])

    assert result.exit_code == 1
    assert db.session.scalar(sa.select(ApiToken)).revoked_at is None


def test_demo_seed_is_idempotent_and_prints_the_password_once(
    runner: FlaskCliRunner, client: FlaskClient, app: Flask
):
    app.config["ENV_NAME"] = "development"

    first = runner.invoke(args=["demo", "seed"])
    assert first.exit_code == 0, first.output
    password = re.search(r"with password: (\S+)", first.output)
    assert password and len(password.group(1)) >= 12
    assert log_in(client, email=DEMO_EMAIL, password=password.group(1)).status_code == 302

    second = runner.invoke(args=["demo", "seed"])
    assert second.exit_code == 0 and "exists already" in second.output
    assert "password" not in second.output
    assert db.session.scalar(sa.select(sa.func.count(Organisation.id))) == 1
    organisation = db.session.scalar(sa.select(Organisation))
    assert organisation.name == DEMO_ORGANISATION


def test_demo_seed_refuses_outside_development(runner: FlaskCliRunner, app: Flask):
    app.config["ENV_NAME"] = "production"
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 1 and "only runs when ENV_NAME is development" in result.output
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_tokens_never_start_with_a_dash(app: Flask, monkeypatch):
    """A prefix like -AbC would read as an option to `supplychain tokens revoke`."""
    organisation = make_org()
    candidates = iter(["-" + "a" * 42, "b" * 43])
    monkeypatch.setattr(tokens.secrets, "token_urlsafe", lambda _size: next(candidates))

    _token, secret = tokens.create_token(organisation.id, "ERP")

    assert secret == "b" * 43
