"""Tiny builders for reporting tests: a complete report, its evidence and consistent answers."""

from __future__ import annotations

from datetime import date
from typing import Any

from supplychain.reporting.drafting import draft_sections
from supplychain.reporting.i18n import t
from supplychain.reporting.model import (
    Approval,
    BilingualText,
    EntityDetails,
    EvidenceSummary,
    ExposureRow,
    Language,
    Report,
    ReportSection,
    ScopeBasis,
    SourceEdition,
    empty_sections,
)

TEXTS = {
    "a": (
        "Maple Imports Ltd. is a privately held corporation headquartered in Mississauga, "
        "Ontario. It imports apparel, confectionery and household goods and sells them to "
        "retailers across Canada. It has two subsidiaries, one in Canada and one in Hong Kong "
        "that handles sourcing in Asia.\n\nOur supply chains run through about 1,300 direct "
        "suppliers; we know little about the farms, mills and plants further upstream.",
        "Maple Imports Ltd. est une société fermée dont le siège est à Mississauga, en "
        "Ontario. Elle importe des vêtements, des confiseries et des articles ménagers et les "
        "vend à des détaillants partout au Canada. Elle compte deux filiales, l’une au Canada "
        "et l’autre à Hong Kong, qui s’occupe de l’approvisionnement en Asie.\n\nNos chaînes "
        "d’approvisionnement passent par environ 1 300 fournisseurs directs; nous connaissons "
        "peu les fermes, filatures et usines situées plus en amont.",
    ),
    "b": (
        "Our supplier code of conduct forbids forced labour and child labour and is part of "
        "every purchase contract. A human rights policy approved by the board sets out how we "
        "identify, prevent and address risks, following the OECD due diligence cycle.",
        "Notre code de conduite des fournisseurs interdit le travail forcé et le travail des "
        "enfants et fait partie de chaque contrat d’achat. Une politique sur les droits de la "
        "personne approuvée par le conseil précise comment nous repérons, prévenons et "
        "traitons les risques, selon le cycle de diligence raisonnable de l’OCDE.",
    ),
    "c": (
        "We asked the suppliers of goods with High or Critical exposure for the origin of "
        "their raw materials and for recent social audit reports.",
        "Nous avons demandé aux fournisseurs des biens à exposition élevée ou critique "
        "l’origine de leurs matières premières et leurs plus récents rapports d’audit social.",
    ),
    "d": (
        "We did not identify forced labour or child labour in our supply chains during the "
        "year, so no remediation measures were needed. Our procedure sets out what we would do.",
        "Nous n’avons relevé aucun cas de travail forcé ou de travail des enfants dans nos "
        "chaînes d’approvisionnement au cours de l’exercice; aucune mesure de réparation n’a "
        "donc été nécessaire. Notre procédure précise ce que nous ferions.",
    ),
    "e": (
        "As no case was identified, no measure to remediate the loss of income to vulnerable "
        "families was taken.",
        "Comme aucun cas n’a été relevé, aucune mesure visant à remédier à la perte de "
        "revenus des familles vulnérables n’a été prise.",
    ),
    "f": (
        "All 42 buyers and their managers completed a mandatory two-hour course on forced "
        "labour and child labour indicators.",
        "Les 42 acheteurs et leurs gestionnaires ont suivi une formation obligatoire de deux "
        "heures sur les indicateurs du travail forcé et du travail des enfants.",
    ),
    "g": (
        "We track the share of spend screened, the number of supplier questionnaires "
        "returned, audit findings and their corrective actions, and grievances received.",
        "Nous suivons la part des dépenses évaluées, le nombre de questionnaires retournés par "
        "les fournisseurs, les constats d’audit et les mesures correctives, ainsi que les "
        "plaintes reçues.",
    ),
}


def sample_evidence(**changes: Any) -> EvidenceSummary:
    """An assessment with High and Critical countries and goods and 4% insufficient data."""
    values: dict[str, Any] = {
        "assessment_id": 42,
        "lines": 12480,
        "suppliers": 1312,
        "countries": 47,
        "goods": 356,
        "risk_countries": (
            ExposureRow("CIV", "Côte d'Ivoire", "High", 214, "Côte d’Ivoire"),
            ExposureRow("CHN", "China", "Critical", 38, "Chine"),
            ExposureRow("TKM", "Turkmenistan", "Critical", 12, "Turkménistan"),
            ExposureRow("MYS", "Malaysia", "High", 96),
            ExposureRow("IND", "India", "High", 402),
            ExposureRow("BGD", "Bangladesh", "High", 130),
        ),
        "risk_goods": (
            ExposureRow("cocoa", "Cocoa", "High", 214, "Cacao"),
            ExposureRow("cotton", "Cotton", "Critical", 50, "Coton"),
            ExposureRow("garments", "Garments", "High", 540, "Vêtements"),
            ExposureRow("rubber-gloves", "Rubber gloves", "High", 96, "Gants en caoutchouc"),
        ),
        "share_by_band": {"Low": 0.62, "Medium": 0.21, "High": 0.16, "Critical": 0.01},
        "insufficient_data_share": 0.04,
        "weighting": "lines",
        "model": "labour-risk-v1",
        "profile": "labour-risk-v1-default",
        "reference_version": "2026.11.1",
        "sources": (
            SourceEdition(
                "ilab-tvpra-2022",
                "List of Goods Produced by Child Labor or Forced Labor",
                "U.S. Department of Labor (ILAB)",
                "2022",
            ),
            SourceEdition(
                "tip-2025", "Trafficking in Persons Report", "U.S. Department of State", "2025"
            ),
            SourceEdition(
                "cbp-wro",
                "Withhold Release Orders and Findings",
                "U.S. Customs and Border Protection",
                "2026-11",
            ),
        ),
    }
    values.update(changes)
    return EvidenceSummary(**values)


def sample_report(
    language: Language = "en", evidence: EvidenceSummary | None = None, draft: bool = True
) -> Report:
    """A complete, consistent report in `language`, with drafted statements for (a) and (c)."""
    evidence = evidence or sample_evidence()
    sections = empty_sections()
    for key, (en, fr) in TEXTS.items():
        sections[key] = ReportSection(key, BilingualText(en, fr))
    if draft:
        for key, statements in draft_sections(evidence, "both").items():
            sections[key].statements.extend(statements)
    return Report(
        entity=EntityDetails(
            legal_name="Maple Imports Ltd.",
            business_numbers=["123456789RC0001"],
            financial_year_start=date(2024, 4, 1),
            financial_year_end=date(2025, 3, 31),
            scope=ScopeBasis(canadian_presence=True, assets_20m=True, revenue_40m=True),
            sectors=["naics_41", "naics_44-45"],
            provinces=["ON", "QC"],
            activities=["import_into_canada", "sell_in_canada", "distribute_in_canada"],
            other_laws=["uk_msa"],
        ),
        language=language,
        sections=sections,
        approval=Approval(
            approving_body=BilingualText("the Board of Directors", "le conseil d’administration"),
            approval_date=date(2025, 5, 15),
            signatory_name="Jane Whitfield",
            signatory_title=BilingualText("Chair of the Board", "Présidente du conseil"),
            attestation=BilingualText(
                t("attestation.suggested", "en"), t("attestation.suggested", "fr")
            ),
        ),
        status="approved",
    )


def sample_answers(**changes: Any) -> dict[str, Any]:
    """Answers consistent with `sample_report()` and `sample_evidence()`."""
    answers: dict[str, Any] = {
        "reporting_for": "entity",
        "legal_name": "Maple Imports Ltd.",
        "financial_year_start": "2024-04-01",
        "financial_year_end": "2025-03-31",
        "revised_report": "no",
        "business_numbers": ["123456789RC0001"],
        "joint_report": "no",
        "scope_basis": ["canadian_presence", "assets_20m", "revenue_40m"],
        "sectors": ["naics_41", "naics_44-45"],
        "locations": ["ON", "QC"],
        "activities": ["import_into_canada", "sell_in_canada", "distribute_in_canada"],
        "other_laws": ["uk_msa"],
        "steps_taken": [
            "map_supply_chains",
            "internal_risk_assessment",
            "supplier_code",
            "training",
        ],
        "policies_due_diligence": "yes",
        "due_diligence_elements": ["embed", "identify", "prevent"],
        "risks_identified": "yes",
        "risk_areas": ["supply_chains", "products_commodities", "countries_regions"],
        "risk_products": ["Cocoa", "Cotton", "Garments", "Rubber gloves"],
        "risk_countries": ["CIV", "CHN", "TKM", "MYS", "IND", "BGD"],
        "remediation": "none_identified",
        "income_loss": "not_applicable",
        "training": "yes",
        "training_mandatory": "yes",
        "training_audience": "procurement_only",
        "effectiveness": "yes",
        "effectiveness_methods": ["track_indicators"],
    }
    answers.update(changes)
    return answers
