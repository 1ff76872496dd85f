"""Draft statements for sections (a) and (c) from the evidence, and pre-select the risk answers.

Every drafted statement carries `EvidenceLink`s naming the figures it states, so the report
keeps the path from each sentence back to the assessment and the reference-data version. The
wording is deliberately careful: exposure is a risk suggested by public data about products,
places and enforcement lists, not a finding at a supplier, and missing data is stated, never
folded into "low risk".
"""

from __future__ import annotations

from typing import Any

from supplychain.reporting.i18n import fmt_int, fmt_pct, join_list, t
from supplychain.reporting.model import (
    BANDS,
    HIGH_BANDS,
    DraftedStatement,
    EvidenceLink,
    EvidenceSummary,
    ExposureRow,
    Lang,
    Language,
    report_langs,
)
from supplychain.reporting.questionnaire import (
    COUNTRIES,
    DETAILS_LIMIT,
    NAICS_SECTORS,
    country_label,
)

# How many countries, goods or sectors a sentence names before it stops; the tables and the
# charts of the report carry the full lists.
MAX_NAMED = 12
# Rows per exposure table in the PDF: a portfolio spread over a hundred countries would fill
# pages beyond the ten the guidance asks for; the rest are counted, and the export lists them.
MAX_TABLE_ROWS = 25

_COUNTRY_CODES = frozenset(o.value for o in COUNTRIES)
_SECTOR_CODES = frozenset(o.value for o in NAICS_SECTORS)


def _link(
    evidence: EvidenceSummary, kind: str, value: str | int | float, key: str = ""
) -> EvidenceLink:
    return EvidenceLink(evidence.assessment_id, kind, value, evidence.reference_version, key)


def high_rows(rows: tuple[ExposureRow, ...]) -> list[ExposureRow]:
    """Return the High and Critical rows, Critical first, then by number of lines."""
    kept = [r for r in rows if r.band in HIGH_BANDS and r.lines > 0]
    return sorted(kept, key=lambda r: (-BANDS.index(r.band), -r.lines, r.label))


def row_label(row: ExposureRow, lang: Lang, kind: str) -> str:
    """Return a row's display name in `lang`, deriving French country names from ISO3."""
    if lang == "fr" and not row.label_fr and kind == "country":
        return country_label(row.key, "fr") or row.label
    return row.label_in(lang)


def _items(rows: list[ExposureRow], lang: Lang, kind: str) -> str:
    named = [
        t(
            "draft.c.item_one" if r.lines == 1 else "draft.c.item",
            lang,
            name=row_label(r, lang, kind),
            band=t(f"band.{r.band}", lang),
            lines=fmt_int(r.lines, lang),
        )
        for r in rows[:MAX_NAMED]
    ]
    if len(rows) > MAX_NAMED:
        named.append(t("draft.c.more", lang, count=len(rows) - MAX_NAMED))
    return join_list(named, lang)


def _scope_statement(evidence: EvidenceSummary, lang: Lang) -> DraftedStatement:
    text = t(
        "draft.a.scope",
        lang,
        lines=fmt_int(evidence.lines, lang),
        suppliers=fmt_int(evidence.suppliers, lang),
        countries=fmt_int(evidence.countries, lang),
        goods=fmt_int(evidence.goods, lang),
    )
    links = [
        _link(evidence, "count_lines", evidence.lines),
        _link(evidence, "count_suppliers", evidence.suppliers),
        _link(evidence, "count_countries", evidence.countries),
        _link(evidence, "count_goods", evidence.goods),
    ]
    return DraftedStatement(text, links, lang)


def _sources_text(evidence: EvidenceSummary, lang: Lang) -> str:
    return t("list.sep", lang).join(
        t("source.item", lang, title=s.title, edition=s.edition) for s in evidence.sources
    )


def _method_statement(evidence: EvidenceSummary, lang: Lang) -> DraftedStatement:
    text = t(
        "draft.c.method",
        lang,
        reference=evidence.reference_version,
        model=evidence.model,
        profile=evidence.profile,
        sources=_sources_text(evidence, lang),
    )
    links = [_link(evidence, "method", evidence.model, key=evidence.profile)]
    links += [_link(evidence, "source", s.edition, key=s.id) for s in evidence.sources]
    return DraftedStatement(text, links, lang)


def _rows_statement(
    evidence: EvidenceSummary, lang: Lang, rows: list[ExposureRow], kind: str
) -> DraftedStatement:
    singular = {"countries": "country", "goods": "good", "sectors": "sector"}[kind]
    text = t(f"draft.c.{kind}", lang, items=_items(rows, lang, singular))
    link_kind = {"countries": "risk_country", "goods": "risk_good", "sectors": "risk_sector"}[kind]
    links = [_link(evidence, link_kind, r.lines, key=f"{r.key}:{r.band}") for r in rows]
    return DraftedStatement(text, links, lang)


def _bands_statement(evidence: EvidenceSummary, lang: Lang) -> DraftedStatement:
    shares = {b: evidence.share_by_band.get(b, 0.0) for b in BANDS}
    text = t(
        "draft.c.bands",
        lang,
        weighting=t(f"draft.weighting.{evidence.weighting}", lang),
        **{b.lower(): fmt_pct(shares[b], lang) for b in BANDS},
    )
    links = [_link(evidence, "share_band", shares[b], key=b) for b in BANDS]
    return DraftedStatement(text, links, lang)


def _section_c(evidence: EvidenceSummary, lang: Lang) -> list[DraftedStatement]:
    statements = [_method_statement(evidence, lang)]
    countries = high_rows(evidence.risk_countries)
    goods = high_rows(evidence.risk_goods)
    sectors = high_rows(evidence.risk_sectors)
    if countries:
        statements.append(_rows_statement(evidence, lang, countries, "countries"))
    if goods:
        statements.append(_rows_statement(evidence, lang, goods, "goods"))
    if sectors:
        statements.append(_rows_statement(evidence, lang, sectors, "sectors"))
    if not evidence.high_or_critical:
        statements.append(
            DraftedStatement(
                t("draft.c.none", lang), [_link(evidence, "count_high_lines", 0)], lang
            )
        )
    if evidence.share_by_band:
        statements.append(_bands_statement(evidence, lang))
    if evidence.insufficient_data_share > 0:
        share = evidence.insufficient_data_share
        statements.append(
            DraftedStatement(
                t("draft.c.insufficient", lang, share=fmt_pct(share, lang)),
                [_link(evidence, "insufficient_data_share", share)],
                lang,
            )
        )
    statements.append(
        DraftedStatement(
            t("draft.c.caveat", lang),
            [_link(evidence, "method", evidence.model, key=evidence.profile)],
            lang,
        )
    )
    return statements


def draft_sections(evidence: EvidenceSummary, lang: Language) -> dict[str, list[DraftedStatement]]:
    """Draft statements for sections (a) and (c) in `lang` ("both" drafts EN then FR)."""
    drafted: dict[str, list[DraftedStatement]] = {"a": [], "c": []}
    for one in report_langs(lang):
        drafted["a"].append(_scope_statement(evidence, one))
        drafted["c"].extend(_section_c(evidence, one))
    return drafted


def preselect_risks(evidence: EvidenceSummary, lang: Lang = "en") -> dict[str, Any]:
    """Pre-select the questionnaire's "risks identified" answers from the evidence.

    "yes" is pre-selected when any line reached High or Critical exposure, with the countries
    (ISO3), goods and sectors concerned. Nothing is pre-selected otherwise: the absence of High
    exposure in public data does not show that there is no risk, so "no" stays a human answer.
    """
    if not evidence.high_or_critical:
        return {}
    countries = [r.key for r in high_rows(evidence.risk_countries) if r.key in _COUNTRY_CODES]
    goods = [row_label(r, lang, "good") for r in high_rows(evidence.risk_goods)]
    sectors = [
        f"naics_{r.key}"
        for r in high_rows(evidence.risk_sectors)
        if f"naics_{r.key}" in _SECTOR_CODES
    ]
    areas = ["supply_chains"]
    if sectors:
        areas.append("sectors_industries")
    if goods:
        areas.append("products_commodities")
    if countries:
        areas.append("countries_regions")
    answers: dict[str, Any] = {"risks_identified": "yes", "risk_areas": areas}
    if sectors:
        answers["risk_sectors"] = sectors
    if goods:
        answers["risk_products"] = list(dict.fromkeys(goods))
    if countries:
        answers["risk_countries"] = list(dict.fromkeys(countries))
    method = _method_statement(evidence, lang).text
    if evidence.insufficient_data_share > 0:
        method += " " + t(
            "draft.c.insufficient", lang, share=fmt_pct(evidence.insufficient_data_share, lang)
        )
    answers["risks_identified.details"] = _clip(method, DETAILS_LIMIT)
    return answers


def _clip(text: str, limit: int) -> str:
    """Shorten `text` to `limit` characters at a word boundary, marking the cut with "…"."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"
