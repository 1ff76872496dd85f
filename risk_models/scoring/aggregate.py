"""Roll line scores up per supplier and per portfolio, weighted by spend where it is given."""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from risk_models.scoring.profile import BANDS, ScoringConfig
from risk_models.scoring.types import DIMENSIONS, Dimension, LineScore


@dataclass(frozen=True, slots=True)
class ScoredLine:
    """A line's key (its row number), group (e.g. supplier), spend and score."""

    key: int
    group: str
    spend: float | None
    score: LineScore


@dataclass(frozen=True, slots=True)
class DimensionSummary:
    """One dimension rolled up: weighted mean and maximum score, and the share by band."""

    mean: float
    maximum: float
    band: str
    share_by_band: dict[str, float]


@dataclass(frozen=True, slots=True)
class GroupSummary:
    """A roll-up of lines (one supplier, or the whole portfolio)."""

    name: str
    lines: int
    weighting: str  # "spend" or "lines"
    forced_labour: DimensionSummary
    child_labour: DimensionSummary
    insufficient_data_share: float
    top_lines: tuple[int, ...]
    top_factors: tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True)
class PortfolioSummary:
    """The portfolio roll-up and one roll-up per group, highest exposure first."""

    portfolio: GroupSummary
    groups: tuple[GroupSummary, ...]


def aggregate(
    lines: Sequence[ScoredLine], config: ScoringConfig, top: int = 10
) -> PortfolioSummary:
    """Summarise lines per group and overall; the result does not depend on line order."""
    ordered = sorted(lines, key=lambda line: line.key)
    by_group: dict[str, list[ScoredLine]] = defaultdict(list)
    for line in ordered:
        by_group[line.group].append(line)
    groups = [summarise(name, members, config, top) for name, members in by_group.items()]
    groups.sort(key=lambda g: (-max(g.forced_labour.maximum, g.child_labour.maximum), g.name))
    return PortfolioSummary(summarise("portfolio", ordered, config, top), tuple(groups))


def summarise(
    name: str, lines: Sequence[ScoredLine], config: ScoringConfig, top: int
) -> GroupSummary:
    """Summarise one set of lines, by spend when every line has a positive spend."""
    by_spend = bool(lines) and all(line.spend is not None and line.spend > 0 for line in lines)
    # Lines with the same evidence share one LineScore object (the Scorer caches them), so the
    # roll-up works on distinct scores with summed weights rather than on every line.
    distinct: dict[int, tuple[LineScore, list[float]]] = {}
    for line in lines:
        entry = distinct.get(id(line.score))
        if entry is None:
            entry = distinct[id(line.score)] = (line.score, [0.0])
        entry[1][0] += float(line.spend or 0) if by_spend else 1.0
    weighted = [(score, cell[0]) for score, cell in distinct.values()]
    total = sum(weight for _, weight in weighted) or 1.0
    dims = {d: _dimension(weighted, total, d, config) for d in DIMENSIONS}
    insufficient = sum(weight for score, weight in weighted if score.insufficient_data)
    impact = heapq.nsmallest(
        top,
        (
            (-(float(line.spend or 0) if by_spend else 1.0) * _peak(line.score), line.key)
            for line in lines
        ),
    )
    factor_points: dict[str, float] = defaultdict(float)
    for score, weight in weighted:
        for factor in score.factors:
            factor_points[factor.kind] += weight * factor.contribution / total
    top_factors = sorted(factor_points.items(), key=lambda item: (-item[1], item[0]))[:top]
    return GroupSummary(
        name=name,
        lines=len(lines),
        weighting="spend" if by_spend else "lines",
        forced_labour=dims["forced_labour"],
        child_labour=dims["child_labour"],
        insufficient_data_share=round(insufficient / total, 4),
        top_lines=tuple(key for points, key in impact if points < 0),
        top_factors=tuple((kind, round(points, 2)) for kind, points in top_factors),
    )


def _peak(score: LineScore) -> float:
    return max(score.forced_labour.score, score.child_labour.score)


def _dimension(
    weighted: list[tuple[LineScore, float]],
    total: float,
    dimension: Dimension,
    config: ScoringConfig,
) -> DimensionSummary:
    exposures = [(score.exposure(dimension), weight) for score, weight in weighted]
    mean = sum(weight * e.score for e, weight in exposures) / total
    maximum = max((e.score for e, _ in exposures), default=0.0)
    shares = dict.fromkeys(BANDS, 0.0)
    for e, weight in exposures:
        shares[e.band] += weight / total
    return DimensionSummary(
        mean=round(mean, 1),
        maximum=maximum,
        band=config.band(maximum),
        share_by_band={band: round(share, 4) for band, share in shares.items()},
    )
