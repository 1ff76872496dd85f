"""Organisations, their people, their API tokens, and the audit trail of what was done."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, Literal, get_args

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from supplychain.extensions import db
from supplychain.models.refdata import utcnow

Role = Literal["owner", "analyst", "viewer"]
ROLES: tuple[Role, ...] = get_args(Role)


def normalise_email(email: str) -> str:
    """Return the form an address is stored and looked up in (trimmed, lower case)."""
    return email.strip().lower()


class Organisation(db.Model):  # type: ignore[name-defined]
    """A customer of the service; everything it uploads is visible to its members only."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    slug: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    users: Mapped[list[User]] = relationship(back_populates="organisation")

    def __repr__(self) -> str:
        return f"<Organisation {self.slug}>"


class User(UserMixin, db.Model):  # type: ignore[name-defined]
    """A person who logs in with e-mail and password and acts for one organisation."""

    # "user" is reserved in PostgreSQL; a plain name saves quoting in every hand-written query.
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    role: Mapped[str] = mapped_column(sa.String(16))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    organisation: Mapped[Organisation] = relationship(back_populates="users")

    __table_args__ = (
        # Unique case-insensitively because every write goes through normalise_email.
        sa.CheckConstraint("email = lower(email)", name="email_lower_case"),
        sa.CheckConstraint(f"role IN {ROLES!r}", name="role"),
    )

    @validates("email")
    def _normalise_email(self, _key: str, value: str) -> str:
        return normalise_email(value)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses to log in inactive users
        return self.active

    @property
    def password_fingerprint(self) -> str:
        """Return a short digest of the password hash: it changes whenever the password does."""
        return hashlib.sha256(self.password_hash.encode()).hexdigest()[:16]

    def get_id(self) -> str:
        """Return the session identity; a new password changes it, ending older sessions."""
        return f"{self.id}:{self.password_fingerprint}"

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class ApiToken(db.Model):  # type: ignore[name-defined]
    """A bearer secret that lets a program act for an organisation; only its hash is kept."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    prefix: Mapped[str] = mapped_column(sa.String(8))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # Null for tokens made with the `supplychain tokens create` command.
    created_by: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    organisation: Mapped[Organisation] = relationship()
    creator: Mapped[User | None] = relationship()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def __repr__(self) -> str:
        return f"<ApiToken {self.prefix} {self.name!r}>"


class AuditEvent(db.Model):  # type: ignore[name-defined]
    """One thing done in an organisation's name: who (user or token), what, to which row."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    token_id: Mapped[int | None] = mapped_column(sa.ForeignKey("api_token.id"))
    action: Mapped[str] = mapped_column(sa.String(64))
    target_type: Mapped[str | None] = mapped_column(sa.String(64))
    # A string so that any kind of key (integer id, upload checksum, ...) fits.
    target_id: Mapped[str | None] = mapped_column(sa.String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    # The trail is read per organisation, newest first.
    __table_args__ = (
        sa.Index("ix_audit_event_organisation_id_created_at", "organisation_id", "created_at"),
    )

    def __repr__(self) -> str:
        return f"<AuditEvent {self.action} org={self.organisation_id}>"
