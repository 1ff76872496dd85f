"""The public reference-data pages: goods, countries, enforcement lists and sources."""

from __future__ import annotations

import csv
import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from reference_data import DATA_DIR
from supplychain import create_app
from supplychain.services.refdata import get_reference


def text_of(response) -> str:
    """Return a page's text with entities decoded and whitespace collapsed."""
    return " ".join(html.unescape(response.get_data(as_text=True)).split())


def page(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    assert response.mimetype == "text/html"
    return text_of(response)


def table_rows(text: str) -> list[str]:
    """Return the body rows of the page's tables."""
    return re.findall(r"<tr(?: [^>]*)?>(.*?)</tr>", text)


def row_with(text: str, needle: str) -> str:
    return next(row for row in table_rows(text) if needle in row)


def csv_row(relative: str, **match: str) -> dict[str, str]:
    with (DATA_DIR / relative).open(encoding="utf-8", newline="") as handle:
        return next(r for r in csv.DictReader(handle) if all(r[k] == v for k, v in match.items()))


@pytest.fixture
def layered_client(tmp_path: Path) -> Iterator[FlaskClient]:
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


def test_navigation_links_every_section(client: FlaskClient):
    text = page(client, "/")
    for url in ('href="/goods"', 'href="/countries"', 'href="/lists"', 'href="/about"'):
        assert url in text


# Goods


def test_goods_page_lists_the_latest_edition_with_counts(client: FlaskClient, app: Flask):
    ref = get_reference(app.config)
    total = len(ref.listed_goods(2022))
    text = page(client, "/goods")
    assert f"Showing {total} of {total} goods on the 2022 edition" in re.sub(
        r"</?strong>", "", text
    )
    cocoa = row_with(text, 'href="/goods/cocoa"')
    assert "Agriculture" in cocoa and "Forced child labour" in cocoa and "1801" in cocoa
    assert '<label for="q">' in text and 'method="get"' in text


def test_goods_search_by_french_alias_narrows_the_list(client: FlaskClient):
    text = page(client, "/goods?q=f%C3%A8ves+de+cacao")
    assert 'href="/goods/cocoa"' in text
    assert 'href="/goods/bananas"' not in text
    assert 'value="fèves de cacao"' in text  # the form keeps the query, so the URL is shareable


def test_goods_filter_by_flag_sector_and_edition(client: FlaskClient):
    text = page(client, "/goods?flag=forced-child-labour")
    assert 'href="/goods/cocoa"' in text and 'href="/goods/acai-berries"' not in text
    assert '<option value="forced-child-labour" selected>' in text
    text = page(client, "/goods?sector=Mining")
    assert 'href="/goods/gold"' in text and 'href="/goods/cocoa"' not in text
    text = page(client, "/goods?edition=2018")
    assert "goods on the 2018 edition" in text
    assert 'href="/goods/lithium-ion-batteries"' not in text
    assert 'href="/goods/lithium-ion-batteries"' in page(client, "/goods")


def test_goods_page_can_show_derived_products(client: FlaskClient):
    text = page(client, "/goods?kind=derived")
    assert 'href="/goods/chocolate"' in text and 'href="/goods/cocoa"' not in text
    assert "derived products" in text


def test_goods_page_with_unknown_edition_is_an_error_page(client: FlaskClient):
    text = page(client, "/goods?edition=1999", status=422)
    assert "1999" in text


def test_good_page_shows_countries_citations_and_relations(client: FlaskClient):
    text = page(client, "/goods/cocoa")
    expected = csv_row("ilab_tvpra/edition_2022.csv", good_id="cocoa", country_iso3="CIV")
    civ = row_with(text, 'href="/countries/CIV"')
    assert f"ILAB TVPRA 2022, row {expected['row']}" in civ
    assert "Forced child labour" in civ
    assert "Côte d'Ivoire" in civ
    assert "fèves de cacao" in text and "1801" in text
    assert 'href="/goods/chocolate"' in text  # made into (a derived product)
    for year in (2022, 2020, 2018):
        assert f'href="/goods/cocoa?edition={year}#listings"' in text
    assert "not on the ILAB list" not in text


def test_good_page_shows_an_older_edition(client: FlaskClient):
    text = page(client, "/goods/cocoa?edition=2018")
    assert "Countries in the 2018 edition" in text
    assert "ILAB TVPRA 2018, row" in text and "ILAB TVPRA 2022, row" not in text


def test_good_page_shows_downstream_input(client: FlaskClient):
    text = page(client, "/goods/lithium-ion-batteries")
    row = row_with(text, 'href="/goods/cobalt-ore-heterogenite"')
    assert 'href="/countries/COD"' in row and 'href="/countries/CHN"' in row
    assert "Downstream rows" in text


def test_good_page_shows_rules_about_it(client: FlaskClient):
    row = row_with(page(client, "/goods/gold"), "rule-003")
    assert 'href="/countries/COD"' in row and "eastern DRC" in row


def test_good_page_links_the_goods_it_is_a_kind_of_and_its_kinds(client: FlaskClient):
    kinds = page(client, "/goods/bricks-clay").split('id="kinds"', 1)[1].split("</section>")[0]
    assert "Bricks (clay) is a kind of:" in kinds and 'href="/goods/bricks"' in kinds
    kinds = page(client, "/goods/bricks").split('id="kinds"', 1)[1].split("</section>")[0]
    assert "Kinds of Bricks:" in kinds and 'href="/goods/bricks-clay"' in kinds


def test_derived_product_page_is_labelled(client: FlaskClient):
    text = page(client, "/goods/chocolate")
    assert "Not on the ILAB list; made from listed inputs." in text
    assert 'href="/goods/cocoa"' in text
    assert "ILAB TVPRA" not in text


def test_unknown_good_is_a_404_page(client: FlaskClient):
    assert "no-such-good" in page(client, "/goods/no-such-good", status=404)


# Countries


def test_countries_page_shows_indicators(client: FlaskClient, app: Flask):
    ref = get_reference(app.config)
    text = page(client, "/countries")
    civ = row_with(text, 'href="/countries/CIV"')
    listed = len({x.good_id for x in ref.listings_for_country("CIV")})
    assert f'<td class="num">{listed}</td>' in civ
    assert ref.tip["CIV"].tier in civ and "CI · CIV · 384" in civ
    assert f"of {len(ref.countries)} countries" in text


def test_countries_search_and_region_filter(client: FlaskClient):
    text = page(client, "/countries?q=ivoire")
    assert 'href="/countries/CIV"' in text and 'href="/countries/FRA"' not in text
    text = page(client, "/countries?region=Africa")
    assert 'href="/countries/CIV"' in text and 'href="/countries/CHN"' not in text
    assert '<option value="Africa" selected>' in text


def test_country_profile_is_case_insensitive(client: FlaskClient):
    text = page(client, "/countries/civ")
    assert "<h1>Côte d'Ivoire</h1>" in text
    expected = csv_row("ilab_tvpra/edition_2022.csv", good_id="cocoa", country_iso3="CIV")
    cocoa = row_with(text, 'href="/goods/cocoa"')
    assert "Forced child labour" in cocoa
    assert f"ILAB TVPRA 2022, row {expected['row']}" in cocoa
    assert "Goods listed in the 2022 edition" in text


def test_country_profile_shows_findings_and_tip(client: FlaskClient, app: Flask):
    ref = get_reference(app.config)
    findings = ref.findings["CIV"]
    text = page(client, "/countries/CIV")
    assert f"in the {ref.tip['CIV'].report_year} report" in text
    assert findings.advancement_level in text
    if findings.working_children_pct is not None:
        assert f"{findings.working_children_pct * 100:.1f}%" in text


def test_country_profile_edition_selector(client: FlaskClient):
    text = page(client, "/countries/CIV?edition=2018")
    assert "Goods listed in the 2018 edition" in text
    assert '<option value="2018" selected>' in text
    assert "ILAB TVPRA 2018, row" in text and "ILAB TVPRA 2022, row" not in text


def test_country_profile_shows_enforcement(client: FlaskClient):
    text = page(client, "/countries/COD")
    assert "rule-003" in text and "eastern DRC" in text
    text = page(client, "/countries/CHN")
    assert "Xinjiang Production and Construction Corps" in text and "XPCC" in text


def test_unknown_country_is_a_404_page(client: FlaskClient):
    assert "XXZ" in page(client, "/countries/XXZ", status=404)


def test_walk_free_figures_only_when_the_layer_is_on(
    client: FlaskClient, layered_client: FlaskClient
):
    assert "Global Slavery Index" not in page(client, "/countries/IND")
    text = page(layered_client, "/countries/IND")
    assert "Global Slavery Index" in text
    assert "not an open licence" in text
    expected = csv_row("optional/walkfree_gsi_2023.csv", iso3="IND")
    assert f"{float(expected['prevalence_per_1000'])} per 1,000 people" in text


# Enforcement lists and sources


def test_lists_page_shows_both_lists_with_trust_and_rules(client: FlaskClient):
    text = page(client, "/lists")
    assert "Withhold Release Orders and Findings" in text and "UFLPA Entity List" in text
    assert "Trust D" in text and "Partial and possibly wrong" in text
    xpcc = row_with(text, "Xinjiang Production and Construction Corps")
    assert "XPCC" in xpcc and 'href="/countries/CHN"' in xpcc
    rule = row_with(text, "rule-001")
    assert 'href="/goods/cotton"' in rule and 'href="/countries/TKM"' in rule


def test_about_page_lists_every_source_and_the_version(client: FlaskClient, app: Flask):
    ref = get_reference(app.config)
    text = page(client, "/about")
    assert ref.version in text and ref.release in text
    assert "first 8 hexadecimal digits" in text
    for source in ref.sources:
        assert f'id="source-{source.id}"' in text
        assert source.licence in text
        assert source.sha256[:12] in text
    assert "Third-party transcription" in text
    assert "<code>walkfree-gsi-2023</code>: off" in text
    # An optional layer that is off is still described, and said to be off.
    assert 'id="source-walkfree-gsi-2023"' in text and "(optional layer, off)" in text
    assert "walkfree-gsi-2023" not in {source.id for source in ref.sources}


def test_about_page_with_the_layer_on(layered_client: FlaskClient):
    text = page(layered_client, "/about")
    assert "<code>walkfree-gsi-2023</code>: on" in text
    assert 'id="source-walkfree-gsi-2023"' in text and "(optional layer, off)" not in text
