"""The read-only reference-data API: goods, countries, enforcement lists, and their errors."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from reference_data import DATA_DIR
from supplychain import create_app


def csv_rows(relative: str) -> list[dict[str, str]]:
    """Read a shipped data file directly, so expectations do not come from the code under test."""
    with (DATA_DIR / relative).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def distinct_goods(year: int) -> set[str]:
    return {row["good_id"] for row in csv_rows(f"ilab_tvpra/edition_{year}.csv")}


def problem(response) -> dict:
    assert response.mimetype == "application/problem+json"
    return response.get_json()


@pytest.fixture
def layered_client(tmp_path: Path) -> Iterator[FlaskClient]:
    """A client of an app with the Walk Free optional layer switched on."""
    app = create_app(
        {
            "TESTING": True,
            "ENV_NAME": "testing",
            "DATABASE_URL": "sqlite://",
            "REFDATA_DIR": str(tmp_path / "refdata"),
            "OPTIONAL_LAYERS": "walkfree-gsi-2023",
        }
    )
    yield app.test_client()


# Goods


def test_goods_are_paginated_with_the_total_of_the_latest_edition(client: FlaskClient):
    expected = distinct_goods(2022)
    first = client.get("/api/v1/goods?per_page=10").get_json()
    assert first["total"] == len(expected)
    assert (first["page"], first["per_page"], len(first["items"])) == (1, 10, 10)
    second = client.get("/api/v1/goods?per_page=10&page=2").get_json()
    assert {i["id"] for i in first["items"]}.isdisjoint(i["id"] for i in second["items"])
    last_page = (len(expected) + 9) // 10
    last = client.get(f"/api/v1/goods?per_page=10&page={last_page}").get_json()
    assert len(last["items"]) == len(expected) - 10 * (last_page - 1)
    everything = client.get("/api/v1/goods?per_page=500").get_json()["items"]
    assert {i["id"] for i in everything} == expected
    names = [i["name"].casefold() for i in everything]
    assert names == sorted(names)


def test_goods_default_to_the_latest_edition_and_can_ask_for_an_older_one(client: FlaskClient):
    latest = client.get("/api/v1/goods?per_page=1").get_json()
    assert latest["items"][0]["edition"] == 2022
    older = client.get("/api/v1/goods?edition=2018&per_page=500").get_json()
    assert older["total"] == len(distinct_goods(2018))
    assert {i["edition"] for i in older["items"]} == {2018}
    assert "lithium-ion-batteries" not in {i["id"] for i in older["items"]}


def test_goods_summary_counts_countries_and_flags(client: FlaskClient):
    items = client.get("/api/v1/goods?q=cocoa").get_json()["items"]
    cocoa = next(i for i in items if i["id"] == "cocoa")
    expected = {r["country_iso3"] for r in csv_rows("ilab_tvpra/edition_2022.csv")
                if r["good_id"] == "cocoa"}  # fmt: skip
    assert cocoa["country_count"] == len(expected) and set(cocoa["countries"]) == expected
    assert cocoa["flags"] == ["child-labour", "forced-labour", "forced-child-labour"]
    assert cocoa["sector"] == "Agriculture" and "1801" in cocoa["hs"]


@pytest.mark.parametrize("query", ["fèves de cacao", "FEVES DE CACAO", "cacao", "1801", "180100"])
def test_goods_search_matches_aliases_french_and_hs_prefix(client: FlaskClient, query: str):
    ids = [
        i["id"] for i in client.get("/api/v1/goods", query_string={"q": query}).get_json()["items"]
    ]
    assert "cocoa" in ids
    assert "bananas" not in ids


def test_goods_search_by_hs_chapter_finds_every_good_in_it(client: FlaskClient):
    everything = client.get("/api/v1/goods?per_page=500").get_json()["items"]
    chapter = {i["id"] for i in everything if any(code.startswith("18") for code in i["hs"])}
    found = {i["id"] for i in client.get("/api/v1/goods?q=18&per_page=500").get_json()["items"]}
    assert "cocoa" in chapter and chapter <= found
    assert "bananas" not in found  # HS 0803, no "18" in its names


def test_goods_filter_by_flag_and_sector(client: FlaskClient):
    fcl = client.get("/api/v1/goods?flag=forced-child-labour&per_page=500").get_json()["items"]
    ids = {i["id"] for i in fcl}
    assert "cocoa" in ids and "acai-berries" not in ids
    assert all("forced-child-labour" in i["flags"] for i in fcl)
    downstream = client.get("/api/v1/goods?flag=downstream&per_page=500").get_json()["items"]
    assert "lithium-ion-batteries" in {i["id"] for i in downstream}
    assert "cocoa" not in {i["id"] for i in downstream}
    mining = client.get("/api/v1/goods?sector=Mining&per_page=500").get_json()
    assert mining["total"] > 0 and {i["sector"] for i in mining["items"]} == {"Mining"}
    assert "gold" in {i["id"] for i in mining["items"]}


def test_goods_of_kind_derived_are_not_on_any_edition(client: FlaskClient):
    body = client.get("/api/v1/goods?kind=derived&per_page=500").get_json()
    ids = {i["id"] for i in body["items"]}
    assert "chocolate" in ids and "cocoa" not in ids
    assert {i["kind"] for i in body["items"]} == {"derived"}
    assert {i["edition"] for i in body["items"]} == {None}
    assert all(i["country_count"] == 0 and i["flags"] == [] for i in body["items"])


@pytest.mark.parametrize(
    ("query", "field"),
    [("flag=slavery", "flag"), ("kind=product", "kind"), ("page=0", "page"),
     ("edition=2019", "edition")],
)  # fmt: skip
def test_goods_reject_invalid_filters_as_problems(client: FlaskClient, query: str, field: str):
    response = client.get(f"/api/v1/goods?{query}")
    assert response.status_code == 422
    body = problem(response)
    assert field in str(body.get("errors")), body


def test_good_detail_cites_every_listing(client: FlaskClient):
    response = client.get("/api/v1/goods/cocoa")
    assert response.status_code == 200
    body = response.get_json()
    assert body["name"] == "Cocoa" and body["kind"] == "good"
    assert body["editions"] == [2022, 2020, 2018]
    civ = next(x for x in body["listings"] if x["edition"] == 2022 and x["country_iso3"] == "CIV")
    expected_row = next(
        r["row"] for r in csv_rows("ilab_tvpra/edition_2022.csv")
        if r["good_id"] == "cocoa" and r["country_iso3"] == "CIV"
    )  # fmt: skip
    assert civ["forced_child_labour"] is True and "forced-child-labour" in civ["flags"]
    assert civ["citation"] == f"ILAB TVPRA 2022, row {expected_row}"
    assert civ["source_id"] == "ilab-tvpra-2022"
    assert "fèves de cacao" in body["aliases_fr"] and "cocoa beans" in body["aliases"]
    assert "1801" in body["hs"]
    assert {"id": "chocolate", "name": "Chocolate", "kind": "derived"} in body["made_into"]


def test_good_detail_shows_downstream_input(client: FlaskClient):
    body = client.get("/api/v1/goods/lithium-ion-batteries").get_json()
    row = next(x for x in body["listings"] if x["downstream"])
    assert (row["country_iso3"], row["input_good_id"], row["input_country_iso3"]) == (
        "CHN",
        "cobalt-ore-heterogenite",
        "COD",
    )
    assert row["flags"] == ["downstream"]
    cobalt = client.get("/api/v1/goods/cobalt-ore-heterogenite").get_json()
    assert "lithium-ion-batteries" in {g["id"] for g in cobalt["made_into"]}


def test_good_detail_names_the_goods_it_is_a_kind_of_and_its_kinds(client: FlaskClient):
    clay = client.get("/api/v1/goods/bricks-clay").get_json()
    assert clay["broader"] == [{"id": "bricks", "name": "Bricks", "kind": "good"}]
    assert clay["narrower"] == []
    bricks = client.get("/api/v1/goods/bricks").get_json()
    assert bricks["broader"] == []
    assert {"id": "bricks-clay", "name": "Bricks (clay)", "kind": "good"} in bricks["narrower"]
    # Kinds of kinds: crushed granite is granite, which is stone.
    stones = client.get("/api/v1/goods/stones").get_json()
    assert {"granite", "granite-crushed"} <= {g["id"] for g in stones["narrower"]}


def test_derived_product_detail_has_inputs_and_no_listings(client: FlaskClient):
    body = client.get("/api/v1/goods/chocolate").get_json()
    assert body["kind"] == "derived" and body["listings"] == [] and body["editions"] == []
    assert "cocoa" in {g["id"] for g in body["inputs"]}


def test_good_detail_includes_rules_about_it(client: FlaskClient):
    body = client.get("/api/v1/goods/gold").get_json()
    rule = next(r for r in body["rules"] if r["rule_id"] == "rule-003")
    assert rule["country_iso3"] == "COD" and rule["effective_date"] == "2022-11-16"


def test_unknown_good_is_a_404_problem(client: FlaskClient):
    response = client.get("/api/v1/goods/no-such-good")
    assert response.status_code == 404
    assert "no-such-good" in problem(response)["detail"]


# Countries


def test_countries_are_paginated_with_the_full_total(client: FlaskClient):
    total = len(csv_rows("countries/countries.csv"))
    body = client.get("/api/v1/countries?per_page=25&page=2").get_json()
    assert body["total"] == total and body["page"] == 2 and len(body["items"]) == 25


def test_countries_search_by_name_alias_or_code(client: FlaskClient):
    for query in ("ivoire", "Ivory Coast", "CI", "civ"):
        items = client.get("/api/v1/countries", query_string={"q": query}).get_json()["items"]
        assert "CIV" in {i["iso3"] for i in items}, query
    items = client.get("/api/v1/countries?q=ivoire").get_json()["items"]
    assert "FRA" not in {i["iso3"] for i in items}


def test_countries_filter_by_region(client: FlaskClient):
    body = client.get("/api/v1/countries?region=Africa&per_page=500").get_json()
    expected = {r["iso3"] for r in csv_rows("countries/countries.csv") if r["region"] == "Africa"}
    assert {i["iso3"] for i in body["items"]} == expected
    civ = next(i for i in body["items"] if i["iso3"] == "CIV")
    assert civ["listed_goods"] == len(
        {
            r["good_id"]
            for r in csv_rows("ilab_tvpra/edition_2022.csv")
            if r["country_iso3"] == "CIV"
        }
    )


def test_country_detail_is_case_insensitive_and_lists_goods(client: FlaskClient):
    response = client.get("/api/v1/countries/civ")
    assert response.status_code == 200
    body = response.get_json()
    assert body["country"]["iso3"] == "CIV" and body["edition"] == 2022
    cocoa = next(x for x in body["listings"] if x["good_id"] == "cocoa")
    assert cocoa["forced_child_labour"] is True
    assert cocoa["citation"].startswith("ILAB TVPRA 2022, row ")
    assert body["findings"] is not None and body["tip"]["tier"].startswith(("Tier", "Special"))
    assert "slavery" not in body


def test_country_detail_in_an_older_edition(client: FlaskClient):
    body = client.get("/api/v1/countries/CIV?edition=2018").get_json()
    assert body["edition"] == 2018
    assert body["listings"] and {x["edition"] for x in body["listings"]} == {2018}


def test_country_detail_has_enforcement_entries(client: FlaskClient):
    cod = client.get("/api/v1/countries/COD").get_json()
    assert "rule-003" in {r["rule_id"] for r in cod["rules"]}
    assert "lithium-ion-batteries" in {x["good_id"] for x in cod["input_listings"]}
    chn = client.get("/api/v1/countries/CHN").get_json()
    xpcc = next(e for e in chn["entities"] if e["entity_id"] == "uflpa-001")
    assert "XPCC" in xpcc["aliases"] and xpcc["list"] == "uflpa"


def test_unknown_country_is_a_404_problem(client: FlaskClient):
    response = client.get("/api/v1/countries/XXZ")
    assert response.status_code == 404
    assert "XXZ" in problem(response)["detail"]


def test_slavery_estimates_appear_when_the_layer_is_on(layered_client: FlaskClient):
    body = layered_client.get("/api/v1/countries/IND").get_json()
    assert body["slavery"]["source_id"] == "walkfree-gsi-2023"
    assert "Walk Free" in body["slavery"]["licence"]
    expected = next(r for r in csv_rows("optional/walkfree_gsi_2023.csv") if r["iso3"] == "IND")
    assert body["slavery"]["estimate"]["prevalence_per_1000"] == float(
        expected["prevalence_per_1000"]
    )


# Enforcement lists


def test_lists_carry_trust_caveats_and_every_entity(client: FlaskClient):
    body = client.get("/api/v1/lists").get_json()
    lists = {item["id"]: item for item in body["lists"]}
    assert set(lists) == {"cbp-wro", "uflpa"}
    uflpa = lists["uflpa"]
    assert uflpa["source_id"] == "uflpa-entity-list-partial" and uflpa["trust"] == "D"
    assert "Partial" in uflpa["notes"] and uflpa["trust_meaning"] == "Partial or possibly wrong"
    assert uflpa["entity_count"] == len(csv_rows("enforcement/uflpa_entities.csv"))
    assert lists["cbp-wro"]["entity_count"] == len(csv_rows("enforcement/cbp_wro_entities.csv"))
    assert lists["cbp-wro"]["source_id"] == "cbp-wro-findings"
    assert len(uflpa["entities"]) == uflpa["entity_count"]
    rules = {r["rule_id"]: r for r in body["rules"]}
    assert len(rules) == len(csv_rows("enforcement/product_place_rules.csv"))
    assert (rules["rule-001"]["good_id"], rules["rule-001"]["country_iso3"]) == ("cotton", "TKM")


# Documentation


def test_openapi_documents_every_resource_with_one_success_response(app: Flask):
    with app.test_client() as client:
        spec = client.get("/api/v1/openapi.json").get_json()
    paths = ["/api/v1/goods", "/api/v1/goods/{good_id}", "/api/v1/countries",
             "/api/v1/countries/{iso3}", "/api/v1/lists", "/api/v1/refdata/version"]  # fmt: skip
    for path in paths:
        responses = spec["paths"][path]["get"]["responses"]
        assert [code for code in responses if code.startswith("2")] == ["200"], path
    goods_params = {p["name"] for p in spec["paths"]["/api/v1/goods"]["get"]["parameters"]}
    assert {"q", "sector", "flag", "edition", "kind", "page", "per_page"} <= goods_params
