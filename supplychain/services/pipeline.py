"""Assessing an upload: read, match, score and store every line, keeping progress on the row.

`run_assessment(assessment_id)` is the job body (RQ worker, app thread, or inline). Stages,
each committed so that the page and the API can show them:

1. reading: stream the stored original through `ingest.records` once, collecting the
   distinct product, country and supplier strings (nothing per row is kept); the whole file
   is checked before anything is stored. `rows_done` counts rows read; `rows_total` is set
   at the end. Progress is committed about once a second (COMMIT_SECONDS), in every stage.
2. matching: match each distinct string once, apply the organisation's judgements, and store
   one AssessmentMatch per distinct string (its `record` is the match record).
3. scoring: score each distinct evidence once (`evidence.line_evidence` + Scorer) and store
   one AssessmentScore per distinct evidence.
4. storing: stream the file again and insert the lines ASSESSMENT_CHUNK at a time, from a
   writer thread so that the database stores one chunk while the next is read: on SQLite
   with multi-row VALUES statements (SQLITE_LINES_PER_STATEMENT), on PostgreSQL with COPY
   (unless ASSESSMENT_COPY is off), else with Core `insert()` executemany; `rows_done`
   counts lines stored.
5. done: the summary (below) is written to `Assessment.summary`.

Which text is the product: the HS code when the row has one that reads as a code
(`risk_models.matching.goods.parse_code`), else the product description, else an HS-code
cell that does not read as a code. Codes are keyed by their digits ("6109.10" and "610910"
are one string), descriptions by `reference_data.normalise_name`.

Suppliers are screened once per (normalised name, country) pair, with the country only when
its match is accepted (as the vendor check does); the key is "name|ISO3".

A failure marks the assessment failed with a readable `error`, removes partial results and
keeps the original file, so `rerun` can try again. Every row is kept: rows with problems are
stored with their `problems`, and score with whatever they do give (missing data is
"insufficient data", never low risk).

The summary (`Assessment.summary`):

    {"lines", "suppliers", "countries", "goods", "rows_with_problems", "currency",
     "weighting": "spend" | "lines",
     "forced_labour" | "child_labour": {"mean", "maximum", "band", "share_by_band"},
     "lines_by_band": {band: lines}  (the higher of the two bands),
     "bands": {"forced_labour" | "child_labour": {band: lines}}, "high_or_critical": lines,
     "insufficient_data_share", "insufficient_data_lines",
     "top_factors": [{"kind", "points"}],
     "top_suppliers": [{"name", "lines", "high", "max_score", "band", "forced_labour",
                        "child_labour", "insufficient_data_share", "top_factors"}],
     "by_country": [{"iso3", "name", "spend", <the same as a supplier>}],
     "by_good": [{"id", "name", "spend", <the same as a supplier>}],
     "heatmap": {"countries": [{"iso3", "name"}], "goods": [{"id", "name"}],
                 "cells": [[{"country", "good", "lines", "max_score", "mean", "band"} | None,
                            ... one per good] ... one row per country]},
     "histogram": {"edges": [0, 10, ..., 100], "forced_labour": [...], "child_labour": [...],
                   "peak": [...]},
     "matches": {kind: {"accepted", "review", "none"}}, "review_pending",
     "notes": [str], "timings": {stage: seconds}}

Shares are weighted by spend when every line has a positive spend in one currency, else by
lines (`weighting` says which).
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import queue
import sqlite3
import threading
import time
import uuid
from array import array
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from itertools import chain, islice
from typing import Any

import numpy as np
import sqlalchemy as sa
from flask import current_app

from reference_data import ReferenceData, normalise_name
from risk_models.matching.goods import parse_code
from risk_models.scoring import (
    Exposure,
    Factor,
    LineScore,
    LineTable,
    Scorer,
    ScoringConfig,
    SourceRef,
    aggregate_table,
    get_model,
)
from risk_models.scoring.aggregate import GroupSummary
from risk_models.scoring.profile import BANDS, parse_profile
from risk_models.scoring.types import DIMENSIONS
from supplychain import ingest, jobs
from supplychain.errors import Conflict, DomainError, NotFound
from supplychain.extensions import db
from supplychain.ingest import Record
from supplychain.models.assessments import (
    DECIDED_ACCEPTED,
    DECIDED_INSUFFICIENT,
    DECIDED_JUDGED,
    DECIDED_NONE,
    DECIDED_REVIEW,
    Assessment,
    AssessmentLine,
    AssessmentMatch,
    AssessmentScore,
    Upload,
    decision_bits,
    decisions_with,
)
from supplychain.models.refdata import utcnow
from supplychain.services import audit, evidence, judgements, matching, screening, uploads
from supplychain.services.access import Principal, get_scoped
from supplychain.services.refdata import get_reference
from supplychain.services.storage import get_storage
from supplychain.services.vendor_check import factor_record

log = logging.getLogger(__name__)

ASSESSMENT_RERUN = "assessment.rerun"
ASSESSMENT_RESCORED = "assessment.rescored"
RISK_BANDS = ("High", "Critical")
BAND_RANK = {band: rank for rank, band in enumerate(BANDS)}
NO_SUPPLIER = "(no supplier name)"
KEY_LENGTH = 1000  # AssessmentMatch.query_key
TOP = 10
HEATMAP_TOP = 15
COMPARE_LIMIT = 1000
PROBLEM_SAMPLE = 20  # problems quoted in the summary; every one is in the lines and exports
_LINE = AssessmentLine.__table__
_MATCH = AssessmentMatch.__table__
_SCORE = AssessmentScore.__table__
# The lines as the bulk insert sees them: the same table with untyped columns, so that the
# values (JSON already encoded, SQL NULL for no problems) go to the driver as they are,
# without a type conversion per value per row.
LINE_COLUMNS = (
    "assessment_id", "organisation_id", "row_number", "original", "supplier_name",
    "supplier_ref", "country_text", "product_text", "hs_code", "spend", "currency", "quantity",
    "unit", "tier", "good_id", "country_iso3", "good_match_id", "country_match_id",
    "supplier_match_id", "score_id", "forced_labour", "child_labour", "score", "band",
    "problems", "decisions",
)  # fmt: skip
_LINE_ROWS = sa.table(_LINE.name, *(sa.column(name) for name in LINE_COLUMNS))
_COPY_LINES = f"COPY {_LINE.name} ({', '.join(LINE_COLUMNS)}) FROM STDIN"
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _json_encoder() -> Any:
    """Return a function that encodes as _JSON does, with one C encoder made once.

    JSONEncoder.encode builds a new C encoder for every value, half the cost of encoding a
    line's original cells; the lines' values are plain (strings, numbers, None) and never
    circular, so one encoder without the circular check serves them all.
    """
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # no C accelerator: the plain encoder
        return _JSON.encode
    iterencode = make(
        None, _JSON.default, json.encoder.encode_basestring, None, ":", ",", False, False, True
    )
    return lambda value: "".join(iterencode(value, 0))


_encode_json = _json_encoder()
# Progress is committed at most this often: a commit per chunk costs SQLite an fsync and a
# journal of every index page the chunk touched, a quarter of the storing time at 1M lines.
COMMIT_SECONDS = 1.0
# SQLite's line writer commits less often: each commit writes every index page the lines
# touched since the last one, and at a million lines a 5-second interval stores them about a
# tenth faster than a 1-second one. Progress then moves in steps of 5 seconds.
SQLITE_COMMIT_SECONDS = 5.0
SQLITE_CACHE_KB = 512 * 1024  # page cache of the line writer's SQLite connection
# SQLite's line writer inserts up to this many lines per statement (multi-row VALUES), within
# the connection's limit on parameters. sqlite3 holds the GIL while it binds a statement's
# values and releases it while SQLite runs the statement; with one line per statement (an
# executemany) the writer thread needed the GIL back after every line, which it gets only
# once per switch interval (5 ms) from a reading thread that never waits, so the two threads
# took turns instead of working together. A statement of 2,500 lines runs for tens of
# milliseconds without the GIL.
SQLITE_LINES_PER_STATEMENT = 2500
MAX_SPEND = Decimal(10) ** 16  # Numeric(18, 2)
MAX_QUANTITY = Decimal(10) ** 14  # Numeric(18, 4)

KEY_FIELDS = ("hs_code", "product_description", "country", "supplier_name")  # keys_of order
ROWS_SEEN_SIZE = 200_000  # distinct key texts of rows remembered while lines are stored
ProductKey = str
Triple = tuple[str | None, str | None, str | None]  # product, country and supplier-name keys


# Keys ----------------------------------------------------------------------------------------


def fit_key(key: str) -> str:
    """Cut a key to the column's length, keeping long keys distinct with a digest."""
    if len(key) <= KEY_LENGTH:
        return key
    digest = hashlib.sha256(key.encode()).hexdigest()
    return key[: KEY_LENGTH - 65] + "#" + digest


def product_key(text: str) -> str:
    """Return the key of a product query: an HS code's digits, else the normalised text."""
    code = parse_code(text)
    return code[0] if code is not None else fit_key(normalise_name(text))


def product_query(hs_code: str | None, description: str | None) -> str | None:
    """Return the text matched as the line's product: a valid HS code first, else the words."""
    if hs_code and parse_code(hs_code) is not None:
        return hs_code
    return description or hs_code or None


def supplier_key(name_key: str, iso3: str | None) -> str:
    """Return the key of a supplier screened in a country: "name|ISO3" ("name|" without)."""
    return f"{name_key}|{iso3 or ''}"


def line_band(score: LineScore) -> str:
    """Return the higher of a line's two bands."""
    return max(score.forced_labour.band, score.child_labour.band, key=BAND_RANK.__getitem__)


# Light records: what evidence needs of a match record, without candidates and explanations.


def _light_good(record: Mapping[str, Any]) -> dict[str, Any]:
    match, derived = record.get("match"), record.get("derived")
    return {
        "query": record["query"],
        "decision": record["decision"],
        "match": {"id": match["id"]} if match else None,
        "derived": {"inputs": [{"id": i["id"]} for i in derived["inputs"]]} if derived else None,
    }


def _light_country(record: Mapping[str, Any]) -> dict[str, Any]:
    match = record.get("match")
    return {"decision": record["decision"], "match": {"iso3": match["iso3"]} if match else None}


def _screening_country(record: Mapping[str, Any] | None) -> str | None:
    """Return the country a supplier is screened in: only an accepted country match counts."""
    if record is None or record["match"] is None or record["decision"] != "accepted":
        return None
    return str(record["match"]["iso3"])


def run_config(assessment: Assessment) -> dict[str, Any]:
    """Return the configuration of a run: the app's, with the assessment's own thresholds."""
    config = dict(current_app.config)
    recorded = assessment.match_thresholds or {}
    for kind, prefix in (("goods", "MATCH_GOODS"), ("countries", "MATCH_COUNTRIES")):
        if kind in recorded:
            config[f"{prefix}_ACCEPT"] = recorded[kind]["accept"]
            config[f"{prefix}_REVIEW"] = recorded[kind]["review"]
    if "suppliers" in recorded:
        config["SCREEN_SUPPLIERS_ACCEPT"] = recorded["suppliers"]["accept"]
        config["SCREEN_SUPPLIERS_REVIEW"] = recorded["suppliers"]["review"]
        config["SCREEN_SUPPLIERS_FLOOR"] = recorded["suppliers"]["floor"]
    return config


# Scores as stored and as the engine's objects ------------------------------------------------


def scoring_config(assessment: Assessment) -> ScoringConfig:
    """Return the scoring parameters the assessment recorded when it was queued.

    Runs, reruns and re-scores use these, so that a profile edited since cannot change an
    assessment's numbers; `reassess` starts a new assessment with today's profile.
    """
    if assessment.model_parameters:
        return parse_profile(assessment.model_parameters)
    return get_model(assessment.model_name)


def score_row(assessment_id: int, score: LineScore) -> dict[str, Any]:
    """Return the AssessmentScore values of one line score."""
    return {
        "assessment_id": assessment_id,
        "forced_labour": score.forced_labour.score,
        "forced_labour_band": score.forced_labour.band,
        "child_labour": score.child_labour.score,
        "child_labour_band": score.child_labour.band,
        "confidence": score.forced_labour.confidence,
        "insufficient_data": score.insufficient_data,
        "factors": [_factor_json(factor) for factor in score.factors],
    }


def _factor_json(factor: Factor) -> dict[str, Any]:
    record = factor_record(factor, None)
    record.pop("product", None)  # a line has one product: the line says which
    return record


def line_score(row: AssessmentScore, assessment: Assessment) -> LineScore:
    """Rebuild the engine's LineScore from a stored score (for roll-ups and questions)."""
    factors = tuple(
        Factor(
            f["kind"],
            f["dimension"],
            f["contribution"],
            f["detail"],
            SourceRef(**f["source"]) if f.get("source") else None,
        )
        for f in row.factors
    )
    return LineScore(
        forced_labour=Exposure(row.forced_labour, row.forced_labour_band, row.confidence),
        child_labour=Exposure(row.child_labour, row.child_labour_band, row.confidence),
        insufficient_data=row.insufficient_data,
        factors=factors,
        model=assessment.model_name,
        profile=assessment.model_profile,
        reference_version=assessment.reference_version,
    )


def _insert_returning_ids(table: sa.Table, rows: list[dict[str, Any]]) -> list[int]:
    """Insert rows and return their ids in the same order."""
    ids: list[int] = []
    for start in range(0, len(rows), 5_000):
        result = db.session.execute(
            sa.insert(table).returning(table.c.id, sort_by_parameter_order=True),
            rows[start : start + 5_000],
        )
        ids.extend(result.scalars())
    return ids


def clear_results(assessment_id: int) -> None:
    """Delete an assessment's lines, matches and scores (lines first: they point at both)."""
    db.session.execute(sa.delete(_LINE).where(_LINE.c.assessment_id == assessment_id))
    db.session.execute(sa.delete(_MATCH).where(_MATCH.c.assessment_id == assessment_id))
    db.session.execute(sa.delete(_SCORE).where(_SCORE.c.assessment_id == assessment_id))


# The summary ---------------------------------------------------------------------------------


class SummaryColumns:
    """The columns a summary is computed from, appended line by line (a few bytes per line)."""

    def __init__(self) -> None:
        self.key = array("q")
        self.group = array("q")
        self.spend = array("d")
        self.score = array("q")
        self.country = array("q")
        self.good = array("q")
        self.group_names: list[str] = []
        self._groups: dict[str | None, int] = {}
        self.countries: list[str] = []
        self._countries: dict[str, int] = {}
        self.goods: list[str] = []
        self._goods: dict[str, int] = {}
        self.currencies: set[str | None] = set()
        self.problems = 0
        self.decisions = array("B")  # per line: DECIDED_* bits of its matches' decisions
        self.problem_codes: dict[str, int] = {}
        self.problem_sample: list[dict[str, Any]] = []

    def add(
        self,
        row_number: int,
        supplier: str | None,
        supplier_label: str,
        spend: Decimal | None,
        currency: str | None,
        score_index: int,
        iso3: str | None,
        good_id: str | None,
        problems: list[dict[str, Any]] | bool | None,
        decisions: int = 0,
    ) -> None:
        group = self._groups.get(supplier)
        if group is None:
            group = self._groups[supplier] = len(self.group_names)
            self.group_names.append(supplier_label if supplier is not None else NO_SUPPLIER)
        self.key.append(row_number)
        self.group.append(group)
        self.spend.append(math.nan if spend is None else float(spend))
        if spend is not None:
            self.currencies.add(currency)
        self.score.append(score_index)
        self.country.append(self._index(iso3, self._countries, self.countries))
        self.good.append(self._index(good_id, self._goods, self.goods))
        self.decisions.append(decisions)
        if problems:
            self.problems += 1
            if isinstance(problems, list):
                for problem in problems:
                    code = problem.get("code") or "problem"
                    self.problem_codes[code] = self.problem_codes.get(code, 0) + 1
                    if len(self.problem_sample) < PROBLEM_SAMPLE:
                        self.problem_sample.append({"row_number": row_number, **problem})

    @staticmethod
    def _index(value: str | None, index: dict[str, int], names: list[str]) -> int:
        if value is None:
            return -1
        found = index.get(value)
        if found is None:
            found = index[value] = len(names)
            names.append(value)
        return found

    def __len__(self) -> int:
        return len(self.key)


LINE_DECISIONS = ("review", "settled", "accepted", "none", "judged", "insufficient")


def _lines_by_decision(columns: SummaryColumns, insufficient: Any) -> dict[str, int]:
    """Count the lines per decision filter of the lines table (services.assessments)."""
    masks = np.frombuffer(columns.decisions, dtype=np.uint8)
    if len(masks) != len(columns):  # columns read without their matches' decisions
        return {}
    review = int(np.count_nonzero(masks & DECIDED_REVIEW))
    return {
        "review": review,
        "settled": len(masks) - review,
        "accepted": int(np.count_nonzero(masks & DECIDED_ACCEPTED)),
        "none": int(np.count_nonzero(masks & DECIDED_NONE)),
        "judged": int(np.count_nonzero(masks & DECIDED_JUDGED)),
        "insufficient": int(insufficient.sum()),
    }


def _score_ranges(peak: Any, bands: Any) -> dict[str, list[float]]:
    """Return the lowest and highest line score of each band (the lines table reads a band's
    lines in score order within that range of the score index)."""
    ranges = {}
    for rank, band in enumerate(BANDS):
        scores = peak[bands == rank]
        if len(scores):
            ranges[band] = [float(scores.min()), float(scores.max())]
    return ranges


def _dimension(summary: GroupSummary, dimension: str) -> dict[str, Any]:
    value = getattr(summary, dimension)
    return {
        "mean": value.mean,
        "maximum": value.maximum,
        "band": value.band,
        "share_by_band": value.share_by_band,
    }


def _group_json(summary: GroupSummary, high: int) -> dict[str, Any]:
    """Describe a roll-up; `high` is how many of its lines are High or Critical."""
    return {
        "lines": summary.lines,
        "high": high,
        "max_score": max(summary.forced_labour.maximum, summary.child_labour.maximum),
        "band": max(
            summary.forced_labour.band, summary.child_labour.band, key=BAND_RANK.__getitem__
        ),
        "forced_labour": _dimension(summary, "forced_labour"),
        "child_labour": _dimension(summary, "child_labour"),
        "insufficient_data_share": summary.insufficient_data_share,
        "top_factors": [{"kind": kind, "points": points} for kind, points in summary.top_factors],
    }


def build_summary(
    columns: SummaryColumns,
    scores: list[LineScore],
    config: ScoringConfig,
    reference: ReferenceData,
    *,
    suppliers: int,
) -> dict[str, Any]:
    """Roll the lines up: portfolio, suppliers, countries, goods, heatmap and histogram."""
    count = len(columns)
    summary: dict[str, Any] = {
        "lines": count,
        "suppliers": suppliers,
        "countries": len(columns.countries),
        "goods": len(columns.goods),
        "rows_with_problems": columns.problems,
        "problems_by_code": dict(sorted(columns.problem_codes.items())),
        "problem_sample": list(columns.problem_sample),
        "notes": [],
    }
    if count == 0 or not scores:
        summary.update(
            weighting="lines",
            currency=None,
            lines_by_decision={decision: 0 for decision in LINE_DECISIONS},
            lines_by_band={band: 0 for band in BANDS},
            bands={dimension: {band: 0 for band in BANDS} for dimension in DIMENSIONS},
            high_or_critical=0,
            insufficient_data_share=0.0,
            insufficient_data_lines=0,
            top_factors=[],
            top_suppliers=[],
            by_country=[],
            by_good=[],
            heatmap={"countries": [], "goods": [], "cells": []},
            histogram=_histogram(np.zeros(0), np.zeros(0)),
        )
        return summary
    key = np.frombuffer(columns.key, dtype=np.int64)
    score = np.frombuffer(columns.score, dtype=np.int64)
    spend = np.frombuffer(columns.spend, dtype=np.float64).copy()
    currencies = {c for c in columns.currencies}
    if len(currencies) > 1:
        # Amounts in several currencies cannot be added up: weigh by lines instead.
        spend[:] = math.nan
        listed = ", ".join(sorted(c or "no currency" for c in currencies))
        summary["notes"].append(f"Spend is in several currencies ({listed}); shares count lines.")
    currency = next(iter(currencies)) if len(currencies) == 1 else None

    group = np.frombuffer(columns.group, dtype=np.int64)
    portfolio = aggregate_table(
        LineTable.from_columns(key, group, columns.group_names, spend, score, scores), config, TOP
    )
    overall = portfolio.portfolio
    fl = np.array([s.forced_labour.score for s in scores])[score]
    cl = np.array([s.child_labour.score for s in scores])[score]
    bands = np.array([BAND_RANK[line_band(s)] for s in scores], dtype=np.int64)[score]
    insufficient = np.array([s.insufficient_data for s in scores], dtype=bool)[score]
    by_band = np.bincount(bands, minlength=len(BANDS))
    per_dimension = {
        dimension: np.bincount(
            np.array([BAND_RANK[s.exposure(dimension).band] for s in scores], dtype=np.int64)[
                score
            ],
            minlength=len(BANDS),
        )
        for dimension in DIMENSIONS
    }
    summary.update(
        weighting=overall.weighting,
        currency=currency,
        forced_labour=_dimension(overall, "forced_labour"),
        child_labour=_dimension(overall, "child_labour"),
        lines_by_band={band: int(by_band[i]) for i, band in enumerate(BANDS)},
        bands={
            dimension: {band: int(counts[i]) for i, band in enumerate(BANDS)}
            for dimension, counts in per_dimension.items()
        },
        high_or_critical=int(by_band[BAND_RANK["High"] :].sum()),
        insufficient_data_share=overall.insufficient_data_share,
        insufficient_data_lines=int(insufficient.sum()),
        lines_by_decision=_lines_by_decision(columns, insufficient),
        top_factors=[{"kind": kind, "points": points} for kind, points in overall.top_factors],
    )
    summary["score_range_by_band"] = _score_ranges(np.maximum(fl, cl), bands)
    risky = bands >= BAND_RANK["High"]
    high_by_name: dict[str, int] = {}
    for name, high in zip(
        columns.group_names,
        np.bincount(group, weights=risky, minlength=len(columns.group_names)).tolist(),
        strict=True,
    ):
        high_by_name[name] = high_by_name.get(name, 0) + int(high)
    summary["top_suppliers"] = [
        {"name": g.name, **_group_json(g, high_by_name.get(g.name, 0))}
        for g in portfolio.groups[:TOP]
        if g.lines
    ]
    summary["by_country"] = _by_dimension(
        key, columns.country, columns.countries, spend, score, scores, config, "iso3", risky,
        lambda iso3: reference.countries[iso3].name_en if iso3 in reference.countries else iso3,
    )  # fmt: skip
    summary["by_good"] = _by_dimension(
        key, columns.good, columns.goods, spend, score, scores, config, "id", risky,
        lambda good: reference.goods[good].name if good in reference.goods else good,
    )  # fmt: skip
    summary["heatmap"] = _heatmap(columns, np.maximum(fl, cl), reference, config)
    summary["histogram"] = _histogram(fl, cl)
    return summary


def _by_dimension(
    key: Any,
    values: array[int],
    names: list[str],
    spend: Any,
    score: Any,
    scores: list[LineScore],
    config: ScoringConfig,
    id_field: str,
    risky: Any,
    label: Any,
) -> list[dict[str, Any]]:
    """Roll lines up by country or by good; lines without one form a group of their own."""
    index = np.frombuffer(values, dtype=np.int64)
    unknown = len(names)
    group = np.where(index >= 0, index, unknown)
    table = LineTable.from_columns(key, group, [*names, ""], spend, score, scores)
    rolled = aggregate_table(table, config, 3)
    spend_by = np.bincount(group, weights=np.nan_to_num(spend, nan=0.0), minlength=unknown + 1)
    high_by = np.bincount(group, weights=risky, minlength=unknown + 1)
    position = {name: i for i, name in enumerate(names)}
    result = []
    for item in rolled.groups:
        if not item.lines:
            continue
        known = item.name != ""
        at = position[item.name] if known else unknown
        result.append(
            {
                id_field: item.name if known else None,
                "name": label(item.name) if known else None,
                "spend": round(float(spend_by[at]), 2),
                **_group_json(item, int(high_by[at])),
            }
        )
    return result


def _heatmap(
    columns: SummaryColumns, peak: Any, reference: ReferenceData, config: ScoringConfig
) -> dict[str, Any]:
    """Return the country x good grid of the most common countries and goods.

    `cells[i][j]` describes the lines from `countries[i]` of `goods[j]`, or is None.
    """
    country = np.frombuffer(columns.country, dtype=np.int64)
    good = np.frombuffer(columns.good, dtype=np.int64)
    known = (country >= 0) & (good >= 0)
    if not known.any():
        return {"countries": [], "goods": [], "cells": []}
    top_countries = np.argsort(-np.bincount(country[known]), kind="stable")[:HEATMAP_TOP]
    top_goods = np.argsort(-np.bincount(good[known]), kind="stable")[:HEATMAP_TOP]
    width = len(columns.goods)
    pair = country[known] * width + good[known]
    size = len(columns.countries) * width
    lines = np.bincount(pair, minlength=size)
    total = np.bincount(pair, weights=peak[known], minlength=size)
    maximum = np.zeros(size)
    np.maximum.at(maximum, pair, peak[known])
    cells: list[list[dict[str, Any] | None]] = []
    for c in top_countries.tolist():
        row: list[dict[str, Any] | None] = []
        for g in top_goods.tolist():
            at = c * width + g
            row.append(
                {
                    "country": columns.countries[c],
                    "good": columns.goods[g],
                    "lines": int(lines[at]),
                    "max_score": round(float(maximum[at]), 1),
                    "mean": round(float(total[at] / lines[at]), 1),
                    "band": config.band(float(maximum[at])),
                }
                if lines[at]
                else None
            )
        cells.append(row)
    return {
        "countries": [
            {"iso3": columns.countries[c], "name": _country_name(reference, columns.countries[c])}
            for c in top_countries.tolist()
        ],
        "goods": [
            {"id": columns.goods[g], "name": _good_name(reference, columns.goods[g])}
            for g in top_goods.tolist()
        ],
        "cells": cells,
    }


def _country_name(reference: ReferenceData, iso3: str) -> str:
    country = reference.countries.get(iso3)
    return country.name_en if country else iso3


def _good_name(reference: ReferenceData, good_id: str) -> str:
    good = reference.goods.get(good_id)
    return good.name if good else good_id


def _histogram(fl: Any, cl: Any) -> dict[str, Any]:
    edges = np.arange(0, 101, 10)
    return {
        "edges": edges.tolist(),
        "forced_labour": np.histogram(fl, bins=edges)[0].tolist(),
        "child_labour": np.histogram(cl, bins=edges)[0].tolist(),
        "peak": np.histogram(np.maximum(fl, cl), bins=edges)[0].tolist(),
    }


def match_counts(assessment_id: int) -> dict[str, Any]:
    """Return how many distinct strings of each kind were accepted, in review or unmatched."""
    query = (
        sa.select(AssessmentMatch.kind, AssessmentMatch.decision, sa.func.count())
        .where(AssessmentMatch.assessment_id == assessment_id)
        .group_by(AssessmentMatch.kind, AssessmentMatch.decision)
    )
    counts: dict[str, dict[str, int]] = {
        kind: {"accepted": 0, "review": 0, "none": 0} for kind in judgements.KINDS
    }
    for kind, decision, count in db.session.execute(query):
        counts.setdefault(kind, {})[decision] = count
    return {
        "matches": counts,
        "review_pending": sum(per_kind.get("review", 0) for per_kind in counts.values()),
    }


# The run -------------------------------------------------------------------------------------


@dataclass
class _Key:
    """One distinct string of a run: its first spelling, and later its match."""

    query: str
    match_id: int | None = None
    light: Any = None
    target: str | None = None  # good id or ISO3, for the line's own columns
    screen_iso3: str | None = None  # countries: the country suppliers are screened in
    decisions: int = 0  # DECIDED_* bits of its match


_MISSING = object()


class _Run:
    """One execution of the pipeline over one assessment."""

    def __init__(self, assessment: Assessment):
        self.assessment = assessment
        self.assessment_id = assessment.id
        self.organisation_id = assessment.organisation_id
        self.config = run_config(assessment)
        self.chunk = max(1, int(self.config["ASSESSMENT_CHUNK"]))
        self.reference = get_reference(self.config)
        self.scoring = scoring_config(assessment)
        self.scorer = Scorer(self.reference, self.scoring)
        self.notes: list[str] = []
        self.timings: dict[str, float] = {}
        self.clock = time.perf_counter()
        self.products: dict[str, _Key] = {}
        self.countries: dict[str, _Key] = {}
        self.names: dict[str, str] = {}  # supplier name key -> first spelling
        self.suppliers: dict[str, _Key] = {}
        self.triples: dict[Triple, Any] = {}
        self._product_memo: dict[tuple[str | None, str | None], str | None] = {}
        self._text_memo: dict[str, str | None] = {}

    # -- keys --

    def _text_key(self, text: str | None) -> str | None:
        if not text:
            return None
        key = self._text_memo.get(text, _MISSING)
        if key is _MISSING:
            key = self._text_memo[text] = fit_key(normalise_name(text)) or None
        return key  # type: ignore[return-value]

    def keys_of(
        self,
        hs_code: str | None,
        description: str | None,
        country_text: str | None,
        supplier_name: str | None,
    ) -> Triple:
        """Return the product, country and supplier-name keys of a row's cleaned texts."""
        pair = (hs_code, description)
        product = self._product_memo.get(pair, _MISSING)
        if product is _MISSING:
            query = product_query(*pair)
            product = product_key(query) or None if query else None
            self._product_memo[pair] = product  # type: ignore[assignment]
            if product is not None and product not in self.products:
                self.products[product] = _Key(query or "")  # type: ignore[index]
        country = self._text_key(country_text)
        if country is not None and country not in self.countries:
            self.countries[country] = _Key(country_text or "")
        name = self._text_key(supplier_name)
        if name is not None and name not in self.names:
            self.names[name] = supplier_name or ""
        return product, country, name  # type: ignore[return-value]

    # -- progress --

    def progress(self, **values: Any) -> None:
        """Write progress and commit, so that other sessions see it."""
        for name, value in values.items():
            setattr(self.assessment, name, value)
        db.session.commit()

    def lap(self, stage: str) -> None:
        """Note how long the stage that just ended took."""
        now = time.perf_counter()
        self.timings[stage] = round(now - self.clock, 2)
        self.clock = now

    # -- stages --

    def execute(self) -> None:
        upload = get_scoped(Upload, self.assessment.upload_id, self.organisation_id)
        data = get_storage().get(upload.storage_key)
        table = uploads.read_upload(upload, data)
        mapping = uploads.column_mapping(upload, table)
        currency = self.config.get("UPLOAD_DEFAULT_CURRENCY") or None
        if self.reference.version != self.assessment.reference_version:
            self.notes.append(
                f"Queued with reference data {self.assessment.reference_version}; "
                f"run with {self.reference.version}, the version installed when it ran."
            )
            self.assessment.reference_version = self.reference.version

        # 1. reading: the whole file once, distinct strings only. Only the four texts the keys
        # need are read (`ingest.text_fields`, cleaned as records are); amounts and problems
        # are read once, when the lines are stored.
        stream = ingest.text_fields(table, mapping, KEY_FIELDS)
        keys_of, triples = self.keys_of, self.triples
        shown = time.monotonic()
        for count, texts in enumerate(stream, start=1):
            triples.setdefault(keys_of(*texts), None)
            if count % self.chunk == 0 and time.monotonic() - shown >= COMMIT_SECONDS:
                self.progress(rows_done=count)  # rows read so far; the total is not known yet
                shown = time.monotonic()
        upload.rows_read = stream.rows_read
        self.progress(stage="matching", rows_total=stream.records, rows_done=0)
        self.lap("reading")

        # 2. matching.
        found = judgements.overrides(self.organisation_id)
        self.match_countries(found)
        self.match_goods(found)
        self.screen_suppliers(found)
        self.progress(stage="scoring")
        self.lap("matching")

        # 3. scoring.
        scores = self.score_triples()
        self.progress(stage="storing")
        self.lap("scoring")

        # 4. storing: the file again, line by line.
        columns = self.store_lines(table, mapping, currency, scores)
        upload.rows_with_problems = self.read_summary.rows_with_problems
        if db.engine.dialect.name == "postgresql":
            # Fresh statistics after a bulk load (half a second for a million lines); without
            # them the planner scans where an index answers a page in milliseconds.
            db.session.execute(sa.text(f"ANALYZE {_LINE.name}, {_MATCH.name}, {_SCORE.name}"))
        self.lap("storing")

        # 5. done.
        result = build_summary(
            columns, scores, self.scoring, self.reference, suppliers=len(self.names)
        )
        result.update(match_counts(self.assessment_id))
        result["notes"] = self.notes + result["notes"]
        self.lap("summary")
        result["timings"] = self.timings
        self.progress(
            stage="done",
            status="done",
            rows_done=len(columns),
            summary=result,
            finished_at=utcnow(),
        )

    def _store_matches(self, kind: str, keys: list[str], records: Iterable[dict[str, Any]],
                       found: judgements.Overrides, table: dict[str, _Key]) -> None:  # fmt: skip
        """Apply judgements, insert one AssessmentMatch per key, keep what evidence needs."""
        reference, config = self.reference, self.config
        iterator = iter(records)
        for start in range(0, len(keys), self.chunk):
            rows, entries = [], []
            for key, record in zip(keys[start : start + self.chunk], iterator, strict=False):
                record = judgements.apply_judgements(
                    kind, record, found.get((kind, key)), reference, config
                )
                decision, target, score = judgements.match_columns(kind, record)
                rows.append(
                    {
                        "assessment_id": self.assessment_id,
                        "organisation_id": self.organisation_id,
                        "kind": kind,
                        "query_key": key,
                        "query": record["query"],
                        "decision": decision,
                        "target_id": target,
                        "score": score,
                        "judged": bool(record.get("judgements")),
                        "record": record,
                    }
                )
                entry = table[key]
                entry.decisions = decision_bits(decision, bool(record.get("judgements")))
                if kind == "good":
                    entry.light = _light_good(record)
                    entry.target = record["match"]["id"] if record["match"] else None
                elif kind == "country":
                    entry.light = _light_country(record)
                    entry.target = record["match"]["iso3"] if record["match"] else None
                    entry.screen_iso3 = _screening_country(record)
                else:
                    entry.light = judgements.supplier_hits(record, config)
                entries.append(entry)
            for entry, match_id in zip(entries, _insert_returning_ids(_MATCH, rows), strict=True):
                entry.match_id = match_id

    def match_countries(self, found: judgements.Overrides) -> None:
        keys = list(self.countries)
        records = matching.match_countries(
            self.reference, self.config, (self.countries[k].query for k in keys)
        )
        self._store_matches("country", keys, records, found, self.countries)

    def match_goods(self, found: judgements.Overrides) -> None:
        keys = list(self.products)
        records = matching.match_goods(
            self.reference, self.config, (self.products[k].query for k in keys)
        )
        self._store_matches("good", keys, records, found, self.products)

    def screen_suppliers(self, found: judgements.Overrides) -> None:
        pairs: dict[str, tuple[str, str | None]] = {}
        for _product, country, name in self.triples:
            if name is None:
                continue
            iso3 = self.countries[country].screen_iso3 if country is not None else None
            pairs.setdefault(supplier_key(name, iso3), (name, iso3))
        keys = list(pairs)
        for key in keys:
            self.suppliers[key] = _Key(self.names[pairs[key][0]])
        self._store_matches("supplier", keys, self._screen(keys, pairs), found, self.suppliers)

    def _screen(
        self, keys: list[str], pairs: Mapping[str, tuple[str, str | None]]
    ) -> Iterator[dict[str, Any]]:
        screener = screening.screener(self.reference)
        limits = screening.thresholds(self.config)
        floor = float(self.config["SCREEN_SUPPLIERS_FLOOR"])
        entities = {entity.entity_id: entity for entity in self.reference.entities}
        iterator = iter(keys)
        while chunk := list(islice(iterator, self.chunk)):
            queries = [(self.names[pairs[key][0]].strip(), pairs[key][1]) for key in chunk]
            for (_name, iso3), result in zip(queries, screener.screen_many(queries), strict=True):
                yield screening.screen_record(result, iso3, entities, limits, floor)

    def supplier_of(self, country: str | None, name: str | None) -> _Key | None:
        if name is None:
            return None
        iso3 = self.countries[country].screen_iso3 if country is not None else None
        return self.suppliers[supplier_key(name, iso3)]

    def score_triples(self) -> list[LineScore]:
        """Score every distinct (product, country, supplier) of the file once."""
        scores: list[LineScore] = []
        index: dict[int, int] = {}
        for triple in self.triples:
            product, country, name = triple
            good = self.products[product] if product is not None else None
            place = self.countries[country] if country is not None else None
            supplier = self.supplier_of(country, name)
            line = evidence.line_evidence(
                good.light if good else None,
                place.light if place else None,
                supplier.light if supplier else (),
            )
            score = self.scorer.score(line)
            at = index.get(id(score))
            if at is None:
                at = index[id(score)] = len(scores)
                scores.append(score)
            self.triples[triple] = (
                good.match_id if good else None,
                place.match_id if place else None,
                supplier.match_id if supplier else None,
                good.target if good else None,
                place.target if place else None,
                at,
                (good.decisions if good else 0)
                | (place.decisions if place else 0)
                | (supplier.decisions if supplier else 0),
            )
        rows = [score_row(self.assessment_id, score) for score in scores]
        self.score_ids = _insert_returning_ids(_SCORE, rows)
        return scores

    def store_lines(
        self, table: ingest.Table, mapping: ingest.ColumnMapping, currency: str | None,
        scores: list[LineScore],
    ) -> SummaryColumns:  # fmt: skip
        """Stream the file again and insert every line, a chunk per statement and commit."""
        columns = SummaryColumns()
        score_ids = self.score_ids
        per_score = [
            (
                score_ids[i],
                s.forced_labour.score,
                s.child_labour.score,
                max(s.forced_labour.score, s.child_labour.score),
                line_band(s),
                DECIDED_INSUFFICIENT if s.insufficient_data else 0,
            )
            for i, s in enumerate(scores)
        ]
        assessment_id, organisation_id = self.assessment_id, self.organisation_id
        triples, keys_of, add = self.triples, self.keys_of, columns.add
        # A row's four key texts -> its triple and that triple's columns: rows repeat their
        # texts, and one look-up of the four costs a fifth of working the keys out again.
        # Bounded like ingest's cleaning cache (a list where every row differs would grow it).
        rows_seen: dict[tuple[str | None, ...], tuple[Triple, Any]] = {}
        encode = _encode_json
        # Numeric columns: SQLite stores floats (as SQLAlchemy's Numeric does there).
        number: Any = _float_or_none if db.engine.dialect.name == "sqlite" else _same
        batch: list[tuple[Any, ...]] = []
        writer = _LineWriter(
            self.assessment_id,
            threaded=self.threaded_writes(),
            copy=bool(self.config.get("ASSESSMENT_COPY")),
        )
        records = ingest.records(table, mapping, default_currency=currency)
        self.read_summary = records.summary
        try:
            for record in records:
                texts = (
                    record.hs_code,
                    record.product_description,
                    record.country,
                    record.supplier_name,
                )
                seen = rows_seen.get(texts)
                if seen is None:
                    if len(rows_seen) >= ROWS_SEEN_SIZE:
                        rows_seen.clear()
                    triple = keys_of(*texts)
                    seen = rows_seen[texts] = (triple, triples[triple])
                triple, (
                    good_match, country_match, supplier_match, good_id, iso3, at, decided
                ) = seen  # fmt: skip
                score_id, fl, cl, peak, band, insufficient = per_score[at]
                problems = [_problem_json(p) for p in record.problems] if record.problems else None
                spend, quantity = record.spend, record.quantity
                if spend is not None and abs(spend) >= MAX_SPEND:
                    problems = [*(problems or []), _too_large(record, "spend")]
                    spend = None
                if quantity is not None and abs(quantity) >= MAX_QUANTITY:
                    problems = [*(problems or []), _too_large(record, "quantity")]
                    quantity = None
                name = record.supplier_name
                batch.append(
                    (  # in LINE_COLUMNS order
                        assessment_id,
                        organisation_id,
                        record.row_number,
                        encode(record.values),
                        (name or "")[:500],
                        (record.supplier_id or "")[:200],
                        (record.country or "")[:500],
                        record.product_description or "",
                        (record.hs_code or "")[:32],
                        number(spend),
                        record.currency,
                        number(quantity),
                        record.unit[:32] if record.unit else None,
                        record.tier,
                        good_id,
                        iso3,
                        good_match,
                        country_match,
                        supplier_match,
                        score_id,
                        fl,
                        cl,
                        peak,
                        band,
                        encode(problems) if problems else None,
                        decided | insufficient,
                    )
                )
                supplier = triple[2]
                add(
                    record.row_number,
                    supplier,
                    self.names[supplier] if supplier is not None else NO_SUPPLIER,
                    spend,
                    record.currency,
                    at,
                    iso3,
                    good_id,
                    problems,
                    decided,
                )
                if len(batch) >= self.chunk:
                    writer.write(batch)
                    batch = []
            if batch:
                writer.write(batch)
        except BaseException:
            writer.abort()  # stop the writer before the failure is handled
            raise
        writer.close()
        return columns

    def threaded_writes(self) -> bool:
        """Tell whether lines may be written from a thread of their own (not in-memory SQLite).

        An in-memory SQLite database lives on one shared connection, which two threads must
        not use; everywhere else the writer has a connection of its own.
        """
        url = db.engine.url
        return not (url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"))


def _positional_insert(insert: sa.Insert, dialect: sa.Dialect) -> str | None:
    """Return the insert's SQL when the driver takes its values as plain tuples in order.

    Then a chunk goes straight to the driver's executemany, without SQLAlchemy building and
    processing a parameter dictionary per line (a fifth of SQLite's storing time).
    """
    compiled = insert.compile(dialect=dialect)
    if not compiled.positional or tuple(compiled.positiontup or ()) != LINE_COLUMNS:
        return None
    return str(compiled)


class _LineWriter:
    """Insert lines a chunk per statement, committing progress about once a second.

    Threaded, the inserts run while the next chunk is read and built: the database works on
    one chunk (sqlite3 and psycopg release the GIL while it does) as Python parses the next,
    which on two cores takes the storing stage from the sum of the two to the larger. The
    caller's session must not write while the writer is open.
    """

    def __init__(self, assessment_id: int, *, threaded: bool, copy: bool = False):
        self.assessment_id = assessment_id
        self.copy = copy and db.engine.dialect.name == "postgresql"
        self.stored = 0
        self.committed = 0.0
        self.error: BaseException | None = None
        self.insert = sa.insert(_LINE_ROWS)
        self.positional = _positional_insert(self.insert, db.engine.dialect)
        self.values: str | None = None  # SQLite: the insert's SQL up to VALUES, then per line
        self.per_statement = 1
        self.progress = (
            sa.update(Assessment.__table__)
            .where(Assessment.__table__.c.id == assessment_id)
            .values(rows_done=sa.bindparam("rows_done"))
        )
        self.thread: threading.Thread | None = None
        sqlite = db.engine.dialect.name == "sqlite"
        self.every = SQLITE_COMMIT_SECONDS if sqlite else COMMIT_SECONDS
        if threaded:
            self.queue: queue.Queue[list[tuple[Any, ...]] | None] = queue.Queue(maxsize=2)
            self.connection = db.engine.connect()
            if self.connection.dialect.name == "sqlite" and self.positional is not None:
                self._multi_row_values(self.connection)
            if self.connection.dialect.name == "sqlite":
                # The line table's indexes outgrow SQLite's default 2 MB page cache after a
                # few hundred thousand rows, and every insert then reads pages back from the
                # OS. A larger cache for this connection only (reset before it goes back to
                # the pool) keeps a million-row list in memory.
                self.connection.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KB}")
            elif self.connection.dialect.name == "postgresql":
                # The writer's commits only show progress: they need not wait for the WAL to
                # reach the disk. The run's last commit (status done, from the job's session)
                # waits as usual, and flushes the lines' WAL before it. Reset before the
                # connection goes back to the pool.
                self.connection.exec_driver_sql("SET synchronous_commit = off")
            self.thread = threading.Thread(target=self._run, name="line-writer", daemon=True)
            self.thread.start()

    def _multi_row_values(self, connection: sa.Connection) -> None:
        """Insert SQLITE_LINES_PER_STATEMENT lines per statement (fewer if the limit says)."""
        driver: Any = connection.connection.driver_connection
        try:
            limit = int(driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
        except AttributeError:  # Python before 3.11: SQLite's oldest default
            limit = 999
        self.per_statement = max(1, min(SQLITE_LINES_PER_STATEMENT, limit // len(LINE_COLUMNS)))
        assert self.positional is not None
        head, _, line = self.positional.partition(" VALUES ")
        self.values = f"{head} VALUES "
        self.line_values = line

    def _store(self, connection: sa.Connection, batch: list[tuple[Any, ...]]) -> bool:
        """Insert a chunk; return True when it is time to commit (and show progress)."""
        if self.values is not None:
            # Lines per statement: see SQLITE_LINES_PER_STATEMENT.
            step = self.per_statement
            full = self.values + ", ".join([self.line_values] * step)
            for start in range(0, len(batch), step):
                part = batch[start : start + step]
                sql = (
                    full
                    if len(part) == step
                    else self.values + ", ".join([self.line_values] * len(part))
                )
                connection.exec_driver_sql(sql, tuple(chain.from_iterable(part)))
        elif self.copy:
            # psycopg's COPY, inside the connection's transaction (see ASSESSMENT_COPY).
            driver: Any = connection.connection.driver_connection
            with driver.cursor() as cursor, cursor.copy(_COPY_LINES) as copy:
                for row in batch:
                    copy.write_row(row)
        elif self.positional is not None:
            # The Core insert() compiled once, each chunk one executemany of plain tuples.
            connection.exec_driver_sql(self.positional, batch)
        else:
            rows = [dict(zip(LINE_COLUMNS, row, strict=True)) for row in batch]
            connection.execute(self.insert, rows)
        self.stored += len(batch)
        now = time.monotonic()
        if now - self.committed < self.every:
            return False
        connection.execute(self.progress, {"rows_done": self.stored})
        self.committed = now
        return True

    def _run(self) -> None:
        while (batch := self.queue.get()) is not None:
            if self.error is None:
                try:
                    if self._store(self.connection, batch):
                        self.connection.commit()
                except BaseException as error:  # handed to the reading thread, which raises it
                    self.error = error

    def write(self, batch: list[tuple[Any, ...]]) -> None:
        """Store one chunk of lines (queued when threaded)."""
        if self.thread is None:
            if self._store(db.session.connection(), batch):
                db.session.commit()
            return
        if self.error is not None:
            self.close()
        self.queue.put(batch)

    def abort(self) -> None:
        """Stop the writer after a failure elsewhere, dropping what it has not committed."""
        if self.thread is not None:
            self.error = self.error or RuntimeError("the line writer was stopped")
            self.queue.put(None)
            self.thread.join()
            self.connection.rollback()
            self._release()

    def _release(self) -> None:
        """Undo the writer's connection settings and give the connection back to the pool."""
        connection = self.connection
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA cache_size = -2000")
        elif connection.dialect.name == "postgresql":
            connection.exec_driver_sql("RESET synchronous_commit")
            connection.commit()  # a SET undone in a transaction rolled back would not be
        connection.close()
        self.thread = None

    def close(self) -> None:
        """Wait for the queued chunks; raise what the writer met, if anything."""
        if self.thread is not None:
            self.queue.put(None)
            self.thread.join()
            if self.error is None:
                self.connection.execute(self.progress, {"rows_done": self.stored})
                self.connection.commit()
            self._release()
        if self.error is not None:
            raise self.error


def _float_or_none(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _same(value: Any) -> Any:
    return value


def _problem_json(problem: ingest.RowProblem) -> dict[str, Any]:
    return {
        "column": problem.column,
        "field": problem.field,
        "value": problem.value,
        "reason": problem.reason,
        "code": problem.code,
    }


def _too_large(record: Record, field: str) -> dict[str, Any]:
    return {
        "column": None,
        "field": field,
        "value": str(getattr(record, field)),
        "reason": f"the {field} is too large to store; it was left out of the totals",
        "code": f"bad_{field}",
    }


# Entry points --------------------------------------------------------------------------------


def _load(assessment_id: int) -> Assessment:
    # The job is handed an id by our own queue and acts for that assessment's organisation:
    # every query after this one is scoped by `assessment.organisation_id`.
    assessment = db.session.scalar(sa.select(Assessment).where(Assessment.id == assessment_id))
    if assessment is None:
        raise NotFound(f"No assessment {assessment_id}.")
    return assessment


def failure_message(error: BaseException) -> str:
    """Say why a run failed, for the person who uploaded the file."""
    if isinstance(error, DomainError):
        return error.detail
    return (
        f"The assessment stopped on an internal error ({type(error).__name__}: {error}). "
        "The original file is kept: run the assessment again, and report the problem if it "
        "happens again."
    )


def run_assessment(assessment_id: int, *, job_id: str | None = None) -> Assessment:
    """Run the pipeline over an assessment's upload; on failure, record why and keep the file.

    Idempotent: a finished assessment is left as it is, and a run clears any partial results
    of an earlier attempt first. Commits as it goes (it is a job's transaction boundary).

    A job passes its `job_id`: the run then first claims the assessment (queued or failed,
    and still this job's) in one UPDATE, so that a job superseded by a rerun, or a second
    worker handed the same assessment, leaves it alone instead of writing its lines twice.
    """
    assessment = _load(assessment_id)
    if assessment.status == "done":
        return assessment
    if job_id is not None:
        claimed = db.session.execute(
            sa.update(Assessment)
            .where(
                Assessment.id == assessment_id,
                Assessment.job_id == job_id,
                Assessment.status.in_(("queued", "failed")),
            )
            .values(status="running", stage="reading", started_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        if not claimed.rowcount:  # type: ignore[attr-defined]
            log.info(
                "assessment %s: job %s is not its job any more; skipped", assessment_id, job_id
            )
            db.session.refresh(assessment)
            return assessment
        db.session.refresh(assessment)
    clear_results(assessment.id)
    assessment.status, assessment.stage = "running", "reading"
    assessment.rows_done, assessment.rows_total = 0, None
    assessment.error, assessment.summary = None, None
    assessment.started_at, assessment.finished_at = utcnow(), None
    db.session.commit()
    try:
        _Run(assessment).execute()
    except Exception as error:
        db.session.rollback()
        if not isinstance(error, DomainError):
            log.exception("assessment %s failed", assessment_id)
        assessment = _load(assessment_id)
        clear_results(assessment.id)
        assessment.status = "failed"
        assessment.error = failure_message(error)
        assessment.summary = None
        assessment.finished_at = utcnow()
        db.session.commit()
    return assessment


def _is_stale(assessment: Assessment) -> bool:
    started = assessment.started_at
    if started is None:
        return True
    if started.tzinfo is None:  # SQLite gives naive datetimes back
        started = started.replace(tzinfo=utcnow().tzinfo)
    return utcnow() - started > timedelta(seconds=int(current_app.config["JOBS_TIMEOUT"]))


def _who(
    principal: Principal | None, user_id: int | None, token_id: int | None
) -> tuple[int | None, int | None]:
    if principal is not None:
        return user_id or principal.user_id, token_id or principal.token_id
    return user_id, token_id


def rerun(
    assessment: Assessment,
    principal: Principal | None = None,
    *,
    user_id: int | None = None,
    token_id: int | None = None,
) -> Assessment:
    """Delete an assessment's results and run it again from the kept file (same assessment).

    Conflict while it is running (unless it has run for longer than JOBS_TIMEOUT).
    """
    if assessment.status == "running" and not _is_stale(assessment):
        raise Conflict("The assessment is running; wait until it has finished or failed.")
    user_id, token_id = _who(principal, user_id, token_id)
    clear_results(assessment.id)
    assessment.status, assessment.stage = "queued", "queued"
    assessment.rows_done, assessment.rows_total = 0, None
    assessment.error, assessment.summary = None, None
    assessment.started_at = assessment.finished_at = None
    assessment.job_id = f"assessment-{uuid.uuid4().hex}"
    db.session.flush()
    audit.record(
        ASSESSMENT_RERUN,
        organisation_id=assessment.organisation_id,
        user_id=user_id,
        token_id=token_id,
        target=assessment,
    )
    jobs.enqueue(assessment)
    return assessment


def reassess(
    assessment: Assessment,
    principal: Principal | None = None,
    *,
    user_id: int | None = None,
    token_id: int | None = None,
) -> Assessment:
    """Start a new assessment of the same upload with today's model and reference data."""
    user_id, token_id = _who(principal, user_id, token_id)
    upload = get_scoped(Upload, assessment.upload_id, assessment.organisation_id)
    return uploads.start_assessment(
        upload, user_id=user_id, token_id=token_id, previous_id=assessment.id
    )


# Re-scoring after judgements -----------------------------------------------------------------


def rescore(
    assessment: Assessment,
    principal: Principal | None = None,
    *,
    user_id: int | None = None,
    token_id: int | None = None,
) -> dict[str, int]:
    """Re-apply the organisation's judgements to a finished assessment and re-score its lines.

    Updates the matches whose judgements changed, points the lines that use them at their new
    scores (a changed country also re-screens the supplier in it), and recomputes the
    summary. Returns counts of matches and lines changed. Conflict unless the assessment is
    done, or when the reference data has changed since it ran (reassess instead).
    """
    if assessment.status != "done":
        raise Conflict("Only a finished assessment can be re-scored.")
    config = run_config(assessment)
    reference = get_reference(config)
    if reference.version != assessment.reference_version:
        raise Conflict(
            f"The assessment used reference data {assessment.reference_version}; "
            f"{reference.version} is installed now. Reassess the upload instead."
        )
    user_id, token_id = _who(principal, user_id, token_id)
    found = judgements.overrides(assessment.organisation_id)
    changed: dict[int, int] = {}  # match id -> its DECIDED_* bits before the change
    matches = db.session.scalars(
        sa.select(AssessmentMatch).where(AssessmentMatch.assessment_id == assessment.id)
    )
    for match in matches:
        record = judgements.apply_judgements(
            match.kind, match.record, found.get((match.kind, match.query_key)), reference, config
        )
        if record != match.record:
            changed[match.id] = decision_bits(match.decision, match.judged)
            match.record = record
            match.decision, match.target_id, match.score = judgements.match_columns(
                match.kind, record
            )
            match.judged = bool(record.get("judgements"))
    lines = 0
    if changed:
        db.session.flush()
        lines = _rescore_lines(assessment, changed, found, reference, config)
        _resummarise(assessment, reference)
    audit.record(
        ASSESSMENT_RESCORED,
        organisation_id=assessment.organisation_id,
        user_id=user_id,
        token_id=token_id,
        target=assessment,
        detail={"matches_changed": len(changed), "lines_changed": lines},
    )
    return {"matches_changed": len(changed), "lines_changed": lines}


def _rescore_lines(
    assessment: Assessment,
    changed: Mapping[int, int],
    found: judgements.Overrides,
    reference: ReferenceData,
    config: Mapping[str, Any],
) -> int:
    """Point the lines that use changed matches at their new evidence's scores.

    `changed` maps each changed match to its DECIDED_* bits before the change: a line that
    used it has those bits, so only the lines with them are read (on the decisions index,
    which holds the match ids: no line is read from the table).
    """
    line = AssessmentLine
    wanted: set[int] = set()
    for bits in set(changed.values()):
        wanted.update(decisions_with(bits))
    query = (
        sa.select(line.decisions, line.good_match_id, line.country_match_id, line.supplier_match_id)
        .where(line.assessment_id == assessment.id, line.decisions.in_(sorted(wanted)))
        .distinct()
    )
    affected = sorted(
        (
            (bits, good, country, supplier)
            for bits, good, country, supplier in db.session.execute(query)
            if good in changed or country in changed or supplier in changed
        ),
        key=lambda t: tuple(i or 0 for i in t),
    )
    if not affected:
        return 0
    needed = {i for t in affected for i in t[1:] if i is not None}
    records = _match_records(assessment.id, needed)
    scorer = Scorer(reference, scoring_config(assessment))
    existing = {
        _score_signature({key: getattr(row, key) for key in _SIGNED}): row.id
        for row in db.session.scalars(
            sa.select(AssessmentScore).where(AssessmentScore.assessment_id == assessment.id)
        )
    }
    updates: dict[tuple[bool, bool, bool], list[dict[str, Any]]] = {}
    for bits, good_id, country_id, supplier_id in affected:
        good = records.get(good_id) if good_id else None
        country = records.get(country_id) if country_id else None
        supplier_match = supplier_id
        if supplier_id is not None and country_id in changed:
            supplier_match = _supplier_in(assessment, records[supplier_id], country, found,
                                          reference, config, records)  # fmt: skip
        supplier = records.get(supplier_match) if supplier_match else None
        score = scorer.score(
            evidence.line_evidence(
                _light_good(good.record) if good else None,
                _light_country(country.record) if country else None,
                judgements.supplier_hits(supplier.record, config) if supplier else (),
            )
        )
        values = score_row(assessment.id, score)
        signature = _score_signature(values)
        score_id = existing.get(signature)
        if score_id is None:
            score_id = existing[signature] = _insert_returning_ids(_SCORE, [values])[0]
        decided = DECIDED_INSUFFICIENT if score.insufficient_data else 0
        for match in (good, country, supplier):
            if match is not None:
                decided |= decision_bits(match.decision, match.judged)
        shape = (good_id is None, country_id is None, supplier_id is None)
        updates.setdefault(shape, []).append(
            {
                "b_decisions": bits,
                "b_good": good_id,
                "b_country": country_id,
                "b_supplier": supplier_id,
                "supplier_match_id": supplier_match,
                "good_id": good.target_id if good else None,
                "country_iso3": country.target_id if country else None,
                "score_id": score_id,
                "forced_labour": score.forced_labour.score,
                "child_labour": score.child_labour.score,
                "score": max(score.forced_labour.score, score.child_labour.score),
                "band": line_band(score),
                "decisions": decided,
            }
        )
    count = 0
    for (no_good, no_country, no_supplier), params in updates.items():
        c = _LINE.c
        where = [  # on the decisions index, by its every column
            c.assessment_id == assessment.id,
            c.decisions == sa.bindparam("b_decisions"),
            c.good_match_id.is_(None) if no_good else c.good_match_id == sa.bindparam("b_good"),
            c.country_match_id.is_(None)
            if no_country
            else c.country_match_id == sa.bindparam("b_country"),
            c.supplier_match_id.is_(None)
            if no_supplier
            else c.supplier_match_id == sa.bindparam("b_supplier"),
        ]
        statement = (
            sa.update(_LINE)
            .where(*where)
            .values(
                supplier_match_id=sa.bindparam("supplier_match_id"),
                good_id=sa.bindparam("good_id"),
                country_iso3=sa.bindparam("country_iso3"),
                score_id=sa.bindparam("score_id"),
                forced_labour=sa.bindparam("forced_labour"),
                child_labour=sa.bindparam("child_labour"),
                score=sa.bindparam("score"),
                band=sa.bindparam("band"),
                decisions=sa.bindparam("decisions"),
            )
        )
        db.session.connection().execute(statement, params)
        count += len(params)
    return count


def _match_records(assessment_id: int, ids: set[int]) -> dict[int, AssessmentMatch]:
    found: dict[int, AssessmentMatch] = {}
    listed = sorted(ids)
    for start in range(0, len(listed), 500):
        query = sa.select(AssessmentMatch).where(
            AssessmentMatch.assessment_id == assessment_id,
            AssessmentMatch.id.in_(listed[start : start + 500]),
        )
        found.update({match.id: match for match in db.session.scalars(query)})
    return found


def _supplier_in(
    assessment: Assessment,
    supplier: AssessmentMatch,
    country: AssessmentMatch | None,
    found: judgements.Overrides,
    reference: ReferenceData,
    config: Mapping[str, Any],
    records: dict[int, AssessmentMatch],
) -> int:
    """Return the supplier match for the same name in the line's (newly judged) country."""
    name_key = supplier.query_key.rpartition("|")[0]
    iso3 = _screening_country(country.record) if country else None
    key = supplier_key(name_key, iso3)
    if key == supplier.query_key:
        return supplier.id
    existing = db.session.scalar(
        sa.select(AssessmentMatch).where(
            AssessmentMatch.assessment_id == assessment.id,
            AssessmentMatch.kind == "supplier",
            AssessmentMatch.query_key == key,
        )
    )
    if existing is None:
        result = screening.screener(reference).screen(supplier.query.strip(), iso3)
        entities = {entity.entity_id: entity for entity in reference.entities}
        record = screening.screen_record(
            result,
            iso3,
            entities,
            screening.thresholds(config),
            float(config["SCREEN_SUPPLIERS_FLOOR"]),
        )
        record = judgements.apply_judgements(
            "supplier", record, found.get(("supplier", key)), reference, config
        )
        decision, target, score = judgements.match_columns("supplier", record)
        existing = AssessmentMatch(
            assessment_id=assessment.id,
            organisation_id=assessment.organisation_id,
            kind="supplier",
            query_key=key,
            query=supplier.query,
            decision=decision,
            target_id=target,
            score=score,
            judged=bool(record.get("judgements")),
            record=record,
        )
        db.session.add(existing)
        db.session.flush()
    records[existing.id] = existing
    return existing.id


_SIGNED = (
    "forced_labour", "forced_labour_band", "child_labour", "child_labour_band", "confidence",
    "insufficient_data", "factors",
)  # fmt: skip


def _score_signature(values: Mapping[str, Any]) -> str:
    """Return what makes two stored scores the same score."""
    return json.dumps([values[key] for key in _SIGNED], sort_keys=True, default=str)


def summary_columns(assessment: Assessment) -> tuple[SummaryColumns, list[LineScore], int]:
    """Read an assessment's lines back into summary columns (after a re-score)."""
    rows = db.session.scalars(
        sa.select(AssessmentScore)
        .where(AssessmentScore.assessment_id == assessment.id)
        .order_by(AssessmentScore.id)
    )
    scores: list[LineScore] = []
    position: dict[int, int] = {}
    for row in rows:
        position[row.id] = len(scores)
        scores.append(line_score(row, assessment))
    columns = SummaryColumns()
    names: dict[str, str | None] = {}
    bits = {
        match_id: decision_bits(decision, judged)
        for match_id, decision, judged in db.session.execute(
            sa.select(AssessmentMatch.id, AssessmentMatch.decision, AssessmentMatch.judged).where(
                AssessmentMatch.assessment_id == assessment.id
            )
        )
    }
    decided: dict[tuple[int | None, int | None, int | None], int] = {}
    line = AssessmentLine
    query = (
        sa.select(
            line.row_number,
            line.supplier_name,
            sa.cast(line.spend, sa.Float),  # a float is all a weight needs; Decimals cost more
            line.currency,
            line.score_id,
            line.country_iso3,
            line.good_id,
            line.problems.is_not(None),
            line.good_match_id,
            line.country_match_id,
            line.supplier_match_id,
        )
        .where(line.assessment_id == assessment.id)
        .order_by(line.row_number)
        .execution_options(yield_per=20_000)
    )
    # Core rows streamed from the server: a million lines are read without ORM overhead.
    connection = db.session.connection()
    for (
        row_number, name, spend, currency, score_id, iso3, good_id, problems, *matches
    ) in connection.execute(query):  # fmt: skip
        key = names.get(name, _MISSING)  # type: ignore[arg-type]
        if key is _MISSING:
            key = names[name] = normalise_name(name) or None if name else None
        good_match, country_match, supplier_match = matches
        triple = (good_match, country_match, supplier_match)
        flags = decided.get(triple)
        if flags is None:
            flags = decided[triple] = (
                bits.get(good_match, 0) | bits.get(country_match, 0) | bits.get(supplier_match, 0)
            )
        columns.add(
            row_number, key, name, spend, currency, position[score_id or 0], iso3, good_id,  # type: ignore[arg-type]
            bool(problems), flags,
        )  # fmt: skip
    suppliers = len({key for key in names.values() if key})
    return columns, scores, suppliers


def _resummarise(assessment: Assessment, reference: ReferenceData) -> None:
    columns, scores, suppliers = summary_columns(assessment)
    result = build_summary(
        columns, scores, scoring_config(assessment), reference, suppliers=suppliers
    )
    result.update(match_counts(assessment.id))
    before = assessment.summary or {}
    # Re-scoring changes no row's problems: the details counted when the file was read stay.
    for kept in ("problems_by_code", "problem_sample", "timings"):
        if kept in before:
            result[kept] = before[kept]
    previous = before.get("notes", [])
    result["notes"] = [note for note in previous if not note.startswith("Spend is in")] + [
        note for note in result["notes"] if note.startswith("Spend is in")
    ]
    assessment.summary = result
    db.session.flush()


# Comparing two assessments -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Seen:
    row_number: int
    supplier: str
    product: str
    country: str
    forced_labour: float
    child_labour: float
    band: str

    def scores(self) -> dict[str, Any]:
        return {
            "forced_labour": self.forced_labour,
            "child_labour": self.child_labour,
            "band": self.band,
        }


def _lines_of(assessment: Assessment) -> Iterator[_Seen]:
    line = AssessmentLine
    query = (
        sa.select(
            line.row_number,
            line.supplier_name,
            line.product_text,
            line.hs_code,
            line.country_text,
            line.forced_labour,
            line.child_labour,
            line.band,
        )
        .where(
            line.assessment_id == assessment.id,
            line.organisation_id == assessment.organisation_id,
        )
        .order_by(line.row_number)
        .execution_options(yield_per=10_000)
    )
    for row, supplier, product, hs, country, fl, cl, band in db.session.execute(query):
        yield _Seen(row, supplier, product or hs, country, fl or 0.0, cl or 0.0, band or "Low")


def _worse(a: _Seen, b: _Seen) -> _Seen:
    """Combine two lines with the same key: the higher scores and band, the first row."""
    return _Seen(
        min(a.row_number, b.row_number),
        a.supplier,
        a.product,
        a.country,
        max(a.forced_labour, b.forced_labour),
        max(a.child_labour, b.child_labour),
        max(a.band, b.band, key=BAND_RANK.__getitem__),
    )


def _by_key(assessment: Assessment) -> dict[tuple[str, str], _Seen]:
    found: dict[tuple[str, str], _Seen] = {}
    for seen in _lines_of(assessment):
        key = (normalise_name(seen.supplier), normalise_name(seen.product))
        before = found.get(key)
        found[key] = seen if before is None else _worse(before, seen)
    return found


def _pairs(
    base: Assessment, current: Assessment, by: str
) -> Iterator[tuple[_Seen | None, _Seen | None]]:
    if by == "key":
        old, new = _by_key(base), _by_key(current)
        for key in sorted(old.keys() | new.keys()):
            yield old.get(key), new.get(key)
        return
    # By row: both are read in row order and merged, a few thousand rows at a time.
    old_rows, new_rows = _lines_of(base), _lines_of(current)
    a, b = next(old_rows, None), next(new_rows, None)
    while a is not None or b is not None:
        if b is None or (a is not None and a.row_number < b.row_number):
            yield a, None
            a = next(old_rows, None)
        elif a is None or b.row_number < a.row_number:
            yield None, b
            b = next(new_rows, None)
        else:
            yield a, b
            a, b = next(old_rows, None), next(new_rows, None)


def _described(assessment: Assessment) -> dict[str, Any]:
    return {
        "id": assessment.id,
        "upload_id": assessment.upload_id,
        "status": assessment.status,
        "created_at": assessment.created_at.isoformat() if assessment.created_at else None,
        "model": {"name": assessment.model_name, "profile": assessment.model_profile},
        "reference_version": assessment.reference_version,
    }


def compare(
    base: Assessment, current: Assessment, *, by: str | None = None, limit: int = COMPARE_LIMIT
) -> dict[str, Any]:
    """Compare two finished assessments of one organisation: what became or stopped being a risk.

    `by` is "row" (row_number: the same file, e.g. reassessed after a reference update) or
    "key" (normalised supplier name and product: a newer export of the list). The default is
    "row" for two assessments of the same upload, else "key". A new risk is a line whose band
    rose to High or Critical (or a new line in those bands); a resolved risk one that left
    them; changed lists every line whose forced- or child-labour score moved. Each list holds
    at most `limit` items; `counts` has the full numbers.
    """
    if base.organisation_id != current.organisation_id:
        raise NotFound(f"No assessment {current.id} in your organisation.")
    for assessment in (base, current):
        if assessment.status != "done":
            raise Conflict(f"Assessment {assessment.id} has not finished; compare finished ones.")
    by = by or ("row" if base.upload_id == current.upload_id else "key")
    if by not in ("row", "key"):
        raise Conflict(f"Compare by row or by key, not {by!r}.")
    counts = {"new_risks": 0, "resolved_risks": 0, "changed": 0, "added": 0, "removed": 0}
    lists: dict[str, list[dict[str, Any]]] = {"new_risks": [], "resolved_risks": [], "changed": []}
    high = BAND_RANK["High"]

    def add(name: str, before: _Seen | None, after: _Seen | None) -> None:
        counts[name] += 1
        if len(lists[name]) < limit:
            line = after or before
            assert line is not None
            lists[name].append(
                {
                    "row_number": line.row_number,
                    "before_row_number": before.row_number if before else None,
                    "supplier": line.supplier,
                    "product": line.product,
                    "country": line.country,
                    "key": {
                        "supplier": normalise_name(line.supplier),
                        "product": normalise_name(line.product),
                    },
                    "before": before.scores() if before else None,
                    "after": after.scores() if after else None,
                }
            )

    for before, after in _pairs(base, current, by):
        was = BAND_RANK[before.band] >= high if before else False
        now = BAND_RANK[after.band] >= high if after else False
        if before is None:
            counts["added"] += 1
        if after is None:
            counts["removed"] += 1
        if now and not was:
            add("new_risks", before, after)
        elif was and not now:
            add("resolved_risks", before, after)
        if (
            before is not None
            and after is not None
            and (
                abs(before.forced_labour - after.forced_labour) >= 0.05
                or abs(before.child_labour - after.child_labour) >= 0.05
            )
        ):
            add("changed", before, after)
    return {
        "base": _described(base),
        "current": _described(current),
        "by": by,
        "counts": counts,
        **lists,
    }


__all__ = [
    "SummaryColumns",
    "build_summary",
    "clear_results",
    "compare",
    "line_score",
    "product_key",
    "product_query",
    "reassess",
    "rerun",
    "rescore",
    "run_assessment",
    "score_row",
    "supplier_key",
]
