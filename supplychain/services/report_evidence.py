"""The evidence a report states, built from its assessments' stored summaries.

`build_evidence` turns the summaries that the pipeline wrote when each assessment finished
(`Assessment.summary`, see `supplychain.services.pipeline`) into the reporting core's
`EvidenceSummary`: counts, the countries, goods and sectors with High or Critical lines, the
share of lines by band, the share with insufficient data, the model and the sources. It never
reads the lines themselves; the only other reads are the assessment's distinct scores (for
the sources their factors cite, a few thousand rows at most) and, for a report drawing on
several assessments, the distinct supplier names (so a supplier in two lists counts once).

Shares are of lines (`weighting="lines"`): the summary keeps the lines in each band for the
higher of a line's two bands, which is what the report charts; a spend weighting of that band
is not kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

import sqlalchemy as sa

from reference_data import ReferenceData, Source, normalise_name
from supplychain.errors import Conflict
from supplychain.extensions import db
from supplychain.models.assessments import Assessment, AssessmentLine, AssessmentScore
from supplychain.reporting.model import (
    BANDS,
    EvidenceSummary,
    ExposureRow,
    SourceEdition,
)
from supplychain.reporting.questionnaire import NAICS_SECTORS

# The NAICS sector of a good on the ILAB list; derived products (garments from cotton, ...)
# are manufactured. "Other" goods have no sector to name.
SECTOR_NAICS = {"Agriculture": "11", "Mining": "21", "Manufacturing": "31-33", "Derived": "31-33"}
_NAICS_LABELS = {o.value.removeprefix("naics_"): o for o in NAICS_SECTORS}
_BAND_RANK = {band: rank for rank, band in enumerate(BANDS)}


def _require_summary(assessment: Assessment) -> Mapping[str, Any]:
    if assessment.status != "done" or not assessment.summary:
        raise Conflict(
            f"Assessment {assessment.id} is {assessment.status}: a report draws on finished "
            "assessments only. Wait for it to finish, or choose another."
        )
    return assessment.summary


def _french_good_name(reference: ReferenceData, good_id: str) -> str:
    good = reference.goods.get(good_id)
    if good is None or not good.aliases_fr:
        return ""
    name = good.aliases_fr[0]
    return name[:1].upper() + name[1:]


def country_rows(summary: Mapping[str, Any], reference: ReferenceData) -> list[ExposureRow]:
    """Return the countries of origin with High or Critical lines, and how many."""
    rows = []
    for item in summary.get("by_country", []):
        iso3, high = item.get("iso3"), int(item.get("high", 0))
        if not iso3 or high <= 0:
            continue
        country = reference.countries.get(iso3)
        rows.append(
            ExposureRow(
                key=iso3,
                label=country.name_en if country else str(item.get("name") or iso3),
                band=str(item["band"]),
                lines=high,
                label_fr=country.name_fr if country else "",
            )
        )
    return rows


def good_rows(summary: Mapping[str, Any], reference: ReferenceData) -> list[ExposureRow]:
    """Return the goods with High or Critical lines, and how many."""
    rows = []
    for item in summary.get("by_good", []):
        good_id, high = item.get("id"), int(item.get("high", 0))
        if not good_id or high <= 0:
            continue
        good = reference.goods.get(good_id)
        rows.append(
            ExposureRow(
                key=good_id,
                label=good.name if good else str(item.get("name") or good_id),
                band=str(item["band"]),
                lines=high,
                label_fr=_french_good_name(reference, good_id),
            )
        )
    return rows


def sector_rows(goods: Iterable[ExposureRow], reference: ReferenceData) -> list[ExposureRow]:
    """Roll the goods at risk up to their NAICS sectors (each line has one good)."""
    by_sector: dict[str, tuple[str, int]] = {}
    for row in goods:
        good = reference.goods.get(row.key)
        code = SECTOR_NAICS.get(good.sector) if good else None
        if code is None:
            continue
        band, lines = by_sector.get(code, ("Low", 0))
        by_sector[code] = (max(band, row.band, key=_BAND_RANK.__getitem__), lines + row.lines)
    return [
        ExposureRow(code, _NAICS_LABELS[code].en, band, lines, _NAICS_LABELS[code].fr)
        for code, (band, lines) in by_sector.items()
    ]


def cited_sources(assessment_ids: Sequence[int]) -> list[tuple[str, str]]:
    """Return the (dataset, edition) pairs the assessments' distinct scores cite."""
    cited: dict[tuple[str, str], None] = {}
    query = sa.select(AssessmentScore.factors).where(
        AssessmentScore.assessment_id.in_(assessment_ids)
    )
    for factors in db.session.scalars(query):
        for factor in factors:
            source = factor.get("source")
            if source:
                cited[(str(source["dataset"]), str(source["edition"]))] = None
    return list(cited)


def _edition(source: Source) -> str:
    """Return an edition that reads the same in every language."""
    return source.edition if " " not in source.edition.strip() else source.published


def source_editions(
    cited: Iterable[tuple[str, str]], reference: ReferenceData, reference_versions: set[str]
) -> tuple[SourceEdition, ...]:
    """Describe the cited datasets from the manifest, in manifest order.

    The manifest's edition is used when the assessments ran on the reference data in use;
    otherwise the edition the factor recorded, which is what that run used. An edition the
    manifest writes as a phrase ("FY2026 (to 2026-01-29)") is given as its publication date
    instead: the report prints editions in English and French alike.
    """
    current = reference_versions == {reference.version}
    order = {source.id: index for index, source in enumerate(reference.sources)}
    editions: dict[str, SourceEdition] = {}
    for dataset, edition in cited:
        if dataset in editions:
            continue
        known = next((s for s in reference.sources if s.id == dataset), None)
        editions[dataset] = SourceEdition(
            id=dataset,
            title=known.title if known else dataset,
            publisher=known.publisher if known else "",
            edition=_edition(known) if known and current else edition,
        )
    return tuple(sorted(editions.values(), key=lambda s: (order.get(s.id, len(order)), s.id)))


def summary_evidence(
    assessment: Assessment,
    summary: Mapping[str, Any],
    reference: ReferenceData,
    sources: tuple[SourceEdition, ...] = (),
) -> EvidenceSummary:
    """Describe one assessment from a summary (stored, or computed afresh by a caller)."""
    lines = int(summary.get("lines", 0))
    by_band = summary.get("lines_by_band") or {}
    goods = good_rows(summary, reference)
    return EvidenceSummary(
        assessment_id=assessment.id,
        lines=lines,
        suppliers=int(summary.get("suppliers", 0)),
        countries=int(summary.get("countries", 0)),
        goods=int(summary.get("goods", 0)),
        risk_countries=tuple(country_rows(summary, reference)),
        risk_goods=tuple(goods),
        risk_sectors=tuple(sector_rows(goods, reference)),
        share_by_band={b: int(by_band.get(b, 0)) / lines for b in BANDS} if lines else {},
        insufficient_data_share=(
            int(summary.get("insufficient_data_lines", 0)) / lines if lines else 0.0
        ),
        weighting="lines",
        model=assessment.model_name,
        profile=assessment.model_profile,
        reference_version=assessment.reference_version,
        sources=sources,
    )


def _merge_rows(groups: Iterable[Iterable[ExposureRow]]) -> tuple[ExposureRow, ...]:
    merged: dict[str, ExposureRow] = {}
    for rows in groups:
        for row in rows:
            seen = merged.get(row.key)
            if seen is None:
                merged[row.key] = row
            else:
                band = max(seen.band, row.band, key=_BAND_RANK.__getitem__)
                merged[row.key] = ExposureRow(
                    row.key, seen.label, band, seen.lines + row.lines, seen.label_fr
                )
    return tuple(merged.values())


def _distinct_suppliers(assessment_ids: Sequence[int]) -> int:
    """Count suppliers across assessments as the pipeline does: by normalised name."""
    query = (
        sa.select(AssessmentLine.supplier_name)
        .where(AssessmentLine.assessment_id.in_(assessment_ids))
        .distinct()
    )
    return len(
        {key for name in db.session.scalars(query) if name and (key := normalise_name(name))}
    )


def _joined(values: Iterable[str]) -> str:
    return ", ".join(dict.fromkeys(v for v in values if v))


def combine(parts: Sequence[EvidenceSummary], suppliers: int) -> EvidenceSummary:
    """Add up the evidence of several assessments (countries and goods counted once)."""
    lines = sum(p.lines for p in parts)
    band_lines = {b: sum(p.share_by_band.get(b, 0.0) * p.lines for p in parts) for b in BANDS}
    insufficient = sum(p.insufficient_data_share * p.lines for p in parts)
    return EvidenceSummary(
        assessment_id=", ".join(str(p.assessment_id) for p in parts),
        lines=lines,
        suppliers=suppliers,
        countries=0,  # `build_evidence` counts the union of countries and goods
        goods=0,
        risk_countries=_merge_rows(p.risk_countries for p in parts),
        risk_goods=_merge_rows(p.risk_goods for p in parts),
        risk_sectors=_merge_rows(p.risk_sectors for p in parts),
        share_by_band={b: round(band_lines[b] / lines, 6) for b in BANDS} if lines else {},
        insufficient_data_share=round(insufficient / lines, 6) if lines else 0.0,
        weighting="lines",
        model=_joined(p.model for p in parts),
        profile=_joined(p.profile for p in parts),
        reference_version=_joined(p.reference_version for p in parts),
        sources=tuple({s.id: s for p in parts for s in p.sources}.values()),
    )


def build_evidence(
    assessments: Sequence[Assessment], reference: ReferenceData
) -> EvidenceSummary | None:
    """Build the evidence of a report from its assessments' stored summaries (None: none)."""
    if not assessments:
        return None
    summaries = [_require_summary(a) for a in assessments]
    ids = [a.id for a in assessments]
    sources = source_editions(
        cited_sources(ids), reference, {a.reference_version for a in assessments}
    )
    parts = [
        summary_evidence(a, summary, reference, sources)
        for a, summary in zip(assessments, summaries, strict=True)
    ]
    if len(parts) == 1:
        return parts[0]
    combined = combine(parts, _distinct_suppliers(ids))
    countries = {c.get("iso3") for s in summaries for c in s.get("by_country", []) if c.get("iso3")}
    goods = {g.get("id") for s in summaries for g in s.get("by_good", []) if g.get("id")}
    return replace(combined, countries=len(countries), goods=len(goods))
