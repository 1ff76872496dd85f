"""The JSON export: versioned, valid against its schema, documented; the printable summary."""

from __future__ import annotations

import copy
import io
import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from supplychain.reporting.export import (
    SCHEMA_PATH,
    SCHEMA_VERSION,
    ExportError,
    build_schema,
    export_json,
    load_schema,
    render_answers_pdf,
    validation_errors,
)
from supplychain.reporting.model import CoveredEntity, JointReport
from supplychain.reporting.questionnaire import QUESTIONS
from tests.supplychain.reporting.builders import sample_answers, sample_report

DOC = Path(__file__).resolve().parents[3] / "docs" / "questionnaire-schema.md"


def test_the_schema_file_is_the_generated_schema():
    assert json.loads(SCHEMA_PATH.read_text(encoding="utf-8")) == build_schema()
    assert load_schema()["properties"]["schema_version"] == {"const": SCHEMA_VERSION}


def test_an_export_is_versioned_and_valid():
    document = export_json(sample_report("both"), sample_answers())
    assert document["schema_version"] == "s211-questionnaire/1"
    assert document["report"]["financial_year"] == {"start": "2024-04-01", "end": "2025-03-31"}
    assert document["answers"]["risk_countries"] == ["CIV", "CHN", "TKM", "MYS", "IND", "BGD"]
    assert validation_errors(document) == []
    json.dumps(document)  # plain JSON types only


def test_hidden_answers_are_left_out_and_dates_written_as_iso():
    answers = sample_answers(training="no", revised_report="no", revised_original_date="2025-01-01")
    document = export_json(sample_report(), answers)
    assert "training_mandatory" not in document["answers"]
    assert "revised_original_date" not in document["answers"]


def test_joint_reports_export_their_covered_entities():
    report = sample_report()
    report.entity.joint = JointReport([CoveredEntity("Maple Retail Inc.", ["987654321"])])
    answers = sample_answers(
        joint_report="yes",
        joint_entities=[{"legal_name": "Maple Retail Inc.", "business_numbers": ["987654321"]}],
    )
    document = export_json(report, answers)
    assert document["report"]["covered_entities"] == [
        {"legal_name": "Maple Retail Inc.", "business_numbers": ["987654321"]}
    ]
    assert document["answers"]["joint_entities"][0]["legal_name"] == "Maple Retail Inc."


@pytest.mark.parametrize(
    "breaks",
    [
        lambda d: d.update(schema_version="s211-questionnaire/2"),
        lambda d: d["answers"].update(training="sometimes"),
        lambda d: d["answers"].update(risk_countries=["Côte d'Ivoire"]),
        lambda d: d["answers"].update({"training.details": "x" * 1501}),
        lambda d: d["answers"].update(financial_year_end="31 March 2025"),
        lambda d: d["answers"].update(unknown_question="yes"),
        lambda d: d["report"].pop("legal_name"),
        lambda d: d["report"].update(language="de"),
    ],
)
def test_an_invalid_document_fails_validation(breaks):
    document = copy.deepcopy(export_json(sample_report(), sample_answers()))
    breaks(document)
    assert validation_errors(document)


def test_export_refuses_answers_the_schema_rejects():
    with pytest.raises(ExportError) as error:
        export_json(sample_report(), sample_answers(**{"training.details": "x" * 1501}))
    assert any("training.details" in e for e in error.value.errors)


def test_the_documentation_covers_every_question_and_its_example_validates():
    doc = DOC.read_text(encoding="utf-8")
    for q in QUESTIONS:
        assert f"`{q.id}`" in doc, q.id
    assert SCHEMA_VERSION in doc
    example = json.loads(re.search(r"```json\n(.*?)\n```", doc, re.DOTALL)[1])
    assert validation_errors(example) == []


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["Questionnaire answers for Maple Imports Ltd.", "Procurement staff only"]),
        ("fr", ["Réponses au questionnaire de Maple Imports Ltd.", "Côte d'Ivoire", "Oui"]),
    ],
)
def test_the_printable_summary_lists_the_answers(lang, expected):
    answers = sample_answers(**{"training.details": "Two hours, every year."})
    reader = PdfReader(io.BytesIO(render_answers_pdf(sample_report(), answers, lang)))
    text = " ".join(p.extract_text() for p in reader.pages).replace("\u00a0", " ")
    for fragment in expected:
        assert fragment in text
    assert "Two hours, every year." in text
    assert re.search(r"\b18a\. ", text) and re.search(r"\b19a\. ", text)
    assert not re.search(r"\b4a\. ", text)  # hidden: the report is not a revision


def test_a_malformed_answer_still_prints():
    answers = sample_answers(financial_year_end="not a date")
    assert render_answers_pdf(sample_report(), answers, "both").startswith(b"%PDF")
