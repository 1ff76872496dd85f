"""An ingest refusal reaches API clients as 422 problem+json, saying what and where."""

from __future__ import annotations

from flask import Flask

from supplychain.errors import register_error_handlers
from supplychain.extensions import db
from supplychain.ingest import read_table


def test_an_ingest_error_is_answered_as_problem_json():
    # A bare app with the service's error handlers, so this stays about ingest errors.
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    db.init_app(app)
    register_error_handlers(app)

    @app.post("/api/uploads")
    def upload():
        read_table(b"\x00\x01binary", "vendors.csv")
        return "unreachable"

    response = app.test_client().post("/api/uploads")

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["title"] == "Upload refused"
    assert "vendors.csv" in body["detail"]
    assert body["errors"] == {"code": "not_text", "file": "vendors.csv"}
