"""Uploads, the assessments made from them, their lines, and the judgements people make.

Every table here carries `organisation_id`: queries go through
`supplychain.services.access` so that one organisation never sees another's rows.

Bulk data is stored once per distinct value: an assessment's lines point at the distinct match
records (`assessment_match`) and the distinct scores (`assessment_score`) they share, because a
million-line list holds a few thousand distinct strings and evidence combinations.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal, get_args

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column

from supplychain.extensions import db
from supplychain.models.refdata import utcnow

AssessmentStatus = Literal["queued", "running", "done", "failed"]
ASSESSMENT_STATUSES: tuple[AssessmentStatus, ...] = get_args(AssessmentStatus)
Stage = Literal["queued", "reading", "matching", "scoring", "storing", "done"]
MatchKind = Literal["good", "country", "supplier"]
JudgementDecision = Literal["accept", "reject", "replace"]

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_ID = sa.BigInteger().with_variant(sa.Integer, "sqlite")  # ids of the bulk tables
# Bits of `AssessmentLine.decisions`: its matches' decisions, and whether its score says
# insufficient data (the lines table filters on them, the summary counts them).
DECIDED_REVIEW, DECIDED_ACCEPTED, DECIDED_NONE, DECIDED_JUDGED = 1, 2, 4, 8
DECIDED_INSUFFICIENT = 16
DECISION_BITS = {"review": DECIDED_REVIEW, "accepted": DECIDED_ACCEPTED, "none": DECIDED_NONE}
DECISIONS_ALL = 32  # `decisions` is below this


def decision_bits(decision: str, judged: bool) -> int:
    """Return the DECIDED_* bits of one match."""
    return DECISION_BITS.get(decision, 0) | (DECIDED_JUDGED if judged else 0)


def decisions_with(bits: int) -> list[int]:
    """Return every `decisions` value that has all of these bits (for an IN on the index)."""
    return [value for value in range(DECISIONS_ALL) if value & bits == bits]


class Upload(db.Model):  # type: ignore[name-defined]
    """A file as a user sent it; the original bytes are kept in storage under its sha256."""

    __tablename__ = "upload"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    token_id: Mapped[int | None] = mapped_column(sa.ForeignKey("api_token.id"))
    filename: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(100), default="")
    size_bytes: Mapped[int] = mapped_column(sa.BigInteger)
    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    storage_key: Mapped[str] = mapped_column(sa.String(255))
    sheet: Mapped[str | None] = mapped_column(sa.String(255))
    mapping: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    rows_read: Mapped[int | None]
    rows_with_problems: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class Assessment(db.Model):  # type: ignore[name-defined]
    """One run of the pipeline over an upload, with the versions it used and its progress."""

    __tablename__ = "assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    upload_id: Mapped[int] = mapped_column(sa.ForeignKey("upload.id"), index=True)
    previous_id: Mapped[int | None] = mapped_column(sa.ForeignKey("assessment.id"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    status: Mapped[str] = mapped_column(sa.String(16), default="queued")
    stage: Mapped[str] = mapped_column(sa.String(16), default="queued")
    rows_total: Mapped[int | None]
    rows_done: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(sa.Text)
    job_id: Mapped[str | None] = mapped_column(sa.String(64))
    model_name: Mapped[str] = mapped_column(sa.String(64))
    model_profile: Mapped[str] = mapped_column(sa.String(64))
    model_parameters: Mapped[dict[str, Any]] = mapped_column(JSON)
    reference_version: Mapped[str] = mapped_column(sa.String(64))
    match_thresholds: Mapped[dict[str, Any]] = mapped_column(JSON)
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    __table_args__ = (
        sa.CheckConstraint(sa.column("status").in_(ASSESSMENT_STATUSES), name="status_known"),
    )

    @property
    def progress(self) -> float:
        """Return the share of rows done, 0-1 (1 when done)."""
        if self.status == "done":
            return 1.0
        if not self.rows_total:
            return 0.0
        return min(1.0, self.rows_done / self.rows_total)


class AssessmentMatch(db.Model):  # type: ignore[name-defined]
    """The match record of one distinct string of an assessment (good, country or supplier)."""

    __tablename__ = "assessment_match"

    id: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True
    )
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessment.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"))
    kind: Mapped[str] = mapped_column(sa.String(16))
    query_key: Mapped[str] = mapped_column(sa.String(1000))
    query: Mapped[str] = mapped_column(sa.Text)
    decision: Mapped[str] = mapped_column(sa.String(16))
    target_id: Mapped[str | None] = mapped_column(sa.String(64))
    score: Mapped[float | None]
    judged: Mapped[bool] = mapped_column(default=False)
    record: Mapped[dict[str, Any]] = mapped_column(JSON)

    __table_args__ = (
        sa.UniqueConstraint("assessment_id", "kind", "query_key"),
        sa.Index("ix_assessment_match_review", "assessment_id", "kind", "decision"),
    )


class AssessmentScore(db.Model):  # type: ignore[name-defined]
    """One distinct line score of an assessment: exposures, confidence and factors."""

    __tablename__ = "assessment_score"

    id: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True
    )
    assessment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    forced_labour: Mapped[float]
    forced_labour_band: Mapped[str] = mapped_column(sa.String(16))
    child_labour: Mapped[float]
    child_labour_band: Mapped[str] = mapped_column(sa.String(16))
    confidence: Mapped[float]
    insufficient_data: Mapped[bool]
    factors: Mapped[list[dict[str, Any]]] = mapped_column(JSON)


class AssessmentLine(db.Model):  # type: ignore[name-defined]
    """One row of the uploaded list, with its original values, matches and score."""

    __tablename__ = "assessment_line"

    id: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True
    )
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessment.id", ondelete="CASCADE"))
    # The assessment's organisation, copied so that every query can be scoped by it. Not a
    # foreign key: PostgreSQL would check it for every line stored (a sixth of the time of
    # storing a million), and the line's assessment, a foreign key, already has one.
    organisation_id: Mapped[int]
    row_number: Mapped[int]
    # JSON, not JSONB, on PostgreSQL: written once per line and read whole, never queried by
    # field; JSON keeps the text as written (JSONB took a fifth of the time of storing lines
    # to convert, and reordered the user's columns).
    original: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    supplier_name: Mapped[str] = mapped_column(sa.String(500), default="")
    supplier_ref: Mapped[str] = mapped_column(sa.String(200), default="")
    country_text: Mapped[str] = mapped_column(sa.String(500), default="")
    product_text: Mapped[str] = mapped_column(sa.Text, default="")
    hs_code: Mapped[str] = mapped_column(sa.String(32), default="")
    spend: Mapped[Decimal | None] = mapped_column(sa.Numeric(18, 2))
    currency: Mapped[str | None] = mapped_column(sa.String(3))
    quantity: Mapped[Decimal | None] = mapped_column(sa.Numeric(18, 4))
    unit: Mapped[str | None] = mapped_column(sa.String(32))
    tier: Mapped[int | None]
    good_id: Mapped[str | None] = mapped_column(sa.String(100))
    country_iso3: Mapped[str | None] = mapped_column(sa.String(3))
    # The line's distinct match records and score, of the same assessment. Not declared as
    # foreign keys: PostgreSQL would check four of them on every line stored (a third of the
    # time of storing a million lines) and SQLite does not enforce them at all. The pipeline
    # writes matches and scores before the lines that use them and deletes lines first
    # (`pipeline.clear_results`); a line's assessment and organisation stay foreign keys.
    good_match_id: Mapped[int | None] = mapped_column(_ID)
    country_match_id: Mapped[int | None] = mapped_column(_ID)
    supplier_match_id: Mapped[int | None] = mapped_column(_ID)
    score_id: Mapped[int | None] = mapped_column(_ID)
    # DECIDED_* bits of the line's matches and score. One index, (assessment_id, decisions,
    # match ids), answers the lines table's decision filters, the review queue's line counts
    # and re-scoring's look-ups by match; it replaced an index per match and score id, which
    # cost a third of the time of storing a million lines on SQLite.
    decisions: Mapped[int] = mapped_column(sa.SmallInteger, default=0, server_default="0")
    forced_labour: Mapped[float | None]
    child_labour: Mapped[float | None]
    score: Mapped[float | None]  # the higher of the two scores: "riskiest first" sorts on it
    band: Mapped[str | None] = mapped_column(sa.String(16))  # the higher of the two bands
    # None is stored as SQL NULL, not JSON null: "rows with problems" filters on IS NOT NULL.
    problems: Mapped[list[dict[str, Any]] | None] = mapped_column(sa.JSON(none_as_null=True))

    __table_args__ = (
        sa.UniqueConstraint("assessment_id", "row_number"),
        sa.Index("ix_assessment_line_country", "assessment_id", "country_iso3"),
        sa.Index("ix_assessment_line_good", "assessment_id", "good_id"),
        sa.Index("ix_assessment_line_supplier", "assessment_id", "supplier_name"),
        sa.Index("ix_assessment_line_score", "assessment_id", "score", "row_number"),
        sa.Index(
            "ix_assessment_line_decisions",
            "assessment_id",
            "decisions",
            "good_match_id",
            "country_match_id",
            "supplier_match_id",
        ),
    )


class Judgement(db.Model):  # type: ignore[name-defined]
    """A person's decision about a match, applied to the same string in every later upload."""

    __tablename__ = "judgement"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    query_key: Mapped[str] = mapped_column(sa.String(1000))
    candidate_id: Mapped[str] = mapped_column(sa.String(64), default="")
    decision: Mapped[str] = mapped_column(sa.String(16))
    target_id: Mapped[str | None] = mapped_column(sa.String(64))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    token_id: Mapped[int | None] = mapped_column(sa.ForeignKey("api_token.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    __table_args__ = (sa.UniqueConstraint("organisation_id", "kind", "query_key", "candidate_id"),)


class SavedMapping(db.Model):  # type: ignore[name-defined]
    """The column mapping an organisation confirmed for a set of headers, reused next time."""

    __tablename__ = "saved_mapping"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"))
    headers_key: Mapped[str] = mapped_column(sa.String(64))
    mapping: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    __table_args__ = (sa.UniqueConstraint("organisation_id", "headers_key"),)
