"""`supplychain reports`: list S-211 reports, check one, render one to PDF and JSON.

    supplychain reports list --org maple-imports --format table
    supplychain reports check 12              # exit 1 when any finding is blocking
    supplychain reports render 12 --lang both --out report.pdf --json answers.json

The commands are for the operator of the installation: without `--org` they see every
organisation's reports; with it, only that organisation's (another's report id is not found).
They read only; editing and approval happen in the web pages or through the API.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from supplychain.errors import DomainError
from supplychain.extensions import db
from supplychain.models.accounts import Organisation
from supplychain.models.reports import REPORT_LANGUAGES, Report
from supplychain.services import accounts, reports

ORG_OPTION = click.option("--org", "org_ref", help="Organisation slug or name (default: all).")


def _organisation_id(org_ref: str | None) -> int | None:
    if org_ref is None:
        return None
    return accounts.find_organisation(org_ref).id


def _load(report_id: int, org_ref: str | None) -> Report:
    try:
        return reports.find_report(report_id, _organisation_id(org_ref))
    except DomainError as error:
        raise click.ClickException(error.detail) from error


@click.group("reports")
def reports_group() -> None:
    """S-211 reports: list them, check one, render one."""


def _row(report: Report, slugs: dict[int, str]) -> dict[str, Any]:
    return {
        "id": report.id,
        "organisation": slugs.get(report.organisation_id, str(report.organisation_id)),
        "reporting_year": report.reporting_year,
        "revision": report.revision,
        "status": report.status,
        "language": report.language,
        "legal_name": report.entity.get("legal_name", ""),
        "updated_at": report.updated_at.isoformat(timespec="seconds"),
    }


@reports_group.command("list")
@ORG_OPTION
@click.option(
    "--format", "output", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@with_appcontext
def list_reports(org_ref: str | None, output: str) -> None:
    """List reports, newest year and revision first."""
    try:
        rows = reports.find_reports(_organisation_id(org_ref))
    except DomainError as error:
        raise click.ClickException(error.detail) from error
    slugs = {o.id: o.slug for o in db.session.scalars(sa.select(Organisation))}
    items = [_row(report, slugs) for report in rows]
    if output == "json":
        click.echo(json.dumps(items, ensure_ascii=False, indent=2))
        return
    if not items:
        click.echo("No reports.")
        return
    columns = ("id", "organisation", "reporting_year", "revision", "status", "language")
    headers = ("ID", "ORGANISATION", "YEAR", "REV", "STATUS", "LANG")
    widths = [
        max(len(h), *(len(str(i[c])) for i in items)) for c, h in zip(columns, headers, strict=True)
    ]
    click.echo("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + "  LEGAL NAME")
    for item in items:
        cells = (str(item[c]).ljust(w) for c, w in zip(columns, widths, strict=True))
        click.echo("  ".join(cells) + f"  {item['legal_name']}")


@reports_group.command("check")
@click.argument("report_id", type=int)
@ORG_OPTION
@click.option("--lang", type=click.Choice(["en", "fr"]), default="en", show_default=True)
@with_appcontext
def check_report(report_id: int, org_ref: str | None, lang: str) -> None:
    """Print the findings on a report; exit 1 when any is blocking."""
    report = _load(report_id, org_ref)
    try:
        result = reports.run_checks(report)
    except DomainError as error:
        raise click.ClickException(error.detail) from error
    for finding in result.findings:
        where = _where(finding.section)
        message = finding.message if lang == "en" else finding.message_fr
        fix = finding.fix if lang == "en" else finding.fix_fr
        label = "BLOCKING" if finding.blocking else "warning "
        click.echo(f"{label}  {where:<14} {finding.code}: {message}")
        click.echo(f"{'':10}{'':15}Fix: {fix}")
    click.echo(
        f"Report {report.id} ({report.reporting_year}, revision {report.revision}, "
        f"{report.status}): {len(result.blocking)} blocking, {len(result.warnings)} "
        f"warning{'s' if len(result.warnings) != 1 else ''}; about {result.pages:.1f} pages "
        f"of the {result.page_limit} the guidance allows."
    )
    if result.blocking:
        sys.exit(1)


def _where(section: str | None) -> str:
    if section is None:
        return "report"
    return f"section ({section})" if len(section) == 1 else section


@reports_group.command("render")
@click.argument("report_id", type=int)
@ORG_OPTION
@click.option("--lang", type=click.Choice(REPORT_LANGUAGES), help="Default: the report's.")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Where to write the PDF.",
)
@click.option(
    "--json",
    "json_out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Also write the questionnaire answers as JSON (schema s211-questionnaire/1).",
)
@with_appcontext
def render_report(
    report_id: int, org_ref: str | None, lang: str | None, out: Path, json_out: Path | None
) -> None:
    """Render a report to PDF (and its answers to JSON)."""
    if out.suffix.lower() != ".pdf":
        raise click.UsageError("--out must end in .pdf.")
    if json_out is not None and json_out.suffix.lower() != ".json":
        raise click.UsageError("--json must end in .json.")
    report = _load(report_id, org_ref)
    chosen = lang or report.language
    try:
        pdf = reports.render_report_pdf(report, chosen)
        document = reports.questionnaire_document(report) if json_out is not None else None
    except DomainError as error:
        raise click.ClickException(error.detail) from error
    out.write_bytes(pdf)
    click.echo(f"Wrote {out} ({len(pdf):,} bytes, {chosen}).")
    if json_out is not None:
        json_out.write_text(
            json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        click.echo(f"Wrote {json_out}.")
