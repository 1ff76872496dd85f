"""Findings: what the checks report, with a code, a severity and a message and fix in EN and FR."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from supplychain.reporting.i18n import t
from supplychain.reporting.model import LANGS, Lang

Severity = Literal["blocking", "warning"]

# Blocking: the report or the answers cannot be submitted as they are (a legal requirement is
# unmet, or the answers contradict the report or the data). Warning: a person should look
# (a heuristic matched, or the guidance rather than the Act is concerned).
SEVERITY: dict[str, Severity] = {
    # questionnaire.validate_answers
    "Q_UNKNOWN": "warning",
    "Q_REQUIRED": "blocking",
    "Q_NOT_SHOWN": "warning",
    "Q_TYPE": "blocking",
    "Q_OPTION": "blocking",
    "Q_EXCLUSIVE": "blocking",
    "Q_LENGTH": "blocking",
    "Q_DATE_ORDER": "blocking",
    "Q_BN_FORMAT": "warning",
    # checks.check_report: mandatory items
    "LEGAL_NAME_MISSING": "blocking",
    "FINANCIAL_YEAR_MISSING": "blocking",
    "FINANCIAL_YEAR_ORDER": "blocking",
    "SECTION_EMPTY": "blocking",
    "LANGUAGE_MISSING": "blocking",
    "LANGUAGE_MISMATCH": "warning",
    "APPROVAL_BODY_MISSING": "blocking",
    "APPROVAL_DATE_MISSING": "blocking",
    "SIGNATORY_MISSING": "blocking",
    "ATTESTATION_MISSING": "blocking",
    "JOINT_WITHOUT_ENTITIES": "blocking",
    "REVISION_INCOMPLETE": "blocking",
    "SCOPE_NOT_MET": "blocking",
    # checks.check_report: questionnaire vs report vs data
    "RISKS_DENIED_WITH_EXPOSURE": "blocking",
    "RISK_COUNTRIES_OMITTED": "warning",
    "HIGH_RISK_NOT_MENTIONED": "warning",
    "INSUFFICIENT_DATA_UNDISCLOSED": "warning",
    "TOPIC_SECTION_EMPTY": "blocking",
    "NO_STEPS_CONTRADICTED_BY_ANSWERS": "blocking",
    "NO_STEPS_CONTRADICTED_BY_TEXT": "warning",
    "ANSWER_MISMATCH": "blocking",
    "STATEMENT_OUTDATED": "warning",
    # checks.check_report: personal information and length
    "PERSONAL_EMAIL": "warning",
    "PERSONAL_PHONE": "warning",
    "PERSONAL_NAME": "warning",
    "REPORT_TOO_LONG": "warning",
    "TEXT_TOO_LONG": "blocking",
}


@dataclass(frozen=True)
class Finding:
    """One problem found in a report or its answers, and how to fix it, in EN and FR.

    `section` names the part of the report concerned: "a".."g", "entity", "approval",
    "evidence" or "questionnaire"; `question` the questionnaire question, when there is one.
    """

    severity: Severity
    code: str
    section: str | None
    message: str
    message_fr: str
    fix: str
    fix_fr: str
    question: str | None = None

    @property
    def blocking(self) -> bool:
        return self.severity == "blocking"


# A parameter in both languages is a mapping {"en": ..., "fr": ...} (see `localised`).
Param = str | int | float | Mapping[Any, str]


def localised(key: str, **params: object) -> dict[str, str]:
    """Return a catalogue text in both languages, to pass as a parameter of a finding."""
    return {lang: t(key, lang, **params) for lang in LANGS}


def _resolve(params: Mapping[str, Param], lang: Lang) -> dict[str, object]:
    return {k: (v[lang] if isinstance(v, Mapping) else v) for k, v in params.items()}


def make_finding(
    code: str, *, section: str | None = None, question: str | None = None, **params: Param
) -> Finding:
    """Build the finding `code`, its texts filled from the catalogue in both languages."""
    values: dict[str, Param] = {"question": question or "", "section": section or "", **params}
    en, fr = _resolve(values, "en"), _resolve(values, "fr")
    return Finding(
        severity=SEVERITY[code],
        code=code,
        section=section,
        message=t(f"finding.{code}", "en", **en),
        message_fr=t(f"finding.{code}", "fr", **fr),
        fix=t(f"fix.{code}", "en", **en),
        fix_fr=t(f"fix.{code}", "fr", **fr),
        question=question,
    )
