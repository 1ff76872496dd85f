"""Read the curated data files into typed records, reporting every problem with its place."""

from __future__ import annotations

import csv
import hashlib
import os
import tomllib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from reference_data.models import (
    ChildLabourFindings,
    Country,
    CountryAlias,
    CountrySubdivision,
    EnforcementEntity,
    Good,
    GoodKind,
    Listing,
    ProductPlaceRule,
    ReferenceData,
    SlaveryEstimate,
    Source,
    TipPlacement,
)

DATA_DIR = Path(__file__).parent / "data"
GOOD_FILES = ("agriculture", "manufacturing", "mining", "other", "imported")
OPTIONAL_LAYERS = {"walkfree-gsi-2023": "optional/walkfree_gsi_2023.csv"}

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a data file, with where it is."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        place = self.file
        if self.row is not None:
            place += f", row {self.row}"
        if self.column:
            place += f", column {self.column!r}"
        return f"{place}: {self.message}"


class ReferenceDataError(Exception):
    """The reference data could not be loaded; carries every problem found."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = tuple(problems)
        shown = "\n".join(f"  {p}" for p in self.problems[:20])
        more = len(self.problems) - 20
        super().__init__(
            f"{len(self.problems)} problem(s) in the reference data:\n{shown}"
            + (f"\n  ... and {more} more" if more > 0 else "")
        )


@dataclass
class FileReader:
    """Parse one data directory's files, collecting problems instead of stopping at the first."""

    root: Path
    problems: list[Problem] = field(default_factory=list)

    def problem(
        self, file: str, message: str, row: int | None = None, column: str | None = None
    ) -> None:
        self.problems.append(Problem(file, message, row, column))

    def exists(self, relative: str) -> bool:
        return (self.root / relative).is_file()

    def csv_rows(
        self, relative: str, columns: Sequence[str]
    ) -> Iterator[tuple[int, dict[str, str]]]:
        """Yield (row number, row) for a CSV file that must have the given columns."""
        path = self.root / relative
        try:
            handle = path.open(encoding="utf-8", newline="")
        except OSError as exc:
            self.problem(relative, f"cannot be read: {exc.strerror}")
            return
        with handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [c for c in columns if c not in header]
            if missing:
                self.problem(relative, f"missing column(s): {', '.join(missing)}", row=1)
                return
            for number, row in enumerate(reader, start=1):
                if None in row or any(v is None for v in row.values()):
                    self.problem(relative, "wrong number of fields", row=number)
                    continue
                yield number, {k: v.strip() for k, v in row.items()}

    def toml(self, relative: str) -> dict[str, Any]:
        try:
            with (self.root / relative).open("rb") as handle:
                return tomllib.load(handle)
        except OSError as exc:
            self.problem(relative, f"cannot be read: {exc.strerror}")
        except tomllib.TOMLDecodeError as exc:
            self.problem(relative, f"is not valid TOML: {exc}")
        return {}

    def boolean(self, file: str, row: int, column: str, value: str) -> bool:
        if value in ("true", "false"):
            return value == "true"
        self.problem(file, f"expected true or false, found {value!r}", row, column)
        return False

    def optional_boolean(self, file: str, row: int, column: str, value: str) -> bool | None:
        return None if value == "" else self.boolean(file, row, column, value)

    def optional_number(
        self, file: str, row: int, column: str, value: str, kind: Callable[[str], T]
    ) -> T | None:
        if value == "":
            return None
        try:
            return kind(value)
        except ValueError:
            self.problem(file, f"expected a number, found {value!r}", row, column)
            return None

    def optional_date(self, file: str, row: int, column: str, value: str) -> date | None:
        if value == "":
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.problem(file, f"expected a date as YYYY-MM-DD, found {value!r}", row, column)
            return None


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(";") if part.strip())


def _string_list(
    reader: FileReader, file: str, entry: dict[str, Any], key: str, where: int
) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        reader.problem(file, f"{key!r} must be a list of strings", where, key)
        return ()
    return tuple(value)


def read_goods(reader: FileReader, relative: str, table: str, kind: GoodKind) -> list[Good]:
    """Read a goods or derived-products TOML file."""
    goods = []
    for number, entry in enumerate(reader.toml(relative).get(table, []), start=1):
        missing = [k for k in ("id", "name") if not isinstance(entry.get(k), str)]
        if missing:
            reader.problem(relative, f"entry lacks {', '.join(missing)}", number)
            continue
        goods.append(
            Good(
                id=entry["id"],
                name=entry["name"],
                sector=str(entry.get("sector", "Derived" if kind == "derived" else "")),
                description=str(entry.get("description", "")),
                aliases=_string_list(reader, relative, entry, "aliases", number),
                aliases_fr=_string_list(reader, relative, entry, "aliases_fr", number),
                hs=_string_list(reader, relative, entry, "hs", number),
                inputs=_string_list(reader, relative, entry, "inputs", number),
                kind=kind,
                broader=_string_list(reader, relative, entry, "broader", number),
            )
        )
    return goods


EDITION_COLUMNS = (
    "row", "good_id", "good_name", "country_iso3", "country_as_published", "child_labour",
    "forced_labour", "forced_child_labour", "downstream", "input_good_id", "input_country_iso3",
)  # fmt: skip


def read_edition(reader: FileReader, relative: str, year: int) -> list[Listing]:
    """Read one ILAB edition file."""
    listings = []
    for number, row in reader.csv_rows(relative, EDITION_COLUMNS):
        if row["row"] != str(number):
            reader.problem(relative, f"row number {row['row']!r} out of sequence", number, "row")
        listings.append(
            Listing(
                edition=year,
                row=number,
                good_id=row["good_id"],
                good_name=row["good_name"],
                country_iso3=row["country_iso3"],
                country_as_published=row["country_as_published"],
                child_labour=reader.boolean(relative, number, "child_labour", row["child_labour"]),
                forced_labour=reader.boolean(
                    relative, number, "forced_labour", row["forced_labour"]
                ),
                forced_child_labour=reader.boolean(
                    relative, number, "forced_child_labour", row["forced_child_labour"]
                ),
                downstream=reader.boolean(relative, number, "downstream", row["downstream"]),
                input_good_id=row["input_good_id"] or None,
                input_country_iso3=row["input_country_iso3"] or None,
            )
        )
    return listings


def read_countries(reader: FileReader) -> list[Country]:
    columns = ("iso2", "iso3", "numeric", "name_en", "name_fr", "official_en", "official_fr",
               "region", "sub_region")  # fmt: skip
    return [Country(**row) for _, row in reader.csv_rows("countries/countries.csv", columns)]


def read_country_aliases(reader: FileReader) -> list[CountryAlias]:
    columns = ("iso3", "alias", "lang", "kind")
    return [CountryAlias(**row) for _, row in reader.csv_rows("countries/aliases.csv", columns)]


def read_country_subdivisions(reader: FileReader) -> list[CountrySubdivision]:
    columns = ("iso3", "code", "name")
    rows = reader.csv_rows("countries/subdivisions.csv", columns)
    return [CountrySubdivision(**row) for _, row in rows]


def read_tip(reader: FileReader) -> list[TipPlacement]:
    file = "countries/tip_2025.csv"
    placements = []
    for number, row in reader.csv_rows(
        file, ("iso3", "country_as_published", "tier", "report_year")
    ):
        year = reader.optional_number(file, number, "report_year", row["report_year"], int)
        placements.append(
            TipPlacement(row["iso3"], row["country_as_published"], row["tier"], year or 0)
        )
    return placements


def read_findings(reader: FileReader) -> list[ChildLabourFindings]:
    file = "countries/ilab_findings_2022.csv"
    columns = (
        "iso3", "country_as_published", "advancement_level", "advancement_rank",
        "complicit_in_forced_child_labour", "working_children_age_range",
        "working_children_pct", "c138_ratified", "c182_ratified", "palermo_ratified",
    )  # fmt: skip
    records = []
    for n, row in reader.csv_rows(file, columns):
        records.append(
            ChildLabourFindings(
                iso3=row["iso3"],
                country_as_published=row["country_as_published"],
                advancement_level=row["advancement_level"],
                advancement_rank=row["advancement_rank"],
                complicit_in_forced_child_labour=reader.boolean(
                    file,
                    n,
                    "complicit_in_forced_child_labour",
                    row["complicit_in_forced_child_labour"],
                ),
                working_children_age_range=row["working_children_age_range"],
                working_children_pct=reader.optional_number(
                    file, n, "working_children_pct", row["working_children_pct"], float
                ),
                c138_ratified=reader.optional_boolean(
                    file, n, "c138_ratified", row["c138_ratified"]
                ),
                c182_ratified=reader.optional_boolean(
                    file, n, "c182_ratified", row["c182_ratified"]
                ),
                palermo_ratified=reader.optional_boolean(
                    file, n, "palermo_ratified", row["palermo_ratified"]
                ),
            )
        )
    return records


def read_slavery_estimates(reader: FileReader) -> list[SlaveryEstimate]:
    file = OPTIONAL_LAYERS["walkfree-gsi-2023"]
    columns = ("iso3", "country_as_published", "prevalence_per_1000", "people_in_modern_slavery",
               "vulnerability_score", "government_response_score")  # fmt: skip
    records = []
    for n, row in reader.csv_rows(file, columns):
        records.append(
            SlaveryEstimate(
                iso3=row["iso3"],
                country_as_published=row["country_as_published"],
                prevalence_per_1000=reader.optional_number(
                    file, n, "prevalence_per_1000", row["prevalence_per_1000"], float
                ),
                people_in_modern_slavery=reader.optional_number(
                    file, n, "people_in_modern_slavery", row["people_in_modern_slavery"], int
                ),
                vulnerability_score=reader.optional_number(
                    file, n, "vulnerability_score", row["vulnerability_score"], float
                ),
                government_response_score=reader.optional_number(
                    file, n, "government_response_score", row["government_response_score"], float
                ),
            )
        )
    return records


ENTITY_FILES = ("enforcement/cbp_wro_entities.csv", "enforcement/uflpa_entities.csv")


def read_entities(reader: FileReader) -> list[EnforcementEntity]:
    return [entity for file in ENTITY_FILES for entity in read_entity_file(reader, file)]


def read_entity_file(reader: FileReader, file: str) -> list[EnforcementEntity]:
    columns = ("entity_id", "list", "name", "aliases", "country_iso3", "industry",
               "effective_date", "action_type", "basis", "source_row")  # fmt: skip
    records = []
    for n, row in reader.csv_rows(file, columns):
        records.append(
            EnforcementEntity(
                entity_id=row["entity_id"],
                list=row["list"],
                name=row["name"],
                aliases=_split(row["aliases"]),
                country_iso3=row["country_iso3"],
                industry=row["industry"],
                effective_date=reader.optional_date(
                    file, n, "effective_date", row["effective_date"]
                ),
                action_type=row["action_type"],
                basis=row["basis"],
                source_row=reader.optional_number(file, n, "source_row", row["source_row"], int)
                or 0,
            )
        )
    return records


def read_rules(reader: FileReader) -> list[ProductPlaceRule]:
    file = "enforcement/product_place_rules.csv"
    columns = ("rule_id", "list", "good_id", "country_iso3", "area", "description",
               "effective_date", "action_type", "source_row")  # fmt: skip
    records = []
    for n, row in reader.csv_rows(file, columns):
        records.append(
            ProductPlaceRule(
                rule_id=row["rule_id"],
                list=row["list"],
                good_id=row["good_id"],
                country_iso3=row["country_iso3"],
                area=row["area"],
                description=row["description"],
                effective_date=reader.optional_date(
                    file, n, "effective_date", row["effective_date"]
                ),
                action_type=row["action_type"],
                source_row=reader.optional_number(file, n, "source_row", row["source_row"], int)
                or 0,
            )
        )
    return records


def read_sources(reader: FileReader) -> tuple[str, list[Source]]:
    """Read a manifest: the release string and its sources."""
    manifest = reader.toml("manifest.toml")
    sources = []
    for number, entry in enumerate(manifest.get("source", []), start=1):
        try:
            sources.append(
                Source(
                    id=entry["id"],
                    publisher=entry["publisher"],
                    title=entry["title"],
                    edition=str(entry["edition"]),
                    published=str(entry["published"]),
                    retrieved=str(entry["retrieved"]),
                    licence=entry["licence"],
                    url=entry.get("url", ""),
                    trust=entry["trust"],
                    notes=entry.get("notes", ""),
                    optional=bool(entry.get("optional", False)),
                    files=tuple(entry["files"]),
                    rows=int(entry["rows"]),
                    sha256=entry["sha256"],
                )
            )
        except KeyError as exc:
            reader.problem("manifest.toml", f"source entry lacks {exc.args[0]!r}", number)
    return str(manifest.get("release", "")), sources


def checksum(root: Path, files: Iterable[str]) -> str:
    """Return the sha256 of the files' bytes, concatenated in order."""
    digest = hashlib.sha256()
    for relative in files:
        digest.update((root / relative).read_bytes())
    return digest.hexdigest()


def count_rows(root: Path, relative: str) -> int:
    """Count the data rows (CSV) or entries (TOML) of one file."""
    path = root / relative
    if relative.endswith(".toml"):
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        return sum(len(v) for v in data.values() if isinstance(v, list))
    with path.open(encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def edition_years(root: Path) -> list[int]:
    """List the ILAB edition years present in a data directory."""
    years = []
    for path in sorted((root / "ilab_tvpra").glob("edition_*.csv")):
        suffix = path.stem.removeprefix("edition_")
        if suffix.isdigit():
            years.append(int(suffix))
    return years


@dataclass
class RawData:
    """Everything read from one or more data directories, before cross-checks."""

    release: str = ""
    sources: list[Source] = field(default_factory=list)
    goods: list[Good] = field(default_factory=list)
    editions: dict[int, list[Listing]] = field(default_factory=dict)
    countries: list[Country] = field(default_factory=list)
    country_aliases: list[CountryAlias] = field(default_factory=list)
    country_subdivisions: list[CountrySubdivision] = field(default_factory=list)
    tip: list[TipPlacement] = field(default_factory=list)
    findings: list[ChildLabourFindings] = field(default_factory=list)
    entities: list[EnforcementEntity] = field(default_factory=list)
    rules: list[ProductPlaceRule] = field(default_factory=list)
    slavery_estimates: list[SlaveryEstimate] = field(default_factory=list)
    roots: dict[str, Path] = field(default_factory=dict)  # source id -> directory holding it


def read_all(
    data_dir: Path, extra_dirs: Sequence[Path] = (), layers: frozenset[str] = frozenset()
) -> tuple[RawData, list[Problem]]:
    """Read the shipped data directory and any extra ones (imported editions)."""
    raw = RawData()
    problems: list[Problem] = []
    unknown = layers - set(OPTIONAL_LAYERS)
    if unknown:
        problems.append(Problem("configuration", f"unknown optional layer(s): {sorted(unknown)}"))
    base = FileReader(data_dir)
    raw.release, raw.sources = read_sources(base)
    raw.roots = {s.id: data_dir for s in raw.sources}
    for name in GOOD_FILES:
        if base.exists(f"goods/{name}.toml"):
            raw.goods += read_goods(base, f"goods/{name}.toml", "good", "good")
    raw.goods += read_goods(base, "goods/derived_products.toml", "product", "derived")
    for year in edition_years(data_dir):
        raw.editions[year] = read_edition(base, f"ilab_tvpra/edition_{year}.csv", year)
    raw.countries = read_countries(base)
    raw.country_aliases = read_country_aliases(base)
    raw.country_subdivisions = read_country_subdivisions(base)
    raw.tip = read_tip(base)
    raw.findings = read_findings(base)
    raw.entities = read_entities(base)
    raw.rules = read_rules(base)
    if "walkfree-gsi-2023" in layers:
        raw.slavery_estimates = read_slavery_estimates(base)
    problems += base.problems
    for extra in extra_dirs:
        if not (extra / "manifest.toml").is_file():
            continue
        reader = FileReader(extra)
        _, sources = read_sources(reader)
        raw.sources += sources
        raw.roots.update({s.id: extra for s in sources})
        if reader.exists("goods/imported.toml"):
            raw.goods += read_goods(reader, "goods/imported.toml", "good", "good")
        for year in edition_years(extra):
            raw.editions[year] = read_edition(reader, f"ilab_tvpra/edition_{year}.csv", year)
        problems += [
            Problem(f"{extra}/{p.file}", p.message, p.row, p.column) for p in reader.problems
        ]
    return raw, problems


def version_of(release: str, sources: Iterable[Source]) -> str:
    """Return the version string every result cites: release plus a digest of the checksums."""
    digest = hashlib.sha256("".join(sorted(s.sha256 for s in sources)).encode()).hexdigest()
    return f"{release}+{digest[:8]}"


def build(raw: RawData, layers: frozenset[str]) -> ReferenceData:
    """Assemble the indexed collection from raw records."""
    sources = tuple(s for s in raw.sources if not s.optional or _layer_of(s) in layers)
    return ReferenceData(
        release=raw.release,
        version=version_of(raw.release, sources),
        sources=sources,
        goods={g.id: g for g in raw.goods},
        editions={year: tuple(rows) for year, rows in sorted(raw.editions.items())},
        countries={c.iso3: c for c in raw.countries},
        country_aliases=tuple(raw.country_aliases),
        country_subdivisions=tuple(raw.country_subdivisions),
        tip={t.iso3: t for t in raw.tip},
        findings={f.iso3: f for f in raw.findings},
        entities=tuple(raw.entities),
        rules=tuple(raw.rules),
        slavery_estimates={s.iso3: s for s in raw.slavery_estimates},
    )


def _layer_of(source: Source) -> str:
    return next((name for name, path in OPTIONAL_LAYERS.items() if path in source.files), "")


def _stamp(path: Path) -> tuple[int, int, int]:
    try:
        status = os.stat(path)
    except FileNotFoundError:
        return (0, 0, 0)
    return (status.st_mtime_ns, status.st_ino, status.st_size)


@cache
def _load_cached(
    data_dir: Path,
    extra_dirs: tuple[Path, ...],
    layers: frozenset[str],
    stamp: tuple[tuple[int, int, int], ...],
) -> ReferenceData:
    from reference_data.validation import check  # local import: validation builds on this module

    raw, problems = read_all(data_dir, extra_dirs, layers)
    problems += check(raw)
    if problems:
        raise ReferenceDataError(problems)
    return build(raw, layers)


def load_reference_data(
    data_dir: Path | None = None,
    extra_dirs: Sequence[Path | str] = (),
    layers: Iterable[str] = (),
) -> ReferenceData:
    """Load, check and index the reference data (cached until an extra directory changes)."""
    extras = tuple(Path(d) for d in extra_dirs)
    # Imported editions land in an extra directory; its manifest keys the cache. An import
    # replaces the manifest last, so its inode changes even when the mtime cannot (coarse
    # clocks, two imports within one tick).
    stamp = tuple(_stamp(d / "manifest.toml") for d in extras)
    return _load_cached(data_dir or DATA_DIR, extras, frozenset(layers), stamp)
