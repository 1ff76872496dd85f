"""Scoring profiles: versioned files holding every weight and threshold of a model."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

PROFILE_DIR = Path(__file__).resolve().parent.parent / "profiles"
BANDS = ("Low", "Medium", "High", "Critical")


@dataclass(frozen=True)
class ScoringConfig:
    """A profile's values, passed into the model (never read from a web framework)."""

    model: str
    profile: str
    bands: MappingProxyType[str, float]
    weights: MappingProxyType[str, float]
    data_quality: MappingProxyType[str, float]

    def weight(self, name: str) -> float:
        return self.weights[name]

    def band(self, score: float) -> str:
        """Return the band a score falls in."""
        if score >= self.bands["critical"]:
            return "Critical"
        if score >= self.bands["high"]:
            return "High"
        if score >= self.bands["medium"]:
            return "Medium"
        return "Low"

    def as_dict(self) -> dict[str, Any]:
        """Return the parameters, for storing next to every assessment."""
        return {
            "model": self.model,
            "profile": self.profile,
            "bands": dict(self.bands),
            "weights": dict(self.weights),
            "data_quality": dict(self.data_quality),
        }


def _numbers(table: Any, name: str) -> MappingProxyType[str, float]:
    if not isinstance(table, dict) or not all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in table.values()
    ):
        raise ValueError(f"profile table [{name}] must map names to numbers")
    return MappingProxyType({k: float(v) for k, v in table.items()})


def parse_profile(data: dict[str, Any]) -> ScoringConfig:
    """Build a config from a parsed profile, checking the bands are ordered."""
    config = ScoringConfig(
        model=str(data["model"]),
        profile=str(data["profile"]),
        bands=_numbers(data.get("bands"), "bands"),
        weights=_numbers(data.get("weights"), "weights"),
        data_quality=_numbers(data.get("data_quality"), "data_quality"),
    )
    b = config.bands
    if not 0 < b["medium"] < b["high"] < b["critical"] <= 100:
        raise ValueError("bands must satisfy 0 < medium < high < critical <= 100")
    if not b["high"] <= b["ceiling_without_enforcement"] < b["critical"]:
        raise ValueError("bands: ceiling_without_enforcement must lie in [high, critical)")
    return config


@cache
def load_profile(name: str = "labour-risk-v1") -> ScoringConfig:
    """Load a profile file shipped in risk_models/profiles by its file name (without .toml)."""
    path = PROFILE_DIR / f"{name}.toml"
    if not path.is_file():
        known = sorted(p.stem for p in PROFILE_DIR.glob("*.toml"))
        raise KeyError(f"unknown scoring profile {name!r}; known: {', '.join(known)}")
    with path.open("rb") as handle:
        return parse_profile(tomllib.load(handle))
