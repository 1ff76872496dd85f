"""Look-ups and filters over the reference data, shared by the public pages and the API."""

from __future__ import annotations

import re
from dataclasses import dataclass

from reference_data import (
    DATA_DIR,
    ChildLabourFindings,
    Country,
    CountryAlias,
    EnforcementEntity,
    Good,
    Listing,
    ProductPlaceRule,
    ReferenceData,
    SlaveryEstimate,
    Source,
    TipPlacement,
    normalise_name,
)
from reference_data.loader import FileReader, read_sources
from supplychain.errors import InvalidInput, NotFound

# Flag slug (used in URLs and the API) -> the Listing attribute that carries it.
FLAG_FIELDS: dict[str, str] = {
    "child-labour": "child_labour",
    "forced-labour": "forced_labour",
    "forced-child-labour": "forced_child_labour",
    "downstream": "downstream",
}
FLAG_LABELS: dict[str, str] = {
    "child-labour": "Child labour",
    "forced-labour": "Forced labour",
    "forced-child-labour": "Forced child labour",
    "downstream": "Downstream (made with listed inputs)",
}
KINDS = ("good", "derived")
DERIVED_NOTE = "Not on the ILAB list; made from listed inputs."
TRUST_MEANINGS: dict[str, str] = {
    "A": "Official source, unchanged",
    "B": "Official source, via a reputable third party",
    "C": "Third-party transcription",
    "D": "Partial or possibly wrong",
}
WALKFREE_SOURCE_ID = "walkfree-gsi-2023"
VERSION_RULE = (
    "The version is the curated release (YYYY.MM.N), a plus sign, and the first 8 hexadecimal "
    "digits of the SHA-256 of every loaded source's checksum, sorted and concatenated. Any "
    "change to any data file, an imported edition or an optional layer changes it."
)
_HS_QUERY = re.compile(r"^\d{2,6}$")


def listing_flags(listing: Listing) -> tuple[str, ...]:
    """Return the flag slugs set on one listing, in a fixed order."""
    return tuple(flag for flag, attr in FLAG_FIELDS.items() if getattr(listing, attr))


def flags_of(listings: tuple[Listing, ...] | list[Listing]) -> tuple[str, ...]:
    """Return the union of the flags of several listings, in a fixed order."""
    found = {flag for listing in listings for flag in listing_flags(listing)}
    return tuple(flag for flag in FLAG_FIELDS if flag in found)


def trust_meaning(trust: str) -> str:
    """Say in words what a manifest trust level means."""
    return TRUST_MEANINGS.get(trust, "Unknown trust level")


def resolve_edition(ref: ReferenceData, edition: int | None) -> int:
    """Return the requested ILAB edition year, or the latest; refuse years we do not have."""
    if edition is None:
        return ref.latest_edition
    if edition not in ref.editions:
        years = ", ".join(str(year) for year in ref.editions)
        raise InvalidInput(
            f"There is no {edition} edition of the ILAB list here; choose one of {years}.",
            errors={"edition": [f"Must be one of {years}."]},
        )
    return edition


def sectors(ref: ReferenceData) -> list[str]:
    """Return the sectors of the listed goods, sorted."""
    return sorted({g.sector for g in ref.goods.values() if g.kind == "good" and g.sector})


def regions(ref: ReferenceData) -> list[str]:
    """Return the UN M49 regions that countries belong to, sorted."""
    return sorted({c.region for c in ref.countries.values() if c.region})


def country_name(ref: ReferenceData, iso3: str | None) -> str:
    """Return a country's English short name, or the code when it is unknown."""
    if not iso3:
        return ""
    country = ref.countries.get(iso3)
    return country.name_en if country else iso3


def manifest_sources(ref: ReferenceData) -> list[tuple[Source, bool]]:
    """Return every source with whether it is loaded: optional layers that are off come last."""
    _, shipped = read_sources(FileReader(DATA_DIR))
    loaded = {source.id for source in ref.sources}
    return [(source, True) for source in ref.sources] + [
        (source, False) for source in shipped if source.id not in loaded
    ]


# Goods


@dataclass(frozen=True)
class GoodSummary:
    """One row of the goods list: a good with its listings in the chosen edition."""

    good: Good
    edition: int | None  # None for derived products, which are on no edition
    listings: tuple[Listing, ...]

    @property
    def countries(self) -> tuple[str, ...]:
        """Return the ISO3 codes the good is listed for, sorted."""
        return tuple(sorted({listing.country_iso3 for listing in self.listings}))

    @property
    def country_count(self) -> int:
        return len(self.countries)

    @property
    def flags(self) -> tuple[str, ...]:
        return flags_of(self.listings)


@dataclass(frozen=True)
class GoodResults:
    """The goods matching a search, and how many there were before filtering."""

    items: tuple[GoodSummary, ...]
    kind: str
    edition: int | None
    in_scope: int  # goods of this kind (and edition) before search and filters


def _search_terms(query: str | None) -> tuple[str, str]:
    """Split a query into its normalised text and, when it looks like an HS code, its digits."""
    if not query or not query.strip():
        return "", ""
    text = normalise_name(query)
    digits = re.sub(r"[\s.]", "", query)
    return text, digits if _HS_QUERY.match(digits) else ""


def good_matches(good: Good, query: str | None) -> bool:
    """Match a good by name, English or French alias (substring), or HS code prefix."""
    text, digits = _search_terms(query)
    if not text and not digits:
        return True
    if text and any(
        text in normalise_name(n) for n in (good.name, *good.aliases, *good.aliases_fr)
    ):
        return True
    # A heading (4 digits) covers its subheadings, so either code may be the prefix.
    return bool(digits) and any(
        code.startswith(digits) or digits.startswith(code) for code in good.hs
    )


def _validate_choice(name: str, value: str | None, allowed: tuple[str, ...]) -> None:
    if value is not None and value not in allowed:
        raise InvalidInput(
            f"Unknown {name} {value!r}; choose one of {', '.join(allowed)}.",
            errors={name: [f"Must be one of {', '.join(allowed)}."]},
        )


def search_goods(
    ref: ReferenceData,
    *,
    q: str | None = None,
    sector: str | None = None,
    flag: str | None = None,
    edition: int | None = None,
    kind: str = "good",
) -> GoodResults:
    """Find goods of an edition (or derived products) by text, sector and flag, sorted by name.

    Listed goods are those on the chosen edition (the latest by default). Derived products are
    on no edition, so they carry no listings and never match a flag filter.
    """
    _validate_choice("kind", kind, KINDS)
    _validate_choice("flag", flag, tuple(FLAG_FIELDS))
    if kind == "derived":
        year = None
        candidates = [g for g in ref.goods.values() if g.kind == "derived"]
    else:
        year = resolve_edition(ref, edition)
        candidates = ref.listed_goods(year)
    candidates.sort(key=lambda g: g.name.casefold())
    items = []
    for good in candidates:
        if sector and good.sector.casefold() != sector.casefold():
            continue
        if not good_matches(good, q):
            continue
        listings = ref.listings_for_good(good.id, year) if year is not None else ()
        summary = GoodSummary(good, year, listings)
        if flag and flag not in summary.flags:
            continue
        items.append(summary)
    return GoodResults(tuple(items), kind, year, len(candidates))


@dataclass(frozen=True)
class GoodDetail:
    """Everything known about one good or derived product."""

    good: Good
    listings: tuple[Listing, ...]  # every edition, newest first, then in row order
    names_as_published: dict[int, str]  # edition -> the name ILAB printed
    inputs: tuple[Good, ...]
    made_into: tuple[Good, ...]
    rules: tuple[ProductPlaceRule, ...]
    broader: tuple[Good, ...]  # listed goods it is a kind of, nearest first
    narrower: tuple[Good, ...]  # listed goods that are kinds of it

    @property
    def editions(self) -> tuple[int, ...]:
        """Return the editions the good appears in, newest first."""
        return tuple(sorted(self.names_as_published, reverse=True))

    @property
    def is_derived(self) -> bool:
        return self.good.kind == "derived"

    def listings_in(self, edition: int) -> tuple[Listing, ...]:
        """Return the listings of one edition."""
        return tuple(listing for listing in self.listings if listing.edition == edition)

    @property
    def downstream(self) -> tuple[Listing, ...]:
        """Return the listings that are downstream rows (made with a listed input)."""
        return tuple(listing for listing in self.listings if listing.downstream)


def get_good(ref: ReferenceData, good_id: str) -> Good:
    """Return a good or derived product by id, or raise NotFound."""
    good = ref.goods.get(good_id.strip().lower())
    if good is None:
        raise NotFound(f"There is no good or derived product with id {good_id!r}.")
    return good


def _by_name(goods: list[Good] | set[Good]) -> tuple[Good, ...]:
    return tuple(sorted(goods, key=lambda g: (g.kind != "good", g.name.casefold())))


def good_detail(ref: ReferenceData, good_id: str) -> GoodDetail:
    """Gather a good's listings in every edition, its inputs, what it is made into, the goods it
    is a kind of and that are kinds of it, and rules."""
    good = get_good(ref, good_id)
    listings: list[Listing] = []
    names: dict[int, str] = {}
    for year in sorted(ref.editions, reverse=True):
        rows = ref.listings_for_good(good.id, year)
        if rows:
            names[year] = rows[0].good_name
            listings.extend(rows)
    # Goods made from this one: the catalogue's input relations, plus ILAB's own downstream
    # rows naming it as the input.
    made_into = {g for g in ref.goods.values() if good.id in g.inputs}
    made_into |= {
        ref.goods[listing.good_id]
        for rows in ref.editions.values()
        for listing in rows
        if listing.input_good_id == good.id and listing.good_id in ref.goods
    }
    return GoodDetail(
        good=good,
        listings=tuple(listings),
        names_as_published=names,
        inputs=_by_name({ref.goods[i] for i in good.inputs if i in ref.goods}),
        made_into=_by_name(made_into),
        rules=tuple(r for r in ref.rules if r.good_id == good.id),
        broader=ref.broader_goods(good.id),
        narrower=_by_name([g for g in ref.goods.values() if good in ref.broader_goods(g.id)]),
    )


# Countries


@dataclass(frozen=True)
class CountrySummary:
    """One row of the countries list."""

    country: Country
    listed_goods: int  # distinct goods on the latest edition
    tip: TipPlacement | None
    findings: ChildLabourFindings | None
    enforcement_entries: int  # entities located there plus product-place rules

    @property
    def advancement_level(self) -> str:
        return self.findings.advancement_level if self.findings else ""

    @property
    def tip_tier(self) -> str | None:
        return self.tip.tier if self.tip else None

    @property
    def tip_report_year(self) -> int | None:
        return self.tip.report_year if self.tip else None


def _country_aliases(ref: ReferenceData) -> dict[str, list[str]]:
    aliases: dict[str, list[str]] = {}
    for alias in ref.country_aliases:
        aliases.setdefault(alias.iso3, []).append(alias.alias)
    return aliases


def country_matches(country: Country, query: str | None, aliases: list[str]) -> bool:
    """Match a country by code (exact) or by any of its names and aliases (substring)."""
    if not query or not query.strip():
        return True
    code = query.strip().upper()
    if code in (country.iso2, country.iso3, country.numeric):
        return True
    text = normalise_name(query)
    names = (country.name_en, country.name_fr, country.official_en, country.official_fr, *aliases)
    return bool(text) and any(text in normalise_name(name) for name in names if name)


def search_countries(
    ref: ReferenceData, *, q: str | None = None, region: str | None = None
) -> list[CountrySummary]:
    """Find countries by name, alias or code and by region, sorted by English name."""
    aliases = _country_aliases(ref)
    year = ref.latest_edition
    entries: dict[str, int] = {}
    for iso3 in [e.country_iso3 for e in ref.entities] + [r.country_iso3 for r in ref.rules]:
        entries[iso3] = entries.get(iso3, 0) + 1
    results = []
    for country in sorted(ref.countries.values(), key=lambda c: c.name_en.casefold()):
        if region and country.region.casefold() != region.casefold():
            continue
        if not country_matches(country, q, aliases.get(country.iso3, [])):
            continue
        listings = ref.listings_for_country(country.iso3, year)
        results.append(
            CountrySummary(
                country=country,
                listed_goods=len({listing.good_id for listing in listings}),
                tip=ref.tip.get(country.iso3),
                findings=ref.findings.get(country.iso3),
                enforcement_entries=entries.get(country.iso3, 0),
            )
        )
    return results


def get_country(ref: ReferenceData, iso3: str) -> Country:
    """Return a country by ISO alpha-3 code in any case, or raise NotFound."""
    country = ref.countries.get(iso3.strip().upper())
    if country is None:
        raise NotFound(f"There is no country with ISO 3166-1 alpha-3 code {iso3!r}.")
    return country


@dataclass(frozen=True)
class SlaveryLayer:
    """The optional Walk Free layer for one country: its source (licence) and figures."""

    source: Source
    estimate: SlaveryEstimate | None


@dataclass(frozen=True)
class CountryDetail:
    """Everything known about one country."""

    country: Country
    aliases: tuple[CountryAlias, ...]
    edition: int
    editions: tuple[int, ...]
    listings: tuple[Listing, ...]  # goods listed for the country in `edition`
    input_listings: tuple[Listing, ...]  # downstream rows elsewhere whose input comes from here
    tip: TipPlacement | None
    findings: ChildLabourFindings | None
    entities: tuple[EnforcementEntity, ...]
    rules: tuple[ProductPlaceRule, ...]
    slavery: SlaveryLayer | None  # None unless the optional layer is switched on


def slavery_source(ref: ReferenceData) -> Source | None:
    """Return the Walk Free source when its optional layer is loaded."""
    return next((s for s in ref.sources if s.id == WALKFREE_SOURCE_ID), None)


def country_detail(ref: ReferenceData, iso3: str, edition: int | None = None) -> CountryDetail:
    """Gather a country's listings, TIP tier, findings, enforcement entries and optional figures."""
    country = get_country(ref, iso3)
    year = resolve_edition(ref, edition)
    source = slavery_source(ref)
    return CountryDetail(
        country=country,
        aliases=tuple(a for a in ref.country_aliases if a.iso3 == country.iso3),
        edition=year,
        editions=tuple(sorted(ref.editions, reverse=True)),
        listings=ref.listings_for_country(country.iso3, year),
        input_listings=tuple(
            listing
            for listing in ref.editions[year]
            if listing.input_country_iso3 == country.iso3 and listing.country_iso3 != country.iso3
        ),
        tip=ref.tip.get(country.iso3),
        findings=ref.findings.get(country.iso3),
        entities=ref.entities_in(country.iso3),
        rules=ref.rules_in(country.iso3),
        slavery=SlaveryLayer(source, ref.slavery_estimates.get(country.iso3)) if source else None,
    )


# Enforcement lists


@dataclass(frozen=True)
class EnforcementList:
    """One enforcement list with the manifest entry that describes it."""

    id: str
    source: Source | None
    entities: tuple[EnforcementEntity, ...]

    @property
    def source_id(self) -> str:
        return self.source.id if self.source else ""

    @property
    def title(self) -> str:
        return self.source.title if self.source else self.id

    @property
    def trust(self) -> str:
        return self.source.trust if self.source else ""

    @property
    def trust_meaning(self) -> str:
        return trust_meaning(self.trust)

    @property
    def notes(self) -> str:
        return self.source.notes if self.source else ""

    @property
    def entity_count(self) -> int:
        return len(self.entities)


@dataclass(frozen=True)
class EnforcementOverview:
    """Every enforcement list and the product-place rules."""

    lists: tuple[EnforcementList, ...]
    rules: tuple[ProductPlaceRule, ...]
    rules_source: Source | None


def _source_with_file(ref: ReferenceData, relative: str) -> Source | None:
    return next((s for s in ref.sources if relative in s.files), None)


def enforcement_lists(ref: ReferenceData) -> EnforcementOverview:
    """Group the enforcement entities by list, each with its manifest entry (trust, caveats)."""
    by_list: dict[str, list[EnforcementEntity]] = {}
    for entity in ref.entities:
        by_list.setdefault(entity.list, []).append(entity)
    lists = tuple(
        EnforcementList(
            id=list_id,
            # Each list has its own file, named after the list id (SCHEMA.md).
            source=_source_with_file(ref, f"enforcement/{list_id.replace('-', '_')}_entities.csv"),
            entities=tuple(entities),
        )
        for list_id, entities in by_list.items()
    )
    return EnforcementOverview(
        lists=lists,
        rules=ref.rules,
        rules_source=_source_with_file(ref, "enforcement/product_place_rules.csv"),
    )
