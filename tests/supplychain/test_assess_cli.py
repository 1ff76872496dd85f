"""`supplychain assess` and `supplychain worker`, through the app's CLI runner."""

from __future__ import annotations

import csv
import json
import uuid
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from supplychain import jobs
from supplychain.extensions import db
from supplychain.models.accounts import Organisation
from supplychain.models.assessments import Assessment, Upload
from supplychain.services import uploads
from tests.supplychain.account_builders import make_org
from tests.supplychain.test_pipeline import ROWS, csv_bytes


@pytest.fixture
def org(app: Flask, tmp_path: Path) -> Organisation:
    app.config.update(UPLOAD_DIR=str(tmp_path / "uploads"))
    return make_org()


@pytest.fixture
def listing(tmp_path: Path) -> Path:
    path = tmp_path / "suppliers.csv"
    path.write_bytes(csv_bytes())
    return path


def assessments_of(organisation: Organisation) -> list[Assessment]:
    return list(
        db.session.scalars(
            sa.select(Assessment).where(Assessment.organisation_id == organisation.id)
        )
    )


def test_assess_for_an_organisation_stores_it_and_writes_csv(
    runner: FlaskCliRunner, org: Organisation, listing: Path, tmp_path: Path
):
    out = tmp_path / "results.csv"
    result = runner.invoke(args=["assess", str(listing), "--org", org.slug, "--out", str(out)])

    assert result.exit_code == 0, result.output
    assert f"{len(ROWS)} lines" in result.output and "Lines by band" in result.output
    assert "Most exposed suppliers" in result.output
    assert f"Wrote {len(ROWS)} lines to {out} (csv)" in result.output
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == len(ROWS) + 1 and "Forced labour band" in rows[0]
    [stored] = assessments_of(org)
    assert stored.status == "done" and stored.summary["lines"] == len(ROWS)


def test_assess_writes_xlsx_and_json(
    runner: FlaskCliRunner, org: Organisation, listing: Path, tmp_path: Path
):
    for name in ("results.xlsx", "results.json"):
        out = tmp_path / name
        result = runner.invoke(args=["assess", str(listing), "--org", org.slug, "--out", str(out)])
        assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(tmp_path / "results.xlsx", read_only=True)
    assert len(list(book["Lines"].iter_rows())) == len(ROWS) + 1
    document = json.loads((tmp_path / "results.json").read_text())
    assert len(document["lines"]) == len(ROWS) and document["summary"]["lines"] == len(ROWS)


def test_assess_without_an_organisation_leaves_nothing_behind(
    runner: FlaskCliRunner, org: Organisation, listing: Path, tmp_path: Path
):
    out = tmp_path / "results.json"
    result = runner.invoke(args=["assess", str(listing), "--out", str(out)])

    assert result.exit_code == 0, result.output
    assert len(json.loads(out.read_text())["lines"]) == len(ROWS)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Upload)) == 0
    assert not list(Path(tmp_path / "uploads").glob("**/*"))


def test_assess_refuses_a_hostile_file(runner: FlaskCliRunner, org: Organisation, tmp_path: Path):
    path = tmp_path / "list.csv"
    path.write_bytes(b"\x00\x01binary\x00" * 100)

    result = runner.invoke(args=["assess", str(path), "--org", org.slug])

    assert result.exit_code == 1 and "does not look like a text" in result.output
    assert assessments_of(org) == []


def test_assess_asks_for_a_mapping_when_unsure(
    runner: FlaskCliRunner, org: Organisation, tmp_path: Path
):
    path = tmp_path / "list.csv"
    path.write_bytes(b"Lieferant,Herkunft,Artikel\nAcme,China,T-shirts\n")

    unsure = runner.invoke(args=["assess", str(path), "--org", org.slug])
    assert unsure.exit_code == 1 and "--mapping" in unsure.output

    mapping = {"supplier_name": "Lieferant", "country": "Herkunft", "product_description": 2}
    given = runner.invoke(
        args=["assess", str(path), "--org", org.slug, "--mapping", json.dumps(mapping)]
    )
    assert given.exit_code == 0, given.output
    # The confirmed mapping is remembered: the same headers need nothing next time.
    again = runner.invoke(args=["assess", str(path), "--org", org.slug])
    assert again.exit_code == 0, again.output
    weak = tmp_path / "weak.csv"
    weak.write_bytes(b"Supplier,Origin,Goods\nAcme,China,T-shirts\n")  # "Origin": unsure
    assert runner.invoke(args=["assess", str(weak)]).exit_code == 1
    proposed = runner.invoke(args=["assess", str(weak), "--accept-mapping"])
    assert proposed.exit_code == 0, proposed.output
    # A proposal without a supplier or product column cannot be accepted as it is.
    empty = runner.invoke(args=["assess", str(path), "--accept-mapping"])
    assert empty.exit_code == 1 and "supplier name or a product description" in empty.output


def test_assess_reports_bad_arguments(runner: FlaskCliRunner, org: Organisation, listing: Path):
    unknown = runner.invoke(args=["assess", str(listing), "--org", "no-such-org"])
    assert unknown.exit_code == 1 and "No organisation" in unknown.output
    bad_out = runner.invoke(args=["assess", str(listing), "--out", "results.pdf"])
    assert bad_out.exit_code == 2 and "--out must end in" in bad_out.output
    bad_mapping = runner.invoke(args=["assess", str(listing), "--mapping", "[1, 2]"])
    assert bad_mapping.exit_code == 2


def test_assess_exits_non_zero_when_the_assessment_fails(
    runner: FlaskCliRunner, org: Organisation, tmp_path: Path
):
    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes([*ROWS, "Acme,China,Cotton,,1," + "x," * 600]))

    result = runner.invoke(args=["assess", str(path), "--org", org.slug])

    assert result.exit_code == 1 and "The assessment failed" in result.output
    [failed] = assessments_of(org)
    assert failed.status == "failed"


def test_worker_needs_redis(app: Flask, runner: FlaskCliRunner):
    app.config["REDIS_URL"] = None
    result = runner.invoke(args=["worker", "--burst"])
    assert result.exit_code == 1 and "SUPPLYCHAIN_REDIS_URL" in result.output


def test_worker_runs_queued_assessments(app: Flask, runner: FlaskCliRunner, org: Organisation):
    name = f"test-assessments-{uuid.uuid4().hex}"
    app.config.update(REDIS_URL="redis://127.0.0.1:6379/0", JOBS_MODE="rq", JOBS_QUEUE=name)
    try:
        upload = uploads.create_upload(org.id, csv_bytes(), "list.csv")
        assessment = uploads.start_assessment(upload)
        db.session.commit()
        assert jobs.queue(app.config).count == 1

        result = runner.invoke(args=["worker", "--burst", "--simple"])

        assert result.exit_code == 0, result.output
        db.session.expire_all()
        assert db.session.get(Assessment, assessment.id).status == "done"
        assert jobs.queue(app.config).count == 0
    finally:
        jobs.queue(app.config).delete(delete_jobs=True)
