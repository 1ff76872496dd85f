"""Plain records that go into and come out of the scoring model."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Dimension = Literal["forced_labour", "child_labour"]
DIMENSIONS: tuple[Dimension, Dimension] = ("forced_labour", "child_labour")
Certainty = Literal["accepted", "review", "missing"]
# How the product is known: matched (accepted or review), described but matching no listed
# good ("unlisted": ball valves), or not described at all ("missing": empty, "N/A", "misc").
ProductCertainty = Literal["accepted", "review", "unlisted", "missing"]


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where a factor's fact is published: dataset (manifest id), edition and row or entry."""

    dataset: str
    edition: str
    identifier: str

    def __str__(self) -> str:
        return f"{self.dataset} ({self.edition}), {self.identifier}"


@dataclass(frozen=True, slots=True)
class EntityHit:
    """A supplier's hit on an enforcement list, with the match decision made at the edge."""

    entity_id: str
    decision: Certainty


@dataclass(frozen=True, slots=True)
class LineEvidence:
    """What matching established about one line; hashable, so identical lines score once."""

    good_ids: tuple[str, ...] = ()
    derived_inputs: tuple[str, ...] = ()  # listed goods that a matched derived product is made of
    product_certainty: ProductCertainty = "missing"
    country_iso3: str | None = None
    country_certainty: Certainty = "missing"
    entity_hits: tuple[EntityHit, ...] = ()


@dataclass(frozen=True, slots=True)
class Factor:
    """One reason for points on one dimension, with the source that backs it."""

    kind: str
    dimension: Dimension
    contribution: float
    detail: str
    source: SourceRef | None = None


@dataclass(frozen=True, slots=True)
class Exposure:
    """A dimension's score (0-100), band and confidence (0-1)."""

    score: float
    band: str
    confidence: float


@dataclass(frozen=True, slots=True)
class LineScore:
    """The model's answer for one line."""

    forced_labour: Exposure
    child_labour: Exposure
    insufficient_data: bool
    factors: tuple[Factor, ...]
    model: str
    profile: str
    reference_version: str

    def exposure(self, dimension: Dimension) -> Exposure:
        return self.forced_labour if dimension == "forced_labour" else self.child_labour
