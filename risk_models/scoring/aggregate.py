"""Roll line scores up per supplier and per portfolio, weighted by spend where it is given."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from risk_models.scoring.profile import BANDS, ScoringConfig
from risk_models.scoring.types import DIMENSIONS, LineScore


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
    return aggregate_table(LineTable.from_lines(lines), config, top)


def aggregate_table(table: LineTable, config: ScoringConfig, top: int = 10) -> PortfolioSummary:
    """Summarise a columnar table of lines per group and overall."""
    everyone = np.zeros(len(table.key), dtype=np.int64)
    portfolio = _summaries(table, everyone, ["portfolio"], config, top)
    groups = _summaries(table, table.group, table.group_names, config, top)
    groups.sort(key=lambda g: (-max(g.forced_labour.maximum, g.child_labour.maximum), g.name))
    return PortfolioSummary(portfolio[0], tuple(groups))


@dataclass
class LineTable:
    """The lines as columns, in row order, with each distinct LineScore stored once.

    Lines with the same evidence share one LineScore object (the Scorer caches them), so the
    per-line columns hold an index into the distinct scores; sums run in row order so that
    floating-point rounding cannot depend on the order the lines arrived in.
    """

    key: NDArray[np.int64]
    group: NDArray[np.int64]
    spend: NDArray[np.float64]  # NaN where no spend is given
    score: NDArray[np.int64]
    group_names: list[str]
    scores: list[LineScore]

    @classmethod
    def from_columns(
        cls,
        key: NDArray[np.int64],
        group: NDArray[np.int64],
        group_names: list[str],
        spend: NDArray[np.float64],
        score: NDArray[np.int64],
        scores: list[LineScore],
    ) -> LineTable:
        """Build from columns that a bulk pipeline already holds (sorted here by key)."""
        order = np.argsort(key, kind="stable")
        return cls(key[order], group[order], spend[order], score[order], group_names, scores)

    @classmethod
    def from_lines(cls, lines: Sequence[ScoredLine]) -> LineTable:
        """Build from line objects; lines sharing a LineScore object share its index."""
        n = len(lines)
        groups: dict[str, int] = {}
        distinct: dict[int, int] = {}
        scores: list[LineScore] = []
        for line in lines:
            if id(line.score) not in distinct:
                distinct[id(line.score)] = len(scores)
                scores.append(line.score)
        group = np.fromiter(
            (groups.setdefault(line.group, len(groups)) for line in lines), np.int64, n
        )
        return cls.from_columns(
            key=np.fromiter((line.key for line in lines), np.int64, n),
            group=group,
            group_names=list(groups),
            spend=np.fromiter(
                (np.nan if line.spend is None else line.spend for line in lines), np.float64, n
            ),
            score=np.fromiter((distinct[id(line.score)] for line in lines), np.int64, n),
            scores=scores,
        )


def _summaries(
    table: LineTable,
    group: NDArray[np.int64],
    names: list[str],
    config: ScoringConfig,
    top: int,
) -> list[GroupSummary]:
    """Summarise every group at once: by spend in groups where every line has a positive one."""
    count = len(names)
    positive = np.nan_to_num(table.spend, nan=0.0) > 0
    by_spend = np.bincount(group, weights=~positive, minlength=count) == 0
    weight = np.where(by_spend[group], np.nan_to_num(table.spend, nan=0.0), 1.0)
    total = np.bincount(group, weights=weight, minlength=count)
    safe_total = np.where(total > 0, total, 1.0)
    per_score = _score_columns(table.scores, config)
    dims = {
        d: _dimension_columns(group, weight, safe_total, per_score[d], table.score, count)
        for d in DIMENSIONS
    }
    insufficient = (
        np.bincount(group, weights=weight * per_score["insufficient"][table.score], minlength=count)
        / safe_total
    )
    lines = np.bincount(group, minlength=count)
    top_lines = _top_lines(table, group, weight * per_score["peak"][table.score], count, top)
    top_factors = _top_factors(table, group, weight, safe_total, count, top)
    return [
        GroupSummary(
            name=names[g],
            lines=int(lines[g]),
            weighting="spend" if by_spend[g] and lines[g] else "lines",
            forced_labour=_dimension_summary(dims["forced_labour"], g, config),
            child_labour=_dimension_summary(dims["child_labour"], g, config),
            insufficient_data_share=round(float(insufficient[g]), 4),
            top_lines=top_lines[g],
            top_factors=top_factors[g],
        )
        for g in range(count)
    ]


def _score_columns(scores: list[LineScore], config: ScoringConfig) -> dict[str, Any]:
    columns: dict[str, Any] = {}
    for d in DIMENSIONS:
        values = np.array([s.exposure(d).score for s in scores], dtype=np.float64)
        bands = np.array([BANDS.index(s.exposure(d).band) for s in scores], dtype=np.int64)
        columns[d] = (values, bands)
    columns["insufficient"] = np.array([s.insufficient_data for s in scores], dtype=np.float64)
    columns["peak"] = np.maximum(columns["forced_labour"][0], columns["child_labour"][0])
    return columns


def _dimension_columns(
    group: NDArray[np.int64],
    weight: NDArray[np.float64],
    safe_total: NDArray[np.float64],
    columns: tuple[NDArray[np.float64], NDArray[np.int64]],
    score: NDArray[np.int64],
    count: int,
) -> dict[str, NDArray[Any]]:
    values, bands = columns[0][score], columns[1][score]
    maximum = np.zeros(count)
    np.maximum.at(maximum, group, values)
    shares = np.bincount(group * len(BANDS) + bands, weights=weight, minlength=count * len(BANDS))
    return {
        "mean": np.bincount(group, weights=weight * values, minlength=count) / safe_total,
        "maximum": maximum,
        "shares": shares.reshape(count, len(BANDS)) / safe_total[:, None],
    }


def _dimension_summary(
    columns: dict[str, NDArray[Any]], g: int, config: ScoringConfig
) -> DimensionSummary:
    maximum = float(columns["maximum"][g])
    return DimensionSummary(
        mean=round(float(columns["mean"][g]), 1),
        maximum=maximum,
        band=config.band(maximum),
        share_by_band={b: round(float(columns["shares"][g][i]), 4) for i, b in enumerate(BANDS)},
    )


def _top_lines(
    table: LineTable, group: NDArray[np.int64], impact: NDArray[np.float64], count: int, top: int
) -> list[tuple[int, ...]]:
    """Return, per group, the keys of the lines with the most weight x score (ties by key)."""
    order = np.lexsort((table.key, -impact, group))
    sorted_group = group[order]
    starts = np.searchsorted(sorted_group, np.arange(count))
    rank = np.arange(len(order)) - starts[sorted_group]
    keep = order[(rank < top) & (impact[order] > 0)]
    result: list[list[int]] = [[] for _ in range(count)]
    for g, key in zip(group[keep].tolist(), table.key[keep].tolist(), strict=True):
        result[g].append(key)
    return [tuple(keys) for keys in result]


def _top_factors(
    table: LineTable,
    group: NDArray[np.int64],
    weight: NDArray[np.float64],
    safe_total: NDArray[np.float64],
    count: int,
    top: int,
) -> list[tuple[tuple[str, float], ...]]:
    """Return, per group, the factor kinds that contribute most points (weighted mean)."""
    kinds = sorted({f.kind for s in table.scores for f in s.factors})
    points = np.zeros((len(table.scores), len(kinds)))
    for i, score in enumerate(table.scores):
        for factor in score.factors:
            points[i, kinds.index(factor.kind)] += factor.contribution
    pairs, inverse = np.unique(group * len(table.scores) + table.score, return_inverse=True)
    pair_weight = np.bincount(inverse.ravel(), weights=weight)
    per_group = np.zeros((count, len(kinds)))
    np.add.at(
        per_group,
        pairs // len(table.scores),
        pair_weight[:, None] * points[pairs % len(table.scores)],
    )
    per_group /= safe_total[:, None]
    result = []
    for g in range(count):
        ranked = sorted(
            ((kinds[k], float(per_group[g, k])) for k in range(len(kinds)) if per_group[g, k] > 0),
            key=lambda item: (-item[1], item[0]),
        )
        result.append(tuple((kind, round(value, 2)) for kind, value in ranked[:top]))
    return result
