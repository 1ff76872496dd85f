"""API tokens: made for an organisation, shown once, kept only as a hash, revocable."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa

from supplychain.errors import Conflict, InvalidInput, NotFound
from supplychain.extensions import db
from supplychain.models.accounts import ApiToken, User
from supplychain.models.refdata import utcnow
from supplychain.services import audit
from supplychain.services.access import scoped_select

TOKEN_BYTES = 32
PREFIX_LENGTH = 8
# last_used_at is a hint for people, not a log: writing it on every request is not worth it.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_token(secret: str) -> str:
    """Return the stored form of a token (sha256; the secret is random, so no salt is needed)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(
    organisation_id: int, name: str, *, created_by: User | None = None
) -> tuple[ApiToken, str]:
    """Make a token; return the row and the secret, which is never available again."""
    name = " ".join(name.split())
    if not name or len(name) > 100:
        raise InvalidInput(
            "Give the token a name of 1 to 100 characters, e.g. the system that will use it.",
            errors={"name": ["Required, at most 100 characters."]},
        )
    secret = secrets.token_urlsafe(TOKEN_BYTES)
    while secret.startswith("-"):  # a leading dash reads as an option on command lines
        secret = secrets.token_urlsafe(TOKEN_BYTES)
    token = ApiToken(
        organisation_id=organisation_id,
        name=name,
        prefix=secret[:PREFIX_LENGTH],
        token_hash=hash_token(secret),
        created_by=created_by.id if created_by else None,
    )
    db.session.add(token)
    db.session.flush()
    audit.record(
        audit.TOKEN_CREATED,
        organisation_id=organisation_id,
        user_id=created_by.id if created_by else None,
        target=token,
        detail={"name": name, "prefix": token.prefix},
    )
    return token, secret


def list_tokens(organisation_id: int) -> list[ApiToken]:
    """Return an organisation's tokens, newest first, revoked ones included."""
    query = scoped_select(ApiToken, organisation_id).order_by(
        ApiToken.created_at.desc(), ApiToken.id.desc()
    )
    return list(db.session.scalars(query))


def find_token_by_prefix(organisation_id: int, prefix: str) -> ApiToken:
    """Return the organisation's token whose listing prefix this is."""
    matches = list(
        db.session.scalars(
            scoped_select(ApiToken, organisation_id).where(ApiToken.prefix == prefix)
        )
    )
    if not matches:
        raise NotFound(f"No token with prefix {prefix!r} in this organisation.")
    if len(matches) > 1:
        raise Conflict(f"Several tokens start with {prefix!r}; revoke them from the web page.")
    return matches[0]


def revoke_token(token: ApiToken, *, user_id: int | None = None) -> None:
    """Stop a token from working; revoking a revoked token changes nothing."""
    if token.revoked_at is not None:
        return
    token.revoked_at = utcnow()
    audit.record(
        audit.TOKEN_REVOKED,
        organisation_id=token.organisation_id,
        user_id=user_id,
        target=token,
        detail={"name": token.name, "prefix": token.prefix},
    )
    db.session.flush()


def token_for_secret(secret: str) -> ApiToken | None:
    """Return the live token with this secret, or None (unknown or revoked)."""
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == hash_token(secret)))
    if token is None or token.revoked_at is not None:
        return None
    return token


def mark_used(token: ApiToken) -> bool:
    """Note that the token was just used; tell whether anything changed."""
    now = utcnow()
    last = token.last_used_at
    if last is not None and last.tzinfo is None:  # SQLite hands back naive datetimes
        last = last.replace(tzinfo=now.tzinfo)
    if last is not None and now - last < LAST_USED_RESOLUTION:
        return False
    token.last_used_at = now
    db.session.flush()
    return True
