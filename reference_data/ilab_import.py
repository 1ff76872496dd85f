"""Parse an ILAB List of Goods file (Sweat & Toil XML or our CSV) into an edition's records.

Pure: bytes in, typed records out. Every refusal says on which line of the input it happened,
so whoever runs the import can open the file and fix (or report) exactly that spot. The file
formats are documented in SCHEMA.md, "Import formats".
"""

from __future__ import annotations

import csv
import io
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal
from xml.parsers import expat

import tomli_w

from reference_data.loader import EDITION_COLUMNS
from reference_data.models import Country, CountryAlias, Good, Listing
from reference_data.text import good_id_for, normalise_name

ImportFormat = Literal["xml", "csv"]
ILAB_SECTORS = ("Agriculture", "Manufacturing", "Mining", "Other")
CSV_REQUIRED = ("good", "sector", "country", "child_labor", "forced_labor", "forced_child_labor")
CSV_OPTIONAL = ("downstream", "input_good", "input_country")

# The Sweat & Toil element tree: which children each element may have. Leaves hold text.
XML_CHILDREN: dict[str, tuple[str, ...]] = {
    "": ("Goods",),
    "Goods": ("Good",),
    "Good": ("Good_Name", "Good_Sector", "Countries"),
    "Countries": ("Country",),
    "Country": (
        "Country_Name", "Country_Region", "Child_Labor", "Forced_Labor", "Forced_Child_Labor",
        "Derived_Labor_Exploitation", "Derived_Country",
    ),
}  # fmt: skip
XML_LEAVES = frozenset(("Good_Name", "Good_Sector", *XML_CHILDREN["Country"]))
XML_REQUIRED_COUNTRY = ("Country_Name", "Child_Labor", "Forced_Labor", "Forced_Child_Labor")


class ImportFormatError(ValueError):
    """The file cannot be imported; says on which line and why."""

    def __init__(self, line: int | None, reason: str):
        self.line = line
        self.reason = reason
        super().__init__(f"line {line}: {reason}" if line is not None else reason)


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One good-country pair as the file states it, with the line it starts on."""

    line: int
    good_name: str
    sector: str
    country: str
    child_labour: bool
    forced_labour: bool
    forced_child_labour: bool
    downstream: bool = False
    input_good: str = ""  # CSV only: a good id or exact name
    input_country: str = ""


@dataclass(frozen=True)
class ImportedEdition:
    """An edition ready to write: its listings and the goods the catalogue did not know."""

    year: int
    listings: tuple[Listing, ...]
    new_goods: tuple[Good, ...] = field(default=())


def detect_format(data: bytes, name: str = "") -> ImportFormat:
    """Tell XML from CSV by the file name's extension, else by the first character."""
    lowered = name.lower()
    if lowered.endswith(".xml"):
        return "xml"
    if lowered.endswith(".csv"):
        return "csv"
    return "xml" if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") else "csv"


def parse(data: bytes, fmt: ImportFormat) -> list[SourceRow]:
    """Parse a file of the given format into rows."""
    rows = parse_xml(data) if fmt == "xml" else parse_csv(data)
    if not rows:
        raise ImportFormatError(None, "the file lists no good-country pairs")
    return rows


def _flag(value: str, line: int, what: str) -> bool:
    folded = value.strip().casefold()
    if folded in ("yes", "no"):
        return folded == "yes"
    raise ImportFormatError(line, f"{what} must be Yes or No, found {value!r}")


class _XmlReader:
    """Expat callbacks building SourceRows; refuses anything outside the known tree."""

    def __init__(self) -> None:
        self.parser = expat.ParserCreate()
        # A DTD can declare entities that expand to gigabytes or read local files; a goods
        # list never needs one, so any declaration is refused outright.
        self.parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.parser.StartDoctypeDeclHandler = self._refuse_doctype
        self.parser.EntityDeclHandler = self._refuse_entity
        self.parser.ExternalEntityRefHandler = self._refuse_external
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._text
        self.stack: list[str] = []
        self.text: list[str] = []
        self.good: dict[str, str] = {}
        self.good_line = 0
        self.country: dict[str, tuple[str, int]] = {}
        self.country_line = 0
        self.rows: list[SourceRow] = []

    @property
    def line(self) -> int:
        return int(self.parser.CurrentLineNumber)

    def _refuse_doctype(self, *_: object) -> None:
        raise ImportFormatError(self.line, "DTDs (<!DOCTYPE ...>) are not accepted in an import")

    def _refuse_entity(self, *_: object) -> None:
        raise ImportFormatError(self.line, "entity declarations are not accepted in an import")

    def _refuse_external(self, *_: object) -> int:
        raise ImportFormatError(self.line, "external entities are not accepted in an import")

    def _start(self, name: str, _attributes: dict[str, str]) -> None:
        parent = self.stack[-1] if self.stack else ""
        if parent in XML_LEAVES or name not in XML_CHILDREN.get(parent, ()):
            where = f"inside <{parent}>" if parent else "as the root element"
            raise ImportFormatError(self.line, f"unexpected element <{name}> {where}")
        self.stack.append(name)
        self.text = []
        if name == "Good":
            self.good, self.good_line = {}, self.line
        elif name == "Country":
            self.country, self.country_line = {}, self.line
        elif name == "Countries" and "Good_Name" not in self.good:
            raise ImportFormatError(self.line, "<Countries> comes before the good's <Good_Name>")

    def _text(self, data: str) -> None:
        if self.stack and self.stack[-1] in XML_LEAVES:
            self.text.append(data)
        elif data.strip():
            raise ImportFormatError(self.line, f"unexpected text {data.strip()[:40]!r}")

    def _end(self, name: str) -> None:
        self.stack.pop()
        if name in XML_LEAVES:
            value = " ".join("".join(self.text).split())
            target = self.country if self.stack[-1] == "Country" else None
            if target is not None:
                if name in target:
                    raise ImportFormatError(self.line, f"<{name}> is given twice")
                target[name] = (value, self.line)
            else:
                if name in self.good:
                    raise ImportFormatError(self.line, f"<{name}> is given twice")
                self.good[name] = value
        elif name == "Country":
            self.rows.append(self._country_row())
        elif name == "Good" and "Good_Name" not in self.good:
            raise ImportFormatError(self.good_line, "<Good> has no <Good_Name>")

    def _country_row(self) -> SourceRow:
        line = self.country_line
        missing = [f"<{n}>" for n in XML_REQUIRED_COUNTRY if not self.country.get(n, ("",))[0]]
        if missing:
            raise ImportFormatError(line, f"<Country> lacks {', '.join(missing)}")
        if not self.good.get("Good_Sector"):
            raise ImportFormatError(
                self.good_line, "<Good> has no <Good_Sector> before its countries"
            )

        def flag(element: str) -> bool:
            value, at = self.country.get(element, ("No", line))
            return _flag(value, at, f"<{element}>")

        downstream = flag("Derived_Labor_Exploitation")
        input_country, at = self.country.get("Derived_Country", ("", line))
        if input_country.casefold() in ("no", "none", "n/a"):
            input_country = ""
        if downstream and not input_country:
            raise ImportFormatError(at, "a derived (downstream) row needs <Derived_Country>")
        if input_country and not downstream:
            raise ImportFormatError(
                at, "<Derived_Country> names a country but <Derived_Labor_Exploitation> is No"
            )
        return SourceRow(
            line=line,
            good_name=self.good["Good_Name"],
            sector=self.good["Good_Sector"],
            country=self.country["Country_Name"][0],
            child_labour=flag("Child_Labor"),
            forced_labour=flag("Forced_Labor"),
            forced_child_labour=flag("Forced_Child_Labor"),
            downstream=downstream,
            input_country=input_country,
        )


def parse_xml(data: bytes) -> list[SourceRow]:
    """Parse ILAB's Sweat & Toil goods XML (<Goods><Good>...<Countries><Country>...)."""
    reader = _XmlReader()
    try:
        reader.parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise ImportFormatError(
            exc.lineno, f"malformed XML: {expat.ErrorString(exc.code)}"
        ) from exc
    return reader.rows


def parse_csv(data: bytes) -> list[SourceRow]:
    """Parse the CSV import format (SCHEMA.md, "Import formats")."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFormatError(line, "the file is not UTF-8 text") from exc
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise ImportFormatError(1, "the file is empty") from None
    except csv.Error as exc:
        raise ImportFormatError(reader.line_num, f"malformed CSV: {exc}") from exc
    missing = [c for c in CSV_REQUIRED if c not in header]
    unknown = [c for c in header if c not in (*CSV_REQUIRED, *CSV_OPTIONAL)]
    if missing or unknown:
        detail = [f"missing column(s) {', '.join(missing)}"] if missing else []
        detail += [f"unknown column(s) {', '.join(unknown)}"] if unknown else []
        raise ImportFormatError(1, "; ".join(detail))
    rows = []
    start = reader.line_num + 1  # first line of the next record (a quoted field may span lines)
    try:
        for record in reader:
            line, start = start, reader.line_num + 1
            if not any(v.strip() for v in record):
                continue
            if len(record) != len(header):
                raise ImportFormatError(line, f"expected {len(header)} fields, found {len(record)}")
            row = dict(zip(header, (v.strip() for v in record), strict=True))
            for column in ("good", "sector", "country"):
                if not row[column]:
                    raise ImportFormatError(line, f"column {column!r} is empty")
            downstream = _flag(row.get("downstream") or "No", line, "downstream")
            rows.append(
                SourceRow(
                    line=line,
                    good_name=row["good"],
                    sector=row["sector"],
                    country=row["country"],
                    child_labour=_flag(row["child_labor"], line, "child_labor"),
                    forced_labour=_flag(row["forced_labor"], line, "forced_labor"),
                    forced_child_labour=_flag(
                        row["forced_child_labor"], line, "forced_child_labor"
                    ),
                    downstream=downstream,
                    input_good=row.get("input_good", ""),
                    input_country=row.get("input_country", ""),
                )
            )
    except csv.Error as exc:
        raise ImportFormatError(start, f"malformed CSV: {exc}") from exc
    return rows


def country_index(countries: Iterable[Country], aliases: Iterable[CountryAlias]) -> dict[str, str]:
    """Map every normalised country name, official name and alias to its ISO alpha-3 code."""
    index: dict[str, str] = {}
    for country in countries:
        for name in (country.name_en, country.official_en, country.name_fr, country.official_fr):
            if name:
                index.setdefault(normalise_name(name), country.iso3)
    for alias in aliases:
        index.setdefault(normalise_name(alias.alias), alias.iso3)
    return index


def resolve(
    rows: Sequence[SourceRow],
    year: int,
    goods: Mapping[str, Good],
    countries: Mapping[str, str],
    earlier: Iterable[Listing] = (),
) -> ImportedEdition:
    """Turn parsed rows into an edition: resolve countries, goods and downstream inputs.

    `countries` is a `country_index`; `earlier` are listings of other editions, used to find
    the input good of a downstream row the way the curated editions record it.
    """
    by_name = {g.name: g.id for g in goods.values() if g.kind == "good"}
    new_goods: dict[str, Good] = {}
    listed: list[tuple[SourceRow, str, str]] = []  # row, good id, country iso3
    first_line: dict[tuple[str, str], int] = {}
    for row in rows:
        iso3 = _country(countries, row.country, row.line)
        good_id = by_name.get(row.good_name) or good_id_for(row.good_name)
        if not good_id:
            raise ImportFormatError(row.line, f"good name {row.good_name!r} has no letters")
        known = goods.get(good_id) or new_goods.get(good_id)
        if known is not None and known.name != row.good_name:
            # Same id, other spelling: a rename by ILAB or a typo. Ids never change, and an
            # edition must use the catalogue's name, so a person has to decide.
            raise ImportFormatError(
                row.line,
                f"good {row.good_name!r} would take the id {good_id!r} of {known.name!r}; "
                "spell it as the catalogue does, or rename the good in the catalogue first",
            )
        if known is None:
            if row.sector not in ILAB_SECTORS:
                raise ImportFormatError(
                    row.line,
                    f"unknown sector {row.sector!r} (expected one of {', '.join(ILAB_SECTORS)})",
                )
            new_goods[good_id] = Good(
                id=good_id,
                name=row.good_name,
                sector=row.sector,
                description=f"Imported from the ILAB List of Goods, {year} edition.",
                aliases=(),
                aliases_fr=(),
                hs=(),
                inputs=(),
            )
        elif known.kind != "good":
            raise ImportFormatError(
                row.line, f"good {row.good_name!r} would take the id of derived product {good_id!r}"
            )
        pair = (good_id, iso3)
        if pair in first_line:
            raise ImportFormatError(
                row.line,
                f"{row.good_name} / {row.country} is listed twice "
                f"(first on line {first_line[pair]})",
            )
        first_line[pair] = row.line
        if not (row.child_labour or row.forced_labour or row.forced_child_labour or row.downstream):
            raise ImportFormatError(row.line, "the row sets none of the labour flags")
        listed.append((row, good_id, iso3))

    catalogue = {**goods, **new_goods}
    direct = {(good_id, iso3) for row, good_id, iso3 in listed if not row.downstream}
    previous = _previous_inputs(earlier)
    listings = []
    for number, (row, good_id, iso3) in enumerate(listed, start=1):
        input_good = input_iso3 = None
        if row.downstream:
            input_iso3 = _country(countries, row.input_country, row.line, "input country")
            input_good = _input_good(row, good_id, input_iso3, catalogue, by_name, direct, previous)
        elif row.input_good or row.input_country:
            raise ImportFormatError(
                row.line, "input_good/input_country set on a row that is not downstream"
            )
        listings.append(
            Listing(
                edition=year,
                row=number,
                good_id=good_id,
                good_name=row.good_name,
                country_iso3=iso3,
                country_as_published=row.country,
                child_labour=row.child_labour,
                forced_labour=row.forced_labour,
                forced_child_labour=row.forced_child_labour,
                downstream=row.downstream,
                input_good_id=input_good,
                input_country_iso3=input_iso3,
            )
        )
    return ImportedEdition(year, tuple(listings), tuple(new_goods.values()))


def _country(index: Mapping[str, str], name: str, line: int, what: str = "country") -> str:
    if not name:
        raise ImportFormatError(line, f"the {what} is missing")
    iso3 = index.get(normalise_name(name))
    if iso3 is None:
        raise ImportFormatError(
            line, f"unknown {what} {name!r} (add the spelling to countries/aliases.csv)"
        )
    return iso3


def _previous_inputs(earlier: Iterable[Listing]) -> dict[tuple[str, str], str]:
    """Map (good id, input country) to the input good the newest earlier edition recorded."""
    found: dict[tuple[str, str], tuple[int, str]] = {}
    for listing in earlier:
        if listing.downstream and listing.input_good_id and listing.input_country_iso3:
            key = (listing.good_id, listing.input_country_iso3)
            if key not in found or found[key][0] < listing.edition:
                found[key] = (listing.edition, listing.input_good_id)
    return {key: value for key, (_, value) in found.items()}


def _input_good(
    row: SourceRow,
    good_id: str,
    input_iso3: str,
    catalogue: Mapping[str, Good],
    by_name: Mapping[str, str],
    direct: set[tuple[str, str]],
    previous: Mapping[tuple[str, str], str],
) -> str:
    """Find the listed input of a downstream row (rules in SCHEMA.md, "Import formats")."""
    if row.input_good:
        input_id = row.input_good if row.input_good in catalogue else by_name.get(row.input_good)
        if input_id is None or catalogue[input_id].kind != "good":
            raise ImportFormatError(row.line, f"input good {row.input_good!r} is not a listed good")
        return input_id
    if (good_id, input_iso3) in previous:
        return previous[(good_id, input_iso3)]
    candidates = [i for i in catalogue[good_id].inputs if (i, input_iso3) in direct]
    if len(candidates) == 1:
        return candidates[0]
    raise ImportFormatError(
        row.line,
        f"cannot tell which listed input {row.good_name!r} is made from in {row.input_country} "
        f"(candidates: {', '.join(candidates) or 'none'}); import the CSV format with an "
        "input_good column",
    )


def edition_csv(listings: Iterable[Listing]) -> str:
    """Write an edition in the shipped edition file format (SCHEMA.md)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EDITION_COLUMNS)
    for item in listings:
        writer.writerow(
            [
                item.row,
                item.good_id,
                item.good_name,
                item.country_iso3,
                item.country_as_published,
                *(
                    str(flag).lower()
                    for flag in (
                        item.child_labour,
                        item.forced_labour,
                        item.forced_child_labour,
                        item.downstream,
                    )
                ),
                item.input_good_id or "",
                item.input_country_iso3 or "",
            ]
        )
    return out.getvalue()


def goods_toml(goods: Iterable[Good]) -> str:
    """Write goods in the goods file format (SCHEMA.md), sorted by id."""
    entries = [
        {
            "id": g.id,
            "name": g.name,
            "sector": g.sector,
            "description": g.description,
            "aliases": list(g.aliases),
            "aliases_fr": list(g.aliases_fr),
            "hs": list(g.hs),
            "inputs": list(g.inputs),
            "broader": list(g.broader),
        }
        for g in sorted(goods, key=lambda g: g.id)
    ]
    header = (
        "# Goods first seen in an imported ILAB edition (`supplychain refdata import`).\n"
        "# Aliases, HS codes, inputs and broader goods may be added by hand; ids never change.\n\n"
    )
    return header + tomli_w.dumps({"good": entries})


def manifest_toml(sources: Sequence[Mapping[str, object]]) -> str:
    """Write an imported-editions manifest: one [[source]] per edition, sorted by id."""
    ordered = sorted(sources, key=lambda s: str(s["id"]))
    header = "# Editions imported into this installation (see SCHEMA.md, Import formats).\n\n"
    return header + tomli_w.dumps({"source": [dict(s) for s in ordered]})


def read_manifest_sources(text: str) -> list[dict[str, object]]:
    """Read the [[source]] tables of an imported-editions manifest, keeping every key."""
    sources = tomllib.loads(text).get("source", [])
    return [dict(s) for s in sources if isinstance(s, dict)]
