"""The questionnaire as data: structure, conditional questions, options and the 1,500 limit."""

from __future__ import annotations

from typing import Any

import pytest

from supplychain.reporting.questionnaire import (
    DETAILS_LIMIT,
    QUESTIONS,
    QUESTIONS_BY_ID,
    is_shown,
    normalise_answers,
    shown_questions,
    validate_answers,
)
from tests.supplychain.reporting.builders import sample_answers


def codes(answers: dict[str, Any]) -> set[tuple[str, str | None]]:
    return {(f.code, f.question) for f in validate_answers(answers)}


def test_questions_have_unique_ids_both_languages_and_known_provenance():
    assert len(QUESTIONS_BY_ID) == len(QUESTIONS)
    for q in QUESTIONS:
        assert q.en.strip() and q.fr.strip(), q.id
        assert q.provenance in ("guidance", "reconstructed", "reconstructed-uncertain")
        for option in q.options:
            assert option.en.strip() and option.fr.strip(), (q.id, option.value)
            assert option.provenance in ("guidance", "reconstructed", "reconstructed-uncertain")
        assert len({o.value for o in q.options}) == len(q.options), q.id
        if q.type in ("single", "multi", "yes_no"):
            assert q.options, q.id
        for condition in q.shown_when:
            parent = QUESTIONS_BY_ID[condition.question]
            assert condition.values <= {o.value for o in parent.options}, q.id


def test_reconstructed_questions_are_marked():
    assert QUESTIONS_BY_ID["scope_basis"].provenance == "reconstructed"
    assert QUESTIONS_BY_ID["other_laws"].provenance == "reconstructed-uncertain"
    steps = QUESTIONS_BY_ID["steps_taken"]
    assert {o.provenance for o in steps.options} == {"reconstructed"}


def test_part_one_and_part_two_follow_the_government_layout():
    part1 = [q.id for q in QUESTIONS if q.part == 1]
    assert part1[:3] == ["reporting_for", "legal_name", "financial_year_start"]
    risks = QUESTIONS_BY_ID["risk_areas"]
    assert {"countries_regions", "products_commodities", "raw_materials", "sectors_industries"} <= {
        o.value for o in risks.options
    }
    assert [QUESTIONS_BY_ID[q].section for q in ("remediation", "income_loss", "training")] == [
        "d",
        "e",
        "f",
    ]


def test_complete_consistent_answers_pass():
    assert validate_answers(sample_answers()) == []


def test_follow_up_questions_are_shown_only_when_their_condition_holds():
    answers = sample_answers(revised_report="no")
    assert not is_shown(QUESTIONS_BY_ID["revised_original_date"], answers)
    answers["revised_report"] = "yes"
    assert is_shown(QUESTIONS_BY_ID["revised_original_date"], answers)
    # Nested: the countries question needs risk_areas, which needs risks_identified = yes.
    answers = sample_answers(risks_identified="no")
    assert not is_shown(QUESTIONS_BY_ID["risk_countries"], answers)
    assert "risk_countries" not in [q.id for q in shown_questions(answers)]


def test_a_shown_required_follow_up_must_be_answered():
    found = codes(sample_answers(revised_report="yes"))
    assert ("Q_REQUIRED", "revised_original_date") in found
    assert ("Q_REQUIRED", "revised_changes") in found
    complete = sample_answers(
        revised_report="yes", revised_original_date="2025-05-20", revised_changes="Typo fixed."
    )
    assert validate_answers(complete) == []


def test_answering_a_hidden_question_is_flagged_and_not_exported():
    answers = sample_answers(training="no")  # training_mandatory and _audience now hidden
    found = validate_answers(answers)
    assert {(f.code, f.question) for f in found} == {
        ("Q_NOT_SHOWN", "training_mandatory"),
        ("Q_NOT_SHOWN", "training_audience"),
    }
    assert all(f.severity == "warning" for f in found)
    assert "training_mandatory" not in normalise_answers(answers)


def test_government_institutions_skip_the_entity_questions():
    answers = {
        k: v
        for k, v in sample_answers(reporting_for="government_institution").items()
        if k not in {"business_numbers", "joint_report", "scope_basis", "sectors", "locations"}
        and k not in {"activities", "other_laws"}
    }
    assert validate_answers(answers) == []


def test_free_text_boxes_accept_1500_characters_and_no_more():
    assert validate_answers(sample_answers(**{"training.details": "x" * DETAILS_LIMIT})) == []
    found = validate_answers(sample_answers(**{"training.details": "x" * (DETAILS_LIMIT + 1)}))
    assert [(f.code, f.question, f.severity) for f in found] == [
        ("Q_LENGTH", "training.details", "blocking")
    ]
    assert "1501" in found[0].message and "1500" in found[0].message


def test_text_questions_have_the_limit_too():
    answers = sample_answers(revised_report="yes", revised_original_date="2025-05-20")
    answers["revised_changes"] = "y" * (DETAILS_LIMIT + 1)
    assert ("Q_LENGTH", "revised_changes") in codes(answers)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"training": "maybe"}, ("Q_OPTION", "training")),
        ({"risk_countries": ["CIV", "ZZZ"]}, ("Q_OPTION", "risk_countries")),
        ({"steps_taken": "training"}, ("Q_TYPE", "steps_taken")),
        ({"financial_year_end": "31/03/2025"}, ("Q_TYPE", "financial_year_end")),
        ({"joint_report": "yes", "joint_entities": [{"name": "x"}]}, ("Q_TYPE", "joint_entities")),
        ({"steps_taken": ["no_steps", "training"]}, ("Q_EXCLUSIVE", "steps_taken")),
        ({"other_laws": ["none", "uk_msa"]}, ("Q_EXCLUSIVE", "other_laws")),
        ({"training": None}, ("Q_REQUIRED", "training")),
        ({"legal_name": "   "}, ("Q_REQUIRED", "legal_name")),
        ({"not_a_question": 1}, ("Q_UNKNOWN", "not_a_question")),
        ({"financial_year_end": "2024-03-31"}, ("Q_DATE_ORDER", "financial_year_end")),
        ({"business_numbers": ["12345"]}, ("Q_BN_FORMAT", "business_numbers")),
    ],
)
def test_invalid_answers_are_reported(changes: dict[str, Any], expected: tuple[str, str]):
    assert expected in codes(sample_answers(**changes))


def test_business_numbers_accept_spaces_and_program_accounts():
    answers = sample_answers(business_numbers=["123 456 789", "123456789 RC 0001"])
    assert validate_answers(answers) == []


def test_findings_carry_french_messages_and_fixes():
    (finding,) = validate_answers(sample_answers(remediation="maybe"))
    assert finding.message_fr.startswith("«\u00a0maybe\u00a0»")  # French spacing
    assert finding.fix and finding.fix_fr
