"""Database models. Import every model module here so Alembic sees the whole schema."""

from supplychain.models.refdata import ReferenceImport

__all__ = ["ReferenceImport"]
