"""Receiving a supplier list: check it, keep the original, settle its columns, start assessing.

    upload = create_upload(organisation_id, data, "suppliers.xlsx", user_id=...)
    if (proposal := needs_mapping(upload)) is not None:
        ...                                    # show proposal.reasons; a person confirms
        save_mapping(upload, {"supplier_name": "Vendor", "country": "Origin", ...})
    assessment = start_assessment(upload)     # queued; the job runs pipeline.run_assessment

Hostile or unreadable files are refused with IngestError (422) before anything is stored.
A mapping a person confirms is remembered for the organisation under the file's header set
(sha256 of the normalised headers), so the next export from the same system needs no
confirmation. Functions that act for someone take either ids or the acting `Principal`.

`Upload.mapping` holds {"headers", "fields" ({field: header}), "currency_hint", "source"
("explicit", "saved" or "proposed"), "needs_confirmation", "reasons", "confidence", "sheet"}.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from typing import Any

from flask import current_app

from risk_models.scoring import get_model
from supplychain import ingest, jobs
from supplychain.errors import Conflict
from supplychain.extensions import db
from supplychain.ingest import ColumnMapping, IngestError, IngestLimits, Table
from supplychain.models.assessments import Assessment, SavedMapping, Upload
from supplychain.models.refdata import utcnow
from supplychain.services import audit, screening
from supplychain.services.access import Principal, get_scoped, scoped_select
from supplychain.services.matching import thresholds
from supplychain.services.refdata import get_reference
from supplychain.services.storage import get_storage

UPLOAD_CREATED = "upload.created"
MAPPING_SAVED = "mapping.saved"
ASSESSMENT_STARTED = "assessment.started"
SAMPLE_ROWS = 5

Actor = int | Principal


def _actor(
    who: Actor | None, user_id: int | None, token_id: int | None
) -> tuple[int | None, int | None, int | None]:
    """Return (organisation_id, user_id, token_id) from a principal or from plain ids."""
    if isinstance(who, Principal):
        return who.organisation_id, user_id or who.user_id, token_id or who.token_id
    return who, user_id, token_id


def upload_limits(config: Mapping[str, Any]) -> IngestLimits:
    """Return what one upload may cost, from the configuration."""
    return IngestLimits(
        max_bytes=int(config["UPLOAD_MAX_BYTES"]), max_rows=int(config["UPLOAD_MAX_ROWS"])
    )


def headers_key(headers: tuple[str, ...] | list[str]) -> str:
    """Return the key a header set's saved mapping is found by (sha256 of normalised headers)."""
    text = "\x1f".join(ingest.normalise_header(header) for header in headers)
    return hashlib.sha256(text.encode()).hexdigest()


def _mapping_json(mapping: ColumnMapping, source: str, sheet: str | None) -> dict[str, Any]:
    return {
        "headers": list(mapping.headers),
        "fields": mapping.to_dict(),
        "currency_hint": mapping.currency_hint,
        "source": source,
        "needs_confirmation": source == "proposed" and mapping.needs_confirmation,
        "reasons": list(mapping.reasons) if source == "proposed" else [],
        "confidence": {name: choice.confidence for name, choice in mapping.choices.items()},
        "sheet": sheet,
    }


def _saved(organisation_id: int, headers: tuple[str, ...]) -> SavedMapping | None:
    return db.session.scalar(
        scoped_select(SavedMapping, organisation_id).where(
            SavedMapping.headers_key == headers_key(headers)
        )
    )


def _settle_mapping(
    organisation_id: int, table: Table, chosen: Mapping[str, Any] | None
) -> dict[str, Any]:
    """Choose the mapping: the one given, else the organisation's saved one, else a proposal."""
    if chosen is not None:
        mapping = ingest.explicit_mapping(table.headers, dict(chosen))
        remember_mapping(organisation_id, mapping)  # a mapping given is a confirmed one
        return _mapping_json(mapping, "explicit", table.sheet)
    saved = _saved(organisation_id, table.headers)
    if saved is not None:
        try:
            mapping = ingest.explicit_mapping(
                table.headers,
                saved.mapping.get("fields", {}),
                currency_hint=saved.mapping.get("currency_hint"),
            )
        except IngestError:
            pass  # remembered for headers that normalise alike but no longer fit: propose
        else:
            return _mapping_json(mapping, "saved", table.sheet)
    return _mapping_json(ingest.propose_mapping(table.headers), "proposed", table.sheet)


def read_upload(upload: Upload, data: bytes | None = None) -> Table:
    """Open the stored original of an upload as a streaming table."""
    if data is None:
        data = get_storage().get(upload.storage_key)
    return ingest.read_table(
        data, upload.filename, upload.sheet, limits=upload_limits(current_app.config)
    )


def create_upload(
    organisation: Actor,
    data: bytes,
    filename: str,
    *,
    sheet: str | None = None,
    mapping: Mapping[str, Any] | None = None,
    user_id: int | None = None,
    token_id: int | None = None,
    content_type: str = "",
) -> Upload:
    """Check a file, keep it, and settle its column mapping; IngestError if it is refused.

    `mapping` is `{field: header name or 0-based column index}`, and is remembered for the
    organisation's next file with the same headers; without one, the organisation's saved
    mapping for these headers is used, else a proposal.
    """
    organisation_id, user_id, token_id = _actor(organisation, user_id, token_id)
    assert organisation_id is not None
    config = current_app.config
    # Refused here, before anything is stored: wrong type, too large, empty, binary, damaged
    # or bomb-like archives, too many rows or columns (when the file shows it up front).
    table = ingest.read_table(data, filename, sheet, limits=upload_limits(config))
    settled = _settle_mapping(organisation_id, table, mapping)
    key = get_storage().put(data)
    upload = Upload(
        organisation_id=organisation_id,
        uploaded_by_id=user_id,
        token_id=token_id,
        filename=table.filename,
        content_type=(content_type or "")[:100],
        size_bytes=len(data),
        sha256=key,
        storage_key=key,
        sheet=table.sheet if sheet is not None else None,
        mapping=settled,
    )
    db.session.add(upload)
    db.session.flush()
    audit.record(
        UPLOAD_CREATED,
        organisation_id=organisation_id,
        user_id=user_id,
        token_id=token_id,
        target=upload,
        detail={"filename": upload.filename, "size_bytes": len(data), "sha256": key},
    )
    return upload


def sheets(upload: Upload) -> list[str]:
    """Return the worksheets of an XLSX upload (empty for CSV)."""
    if upload.filename.lower().endswith(".xlsx"):
        return ingest.list_sheets(
            get_storage().get(upload.storage_key),
            upload.filename,
            limits=upload_limits(current_app.config),
        )
    return []


def choose_sheet(upload: Upload, sheet: str) -> Upload:
    """Read another worksheet of the workbook, and settle its columns again."""
    previous = upload.sheet
    upload.sheet = sheet
    try:
        table = read_upload(upload)
    except IngestError:
        upload.sheet = previous
        raise
    upload.sheet = table.sheet
    upload.mapping = _settle_mapping(upload.organisation_id, table, None)
    db.session.flush()
    return upload


def proposal(upload: Upload) -> ColumnMapping:
    """Return the upload's current column mapping, with the reasons to confirm it if any."""
    stored = upload.mapping or {}
    headers = tuple(stored.get("headers") or read_upload(upload).headers)
    if stored.get("source") in ("explicit", "saved"):
        return ingest.explicit_mapping(
            headers, stored.get("fields", {}), currency_hint=stored.get("currency_hint")
        )
    return ingest.propose_mapping(headers)


def needs_mapping(upload: Upload) -> ColumnMapping | None:
    """Return the proposed mapping when a person should confirm it first, else None."""
    stored = upload.mapping or {}
    if stored.get("source") == "proposed" and stored.get("needs_confirmation"):
        return proposal(upload)
    return None


def column_mapping(upload: Upload, table: Table) -> ColumnMapping:
    """Return the mapping to read the upload's records with."""
    stored = upload.mapping or {}
    if stored.get("source") in ("explicit", "saved") and stored.get("headers") == list(
        table.headers
    ):
        return ingest.explicit_mapping(
            table.headers, stored.get("fields", {}), currency_hint=stored.get("currency_hint")
        )
    return ingest.propose_mapping(table.headers)


def samples(upload: Upload, limit: int = SAMPLE_ROWS) -> dict[str, list[str]]:
    """Return the first few non-empty values of each column, by header, for the mapping step."""
    table = read_upload(upload)
    found: dict[str, list[str]] = {header: [] for header in table.headers}
    for seen, row in enumerate(table.rows()):
        for header, cell in zip(table.headers, row.cells, strict=False):
            if cell.strip() and len(found[header]) < limit:
                found[header].append(cell.strip()[:200])
        if seen >= 200 or all(len(values) >= limit for values in found.values()):
            break
    return found


def save_mapping(
    upload: Upload,
    mapping: Mapping[str, Any] | ColumnMapping,
    principal: Principal | None = None,
    *,
    user_id: int | None = None,
    token_id: int | None = None,
) -> ColumnMapping:
    """Confirm an upload's columns and remember them for the organisation's same headers.

    `mapping` is `{field: header name or 0-based column index}` (empty values are left out)
    or a ColumnMapping; IngestError names a field, header or index that does not fit.
    """
    _, user_id, token_id = _actor(principal, user_id, token_id)
    headers = tuple((upload.mapping or {}).get("headers") or read_upload(upload).headers)
    if isinstance(mapping, ColumnMapping):
        chosen: dict[str, Any] = mapping.to_dict()
        hint = mapping.currency_hint
    else:
        chosen = {name: value for name, value in mapping.items() if value not in (None, "")}
        hint = (upload.mapping or {}).get("currency_hint")
    confirmed = ingest.explicit_mapping(headers, chosen, currency_hint=hint)
    sheet = (upload.mapping or {}).get("sheet")
    upload.mapping = _mapping_json(confirmed, "explicit", sheet)
    remember_mapping(upload.organisation_id, confirmed)
    audit.record(
        MAPPING_SAVED,
        organisation_id=upload.organisation_id,
        user_id=user_id,
        token_id=token_id,
        target=upload,
        detail={"fields": confirmed.to_dict()},
    )
    return confirmed


def remember_mapping(organisation_id: int, mapping: ColumnMapping) -> SavedMapping:
    """Save a confirmed mapping for the organisation's files with the same headers."""
    saved = _saved(organisation_id, mapping.headers)
    if saved is None:
        saved = SavedMapping(
            organisation_id=organisation_id, headers_key=headers_key(mapping.headers)
        )
        db.session.add(saved)
    saved.mapping = {"fields": mapping.to_dict(), "currency_hint": mapping.currency_hint}
    saved.updated_at = utcnow()
    db.session.flush()
    return saved


def match_thresholds(config: Mapping[str, Any]) -> dict[str, Any]:
    """Return the match thresholds an assessment runs with, for the record."""
    goods, countries = thresholds(config, "GOODS"), thresholds(config, "COUNTRIES")
    suppliers = screening.thresholds(config)
    return {
        "goods": {"accept": goods.accept, "review": goods.review},
        "countries": {"accept": countries.accept, "review": countries.review},
        "suppliers": {
            "accept": suppliers.accept,
            "review": suppliers.review,
            "floor": float(config["SCREEN_SUPPLIERS_FLOOR"]),
        },
    }


def new_assessment(
    upload: Upload, *, user_id: int | None = None, previous_id: int | None = None
) -> Assessment:
    """Add a queued assessment of an upload with today's model, reference data and thresholds."""
    config = current_app.config
    if previous_id is not None:
        get_scoped(Assessment, previous_id, upload.organisation_id)
    model = get_model(config["ASSESSMENT_MODEL"], config["ASSESSMENT_PROFILE"])
    assessment = Assessment(
        organisation_id=upload.organisation_id,
        upload_id=upload.id,
        previous_id=previous_id,
        created_by_id=user_id,
        status="queued",
        stage="queued",
        rows_done=0,
        model_name=model.model,
        model_profile=model.profile,
        model_parameters=model.as_dict(),
        reference_version=get_reference(config).version,
        match_thresholds=match_thresholds(config),
        job_id=f"assessment-{uuid.uuid4().hex}",
    )
    db.session.add(assessment)
    db.session.flush()
    return assessment


def start_assessment(
    upload: Upload,
    principal: Principal | None = None,
    *,
    user_id: int | None = None,
    token_id: int | None = None,
    previous_id: int | None = None,
) -> Assessment:
    """Queue an assessment of the upload; Conflict while its columns await confirmation.

    The job starts once the caller commits (or at once when JOBS_MODE is "inline").
    """
    _, user_id, token_id = _actor(principal, user_id, token_id)
    waiting = needs_mapping(upload)
    if waiting is not None:
        raise Conflict(
            "Confirm the column mapping before assessing: " + " ".join(waiting.reasons),
            errors={"mapping": upload.mapping},
        )
    assessment = new_assessment(upload, user_id=user_id, previous_id=previous_id)
    audit.record(
        ASSESSMENT_STARTED,
        organisation_id=upload.organisation_id,
        user_id=user_id,
        token_id=token_id,
        target=assessment,
        detail={"upload_id": upload.id, "previous_id": previous_id},
    )
    jobs.enqueue(assessment)
    return assessment
