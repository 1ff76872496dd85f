"""Hostile and broken files are refused with a clear message, store nothing, crash nothing."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from supplychain.extensions import db
from supplychain.ingest import IngestError
from supplychain.models.accounts import Organisation
from supplychain.models.assessments import Upload
from supplychain.services import uploads
from tests.supplychain.account_builders import make_org, make_token
from tests.supplychain.test_pipeline import csv_bytes


def zip_bomb() -> bytes:
    """An .xlsx whose sheet expands a thousand times (20 MB of zeros in ~20 kB)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (20 * 1024 * 1024))
    return buffer.getvalue()


def workbook() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["Supplier", "Country", "Product"])
    for n in range(200):
        book.active.append([f"Supplier {n}", "China", "T-shirts"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


HOSTILE = {
    "zip bomb": (zip_bomb, "list.xlsx", "zip_bomb", "ZIP bomb"),
    "truncated xlsx": (
        lambda: workbook()[:3000],
        "list.xlsx",
        "corrupt_xlsx",
        "damaged or truncated",
    ),
    "binary renamed .csv": (
        lambda: b"\x00\x01\x02\xff" * 1024 + os.urandom(2048),
        "list.csv",
        "not_text",
        "does not look like a text",
    ),
    "xlsx renamed .csv": (workbook, "list.csv", "not_text", "upload it as .xlsx"),
    "empty file": (lambda: b"", "list.csv", "empty_file", "is empty"),
    "only blank lines": (lambda: b"\n\n\n", "list.csv", "empty_file", "contains no data"),
    "unsupported type": (lambda: b"MZ\x90\x00", "setup.exe", "unsupported_type", "not accepted"),
    "old excel": (lambda: b"\xd0\xcf\x11\xe0", "list.xls", "unsupported_type", "old-format"),
}


@pytest.fixture
def org(app: Flask, tmp_path: Path) -> Organisation:
    app.config.update(JOBS_MODE="inline", UPLOAD_DIR=str(tmp_path / "uploads"))
    return make_org()


def stored_files(app: Flask) -> list[Path]:
    folder = Path(app.config["UPLOAD_DIR"])
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_service_refuses_before_storing(app: Flask, org: Organisation, case: str):
    make, name, code, message = HOSTILE[case]

    with pytest.raises(IngestError) as raised:
        uploads.create_upload(org.id, make(), name)

    assert raised.value.code == code
    assert message in raised.value.detail
    db.session.rollback()
    assert stored_files(app) == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Upload)) == 0


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_api_answers_422_with_the_reason(client: FlaskClient, org: Organisation, case: str):
    make, name, code, message = HOSTILE[case]
    auth = {"Authorization": f"Bearer {make_token(org)}"}

    response = client.post(
        "/api/v1/uploads",
        data={"file": (io.BytesIO(make()), name)},
        headers=auth,
        content_type="multipart/form-data",
    )

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.json["title"] == "Upload refused"
    assert response.json["errors"]["code"] == code
    assert message in response.json["detail"]
    # The service is still up and answers the next, good file.
    good = client.post(
        "/api/v1/uploads",
        data={"file": (io.BytesIO(csv_bytes()), "list.csv")},
        headers=auth,
        content_type="multipart/form-data",
    )
    assert good.status_code == 202 and good.json["status"] == "done"


def test_over_the_upload_limit(app: Flask, client: FlaskClient, org: Organisation):
    app.config["UPLOAD_MAX_BYTES"] = 1000
    auth = {"Authorization": f"Bearer {make_token(org)}"}
    data = csv_bytes([f"Supplier {n},China,T-shirts,,10" for n in range(100)])
    assert len(data) > 1000

    response = client.post(
        "/api/v1/uploads",
        data={"file": (io.BytesIO(data), "list.csv")},
        headers=auth,
        content_type="multipart/form-data",
    )

    assert response.status_code == 422 and response.json["errors"]["code"] == "file_too_large"
    assert "files up to 1,000 bytes are accepted" in response.json["detail"]
    assert stored_files(app) == []


def test_over_the_request_limit(app: Flask, client: FlaskClient, org: Organisation):
    app.config["MAX_CONTENT_LENGTH"] = 2000
    auth = {"Authorization": f"Bearer {make_token(org)}"}
    data = csv_bytes([f"Supplier {n},China,T-shirts,,10" for n in range(200)])

    response = client.post(
        "/api/v1/uploads",
        data={"file": (io.BytesIO(data), "list.csv")},
        headers=auth,
        content_type="multipart/form-data",
    )

    assert response.status_code == 413 and response.mimetype == "application/problem+json"


def test_too_many_rows_for_the_configured_limit(app: Flask, org: Organisation):
    app.config["UPLOAD_MAX_ROWS"] = 5
    with pytest.raises(IngestError) as raised:
        uploads.create_upload(org.id, csv_bytes(), "list.csv")
    assert raised.value.code == "too_many_rows"


def test_a_missing_file_field_is_a_validation_problem(client: FlaskClient, org: Organisation):
    auth = {"Authorization": f"Bearer {make_token(org)}"}
    response = client.post(
        "/api/v1/uploads", data={}, headers=auth, content_type="multipart/form-data"
    )
    assert response.status_code == 422 and "file" in response.json["errors"]["files"]
