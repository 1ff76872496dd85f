"""`supplychain match goods|countries`: one JSON object per input line."""

import click


@click.group()
def match() -> None:
    """Match product descriptions, HS codes and country strings to reference data."""
