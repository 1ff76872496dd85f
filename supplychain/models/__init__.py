"""Database models. Import every model module here so Alembic sees the whole schema."""

from supplychain.models.accounts import ApiToken, AuditEvent, Organisation, User
from supplychain.models.refdata import ReferenceImport

__all__ = ["ApiToken", "AuditEvent", "Organisation", "ReferenceImport", "User"]
