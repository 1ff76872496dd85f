"""Maintain this installation's reference data: validate it, compare editions, import ILAB.

The shipped data lives in `reference_data.loader.DATA_DIR` (read at call time, so tests can
point it at a copy); imported editions live in the configured `REFDATA_DIR`.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from hashlib import sha256
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import requests
import sqlalchemy as sa

from reference_data import ReferenceData, ReferenceDataError, loader
from reference_data.ilab_import import (
    ImportedEdition,
    ImportFormat,
    ImportFormatError,
    SourceRow,
    country_index,
    detect_format,
    edition_csv,
    goods_toml,
    manifest_toml,
    parse,
    read_manifest_sources,
    resolve,
)
from reference_data.loader import OPTIONAL_LAYERS, Problem, build, read_all
from reference_data.manifest import refresh_manifest
from reference_data.models import Good, Listing
from reference_data.validation import check
from supplychain.errors import Conflict, InvalidInput, NotFound
from supplychain.extensions import db
from supplychain.models.refdata import ReferenceImport
from supplychain.services.refdata import optional_layers

DATASET = "ilab-tvpra"
ILAB_PUBLISHER = "U.S. Department of Labor, Bureau of International Labor Affairs (ILAB)"
ILAB_TITLE = "List of Goods Produced by Child Labor or Forced Labor"
ILAB_LICENCE = "U.S. federal government work, public domain in the U.S. (17 U.S.C. §105)"
MANIFEST = "manifest.toml"
IMPORTED_GOODS = "goods/imported.toml"


def shipped_dir() -> Path:
    """Return the shipped data directory (looked up on each call, never bound at import)."""
    return loader.DATA_DIR


def instance_dir(config: Mapping[str, Any]) -> Path:
    """Return the directory holding this installation's imported editions."""
    return Path(config["REFDATA_DIR"])


# --- validate ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ValidationReport:
    """Every problem found, or (when clean) the collection that was checked."""

    problems: tuple[Problem, ...]
    reference: ReferenceData | None = None
    manifest_changes: tuple[str, ...] = ()

    @property
    def summary(self) -> str:
        """Say in one line what was checked (only meaningful when there are no problems)."""
        ref = self.reference
        if ref is None:
            return f"{len(self.problems)} problem(s)"
        goods = sum(1 for g in ref.goods.values() if g.kind == "good")
        derived = len(ref.goods) - goods
        editions = ", ".join(f"{year}: {len(rows)}" for year, rows in ref.editions.items())
        return (
            f"OK: {goods} goods and {derived} derived products; listings {editions}; "
            f"{len(ref.countries)} countries, {len(ref.country_aliases)} country aliases; "
            f"{len(ref.entities)} entities, {len(ref.rules)} rules; version {ref.version}"
        )


def validate_reference(
    config: Mapping[str, Any], *, write_manifest: bool = False
) -> ValidationReport:
    """Run every loader and cross-reference check over the shipped and imported data.

    Optional layers are always checked (a file that is off must still be right); the version
    reported is the one the service cites with the configured layers.
    """
    data_dir = shipped_dir()
    changes: list[str] = []
    if write_manifest:
        changes = refresh_manifest(data_dir)
    raw, problems = read_all(data_dir, (instance_dir(config),), frozenset(OPTIONAL_LAYERS))
    problems += check(raw)
    if problems:
        return ValidationReport(tuple(problems), manifest_changes=tuple(changes))
    reference = build(raw, frozenset(optional_layers(config)))
    return ValidationReport((), reference, tuple(changes))


# --- show and diff -------------------------------------------------------------------------


def edition_or_latest(reference: ReferenceData, edition: int | None) -> int:
    """Return the requested edition year, or the latest; refuse a year that is not loaded."""
    if edition is None:
        return reference.latest_edition
    if edition not in reference.editions:
        have = ", ".join(str(y) for y in reference.editions)
        raise NotFound(f"edition {edition} is not available (editions: {have})")
    return edition


def listing_flags(listing: Listing) -> dict[str, Any]:
    """Return a listing's flags as a plain mapping."""
    return {
        "child_labour": listing.child_labour,
        "forced_labour": listing.forced_labour,
        "forced_child_labour": listing.forced_child_labour,
        "downstream": listing.downstream,
        "input_good_id": listing.input_good_id,
        "input_country_iso3": listing.input_country_iso3,
    }


def listing_record(listing: Listing) -> dict[str, Any]:
    """Return one good-country pair as a plain mapping with its citation."""
    return {
        "good_id": listing.good_id,
        "country_iso3": listing.country_iso3,
        "country_as_published": listing.country_as_published,
        **listing_flags(listing),
        "citation": listing.citation,
    }


def goods_records(reference: ReferenceData, edition: int | None = None) -> list[dict[str, Any]]:
    """List every good of an edition with its countries (and flags), aliases, HS, inputs and
    broader goods."""
    year = edition_or_latest(reference, edition)
    return [
        {
            "id": good.id,
            "name": good.name,
            "sector": good.sector,
            "countries": [
                {k: v for k, v in listing_record(item).items() if k != "good_id"}
                for item in reference.listings_for_good(good.id, year)
            ],
            "aliases": list(good.aliases),
            "aliases_fr": list(good.aliases_fr),
            "hs": list(good.hs),
            "inputs": list(good.inputs),
            "broader": list(good.broader),
        }
        for good in reference.listed_goods(year)
    ]


def country_records(reference: ReferenceData, edition: int | None = None) -> list[dict[str, Any]]:
    """List every country with its codes, names, TIP tier, findings level and listed goods."""
    year = edition_or_latest(reference, edition)
    records = []
    for iso3, country in sorted(reference.countries.items()):
        tip = reference.tip.get(iso3)
        findings = reference.findings.get(iso3)
        records.append(
            {
                "iso3": iso3,
                "iso2": country.iso2,
                "numeric": country.numeric,
                "name_en": country.name_en,
                "name_fr": country.name_fr,
                "tip_tier": tip.tier if tip else None,
                "tip_report_year": tip.report_year if tip else None,
                "advancement_level": (findings.advancement_level or None) if findings else None,
                "advancement_rank": (findings.advancement_rank or None) if findings else None,
                "edition": year,
                "listed_goods": len(
                    {item.good_id for item in reference.listings_for_country(iso3, year)}
                ),
            }
        )
    return records


def list_records(reference: ReferenceData) -> list[dict[str, Any]]:
    """List the enforcement entities, then the product-place rules, each marked by kind."""
    records: list[dict[str, Any]] = []
    for entity in reference.entities:
        records.append(
            {
                "kind": "entity",
                "id": entity.entity_id,
                "list": entity.list,
                "name": entity.name,
                "aliases": list(entity.aliases),
                "country_iso3": entity.country_iso3,
                "industry": entity.industry,
                "effective_date": _iso(entity.effective_date),
                "action_type": entity.action_type,
                "basis": entity.basis,
                "source_row": entity.source_row,
            }
        )
    for rule in reference.rules:
        records.append(
            {
                "kind": "rule",
                "id": rule.rule_id,
                "list": rule.list,
                "good_id": rule.good_id,
                "country_iso3": rule.country_iso3,
                "area": rule.area,
                "description": rule.description,
                "effective_date": _iso(rule.effective_date),
                "action_type": rule.action_type,
                "source_row": rule.source_row,
            }
        )
    return records


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


@dataclass(frozen=True)
class EditionDiff:
    """What changed between two editions of the ILAB list."""

    old: int
    new: int
    goods_added: tuple[Good, ...]
    goods_removed: tuple[Good, ...]
    pairs_added: tuple[Listing, ...]
    pairs_removed: tuple[Listing, ...]
    flags_changed: tuple[tuple[Listing, Listing], ...]

    def as_dict(self) -> dict[str, Any]:
        """Return the diff as plain data (for JSON)."""

        def good(g: Good) -> dict[str, str]:
            return {"id": g.id, "name": g.name, "sector": g.sector}

        return {
            "from": self.old,
            "to": self.new,
            "goods_added": [good(g) for g in self.goods_added],
            "goods_removed": [good(g) for g in self.goods_removed],
            "pairs_added": [listing_record(x) for x in self.pairs_added],
            "pairs_removed": [listing_record(x) for x in self.pairs_removed],
            "flags_changed": [
                {
                    "good_id": a.good_id,
                    "country_iso3": a.country_iso3,
                    "before": listing_flags(a),
                    "after": listing_flags(b),
                    "citation": b.citation,
                }
                for a, b in self.flags_changed
            ],
        }


def diff_editions(reference: ReferenceData, old: int, new: int) -> EditionDiff:
    """Compare two editions: goods and good-country pairs added, removed, or with new flags."""
    for year in (old, new):
        edition_or_latest(reference, year)
    before = {(x.good_id, x.country_iso3): x for x in reference.editions[old]}
    after = {(x.good_id, x.country_iso3): x for x in reference.editions[new]}
    goods_before = {x.good_id for x in before.values()}
    goods_after = {x.good_id for x in after.values()}

    def goods(ids: set[str]) -> tuple[Good, ...]:
        return tuple(sorted((reference.goods[i] for i in ids), key=lambda g: g.name.casefold()))

    def order(item: Listing) -> tuple[str, str]:
        return (item.good_name.casefold(), item.country_iso3)

    return EditionDiff(
        old=old,
        new=new,
        goods_added=goods(goods_after - goods_before),
        goods_removed=goods(goods_before - goods_after),
        pairs_added=tuple(sorted((after[k] for k in after.keys() - before.keys()), key=order)),
        pairs_removed=tuple(sorted((before[k] for k in before.keys() - after.keys()), key=order)),
        flags_changed=tuple(
            sorted(
                (
                    (before[k], after[k])
                    for k in before.keys() & after.keys()
                    if listing_flags(before[k]) != listing_flags(after[k])
                ),
                key=lambda pair: order(pair[1]),
            )
        ),
    )


# --- import --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    """What an import added; `sha256` is of the file as received from `origin`."""

    edition: int
    origin: str
    sha256: str
    rows: int
    version: str
    trust: str
    new_goods: tuple[str, ...] = field(default=())
    replaced: bool = False


def import_ilab(
    config: Mapping[str, Any],
    origin: str,
    edition: int,
    *,
    replace: bool = False,
    fmt: ImportFormat | None = None,
    today: date | None = None,
) -> ImportResult:
    """Import an ILAB edition from a file or URL into REFDATA_DIR, all or nothing.

    Flushes a ReferenceImport row; the caller commits.
    """
    data, final_url = read_origin(
        origin, float(config["REFDATA_FETCH_TIMEOUT"]), int(config["REFDATA_MAX_IMPORT_BYTES"])
    )
    kind = fmt or detect_format(data, urlparse(final_url).path if final_url else origin)
    try:
        rows = parse(data, kind)
    except ImportFormatError as exc:
        raise InvalidInput(f"{origin}: {exc}") from exc
    if edition in loader.edition_years(shipped_dir()):
        raise Conflict(
            f"edition {edition} ships with the curated reference data; an import cannot replace it"
        )
    target = instance_dir(config)
    created = not target.exists()
    target.mkdir(parents=True, exist_ok=True)
    try:
        with _exclusive(target):
            return _import_locked(
                config,
                _Received(origin, final_url, data, kind, rows),
                edition,
                replace=replace,
                today=today or date.today(),
            )
    finally:
        if created and not any(target.iterdir()):
            target.rmdir()  # a refused first import leaves no trace, not even the directory


def read_origin(origin: str, timeout: float, limit: int) -> tuple[bytes, str | None]:
    """Return the bytes of a local file or an http(s) URL (and the URL finally fetched)."""
    scheme = urlparse(origin).scheme.lower()
    if scheme in ("http", "https"):
        return _download(origin, timeout, limit)
    if "://" in origin:
        raise InvalidInput(f"{origin}: only http(s) URLs and local files can be imported")
    path = Path(origin)
    try:
        size = path.stat().st_size
        if size > limit:
            raise InvalidInput(f"{origin}: the file is larger than the {limit}-byte import limit")
        return path.read_bytes(), None
    except OSError as exc:
        raise InvalidInput(f"{origin}: cannot be read: {exc.strerror}") from exc


def _download(url: str, timeout: float, limit: int) -> tuple[bytes, str]:
    """Stream a URL, stopping as soon as it exceeds the size limit or the time allowed."""
    too_big = InvalidInput(f"{url}: the download is larger than the {limit}-byte import limit")
    deadline = time.monotonic() + timeout  # `timeout` alone bounds each read, not the whole
    try:
        with requests.get(url, stream=True, timeout=timeout) as response:
            response.raise_for_status()
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > limit:
                raise too_big
            chunks, total = [], 0
            for chunk in response.iter_content(chunk_size=64 * 1024):
                total += len(chunk)
                if total > limit:
                    raise too_big
                if time.monotonic() > deadline:
                    raise InvalidInput(f"{url}: the download took longer than {timeout:g} s")
                chunks.append(chunk)
            return b"".join(chunks), response.url
    except requests.RequestException as exc:
        raise InvalidInput(f"{url}: could not be fetched: {exc}") from exc


@dataclass(frozen=True)
class _Received:
    origin: str
    final_url: str | None
    data: bytes
    kind: ImportFormat
    rows: list[SourceRow]

    @property
    def trust(self) -> str:
        return trust_for(self.final_url)

    @property
    def location(self) -> str:
        return self.origin if self.final_url else str(Path(self.origin).resolve())


def trust_for(url: str | None) -> str:
    """Return A for a file fetched over https from dol.gov (official, unchanged), else C."""
    if not url:
        return "C"  # a local file: someone's copy, whatever its name says
    parsed = urlparse(url)
    host = (parsed.hostname or "").lower()
    official = host == "dol.gov" or host.endswith(".dol.gov")
    return "A" if parsed.scheme == "https" and official else "C"


@contextmanager
def _exclusive(directory: Path) -> Iterator[None]:
    """Hold an advisory lock on the directory, so two imports cannot interleave."""
    handle = os.open(directory, os.O_RDONLY)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Conflict(f"another import into {directory} is in progress") from None
        yield
    finally:
        os.close(handle)  # closing the descriptor releases the lock


def _import_locked(
    config: Mapping[str, Any], received: _Received, edition: int, *, replace: bool, today: date
) -> ImportResult:
    target = instance_dir(config)
    existing = edition in loader.edition_years(target)
    if existing and not replace:
        raise Conflict(f"edition {edition} is already imported; use --replace to replace it")
    layers = frozenset(optional_layers(config))
    try:
        current = loader.load_reference_data(shipped_dir(), (target,), layers)
    except ReferenceDataError as exc:
        raise Conflict(f"fix the current reference data first (refdata validate): {exc}") from exc
    try:
        imported = resolve(
            received.rows,
            edition,
            current.goods,
            country_index(current.countries.values(), current.country_aliases),
            (item for year, rows in current.editions.items() if year != edition for item in rows),
        )
    except ImportFormatError as exc:
        raise InvalidInput(f"{received.origin}: {exc}") from exc

    staging = Path(tempfile.mkdtemp(prefix=".import-", dir=target))
    try:
        changed = _stage(target, staging, imported, received, today)
        raw, problems = read_all(shipped_dir(), (staging,), layers)
        problems += check(raw)
        if problems:
            shown = "\n".join(f"  {p}".replace(str(staging), str(target)) for p in problems[:20])
            raise InvalidInput(
                f"{received.origin}: the edition does not pass validation, nothing was imported:"
                f"\n{shown}"
            )
        version = build(raw, layers).version
        edition_file = f"ilab_tvpra/edition_{edition}.csv"
        result = ImportResult(
            edition=edition,
            origin=received.location,
            sha256=sha256(received.data).hexdigest(),
            rows=loader.count_rows(staging, edition_file),
            version=version,
            trust=received.trust,
            new_goods=tuple(g.id for g in imported.new_goods),
            replaced=existing,
        )
        _record(result)
        # Commit point: the data files first, the manifest last. The loader keys its cache on
        # the manifest, and a manifest only ever describes files that are already in place.
        for relative in changed:
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / relative, target / relative)
        os.replace(staging / MANIFEST, target / MANIFEST)
        return result
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _stage(
    target: Path, staging: Path, imported: ImportedEdition, received: _Received, today: date
) -> list[str]:
    """Write the directory as it will be after the import; return the data files that change."""
    edition_file = f"ilab_tvpra/edition_{imported.year}.csv"
    (staging / "ilab_tvpra").mkdir()
    (staging / "goods").mkdir()
    for year in loader.edition_years(target):  # the other editions, so validation sees them all
        if year != imported.year:
            relative = f"ilab_tvpra/edition_{year}.csv"
            shutil.copyfile(target / relative, staging / relative)
    (staging / edition_file).write_text(edition_csv(imported.listings), encoding="utf-8")
    changed = [edition_file]
    if imported.new_goods:
        goods = _imported_goods(target) + list(imported.new_goods)
        (staging / IMPORTED_GOODS).write_text(goods_toml(goods), encoding="utf-8")
        changed.append(IMPORTED_GOODS)
    elif (target / IMPORTED_GOODS).is_file():
        shutil.copyfile(target / IMPORTED_GOODS, staging / IMPORTED_GOODS)

    source_id = f"{DATASET}-{imported.year}"
    manifest_path = target / MANIFEST
    sources = read_manifest_sources(
        manifest_path.read_text(encoding="utf-8") if manifest_path.is_file() else ""
    )
    sources = [s for s in sources if s.get("id") != source_id]
    new_goods = ", ".join(g.id for g in imported.new_goods)
    sources.append(
        {
            "id": source_id,
            "publisher": ILAB_PUBLISHER,
            "title": ILAB_TITLE,
            "edition": str(imported.year),
            "published": "",
            "retrieved": today.isoformat(),
            "licence": ILAB_LICENCE,
            "url": received.location,
            "trust": received.trust,
            "notes": (
                f"Imported with `supplychain refdata import ilab` from the {received.kind.upper()} "
                f"file with sha256 {sha256(received.data).hexdigest()}."
                + (f" Goods new to the catalogue: {new_goods}." if new_goods else "")
            ),
            "optional": False,
            "files": [edition_file],
            "rows": loader.count_rows(staging, edition_file),
            "sha256": loader.checksum(staging, [edition_file]),
        }
    )
    (staging / MANIFEST).write_text(manifest_toml(sources), encoding="utf-8")
    return changed


def _imported_goods(target: Path) -> list[Good]:
    """Read the goods earlier imports added (hand-made additions to them included)."""
    if not (target / IMPORTED_GOODS).is_file():
        return []
    reader = loader.FileReader(target)
    goods = loader.read_goods(reader, IMPORTED_GOODS, "good", "good")
    if reader.problems:
        raise Conflict(f"{target / IMPORTED_GOODS} has problems: {reader.problems[0]}")
    return goods


def _record(result: ImportResult) -> ReferenceImport:
    """Add (or, on --replace, update) the database record of the import, and flush."""
    record = db.session.scalars(
        sa.select(ReferenceImport).where(
            ReferenceImport.dataset == DATASET, ReferenceImport.edition == str(result.edition)
        )
    ).first()
    if record is None:
        record = ReferenceImport(dataset=DATASET, edition=str(result.edition))
        db.session.add(record)
    record.origin = result.origin
    record.sha256 = result.sha256
    record.rows = result.rows
    record.reference_version = result.version
    record.imported_at = datetime.now(UTC)
    db.session.flush()
    return record
