"""Domain errors and how they are shown: problem+json for the API, a page for people."""

from __future__ import annotations

from typing import Any, ClassVar

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from supplychain.extensions import db

PROBLEM_TYPE_BASE = "https://supplychain.invalid/problems/"  # not dereferenceable, by design


class DomainError(Exception):
    """An error a user can act on; carries its HTTP status, a short title and extra headers."""

    status = 400
    title = "Bad request"
    headers: ClassVar[dict[str, str]] = {}

    def __init__(self, detail: str, *, errors: dict[str, Any] | None = None):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or {}


class Unauthorized(DomainError):
    """No credentials, or credentials that are unknown, revoked or expired."""

    status = 401
    title = "Unauthorized"
    headers: ClassVar[dict[str, str]] = {"WWW-Authenticate": 'Bearer realm="supplychain"'}


class Forbidden(DomainError):
    """Known credentials whose role does not allow the action."""

    status = 403
    title = "Forbidden"


class NotFound(DomainError):
    status = 404
    title = "Not found"


class InvalidInput(DomainError):
    status = 422
    title = "Invalid input"


class Conflict(DomainError):
    status = 409
    title = "Conflict"


def wants_problem_json() -> bool:
    """Answer API clients in JSON and people with a page."""
    return request.path.startswith("/api/")


def problem_response(status: int, title: str, detail: str, errors: dict | None = None) -> Response:
    """Build an RFC 9457 problem document."""
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + title.lower().replace(" ", "-"),
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.path,
    }
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def render_error(status: int, title: str, detail: str, errors: dict | None = None) -> Response:
    """Answer in the caller's format."""
    if wants_problem_json():
        return problem_response(status, title, detail, errors)
    page = render_template("error.html", status=status, title=title, detail=detail, errors=errors)
    return Response(page, status=status, mimetype="text/html")


def handle_http_exception(error: HTTPException) -> Response:
    """Render werkzeug and flask-smorest errors (including validation) as problems."""
    data = getattr(error, "data", None) or {}
    errors = data.get("errors") or data.get("messages")
    detail = data.get("message") or error.description or ""
    if error.code == 422 and errors:
        detail = "The request does not match the documented schema; see errors."
    if isinstance(error, InternalServerError):
        db.session.rollback()
        detail = "Something went wrong on our side. Nothing you sent was lost."
    response = render_error(error.code or 500, error.name, detail, errors)
    for name, value in (data.get("headers") or {}).items():
        response.headers[name] = value
    return response


def handle_domain_error(error: DomainError) -> Response:
    db.session.rollback()
    response = render_error(error.status, error.title, error.detail, error.errors or None)
    response.headers.update(error.headers)
    return response


def register_error_handlers(app: Flask) -> None:
    """Route every error through the two renderers above."""
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(HTTPException, handle_http_exception)
