"""The PDF: headings, attestation, annex, languages, page numbers, metadata, fonts, length."""

from __future__ import annotations

import io
import re
import string
from dataclasses import replace
from functools import cache

import pytest
from pypdf import PdfReader

from supplychain.reporting.checks import estimate_pages
from supplychain.reporting.drafting import MAX_TABLE_ROWS
from supplychain.reporting.i18n import CATALOGUE, t
from supplychain.reporting.model import (
    LANGS,
    SECTIONS,
    BilingualText,
    ExposureRow,
    Lang,
    Language,
    Report,
)
from supplychain.reporting.pdf import render_pdf
from supplychain.reporting.questionnaire import QUESTIONS_BY_ID
from tests.supplychain.reporting.builders import sample_evidence, sample_report


def normalise(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


@cache
def rendered(language: Language) -> bytes:
    return render_pdf(sample_report(language), sample_evidence())


@cache
def pdf_text(language: Language) -> str:
    reader = PdfReader(io.BytesIO(rendered(language)))
    return normalise("\n".join(page.extract_text() for page in reader.pages))


def headings(lang: Lang) -> list[str]:
    keys = ["entity.heading", "annex.heading", "attestation.heading", "toc.title"]
    return [normalise(t(k, lang)) for k in keys] + [
        normalise(f"({key}) {t(f'section.{key}', lang)}") for key in SECTIONS
    ]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_heading_attestation_and_the_sources_annex_are_printed(language: Lang):
    text = pdf_text(language)
    for heading in headings(language):
        assert heading in text
    assert normalise(t("doc.title", language)) in text
    assert normalise(t("attestation.suggested", language)) in text
    assert normalise(t("attestation.authority", language, entity="Maple Imports Ltd")) in text
    assert "Jane Whitfield" in text
    for source in sample_evidence().sources:
        assert source.title in text and source.publisher in text
    assert "labour-risk-v1-default" in text and "2026.11.1" in text


def test_the_user_text_is_printed_as_entered():
    assert "It has two subsidiaries, one in Canada and one in Hong Kong" in pdf_text("en")
    assert "l’autre à Hong Kong, qui s’occupe de l’approvisionnement en Asie" in pdf_text("fr")


def test_charts_and_tables_name_countries_and_goods_in_the_language():
    assert "Côte d'Ivoire" in pdf_text("en") and "Rubber gloves" in pdf_text("en")
    assert "Turkménistan" in pdf_text("fr") and "Gants en caoutchouc" in pdf_text("fr")
    assert normalise(t("chart.countries", "fr")) in pdf_text("fr")
    assert normalise(t("chart.bands.lines", "en")) in pdf_text("en")


def english_fragments() -> set[str]:
    """Return the English fixed texts (split at placeholders) that French never uses."""
    french = " ".join(normalise(e["fr"]) for e in CATALOGUE.values())
    pieces = [e["en"] for e in CATALOGUE.values() if e["en"] != e["fr"]]
    used = [
        ("sectors", "naics_41"),
        ("sectors", "naics_44-45"),
        ("locations", "QC"),
        ("activities", "import_into_canada"),
        ("activities", "sell_in_canada"),
        ("other_laws", "uk_msa"),
    ]
    for question, value in used:
        option = QUESTIONS_BY_ID[question].option(value)
        assert option is not None
        if option.en != option.fr:
            pieces.append(option.en)
    fragments = set()
    for piece in pieces:
        for literal, *_ in string.Formatter().parse(piece):
            fragment = normalise(literal).strip(" .,:;()")
            if len(fragment) >= 4 and fragment not in french:
                fragments.add(fragment)
    return fragments


def test_a_french_render_contains_no_english_fixed_text():
    text = pdf_text("fr")
    found = sorted(f for f in english_fragments() if re.search(rf"\b{re.escape(f)}\b", text))
    assert found == []


def test_the_english_check_would_notice_english_text():
    assert "Approval and attestation" in english_fragments()
    assert re.search(r"\bApproval and attestation\b", pdf_text("both"))


def test_a_bilingual_render_holds_both_languages():
    text = pdf_text("both")
    for lang in LANGS:
        for heading in headings(lang):
            assert heading in text
    assert text.index(normalise(t("cover.version_en", "en"))) < text.index(
        normalise(t("cover.version_fr", "fr"))
    )


@pytest.mark.parametrize(("language", "label"), [("en", "Page {} of {}"), ("fr", "Page {} de {}")])
def test_every_page_is_numbered_page_x_of_y(language: Language, label: str):
    reader = PdfReader(io.BytesIO(rendered(language)))
    pages = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        assert label.format(number, pages) in normalise(page.extract_text())


def test_metadata_title_author_subject_keywords_and_language():
    reader = PdfReader(io.BytesIO(rendered("fr")))
    meta = reader.metadata
    assert meta is not None
    assert meta.title == f"{t('doc.title', 'fr')} – Maple Imports Ltd."
    assert meta.author == "Maple Imports Ltd."
    assert "1er avril 2024" in (meta.subject or "")
    assert "travail forcé" in meta["/Keywords"]
    assert reader.trailer["/Root"]["/Lang"] == "fr-CA"
    assert PdfReader(io.BytesIO(rendered("en"))).trailer["/Root"]["/Lang"] == "en-CA"


def test_fonts_are_embedded_truetype():
    reader = PdfReader(io.BytesIO(rendered("fr")))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(font.get_object()["/BaseFont"])
    assert fonts == {
        "/AAAAAA+BitstreamVeraSans-Roman",
        "/AAAAAA+BitstreamVeraSans-Bold",
        "/AAAAAA+BitstreamVeraSans-Oblique",
    }


def test_contents_list_the_sections_with_page_numbers():
    first = normalise(PdfReader(io.BytesIO(rendered("en"))).pages[0].extract_text())
    assert re.search(r"\(g\) How the entity assesses .*? \d+", first)


def test_an_empty_report_renders_with_placeholders():
    text = normalise(
        "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(Report()))).pages)
    )
    assert t("section.empty", "en") in text
    assert t("attestation.missing", "en") in text
    assert t("annex.no_sources", "en") in text
    assert t("name.unknown", "en") in text


def test_text_is_escaped_not_interpreted_as_markup():
    report = sample_report("en")
    report.sections["b"].text = BilingualText(en="Suppliers <b>must</b> sign & return it.")
    reader = PdfReader(io.BytesIO(render_pdf(report, sample_evidence())))
    assert "Suppliers <b>must</b> sign & return it." in " ".join(
        p.extract_text() for p in reader.pages
    )


def test_the_language_can_differ_from_the_report_setting():
    assert len(PdfReader(io.BytesIO(render_pdf(sample_report("en"), lang="both"))).pages) > len(
        PdfReader(io.BytesIO(render_pdf(sample_report("en"), lang="en"))).pages
    )


@pytest.mark.parametrize("language", ["en", "both"])
@pytest.mark.parametrize("paragraphs", [0, 3, 8, 20])
def test_the_page_estimate_stays_close_to_the_rendered_count(language: Language, paragraphs: int):
    para = "Our buyers reviewed lead times and order changes with each factory. " * 6
    report = sample_report(language)
    for section in report.sections.values():
        extra = "\n\n".join([para] * paragraphs)
        section.text = BilingualText(
            f"{section.text.en}\n\n{extra}", f"{section.text.fr}\n\n{extra}"
        )
    pages = len(PdfReader(io.BytesIO(render_pdf(report, sample_evidence()))).pages)
    assert abs(estimate_pages(report, sample_evidence()) - pages) <= 1.5


def test_spend_weighted_evidence_is_captioned_as_spend():
    data = render_pdf(sample_report("fr"), sample_evidence(weighting="spend"))
    text = normalise(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))
    assert normalise(t("chart.bands.spend", "fr")) in text


def test_long_exposure_tables_are_cut_and_the_rest_counted():
    rows = tuple(
        ExposureRow(f"C{n:02d}", f"Country number {n}", "High", 1000 - n) for n in range(40)
    )
    evidence = replace(sample_evidence(), risk_countries=rows)
    text = normalise(
        " ".join(
            p.extract_text()
            for p in PdfReader(io.BytesIO(render_pdf(sample_report("en"), evidence))).pages
        )
    )
    assert f"Country number {MAX_TABLE_ROWS - 1}" in text
    assert f"Country number {MAX_TABLE_ROWS}" not in text.replace(
        f"Country number {MAX_TABLE_ROWS - 1}", ""
    )
    assert normalise(t("table.more", "en", count=40 - MAX_TABLE_ROWS)) in text
