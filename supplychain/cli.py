"""The `supplychain` command: Flask's CLI over create_app, plus one group per domain."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup


def _create_app() -> Flask:
    from supplychain.app import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """Supply chain forced- and child-labour risk service."""


def register_cli(app: Flask) -> None:
    """Attach the domain command groups to the app's CLI."""
    from supplychain.commands.accounts import orgs, tokens_group, users
    from supplychain.commands.assess import assess
    from supplychain.commands.check import check
    from supplychain.commands.demo import demo
    from supplychain.commands.matching import match
    from supplychain.commands.refdata import refdata
    from supplychain.commands.reports import reports_group
    from supplychain.commands.screening import screen
    from supplychain.commands.worker import worker

    app.cli.add_command(refdata)
    app.cli.add_command(match)
    app.cli.add_command(screen)
    app.cli.add_command(orgs)
    app.cli.add_command(users)
    app.cli.add_command(tokens_group)
    app.cli.add_command(demo)
    app.cli.add_command(check)
    app.cli.add_command(assess)
    app.cli.add_command(reports_group)
    app.cli.add_command(worker)
