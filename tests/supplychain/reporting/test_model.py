"""The plain report object."""

from __future__ import annotations

import pytest

from supplychain.reporting.model import (
    SECTIONS,
    BilingualText,
    DraftedStatement,
    Report,
    ReportSection,
    ScopeBasis,
    report_langs,
)
from tests.supplychain.reporting.builders import sample_evidence


def test_a_new_report_holds_every_section_of_subsection_11_3():
    report = Report()
    assert list(report.sections) == list(SECTIONS) == ["a", "b", "c", "d", "e", "f", "g"]
    assert not any(s.filled("en") for s in report.sections.values())


def test_report_languages():
    assert report_langs("both") == ("en", "fr")
    assert report_langs("fr") == ("fr",)
    with pytest.raises(ValueError):
        report_langs("de")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("scope", "in_scope"),
    [
        (ScopeBasis(listed_in_canada=True), True),
        (ScopeBasis(canadian_presence=True, assets_20m=True, employees_250=True), True),
        (ScopeBasis(canadian_presence=True, assets_20m=True), False),
        (ScopeBasis(assets_20m=True, revenue_40m=True, employees_250=True), False),
    ],
)
def test_scope_needs_a_listing_or_presence_and_two_thresholds(scope: ScopeBasis, in_scope: bool):
    assert scope.in_scope is in_scope


def test_a_section_counts_drafted_statements_in_its_language():
    section = ReportSection("c", BilingualText(en="Text."))
    section.statements.append(DraftedStatement("Énoncé.", [], "fr"))
    assert section.filled("en") and section.filled("fr")
    assert section.full_text("fr") == "Énoncé."
    assert BilingualText(en="Board").prefer("fr") == "Board"


def test_evidence_knows_whether_any_line_is_high_or_critical():
    assert sample_evidence().high_or_critical
    calm = sample_evidence(
        risk_countries=(), risk_goods=(), share_by_band={"Low": 0.9, "Medium": 0.1}
    )
    assert not calm.high_or_critical
