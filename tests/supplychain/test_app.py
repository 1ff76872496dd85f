"""The app factory, configuration layers, error format and the database schema."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import upgrade

from supplychain import create_app
from supplychain.app import ConfigurationError
from supplychain.extensions import db


def test_environment_overrides_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("SUPPLYCHAIN_OPTIONAL_LAYERS", "walkfree-gsi-2023")
    app = create_app({"REFDATA_DIR": str(tmp_path)})
    assert app.config["OPTIONAL_LAYERS"] == "walkfree-gsi-2023"


def test_test_mapping_overrides_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SUPPLYCHAIN_OPTIONAL_LAYERS", "walkfree-gsi-2023")
    app = create_app({"OPTIONAL_LAYERS": "", "REFDATA_DIR": str(tmp_path)})
    assert app.config["OPTIONAL_LAYERS"] == ""


def test_missing_secret_key_outside_development_is_an_error(monkeypatch):
    monkeypatch.setenv("SUPPLYCHAIN_ENV_NAME", "production")
    monkeypatch.delenv("SUPPLYCHAIN_SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="SUPPLYCHAIN_SECRET_KEY"):
        create_app()


def test_production_with_secret_key_starts(monkeypatch):
    monkeypatch.setenv("SUPPLYCHAIN_ENV_NAME", "production")
    monkeypatch.setenv("SUPPLYCHAIN_SECRET_KEY", "s3cret")
    assert create_app().config["SECRET_KEY"] == "s3cret"


def test_sqlite_in_instance_folder_is_the_default(monkeypatch):
    monkeypatch.delenv("SUPPLYCHAIN_DATABASE_URL", raising=False)
    app = create_app()
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    assert uri.startswith("sqlite:///") and uri.endswith("instance/supplychain.db")


def test_plain_postgresql_url_uses_psycopg_driver(tmp_path):
    app = create_app({"DATABASE_URL": "postgresql://u@127.0.0.1/x", "REFDATA_DIR": str(tmp_path)})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@127.0.0.1/x"


def test_api_errors_are_problem_json(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == 404 and body["title"] == "Not Found"
    assert body["instance"] == "/api/v1/no-such-thing"


def test_page_errors_are_pages(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert b"404" in response.data


def test_openapi_document_is_served(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/refdata/version" in spec["paths"]


def test_api_docs_page_uses_no_external_assets(client):
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert "swagger-ui-bundle.js" in page
    assert "http://" not in page and "https://" not in page
    bundle = client.get("/api/v1/docs/static/swagger-ui-bundle.js")
    assert bundle.status_code == 200
    bundle.close()


def test_home_page_shows_reference_version(client, app: Flask):
    from supplychain.services.refdata import get_reference

    page = client.get("/").get_data(as_text=True)
    assert get_reference(app.config).version in page


def test_migrations_match_the_models(app: Flask):
    """The Alembic revisions build exactly the schema the models declare."""
    db.drop_all()
    upgrade()
    try:
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
    finally:
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE alembic_version")
    assert diff == []
