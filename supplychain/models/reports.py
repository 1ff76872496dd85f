"""S-211 reports: one row per revision of an organisation's report for a reporting year.

A report's parts are stored as JSON in the shapes `supplychain.services.report_json` reads
and writes (entity details, sections (a)-(g) with their drafted statements and evidence
links, questionnaire answers, approval and attestation). Approving a report freezes its row,
including the evidence it was drafted from (`evidence`); a later change makes a new row,
`revision` + 1, that points at the one it replaces (`revises_id`).

Every table carries `organisation_id`; queries go through `supplychain.services.access`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, get_args

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from supplychain.extensions import db
from supplychain.models.assessments import JSON
from supplychain.models.refdata import utcnow

ReportStatus = Literal["draft", "approved", "published"]
REPORT_STATUSES: tuple[ReportStatus, ...] = get_args(ReportStatus)
ReportLanguage = Literal["en", "fr", "both"]
REPORT_LANGUAGES: tuple[ReportLanguage, ...] = get_args(ReportLanguage)


class Report(db.Model):  # type: ignore[name-defined]
    """One revision of an organisation's S-211 report for one reporting (financial) year."""

    __tablename__ = "report"

    id: Mapped[int] = mapped_column(primary_key=True)
    # No index of its own: the unique (organisation_id, reporting_year, revision) serves it.
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"))
    reporting_year: Mapped[int]
    revision: Mapped[int] = mapped_column(default=1)
    revises_id: Mapped[int | None] = mapped_column(sa.ForeignKey("report.id"))
    status: Mapped[str] = mapped_column(sa.String(16), default="draft")
    language: Mapped[str] = mapped_column(sa.String(8), default="en")
    entity: Mapped[dict[str, Any]] = mapped_column(JSON)
    sections: Mapped[dict[str, Any]] = mapped_column(JSON)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    approval: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The evidence summary as it stood when the report was approved (None while a draft:
    # drafts read their assessments' current summaries).
    evidence: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    token_id: Mapped[int | None] = mapped_column(sa.ForeignKey("api_token.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    published_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "reporting_year", "revision"),
        sa.CheckConstraint(sa.column("status").in_(REPORT_STATUSES), name="status_known"),
        sa.CheckConstraint(sa.column("language").in_(REPORT_LANGUAGES), name="language_known"),
        sa.CheckConstraint("revision >= 1", name="revision_positive"),
    )

    @property
    def frozen(self) -> bool:
        """Say whether the report can no longer change (approved or published)."""
        return self.status != "draft"


class ReportAssessment(db.Model):  # type: ignore[name-defined]
    """An assessment a report draws its evidence from (both of the same organisation)."""

    __tablename__ = "report_assessment"

    report_id: Mapped[int] = mapped_column(
        sa.ForeignKey("report.id", ondelete="CASCADE"), primary_key=True
    )
    assessment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assessment.id"), primary_key=True, index=True
    )
    # Read through the report (the primary key's prefix); the column scopes direct queries.
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"))
    position: Mapped[int] = mapped_column(default=0)  # the order the person chose them in
