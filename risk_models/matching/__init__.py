"""Matchers that turn messy strings into reference entries, with scores and reasons."""

from risk_models.matching.result import Candidate, Decision, Feature, MatchResult, Thresholds

__all__ = ["Candidate", "Decision", "Feature", "MatchResult", "Thresholds"]
