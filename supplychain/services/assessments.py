"""Reading finished assessments: the summary, pages of lines, and one line in full.

Lines are read with queries on the assessment's indexes, so that pages stay fast at a million
lines: row order on (assessment_id, row_number), riskiest first on (assessment_id, score,
row_number), filters on country, good, supplier name and decision (the line's `decisions`
bits) on their own (assessment_id, column) indexes, and a band as the range of scores its
lines have (the summary's `score_range_by_band`) on the score index. A page can be asked for
by number (`page`) or, for deep paging, after the last item seen (`after`, the `cursor` of
that item), which needs no OFFSET. The free-text filter `q` scans the lines
of the assessment.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.sql import operators

from risk_models.scoring import get_model
from risk_models.scoring.questions import questions_for
from supplychain.errors import InvalidInput, NotFound
from supplychain.extensions import db
from supplychain.models.assessments import (
    DECIDED_ACCEPTED,
    DECIDED_INSUFFICIENT,
    DECIDED_JUDGED,
    DECIDED_NONE,
    DECIDED_REVIEW,
    DECISIONS_ALL,
    Assessment,
    AssessmentLine,
    AssessmentMatch,
    AssessmentScore,
    decisions_with,
)
from supplychain.services import judgements
from supplychain.services.pipeline import line_score
from supplychain.services.refdata import get_reference

BANDS = ("Low", "Medium", "High", "Critical")
FILTERS = ("band", "country", "good", "supplier", "decision", "problems", "q")
# A line's matches: "review" (one waits for a person), "settled" (none does), "accepted" (one
# was accepted), "none" (one of its strings matched nothing), "judged" (a person decided one);
# "insufficient": its score says insufficient data.
DECISIONS = ("review", "settled", "accepted", "none", "judged", "insufficient")
LINE_DECISION_BITS = {
    "review": DECIDED_REVIEW,
    "accepted": DECIDED_ACCEPTED,
    "none": DECIDED_NONE,
    "judged": DECIDED_JUDGED,
    "insufficient": DECIDED_INSUFFICIENT,
}
SORTS = ("row", "-row", "-score", "score", "supplier", "country")
MAX_PER_PAGE = 500
REASONS = 3  # factors quoted as a line's reasons
NONE = "none"  # the filter value for "no country" / "no listed good"
YES = ("yes", "true", "1")
SORT_COST = 4  # sorting a line costs about this many index entries read past (measured)
# Up to this many lines are sorted rather than skipped through: the cost formula assumes the
# lines a filter keeps are spread evenly in the listing's order, and when they are not (one
# country's lines sorted by supplier) reading in order could pass most of the table first.
SORT_ALWAYS = 50_000

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


def outdated(assessment: Assessment) -> list[str]:
    """Say what has changed since the assessment ran: reference data, model or profile.

    An empty list means a re-assessment would use the same versions.
    """
    config = current_app.config
    changes = []
    installed = get_reference(config).version
    if assessment.reference_version != installed:
        changes.append(
            f"reference data {assessment.reference_version} → {installed} "
            "(lists or editions may have changed)"
        )
    model = get_model(config["ASSESSMENT_MODEL"], config["ASSESSMENT_PROFILE"])
    if (assessment.model_name, assessment.model_profile) != (model.model, model.profile):
        changes.append(
            f"model {assessment.model_name} ({assessment.model_profile}) → "
            f"{model.model} ({model.profile})"
        )
    return changes


# Filters and sorting -------------------------------------------------------------------------
#
# A page at a million lines stays fast because each query is answered from an index, read in
# the listing's order where the filter keeps many lines, or through the filter's index where
# it keeps few (those are then sorted, a few thousand at most). Which of the two is cheaper
# depends on how many lines the filter keeps, which the summary knows for single filters on
# band, country, good and decision (else it is counted, on the filter's index). The query
# planner cannot know it: without per-value statistics it guesses, and a wrong guess reads a
# million index entries for a rare filter. So the plan is chosen here, by writing the columns
# the other way in expressions an index cannot serve (`+ 0`, `|| ''`).


def _conditions(
    assessment: Assessment, filters: Mapping[str, Any], *, indexed: bool = True
) -> list[Any]:
    """Return the WHERE conditions of the filters; `indexed=False` keeps them off indexes."""

    def col(column: Any) -> Any:
        return column if indexed else sa.func.coalesce(column, "")

    unknown = set(filters) - set(FILTERS)
    if unknown:
        raise InvalidInput(f"Unknown filter {sorted(unknown)[0]!r}; use {', '.join(FILTERS)}.")
    where: list[Any] = []
    band = filters.get("band")
    if band:
        if band not in BANDS:
            raise InvalidInput(f"{band!r} is not a band; use {', '.join(BANDS)}.")
        where.append(col(_line.band) == band)
        scores = _band_scores(assessment, band)
        if indexed and scores is not None:
            # Lines have no band index: a band is a range of scores, read on the score index.
            where.append(_line.score.between(*scores))
    country = filters.get("country")
    if country:
        where.append(
            _line.country_iso3.is_(None)
            if country.strip().lower() == NONE
            else col(_line.country_iso3) == country.strip().upper()
        )
    good = filters.get("good")
    if good:
        where.append(
            _line.good_id.is_(None)
            if good.strip().lower() == NONE
            else col(_line.good_id) == good.strip()
        )
    supplier = filters.get("supplier")
    if supplier:
        where.append(col(_line.supplier_name) == supplier)
    decision = filters.get("decision")
    if decision:
        where.append(_decision_filter(assessment, decision, indexed=indexed))
    problems = filters.get("problems")
    if problems:
        if str(problems).strip().lower() not in YES:
            raise InvalidInput(f"problems={problems!r}: use problems=yes, or leave it out.")
        where.append(_line.problems.is_not(None))
    text = (filters.get("q") or "").strip()
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        # SQLite's LIKE ignores case already (ASCII); ilike() would lower() every value first.
        sqlite = db.engine.dialect.name == "sqlite"
        where.append(
            sa.or_(
                *(
                    (column.like if sqlite else column.ilike)(pattern, escape="\\")
                    for column in (
                        _line.supplier_name,
                        _line.product_text,
                        _line.country_text,
                        _line.hs_code,
                    )
                )
            )
        )
    return where


def _band_scores(assessment: Assessment, band: str) -> tuple[float, float] | None:
    """Return the lowest and highest score of a band's lines (from the summary), if known."""
    known = ((assessment.summary or {}).get("score_range_by_band") or {}).get(band)
    if not known:
        return None
    low, high = known
    return float(low) - 1e-9, float(high) + 1e-9


def _filtered(
    assessment: Assessment, filters: Mapping[str, Any], *, indexed: bool = True
) -> sa.Select[Any]:
    return sa.select(_line).where(
        _line.assessment_id == assessment.id,
        _line.organisation_id == assessment.organisation_id,
        *_conditions(assessment, filters, indexed=indexed),
    )


def _decision_filter(
    assessment: Assessment, decision: str, *, indexed: bool = True
) -> sa.ColumnElement[bool]:
    """Lines by their matches' decisions (see DECISIONS)."""

    def col(column: Any) -> Any:
        return column if indexed else column + 0

    if decision not in DECISIONS:
        raise InvalidInput(f"{decision!r} is not a match decision; use {', '.join(DECISIONS)}.")
    # The line's `decisions` bits, as a list of values: an IN the decisions index answers.
    if decision == "settled":  # no match waiting for a person
        review = set(decisions_with(DECIDED_REVIEW))
        values = [value for value in range(DECISIONS_ALL) if value not in review]
    else:
        values = decisions_with(LINE_DECISION_BITS[decision])
    return col(_line.decisions).in_(values)


def _order(sort: str, *, indexed: bool = True) -> list[Any]:
    """Return the ORDER BY of a sort; `indexed=False` sorts the filtered lines instead.

    Ties are broken by row. For supplier and country that is the line id, which follows the
    row order within an assessment (lines are inserted in row order) and which SQLite keeps
    at the end of every index: the (assessment, supplier) index then gives the whole order.
    """

    def col(column: Any) -> Any:
        return column if indexed else column + 0

    if sort == "row":
        return [col(_line.row_number)]
    if sort == "-row":
        return [col(_line.row_number).desc()]
    if sort == "-score":
        # Both descending, so the (assessment_id, score, row_number) index is read backwards.
        return [col(_line.score).desc(), col(_line.row_number).desc()]
    if sort == "score":
        return [col(_line.score), col(_line.row_number)]
    if sort == "supplier":
        name = _line.supplier_name if indexed else _line.supplier_name.concat("")
        return [name, col(_line.id)]
    if sort == "country":
        # `|| ''` keeps NULL a NULL, so lines with no country sort where the index puts them.
        iso3 = _line.country_iso3 if indexed else _line.country_iso3.concat("")
        return [iso3, col(_line.id)]
    raise InvalidInput(f"{sort!r} is not a sort order; use {', '.join(SORTS)}.")


def _reversed(order: list[Any]) -> list[Any]:
    """Return the opposite order (for the last pages: read from the other end)."""
    return [
        clause.element
        if isinstance(clause, sa.UnaryExpression) and clause.modifier is operators.desc_op
        else clause.desc()
        for clause in order
    ]


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


def known_total(assessment: Assessment, filters: Mapping[str, Any]) -> int | None:
    """Return how many lines a single filter keeps when the summary says it, else None."""
    figures = assessment.summary if assessment.status == "done" else None
    if not figures:
        return None
    if not filters:
        return int(figures.get("lines", 0))
    if len(filters) != 1:
        return None
    ((name, value),) = filters.items()
    value = str(value).strip()
    if name == "band":
        by_band = figures.get("lines_by_band") or {}
        return int(by_band[value]) if value in by_band else None
    if name == "problems":
        known = figures.get("rows_with_problems")
        return int(known) if known is not None and value.lower() in YES else None
    if name == "decision":
        by_decision = figures.get("lines_by_decision") or {}
        return int(by_decision[value]) if value in by_decision else None
    if name in ("country", "good"):
        key, field = ("by_country", "iso3") if name == "country" else ("by_good", "id")
        groups = figures.get(key)
        if groups is None:
            return None
        wanted = None if value.lower() == NONE else (value.upper() if name == "country" else value)
        return sum(int(g.get("lines") or 0) for g in groups if g.get(field) == wanted)
    return None


def count_lines(assessment: Assessment, filters: Mapping[str, Any] | None = None) -> int:
    """Return how many lines the filters keep (from the summary when it knows)."""
    filters = _clean(filters)
    known = known_total(assessment, filters)
    if known is not None:
        return known
    query = _filtered(assessment, filters).with_only_columns(sa.func.count()).order_by(None)
    return int(db.session.scalar(query) or 0)


def _clean(filters: Mapping[str, Any] | None) -> dict[str, Any]:
    return {key: value for key, value in (filters or {}).items() if value not in (None, "")}


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
    filters = _clean(filters)
    per_page = max(1, min(MAX_PER_PAGE, int(per_page)))
    page = max(1, int(page))
    _order(sort)  # an unknown sort is refused before any query
    total = count_lines(assessment, filters)
    offset = 0 if after else (page - 1) * per_page
    if total == 0 or offset >= total:
        return [], total
    # Read through the filter's index and sort what it keeps, or read in the listing's order
    # and skip what the filter drops: whichever costs less (see above). Sorting a line costs
    # a few times reading past one, hence SORT_COST.
    everything = count_lines(assessment) or total
    by_filter = bool(filters) and (
        total <= SORT_ALWAYS
        or "supplier" in filters  # a supplier's lines share a country, a few goods, scores
        or SORT_COST * total * total <= (offset + per_page) * everything
    )
    query = _filtered(assessment, filters, indexed=by_filter or not filters)
    band_range = _band_scores(assessment, filters.get("band") or "")
    if not by_filter and band_range and sort in ("score", "-score"):
        # A band is a range of scores: read the score index over that range only, rather than
        # past every line of the other bands first.
        query = query.where(_line.score.between(*band_range))
    order = _order(sort, indexed=not by_filter)
    # Ids first, then their lines: a sort then moves ids and keys, not whole lines.
    ids = query.with_only_columns(_line.id)
    if after:
        page_ids = list(
            db.session.scalars(_after(ids, sort, after).order_by(*order).limit(per_page))
        )
    elif not by_filter and offset + per_page > total - offset and offset > 0:
        # A page past the middle is read from the other end: the last page costs the first's.
        skip = max(0, total - offset - per_page)
        listing = ids.order_by(*_reversed(order)).limit(min(per_page, total - offset))
        page_ids = list(db.session.scalars(listing.offset(skip)))[::-1]
    else:
        page_ids = list(db.session.scalars(ids.order_by(*order).limit(per_page).offset(offset)))
    # By primary key: the ids are the assessment's (the query above is scoped), and the
    # assessment is checked again in an expression no index serves, which would otherwise
    # tempt the planner into reading the assessment's index instead of the primary key.
    found = {
        line.id: line
        for line in db.session.scalars(
            sa.select(_line).where(_line.id.in_(page_ids), _line.assessment_id + 0 == assessment.id)
        )
    }
    return line_items(assessment, [found[i] for i in page_ids]), total


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
