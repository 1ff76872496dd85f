"""POST /api/v1/match/goods and /api/v1/match/countries: shapes, order, decisions, limits."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

GOODS_URL = "/api/v1/match/goods"
COUNTRIES_URL = "/api/v1/match/countries"


def problem(response) -> dict:
    assert response.mimetype == "application/problem+json"
    return response.get_json()


def test_goods_results_come_back_in_order_with_decisions(client: FlaskClient):
    items = ["Men's 100% cotton knit T-shirts", "", "0901.11", "coffee machine", "tyres"]
    response = client.post(GOODS_URL, json={"items": items})
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [r["query"] for r in results] == items
    shirts, blank, code, machine, tyres = results
    assert shirts["decision"] == "accepted"
    assert shirts["match"]["id"] == "garments" and shirts["match"]["name"] == "Garments"
    assert set(shirts["match"]) == {"id", "name", "score", "method"}
    assert shirts["candidates"][0] == {
        "id": "garments",
        "name": "Garments",
        "score": shirts["match"]["score"],
    }
    assert shirts["explanation"] and all(f["explanation"] for f in shirts["explanation"])
    assert blank == {
        "query": "",
        "decision": "none",
        "match": None,
        "candidates": [],
        "explanation": [],
        "derived": None,
    }
    assert (code["match"]["name"], code["match"]["method"]) == ("Coffee", "code")
    assert machine["decision"] == "none" and machine["match"] is None
    assert "head_noun" in {f["feature"] for f in machine["explanation"]}
    assert tyres["match"] is None
    assert tyres["derived"]["id"] == "tyres"
    assert {"id": "rubber", "name": "Rubber"} in tyres["derived"]["inputs"]


def test_country_results_carry_iso_codes(client: FlaskClient):
    items = ["CN", "Korea, Rep.", "Unknown", "Dhaka 1207 Bangladesh", "Nigeri"]
    response = client.post(COUNTRIES_URL, json={"items": items})
    assert response.status_code == 200
    china, korea, unknown, dhaka, slip = response.get_json()["results"]
    assert china["match"] == {
        "iso2": "CN",
        "iso3": "CHN",
        "name": "China",
        "score": china["match"]["score"],
        "method": "code",
    }
    assert korea["match"]["iso3"] == "KOR" and korea["decision"] == "accepted"
    assert unknown["decision"] == "none" and unknown["candidates"] == []
    assert dhaka["match"]["iso3"] == "BGD" and dhaka["match"]["method"] == "place"
    assert slip["decision"] != "accepted"
    assert {c["id"] for c in slip["candidates"]} >= {"NER", "NGA"}
    assert "derived" not in china


def test_thresholds_come_from_configuration(app: Flask, client: FlaskClient):
    app.config["MATCH_GOODS_ACCEPT"] = 100.0
    app.config["MATCH_GOODS_REVIEW"] = 99.0
    results = client.post(GOODS_URL, json={"items": ["Cotton", "cotten"]}).get_json()
    assert [r["decision"] for r in results["results"]] == ["accepted", "none"]


def test_more_items_than_the_limit_is_a_problem_naming_it(app: Flask, client: FlaskClient):
    app.config["MATCH_MAX_ITEMS"] = 3
    for url in (GOODS_URL, COUNTRIES_URL):
        assert client.post(url, json={"items": ["a", "b", "c"]}).status_code == 200
        response = client.post(url, json={"items": ["a", "b", "c", "d"]})
        assert response.status_code == 422
        body = problem(response)
        assert "3" in body["detail"] and "MATCH_MAX_ITEMS" in body["detail"]
        assert "items" in body["errors"]


def test_the_default_limit_is_ten_thousand(client: FlaskClient):
    response = client.post(COUNTRIES_URL, json={"items": ["CN"] * 10_001})
    assert response.status_code == 422
    assert "10000" in problem(response)["detail"]
    response = client.post(COUNTRIES_URL, json={"items": ["CN"] * 10_000})
    assert response.status_code == 200
    assert len(response.get_json()["results"]) == 10_000


def test_malformed_requests_are_problems(client: FlaskClient):
    for body in ({}, {"items": "cotton"}, {"items": [1, 2]}, {"items": ["x" * 1001]}):
        response = client.post(GOODS_URL, json=body)
        assert response.status_code == 422
        assert "items" in problem(response)["errors"]["json"]


def test_both_endpoints_are_documented(client: FlaskClient):
    spec = client.get("/api/v1/openapi.json").get_json()
    for path in ("/api/v1/match/goods", "/api/v1/match/countries"):
        operation = spec["paths"][path]["post"]
        assert "200" in operation["responses"] and "422" in operation["responses"]
        assert operation["requestBody"]
