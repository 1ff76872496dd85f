"""Tiny builders of reference data for engine tests."""

from __future__ import annotations

from reference_data import (
    ChildLabourFindings,
    Country,
    EnforcementEntity,
    Good,
    Listing,
    ProductPlaceRule,
    ReferenceData,
    TipPlacement,
)


def good(
    id: str,
    name: str | None = None,
    inputs: tuple[str, ...] = (),
    kind: str = "good",
    broader: tuple[str, ...] = (),
) -> Good:
    return Good(id, name or id.title(), "Agriculture", "", (), (), (), inputs, kind, broader)  # type: ignore[arg-type]


def country(iso3: str, name: str) -> Country:
    return Country(iso3[:2], iso3, "001", name, name, name, name, "", "")


def listing(row: int, good_id: str, iso3: str, *, fl=False, cl=False, fcl=False, **kw) -> Listing:
    return Listing(2022, row, good_id, good_id.title(), iso3, iso3, cl, fl, fcl, **kw)


def findings(iso3: str, *, rank="", pct=None, c138=True, c182=True, palermo=True, complicit=False):
    return ChildLabourFindings(iso3, iso3, rank and f"{rank.title()} Advancement", rank, complicit,
                               "5-14", pct, c138, c182, palermo)  # fmt: skip


def reference(
    goods=(), listings=(), countries=(), tip=(), findings_=(), entities=(), rules=()
) -> ReferenceData:
    return ReferenceData(
        release="test",
        version="test+00000000",
        sources=(),
        goods={g.id: g for g in goods},
        editions={2022: tuple(listings)},
        countries={c.iso3: c for c in countries},
        country_aliases=(),
        tip={t.iso3: t for t in tip},
        findings={f.iso3: f for f in findings_},
        entities=tuple(entities),
        rules=tuple(rules),
    )


def tip(iso3: str, tier: str) -> TipPlacement:
    return TipPlacement(iso3, iso3, tier, 2025)


def entity(entity_id: str, name: str, iso3: str) -> EnforcementEntity:
    return EnforcementEntity(entity_id, "cbp-wro", name, (), iso3, "", None, "WRO", "", 1)


def rule(rule_id: str, good_id: str, iso3: str) -> ProductPlaceRule:
    return ProductPlaceRule(rule_id, "cbp-wro", good_id, iso3, "", "All of it", None, "WRO", 1)
