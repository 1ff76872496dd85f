"""Who is asking: an API token (Bearer) or the logged-in user, for one organisation, with a role.

API resources and pages call `require_org(role)` before touching organisation data, then
scope every query with `supplychain.services.access` (`get_scoped`, `scoped_select`).
"""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask_login import current_user

from supplychain.errors import Forbidden, Unauthorized
from supplychain.extensions import csrf, db
from supplychain.models.accounts import Organisation, Role
from supplychain.services.access import TOKEN_ROLE, Principal
from supplychain.services.tokens import mark_used, token_for_secret

# For `@blp.doc(security=BEARER_SECURITY)` on resources that call require_org.
BEARER_SECURITY: list[dict[str, list[Any]]] = [{"bearerAuth": []}]
BEARER_SCHEME = {
    "type": "http",
    "scheme": "bearer",
    "description": "An organisation's API token, made by an owner on the Account page.",
}

_UNSET = object()
_ENVIRON_KEY = "supplychain.principal"


def _bearer_secret() -> str | None:
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, secret = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise Unauthorized("Send the API token as `Authorization: Bearer <token>`.")
    return secret.strip()


def _resolve() -> Principal | None:
    secret = _bearer_secret()
    if secret is not None:
        token = token_for_secret(secret)
        if token is None:
            raise Unauthorized("The API token is unknown or has been revoked.")
        if mark_used(token):
            db.session.commit()  # its own tiny transaction: the request may still fail later
        return Principal(organisation=token.organisation, role=TOKEN_ROLE, token=token)
    if current_user.is_authenticated:
        user = current_user._get_current_object()
        return Principal(organisation=user.organisation, role=user.role, user=user)
    return None


def current_principal() -> Principal | None:
    """Return who is asking (token first, then session), or None for an anonymous request.

    A request with an Authorization header that is not a live Bearer token is refused (401)
    rather than treated as anonymous.
    """
    # Cached on the request itself: `g` can outlive a request (see security.forget_cached_identity).
    principal = request.environ.get(_ENVIRON_KEY, _UNSET)
    if principal is _UNSET:
        principal = request.environ[_ENVIRON_KEY] = _resolve()
    return principal


def require_org(role: Role = "viewer") -> Principal:
    """Return the principal if it has at least `role`; 401 without credentials, 403 below it."""
    principal = current_principal()
    if principal is None:
        raise Unauthorized("Log in, or send an API token as `Authorization: Bearer <token>`.")
    if principal.token is None:
        _check_session_csrf()
    if not principal.can(role):
        raise Forbidden(f"This needs the {role} role or higher; you act as {principal.role}.")
    return principal


def current_organisation() -> Organisation:
    """Return the organisation the request acts for (any role); 401 without credentials."""
    return require_org().organisation


def _check_session_csrf() -> None:
    """Demand a CSRF token when a browser session changes data through the API.

    Forms are checked by CSRFProtect already; the API blueprints are exempt from that because
    tokens need no such check, so session-authenticated writes there are checked here (the
    `X-CSRFToken` header carries the token).
    """
    config = current_app.config
    if config["WTF_CSRF_ENABLED"] and request.method in config["WTF_CSRF_METHODS"]:
        csrf.protect()  # idempotent: a form checked by CSRFProtect already passes again
