"""The assessment pipeline: uploads, distinct matches and scores, judgements, reruns, jobs."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from supplychain import create_app, jobs
from supplychain.errors import Conflict
from supplychain.extensions import db
from supplychain.ingest import IngestError
from supplychain.models.accounts import AuditEvent, Organisation
from supplychain.models.assessments import (
    Assessment,
    AssessmentLine,
    AssessmentMatch,
    AssessmentScore,
    SavedMapping,
    Upload,
)
from supplychain.services import assessments, exports, judgements, pipeline, uploads
from supplychain.services.storage import get_storage
from tests.conftest import TEST_DATABASE_URL
from tests.supplychain.account_builders import make_org

HEADER = "Supplier,Country,Product description,HS code,Spend (CAD)\n"
ROWS = [
    "Northwind Apparel Co. Ltd,China,TSHIRT MENS CTN KNIT 180GSM,,1200.50",
    "Northwind Apparel Co. Ltd,CN,Ladies cotton hoodie,,800",
    "Northwind Apparel Co. Ltd,PRC,Polo shirt,6109.10,500",
    "Hoshine Silicon Ind. Co Ltd,China,Silicon metal,,3000",
    "Maple Office Supply,Canada,Office chairs,,250",
    "Maple Office Supply,Canada,Office chairs,,260",
    "Blue Harbour Seafood,Thailand,Frozen shrimp,,900",
    "Unknown Trader,N/A,Miscellaneous,,not a number",
]


def csv_bytes(rows: list[str] = ROWS, header: str = HEADER) -> bytes:
    return (header + "\n".join(rows) + "\n").encode()


@pytest.fixture
def inline(app: Flask, tmp_path: Path) -> Flask:
    """Run jobs in the caller and keep uploads under the test's folder."""
    app.config.update(JOBS_MODE="inline", UPLOAD_DIR=str(tmp_path / "uploads"))
    return app


@pytest.fixture
def org(inline: Flask) -> Organisation:
    return make_org()


def assess(organisation_id: int, data: bytes | None = None, name: str = "list.csv") -> Assessment:
    """Upload and assess inline; return the finished (or failed) assessment."""
    upload = uploads.create_upload(organisation_id, data or csv_bytes(), name)
    assessment = uploads.start_assessment(upload)
    db.session.commit()
    return db.session.get(Assessment, assessment.id)


def count(model: type, assessment: Assessment, **where: object) -> int:
    query = (
        sa.select(sa.func.count())
        .select_from(model)
        .where(
            model.assessment_id == assessment.id  # type: ignore[attr-defined]
        )
    )
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return db.session.scalar(query)


def line(assessment: Assessment, row: int) -> AssessmentLine:
    return db.session.scalar(
        sa.select(AssessmentLine).where(
            AssessmentLine.assessment_id == assessment.id, AssessmentLine.row_number == row
        )
    )


# The run ---------------------------------------------------------------------------------------


def test_every_row_is_stored_once_with_matches_and_scores(org: Organisation):
    assessment = assess(org.id)

    assert assessment.status == "done" and assessment.stage == "done", assessment.error
    assert assessment.rows_total == assessment.rows_done == len(ROWS)
    assert count(AssessmentLine, assessment) == len(ROWS)
    rows = [line(assessment, row).row_number for row in range(2, 2 + len(ROWS))]
    assert rows == list(range(2, 2 + len(ROWS)))
    tshirt = line(assessment, 2)
    assert tshirt.good_id == "garments" and tshirt.country_iso3 == "CHN"
    assert tshirt.band in ("High", "Critical") and tshirt.score == max(
        tshirt.forced_labour, tshirt.child_labour
    )
    assert tshirt.original["Product description"] == "TSHIRT MENS CTN KNIT 180GSM"
    hoshine = line(assessment, 5)
    assert hoshine.band == "Critical"  # an enforcement-list entity, matched despite "Ind."


def test_distinct_strings_are_matched_and_stored_once(org: Organisation):
    assessment = assess(org.id)

    # China, CN and PRC are three strings (one match each) that all mean CHN.
    countries = count(AssessmentMatch, assessment, kind="country")
    assert countries == len({"china", "cn", "prc", "canada", "thailand", "n a"})
    # "Office chairs" twice is one good; the HS code is matched instead of "Polo shirt".
    goods = db.session.scalars(
        sa.select(AssessmentMatch.query_key).where(
            AssessmentMatch.assessment_id == assessment.id, AssessmentMatch.kind == "good"
        )
    ).all()
    assert "610910" in goods and "polo shirt" not in goods
    assert sum(key == "office chairs" for key in goods) == 1
    chairs = [line(assessment, 6), line(assessment, 7)]
    assert chairs[0].good_match_id == chairs[1].good_match_id
    assert chairs[0].score_id == chairs[1].score_id
    assert count(AssessmentScore, assessment) < len(ROWS)


def test_supplier_screened_once_per_name_and_country(org: Organisation):
    assessment = assess(org.id)

    keys = db.session.scalars(
        sa.select(AssessmentMatch.query_key).where(
            AssessmentMatch.assessment_id == assessment.id, AssessmentMatch.kind == "supplier"
        )
    ).all()
    # Northwind in China, CN and PRC: one screening, in CHN.
    assert keys.count("northwind apparel co ltd|CHN") == 1
    assert "unknown trader|" in keys


def test_row_problems_are_kept_on_the_line(org: Organisation):
    assessment = assess(org.id)

    unknown = line(assessment, 9)
    assert unknown.spend is None
    assert [problem["code"] for problem in unknown.problems] == ["bad_spend"]
    assert unknown.band is not None  # scored anyway: insufficient data, not dropped
    assert line(assessment, 2).problems is None
    assert assessment.summary["rows_with_problems"] == 1


def test_summary_rolls_up_suppliers_countries_goods_and_bands(org: Organisation):
    summary = assess(org.id).summary

    assert summary["lines"] == len(ROWS)
    assert summary["suppliers"] == 5
    assert sum(summary["lines_by_band"].values()) == len(ROWS)
    assert sum(summary["bands"]["child_labour"].values()) == len(ROWS)
    high = summary["lines_by_band"]["High"] + summary["lines_by_band"]["Critical"]
    assert summary["high_or_critical"] == high
    assert summary["weighting"] == "lines"  # one row has no spend
    assert summary["insufficient_data_lines"] >= 1
    assert summary["top_suppliers"][0]["band"] == "Critical"
    assert {c["iso3"] for c in summary["by_country"]} >= {"CHN", "CAN", "THA"}
    assert {g["id"] for g in summary["by_good"]} >= {"garments"}
    heatmap = summary["heatmap"]
    assert len(heatmap["cells"]) == len(heatmap["countries"])
    assert all(len(row) == len(heatmap["goods"]) for row in heatmap["cells"])
    chinese = heatmap["cells"][[c["iso3"] for c in heatmap["countries"]].index("CHN")]
    garments = chinese[[g["id"] for g in heatmap["goods"]].index("garments")]
    assert garments["lines"] == 3 and garments["band"] in ("High", "Critical")
    china = next(c for c in summary["by_country"] if c["iso3"] == "CHN")
    assert china["lines"] == 4 and china["high"] == 4 and china["max_score"] == 100
    assert sum(summary["histogram"]["peak"]) == len(ROWS)
    assert summary["matches"]["country"]["accepted"] >= 4
    assert set(summary["timings"]) == {"reading", "matching", "scoring", "storing", "summary"}


def test_assessment_records_model_reference_and_thresholds(org: Organisation, app: Flask):
    assessment = assess(org.id)

    assert assessment.model_name == "labour-risk-v1"
    assert assessment.model_parameters["bands"]["critical"] > 0
    assert assessment.reference_version
    assert assessment.match_thresholds["goods"]["accept"] == app.config["MATCH_GOODS_ACCEPT"]
    assert assessment.match_thresholds["suppliers"]["floor"] == 60.0


def test_a_mixed_currency_list_is_weighted_by_lines(org: Organisation):
    rows = ["Acme,China,Cotton,,100", "Beta,China,Cotton,,200"]
    data = csv_bytes(rows, "Supplier,Country,Product description,HS code,Spend\n")
    data = data.replace(b",100", b",100 EUR")
    summary = assess(org.id, data).summary

    assert summary["weighting"] == "lines" and "several currencies" in summary["notes"][0]


# Uploads and mappings ------------------------------------------------------------------------


def test_upload_keeps_the_original_file(org: Organisation):
    data = csv_bytes()
    upload = uploads.create_upload(org.id, data, "list.csv")
    db.session.commit()

    assert get_storage().get(upload.storage_key) == data
    assert upload.sha256 == upload.storage_key and upload.size_bytes == len(data)
    assert upload.mapping["source"] == "proposed" and not upload.mapping["needs_confirmation"]
    assert uploads.needs_mapping(upload) is None


def test_a_confirmed_mapping_is_reused_for_the_same_headers(org: Organisation):
    data = b"Lieferant,Herkunft,Artikel\nAcme,China,Cotton\n"
    upload = uploads.create_upload(org.id, data, "list.csv")
    assert uploads.needs_mapping(upload) is not None
    with pytest.raises(Conflict):
        uploads.start_assessment(upload)

    uploads.save_mapping(
        upload,
        {"supplier_name": "Lieferant", "country": "Herkunft", "product_description": "Artikel"},
    )
    db.session.commit()
    again = uploads.create_upload(org.id, b"Lieferant,Herkunft,Artikel\nBeta,Peru,Gold\n", "b.csv")

    assert again.mapping["source"] == "saved" and uploads.needs_mapping(again) is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SavedMapping)) == 1
    assessment = uploads.start_assessment(again)
    db.session.commit()
    assert assessment.status == "done" and line(assessment, 2).country_iso3 == "PER"


def test_an_explicit_mapping_that_does_not_fit_is_refused(org: Organisation):
    with pytest.raises(IngestError, match="no column named 'Vendor'"):
        uploads.create_upload(org.id, csv_bytes(), "list.csv", mapping={"supplier_name": "Vendor"})


def test_samples_and_sheets_for_the_mapping_step(org: Organisation):
    upload = uploads.create_upload(org.id, csv_bytes(), "list.csv")

    assert uploads.samples(upload)["Country"][:2] == ["China", "CN"]
    assert uploads.sheets(upload) == []
    assert uploads.proposal(upload).to_dict()["country"] == "Country"


# Failure, rerun, reassess --------------------------------------------------------------------


def test_a_failed_run_keeps_the_error_and_the_file(org: Organisation, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("matcher exploded")

    monkeypatch.setattr(pipeline.matching, "match_goods", broken)
    assessment = assess(org.id)

    assert assessment.status == "failed"
    assert "RuntimeError: matcher exploded" in assessment.error
    assert "original file is kept" in assessment.error
    assert count(AssessmentLine, assessment) == count(AssessmentMatch, assessment) == 0
    upload = db.session.get(Upload, assessment.upload_id)
    assert get_storage().exists(upload.storage_key)

    monkeypatch.undo()
    pipeline.rerun(assessment)
    db.session.commit()
    assert assessment.status == "done" and assessment.error is None


def test_a_problem_deep_in_the_file_fails_the_run_readably(org: Organisation):
    wide = "x," * 600
    data = csv_bytes([*ROWS, f"Acme,China,Cotton,,1,{wide}"])
    assessment = assess(org.id, data)

    assert assessment.status == "failed"
    assert "columns" in assessment.error and "500" in assessment.error
    assert count(AssessmentLine, assessment) == 0


def test_rerun_is_idempotent(org: Organisation):
    assessment = assess(org.id)
    lines, matches = count(AssessmentLine, assessment), count(AssessmentMatch, assessment)
    scores = count(AssessmentScore, assessment)

    for _ in range(2):
        pipeline.rerun(assessment)
        db.session.commit()
        assert assessment.status == "done"
        assert count(AssessmentLine, assessment) == lines
        assert count(AssessmentMatch, assessment) == matches
        assert count(AssessmentScore, assessment) == scores
    # Running a finished assessment again changes nothing.
    assert pipeline.run_assessment(assessment.id).status == "done"
    assert count(AssessmentLine, assessment) == lines
    actions = db.session.scalars(sa.select(AuditEvent.action)).all()
    assert actions.count("assessment.rerun") == 2


def test_rerun_refuses_a_running_assessment(org: Organisation):
    assessment = assess(org.id)
    assessment.status = "running"
    assessment.started_at = pipeline.utcnow()
    with pytest.raises(Conflict):
        pipeline.rerun(assessment)


def test_reassess_starts_a_new_assessment_of_the_same_upload(org: Organisation):
    first = assess(org.id)
    second = pipeline.reassess(first)
    db.session.commit()

    assert second.id != first.id and second.previous_id == first.id
    assert second.upload_id == first.upload_id and second.status == "done"
    result = pipeline.compare(first, second)
    assert result["by"] == "row" and result["counts"]["changed"] == 0
    assert result["counts"]["new_risks"] == result["counts"]["resolved_risks"] == 0


# Judgements ----------------------------------------------------------------------------------


def _match(assessment: Assessment, kind: str, key: str) -> AssessmentMatch:
    return db.session.scalar(
        sa.select(AssessmentMatch).where(
            AssessmentMatch.assessment_id == assessment.id,
            AssessmentMatch.kind == kind,
            AssessmentMatch.query_key == key,
        )
    )


def test_judgements_apply_to_a_later_upload(org: Organisation):
    first = assess(org.id)
    hoshine = _match(first, "supplier", "hoshine silicon ind co ltd|CHN")
    assert hoshine.decision == "accepted"
    judgements.decide(org.id, "supplier", hoshine.query_key, "reject", note="different firm")
    judgements.decide(org.id, "good", "office chairs", "replace", target_id="garments")
    db.session.commit()

    later = assess(org.id, csv_bytes(ROWS[3:6]))

    rejected = _match(later, "supplier", "hoshine silicon ind co ltd|CHN")
    assert rejected.judged and rejected.decision == "none"
    assert rejected.record["engine"]["hits"][0]["match"] is True  # what the engine said
    assert rejected.record["judgements"][0]["note"] == "different firm"
    chairs = _match(later, "good", "office chairs")
    assert chairs.judged and chairs.target_id == "garments" and chairs.decision == "accepted"
    assert line(later, 3).good_id == "garments"
    assert line(later, 2).band != "Critical"  # no longer an enforcement hit


def test_decide_writes_an_audit_event_with_before_and_after(org: Organisation):
    judgements.decide(org.id, "good", "office chairs", "reject", user_id=None, note="first")
    judgements.decide(org.id, "good", "office chairs", "accept", note="second")
    db.session.commit()

    log = judgements.audit_log(org.id)
    assert [row["action"] for row in log[:2]] == ["judgement.decided"] * 2
    assert log[0]["detail"]["before"]["decision"] == "reject"
    assert log[0]["detail"]["after"]["decision"] == "accept"
    assert log[1]["detail"]["before"] is None
    assert b"judgement.decided" in exports.audit_csv(org.id)


def test_rescore_applies_new_judgements_to_an_existing_assessment(org: Organisation):
    assessment = assess(org.id)
    before = line(assessment, 6)
    assert before.good_id != "garments"

    judgements.decide(org.id, "good", "office chairs", "replace", target_id="garments")
    judgements.decide(org.id, "country", "canada", "replace", target_id="CHN")
    result = pipeline.rescore(assessment)
    db.session.commit()

    assert result["matches_changed"] == 2 and result["lines_changed"] >= 1
    after = line(assessment, 6)
    assert after.good_id == "garments" and after.country_iso3 == "CHN"
    assert after.band in ("High", "Critical")
    supplier = db.session.get(AssessmentMatch, after.supplier_match_id)
    assert supplier.query_key == "maple office supply|CHN"  # re-screened in the new country
    assert line(assessment, 7).score_id == after.score_id
    assert assessment.summary["lines"] == len(ROWS)
    assert count(AssessmentLine, assessment) == len(ROWS)

    judgements.withdraw(org.id, db.session.scalars(sa.select(judgements.Judgement)).first().id)
    pipeline.rescore(assessment)
    db.session.commit()
    assert line(assessment, 6).good_id != "garments"


def test_review_queue_and_bulk_decisions(org: Organisation):
    rows = [f"Acme {n},Georgia,cotton shirts,,10" for n in range(3)]
    rows += ["Tianjin Pipe Fitting Factory Group,USA,steel pipes,,10"]
    assessment = assess(org.id, csv_bytes(rows))
    queue = judgements.review_queue(assessment)
    assert queue, "expected something to review"
    assert all(item["decision"] == "review" for item in queue)
    assert all(item["candidates"] for item in queue)
    assert queue == sorted(queue, key=lambda item: -item["lines"])
    kinds = {item["kind"] for item in queue}
    for kind in kinds:
        assert all(i["kind"] == kind for i in judgements.review_queue(assessment, kind=kind))
    column = {"good": "good_match_id", "country": "country_match_id"}.get(
        queue[0]["kind"], "supplier_match_id"
    )
    used = db.session.scalar(
        sa.select(AssessmentLine).where(getattr(AssessmentLine, column) == queue[0]["match_id"])
    )
    in_band = judgements.review_queue(assessment, band=used.band)
    assert queue[0]["match_id"] in [item["match_id"] for item in in_band]

    decided = judgements.decide_bulk(assessment, queue[0]["kind"], 0, 100, "accept")
    pipeline.rescore(assessment)
    db.session.commit()
    assert decided >= 1
    assert not judgements.review_queue(assessment, kind=queue[0]["kind"])


def test_compare_by_key_finds_new_and_resolved_risks(org: Organisation):
    old = assess(org.id, csv_bytes(["Acme,Canada,Office chairs,,10", "Beta,China,T-shirts,,10"]))
    new = assess(org.id, csv_bytes(["Beta,Canada,T-shirts,,10", "Acme,China,T-shirts,,10"]))

    result = pipeline.compare(old, new)

    assert result["by"] == "key"
    assert [item["supplier"] for item in result["new_risks"]] == ["Acme"]
    assert result["counts"]["removed"] == 1 and result["counts"]["added"] == 1
    by_row = pipeline.compare(old, new, by="row")
    assert by_row["counts"]["changed"] == 1  # row 3 is a T-shirt from China both times
    assert [item["row_number"] for item in by_row["changed"]] == [2]


# Reading the results -------------------------------------------------------------------------


def test_lines_page_filters_sorts_and_pages(org: Organisation):
    assessment = assess(org.id)

    items, total = assessments.lines_page(assessment, {}, "row", 1, 3)
    assert total == len(ROWS) and [i["row_number"] for i in items] == [2, 3, 4]
    items, _ = assessments.lines_page(assessment, {}, "row", 3, 3)
    assert [i["row_number"] for i in items] == [8, 9]
    riskiest, _ = assessments.lines_page(assessment, {}, "-score", 1, 50)
    scores = [item["score"] for item in riskiest]
    assert scores == sorted(scores, reverse=True)
    after = assessments.cursor(riskiest[1], "-score")
    rest, _ = assessments.lines_page(assessment, {}, "-score", 1, 50, after=after)
    assert [i["row_number"] for i in rest] == [i["row_number"] for i in riskiest[2:]]
    chinese, total = assessments.lines_page(assessment, {"country": "chn"})
    assert total == 4 and {i["country_iso3"] for i in chinese} == {"CHN"}
    found, total = assessments.lines_page(assessment, {"q": "hoodie"})
    assert total == 1 and found[0]["row_number"] == 3
    critical, _ = assessments.lines_page(assessment, {"band": "Critical"})
    assert critical and all(i["band"] == "Critical" for i in critical)
    unknown, _ = assessments.lines_page(assessment, {"country": "none"})
    assert [i["row_number"] for i in unknown] == [9]
    accepted, _ = assessments.lines_page(assessment, {"decision": "accepted"})
    assert accepted
    item = chinese[0]
    assert item["matches"]["good"]["name"] == "Garments"
    assert item["factors"] and item["reasons"]


def test_line_detail_has_records_factors_sources_and_questions(org: Organisation):
    assessment = assess(org.id)
    detail = assessments.line_detail(assessment, 2)

    assert detail["matches"]["good"]["record"]["match"]["id"] == "garments"
    assert detail["matches"]["country"]["candidates"][0]["id"] == "CHN"
    assert detail["sources"] and detail["sources"][0]["identifiers"]
    assert detail["questions"]
    same = assessments.line_detail(line(assessment, 2))
    assert same["row_number"] == 2


# Jobs ----------------------------------------------------------------------------------------


def test_thread_jobs_start_after_commit(tmp_path: Path):
    url = TEST_DATABASE_URL
    if url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'thread.db'}"  # threads need a database of their own
    app = create_app(
        {
            "TESTING": True,
            "ENV_NAME": "testing",
            "DATABASE_URL": url,
            "REFDATA_DIR": str(tmp_path / "refdata"),
            "UPLOAD_DIR": str(tmp_path / "uploads"),
            "JOBS_MODE": "thread",
        }
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        try:
            organisation = make_org()
            upload = uploads.create_upload(organisation.id, csv_bytes(), "list.csv")
            assessment = uploads.start_assessment(upload)
            assert assessment.status == "queued"
            db.session.commit()  # the thread starts now
            assert jobs.wait_for_threads(timeout=60)
            db.session.expire_all()
            assert db.session.get(Assessment, assessment.id).status == "done"
            # A transaction rolled back starts nothing.
            uploads.start_assessment(upload)
            db.session.rollback()
            db.session.commit()
            assert jobs.wait_for_threads(timeout=5)
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Assessment)) == 1
        finally:
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


@pytest.fixture
def redis_queue(app: Flask) -> Iterator[str]:
    """A queue of its own on the local Redis (127.0.0.1:6379), deleted afterwards."""
    name = f"test-assessments-{uuid.uuid4().hex}"
    app.config.update(REDIS_URL="redis://127.0.0.1:6379/0", JOBS_MODE="rq", JOBS_QUEUE=name)
    yield name
    jobs.queue(app.config).delete(delete_jobs=True)


def test_rq_job_runs_on_local_redis(inline: Flask, org: Organisation, redis_queue: str):
    from rq import SimpleWorker

    inline.config["JOBS_MODE"] = "rq"
    upload = uploads.create_upload(org.id, csv_bytes(), "list.csv")
    assessment = uploads.start_assessment(upload)
    queue = jobs.queue(inline.config)
    assert queue.count == 0  # nothing is queued before the commit
    db.session.commit()
    assert queue.count == 1 and queue.job_ids == [assessment.job_id]

    worker = SimpleWorker([queue], connection=queue.connection)
    started = time.monotonic()
    assert worker.work(burst=True)
    job = queue.fetch_job(assessment.job_id)
    assert job is not None and job.get_status() == "finished", job and job.exc_info
    assert job.return_value() == "done"
    db.session.expire_all()
    finished = db.session.get(Assessment, assessment.id)
    assert finished.status == "done" and finished.rows_done == len(ROWS)
    assert time.monotonic() - started < 60


@pytest.mark.parametrize("copy", [True, False])
def test_lines_are_the_same_stored_with_copy_or_insert(inline: Flask, org: Organisation, copy):
    inline.config["ASSESSMENT_COPY"] = copy  # COPY is used on PostgreSQL only
    assessment = assess(org.id)

    stored = line(assessment, 9)
    assert stored.original["Spend (CAD)"] == "not a number"
    assert stored.problems[0]["code"] == "bad_spend" and line(assessment, 2).problems is None
    assert float(line(assessment, 2).spend) == 1200.5 and line(assessment, 2).currency == "CAD"
    assert count(AssessmentLine, assessment) == len(ROWS)
    columns, _scores, suppliers = pipeline.summary_columns(assessment)
    assert len(columns) == len(ROWS) and columns.problems == 1 and suppliers == 5
