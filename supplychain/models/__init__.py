"""Database models. Import every model module here so Alembic sees the whole schema."""

from supplychain.models.accounts import ApiToken, AuditEvent, Organisation, User
from supplychain.models.assessments import (
    Assessment,
    AssessmentLine,
    AssessmentMatch,
    AssessmentScore,
    Judgement,
    SavedMapping,
    Upload,
)
from supplychain.models.refdata import ReferenceImport
from supplychain.models.reports import Report, ReportAssessment

__all__ = [
    "ApiToken",
    "Assessment",
    "AssessmentLine",
    "AssessmentMatch",
    "AssessmentScore",
    "AuditEvent",
    "Judgement",
    "Organisation",
    "ReferenceImport",
    "Report",
    "ReportAssessment",
    "SavedMapping",
    "Upload",
    "User",
]
