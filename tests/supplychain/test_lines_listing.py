"""The lines table: every filter with every sort, paged by number and by cursor, and its totals.

A listing reads either through the filter's index or in the listing's order (see
`supplychain.services.assessments`), and reads the last pages from the other end; whichever
way a page is read, walking all pages must give every line the filter keeps exactly once, in
the sort's order. The list here is long enough for all three ways to be taken.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from supplychain.errors import InvalidInput
from supplychain.extensions import db
from supplychain.models.accounts import Organisation
from supplychain.models.assessments import (
    Assessment,
    AssessmentLine,
    AssessmentMatch,
    AssessmentScore,
)
from supplychain.services import assessments, judgements, pipeline, uploads
from tests.supplychain.account_builders import make_org, make_token
from tests.supplychain.test_pipeline import csv_bytes

SUPPLIERS = ["Alpha Textiles", "Bravo Foods", "Charlie Metals", "Delta Toys", "Echo Farms", ""]
COUNTRIES = ["China", "CN", "Thailand", "Canada", "Peru", "Atlantis", ""]
PRODUCTS = ["cotton t-shirts", "frozen shrimp", "office chairs", "gold", "cocoa beans", "widgets"]


def rows(count: int = 240, seed: int = 5) -> list[str]:
    rng = random.Random(seed)
    out = []
    for n in range(count):
        spend = "n/a" if n % 17 == 0 else f"{rng.randrange(1, 10_000)}"
        out.append(
            f"{rng.choice(SUPPLIERS)},{rng.choice(COUNTRIES)},{rng.choice(PRODUCTS)},,{spend}"
        )
    return out


@pytest.fixture
def listing(app: Flask, tmp_path: Path) -> Assessment:
    """A finished assessment of 240 lines, some of them with matches left for review."""
    app.config.update(JOBS_MODE="inline", UPLOAD_DIR=str(tmp_path / "uploads"))
    app.config.update(MATCH_GOODS_ACCEPT=100.0, MATCH_GOODS_REVIEW=40.0)
    organisation = make_org()
    upload = uploads.create_upload(organisation.id, csv_bytes(rows()), "list.csv")
    assessment = uploads.start_assessment(upload)
    db.session.commit()
    assert assessment.status == "done", assessment.error
    return assessment


def all_lines(assessment: Assessment) -> list[AssessmentLine]:
    return list(
        db.session.scalars(
            sa.select(AssessmentLine)
            .where(AssessmentLine.assessment_id == assessment.id)
            .order_by(AssessmentLine.row_number)
        )
    )


def decisions_of(assessment: Assessment) -> Callable[[AssessmentLine], set[str]]:
    """Return a function giving the decision filters a line answers to."""
    matches = {
        match.id: match
        for match in db.session.scalars(
            sa.select(AssessmentMatch).where(AssessmentMatch.assessment_id == assessment.id)
        )
    }
    insufficient = {
        score.id
        for score in db.session.scalars(
            sa.select(AssessmentScore).where(AssessmentScore.assessment_id == assessment.id)
        )
        if score.insufficient_data
    }

    def decisions(line: AssessmentLine) -> set[str]:
        used = [
            matches[i]
            for i in (line.good_match_id, line.country_match_id, line.supplier_match_id)
            if i is not None
        ]
        found = {match.decision for match in used} & {"accepted", "review", "none"}
        if any(match.judged for match in used):
            found.add("judged")
        if "review" not in found:
            found.add("settled")
        if line.score_id in insufficient:
            found.add("insufficient")
        return found

    return decisions


def filters_of(lines: list[AssessmentLine]) -> list[dict[str, str]]:
    """Every single filter value the lines give, and none."""
    found: list[dict[str, str]] = [{}]
    found += [{"band": band} for band in assessments.BANDS]
    found += [{"country": c} for c in sorted({line.country_iso3 or "none" for line in lines})]
    found += [{"good": g} for g in sorted({line.good_id or "none" for line in lines})]
    found += [{"supplier": s} for s in sorted({line.supplier_name for line in lines} - {""})]
    found += [{"decision": decision} for decision in assessments.DECISIONS]
    found += [{"problems": "yes"}, {"band": "High", "country": "CHN"}, {"q": "shirt"}]
    return found


def keeps(line: AssessmentLine, filters: dict[str, str], decided: set[str]) -> bool:
    for name, value in filters.items():
        if name == "band" and line.band != value:
            return False
        if name == "country" and (line.country_iso3 or "none") != value:
            return False
        if name == "good" and (line.good_id or "none") != value:
            return False
        if name == "supplier" and line.supplier_name != value:
            return False
        if name == "decision" and value not in decided:
            return False
        if name == "problems" and not line.problems:
            return False
        if name == "q" and value not in line.product_text:
            return False
    return True


def ordered(lines: list[AssessmentLine], sort: str) -> list[int]:
    """Return the row numbers in the sort's order (the database's own NULL placement)."""
    nulls_first = db.engine.dialect.name == "sqlite"  # PostgreSQL puts NULLs last ascending
    if sort == "row":
        key: Any = lambda line: line.row_number  # noqa: E731
    elif sort == "-row":
        key = lambda line: -line.row_number  # noqa: E731
    elif sort == "score":
        key = lambda line: (line.score, line.row_number)  # noqa: E731
    elif sort == "-score":
        key = lambda line: (-line.score, -line.row_number)  # noqa: E731
    elif sort == "supplier":
        key = lambda line: (line.supplier_name, line.row_number)  # noqa: E731
    else:
        key = lambda line: (  # noqa: E731
            (line.country_iso3 is None) != nulls_first,
            line.country_iso3 or "",
            line.row_number,
        )
    return [line.row_number for line in sorted(lines, key=key)]


def test_every_filter_and_sort_pages_through_every_line_once(listing: Assessment):
    lines = all_lines(listing)
    decided = decisions_of(listing)
    assert {"review", "settled", "none", "insufficient"} <= set().union(*map(decided, lines))
    per_page = 11
    for filters in filters_of(lines):
        kept = [line for line in lines if keeps(line, filters, decided(line))]
        for sort in assessments.SORTS:
            expected = ordered(kept, sort)
            seen: list[int] = []
            page = 1
            while True:
                items, total = assessments.lines_page(listing, filters, sort, page, per_page)
                assert total == len(kept), (filters, sort)
                if not items:
                    break
                seen += [item["row_number"] for item in items]
                page += 1
            assert seen == expected, (filters, sort)
            if sort in ("row", "-row", "score", "-score"):
                walked: list[int] = []
                after = None
                while True:
                    items, _ = assessments.lines_page(
                        listing, filters, sort, 1, per_page, after=after
                    )
                    walked += [item["row_number"] for item in items]
                    if len(items) < per_page:
                        break
                    after = assessments.cursor(items[-1], sort)
                assert walked == expected, (filters, sort, "cursor")


def test_totals_from_the_summary_equal_the_counted_ones(listing: Assessment):
    lines = all_lines(listing)

    def check() -> None:
        for filters in filters_of(lines):
            known = assessments.known_total(listing, filters)
            counted = db.session.scalar(
                assessments._filtered(listing, filters)
                .with_only_columns(sa.func.count())
                .order_by(None)
            )
            assert known is None or known == counted, filters
            if len(filters) == 1 and set(filters) <= {"band", "country", "good", "decision"}:
                assert known is not None, filters  # these come from the summary

    check()
    # A person's decision re-scores lines; the summary's totals follow.
    review = db.session.scalar(
        sa.select(AssessmentMatch).where(
            AssessmentMatch.assessment_id == listing.id, AssessmentMatch.decision == "review"
        )
    )
    judgements.decide(listing.organisation_id, review.kind, review.query_key, "reject")
    changed = pipeline.rescore(listing)
    db.session.commit()
    assert changed["lines_changed"] > 0
    lines = all_lines(listing)
    assert listing.summary["lines_by_decision"]["judged"] > 0
    check()


def test_pages_past_the_end_are_empty_and_bad_arguments_are_refused(listing: Assessment):
    items, total = assessments.lines_page(listing, {}, "row", 1000, 50)
    assert items == [] and total == 240
    for filters, sort in (
        ({"band": "Purple"}, "row"),
        ({"decision": "maybe"}, "row"),
        ({"colour": "red"}, "row"),
        ({"problems": "no"}, "row"),
        ({}, "price"),
    ):
        with pytest.raises(InvalidInput):
            assessments.lines_page(listing, filters, sort)
    with pytest.raises(InvalidInput, match="cursor"):
        assessments.lines_page(listing, {}, "score", after="not-a-cursor")
    with pytest.raises(InvalidInput, match="by number only"):
        assessments.lines_page(listing, {}, "supplier", after="12")


def test_the_api_lists_filters_and_sorts_the_same(client: FlaskClient, listing: Assessment):
    organisation = db.session.get(Organisation, listing.organisation_id)
    auth = {"Authorization": f"Bearer {make_token(organisation)}"}
    url = f"/api/v1/assessments/{listing.id}/lines"
    lines = all_lines(listing)
    decided = decisions_of(listing)
    for filters in (
        {"band": "High"},
        {"country": "CHN"},
        {"good": "garments"},
        {"supplier": "Bravo Foods"},
        {"decision": "review"},
        {"problems": "yes"},
    ):
        kept = [line for line in lines if keeps(line, filters, decided(line))]
        for sort in ("-score", "supplier"):
            body = client.get(
                url, query_string={**filters, "sort": sort, "per_page": 500}, headers=auth
            ).json
            assert body["total"] == len(kept) and body["per_page"] == 500, filters
            assert [item["row_number"] for item in body["items"]] == ordered(kept, sort)
    refused = client.get(url, query_string={"decision": "maybe"}, headers=auth)
    assert refused.status_code == 422 and refused.mimetype == "application/problem+json"
    assert "decision" in refused.json["errors"]["query"]


def test_the_results_page_filters_on_every_decision(
    app: Flask, client: FlaskClient, listing: Assessment
):
    from tests.supplychain.account_builders import log_in, make_user

    organisation = db.session.get(Organisation, listing.organisation_id)
    make_user(organisation, email="vi@maple.example", role="viewer")
    log_in(client, email="vi@maple.example")
    lines = all_lines(listing)
    decided = decisions_of(listing)
    for value in assessments.DECISIONS:
        kept = [line for line in lines if value in decided(line)]
        page = client.get(f"/assessments/{listing.id}?decision={value}&per_page=500")
        assert page.status_code == 200, value
        text = page.get_data(as_text=True)
        assert f'<option value="{value}" selected>' in text, value
        table = text.split('class="lines-table"', 1)[1] if kept else ""
        assert table.count('class="row-number"') == len(kept), value
    problems = client.get(f"/assessments/{listing.id}?problems=yes&per_page=500")
    kept = [line for line in lines if line.problems]
    text = problems.get_data(as_text=True).split('class="lines-table"', 1)[1]
    assert text.count('class="row-number"') == len(kept) and kept


def test_a_csv_upload_through_the_api_lists_the_same(client: FlaskClient, app: Flask, tmp_path):
    """Lines keep their row numbers and original values through the API's upload path."""
    app.config.update(JOBS_MODE="inline", UPLOAD_DIR=str(tmp_path / "uploads"))
    auth = {"Authorization": f"Bearer {make_token(make_org('Oak Ltd.'))}"}
    data = csv_bytes(rows(30, seed=9))
    accepted = client.post(
        "/api/v1/uploads",
        data={"file": (io.BytesIO(data), "oak.csv")},
        headers=auth,
        content_type="multipart/form-data",
    ).json
    body = client.get(
        f"/api/v1/assessments/{accepted['assessment_id']}/lines?per_page=500", headers=auth
    ).json
    assert [item["row_number"] for item in body["items"]] == list(range(2, 32))
    header, *written = data.decode().splitlines()
    for item, line in zip(body["items"], written, strict=True):
        assert ",".join(item["original"][name] for name in header.split(",")) == line


def test_every_page_query_reads_an_index_never_the_whole_table(tmp_path: Path):
    """On SQLite (whatever the suite's database), each filter and sort is index-backed.

    Only the free-text search and the problems filter read every line of the assessment
    (through the assessment's index, still never the whole table of all organisations).
    """
    from supplychain import create_app

    app = create_app(
        {
            "TESTING": True,
            "ENV_NAME": "testing",
            "DATABASE_URL": "sqlite://",
            "REFDATA_DIR": str(tmp_path / "refdata"),
            "UPLOAD_DIR": str(tmp_path / "uploads"),
            "JOBS_MODE": "inline",
            "MATCH_GOODS_ACCEPT": 100.0,
            "MATCH_GOODS_REVIEW": 40.0,
        }
    )
    statements: list[tuple[str, Any]] = []

    def remember(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().startswith("SELECT") and "FROM assessment_line" in statement:
            statements.append((statement, parameters))

    with app.app_context():
        db.create_all()
        organisation = make_org()
        upload = uploads.create_upload(organisation.id, csv_bytes(rows()), "list.csv")
        assessment = uploads.start_assessment(upload)
        db.session.commit()
        sa.event.listen(db.engine, "before_cursor_execute", remember)
        lines = all_lines(assessment)
        try:
            for filters in filters_of(lines):
                for sort in assessments.SORTS:
                    for page in (1, 3, 20):
                        statements.clear()
                        assessments.lines_page(assessment, filters, sort, page, 11)
                        for statement, parameters in statements:
                            plan = " | ".join(
                                row[3]
                                for row in db.session.connection().exec_driver_sql(
                                    "EXPLAIN QUERY PLAN " + statement, parameters
                                )
                            )
                            assert "SCAN assessment_line" not in plan.replace(
                                "SCAN assessment_line USING", "USING"
                            ), (filters, sort, page, plan)
                            if not set(filters) & {"q", "problems"}:
                                assert "USING" in plan, (filters, sort, page, plan)
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", remember)
            db.session.remove()
            db.engine.dispose()


def test_a_line_whose_problems_are_cleared_leaves_the_problems_filter(listing: Assessment):
    with_problems = [line for line in all_lines(listing) if line.problems]
    assert len(with_problems) > 1
    cleared = with_problems[0]
    cleared.problems = None  # through the ORM: stored as SQL NULL, not as JSON null
    db.session.commit()
    stored = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(AssessmentLine)
        .where(AssessmentLine.id == cleared.id, AssessmentLine.problems.is_(None))
    )
    assert stored == 1
    # Two filters: the count is queried, not read from the summary.
    kept = {"problems": "yes", "supplier": cleared.supplier_name or ""}
    items, _ = assessments.lines_page(listing, kept, per_page=500)
    rows_kept = {item["row_number"] for item in items}
    assert cleared.row_number not in rows_kept
    assert rows_kept == {
        line.row_number
        for line in with_problems[1:]
        if (line.supplier_name or "") == (cleared.supplier_name or "")
    }
