"""`supplychain demo seed`: a demo organisation and user for a development installation."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from supplychain.commands.accounts import transaction
from supplychain.services.demo import seed_demo


@click.group()
def demo() -> None:
    """Demo data for trying the service locally."""


@demo.command("seed")
@click.option("--reset-password", is_flag=True, help="Give the existing demo user a new password.")
@with_appcontext
def seed(reset_password: bool) -> None:
    """Create the demo organisation and user if missing; prints a new password once."""
    with transaction():
        result = seed_demo(current_app.config["ENV_NAME"], reset_password=reset_password)
    for line in result.created:
        click.echo(f"Created {line}")
    if not result.created:
        click.echo("The demo data exists already.")
    if result.password:
        click.echo(f"Log in as {result.user.email} with password: {result.password}")
        click.echo("It is shown this once.")
