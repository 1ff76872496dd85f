"""Assessments on RQ with a real Redis: the web app queues, a worker with its own app runs.

The web app and the worker share nothing but Redis and the database, as two processes would:
each has an app (and a database engine) of its own, and the database is a SQLite file (or the
PostgreSQL database of SUPPLYCHAIN_TEST_DATABASE_URL), never an in-memory one. Redis must be
running on 127.0.0.1:6379 (CI has it): without it these tests fail, they do not skip.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from redis import Redis
from rq import Queue, SimpleWorker

from supplychain import create_app, jobs
from supplychain.extensions import db
from tests.conftest import TEST_DATABASE_URL
from tests.supplychain.account_builders import make_org, make_token
from tests.supplychain.test_pipeline import ROWS, csv_bytes

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def queue_name(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Configure Redis through the environment, as deployments do, on a queue of this test's."""
    name = f"test-assessments-{uuid.uuid4().hex}"
    monkeypatch.setenv("SUPPLYCHAIN_REDIS_URL", REDIS_URL)
    monkeypatch.setenv("SUPPLYCHAIN_JOBS_QUEUE", name)
    monkeypatch.delenv("SUPPLYCHAIN_JOBS_MODE", raising=False)
    redis = Redis.from_url(REDIS_URL)
    assert redis.ping()  # no Redis is a failure here, not a reason to skip
    yield name
    for key in redis.scan_iter(f"rq:*{name}*"):  # the queue, its jobs and registries
        redis.delete(key)
    for key in redis.scan_iter("rq:job:assessment-*"):
        if (redis.hget(key, "origin") or b"").decode() == name:
            redis.delete(key)
    redis.close()


def make_app(tmp_path: Path) -> Flask:
    """An app as a process would build it: defaults, SUPPLYCHAIN_* environment, test paths."""
    url = TEST_DATABASE_URL
    if url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'shared.db'}"  # a file both apps open
    return create_app(
        {
            "TESTING": True,
            "ENV_NAME": "testing",
            "DATABASE_URL": url,
            "REFDATA_DIR": str(tmp_path / "refdata"),
            "UPLOAD_DIR": str(tmp_path / "uploads"),
            "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
        }
    )


def test_an_upload_is_assessed_by_a_worker_on_the_same_database(tmp_path: Path, queue_name: str):
    web = make_app(tmp_path)
    worker_app = make_app(tmp_path)
    assert jobs.job_mode(web.config) == "rq" and web.config["JOBS_QUEUE"] == queue_name
    with web.app_context():
        db.drop_all()
        db.create_all()
    try:
        with web.app_context():
            auth = {"Authorization": f"Bearer {make_token(make_org())}"}
            client = web.test_client()
            accepted = client.post(
                "/api/v1/uploads",
                data={"file": (io.BytesIO(csv_bytes()), "list.csv")},
                headers=auth,
                content_type="multipart/form-data",
            )
            assert accepted.status_code == 202, accepted.json
            assert accepted.json["job"]["status"] == "queued"
            assessment_id = accepted.json["assessment_id"]
            assert jobs.queue(web.config).count == 1

        # The worker: its own app and engine, the queue from the same environment.
        with worker_app.app_context():
            connection = Redis.from_url(worker_app.config["REDIS_URL"])
            queue = Queue(worker_app.config["JOBS_QUEUE"], connection=connection)
            [job] = queue.jobs
            assert job.args[0] == assessment_id
            assert SimpleWorker([queue], connection=connection).work(burst=True)
            assert job.get_status(refresh=True) == "finished", job.exc_info
            assert job.return_value() == "done"
            assert queue.count == 0
            connection.close()

        with web.app_context():
            db.session.remove()  # read what the worker committed
            body = client.get(f"/api/v1/assessments/{assessment_id}", headers=auth).json
            assert body["status"] == "done" and body["progress"] == 1.0, body["error"]
            assert body["summary"]["lines"] == len(ROWS)
            lines = client.get(
                f"/api/v1/assessments/{assessment_id}/lines?per_page=100", headers=auth
            ).json
            assert lines["total"] == len(ROWS)
            assert [item["row_number"] for item in lines["items"]] == list(range(2, 2 + len(ROWS)))
            assert all(item["band"] and item["matches"] for item in lines["items"])
    finally:
        for app in (worker_app, web):
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
        with web.app_context():
            db.drop_all()
            db.engine.dispose()


def test_a_queue_that_cannot_be_reached_fails_the_assessment_readably(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Redis down when a job is queued: the upload is kept, the assessment says why."""
    monkeypatch.setenv("SUPPLYCHAIN_REDIS_URL", "redis://127.0.0.1:1/0")  # nothing listens
    monkeypatch.setenv("SUPPLYCHAIN_RATELIMIT_STORAGE_URI", "memory://")
    web = make_app(tmp_path)
    with web.app_context():
        db.drop_all()
        db.create_all()
        try:
            auth = {"Authorization": f"Bearer {make_token(make_org())}"}
            client = web.test_client()
            accepted = client.post(
                "/api/v1/uploads",
                data={"file": (io.BytesIO(csv_bytes()), "list.csv")},
                headers=auth,
                content_type="multipart/form-data",
            )
            assert accepted.status_code == 202
            db.session.remove()
            body = client.get(
                f"/api/v1/assessments/{accepted.json['assessment_id']}", headers=auth
            ).json
            assert body["status"] == "failed" and "could not be started" in body["error"]
            upload = client.get(f"/api/v1/uploads/{accepted.json['upload_id']}", headers=auth)
            assert upload.status_code == 200 and len(upload.json["sha256"]) == 64
        finally:
            db.session.remove()
            db.drop_all()
            db.engine.dispose()
