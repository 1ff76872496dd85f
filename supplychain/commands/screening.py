"""`supplychain screen suppliers`: one JSON object per input line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TextIO

import click
from flask import current_app
from flask.cli import with_appcontext

from reference_data import ReferenceDataError
from supplychain.services import screening
from supplychain.services.refdata import get_reference


@click.group()
def screen() -> None:
    """Screen supplier names against the shipped enforcement lists."""


def _items(stream: TextIO) -> Iterator[tuple[str, str | None]]:
    """Yield (name, country) per line: the name, optionally a TAB and a free-text country."""
    for line in stream:
        name, tab, country = line.rstrip("\r\n").partition("\t")
        yield name, (country if tab else None)


@screen.command("suppliers")
@click.argument("source", type=click.File("r", encoding="utf-8"), default="-")
@with_appcontext
def suppliers(source: TextIO) -> None:
    """Screen supplier names, one per line, against every enforcement list.

    Each line is a supplier name, optionally followed by a TAB and its country (a code or
    name: CN, CHN, China...). Reads SOURCE (standard input by default) and writes exactly
    one JSON object per input line, in order and as each line is read, blank lines
    included:

    \b
    {"query": ..., "country": ISO3 or null, "warnings": [...],
     "hits": [{"list", "entity_id", "name", "score", "match", "decision", "method",
               "explanation": [...]}]}

    Hits are best first, down to SCREEN_SUPPLIERS_FLOOR; only "match": true ones count.
    """
    try:
        reference = get_reference(current_app.config)
    except ReferenceDataError as exc:
        raise click.ClickException(f"{exc}\nRun `supplychain refdata validate`.") from exc
    for record in screening.screen_suppliers(reference, current_app.config, _items(source)):
        click.echo(json.dumps(record, ensure_ascii=False))  # flushes: a reader sees each line
