"""Exposure scoring: forced- and child-labour exposure with a reason for every point."""

from risk_models.scoring.aggregate import (
    GroupSummary,
    LineTable,
    PortfolioSummary,
    ScoredLine,
    aggregate,
    aggregate_table,
)
from risk_models.scoring.model import FACTORS, NAME, Scorer, get_model
from risk_models.scoring.profile import ScoringConfig, load_profile
from risk_models.scoring.types import (
    EntityHit,
    Exposure,
    Factor,
    LineEvidence,
    LineScore,
    SourceRef,
)

__all__ = [
    "FACTORS",
    "NAME",
    "EntityHit",
    "Exposure",
    "Factor",
    "GroupSummary",
    "LineEvidence",
    "LineScore",
    "LineTable",
    "PortfolioSummary",
    "ScoredLine",
    "Scorer",
    "ScoringConfig",
    "SourceRef",
    "aggregate",
    "aggregate_table",
    "get_model",
    "load_profile",
]
