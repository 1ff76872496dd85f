"""Every check in reference_data/validation.py fails on a copy broken in exactly that way."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reference_data import DATA_DIR
from reference_data.loader import Problem
from tests.reference_data.builders import Rows, copy_data, edit_csv, edit_toml, problems_in

EDITION = "ilab_tvpra/edition_2022.csv"


def test_the_shipped_data_passes_every_check():
    assert [str(p) for p in problems_in(DATA_DIR)] == []


# --- corruptions: each takes the copy's root and breaks one thing ---------------------------


def goods_with_aliases(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [g for g in data["good"] if g["aliases"]]


def alias_shared_by_two_goods(root: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        first, second = goods_with_aliases(data)[:2]
        second["aliases"].append(first["aliases"][0])

    edit_toml(root, "goods/agriculture.toml", change)


def alias_repeating_another_goods_name(root: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["good"][1]["aliases_fr"].append(data["good"][0]["name"].upper())

    edit_toml(root, "goods/agriculture.toml", change)


def unknown_input_good(root: Path) -> None:
    edit_toml(root, "goods/agriculture.toml", lambda d: d["good"][0].update(inputs=["unobtanium"]))


def own_input(root: Path) -> None:
    edit_toml(
        root, "goods/agriculture.toml", lambda d: d["good"][0].update(inputs=[d["good"][0]["id"]])
    )


def malformed_hs_code(root: Path) -> None:
    edit_toml(root, "goods/mining.toml", lambda d: d["good"][0].update(hs=["71O8"]))


def id_not_following_the_slug_rule(root: Path) -> None:
    edit_toml(root, "goods/mining.toml", lambda d: d["good"][0].update(name="Renamed Ore"))


def duplicate_good_id(root: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["good"].append(dict(data["good"][0]))

    edit_toml(root, "goods/mining.toml", change)


def unknown_sector(root: Path) -> None:
    edit_toml(root, "goods/mining.toml", lambda d: d["good"][0].update(sector="Fishing"))


def set_good(relative: str, good_id: str, **values: Any) -> Callable[[Path], None]:
    """Change one catalogue entry, found by id."""

    def change(data: dict[str, Any]) -> None:
        table = "product" if relative.endswith("derived_products.toml") else "good"
        next(g for g in data[table] if g["id"] == good_id).update(values)

    return lambda root: edit_toml(root, relative, change)


MANUFACTURING = "goods/manufacturing.toml"


def derived_product_without_inputs(root: Path) -> None:
    edit_toml(root, "goods/derived_products.toml", lambda d: d["product"][0].update(inputs=[]))


def set_first(column: str, value: str) -> Callable[[Rows], None]:
    def change(rows: Rows) -> None:
        rows[0][column] = value

    return change


def edition_row(column: str, value: str) -> Callable[[Path], None]:
    return lambda root: edit_csv(root, EDITION, set_first(column, value))


def pair_listed_twice(root: Path) -> None:
    def change(rows: Rows) -> None:
        rows[1].update(good_id=rows[0]["good_id"], country_iso3=rows[0]["country_iso3"])

    edit_csv(root, EDITION, change)


def row_without_flags(root: Path) -> None:
    def change(rows: Rows) -> None:
        for column in ("child_labour", "forced_labour", "forced_child_labour", "downstream"):
            rows[0][column] = "false"

    edit_csv(root, EDITION, change)


def downstream_with_unknown_input(root: Path) -> None:
    def change(rows: Rows) -> None:
        row = next(r for r in rows if r["downstream"] == "true")
        row.update(input_good_id="unobtanium", input_country_iso3="XXX")

    edit_csv(root, EDITION, change)


def country_row(column: str, value: str, iso3: str = "FRA") -> Callable[[Path], None]:
    def change(rows: Rows) -> None:
        next(r for r in rows if r["iso3"] == iso3)[column] = value

    return lambda root: edit_csv(root, "countries/countries.csv", change)


def duplicate_iso2(root: Path) -> None:
    def change(rows: Rows) -> None:
        rows[1]["iso2"] = rows[0]["iso2"]

    edit_csv(root, "countries/countries.csv", change)


def missing_iso_country(root: Path) -> None:
    def change(rows: Rows) -> None:
        rows[:] = [r for r in rows if r["iso3"] != "ISL"]

    edit_csv(root, "countries/countries.csv", change)
    edit_csv(root, "countries/aliases.csv", change)


def alias_naming_two_countries(root: Path) -> None:
    def change(rows: Rows) -> None:
        rows.append({"iso3": "FRA", "alias": "Deutschland", "lang": "other", "kind": "common"})
        rows.append({"iso3": "DEU", "alias": "Deutschland", "lang": "other", "kind": "common"})

    edit_csv(root, "countries/aliases.csv", change)


def alias_of_unknown_country(root: Path) -> None:
    def change(rows: Rows) -> None:
        rows.append({"iso3": "ATL", "alias": "Atlantis", "lang": "en", "kind": "common"})

    edit_csv(root, "countries/aliases.csv", change)


def add_subdivision(iso3: str, code: str, name: str) -> Callable[[Path], None]:
    def change(rows: Rows) -> None:
        rows.append({"iso3": iso3, "code": code, "name": name})

    return lambda root: edit_csv(root, "countries/subdivisions.csv", change)


def first_row(relative: str, column: str, value: str) -> Callable[[Path], None]:
    return lambda root: edit_csv(root, relative, set_first(column, value))


def duplicate_entity_id(root: Path) -> None:
    def change(rows: Rows) -> None:
        rows[1]["entity_id"] = rows[0]["entity_id"]

    edit_csv(root, "enforcement/cbp_wro_entities.csv", change)


def manifest_source(key: str, value: Callable[[Any], Any]) -> Callable[[Path], None]:
    def change(data: dict[str, Any]) -> None:
        source = next(s for s in data["source"] if s["id"] == "ilab-tvpra-2022")
        source[key] = value(source[key])

    return lambda root: edit_toml(root, "manifest.toml", change)


def data_edited_without_refreshing_manifest(root: Path) -> None:
    path = root / "enforcement/product_place_rules.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Marange", "Marange "), "utf-8")


def source_removed_from_manifest(root: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["source"] = [s for s in data["source"] if s["id"] != "ilab-tvpra-2018"]

    edit_toml(root, "manifest.toml", change)


def release_missing(root: Path) -> None:
    edit_toml(root, "manifest.toml", lambda data: data.pop("release"))


CORRUPTIONS: dict[str, tuple[Callable[[Path], None], str]] = {
    # check_goods
    "alias shared by two goods": (alias_shared_by_two_goods, "also names"),
    "alias is another good's name": (alias_repeating_another_goods_name, "also names"),
    "unknown input good": (unknown_input_good, "input 'unobtanium' is not a listed good"),
    "good is its own input": (own_input, "a good cannot be its own input"),
    "malformed HS code": (malformed_hs_code, "HS code '71O8' is not 4 or 6 digits"),
    "id breaks the slug rule": (id_not_following_the_slug_rule, "should be 'renamed-ore'"),
    "duplicate good id": (duplicate_good_id, "is used twice"),
    "unknown sector": (unknown_sector, "unknown sector 'Fishing'"),
    "derived product without inputs": (derived_product_without_inputs, "needs at least one"),
    "unknown broader good": (
        set_good(MANUFACTURING, "bricks-clay", broader=["unobtanium"]),
        "bricks-clay: broader good 'unobtanium' is not a listed good",
    ),
    "broader good is a derived product": (
        set_good(MANUFACTURING, "bricks-clay", broader=["concrete-products"]),
        "bricks-clay: broader good 'concrete-products' is not a listed good",
    ),
    "good is a kind of itself": (
        set_good(MANUFACTURING, "bricks", broader=["bricks"]),
        "bricks: a good cannot be a kind of itself",
    ),
    "broader goods form a cycle": (
        # bricks-clay is a kind of bricks; making bricks a kind of bricks-clay closes a loop.
        set_good(MANUFACTURING, "bricks", broader=["bricks-clay"]),
        "broader goods form a cycle: bricks -> bricks-clay -> bricks",
    ),
    "longer cycle of broader goods": (
        set_good("goods/mining.toml", "stones", broader=["granite-crushed"]),
        "broader goods form a cycle: granite -> stones -> granite-crushed -> granite",
    ),
    "broader good is also an input": (
        set_good("goods/mining.toml", "granite-crushed", inputs=["granite"]),
        "granite-crushed: 'granite' is both an input and a broader good",
    ),
    "derived product with a broader good": (
        set_good("goods/derived_products.toml", "chocolate", broader=["cocoa"]),
        "chocolate: a derived product is made from listed goods (inputs), not a kind",
    ),
    # check_editions
    "unknown country in an edition": (
        edition_row("country_iso3", "XXX"),
        f"{EDITION}, row 1, column 'country_iso3': country 'XXX' is not an ISO 3166 code",
    ),
    "unknown good in an edition": (
        edition_row("good_id", "unobtanium"),
        f"{EDITION}, row 1, column 'good_id': good 'unobtanium' is not in the goods catalogue",
    ),
    "edition spells a good otherwise": (
        edition_row("good_name", "Renamed Good"),
        f"{EDITION}, row 1, column 'good_name': good_name 'Renamed Good' differs from the",
    ),
    "pair listed twice": (pair_listed_twice, "is listed twice"),
    "row without flags": (row_without_flags, f"{EDITION}, row 1: row sets none of the labour"),
    "downstream input unknown": (downstream_with_unknown_input, "input good 'unobtanium'"),
    "input on a direct row": (edition_row("input_good_id", "cocoa"), "that is not downstream"),
    # check_countries
    "duplicate iso2": (duplicate_iso2, "column 'iso2': iso2"),
    "missing ISO country": (missing_iso_country, "ISO 3166-1 country ISL"),
    "malformed numeric code": (country_row("numeric", "25"), "malformed codes for 'France'"),
    "codes differ from ISO": (country_row("numeric", "999"), "FRA: codes differ from ISO"),
    "missing French name": (country_row("name_fr", ""), "FRA needs English and French names"),
    "alias naming two countries": (alias_naming_two_countries, "'Deutschland' of DEU also names"),
    "alias of unknown country": (alias_of_unknown_country, "names unknown country 'ATL'"),
    "subdivision of unknown country": (
        add_subdivision("ATL", "AT-1", "Poseidonia"),
        "'Poseidonia' names unknown country 'ATL'",
    ),
    "subdivision code of another country": (
        add_subdivision("CHN", "US-XX", "Nowhere Sheng"),
        "'US-XX' is not an ISO 3166-2 code of CHN",
    ),
    "subdivision named like a country": (
        add_subdivision("USA", "US-GA", "Georgia"),
        "'Georgia' is also the name of GEO",
    ),
    "subdivision name shared by two": (
        add_subdivision("PAK", "PK-PB", "Tamil Nadu"),
        "'Tamil Nadu' also names IN-TN",
    ),
    # check_country_references
    "unknown TIP tier": (
        first_row("countries/tip_2025.csv", "tier", "Tier 4"),
        "countries/tip_2025.csv, row 1, column 'tier': unknown tier 'Tier 4'",
    ),
    "TIP country unknown": (
        first_row("countries/tip_2025.csv", "iso3", "ATL"),
        "column 'iso3': country 'ATL' is not an ISO 3166 code",
    ),
    "unknown advancement rank": (
        first_row("countries/ilab_findings_2022.csv", "advancement_rank", "great"),
        "unknown rank 'great'",
    ),
    "working children share not a fraction": (
        first_row("countries/ilab_findings_2022.csv", "working_children_pct", "12.5"),
        "share 12.5 is not a fraction",
    ),
    # check_enforcement
    "duplicate entity id": (duplicate_entity_id, "column 'entity_id': entity id 'cbp-wro-001'"),
    "unknown list": (first_row("enforcement/uflpa_entities.csv", "list", "ofac"), "list 'ofac'"),
    "entity country unknown": (
        first_row("enforcement/uflpa_entities.csv", "country_iso3", "ATL"),
        "country 'ATL' is not an ISO 3166 code",
    ),
    "entity without a name": (
        first_row("enforcement/cbp_wro_entities.csv", "name", ""),
        "entity has no name",
    ),
    "rule names an unknown good": (
        first_row("enforcement/product_place_rules.csv", "good_id", "unobtanium"),
        "product_place_rules.csv, row 1, column 'good_id': good 'unobtanium' is not a listed",
    ),
    "rule country unknown": (
        first_row("enforcement/product_place_rules.csv", "country_iso3", "ATL"),
        "country 'ATL' is not an ISO 3166 code",
    ),
    # check_manifest
    "stale manifest checksum": (
        manifest_source("sha256", lambda _: "0" * 64),
        "ilab-tvpra-2022: sha256 is out of date",
    ),
    "data edited, manifest not refreshed": (
        data_edited_without_refreshing_manifest,
        "cbp-wro-findings: sha256 is out of date",
    ),
    "stale row count": (manifest_source("rows", lambda n: n + 1), "ilab-tvpra-2022: rows is"),
    "manifest names a missing file": (
        manifest_source("files", lambda files: [*files, "ilab_tvpra/edition_1999.csv"]),
        "missing file(s) ilab_tvpra/edition_1999.csv",
    ),
    "data file described by no source": (
        source_removed_from_manifest,
        "data file ilab_tvpra/edition_2018.csv is not described by any source",
    ),
    "unknown trust level": (manifest_source("trust", lambda _: "E"), "unknown trust level 'E'"),
    "release missing": (release_missing, "the release string is missing"),
}


@pytest.mark.parametrize("name", sorted(CORRUPTIONS))
def test_each_check_fails_on_a_broken_copy(tmp_path: Path, name: str):
    corrupt, expected = CORRUPTIONS[name]
    root = copy_data(tmp_path)
    corrupt(root)
    found = [str(p) for p in problems_in(root)]
    assert any(expected in p for p in found), f"{expected!r} not in {found}"


def test_a_problem_names_file_row_and_column(tmp_path: Path):
    root = copy_data(tmp_path)
    edition_row("country_iso3", "XXX")(root)
    assert Problem(
        EDITION, "country 'XXX' is not an ISO 3166 code", 1, "country_iso3"
    ) in problems_in(root)
