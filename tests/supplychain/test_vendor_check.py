"""The vendor check on the shipped reference data: worked examples, and one answer everywhere."""

from __future__ import annotations

import csv
import json

import pytest

from reference_data import DATA_DIR
from supplychain.services.refdata import get_reference
from supplychain.services.vendor_check import check_vendor

# The worked examples of docs/methodology.md.
EXAMPLES = {
    "listed entity": ("Hetian Taida Apparel Co Ltd", "China", ["cotton t-shirts"]),
    "turkmen cotton": ("Ashgabat Textile Export", "Turkmenistan", ["raw cotton lint"]),
    "ivorian cocoa": ("Abidjan Cocoa Export SA", "Côte d'Ivoire", ["cocoa beans"]),
    "egyptian garments": ("Cairo Garments Co", "Egypt", ["mens cotton t-shirts"]),
    "german valves": ("Müller Armaturen GmbH", "Germany", ["stainless steel ball valves"]),
    "unknown": ("Acme Widgets", "", ["N/A"]),
}


@pytest.fixture
def check(app):
    def run(example: str) -> dict:
        name, country, products = EXAMPLES[example]
        return check_vendor(get_reference(app.config), app.config, name, country, products)

    return run


def kinds(result: dict) -> set[str]:
    return {f["kind"] for f in result["factors"]}


def test_listed_entity_is_critical(check):
    result = check("listed entity")
    assert result["forced_labour"]["band"] == "Critical"
    assert "enforcement_entity" in kinds(result)
    hits = [h for h in result["matches"]["suppliers"] if h["match"]]
    assert {h["name"] for h in hits} == {"Hetian Taida Apparel Co., Ltd."}
    entity = next(f for f in result["factors"] if f["kind"] == "enforcement_entity")
    assert entity["source"]["dataset"] in {"cbp-wro-findings", "uflpa-entity-list-partial"}


def test_cotton_from_turkmenistan_is_critical_by_product_place_rule(check):
    result = check("turkmen cotton")
    assert result["forced_labour"]["band"] == "Critical"
    rule = next(f for f in result["factors"] if f["kind"] == "product_place_rule")
    assert "Turkmenistan" in rule["detail"] and "2018-05-18" in rule["detail"]
    assert not result["matches"]["suppliers"] or not any(
        h["match"] for h in result["matches"]["suppliers"]
    )


def test_cocoa_from_cote_d_ivoire_is_high_child_labour(check):
    result = check("ivorian cocoa")
    assert result["child_labour"]["band"] == "High"
    assert result["child_labour"]["score"] >= result["forced_labour"]["score"]
    pair = next(f for f in result["factors"] if f["kind"] == "listed_pair_child_labour")
    assert pair["source"]["dataset"] == "ilab-tvpra-2022"
    assert pair["source"]["identifier"].startswith("row ")


def test_garments_from_a_country_with_only_listed_cotton_carry_input_exposure(check):
    result = check("egyptian garments")
    assert result["matches"]["goods"][0]["match"]["name"] == "Garments"
    assert "listed_pair_child_labour" not in kinds(result)
    inputs = [f for f in result["factors"] if f["kind"] == "listed_input"]
    assert any("Cotton" in f["detail"] and "Egypt" in f["detail"] for f in inputs)
    assert result["child_labour"]["band"] in ("Medium", "High")


def test_ball_valves_from_germany_are_low(check):
    result = check("german valves")
    assert result["forced_labour"]["band"] == "Low"
    assert result["child_labour"]["band"] == "Low"
    assert not result["insufficient_data"]


def test_unknown_product_from_unknown_country_is_insufficient_not_low(check):
    result = check("unknown")
    assert result["insufficient_data"]
    assert result["forced_labour"]["band"] != "Low" and result["child_labour"]["band"] != "Low"
    assert result["forced_labour"]["confidence"] < 0.3
    assert "insufficient_data" in kinds(result)


def test_every_result_cites_model_profile_and_reference_version(check, app):
    result = check("ivorian cocoa")
    assert result["model"]["name"] == "labour-risk-v1"
    assert result["model"]["profile"] == "labour-risk-v1-default"
    assert result["model"]["reference_version"] == get_reference(app.config).version


def test_questions_are_tied_to_the_factors_that_fired(check):
    result = check("listed entity")
    fired = kinds(result)
    assert result["questions"]
    assert {q["factor"] for q in result["questions"]} <= fired


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_page_api_and_command_give_the_same_numbers(example, check, client, runner):
    name, country, products = EXAMPLES[example]
    expected = check(example)
    api = client.post(
        "/api/v1/vendor-check", json={"name": name, "country": country, "products": products}
    ).get_json()
    args = ["check", "vendor", "--name", name, "--country", country, "--format", "json"]
    for product in products:
        args += ["--product", product]
    cli = json.loads(runner.invoke(args=args).output)
    page = client.get(
        "/vendor-check",
        query_string={"name": name, "country": country, "products": "\n".join(products)},
    ).get_data(as_text=True)
    for dimension in ("forced_labour", "child_labour"):
        numbers = {k: expected[dimension][k] for k in ("score", "band", "confidence")}
        assert {k: api[dimension][k] for k in numbers} == numbers
        assert {k: cli[dimension][k] for k in numbers} == numbers
        assert f">{expected[dimension]['score']:.0f}<" in page
        assert expected[dimension]["band"] in page
    assert api["factors"] == cli["factors"] == expected["factors"]


def test_api_refuses_a_missing_name(client):
    response = client.post("/api/v1/vendor-check", json={"country": "China"})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert "name" in response.get_json()["errors"]["json"]


def test_page_without_a_name_shows_only_the_form(client):
    page = client.get("/vendor-check").get_data(as_text=True)
    assert '<form class="vendor-form"' in page and "Result for" not in page


def test_page_explains_a_blank_name(client):
    page = client.get("/vendor-check", query_string={"name": " "}).get_data(as_text=True)
    assert "There is a problem" in page and "vendor name is needed" in page


def test_text_format_lists_factors_and_questions(runner):
    name, country, products = EXAMPLES["ivorian cocoa"]
    output = runner.invoke(
        args=["check", "vendor", "--name", name, "--country", country, "--product", products[0]]
    ).output
    assert "Child labour" in output and "High" in output
    assert "ILAB TVPRA 2022, row" in output
    assert "Ask the vendor:" in output


# Kinds of goods: a narrower good takes its broader good's listing for the country.


def edition_2022_row(good_id: str, iso3: str) -> str:
    """Find a pair's row in the shipped file, so the expectation does not come from the code."""
    with (DATA_DIR / "ilab_tvpra/edition_2022.csv").open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle)
        return next(r["row"] for r in rows if (r["good_id"], r["country_iso3"]) == (good_id, iso3))


def pair_factors(result: dict, kind: str) -> list[dict]:
    return [f for f in result["factors"] if f["kind"] == kind]


def test_fired_clay_bricks_from_pakistan_score_as_bricks_from_pakistan(app):
    reference = get_reference(app.config)
    clay = check_vendor(reference, app.config, "Lahore Kilns", "Pakistan", ["Fired clay bricks"])
    bricks = check_vendor(reference, app.config, "Lahore Kilns", "Pakistan", ["Bricks"])
    assert clay["matches"]["goods"][0]["match"]["id"] == "bricks-clay"
    for dimension in ("forced_labour", "child_labour"):
        assert clay[dimension]["band"] == "High"
        assert clay[dimension]["score"] == bricks[dimension]["score"]
    row = edition_2022_row("bricks", "PAK")
    [forced] = pair_factors(clay, "listed_pair_forced_labour")
    assert forced["detail"] == (
        "Bricks (clay) is a kind of Bricks; Bricks from Pakistan is on the ILAB list for forced "
        f"labour (ILAB TVPRA 2022, row {row})."
    )
    assert forced["source"] == {
        "dataset": "ilab-tvpra-2022",
        "edition": "2022",
        "identifier": f"row {row}",
    }
    [own] = pair_factors(bricks, "listed_pair_forced_labour")
    assert (forced["contribution"], forced["source"]) == (own["contribution"], own["source"])
    assert not pair_factors(clay, "listed_elsewhere")


def test_the_api_gives_the_broader_listing_and_its_reason(client):
    body = client.post(
        "/api/v1/vendor-check",
        json={"name": "Lahore Kilns", "country": "Pakistan", "products": ["6904.10"]},
    ).get_json()
    assert body["matches"]["goods"][0]["match"]["id"] == "bricks-clay"
    assert body["forced_labour"]["band"] == "High"
    row = edition_2022_row("bricks", "PAK")
    details = {f["detail"] for f in pair_factors(body, "listed_pair_forced_labour")}
    assert details == {
        "Bricks (clay) is a kind of Bricks; Bricks from Pakistan is on the ILAB list for forced "
        f"labour (ILAB TVPRA 2022, row {row})."
    }


def test_a_goods_own_listing_is_cited_and_its_broader_one_not_counted_again(app):
    # Tilapia and Fish are both listed from Ghana: the tilapia row counts, once.
    result = check_vendor(get_reference(app.config), app.config, "Volta Fish", "Ghana", ["Tilapia"])
    assert result["matches"]["goods"][0]["match"]["id"] == "tilapia-fish"
    own = f"row {edition_2022_row('tilapia-fish', 'GHA')}"
    for kind in ("listed_pair_forced_labour", "listed_pair_child_labour"):
        assert [f["source"]["identifier"] for f in pair_factors(result, kind)] == [own]
        assert "kind of" not in pair_factors(result, kind)[0]["detail"]
    assert len(pair_factors(result, "listed_pair_forced_child_labour")) == 2  # one per dimension
