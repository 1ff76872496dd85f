"""`supplychain refdata`: validate, show, diff and import reference data."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from supplychain.services.refdata import get_reference


@click.group()
def refdata() -> None:
    """Reference data: goods at risk, countries, enforcement lists."""


@refdata.command("version")
@with_appcontext
def version() -> None:
    """Print the reference-data version."""
    click.echo(get_reference(current_app.config).version)
