"""The audit trail: who did what in an organisation's name, written by every service that acts."""

from __future__ import annotations

from typing import Any

from supplychain.extensions import db
from supplychain.models.accounts import AuditEvent

# Actions written so far; later features add theirs as "<thing>.<verb past tense>".
LOGIN = "user.logged_in"
LOGIN_FAILED = "user.login_failed"
LOGOUT = "user.logged_out"
PASSWORD_RESET_REQUESTED = "user.password_reset_requested"
PASSWORD_RESET = "user.password_reset"
USER_CREATED = "user.created"
ORGANISATION_CREATED = "organisation.created"
TOKEN_CREATED = "token.created"
TOKEN_REVOKED = "token.revoked"


def record(
    action: str,
    *,
    organisation_id: int,
    user_id: int | None = None,
    token_id: int | None = None,
    target: Any = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event; `target` is the row acted on (its table name and id are kept)."""
    event = AuditEvent(
        organisation_id=organisation_id,
        user_id=user_id,
        token_id=token_id,
        action=action,
        target_type=target.__tablename__ if target is not None else None,
        target_id=str(target.id) if target is not None else None,
        detail=detail or {},
    )
    db.session.add(event)
    db.session.flush()
    return event
