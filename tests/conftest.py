"""Fixtures shared by every test: an app on a fresh database, its client and CLI runner.

The database is SQLite in memory unless SUPPLYCHAIN_TEST_DATABASE_URL names another one
(CI runs the suite a second time on PostgreSQL that way).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from supplychain import create_app
from supplychain.extensions import db

TEST_DATABASE_URL = os.environ.get("SUPPLYCHAIN_TEST_DATABASE_URL", "sqlite://")


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    app = create_app(
        {
            "TESTING": True,
            "ENV_NAME": "testing",
            "DATABASE_URL": TEST_DATABASE_URL,
            "REFDATA_DIR": str(tmp_path / "refdata"),
            # Forms post without a CSRF token here; tests/supplychain/test_security.py checks
            # CSRF on an app of its own.
            "WTF_CSRF_ENABLED": False,
            "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
            "UPLOAD_DIR": str(tmp_path / "uploads"),
        }
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()
