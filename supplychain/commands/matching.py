"""`supplychain match goods|countries`: one JSON object per input line."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TextIO

import click
from flask import current_app
from flask.cli import with_appcontext

from reference_data import ReferenceData
from risk_models.matching.collector import collector_paused
from supplychain.services import matching
from supplychain.services.refdata import get_reference

Matcher = Callable[[ReferenceData, Mapping[str, Any], Iterable[str], int], Iterator[dict[str, Any]]]


@click.group()
def match() -> None:
    """Match product descriptions, HS codes and country strings to reference data."""


def _lines(stream: TextIO) -> Iterator[str]:
    """Yield each input line without its line ending; a blank line is an empty query."""
    for line in stream:
        yield line.rstrip("\r\n")


def _run(matcher: Matcher, source: TextIO) -> None:
    reference = get_reference(current_app.config)
    buffer: list[str] = []
    # A command does nothing but match: large batches of new strings are shared with a
    # forked helper, and the cyclic collector stays paused for the whole stream rather than
    # between chunks, where each restart walked every result cached so far (see
    # risk_models/matching/collector.py).
    with collector_paused():
        for record in matcher(reference, current_app.config, _lines(source), 2):
            buffer.append(json.dumps(record, ensure_ascii=False))
            if len(buffer) >= matching.CHUNK:
                click.echo("\n".join(buffer))  # written a chunk at a time, never all at once
                buffer.clear()
        if buffer:
            click.echo("\n".join(buffer))


@match.command("goods")
@click.argument("source", type=click.File("r", encoding="utf-8"), default="-")
@with_appcontext
def goods(source: TextIO) -> None:
    """Match product descriptions or HS codes, one per line, to goods on the ILAB list.

    Reads SOURCE (standard input by default) and writes one JSON object per input line, in
    order, blank lines included.
    """
    _run(matching.match_goods, source)


@match.command("countries")
@click.argument("source", type=click.File("r", encoding="utf-8"), default="-")
@with_appcontext
def countries(source: TextIO) -> None:
    """Match country strings, one per line, to ISO 3166 countries.

    Reads SOURCE (standard input by default) and writes one JSON object per input line, in
    order, blank lines included.
    """
    _run(matching.match_countries, source)
