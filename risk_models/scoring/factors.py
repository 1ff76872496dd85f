"""Exposure factors: one function per reason for points. The docstring is the explanation."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

from reference_data import Good, Listing, ReferenceData
from risk_models.scoring.profile import ScoringConfig
from risk_models.scoring.types import DIMENSIONS, Dimension, Factor, LineEvidence, SourceRef


@dataclass(frozen=True)
class Context:
    """Everything a factor may look at for one line."""

    evidence: LineEvidence
    reference: ReferenceData
    config: ScoringConfig

    @property
    def goods(self) -> list[Good]:
        return [
            self.reference.goods[i] for i in self.evidence.good_ids if i in self.reference.goods
        ]

    def country_name(self) -> str:
        iso3 = self.evidence.country_iso3
        country = self.reference.countries.get(iso3 or "")
        return country.name_en if country else str(iso3)

    def pair(self, good_id: str, iso3: str | None) -> Listing | None:
        if iso3 is None:
            return None
        for listing in self.reference.listings_for_good(good_id):
            if listing.country_iso3 == iso3:
                return listing
        return None

    def family(self, good: Good) -> tuple[Good, ...]:
        """Return the good, then the listed goods it is a kind of, nearest first."""
        return (good, *self.reference.broader_goods(good.id))

    def family_pair(
        self, good: Good, iso3: str | None, applies: Callable[[Listing], bool]
    ) -> tuple[Good, Listing] | None:
        """Return the good's own listing for the country if it applies, else a broader good's."""
        for member in self.family(good):
            listing = self.pair(member.id, iso3)
            if listing is not None and applies(listing):
                return member, listing
        return None


def listing_source(listing: Listing) -> SourceRef:
    return SourceRef(listing.source_id, str(listing.edition), f"row {listing.row}")


def _kind_of(good: Good, listed: Good) -> str:
    """Say which broader good a listing belongs to, or nothing for the good's own listing."""
    return "" if listed.id == good.id else f"{good.name} is a kind of {listed.name}; "


@dataclass(frozen=True)
class PairFlag:
    """One flag of an ILAB listing, the factor it gives and the dimensions it adds to."""

    kind: str
    applies: Callable[[Listing], bool]
    weight: str
    wording: str
    dimensions: tuple[Dimension, ...]


PAIR_FLAGS = (
    PairFlag("listed_pair_forced_labour", lambda item: item.forced_labour, "pair_forced_labour",
             "forced labour", ("forced_labour",)),
    PairFlag("listed_pair_child_labour", lambda item: item.child_labour, "pair_child_labour",
             "child labour", ("child_labour",)),
    PairFlag("listed_pair_forced_child_labour", lambda item: item.forced_child_labour,
             "pair_forced_child_labour", "forced child labour", DIMENSIONS),
)  # fmt: skip


def listed_pair(ctx: Context) -> Iterator[Factor]:
    """The good (or one it is a kind of) is on the ILAB list here: strongest product evidence."""
    iso3 = ctx.evidence.country_iso3
    # One factor per flag and good: its own listing if it has the flag, else the nearest
    # broader good's. Own listings come first, so that a listing two goods of the line reach
    # (Bricks, and Bricks (clay) through it) counts once, as the good's own.
    hits = [
        (flag, good, *hit)
        for good in ctx.goods
        for flag in PAIR_FLAGS
        if (hit := ctx.family_pair(good, iso3, flag.applies)) is not None
    ]
    hits.sort(key=lambda h: h[2] is not h[1])
    counted: set[tuple[str, Listing]] = set()
    for flag, good, listed, listing in hits:
        if (flag.kind, listing) in counted:
            continue
        counted.add((flag.kind, listing))
        detail = (
            f"{_kind_of(good, listed)}{listed.name} from {ctx.country_name()} is on the ILAB "
            f"list for {flag.wording} ({listing.citation})."
        )
        for dimension in flag.dimensions:
            yield Factor(
                flag.kind,
                dimension,
                ctx.config.weight(flag.weight),
                detail,
                listing_source(listing),
            )


def listed_downstream(ctx: Context) -> Iterator[Factor]:
    """ILAB lists the good (or one it is a kind of) from here as made with listed inputs."""
    counted: set[tuple[Dimension, Listing]] = set()
    for good in ctx.goods:
        for dimension in DIMENSIONS:
            hit = ctx.family_pair(
                good,
                ctx.evidence.country_iso3,
                partial(_downstream_for, ctx, dimension),
            )
            if hit is None or (dimension, hit[1]) in counted:
                continue
            listed, listing = hit
            counted.add((dimension, listing))
            input_good = ctx.reference.goods.get(listing.input_good_id or "")
            input_country = ctx.reference.countries.get(listing.input_country_iso3 or "")
            input_name = input_good.name if input_good else "a listed input"
            origin = f" from {input_country.name_en}" if input_country else ""
            yield Factor(
                "listed_pair_downstream",
                dimension,
                ctx.config.weight("pair_downstream"),
                f"{_kind_of(good, listed)}ILAB lists {listed.name} from {ctx.country_name()} as "
                f"made with {input_name}{origin} produced with {dimension.replace('_', ' ')} "
                f"({listing.citation}).",
                listing_source(listing),
            )


def _downstream_for(ctx: Context, dimension: Dimension, listing: Listing) -> bool:
    """Whether a downstream row's input is listed for the dimension (or cannot be found)."""
    if not listing.downstream:
        return False
    upstream = ctx.pair(listing.input_good_id or "", listing.input_country_iso3)
    if upstream is None:
        return True
    return upstream.forced_labour if dimension == "forced_labour" else upstream.child_labour


def listed_elsewhere(ctx: Context) -> Iterator[Factor]:
    """The good (or one it is a kind of) is listed for other countries: inherent product risk."""
    iso3 = ctx.evidence.country_iso3
    weight = ctx.config.weight(
        "listed_elsewhere_unknown_origin" if iso3 is None else "listed_elsewhere_known_origin"
    )
    for good in ctx.goods:
        family = ctx.family(good)
        if any(ctx.pair(member.id, iso3) is not None for member in family):
            continue
        for dimension in DIMENSIONS:
            flagged = [
                (member, item)
                for member in family
                for item in ctx.reference.listings_for_good(member.id)
                if _flag(item, dimension)
            ]
            if not flagged:
                continue
            origin = (
                "the origin is unknown"
                if iso3 is None
                else f"{ctx.country_name()} is not among them"
            )
            rows = [item for _, item in flagged]
            yield Factor(
                "listed_elsewhere",
                dimension,
                weight,
                f"{_listed_in(good, flagged, dimension)}; {origin}.",
                SourceRef(
                    rows[0].source_id,
                    str(rows[0].edition),
                    "rows " + ", ".join(str(item.row) for item in rows[:10]),
                ),
            )


def _listed_in(good: Good, flagged: list[tuple[Good, Listing]], dimension: str) -> str:
    """Say where a good and the broader goods it is a kind of are listed for a dimension."""
    wording = dimension.replace("_", " ")
    parts: list[str] = []
    broader = 0
    for member in dict.fromkeys(m for m, _ in flagged):
        names = sorted({item.country_as_published for m, item in flagged if m is member})
        shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        if member is good:
            parts.append(f"{good.name} is listed for {wording} in {shown}")
            continue
        if parts:
            also = "also " if broader else ""
            parts.append(f"{member.name}, which it is {also}a kind of, in {shown}")
        else:
            parts.append(
                f"{good.name} is a kind of {member.name}, which is listed for {wording} in {shown}"
            )
        broader += 1
    return "; ".join(parts)


def listed_input(ctx: Context) -> Iterator[Factor]:
    """The product is typically made from a listed good: indirect (tier-2 and beyond) exposure."""
    w = ctx.config.weight
    iso3 = ctx.evidence.country_iso3
    inputs: dict[str, str] = {}
    for good in ctx.goods:
        for input_id in good.inputs:
            inputs.setdefault(input_id, good.name)
    for input_id in ctx.evidence.derived_inputs:
        inputs.setdefault(input_id, "the product")
    # A broader good of an input stands in for it, unless the line already counts that good.
    counted = set(inputs) | set(ctx.evidence.good_ids)
    for dimension in DIMENSIONS:
        budget = w("input_cap")
        for input_id, product in sorted(inputs.items()):
            input_good = ctx.reference.goods.get(input_id)
            if input_good is None or budget <= 0:
                continue
            family = [input_good] + [
                g for g in ctx.reference.broader_goods(input_id) if g.id not in counted
            ]
            wording = dimension.replace("_", " ")
            same = next(
                (
                    (member, listing)
                    for member in family
                    for listing in [ctx.pair(member.id, iso3)]
                    if listing is not None and _flag(listing, dimension)
                ),
                None,
            )
            if same is not None:
                member, listing = same
                points = min(budget, w("input_same_country"))
                named = input_good.name
                if member is not input_good:
                    named += f", a kind of {member.name}"
                detail = (
                    f"{product} is typically made from {named}, which is listed for {wording} "
                    f"in {ctx.country_name()} ({listing.citation})."
                )
                source = listing_source(listing)
            else:
                flagged = [
                    (member, item)
                    for member in family
                    for item in ctx.reference.listings_for_good(member.id)
                    if _flag(item, dimension)
                ]
                if not flagged:
                    continue
                points = min(budget, w("input_elsewhere"))
                countries = sorted({item.country_as_published for _, item in flagged})
                broader = list(dict.fromkeys(m.name for m, _ in flagged if m is not input_good))
                subject = (
                    f"{input_good.name}, listed"
                    if not broader
                    else f"{input_good.name}, a kind of {' and '.join(broader)}; these are listed"
                )
                detail = (
                    f"{product} is typically made from {subject} for {wording} in "
                    f"{len(countries)} countr{'y' if len(countries) == 1 else 'ies'} "
                    f"(e.g. {', '.join(countries[:3])}); the input's origin is unknown."
                )
                rows = [item for _, item in flagged]
                source = SourceRef(
                    rows[0].source_id,
                    str(rows[0].edition),
                    "rows " + ", ".join(str(i.row) for i in rows[:10]),
                )
            budget -= points
            yield Factor("listed_input", dimension, points, detail, source)


def tip_tier(ctx: Context) -> Iterator[Factor]:
    """The country's tier in the U.S. Trafficking in Persons report."""
    placement = ctx.reference.tip.get(ctx.evidence.country_iso3 or "")
    if placement is None:
        return
    key = {
        "Tier 3": "tip_tier_3",
        "Tier 2 Watch List": "tip_tier_2_watch_list",
        "Tier 2": "tip_tier_2",
    }.get(placement.tier)
    if key is None:
        return
    yield Factor(
        "tip_tier",
        "forced_labour",
        ctx.config.weight(key),
        f"{ctx.country_name()} is placed on {placement.tier} of the {placement.report_year} "
        "Trafficking in Persons report.",
        SourceRef(
            f"us-tip-{placement.report_year}",
            str(placement.report_year),
            placement.country_as_published,
        ),
    )


def _findings_source(ctx: Context, column: str) -> SourceRef:
    finding = ctx.reference.findings[ctx.evidence.country_iso3 or ""]
    return SourceRef("ilab-findings-2022", "2022", f"{finding.country_as_published}: {column}")


def ilab_advancement(ctx: Context) -> Iterator[Factor]:
    """ILAB's assessment of the government's advancement against the worst forms of child labour."""
    finding = ctx.reference.findings.get(ctx.evidence.country_iso3 or "")
    if finding is None or not finding.advancement_rank:
        return
    key = {
        "none": "advancement_none",
        "minimal": "advancement_minimal",
        "moderate": "advancement_moderate",
    }.get(finding.advancement_rank)
    if key is None:
        return
    yield Factor(
        "ilab_advancement",
        "child_labour",
        ctx.config.weight(key),
        f"ILAB found {finding.advancement_level} in {ctx.country_name()} in 2022.",
        _findings_source(ctx, "advancement level"),
    )


def complicit_forced_child_labour(ctx: Context) -> Iterator[Factor]:
    """ILAB found the government complicit in the use of forced child labour."""
    finding = ctx.reference.findings.get(ctx.evidence.country_iso3 or "")
    if finding is None or not finding.complicit_in_forced_child_labour:
        return
    for dimension in DIMENSIONS:
        yield Factor(
            "complicit_forced_child_labour",
            dimension,
            ctx.config.weight("complicit_in_forced_child_labour"),
            f"ILAB found the government of {ctx.country_name()} complicit in forced child labour.",
            _findings_source(ctx, "advancement level"),
        )


def working_children(ctx: Context) -> Iterator[Factor]:
    """The share of children who work in the country, as ILAB reports it."""
    finding = ctx.reference.findings.get(ctx.evidence.country_iso3 or "")
    if finding is None or not finding.working_children_pct:
        return
    percent = finding.working_children_pct * 100
    points = min(
        ctx.config.weight("working_children_cap"),
        round(percent * ctx.config.weight("working_children_per_point"), 1),
    )
    yield Factor(
        "working_children",
        "child_labour",
        points,
        f"{percent:.1f}% of children aged {finding.working_children_age_range} work in "
        f"{ctx.country_name()}.",
        _findings_source(ctx, "working children"),
    )


def missing_ratifications(ctx: Context) -> Iterator[Factor]:
    """The country has not ratified a core convention against child labour or trafficking."""
    finding = ctx.reference.findings.get(ctx.evidence.country_iso3 or "")
    if finding is None:
        return
    checks: tuple[tuple[bool | None, str, Dimension, str], ...] = (
        (finding.c138_ratified, "c138_not_ratified", "child_labour", "ILO C138 (Minimum Age)"),
        (
            finding.c182_ratified,
            "c182_not_ratified",
            "child_labour",
            "ILO C182 (Worst Forms of Child Labour)",
        ),
        (
            finding.palermo_ratified,
            "palermo_not_ratified",
            "forced_labour",
            "the UN Palermo Protocol on trafficking",
        ),
    )
    for ratified, key, dimension, convention in checks:
        if ratified is False:
            yield Factor(
                "missing_ratification",
                dimension,
                ctx.config.weight(key),
                f"{ctx.country_name()} has not ratified {convention}.",
                _findings_source(ctx, key.removesuffix("_not_ratified") + " ratified"),
            )


def enforcement_entity(ctx: Context) -> Iterator[Factor]:
    """The supplier is named on a customs enforcement list (WRO, Finding or UFLPA Entity List)."""
    entities = {e.entity_id: e for e in ctx.reference.entities}
    for hit in ctx.evidence.entity_hits:
        entity = entities.get(hit.entity_id)
        if entity is None or hit.decision == "missing":
            continue
        when = f" effective {entity.effective_date.isoformat()}" if entity.effective_date else ""
        source = SourceRef(_list_source(entity.list), entity.action_type, entity.entity_id)
        if hit.decision == "accepted":
            yield Factor(
                "enforcement_entity",
                "forced_labour",
                ctx.config.weight("enforcement_entity"),
                f"The supplier matches {entity.name} ({entity.action_type}{when}): goods from it "
                "may be detained at the U.S. border.",
                source,
            )
        else:
            yield Factor(
                "enforcement_review_hit",
                "forced_labour",
                ctx.config.weight("enforcement_review_hit"),
                f"The supplier may be {entity.name} ({entity.action_type}{when}); "
                "a person must confirm or reject the match.",
                source,
            )


def product_place_rule(ctx: Context) -> Iterator[Factor]:
    """An enforcement order names this product from this place."""
    iso3 = ctx.evidence.country_iso3
    goods = set(ctx.evidence.good_ids) | set(ctx.evidence.derived_inputs)
    for good in ctx.goods:
        goods |= set(good.inputs)
    for rule in ctx.reference.rules:
        if rule.country_iso3 != iso3 or rule.good_id not in goods:
            continue
        when = (
            f" ({rule.action_type}, effective {rule.effective_date.isoformat()})"
            if rule.effective_date
            else ""
        )
        area = f" ({rule.area})" if rule.area else ""
        yield Factor(
            "product_place_rule",
            "forced_labour",
            ctx.config.weight("product_place_rule"),
            f"CBP enforcement covers {ctx.reference.goods[rule.good_id].name} from "
            f'{ctx.country_name()}{area}{when}: "{rule.description}"',
            SourceRef(_list_source(rule.list), rule.action_type, rule.rule_id),
        )


def _list_source(list_id: str) -> str:
    return {"cbp-wro": "cbp-wro-findings", "uflpa": "uflpa-entity-list-partial"}.get(
        list_id, list_id
    )


def _flag(listing: Listing, dimension: str) -> bool:
    if dimension == "forced_labour":
        return listing.forced_labour or listing.forced_child_labour
    return listing.child_labour or listing.forced_child_labour
