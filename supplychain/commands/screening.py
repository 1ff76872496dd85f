"""`supplychain screen suppliers`: one JSON object per input line."""

import click


@click.group()
def screen() -> None:
    """Screen supplier names against the shipped enforcement lists."""
