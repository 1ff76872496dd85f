"""The labour-risk-v1 model: its factors, how they add up, bands and confidence."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from reference_data import ReferenceData
from risk_models.scoring import factors
from risk_models.scoring.profile import ScoringConfig, load_profile
from risk_models.scoring.types import DIMENSIONS, Exposure, Factor, LineEvidence, LineScore

NAME = "labour-risk-v1"

# Factors that stand for an enforcement order: the only ones that can make a line Critical.
ENFORCEMENT = frozenset({"enforcement_entity", "product_place_rule"})

FactorFunction = Callable[[factors.Context], Iterator[Factor]]

# Every factor kind the model can emit, with the function that emits it. The methodology
# document must describe exactly these kinds (a test checks it).
FACTORS: dict[str, FactorFunction] = {
    "listed_pair_forced_labour": factors.listed_pair,
    "listed_pair_child_labour": factors.listed_pair,
    "listed_pair_forced_child_labour": factors.listed_pair,
    "listed_pair_downstream": factors.listed_downstream,
    "listed_elsewhere": factors.listed_elsewhere,
    "listed_input": factors.listed_input,
    "tip_tier": factors.tip_tier,
    "ilab_advancement": factors.ilab_advancement,
    "complicit_forced_child_labour": factors.complicit_forced_child_labour,
    "working_children": factors.working_children,
    "missing_ratification": factors.missing_ratifications,
    "enforcement_entity": factors.enforcement_entity,
    "enforcement_review_hit": factors.enforcement_entity,
    "product_place_rule": factors.product_place_rule,
    "insufficient_data": lambda ctx: iter(()),  # added by Scorer once the others are summed
}


def _factor_functions() -> list[FactorFunction]:
    unique: list[FactorFunction] = []
    for function in FACTORS.values():
        if function not in unique:
            unique.append(function)
    return unique


@dataclass
class Scorer:
    """Score lines against one reference version and profile, once per distinct evidence."""

    reference: ReferenceData
    config: ScoringConfig

    def __post_init__(self) -> None:
        self._cache: dict[LineEvidence, LineScore] = {}
        self._functions = _factor_functions()

    def score(self, evidence: LineEvidence) -> LineScore:
        """Return the line's exposures and the factors that produced them."""
        cached = self._cache.get(evidence)
        if cached is None:
            cached = self._cache[evidence] = self._score(evidence)
        return cached

    def score_many(self, lines: Iterable[LineEvidence]) -> list[LineScore]:
        """Score many lines; identical evidence is computed once."""
        return [self.score(line) for line in lines]

    def _score(self, evidence: LineEvidence) -> LineScore:
        ctx = factors.Context(evidence, self.reference, self.config)
        found = [f for function in self._functions for f in function(ctx) if f.contribution > 0]
        insufficient = self._insufficient(evidence)
        totals = {d: self._total(found, d) for d in DIMENSIONS}
        if insufficient:
            floor = self.config.data_quality["insufficient_data_floor"]
            gap = _gap_description(evidence)
            for dimension in DIMENSIONS:
                if totals[dimension] < floor:
                    found.append(
                        Factor(
                            "insufficient_data",
                            dimension,
                            floor - totals[dimension],
                            f"{gap}: missing data is not low risk, so the exposure is raised to "
                            "the Medium band until the gap is filled.",
                        )
                    )
                    totals[dimension] = floor
        confidence = self._confidence(evidence)
        exposures = {
            d: Exposure(
                score=round(min(100.0, totals[d]), 1),
                band=self.config.band(min(100.0, totals[d])),
                confidence=confidence,
            )
            for d in DIMENSIONS
        }
        ordered = tuple(
            sorted(found, key=lambda f: (-f.contribution, f.kind, f.dimension, f.detail))
        )
        return LineScore(
            forced_labour=exposures["forced_labour"],
            child_labour=exposures["child_labour"],
            insufficient_data=insufficient,
            factors=ordered,
            model=NAME,
            profile=self.config.profile,
            reference_version=self.reference.version,
        )

    def _total(self, found: list[Factor], dimension: str) -> float:
        """Add the points; only enforcement factors may lift a score past the ceiling."""
        enforcement = sum(
            f.contribution for f in found if f.dimension == dimension and f.kind in ENFORCEMENT
        )
        other = sum(
            f.contribution for f in found if f.dimension == dimension and f.kind not in ENFORCEMENT
        )
        return float(enforcement + min(other, self.config.bands["ceiling_without_enforcement"]))

    @staticmethod
    def _insufficient(evidence: LineEvidence) -> bool:
        return evidence.product_certainty == "missing" or evidence.country_iso3 is None

    def _confidence(self, evidence: LineEvidence) -> float:
        q = self.config.data_quality
        certainty = {
            "accepted": q["confidence_accepted"],
            "review": q["confidence_review"],
            "unlisted": q["confidence_unlisted"],
            "missing": q["confidence_missing"],
        }
        product = certainty[evidence.product_certainty]
        country = certainty[evidence.country_certainty if evidence.country_iso3 else "missing"]
        iso3 = evidence.country_iso3 or ""
        if iso3 and iso3 not in self.reference.tip and iso3 not in self.reference.findings:
            country *= q["confidence_no_country_data"]
        return round(product * country, 2)


def _gap_description(evidence: LineEvidence) -> str:
    product_known = evidence.product_certainty != "missing"
    if not product_known and evidence.country_iso3 is None:
        return "Neither the product nor the origin is known"
    if not product_known:
        return "The product is not described"
    return "The country of origin is unknown"


def get_model(name: str = NAME, profile: str | None = None) -> ScoringConfig:
    """Return the scoring configuration of a named model (its default profile unless given)."""
    if name != NAME:
        raise KeyError(f"unknown model {name!r}; known: {NAME}")
    config = load_profile(profile or NAME)
    if config.model != name:
        raise ValueError(f"profile {config.profile!r} belongs to model {config.model!r}")
    return config
