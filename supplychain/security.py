"""Request security: who is logged in, CSRF for forms but not the token API, response headers."""

from __future__ import annotations

import hmac

import flask_smorest
from flask import Flask, Response, current_app, g, request, session

from supplychain.extensions import csrf, db, login_manager
from supplychain.models.accounts import User


def init_security(app: Flask) -> None:
    """Wire the login manager, exempt the API from form CSRF, and add security headers.

    Runs after the blueprints are registered, so every flask-smorest blueprint is found.
    """
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Log in to see that page."
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)
    exempt_api_blueprints(app)
    app.before_request(forget_cached_identity)
    app.after_request(add_security_headers)


def forget_cached_identity() -> None:
    """Start each request with no identity or CSRF token cached from an earlier one.

    Flask-Login caches the user on `g`, which lives as long as the app context; a request
    normally gets a fresh one, but an app context pushed around several requests (a CLI job,
    the test fixtures) would otherwise carry a user from one request to the next.
    """
    g.pop("_login_user", None)
    # Flask-WTF's token for this session and its "checked already" mark: just as request-bound.
    g.pop(current_app.config["WTF_CSRF_FIELD_NAME"], None)
    g.pop("csrf_valid", None)


def load_user(session_id: str) -> User | None:
    """Return the session's user, unless deactivated or the password changed since login."""
    user_id, _, fingerprint = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active:
        return None
    if not hmac.compare_digest(fingerprint, user.password_fingerprint):
        return None
    return user


def exempt_api_blueprints(app: Flask) -> None:
    """Exempt the JSON API from form CSRF checks.

    API clients authenticate with a Bearer header, which a browser never adds on its own, so
    a forged cross-site request cannot carry it. A browser session used on the API is checked
    for a CSRF header instead, by `supplychain.auth.require_org`.
    """
    for blueprint in app.blueprints.values():
        if isinstance(blueprint, flask_smorest.Blueprint):
            csrf.exempt(blueprint)


def add_security_headers(response: Response) -> Response:
    """Add the headers every response carries (a view may set its own values first)."""
    config = current_app.config
    headers = response.headers
    headers.setdefault("Content-Security-Policy", config["CONTENT_SECURITY_POLICY"])
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", config["PERMISSIONS_POLICY"])
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    # Organisation data must not stay in shared or browser caches.
    credentials = "Authorization" in request.headers or "_user_id" in session
    if credentials and "Cache-Control" not in headers:
        headers["Cache-Control"] = "no-store"
    return response
