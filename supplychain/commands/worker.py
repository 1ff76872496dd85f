"""`supplychain worker`: run assessment jobs from the Redis queue (SUPPLYCHAIN_REDIS_URL)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from supplychain.jobs import JobConfigurationError, run_worker


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty.")
@click.option("--simple", is_flag=True, help="Run jobs in this process instead of a fork per job.")
@click.option(
    "--queue",
    "queues",
    multiple=True,
    help="Queue to listen on (repeatable; default: JOBS_QUEUE, 'assessments').",
)
@click.option("--name", default=None, help="Worker name shown by RQ (default: generated).")
@with_appcontext
def worker(burst: bool, simple: bool, queues: tuple[str, ...], name: str | None) -> None:
    """Run assessments queued by the web app and the API."""
    try:
        run_worker(current_app.config, burst=burst, queues=queues, simple=simple, name=name)
    except JobConfigurationError as error:
        raise click.ClickException(str(error)) from error
