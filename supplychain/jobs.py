"""Running assessment jobs: on an RQ queue, in a thread of the app, or inline.

The job body is one plain service call, `pipeline.run_assessment(assessment_id)`, which keeps
its own progress on the Assessment row; so a job runs the same way wherever it runs:

- "rq" (the default when SUPPLYCHAIN_REDIS_URL is set): queued on RQ (queue JOBS_QUEUE,
  "assessments") and run by `supplychain worker`, in the worker's app context;
- "thread" (the default without Redis): a daemon thread of the web process, with an app
  context and a database session of its own;
- "inline": at once, in the caller (tests, and `supplychain assess` without a queue).

Services call `enqueue(assessment)` after adding the row (the one place where services reach
up to this layer: starting an assessment means queuing it; this module imports services only
inside functions, so there is no cycle). Except inline, the job is handed over only when the
caller's transaction commits: a worker must find the row it is given, and a request that
fails and rolls back starts nothing.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event

from supplychain.extensions import db

if TYPE_CHECKING:
    from rq import Queue

    from supplychain.models.assessments import Assessment

log = logging.getLogger(__name__)

MODES = ("rq", "thread", "inline")
_PENDING = "supplychain.pending_jobs"
_threads: set[threading.Thread] = set()
_threads_lock = threading.Lock()
_worker_pid: int | None = None  # the `supplychain worker` process; its forks run the jobs


class JobConfigurationError(RuntimeError):
    """The job settings cannot work (RQ asked for without a Redis URL, an unknown mode)."""


def job_mode(config: Any) -> str:
    """Return how jobs run: JOBS_MODE, else "rq" with a REDIS_URL, else "thread"."""
    mode = config.get("JOBS_MODE") or ("rq" if config.get("REDIS_URL") else "thread")
    if mode not in MODES:
        raise JobConfigurationError(f"JOBS_MODE must be one of {', '.join(MODES)}, not {mode!r}")
    if mode == "rq" and not config.get("REDIS_URL"):
        raise JobConfigurationError("JOBS_MODE is rq but SUPPLYCHAIN_REDIS_URL is not set")
    return mode


def enqueue(assessment: Assessment) -> None:
    """Hand an assessment to the job runner (after the caller commits, except inline)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    mode = job_mode(app.config)
    if mode == "inline":
        run(assessment.id, assessment.job_id)
        return
    session = db.session()
    session.info.setdefault(_PENDING, []).append((app, mode, assessment.id, assessment.job_id))


def run(assessment_id: int, job_id: str | None = None) -> str:
    """Run one assessment job in the current app context; return its final status.

    With `job_id`, the job runs only if it is still the assessment's job and the assessment
    waits for it: a job superseded by a rerun, or already taken by another worker, does
    nothing (so two jobs never write the same assessment's lines).
    """
    from supplychain.services.pipeline import run_assessment

    return run_assessment(assessment_id, job_id=job_id).status


@event.listens_for(FlaskSession, "after_commit")
def _dispatch(session: Any) -> None:
    """Start the jobs that the committed transaction queued."""
    for app, mode, assessment_id, job_id in session.info.pop(_PENDING, ()):
        try:
            if mode == "thread":
                _start_thread(app, assessment_id, job_id)
            else:
                _enqueue_rq(app, assessment_id, job_id)
        except Exception as exc:  # the queue is down: say so on the row, do not fail the commit
            log.exception("could not start the job of assessment %s", assessment_id)
            _mark_failed(app, assessment_id, f"The job could not be started ({exc}).")


@event.listens_for(FlaskSession, "after_rollback")
def _forget(session: Any) -> None:
    """Drop the jobs of a transaction that was rolled back: their rows do not exist."""
    session.info.pop(_PENDING, None)


def _mark_failed(app: Flask, assessment_id: int, message: str) -> None:
    # The session that just committed cannot run SQL from inside its commit hook.
    from supplychain.models.assessments import Assessment

    with app.app_context(), db.engine.begin() as connection:
        connection.execute(
            sa.update(Assessment)
            .where(Assessment.id == assessment_id, Assessment.status == "queued")
            .values(status="failed", error=message)
        )


# Threads -------------------------------------------------------------------------------------


def _start_thread(app: Flask, assessment_id: int, job_id: str | None) -> threading.Thread:
    thread = threading.Thread(
        target=_run_in_thread,
        args=(app, assessment_id, job_id),
        name=f"assessment-{assessment_id}",
        daemon=True,
    )
    with _threads_lock:
        _threads.add(thread)
    thread.start()
    return thread


def _run_in_thread(app: Flask, assessment_id: int, job_id: str | None) -> None:
    try:
        with app.app_context():  # its own context, so its own scoped session
            run(assessment_id, job_id)
    except Exception:  # run_assessment records failures; this is a last resort for the log
        log.exception("assessment %s: the job thread failed", assessment_id)
    finally:
        with _threads_lock:
            _threads.discard(threading.current_thread())


def wait_for_threads(timeout: float | None = None) -> bool:
    """Wait for the job threads of this process; True when none is left running."""
    with _threads_lock:
        running = list(_threads)
    for thread in running:
        thread.join(timeout)
    return not any(thread.is_alive() for thread in running)


# RQ ------------------------------------------------------------------------------------------


def redis_connection(url: str) -> Any:
    """Return a Redis client for a URL."""
    from redis import Redis

    return Redis.from_url(url)


def queue(config: Any, connection: Any = None) -> Queue:
    """Return the RQ queue assessment jobs go to."""
    from rq import Queue

    return Queue(
        config["JOBS_QUEUE"],
        connection=connection or redis_connection(config["REDIS_URL"]),
        default_timeout=int(config["JOBS_TIMEOUT"]),
    )


def _enqueue_rq(app: Flask, assessment_id: int, job_id: str | None) -> None:
    queue(app.config).enqueue_call(
        "supplychain.jobs.run_job",
        args=(assessment_id, job_id),
        job_id=job_id,
        timeout=int(app.config["JOBS_TIMEOUT"]),
        result_ttl=24 * 3600,
        failure_ttl=7 * 24 * 3600,
        description=f"assessment {assessment_id}",
    )


def run_job(assessment_id: int, job_id: str | None = None) -> str:
    """The RQ job: run the assessment in the worker's app context (or a new app's)."""
    if has_app_context():
        if _worker_pid is not None and os.getpid() != _worker_pid:
            # A forked work horse must not share the parent's database connections.
            db.engine.dispose(close=False)
        return run(assessment_id, job_id)
    from supplychain.app import create_app

    app = create_app()
    with app.app_context():
        return run(assessment_id, job_id)


def run_worker(
    config: Any,
    *,
    burst: bool = False,
    queues: tuple[str, ...] = (),
    simple: bool = False,
    name: str | None = None,
) -> bool:
    """Run an RQ worker on the assessment queue in the current app context.

    The default worker forks a work horse per job (memory is returned after each list);
    `simple` runs jobs in this process. `burst` stops once the queues are empty.
    """
    from rq import Queue, SimpleWorker, Worker

    global _worker_pid
    if not config.get("REDIS_URL"):
        raise JobConfigurationError("Set SUPPLYCHAIN_REDIS_URL to run a worker.")
    connection = redis_connection(config["REDIS_URL"])
    names = queues or (config["JOBS_QUEUE"],)
    worker_class = SimpleWorker if simple else Worker
    _worker_pid = os.getpid()
    worker = worker_class(
        [Queue(queue_name, connection=connection) for queue_name in names],
        connection=connection,
        name=name,
    )
    return bool(worker.work(burst=burst, with_scheduler=False))
