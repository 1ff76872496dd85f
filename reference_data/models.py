"""Typed records of the reference data and the indexed collection the engine reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Literal

GoodKind = Literal["good", "derived"]


@dataclass(frozen=True, slots=True)
class Source:
    """One dataset's provenance, as recorded in the manifest."""

    id: str
    publisher: str
    title: str
    edition: str
    published: str
    retrieved: str
    licence: str
    url: str
    trust: str
    notes: str
    optional: bool
    files: tuple[str, ...]
    rows: int
    sha256: str


@dataclass(frozen=True, slots=True)
class Good:
    """A good on the ILAB list (kind "good") or a derived product made from listed goods."""

    id: str
    name: str
    sector: str
    description: str
    aliases: tuple[str, ...]
    aliases_fr: tuple[str, ...]
    hs: tuple[str, ...]
    inputs: tuple[str, ...]
    kind: GoodKind = "good"
    broader: tuple[str, ...] = ()  # listed goods this good is a kind of (not made from)


@dataclass(frozen=True, slots=True)
class Listing:
    """One good-country pair of an edition of the ILAB List of Goods."""

    edition: int
    row: int
    good_id: str
    good_name: str
    country_iso3: str
    country_as_published: str
    child_labour: bool
    forced_labour: bool
    forced_child_labour: bool
    downstream: bool = False
    input_good_id: str | None = None
    input_country_iso3: str | None = None

    @property
    def citation(self) -> str:
        """Say where the pair is published, for a person to look it up."""
        return f"ILAB TVPRA {self.edition}, row {self.row}"

    @property
    def source_id(self) -> str:
        """Name the manifest entry this listing comes from."""
        return f"ilab-tvpra-{self.edition}"


@dataclass(frozen=True, slots=True)
class Country:
    """An ISO 3166-1 country (plus Kosovo, XKX)."""

    iso2: str
    iso3: str
    numeric: str
    name_en: str
    name_fr: str
    official_en: str
    official_fr: str
    region: str
    sub_region: str


@dataclass(frozen=True, slots=True)
class CountryAlias:
    """Another way to write a country's name."""

    iso3: str
    alias: str
    lang: str
    kind: str


@dataclass(frozen=True, slots=True)
class CountrySubdivision:
    """A name of a country's state, province or region (ISO 3166-2, first level)."""

    iso3: str
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class TipPlacement:
    """A country's tier in the U.S. Trafficking in Persons report."""

    iso3: str
    country_as_published: str
    tier: str
    report_year: int


@dataclass(frozen=True, slots=True)
class ChildLabourFindings:
    """ILAB Findings on the Worst Forms of Child Labor indicators for one country."""

    iso3: str
    country_as_published: str
    advancement_level: str
    advancement_rank: str
    complicit_in_forced_child_labour: bool
    working_children_age_range: str
    working_children_pct: float | None
    c138_ratified: bool | None
    c182_ratified: bool | None
    palermo_ratified: bool | None


@dataclass(frozen=True, slots=True)
class SlaveryEstimate:
    """Walk Free Global Slavery Index figures for one country (optional, non-open licence)."""

    iso3: str
    country_as_published: str
    prevalence_per_1000: float | None
    people_in_modern_slavery: int | None
    vulnerability_score: float | None
    government_response_score: float | None


@dataclass(frozen=True, slots=True)
class EnforcementEntity:
    """A company, facility or vessel named on an enforcement list."""

    entity_id: str
    list: str
    name: str
    aliases: tuple[str, ...]
    country_iso3: str
    industry: str
    effective_date: date | None
    action_type: str
    basis: str
    source_row: int


@dataclass(frozen=True, slots=True)
class ProductPlaceRule:
    """An enforcement entry that names merchandise from a place rather than a company."""

    rule_id: str
    list: str
    good_id: str
    country_iso3: str
    area: str
    description: str
    effective_date: date | None
    action_type: str
    source_row: int


@dataclass(frozen=True)
class ReferenceData:
    """Every curated dataset of one reference-data version, with look-up indexes."""

    release: str
    version: str
    sources: tuple[Source, ...]
    goods: Mapping[str, Good]
    editions: Mapping[int, tuple[Listing, ...]]
    countries: Mapping[str, Country]
    country_aliases: tuple[CountryAlias, ...]
    tip: Mapping[str, TipPlacement]
    findings: Mapping[str, ChildLabourFindings]
    entities: tuple[EnforcementEntity, ...]
    rules: tuple[ProductPlaceRule, ...]
    slavery_estimates: Mapping[str, SlaveryEstimate] = field(default_factory=dict)
    country_subdivisions: tuple[CountrySubdivision, ...] = ()

    @property
    def latest_edition(self) -> int:
        """Return the newest ILAB edition year."""
        return max(self.editions)

    def listed_goods(self, edition: int | None = None) -> list[Good]:
        """Return the goods that appear in an edition (the latest by default), sorted by name."""
        year = self.latest_edition if edition is None else edition
        ids = {listing.good_id for listing in self.editions[year]}
        return sorted((self.goods[i] for i in ids), key=lambda g: g.name.casefold())

    def listings_for_good(self, good_id: str, edition: int | None = None) -> tuple[Listing, ...]:
        """Return an edition's listings of one good."""
        year = self.latest_edition if edition is None else edition
        return self._listings_by_good.get((year, good_id), ())

    def broader_goods(self, good_id: str) -> tuple[Good, ...]:
        """Return every listed good a good is a kind of, nearest first (transitively)."""
        return self._broader_goods.get(good_id, ())

    def listings_for_country(self, iso3: str, edition: int | None = None) -> tuple[Listing, ...]:
        """Return an edition's listings in one country."""
        year = self.latest_edition if edition is None else edition
        return self._listings_by_country.get((year, iso3), ())

    def entities_in(self, iso3: str) -> tuple[EnforcementEntity, ...]:
        """Return the enforcement entities located in one country."""
        return tuple(e for e in self.entities if e.country_iso3 == iso3)

    def rules_in(self, iso3: str) -> tuple[ProductPlaceRule, ...]:
        """Return the product-place rules for one country."""
        return tuple(r for r in self.rules if r.country_iso3 == iso3)

    def source(self, source_id: str) -> Source:
        """Return one manifest entry by id."""
        for source in self.sources:
            if source.id == source_id:
                return source
        raise KeyError(source_id)

    @cached_property
    def _listings_by_good(self) -> dict[tuple[int, str], tuple[Listing, ...]]:
        index: dict[tuple[int, str], list[Listing]] = {}
        for year, listings in self.editions.items():
            for listing in listings:
                index.setdefault((year, listing.good_id), []).append(listing)
        return {key: tuple(value) for key, value in index.items()}

    @cached_property
    def _broader_goods(self) -> dict[str, tuple[Good, ...]]:
        # Breadth first, so a direct kind-of comes before one reached through it ("Miraa" is
        # Khat/Miraa before it is Khat). Validation rules out cycles; `seen` guards anyway.
        index: dict[str, tuple[Good, ...]] = {}
        for good in self.goods.values():
            if not good.broader:
                continue
            seen: list[str] = []
            queue = list(good.broader)
            while queue:
                current = queue.pop(0)
                if current in seen or current == good.id or current not in self.goods:
                    continue
                seen.append(current)
                queue.extend(self.goods[current].broader)
            index[good.id] = tuple(self.goods[i] for i in seen)
        return index

    @cached_property
    def _listings_by_country(self) -> dict[tuple[int, str], tuple[Listing, ...]]:
        index: dict[tuple[int, str], list[Listing]] = {}
        for year, listings in self.editions.items():
            for listing in listings:
                index.setdefault((year, listing.country_iso3), []).append(listing)
        return {key: tuple(value) for key, value in index.items()}
