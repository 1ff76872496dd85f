"""Reading finished assessments: the summary, pages of lines, and one line in full.

Lines are read with queries on the assessment's indexes, so that pages stay fast at a million
lines: row order on (assessment_id, row_number), riskiest first on (assessment_id, score,
row_number), and filters on band, country, good and supplier name on their own indexes. A page
can be asked for by number (`page`) or, for deep paging, after the last item seen (`after`,
the `cursor` of that item), which needs no OFFSET. The free-text filter `q` scans the lines
of the assessment.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask import current_app

from risk_models.scoring.questions import questions_for
from supplychain.errors import InvalidInput, NotFound
from supplychain.extensions import db
from supplychain.models.assessments import (
    Assessment,
    AssessmentLine,
    AssessmentMatch,
    AssessmentScore,
)
from supplychain.services import judgements
from supplychain.services.pipeline import line_score
from supplychain.services.refdata import get_reference

BANDS = ("Low", "Medium", "High", "Critical")
FILTERS = ("band", "country", "good", "supplier", "decision", "q")
DECISIONS = ("accepted", "review", "none", "judged")
SORTS = ("row", "-row", "-score", "score", "supplier", "country")
MAX_PER_PAGE = 500
REASONS = 3  # factors quoted as a line's reasons
NONE = "none"  # the filter value for "no country" / "no listed good"

_line = AssessmentLine


def summary(assessment: Assessment) -> dict[str, Any]:
    """Return the assessment's summary (empty figures until it is done)."""
    if assessment.summary:
        return dict(assessment.summary)
    return {"lines": 0, "suppliers": 0, "countries": 0, "goods": 0, "notes": []}


def model_info(assessment: Assessment) -> dict[str, Any]:
    """Say which model, profile, parameters, reference data and thresholds a run used."""
    return {
        "name": assessment.model_name,
        "profile": assessment.model_profile,
        "reference_version": assessment.reference_version,
        "parameters": assessment.model_parameters,
        "match_thresholds": assessment.match_thresholds,
    }


# Filters and sorting -------------------------------------------------------------------------


def _filtered(assessment: Assessment, filters: Mapping[str, Any]) -> sa.Select[Any]:
    query = sa.select(_line).where(
        _line.assessment_id == assessment.id,
        _line.organisation_id == assessment.organisation_id,
    )
    unknown = set(filters) - set(FILTERS)
    if unknown:
        raise InvalidInput(f"Unknown filter {sorted(unknown)[0]!r}; use {', '.join(FILTERS)}.")
    band = filters.get("band")
    if band:
        if band not in BANDS:
            raise InvalidInput(f"{band!r} is not a band; use {', '.join(BANDS)}.")
        query = query.where(_line.band == band)
    country = filters.get("country")
    if country:
        query = query.where(
            _line.country_iso3.is_(None)
            if country.lower() == NONE
            else _line.country_iso3 == country.strip().upper()
        )
    good = filters.get("good")
    if good:
        query = query.where(
            _line.good_id.is_(None) if good.lower() == NONE else _line.good_id == good.strip()
        )
    supplier = filters.get("supplier")
    if supplier:
        query = query.where(_line.supplier_name == supplier)
    decision = filters.get("decision")
    if decision:
        query = query.where(_decision_filter(assessment, decision))
    text = (filters.get("q") or "").strip()
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            sa.or_(
                *(
                    column.ilike(pattern, escape="\\")
                    for column in (
                        _line.supplier_name,
                        _line.product_text,
                        _line.country_text,
                        _line.hs_code,
                    )
                )
            )
        )
    return query


def _decision_filter(assessment: Assessment, decision: str) -> sa.ColumnElement[bool]:
    """Lines with at least one match in that decision ("judged": one a person decided)."""
    if decision not in DECISIONS:
        raise InvalidInput(f"{decision!r} is not a match decision; use {', '.join(DECISIONS)}.")
    matches = sa.select(AssessmentMatch.id).where(AssessmentMatch.assessment_id == assessment.id)
    if decision == "judged":
        matches = matches.where(AssessmentMatch.judged.is_(True))
    else:
        matches = matches.where(AssessmentMatch.decision == decision)
    return sa.or_(
        _line.good_match_id.in_(matches),
        _line.country_match_id.in_(matches),
        _line.supplier_match_id.in_(matches),
    )


def _order(sort: str) -> list[Any]:
    if sort == "row":
        return [_line.row_number]
    if sort == "-row":
        return [_line.row_number.desc()]
    if sort == "-score":
        # Both descending, so the (assessment_id, score, row_number) index is read backwards.
        return [_line.score.desc(), _line.row_number.desc()]
    if sort == "score":
        return [_line.score, _line.row_number]
    if sort == "supplier":
        return [_line.supplier_name, _line.row_number]
    if sort == "country":
        return [_line.country_iso3, _line.row_number]
    raise InvalidInput(f"{sort!r} is not a sort order; use {', '.join(SORTS)}.")


def cursor(item: Mapping[str, Any], sort: str) -> str:
    """Return the `after` value that continues a listing after this item."""
    if sort in ("score", "-score"):
        return f"{item['score']}:{item['row_number']}"
    return str(item["row_number"])


def _after(query: sa.Select[Any], sort: str, after: str) -> sa.Select[Any]:
    try:
        if sort in ("row", "-row"):
            row = int(after)
            return query.where(_line.row_number > row if sort == "row" else _line.row_number < row)
        if sort in ("score", "-score"):
            score_text, _, row_text = after.partition(":")
            score, row = float(score_text), int(row_text)
            key = sa.tuple_(_line.score, _line.row_number)
            return query.where(key > (score, row) if sort == "score" else key < (score, row))
    except ValueError:
        raise InvalidInput(f"{after!r} is not a cursor this listing gave.") from None
    raise InvalidInput(f"Sort {sort!r} pages by number only (no `after`).")


def lines_page(
    assessment: Assessment,
    filters: Mapping[str, Any] | None = None,
    sort: str = "row",
    page: int = 1,
    per_page: int = 50,
    *,
    after: str | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """Return one page of lines (as items with matches, scores and factors) and the total."""
    filters = {key: value for key, value in (filters or {}).items() if value not in (None, "")}
    per_page = max(1, min(MAX_PER_PAGE, int(per_page)))
    page = max(1, int(page))
    query = _filtered(assessment, filters)
    if not filters and assessment.status == "done" and assessment.summary:
        total = int(assessment.summary.get("lines", 0))
    else:
        total = (
            db.session.scalar(
                sa.select(sa.func.count()).select_from(query.order_by(None).subquery())
            )
            or 0
        )
    listing = query.order_by(*_order(sort)).limit(per_page)
    # A cursor needs no OFFSET (deep pages cost the same as the first); a page number does.
    listing = _after(listing, sort, after) if after else listing.offset((page - 1) * per_page)
    lines = list(db.session.scalars(listing))
    return line_items(assessment, lines), int(total or 0)


# Items ---------------------------------------------------------------------------------------


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _match_summary(match: AssessmentMatch | None) -> dict[str, Any] | None:
    if match is None:
        return None
    record = match.record
    if match.kind == "supplier":
        matched = [hit for hit in record.get("hits", ()) if hit["match"]]
        name = matched[0]["name"] if matched else None
        listed = matched[0]["list"] if matched else None
    else:
        name = record["match"]["name"] if record.get("match") else None
        listed = None
    return {
        "id": match.id,
        "kind": match.kind,
        "query": match.query,
        "decision": match.decision,
        "target_id": match.target_id,
        "name": name,
        "list": listed,
        "score": match.score,
        "judged": match.judged,
    }


def _by_id(model: Any, assessment: Assessment, ids: Iterable[int | None]) -> dict[int, Any]:
    wanted = sorted({i for i in ids if i is not None})
    found: dict[int, Any] = {}
    for start in range(0, len(wanted), 500):
        query = sa.select(model).where(
            model.assessment_id == assessment.id, model.id.in_(wanted[start : start + 500])
        )
        found.update({row.id: row for row in db.session.scalars(query)})
    return found


def reasons(factors: Sequence[Mapping[str, Any]], count: int = REASONS) -> list[str]:
    """Return the details of a line's strongest factors, strongest first, once each."""
    found: list[str] = []
    for factor in sorted(factors, key=lambda f: -f["contribution"]):
        if factor["detail"] not in found:
            found.append(factor["detail"])
        if len(found) == count:
            break
    return found


def line_item(
    line: AssessmentLine,
    matches: Mapping[int, AssessmentMatch],
    scores: Mapping[int, AssessmentScore],
) -> dict[str, Any]:
    """Describe one line: values as uploaded, what they matched, scores, bands and factors."""
    score = scores.get(line.score_id) if line.score_id is not None else None
    factors = list(score.factors) if score else []
    return {
        "row_number": line.row_number,
        "original": line.original,
        "supplier_name": line.supplier_name,
        "supplier_ref": line.supplier_ref,
        "country_text": line.country_text,
        "product_text": line.product_text,
        "hs_code": line.hs_code,
        "spend": _number(line.spend),
        "currency": line.currency,
        "quantity": _number(line.quantity),
        "unit": line.unit,
        "tier": line.tier,
        "good_id": line.good_id,
        "country_iso3": line.country_iso3,
        "score": line.score,
        "band": line.band,
        "forced_labour": line.forced_labour,
        "forced_labour_band": score.forced_labour_band if score else None,
        "child_labour": line.child_labour,
        "child_labour_band": score.child_labour_band if score else None,
        "confidence": score.confidence if score else None,
        "insufficient_data": score.insufficient_data if score else None,
        "matches": {
            "good": _match_summary(matches.get(line.good_match_id or 0)),
            "country": _match_summary(matches.get(line.country_match_id or 0)),
            "supplier": _match_summary(matches.get(line.supplier_match_id or 0)),
        },
        "factors": factors,
        "reasons": reasons(factors),
        "problems": list(line.problems or []),
    }


def line_items(assessment: Assessment, lines: Sequence[AssessmentLine]) -> list[dict[str, Any]]:
    """Describe lines, fetching their matches and scores in two queries."""
    matches = _by_id(
        AssessmentMatch,
        assessment,
        (
            i
            for line in lines
            for i in (line.good_match_id, line.country_match_id, line.supplier_match_id)
        ),
    )
    scores = _by_id(AssessmentScore, assessment, (line.score_id for line in lines))
    return [line_item(line, matches, scores) for line in lines]


def get_line(assessment: Assessment, row_number: int) -> AssessmentLine:
    """Return one line of an assessment by its row number; NotFound otherwise."""
    line = db.session.scalar(
        sa.select(_line).where(
            _line.assessment_id == assessment.id,
            _line.organisation_id == assessment.organisation_id,
            _line.row_number == row_number,
        )
    )
    if line is None:
        raise NotFound(f"Assessment {assessment.id} has no line for row {row_number}.")
    return line


def line_detail(
    target: Assessment | AssessmentLine, row_number: int | None = None
) -> dict[str, Any]:
    """Return one line in full: its matches' records, factors, their sources and questions.

    Call with the line, or with its assessment and row number.
    """
    if isinstance(target, Assessment):
        if row_number is None:
            raise InvalidInput("Say which row of the assessment to show.")
        assessment, line = target, get_line(target, row_number)
    else:
        line = target
        assessment = db.session.scalars(
            sa.select(Assessment).where(
                Assessment.id == line.assessment_id,
                Assessment.organisation_id == line.organisation_id,
            )
        ).one()
    matches = _by_id(
        AssessmentMatch,
        assessment,
        (line.good_match_id, line.country_match_id, line.supplier_match_id),
    )
    scores = _by_id(AssessmentScore, assessment, (line.score_id,))
    item = line_item(line, matches, scores)
    for kind, match_id in (
        ("good", line.good_match_id),
        ("country", line.country_match_id),
        ("supplier", line.supplier_match_id),
    ):
        match = matches.get(match_id or 0)
        if match is not None and item["matches"][kind] is not None:
            item["matches"][kind]["record"] = match.record
            item["matches"][kind]["candidates"] = judgements.candidates_of(kind, match.record)
            item["matches"][kind]["query_key"] = match.query_key
    score = scores.get(line.score_id or 0)
    item["questions"] = questions_for(line_score(score, assessment).factors) if score else []
    item["sources"] = _sources(item["factors"], assessment)
    item["assessment_id"] = assessment.id
    item["model"] = model_info(assessment)
    return item


def _sources(factors: Sequence[Mapping[str, Any]], assessment: Assessment) -> list[dict[str, Any]]:
    """Return the publications the factors cite, with edition and where to find them."""
    reference = get_reference(current_app.config)
    published = {source.id: source for source in reference.sources}
    cited: dict[tuple[str, str], dict[str, Any]] = {}
    for factor in factors:
        ref = factor.get("source")
        if not ref:
            continue
        key = (ref["dataset"], ref["edition"])
        if key in cited:
            if ref["identifier"] not in cited[key]["identifiers"]:
                cited[key]["identifiers"].append(ref["identifier"])
            continue
        source = published.get(ref["dataset"])
        cited[key] = {
            "dataset": ref["dataset"],
            "edition": ref["edition"],
            "identifiers": [ref["identifier"]],
            "publisher": source.publisher if source else None,
            "title": source.title if source else None,
            "url": source.url if source else None,
            "licence": source.licence if source else None,
        }
    return list(cited.values())
