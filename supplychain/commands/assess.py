"""`supplychain assess FILE`: assess a supplier list from the command line, without the web.

    supplychain assess suppliers.xlsx --org maple-imports --out results.xlsx
    supplychain assess suppliers.csv --out results.json          # a throw-away run

With `--org` the upload and its assessment are stored for that organisation (its saved
mappings and judgements apply), exactly as an upload through the web or the API would be.
Without it the run is throw-away: it happens in a private in-memory database, so it needs
no account and leaves nothing behind; only the `--out` file and the printed summary remain.
Either way the pipeline runs inline, in this process, and the command exits non-zero when
the file is refused or the assessment fails.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from supplychain.errors import DomainError
from supplychain.extensions import db
from supplychain.models.assessments import Assessment
from supplychain.services import accounts, exports, uploads

OUT_TYPES = (".csv", ".xlsx", ".json")


@click.command("assess")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--org", "organisation", help="Store the assessment for this organisation.")
@click.option("--sheet", help="XLSX worksheet to read (default: the first with data).")
@click.option(
    "--mapping",
    help='Columns as JSON, {"supplier_name": "Vendor", "country": "Origin", ...}.',
)
@click.option(
    "--accept-mapping",
    is_flag=True,
    help="Use the proposed columns even where they would need a person to confirm them.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write every line to .csv, .xlsx or .json.",
)
@with_appcontext
def assess(
    file: Path,
    organisation: str | None,
    sheet: str | None,
    mapping: str | None,
    accept_mapping: bool,
    out: Path | None,
) -> None:
    """Match, score and summarise a supplier list (CSV or XLSX)."""
    if out is not None and out.suffix.lower() not in OUT_TYPES:
        raise click.UsageError(f"--out must end in {', '.join(OUT_TYPES)}.")
    chosen = _mapping(mapping)
    data = file.read_bytes()
    if organisation is None:
        _throw_away(data, file.name, sheet, chosen, accept_mapping, out)
        return
    current_app.config["JOBS_MODE"] = "inline"  # this process is the worker
    try:
        found = accounts.find_organisation(organisation)
        assessment = _run(found.id, data, file.name, sheet, chosen, accept_mapping)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.detail) from error
    except click.ClickException:
        db.session.rollback()  # nothing of a refused run is kept
        raise
    _report(assessment, out)


def _mapping(text: str | None) -> dict[str, Any] | None:
    if not text:
        return None
    try:
        chosen = json.loads(text)
    except ValueError as exc:
        raise click.UsageError(f"--mapping is not valid JSON ({exc}).") from exc
    if not isinstance(chosen, dict):
        raise click.UsageError('--mapping must be a JSON object, {"field": "header", ...}.')
    return chosen


def _run(
    organisation_id: int,
    data: bytes,
    filename: str,
    sheet: str | None,
    chosen: dict[str, Any] | None,
    accept_mapping: bool,
) -> Assessment:
    upload = uploads.create_upload(organisation_id, data, filename, sheet=sheet, mapping=chosen)
    waiting = uploads.needs_mapping(upload)
    if waiting is not None:
        if not accept_mapping:
            proposed = json.dumps(waiting.to_dict(), ensure_ascii=False)
            raise click.ClickException(
                "The columns need confirming: "
                + " ".join(waiting.reasons)
                + f"\nProposed: {proposed}\nPass --mapping with the right columns, or "
                "--accept-mapping to use the proposal."
            )
        uploads.save_mapping(upload, waiting)
    db.session.commit()
    assessment = uploads.start_assessment(upload)  # inline: returns once the run has ended
    db.session.commit()
    db.session.refresh(assessment)
    return assessment


def _throw_away(
    data: bytes,
    filename: str,
    sheet: str | None,
    chosen: dict[str, Any] | None,
    accept_mapping: bool,
    out: Path | None,
) -> None:
    """Run in a private app on an in-memory database and a temporary upload folder."""
    from supplychain.app import create_app

    config = current_app.config
    with tempfile.TemporaryDirectory(prefix="supplychain-assess-") as folder:
        scratch = create_app(
            {
                "DATABASE_URL": "sqlite://",
                "UPLOAD_DIR": folder,
                "JOBS_MODE": "inline",
                "REFDATA_DIR": config["REFDATA_DIR"],
                "OPTIONAL_LAYERS": config["OPTIONAL_LAYERS"],
                "SECRET_KEY": config["SECRET_KEY"],
            }
        )
        with scratch.app_context():
            db.create_all()
            try:
                organisation = accounts.create_organisation("Command line")
                db.session.commit()
                assessment = _run(organisation.id, data, filename, sheet, chosen, accept_mapping)
            except DomainError as error:
                raise click.ClickException(error.detail) from error
            try:
                _report(assessment, out)
            finally:
                db.session.remove()
                db.engine.dispose()


def _report(assessment: Assessment, out: Path | None) -> None:
    """Print the summary; write the export; exit non-zero if the assessment failed."""
    if assessment.status != "done":
        raise click.ClickException(f"The assessment failed: {assessment.error}")
    summary = assessment.summary or {}
    click.echo(render_summary(assessment, summary))
    if out is not None:
        kind = exports.write_export(assessment, str(out))
        click.echo(f"Wrote {summary.get('lines', 0):,} lines to {out} ({kind}).")


def render_summary(assessment: Assessment, summary: dict[str, Any]) -> str:
    """Lay an assessment's summary out for a terminal."""
    lines = [
        f"Assessment {assessment.id}: {summary.get('lines', 0):,} lines, "
        f"{summary.get('suppliers', 0):,} suppliers, {summary.get('countries', 0):,} countries, "
        f"{summary.get('goods', 0):,} listed goods",
        f"Model {assessment.model_name} ({assessment.model_profile}), "
        f"reference data {assessment.reference_version}",
    ]
    by_band = summary.get("lines_by_band", {})
    total = max(1, summary.get("lines", 0))
    lines.append(
        "Lines by band: "
        + ", ".join(f"{band} {count:,} ({count / total:.0%})" for band, count in by_band.items())
    )
    for dimension, label in (("forced_labour", "Forced labour"), ("child_labour", "Child labour")):
        if dimension in summary:
            shares = summary[dimension]["share_by_band"]
            high = shares.get("High", 0) + shares.get("Critical", 0)
            lines.append(
                f"{label}: maximum {summary[dimension]['maximum']:.0f} "
                f"({summary[dimension]['band']}), High or Critical {high:.0%} "
                f"(weighted by {summary.get('weighting', 'lines')})"
            )
    lines.append(
        f"Insufficient data: {summary.get('insufficient_data_lines', 0):,} lines "
        "(missing product or origin is not low risk)"
    )
    if summary.get("review_pending"):
        lines.append(f"Matches waiting for review: {summary['review_pending']:,}")
    if summary.get("top_suppliers"):
        lines.append("Most exposed suppliers:")
        for supplier in summary["top_suppliers"][:5]:
            lines.append(f"  {supplier['band']:<8} {supplier['name']} ({supplier['lines']} lines)")
    for note in summary.get("notes", []):
        lines.append(f"Note: {note}")
    if summary.get("timings"):
        lines.append(
            "Time: "
            + ", ".join(f"{stage} {secs:.1f}s" for stage, secs in summary["timings"].items())
        )
    return "\n".join(lines)
