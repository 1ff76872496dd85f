"""POST /api/v1/screen/suppliers: records per supplier, limits, problems, OpenAPI."""

from __future__ import annotations

import pytest

from supplychain.services import screening
from supplychain.services.refdata import get_reference

URL = "/api/v1/screen/suppliers"


def post(client, *items):
    return client.post(URL, json={"items": list(items)})


def test_each_item_gets_one_result_in_order(client):
    response = post(
        client,
        {"name": "Hotan Taida Apparel Co Ltd", "country": "China"},
        {"name": "Acme Widgets", "country": None},
        {"name": ""},
    )
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [r["query"] for r in results] == ["Hotan Taida Apparel Co Ltd", "Acme Widgets", ""]
    assert [r["country"] for r in results] == ["CHN", None, None]
    assert results[1]["hits"] == results[2]["hits"] == []


def test_a_hit_names_the_list_the_entity_and_the_reasons(client):
    result = post(client, {"name": "Hotan Taida Apparel Co Ltd", "country": "CN"}).get_json()
    hits = result["results"][0]["hits"]
    assert {(h["list"], h["entity_id"]) for h in hits} >= {
        ("cbp-wro", "cbp-wro-032"),
        ("uflpa", "uflpa-004"),
    }
    hit = hits[0]
    assert set(hit) == {"list", "entity_id", "name", "score", "match", "decision", "method",
                        "explanation"}  # fmt: skip
    assert hit["name"] == "Hetian Taida Apparel Co., Ltd."
    assert hit["match"] is True and hit["decision"] == "accepted"
    assert any("transliteration" in line for line in hit["explanation"])
    assert any("CHN" in line for line in hit["explanation"])
    assert hit["explanation"][0].startswith(f"listed on {hit['list']}")


def test_near_misses_are_shown_but_do_not_count(client):
    hits = post(client, {"name": "Giant Eagle Inc.", "country": "US"}).get_json()["results"][0][
        "hits"
    ]
    assert [h["entity_id"] for h in hits] == ["cbp-wro-051"]
    assert hits[0]["match"] is False and hits[0]["decision"] == "none"
    assert 60 <= hits[0]["score"] < 80


def test_hits_are_sorted_by_score(client):
    hits = post(client, {"name": "Xinjiang Zhongtai Chemical Co Ltd"}).get_json()["results"][0][
        "hits"
    ]
    assert len(hits) >= 2
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)


def test_an_unknown_country_is_screened_without_one_and_says_so(client):
    result = post(client, {"name": "Top Glove", "country": "Atlantis"}).get_json()["results"][0]
    assert result["country"] is None
    assert result["warnings"] and "Atlantis" in result["warnings"][0]
    assert result["hits"][0]["entity_id"] == "cbp-wro-045"


def test_thresholds_come_from_configuration(app, client):
    app.config["SCREEN_SUPPLIERS_REVIEW"] = 50.0
    hit = post(client, {"name": "Giant Eagle Inc."}).get_json()["results"][0]["hits"][0]
    assert hit["match"] is True and hit["decision"] == "review"
    model = post(client, {"name": "x"}).get_json()["model"]
    assert model["review"] == 50.0 and model["name"] == "supplier-screening-v2"
    assert model["reference_version"] == get_reference(app.config).version


def test_more_items_than_the_limit_is_a_problem(app, client):
    app.config["MATCH_MAX_ITEMS"] = 3
    assert post(client, *[{"name": "a"}] * 3).status_code == 200
    response = post(client, *[{"name": "a"}] * 4)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == 422 and "items" in body["errors"]


def test_the_default_limit_is_ten_thousand(client):
    assert post(client, *[{"name": "Acme"}] * 10_000).status_code == 200
    assert post(client, *[{"name": "Acme"}] * 10_001).status_code == 422


@pytest.mark.parametrize(
    "body",
    [{}, {"items": "Acme"}, {"items": [{"country": "CN"}]}, {"items": [{"name": 3}]},
     {"items": [{"name": "Acme", "colour": "red"}]}],
)  # fmt: skip
def test_malformed_requests_are_problems(client, body):
    response = client.post(URL, json=body)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["errors"]


def test_the_endpoint_is_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/screen/suppliers"]["post"]
    assert {"200", "422"} <= set(operation["responses"])
    schemas = spec["components"]["schemas"]
    assert "explanation" in schemas["ScreeningHit"]["properties"]


def test_the_screener_is_built_once_per_reference_version(app):
    reference = get_reference(app.config)
    assert screening.screener(reference) is screening.screener(reference)
