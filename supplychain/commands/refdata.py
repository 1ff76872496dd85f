"""`supplychain refdata`: validate, show, diff and import reference data."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from reference_data import Good, Listing, ReferenceData, ReferenceDataError
from supplychain.errors import DomainError
from supplychain.extensions import db
from supplychain.services import refdata_import as service
from supplychain.services.refdata import get_reference

FORMATS = click.Choice(["table", "json"])
FLAG_LEGEND = (
    "Flags: CL child labour, FL forced labour, FCL forced child labour, "
    "DS<XXX made with listed inputs from country XXX."
)


@click.group()
def refdata() -> None:
    """Reference data: goods at risk, countries, enforcement lists."""


@refdata.command("version")
@with_appcontext
def version() -> None:
    """Print the reference-data version."""
    click.echo(get_reference(current_app.config).version)


@refdata.command("validate")
@click.option(
    "--write-manifest",
    is_flag=True,
    help="First recompute rows and sha256 of every shipped source in manifest.toml.",
)
@with_appcontext
def validate(write_manifest: bool) -> None:
    """Check the shipped data and this installation's imported editions.

    Prints every problem as "file, row N, column 'x': message" and exits 1 if there is any;
    otherwise prints a one-line summary.
    """
    report = service.validate_reference(current_app.config, write_manifest=write_manifest)
    for source_id in report.manifest_changes:
        click.echo(f"manifest.toml: updated rows/sha256 of {source_id}", err=True)
    for problem in report.problems:
        click.echo(str(problem))
    if report.problems:
        click.echo(f"{len(report.problems)} problem(s) found.", err=True)
        raise click.exceptions.Exit(1)
    click.echo(report.summary)


def _reference() -> ReferenceData:
    try:
        return get_reference(current_app.config)
    except ReferenceDataError as exc:
        raise click.ClickException(f"{exc}\nRun `supplychain refdata validate`.") from exc


def _domain(call: Callable[[], Any]) -> Any:
    """Run a service call, showing a domain error as a one-line CLI error (exit 1)."""
    try:
        return call()
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(exc.detail) from exc


@refdata.command("show")
@click.argument("what", type=click.Choice(["goods", "countries", "lists"]))
@click.option("--edition", type=int, help="ILAB edition year (default: the latest).")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@with_appcontext
def show(what: str, edition: int | None, fmt: str) -> None:
    """Show the goods of an edition, the countries, or the enforcement lists."""
    reference = _reference()
    if what == "lists" and edition is not None:
        raise click.UsageError("--edition applies to goods and countries only")
    builders = {
        "goods": lambda: service.goods_records(reference, edition),
        "countries": lambda: service.country_records(reference, edition),
        "lists": lambda: service.list_records(reference),
    }
    records = _domain(builders[what])
    if fmt == "json":
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
    elif what == "goods":
        click.echo(goods_table(records, edition or reference.latest_edition))
    elif what == "countries":
        click.echo(countries_table(records))
    else:
        click.echo(lists_table(records))


@refdata.command("diff")
@click.argument("old", type=int)
@click.argument("new", type=int)
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@with_appcontext
def diff(old: int, new: int, fmt: str) -> None:
    """Compare two ILAB editions: goods and good-country pairs added, removed or changed."""
    result = _domain(lambda: service.diff_editions(_reference(), old, new))
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(diff_report(result))


@refdata.group("import")
def import_group() -> None:
    """Import an external dataset edition into this installation."""


@import_group.command("ilab")
@click.argument("source", metavar="FILE_OR_URL")
@click.option("--edition", type=click.IntRange(2009, 2100), required=True, help="Edition year.")
@click.option("--replace", is_flag=True, help="Replace an edition imported earlier.")
@click.option(
    "--input-format",
    type=click.Choice(["xml", "csv"]),
    help="Read as this format (default: by extension, else by content).",
)
@with_appcontext
def import_ilab(source: str, edition: int, replace: bool, input_format: str | None) -> None:
    """Import an ILAB List of Goods edition (Sweat & Toil XML or CSV; see SCHEMA.md)."""
    result = _domain(
        lambda: service.import_ilab(
            current_app.config,
            source,
            edition,
            replace=replace,
            fmt=input_format,  # type: ignore[arg-type]  # click.Choice guarantees the literal
        )
    )
    db.session.commit()
    verb = "Replaced" if result.replaced else "Imported"
    click.echo(
        f"{verb} ILAB edition {result.edition}: {result.rows} good-country pairs from "
        f"{result.origin} (sha256 {result.sha256[:12]}, trust {result.trust})."
    )
    if result.new_goods:
        click.echo(f"Goods new to the catalogue: {', '.join(result.new_goods)}")
    click.echo(f"Reference-data version is now {result.version}.")


# --- plain-text rendering ------------------------------------------------------------------


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[int]) -> str:
    """Lay rows out in fixed-width columns, cutting cells longer than their column's width."""
    cells = [[_cell(value) for value in row] for row in rows]
    sizes = [
        min(width, max([len(header), *(len(row[i]) for row in cells)]))
        for i, (header, width) in enumerate(zip(headers, widths, strict=True))
    ]

    def line(values: Sequence[str]) -> str:
        return "  ".join(_fit(v, size) for v, size in zip(values, sizes, strict=True)).rstrip()

    return "\n".join([line(headers), line(["-" * size for size in sizes]), *map(line, cells)])


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return str(value)


def _fit(value: str, size: int) -> str:
    return value.ljust(size) if len(value) <= size else value[: size - 1] + "…"


def flag_codes(pair: dict[str, Any], *, input_good: bool = False) -> str:
    """Abbreviate a pair's flags: CL, FL, FCL, DS<input country (DS<input good/country)."""
    codes = [
        code
        for code, key in (
            ("CL", "child_labour"),
            ("FL", "forced_labour"),
            ("FCL", "forced_child_labour"),
        )
        if pair[key]
    ]
    if pair["downstream"]:
        source = pair["input_country_iso3"]
        codes.append(f"DS<{pair['input_good_id']}/{source}" if input_good else f"DS<{source}")
    return "+".join(codes)


def goods_table(records: list[dict[str, Any]], edition: int) -> str:
    rows = [
        (
            g["id"],
            g["sector"],
            " ".join(f"{c['country_iso3']}:{flag_codes(c)}" for c in g["countries"]),
            g["hs"],
            g["aliases"],
        )
        for g in records
    ]
    body = table(("id", "sector", "countries", "hs", "aliases"), rows, (32, 13, 48, 28, 48))
    return f"ILAB TVPRA {edition}: {len(records)} goods\n{body}\n{FLAG_LEGEND}"


def countries_table(records: list[dict[str, Any]]) -> str:
    edition = records[0]["edition"] if records else ""
    rows = [
        (
            c["iso3"],
            c["iso2"],
            c["name_en"],
            c["name_fr"],
            c["tip_tier"],
            c["advancement_level"],
            c["listed_goods"],
        )
        for c in records
    ]
    headers = ("iso3", "iso2", "name", "nom", "TIP tier", "findings", f"goods {edition}")
    return table(headers, rows, (4, 4, 32, 32, 17, 26, 10))


def lists_table(records: list[dict[str, Any]]) -> str:
    entities = [r for r in records if r["kind"] == "entity"]
    rules = [r for r in records if r["kind"] == "rule"]
    entity_rows = [
        (
            e["id"],
            e["list"],
            e["name"],
            e["country_iso3"],
            e["industry"],
            e["effective_date"],
            e["action_type"],
        )
        for e in entities
    ]
    rule_rows = [
        (
            r["id"],
            r["list"],
            r["good_id"],
            r["country_iso3"],
            r["area"],
            r["effective_date"],
            r["action_type"],
            r["description"],
        )
        for r in rules
    ]
    return "\n".join(
        [
            f"Enforcement entities ({len(entities)})",
            table(
                ("id", "list", "name", "country", "industry", "effective", "action"),
                entity_rows,
                (14, 7, 48, 7, 24, 10, 17),
            ),
            "",
            f"Product-place rules ({len(rules)})",
            table(
                ("id", "list", "good", "country", "area", "effective", "action", "description"),
                rule_rows,
                (14, 7, 24, 7, 20, 10, 17, 48),
            ),
        ]
    )


def diff_report(result: service.EditionDiff) -> str:
    """Write an edition diff for people to read, one aligned line per good or pair."""

    def pair(item: Listing) -> str:
        return f"{item.good_id} / {item.country_iso3} ({item.country_as_published})"

    def flags(item: Listing) -> str:
        return flag_codes(service.listing_flags(item), input_good=True) or "-"

    def goods(items: Sequence[Good]) -> list[tuple[str, str]]:
        return [(g.id, f"{g.name} ({g.sector})") for g in items]

    sections: list[tuple[str, list[tuple[str, str]]]] = [
        ("Goods added", goods(result.goods_added)),
        ("Goods removed", goods(result.goods_removed)),
        ("Pairs added", [(pair(x), flags(x)) for x in result.pairs_added]),
        ("Pairs removed", [(pair(x), flags(x)) for x in result.pairs_removed]),
        (
            "Flags changed",
            [(pair(b), f"{flags(a)} -> {flags(b)}") for a, b in result.flags_changed],
        ),
    ]
    lines = [f"ILAB TVPRA {result.old} -> {result.new}"]
    for title, entries in sections:
        lines += ["", f"{title} ({len(entries)}):" if entries else f"{title}: none"]
        width = max((len(label) for label, _ in entries), default=0)
        lines += [f"  {label.ljust(width)}  {detail}" for label, detail in entries]
    lines += ["", FLAG_LEGEND]
    return "\n".join(lines)
