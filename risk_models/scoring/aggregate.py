"""Roll line scores up per supplier and per portfolio, weighted by spend where it is given."""

from __future__ import annotations

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
    weights = [float(line.spend or 0) if by_spend else 1.0 for line in lines]
    total = sum(weights) or 1.0
    dims = {d: _dimension(lines, weights, total, d, config) for d in DIMENSIONS}
    insufficient = sum(
        w for w, line in zip(weights, lines, strict=True) if line.score.insufficient_data
    )
    impact = sorted(
        (
            (w * max(line.score.forced_labour.score, line.score.child_labour.score), line.key)
            for w, line in zip(weights, lines, strict=True)
        ),
        key=lambda item: (-item[0], item[1]),
    )
    factor_points: dict[str, float] = defaultdict(float)
    for w, line in zip(weights, lines, strict=True):
        for factor in line.score.factors:
            factor_points[factor.kind] += w * factor.contribution / total
    top_factors = sorted(factor_points.items(), key=lambda item: (-item[1], item[0]))[:top]
    return GroupSummary(
        name=name,
        lines=len(lines),
        weighting="spend" if by_spend else "lines",
        forced_labour=dims["forced_labour"],
        child_labour=dims["child_labour"],
        insufficient_data_share=round(insufficient / total, 4),
        top_lines=tuple(key for points, key in impact[:top] if points > 0),
        top_factors=tuple((kind, round(points, 2)) for kind, points in top_factors),
    )


def _dimension(
    lines: Sequence[ScoredLine],
    weights: list[float],
    total: float,
    dimension: Dimension,
    config: ScoringConfig,
) -> DimensionSummary:
    scores = [line.score.exposure(dimension) for line in lines]
    mean = sum(w * s.score for w, s in zip(weights, scores, strict=True)) / total
    maximum = max((s.score for s in scores), default=0.0)
    shares = dict.fromkeys(BANDS, 0.0)
    for w, s in zip(weights, scores, strict=True):
        shares[s.band] += w / total
    return DimensionSummary(
        mean=round(mean, 1),
        maximum=maximum,
        band=config.band(maximum),
        share_by_band={band: round(share, 4) for band, share in shares.items()},
    )
