"""Curated reference data: goods at risk, countries, enforcement lists, with provenance."""

from reference_data.loader import DATA_DIR, ReferenceDataError, load_reference_data
from reference_data.models import (
    ChildLabourFindings,
    Country,
    CountryAlias,
    CountrySubdivision,
    EnforcementEntity,
    Good,
    Listing,
    ProductPlaceRule,
    ReferenceData,
    SlaveryEstimate,
    Source,
    TipPlacement,
)
from reference_data.text import good_id_for, normalise_name

__all__ = [
    "DATA_DIR",
    "ChildLabourFindings",
    "Country",
    "CountryAlias",
    "CountrySubdivision",
    "EnforcementEntity",
    "Good",
    "Listing",
    "ProductPlaceRule",
    "ReferenceData",
    "ReferenceDataError",
    "SlaveryEstimate",
    "Source",
    "TipPlacement",
    "good_id_for",
    "load_reference_data",
    "normalise_name",
]
