"""Builders for report tests: a finished assessment, a principal, and a report ready to approve."""

from __future__ import annotations

from typing import Any

from flask import Flask

from supplychain.extensions import db
from supplychain.models.accounts import Organisation, User
from supplychain.models.assessments import Assessment
from supplychain.models.reports import Report
from supplychain.services import reports, uploads
from supplychain.services.access import Principal
from supplychain.services.report_json import DERIVED_ANSWERS
from tests.supplychain.reporting.builders import TEXTS

# A small export with High and Critical lines (Chinese and Turkmen cotton, Ivorian cocoa)
# and a line with nothing to go on (insufficient data).
SUPPLIERS_CSV = (
    "Supplier,Country,Product description,Spend,Currency\r\n"
    "Hetian Taida Apparel Co Ltd,China,cotton t-shirts,12500,CAD\r\n"
    "Ashgabat Textile Export,Turkmenistan,raw cotton lint,8000,CAD\r\n"
    "Abidjan Cocoa Export SA,CIV,cocoa beans,22000,CAD\r\n"
    "Cairo Garments Co,Egypt,mens cotton t-shirts,4100,CAD\r\n"
    "Müller Armaturen GmbH,DE,stainless steel ball valves,900,CAD\r\n"
    "Acme Widgets,,N/A,50,CAD\r\n"
)
# A second list: one supplier again (counted once across both), and Malaysian gloves.
MORE_SUPPLIERS_CSV = (
    "Supplier,Country,Product description,Spend,Currency\r\n"
    "Hetian Taida Apparel Co Ltd,China,cotton t-shirts,9000,CAD\r\n"
    "Klang Glove Sdn Bhd,Malaysia,nitrile rubber gloves,15000,CAD\r\n"
)


def principal_for(user: User) -> Principal:
    """Act as a logged-in user, as the views do."""
    return Principal(organisation=user.organisation, role=user.role, user=user)


def finished_assessment(
    app: Flask, organisation: Organisation, body: str = SUPPLIERS_CSV, name: str = "erp.csv"
) -> Assessment:
    """Upload a list for an organisation and assess it inline; return the done assessment."""
    app.config["JOBS_MODE"] = "inline"
    upload = uploads.create_upload(organisation.id, body.encode("utf-8"), name)
    assessment = uploads.start_assessment(upload)
    db.session.commit()
    db.session.refresh(assessment)
    assert assessment.status == "done", assessment.error
    return assessment


COMPLETE_ENTITY: dict[str, Any] = {
    "legal_name": "Maple Imports Ltd.",
    "business_numbers": ["123456789RC0001"],
    "financial_year_start": "2025-01-01",
    "financial_year_end": "2025-12-31",
    "scope": {"canadian_presence": True, "assets_20m": True, "revenue_40m": True},
    "sectors": ["naics_41", "naics_44-45"],
    "provinces": ["ON", "QC"],
    "activities": ["import_into_canada", "sell_in_canada"],
    "other_laws": ["uk_msa"],
}
COMPLETE_ANSWERS: dict[str, Any] = {
    "steps_taken": ["map_supply_chains", "internal_risk_assessment", "supplier_code", "training"],
    "policies_due_diligence": "yes",
    "due_diligence_elements": ["embed", "identify", "prevent"],
    "remediation": "none_identified",
    "income_loss": "not_applicable",
    "training": "yes",
    "training_mandatory": "yes",
    "training_audience": "procurement_only",
    "effectiveness": "yes",
    "effectiveness_methods": ["track_indicators"],
}
COMPLETE_APPROVAL: dict[str, Any] = {
    "approving_body": {"en": "the Board of Directors", "fr": "le conseil d’administration"},
    "approval_date": "2026-05-15",
    "signatory_name": "Jane Whitfield",
    "signatory_title": {"en": "Chair of the Board", "fr": "Présidente du conseil"},
}
assert not set(COMPLETE_ANSWERS) & DERIVED_ANSWERS


def section_texts(language: str) -> dict[str, Any]:
    """The sample texts of sections (a)-(g), in the report's language(s)."""
    langs = ("en", "fr") if language == "both" else (language,)
    return {
        key: {"text": {lang: TEXTS[key][0 if lang == "en" else 1] for lang in langs}}
        for key in TEXTS
    }


def complete(report: Report, principal: Principal) -> Report:
    """Fill in everything the checks require, keeping the drafted statements."""
    reports.update_report(
        report,
        principal,
        entity=COMPLETE_ENTITY,
        sections=section_texts(report.language),
        answers=COMPLETE_ANSWERS,
        approval=COMPLETE_APPROVAL,
    )
    db.session.commit()
    return report
