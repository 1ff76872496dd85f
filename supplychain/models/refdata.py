"""A record of every reference-data edition imported into this installation."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from supplychain.extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC)


class ReferenceImport(db.Model):  # type: ignore[name-defined]
    """One import of an external dataset edition (who, when, from where, with what checksum)."""

    __tablename__ = "reference_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset: Mapped[str] = mapped_column(sa.String(64))
    edition: Mapped[str] = mapped_column(sa.String(32))
    origin: Mapped[str] = mapped_column(sa.Text)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    rows: Mapped[int]
    reference_version: Mapped[str] = mapped_column(sa.String(64))
    imported_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    __table_args__ = (sa.UniqueConstraint("dataset", "edition"),)
