"""Schema and cross-reference checks over the reference data, each with a precise message."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

import pycountry

from reference_data.loader import ENTITY_FILES, GOOD_FILES, Problem, RawData, checksum, count_rows
from reference_data.models import Country, Good
from reference_data.text import good_id_for, normalise_name

SECTORS = {"Agriculture", "Manufacturing", "Mining", "Other", "Derived"}
TIERS = {"Tier 1", "Tier 2", "Tier 2 Watch List", "Tier 3", "Special Case"}
ADVANCEMENT_RANKS = {"significant", "moderate", "minimal", "none", ""}
LISTS = {"cbp-wro", "uflpa"}
HS_CODE = re.compile(r"^\d{4}(\d{2})?$")
TRUST_LEVELS = {"A", "B", "C", "D"}


def check(raw: RawData) -> list[Problem]:
    """Run every cross-reference check; an empty list means the data is consistent."""
    problems: list[Problem] = []
    problems += check_goods(raw)
    problems += check_editions(raw)
    problems += check_countries(raw)
    problems += check_country_references(raw)
    problems += check_enforcement(raw)
    problems += check_manifest(raw)
    return problems


def _goods_file(kind: str) -> str:
    return "goods/derived_products.toml" if kind == "derived" else "goods/*.toml"


def check_goods(raw: RawData) -> Iterable[Problem]:
    """Ids follow the slug rule and are unique; aliases are unique; inputs and broader goods
    exist; HS well formed."""
    listed_ids = {g.id for g in raw.goods if g.kind == "good"}
    seen: dict[str, str] = {}
    owner_of_name: dict[str, str] = {}
    for good in raw.goods:
        file = _goods_file(good.kind)
        if good.id in seen:
            yield Problem(file, f"good id {good.id!r} is used twice")
        seen[good.id] = good.name
        if good.kind == "good" and good.id != good_id_for(good.name):
            yield Problem(
                file, f"id {good.id!r} should be {good_id_for(good.name)!r} for {good.name!r}"
            )
        if good.sector not in SECTORS:
            yield Problem(file, f"{good.id}: unknown sector {good.sector!r}")
        for code in good.hs:
            if not HS_CODE.match(code):
                yield Problem(file, f"{good.id}: HS code {code!r} is not 4 or 6 digits")
        for input_id in good.inputs:
            if input_id not in listed_ids:
                yield Problem(file, f"{good.id}: input {input_id!r} is not a listed good")
            if input_id == good.id:
                yield Problem(file, f"{good.id}: a good cannot be its own input")
        if good.kind == "derived" and not good.inputs:
            yield Problem(file, f"{good.id}: a derived product needs at least one listed input")
        yield from _check_broader(good, file, listed_ids)
        owner_of_name[normalise_name(good.name)] = good.id
    yield from _broader_cycles(raw)
    alias_owner: dict[str, str] = {}
    for good in raw.goods:
        for alias in (*good.aliases, *good.aliases_fr):
            key = normalise_name(alias)
            other = alias_owner.get(key) or owner_of_name.get(key)
            if other and other != good.id:
                yield Problem(
                    _goods_file(good.kind),
                    f"alias {alias!r} of {good.id!r} also names {other!r}",
                )
            alias_owner[key] = good.id


def _check_broader(good: Good, file: str, listed_ids: set[str]) -> Iterable[Problem]:
    """A good is a kind of other listed goods only: never itself, nor what it is made from."""
    if good.broader and good.kind != "good":
        yield Problem(
            file, f"{good.id}: a derived product is made from listed goods (inputs), not a kind"
        )
    for broader_id in good.broader:
        if broader_id not in listed_ids:
            yield Problem(file, f"{good.id}: broader good {broader_id!r} is not a listed good")
        if broader_id == good.id:
            yield Problem(file, f"{good.id}: a good cannot be a kind of itself")
        if broader_id in good.inputs:
            yield Problem(
                file,
                f"{good.id}: {broader_id!r} is both an input and a broader good; "
                "a good is either made from another or a kind of it",
            )


def _broader_cycles(raw: RawData) -> Iterable[Problem]:
    """Kind-of relations run one way: no good is, through others, a kind of itself."""
    broader = {g.id: [b for b in g.broader if b != g.id] for g in raw.goods}
    reported: set[frozenset[str]] = set()
    for start in sorted(broader):
        came_from: dict[str, str] = {}
        queue = list(broader[start])
        came_from.update((b, start) for b in queue)
        while queue and start not in came_from:
            node = queue.pop(0)
            for parent in broader.get(node, ()):
                if parent not in came_from:
                    came_from[parent] = node
                    queue.append(parent)
        if start not in came_from:
            continue
        chain = [start]
        while (step := came_from[chain[-1]]) != start:
            chain.append(step)
        if frozenset(chain) not in reported:
            reported.add(frozenset(chain))
            shown = " -> ".join([start, *reversed(chain[1:]), start])
            yield Problem("goods/*.toml", f"broader goods form a cycle: {shown}")


def check_editions(raw: RawData) -> Iterable[Problem]:
    """Every listing names an existing good and country; pairs are not repeated."""
    goods = {g.id: g for g in raw.goods}
    countries = {c.iso3 for c in raw.countries}
    for year, listings in raw.editions.items():
        file = f"ilab_tvpra/edition_{year}.csv"
        pairs = Counter((item.good_id, item.country_iso3) for item in listings)
        for item in listings:
            good = goods.get(item.good_id)
            if good is not None and good.name != item.good_name:
                yield Problem(
                    file,
                    f"good_name {item.good_name!r} differs from the catalogue name {good.name!r}",
                    item.row,
                    "good_name",
                )
            if good is None or good.kind != "good":
                yield Problem(
                    file,
                    f"good {item.good_id!r} is not in the goods catalogue",
                    item.row,
                    "good_id",
                )
            if item.country_iso3 not in countries:
                yield Problem(
                    file,
                    f"country {item.country_iso3!r} is not an ISO 3166 code",
                    item.row,
                    "country_iso3",
                )
            if pairs[(item.good_id, item.country_iso3)] > 1:
                yield Problem(
                    file, f"pair {item.good_id}/{item.country_iso3} is listed twice", item.row
                )
            if not (
                item.child_labour
                or item.forced_labour
                or item.forced_child_labour
                or item.downstream
            ):
                yield Problem(file, "row sets none of the labour flags", item.row)
            if item.downstream:
                if item.input_good_id not in goods:
                    yield Problem(
                        file,
                        f"input good {item.input_good_id!r} is unknown",
                        item.row,
                        "input_good_id",
                    )
                if item.input_country_iso3 not in countries:
                    yield Problem(
                        file,
                        f"input country {item.input_country_iso3!r} is unknown",
                        item.row,
                        "input_country_iso3",
                    )
            elif item.input_good_id or item.input_country_iso3:
                yield Problem(
                    file, "input columns are set on a row that is not downstream", item.row
                )


def check_countries(raw: RawData) -> Iterable[Problem]:
    """Codes are well formed, unique and agree with ISO 3166-1; aliases name one country."""
    file = "countries/countries.csv"
    for column in ("iso2", "iso3", "numeric"):
        counts = Counter(getattr(c, column) for c in raw.countries)
        for value, count in counts.items():
            if count > 1:
                yield Problem(file, f"{column} {value!r} is used {count} times", column=column)
    ours = {c.iso3: c for c in raw.countries}
    for row, country in enumerate(raw.countries, start=1):
        if not (re.fullmatch(r"[A-Z]{2}", country.iso2) and re.fullmatch(r"[A-Z]{3}", country.iso3)
                and re.fullmatch(r"\d{3}", country.numeric)):  # fmt: skip
            yield Problem(file, f"malformed codes for {country.name_en!r}", row)
        if not country.name_en or not country.name_fr:
            yield Problem(file, f"{country.iso3} needs English and French names", row)
    for iso in pycountry.countries:
        mine = ours.get(iso.alpha_3)
        if mine is None:
            yield Problem(file, f"ISO 3166-1 country {iso.alpha_3} ({iso.name}) is missing")
        elif (mine.iso2, mine.numeric) != (iso.alpha_2, iso.numeric):
            yield Problem(
                file, f"{iso.alpha_3}: codes differ from ISO 3166-1 ({iso.alpha_2}, {iso.numeric})"
            )
    names: dict[str, str] = {}
    for country in raw.countries:
        for name in (country.name_en, country.official_en, country.name_fr, country.official_fr):
            if name:
                names.setdefault(normalise_name(name), country.iso3)
    alias_file = "countries/aliases.csv"
    owner: dict[str, str] = {}
    for row, alias in enumerate(raw.country_aliases, start=1):
        if alias.iso3 not in ours:
            yield Problem(
                alias_file,
                f"alias {alias.alias!r} names unknown country {alias.iso3!r}",
                row,
                "iso3",
            )
        key = normalise_name(alias.alias)
        other = owner.get(key) or names.get(key)
        if other and other != alias.iso3:
            yield Problem(
                alias_file,
                f"alias {alias.alias!r} of {alias.iso3} also names {other}",
                row,
                "alias",
            )
        owner[key] = alias.iso3
    yield from _check_subdivisions(raw, ours, {**names, **owner})


def _check_subdivisions(
    raw: RawData, countries: dict[str, Country], country_names: dict[str, str]
) -> Iterable[Problem]:
    """A subdivision belongs to a known country by its ISO 3166-2 code and names one place:
    never a country (a state called Georgia would hide the country) nor two subdivisions."""
    file = "countries/subdivisions.csv"
    owner: dict[str, str] = {}
    for row, place in enumerate(raw.country_subdivisions, start=1):
        country = countries.get(place.iso3)
        if country is None:
            yield Problem(file, f"{place.name!r} names unknown country {place.iso3!r}", row, "iso3")
        elif not re.fullmatch(rf"{country.iso2}-[A-Z0-9]{{1,3}}", place.code):
            yield Problem(
                file, f"{place.code!r} is not an ISO 3166-2 code of {place.iso3}", row, "code"
            )
        key = normalise_name(place.name)
        other = country_names.get(key)
        if other:
            yield Problem(file, f"{place.name!r} is also the name of {other}", row, "name")
        elif owner.get(key, place.code) != place.code:
            yield Problem(file, f"{place.name!r} also names {owner[key]}", row, "name")
        owner[key] = place.code


def check_country_references(raw: RawData) -> Iterable[Problem]:
    """Every country-keyed dataset points at a known country."""
    known = {c.iso3 for c in raw.countries}
    datasets: list[tuple[str, list[str]]] = [
        ("countries/tip_2025.csv", [t.iso3 for t in raw.tip]),
        ("countries/ilab_findings_2022.csv", [f.iso3 for f in raw.findings]),
        ("optional/walkfree_gsi_2023.csv", [s.iso3 for s in raw.slavery_estimates]),
    ]
    for file, codes in datasets:
        for row, code in enumerate(codes, start=1):
            if code not in known:
                yield Problem(file, f"country {code!r} is not an ISO 3166 code", row, "iso3")
    for row, placement in enumerate(raw.tip, start=1):
        if placement.tier not in TIERS:
            yield Problem("countries/tip_2025.csv", f"unknown tier {placement.tier!r}", row, "tier")
    for row, finding in enumerate(raw.findings, start=1):
        if finding.advancement_rank not in ADVANCEMENT_RANKS:
            yield Problem(
                "countries/ilab_findings_2022.csv",
                f"unknown rank {finding.advancement_rank!r}",
                row,
                "advancement_rank",
            )
        pct = finding.working_children_pct
        if pct is not None and not 0 <= pct <= 1:
            yield Problem(
                "countries/ilab_findings_2022.csv",
                f"share {pct} is not a fraction",
                row,
                "working_children_pct",
            )


def check_enforcement(raw: RawData) -> Iterable[Problem]:
    """Entities and rules have unique ids, known lists, countries and goods."""
    known = {c.iso3 for c in raw.countries}
    goods = {g.id for g in raw.goods if g.kind == "good"}
    file = "enforcement/*_entities.csv"
    ids = Counter(e.entity_id for e in raw.entities)
    for row, entity in enumerate(raw.entities, start=1):
        if ids[entity.entity_id] > 1:
            yield Problem(file, f"entity id {entity.entity_id!r} is used twice", row, "entity_id")
        if entity.list not in LISTS:
            yield Problem(file, f"unknown list {entity.list!r}", row, "list")
        if entity.country_iso3 not in known:
            yield Problem(
                file,
                f"country {entity.country_iso3!r} is not an ISO 3166 code",
                row,
                "country_iso3",
            )
        if not entity.name:
            yield Problem(file, "entity has no name", row, "name")
    file = "enforcement/product_place_rules.csv"
    for row, rule in enumerate(raw.rules, start=1):
        if rule.good_id not in goods:
            yield Problem(file, f"good {rule.good_id!r} is not a listed good", row, "good_id")
        if rule.country_iso3 not in known:
            yield Problem(
                file, f"country {rule.country_iso3!r} is not an ISO 3166 code", row, "country_iso3"
            )


def data_files(raw: RawData) -> set[str]:
    """Name every data file the manifest must describe (relative to the shipped directory)."""
    files = {f"goods/{name}.toml" for name in GOOD_FILES if name != "imported"}
    files |= {"goods/derived_products.toml", "countries/countries.csv", "countries/aliases.csv",
              "countries/subdivisions.csv",
              "countries/tip_2025.csv", "countries/ilab_findings_2022.csv",
              *ENTITY_FILES, "enforcement/product_place_rules.csv",
              "optional/walkfree_gsi_2023.csv"}  # fmt: skip
    return files


def check_manifest(raw: RawData) -> Iterable[Problem]:
    """Each source's files exist, and its row count and checksum are current."""
    if not raw.release:
        yield Problem("manifest.toml", "the release string is missing")
    described: set[str] = set()
    for source in raw.sources:
        root = raw.roots[source.id]
        if source.trust not in TRUST_LEVELS:
            yield Problem("manifest.toml", f"{source.id}: unknown trust level {source.trust!r}")
        missing = [f for f in source.files if not (root / f).is_file()]
        if missing:
            yield Problem("manifest.toml", f"{source.id}: missing file(s) {', '.join(missing)}")
            continue
        described |= set(source.files)
        rows = sum(count_rows(root, f) for f in source.files)
        if rows != source.rows:
            yield Problem(
                "manifest.toml",
                f"{source.id}: rows is {source.rows}, files hold {rows} "
                "(run refdata validate --write-manifest)",
            )
        if checksum(root, source.files) != source.sha256:
            yield Problem(
                "manifest.toml",
                f"{source.id}: sha256 is out of date (run refdata validate --write-manifest)",
            )
    base_root = next(iter(raw.roots.values()), None)
    if base_root is not None:
        expected = {f for f in data_files(raw) if (base_root / f).exists()}
        expected |= {
            f"ilab_tvpra/edition_{y}.csv"
            for y in raw.editions
            if (base_root / f"ilab_tvpra/edition_{y}.csv").exists()
        }
        for file in sorted(expected - described):
            yield Problem("manifest.toml", f"data file {file} is not described by any source")
