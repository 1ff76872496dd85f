"""`supplychain check vendor`: the vendor check from the command line."""

from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import with_appcontext

from supplychain.errors import DomainError
from supplychain.services.refdata import get_reference
from supplychain.services.vendor_check import check_vendor


@click.group()
def check() -> None:
    """Check a single vendor."""


@check.command("vendor")
@click.option("--name", required=True, help="The vendor's name.")
@click.option("--country", default=None, help="Country of origin, as you would write it.")
@click.option("--product", "products", multiple=True, help="A product or HS code (repeatable).")
@click.option("--format", "output", type=click.Choice(["json", "text"]), default="text")
@with_appcontext
def vendor(name: str, country: str | None, products: tuple[str, ...], output: str) -> None:
    """Score one vendor's forced- and child-labour exposure."""
    try:
        result = check_vendor(
            get_reference(current_app.config), current_app.config, name, country, products
        )
    except DomainError as error:
        raise click.UsageError(error.detail) from error
    if output == "json":
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    click.echo(render_text(name, result))


def render_text(name: str, result: dict) -> str:
    """Lay the result out for a terminal."""
    lines = [f"Vendor check: {name}"]
    country = result["matches"]["country"]
    if country is not None:
        match = country["match"]
        shown = f"{match['name']} ({match['iso3']}, {country['decision']})" if match else "no match"
        lines.append(f"Country: {country['query']} -> {shown}")
    for dimension, label in (("forced_labour", "Forced labour"), ("child_labour", "Child labour")):
        exposure = result[dimension]
        lines.append(
            f"{label:<14} {exposure['score']:>5.1f}  {exposure['band']:<8} "
            f"confidence {exposure['confidence']:.2f}"
        )
    if result["insufficient_data"]:
        lines.append("Insufficient data: a product or the origin could not be matched.")
    for record in result["matches"]["goods"]:
        match = record["match"]
        shown = (
            f"{match['name']} ({record['decision']}, {match['score']:.0f})"
            if match
            else "no listed good"
        )
        if record.get("derived"):
            inputs = ", ".join(i["name"] for i in record["derived"]["inputs"])
            shown += f"; made from {inputs}"
        lines.append(f"Product: {record['query']} -> {shown}")
    for hit in result["matches"]["suppliers"]:
        if hit["match"]:
            lines.append(
                f"Enforcement list: {hit['name']} ({hit['list']}, score {hit['score']:.0f})"
            )
    lines.append("Factors:")
    for factor in result["factors"]:
        source = factor["source"]
        cited = f" [{source['dataset']} {source['identifier']}]" if source else ""
        lines.append(
            f"  +{factor['contribution']:>5.1f} {factor['dimension']:<13} {factor['detail']}{cited}"
        )
    if result["questions"]:
        lines.append("Ask the vendor:")
        lines.extend(f"  - {q['question']}" for q in result["questions"])
    model = result["model"]
    lines.append(
        f"Model {model['name']} ({model['profile']}), reference data {model['reference_version']}"
    )
    return "\n".join(lines)
