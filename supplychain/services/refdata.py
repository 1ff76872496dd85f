"""Which reference data this service runs on: shipped data plus imported editions."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from reference_data import ReferenceData, load_reference_data


def optional_layers(config: Mapping[str, Any]) -> tuple[str, ...]:
    """Return the optional layers the operator switched on."""
    return tuple(sorted(p.strip() for p in str(config["OPTIONAL_LAYERS"]).split(",") if p.strip()))


def get_reference(config: Mapping[str, Any]) -> ReferenceData:
    """Return the (cached) reference data for a configuration."""
    return load_reference_data(
        extra_dirs=(Path(config["REFDATA_DIR"]),), layers=optional_layers(config)
    )
