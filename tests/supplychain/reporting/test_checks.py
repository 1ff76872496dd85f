"""Each check of check_report: a case that fails it and the consistent sample that passes it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from supplychain.reporting.checks import check_report, detect_language, estimate_pages
from supplychain.reporting.findings import SEVERITY
from supplychain.reporting.model import (
    BilingualText,
    EvidenceSummary,
    JointReport,
    Report,
    ReportSection,
    RevisedReport,
    ScopeBasis,
)
from tests.supplychain.reporting.builders import (
    TEXTS,
    sample_answers,
    sample_evidence,
    sample_report,
)

Case = tuple[Report, dict[str, Any], EvidenceSummary]


def baseline(language: str = "both") -> Case:
    evidence = sample_evidence()
    return sample_report(language, evidence), sample_answers(), evidence  # type: ignore[arg-type]


def run(case: Case) -> set[str]:
    return {f.code for f in check_report(*case)}


def test_the_consistent_sample_has_no_findings():
    for language in ("en", "fr", "both"):
        assert check_report(*baseline(language)) == []


def empty(report: Report, key: str) -> None:
    report.sections[key] = ReportSection(key)


def set_text(report: Report, key: str, en: str = "", fr: str = "") -> None:
    report.sections[key].text = BilingualText(en, fr)


def empty_topic(report: Report, answers: dict[str, Any], key: str, topic: str) -> None:
    empty(report, key)
    answers[topic] = "yes"


def without_insufficient_statement(report: Report) -> None:
    report.sections["c"].statements = [
        s
        for s in report.sections["c"].statements
        if not any(link.kind == "insufficient_data_share" for link in s.evidence)
    ]


# Each entry: the code, then a function that breaks the consistent baseline to trigger it.
FAILING: list[tuple[str, Callable[[Report, dict[str, Any]], Any]]] = [
    ("LEGAL_NAME_MISSING", lambda r, a: setattr(r.entity, "legal_name", " ")),
    ("FINANCIAL_YEAR_MISSING", lambda r, a: setattr(r.entity, "financial_year_start", None)),
    (
        "FINANCIAL_YEAR_ORDER",
        lambda r, a: setattr(r.entity, "financial_year_end", date(2024, 1, 1)),
    ),
    ("SECTION_EMPTY", lambda r, a: empty(r, "e")),
    ("LANGUAGE_MISSING", lambda r, a: set_text(r, "f", en=TEXTS["f"][0])),
    ("LANGUAGE_MISMATCH", lambda r, a: set_text(r, "b", en=TEXTS["b"][1], fr=TEXTS["b"][1])),
    ("APPROVAL_BODY_MISSING", lambda r, a: setattr(r.approval, "approving_body", BilingualText())),
    ("APPROVAL_DATE_MISSING", lambda r, a: setattr(r.approval, "approval_date", None)),
    ("SIGNATORY_MISSING", lambda r, a: setattr(r.approval, "signatory_name", "")),
    ("SIGNATORY_MISSING", lambda r, a: setattr(r.approval, "signatory_title", BilingualText())),
    (
        "ATTESTATION_MISSING",
        lambda r, a: setattr(r.approval, "attestation", BilingualText(en="I attest.")),
    ),
    ("JOINT_WITHOUT_ENTITIES", lambda r, a: setattr(r.entity, "joint", JointReport([]))),
    ("REVISION_INCOMPLETE", lambda r, a: setattr(r.entity, "revised", RevisedReport())),
    (
        "TEXT_TOO_LONG",
        lambda r, a: setattr(r.entity, "revised", RevisedReport(date(2025, 5, 1), "x" * 1501)),
    ),
    (
        "SCOPE_NOT_MET",
        lambda r, a: setattr(
            r.entity, "scope", ScopeBasis(canadian_presence=True, assets_20m=True)
        ),
    ),
    ("RISKS_DENIED_WITH_EXPOSURE", lambda r, a: a.update(risks_identified="no")),
    ("RISK_COUNTRIES_OMITTED", lambda r, a: a.update(risk_countries=["CIV", "CHN"])),
    ("HIGH_RISK_NOT_MENTIONED", lambda r, a: setattr(r.sections["c"], "statements", [])),
    ("INSUFFICIENT_DATA_UNDISCLOSED", lambda r, a: without_insufficient_statement(r)),
    ("TOPIC_SECTION_EMPTY", lambda r, a: empty(r, "f")),  # training answered yes
    ("TOPIC_SECTION_EMPTY", lambda r, a: empty_topic(r, a, "d", "remediation")),
    ("TOPIC_SECTION_EMPTY", lambda r, a: empty_topic(r, a, "g", "effectiveness")),
    (
        "NO_STEPS_CONTRADICTED_BY_ANSWERS",
        lambda r, a: a.update(steps_taken=["no_steps"]),  # training and policies are yes
    ),
    (
        "NO_STEPS_CONTRADICTED_BY_TEXT",
        lambda r, a: a.update(steps_taken=["no_steps"], training="no", policies_due_diligence="no"),
    ),
    ("ANSWER_MISMATCH", lambda r, a: a.update(legal_name="Maple Holdings Inc.")),
    ("ANSWER_MISMATCH", lambda r, a: a.update(financial_year_end="2025-12-31")),
    (
        "ANSWER_MISMATCH",
        lambda r, a: a.update(joint_report="yes", joint_entities=[{"legal_name": "X"}]),
    ),
    ("ANSWER_MISMATCH", lambda r, a: a.update(scope_basis=["listed_canada"])),
    (
        "PERSONAL_EMAIL",
        lambda r, a: set_text(
            r, "g", en=TEXTS["g"][0] + " Write to jane.doe@maple.example.", fr=TEXTS["g"][1]
        ),
    ),
    (
        "PERSONAL_PHONE",
        lambda r, a: set_text(
            r, "g", en=TEXTS["g"][0] + " Call +1 (416) 555-0199.", fr=TEXTS["g"][1]
        ),
    ),
    (
        "PERSONAL_NAME",
        lambda r, a: set_text(
            r, "d", en=TEXTS["d"][0] + " The worker Maria Lopez was repaid.", fr=TEXTS["d"][1]
        ),
    ),
    (
        "PERSONAL_NAME",
        lambda r, a: a.update(**{"remediation.details": "Nous avons indemnisé Mme Tremblay."}),
    ),
    (
        "REPORT_TOO_LONG",
        lambda r, a: set_text(r, "a", en="Long text. " * 4000, fr="Texte. " * 4000),
    ),
]


@pytest.mark.parametrize(("code", "breaks"), FAILING)
def test_each_check_fails_on_its_case_and_passes_on_the_sample(
    code: str, breaks: Callable[[Report, dict[str, Any]], Any]
):
    report, answers, evidence = baseline()
    assert code not in run((report, answers, evidence))
    breaks(report, answers)
    findings = [f for f in check_report(report, answers, evidence) if f.code == code]
    assert findings, code
    for finding in findings:
        assert finding.severity == SEVERITY[code]
        assert finding.message and finding.message_fr and finding.fix and finding.fix_fr
        assert "{" not in finding.message + finding.message_fr  # every placeholder filled


def test_every_report_code_has_a_failing_case():
    report_codes = {code for code in SEVERITY if not code.startswith("Q_")}
    assert report_codes - {code for code, _ in FAILING} == {"STATEMENT_OUTDATED"}  # below


def test_statements_drafted_from_other_data_are_outdated():
    report, answers, evidence = baseline()
    assert "STATEMENT_OUTDATED" not in run((report, answers, evidence))
    newer = replace(evidence, reference_version="2027.1.0")
    assert "STATEMENT_OUTDATED" in run((report, answers, newer))
    recount = replace(evidence, suppliers=1400)
    assert "STATEMENT_OUTDATED" in run((report, answers, recount))


def test_topic_yes_with_empty_section_replaces_the_generic_finding():
    report, answers, evidence = baseline()
    empty(report, "f")
    found = [(f.code, f.section) for f in check_report(report, answers, evidence)]
    assert ("TOPIC_SECTION_EMPTY", "f") in found
    assert ("SECTION_EMPTY", "f") not in found
    answers["training"] = "no"
    found = [(f.code, f.section) for f in check_report(report, answers, evidence)]
    assert ("SECTION_EMPTY", "f") in found


def test_questionnaire_findings_are_included_and_blocking_ones_come_first():
    report, answers, evidence = baseline()
    answers["training.details"] = "x" * 1501
    report.sections["g"].text.en += " Write to ethics@maple.example."
    findings = check_report(report, answers, evidence)
    assert [f.code for f in findings] == ["Q_LENGTH", "PERSONAL_EMAIL"]
    assert findings[0].blocking and not findings[1].blocking


def test_checks_run_without_answers_or_evidence():
    report = sample_report("en", draft=False)
    assert check_report(report) == []
    assert {f.code for f in check_report(Report())} >= {
        "LEGAL_NAME_MISSING",
        "FINANCIAL_YEAR_MISSING",
        "SECTION_EMPTY",
        "APPROVAL_BODY_MISSING",
        "APPROVAL_DATE_MISSING",
        "SIGNATORY_MISSING",
        "ATTESTATION_MISSING",
        "SCOPE_NOT_MET",
    }


@pytest.mark.parametrize(
    "text",
    [
        "Imports were CAD 40 000 000 in 2024-2025 and assets CAD 250,000,000 on 2025-03-31.",
        "Our employee Code of Conduct and the worker Voice programme were updated.",
        "Jane Whitfield, Chair of the Board, and Ms. Whitfield approved the report.",
        "Contact us through our public hotline.",
        "Les travailleurs migrants du secteur agricole ont été formés.",
        "We used the List of Goods Produced by Child Labor or Forced Labor (ILAB 2022).",
        "Nous avons consulté la liste des biens produits par le travail des enfants.",
    ],
)
def test_ordinary_text_is_not_taken_for_personal_information(text: str):
    report, answers, evidence = baseline("en")
    report.sections["g"].text.en = text
    assert not {"PERSONAL_EMAIL", "PERSONAL_PHONE", "PERSONAL_NAME"} & run(
        (report, answers, evidence)
    )


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("An employee named John raised a grievance.", "PERSONAL_NAME"),
        ("Mr. Smith from the supplier answered.", "PERSONAL_NAME"),
        ("M. Gagnon a été remboursé.", "PERSONAL_NAME"),
        ("l’ouvrière Fatima Diallo a reçu une indemnité.", "PERSONAL_NAME"),
        ("Call 1-800-555-0199 or 416.555.0199.", "PERSONAL_PHONE"),
        ("Tél. : +33 1 23 45 67 89", "PERSONAL_PHONE"),
        ("Reach anna.k@supplier.example.cn", "PERSONAL_EMAIL"),
    ],
)
def test_personal_information_patterns(text: str, code: str):
    report, answers, evidence = baseline("en")
    report.sections["g"].text.en = text
    assert code in run((report, answers, evidence))


def test_language_guess():
    assert detect_language(TEXTS["b"][0]) == "en"
    assert detect_language(TEXTS["b"][1]) == "fr"
    assert detect_language("Code de conduite") is None  # too short to judge


def test_page_estimate_grows_with_text_and_language():
    short = sample_report("en")
    bilingual = sample_report("both")
    assert 4 <= estimate_pages(short) < estimate_pages(bilingual) < 12
