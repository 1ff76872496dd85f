"""Drafting sections (a) and (c) from the evidence, and pre-selecting the risk answers."""

from __future__ import annotations

from supplychain.reporting.drafting import MAX_NAMED, draft_sections, preselect_risks
from supplychain.reporting.i18n import NBSP
from supplychain.reporting.model import ExposureRow
from supplychain.reporting.questionnaire import DETAILS_LIMIT, validate_answers
from tests.supplychain.reporting.builders import sample_answers, sample_evidence


def texts(statements) -> str:
    return " ".join(s.text for s in statements)


def test_section_a_states_the_counts_and_links_each_to_the_assessment():
    evidence = sample_evidence()
    (statement,) = draft_sections(evidence, "en")["a"]
    for figure in ("12,480", "1,312", "47", "356"):
        assert figure in statement.text
    assert {(link.kind, link.value) for link in statement.evidence} == {
        ("count_lines", 12480),
        ("count_suppliers", 1312),
        ("count_countries", 47),
        ("count_goods", 356),
    }
    assert {(link.assessment_id, link.reference_version) for link in statement.evidence} == {
        (42, "2026.11.1")
    }


def test_section_c_names_countries_goods_bands_method_and_sources():
    drafted = draft_sections(sample_evidence(), "en")["c"]
    text = texts(drafted)
    assert "China (Critical, 38 lines)" in text
    assert "Côte d'Ivoire (High, 214 lines)" in text
    assert "Cotton (Critical, 50 lines)" in text
    assert "labour-risk-v1" in text and "labour-risk-v1-default" in text and "2026.11.1" in text
    assert "List of Goods Produced by Child Labor or Forced Labor (2022)" in text
    assert "62% of our purchases showed Low exposure" in text


def test_every_drafted_statement_links_to_its_data():
    drafted = draft_sections(sample_evidence(), "both")
    for statements in drafted.values():
        for statement in statements:
            assert statement.evidence, statement.text
    countries = {
        link.key for s in drafted["c"] for link in s.evidence if link.kind == "risk_country"
    }
    assert {"CIV:High", "CHN:Critical", "TKM:Critical"} <= countries


def test_the_wording_is_honest_about_what_exposure_means_and_about_missing_data():
    text = texts(draft_sections(sample_evidence(), "en")["c"])
    assert "not a finding of forced labour or child labour" in text
    assert "For 4% of our purchases" in text and "not as low risk" in text


def test_french_drafts_use_french_names_numbers_and_bands():
    drafted = draft_sections(sample_evidence(), "fr")
    assert f"12{NBSP}480" in drafted["a"][0].text
    text = texts(drafted["c"])
    assert "Côte d’Ivoire (Élevée, 214 lignes)" in text
    assert "Malaisie (Élevée, 96 lignes)" in text  # French name derived from the ISO3 code
    assert "Coton (Critique, 50 lignes)" in text
    assert {s.lang for s in drafted["c"]} == {"fr"}


def test_both_languages_draft_twice():
    drafted = draft_sections(sample_evidence(), "both")
    assert [s.lang for s in drafted["a"]] == ["en", "fr"]


def test_without_high_exposure_the_draft_says_so_without_claiming_absence():
    calm = sample_evidence(
        risk_countries=(), risk_goods=(), share_by_band={"Low": 0.8, "Medium": 0.2}
    )
    text = texts(draft_sections(calm, "en")["c"])
    assert "No line reached High or Critical exposure" in text
    assert "does not show that our supply chains are free" in text
    assert preselect_risks(calm) == {}


def test_long_lists_are_cut_and_counted():
    rows = tuple(ExposureRow(f"G{i}", f"Good {i}", "High", 10 + i) for i in range(MAX_NAMED + 3))
    text = texts(draft_sections(sample_evidence(risk_goods=rows), "en")["c"])
    assert "and 3 more" in text


def test_preselected_risks_are_valid_answers():
    answers = preselect_risks(sample_evidence())
    assert answers["risks_identified"] == "yes"
    assert answers["risk_countries"] == ["CHN", "TKM", "IND", "CIV", "BGD", "MYS"]
    assert answers["risk_products"] == ["Cotton", "Garments", "Cocoa", "Rubber gloves"]
    assert "countries_regions" in answers["risk_areas"]
    assert len(answers["risks_identified.details"]) <= DETAILS_LIMIT
    merged = {**sample_answers(), **answers}
    assert validate_answers(merged) == []


def test_preselected_details_are_clipped_to_the_box():
    sources = sample_evidence().sources * 40
    answers = preselect_risks(sample_evidence(sources=sources), "fr")
    assert len(answers["risks_identified.details"]) <= DETAILS_LIMIT
    assert answers["risks_identified.details"].endswith("…")


def test_spend_weighted_shares_say_so():
    text = texts(draft_sections(sample_evidence(weighting="spend"), "en")["c"])
    assert "Measured by spend, 62% of our purchases showed Low exposure" in text
