"""Export questionnaire answers as versioned JSON, and print them as a PDF summary.

The JSON form is documented in docs/questionnaire-schema.md; its JSON Schema is generated from
the questions (`build_schema`) and kept in supplychain/reporting/schema/questionnaire-1.json,
which a test holds equal to the generated one. Regenerate it with
`python -m supplychain.reporting.export`.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from jsonschema import Draft202012Validator, FormatChecker
from reportlab.platypus import Flowable, PageBreak, Paragraph

from supplychain.reporting import pdf
from supplychain.reporting.i18n import fmt_date, t
from supplychain.reporting.model import Lang, Language, Report, report_langs
from supplychain.reporting.questionnaire import (
    DETAILS_LIMIT,
    EDITION,
    ITEM_LIMIT,
    QUESTIONS,
    Question,
    is_shown,
    normalise_answers,
    option_label,
)

SCHEMA_VERSION = "s211-questionnaire/1"
SCHEMA_ID = "urn:supplychain-labour-risk:schema:s211-questionnaire:1"
SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "questionnaire-1.json"
GENERATOR = "supplychain-labour-risk"
DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}


class ExportError(ValueError):
    """The document does not validate against the schema; `errors` says where and why."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def _answer_schema(q: Question) -> dict[str, Any]:
    """Return the JSON Schema of one question's answer."""
    values = [o.value for o in q.options]
    if q.type in ("single", "yes_no"):
        schema: dict[str, Any] = {"type": "string", "enum": values}
    elif q.type == "multi":
        schema = {
            "type": "array",
            "items": {"type": "string", "enum": values},
            "uniqueItems": True,
            "minItems": 1,
        }
    elif q.type == "text":
        schema = {"type": "string", "minLength": 1, "maxLength": q.max_length or DETAILS_LIMIT}
    elif q.type == "date":
        schema = dict(DATE)
    elif q.type == "list":
        schema = {
            "type": "array",
            "items": {"type": "string", "minLength": 1, "maxLength": ITEM_LIMIT},
            "minItems": 1,
        }
    else:
        schema = {"type": "array", "items": {"$ref": "#/$defs/entity"}, "minItems": 1}
    shown = " and ".join(
        f"{c.question} in [{', '.join(sorted(c.values))}]" for c in q.shown_when
    )  # one condition today; "and" if more are ever added
    return {
        "title": f"{q.number}. {q.en}",
        "description": q.fr,
        "$comment": f"provenance: {q.provenance}" + (f"; shown when {shown}" if shown else ""),
        **schema,
    }


def build_schema() -> dict[str, Any]:
    """Generate the JSON Schema of the export from the questionnaire definition."""
    answers: dict[str, Any] = {}
    for q in QUESTIONS:
        answers[q.id] = _answer_schema(q)
        if q.details:
            answers[q.details_key] = {
                "title": f"{q.number}. Details (optional free text)",
                "type": "string",
                "maxLength": DETAILS_LIMIT,
            }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Answers to the S-211 questionnaire (Public Safety Canada), machine-readable",
        "type": "object",
        "required": ["schema_version", "questionnaire_edition", "report", "answers"],
        "additionalProperties": False,
        "properties": {
            "schema_version": {"const": SCHEMA_VERSION},
            "questionnaire_edition": {"type": "string"},
            "generator": {"type": "string"},
            "report": {
                "type": "object",
                "required": ["legal_name", "financial_year", "language", "status"],
                "additionalProperties": False,
                "properties": {
                    "legal_name": {"type": "string"},
                    "business_numbers": {"type": "array", "items": {"type": "string"}},
                    "financial_year": {
                        "type": "object",
                        "required": ["start", "end"],
                        "additionalProperties": False,
                        "properties": {
                            "start": {"anyOf": [DATE, {"type": "null"}]},
                            "end": {"anyOf": [DATE, {"type": "null"}]},
                        },
                    },
                    "language": {"enum": ["en", "fr", "both"]},
                    "status": {"enum": ["draft", "approved", "published"]},
                    "joint": {"type": "boolean"},
                    "covered_entities": {"type": "array", "items": {"$ref": "#/$defs/entity"}},
                    "revised": {
                        "anyOf": [
                            {"type": "null"},
                            {
                                "type": "object",
                                "additionalProperties": False,
                                "properties": {
                                    "original_date": {"anyOf": [DATE, {"type": "null"}]},
                                    "description": {"type": "string"},
                                },
                            },
                        ]
                    },
                    "approval_date": {"anyOf": [DATE, {"type": "null"}]},
                },
            },
            "answers": {"type": "object", "additionalProperties": False, "properties": answers},
        },
        "$defs": {
            "entity": {
                "type": "object",
                "required": ["legal_name"],
                "additionalProperties": False,
                "properties": {
                    "legal_name": {"type": "string", "minLength": 1},
                    "business_numbers": {"type": "array", "items": {"type": "string"}},
                },
            }
        },
    }


@cache
def load_schema() -> dict[str, Any]:
    """Return the published schema file (the contract; tests keep it equal to build_schema)."""
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


def validation_errors(document: Mapping[str, Any]) -> list[str]:
    """Return what is wrong with a document under the schema ([] when it is valid)."""
    validator = Draft202012Validator(load_schema(), format_checker=FormatChecker())
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message}"
        for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    ]


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def export_json(report: Report, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Return the answers as a schema-valid document (raises ExportError otherwise).

    Only the answers of questions shown for these answers are exported, in questionnaire
    order, dates as YYYY-MM-DD. Completeness is not required here (a draft can be exported);
    `questionnaire.validate_answers` says what is missing.
    """
    entity = report.entity
    document: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "questionnaire_edition": EDITION,
        "generator": GENERATOR,
        "report": {
            "legal_name": entity.legal_name,
            "business_numbers": list(entity.business_numbers),
            "financial_year": {
                "start": _iso(entity.financial_year_start),
                "end": _iso(entity.financial_year_end),
            },
            "language": report.language,
            "status": report.status,
            "joint": entity.joint is not None,
            "covered_entities": [
                {"legal_name": e.legal_name, "business_numbers": list(e.business_numbers)}
                for e in (entity.joint.covered_entities if entity.joint else [])
            ],
            "revised": (
                {
                    "original_date": _iso(entity.revised.original_date),
                    "description": entity.revised.description,
                }
                if entity.revised
                else None
            ),
            "approval_date": _iso(report.approval.approval_date),
        },
        "answers": normalise_answers(answers),
    }
    errors = validation_errors(document)
    if errors:
        raise ExportError(errors)
    return document


# --- Printable summary -------------------------------------------------------------------


def _answer_text(q: Question, value: Any, lang: Lang) -> str:
    """Write an answer with its labels in `lang`; a malformed answer prints as it is."""
    try:
        return _labelled(q, value, lang)
    except (AttributeError, KeyError, TypeError, ValueError):
        return str(value)


def _labelled(q: Question, value: Any, lang: Lang) -> str:
    if q.type in ("single", "yes_no"):
        option = q.option(value)
        return option.label(lang) if option else str(value)
    if q.type == "multi":
        return t("list.sep", lang).join(option_label(q.id, v, lang) for v in value)
    if q.type == "date":
        return fmt_date(date.fromisoformat(value), lang)
    if q.type == "list":
        return t("list.sep", lang).join(value)
    if q.type == "entities":
        return t("list.sep", lang).join(
            f"{e['legal_name']} ({', '.join(e.get('business_numbers', []))})"
            if e.get("business_numbers")
            else e["legal_name"]
            for e in value
        )
    return str(value)


def _answers_story(report: Report, answers: Mapping[str, Any], lang: Lang) -> list[Flowable]:
    s = pdf.styles()
    kept = normalise_answers(answers)
    name = report.entity.legal_name.strip() or t("name.unknown", lang)
    story: list[Flowable] = [
        Paragraph(escape(t("answers.title", lang, entity=name)), s.title_small),
        Paragraph(escape(t("answers.schema", lang, schema=SCHEMA_VERSION)), s.small),
    ]
    part = 0
    for q in QUESTIONS:
        if not is_shown(q, answers):
            continue  # hidden questions are not printed; shown, unanswered ones say so
        if q.part != part:
            part = q.part
            story.append(Paragraph(escape(t(f"answers.part{part}", lang)), s.h1))
        story.append(Paragraph(escape(f"{q.number}. {q.text(lang)}"), s.h2))
        value = kept.get(q.id)
        if value is None:
            story.append(Paragraph(escape(t("answers.none", lang)), s.placeholder))
        elif q.type == "text":
            story.extend(pdf.paragraphs(value, s.body))
        else:
            story.append(Paragraph(escape(_answer_text(q, value, lang)), s.body))
        details = kept.get(q.details_key)
        if details:
            story.append(Paragraph(f"<i>{escape(t('answers.details', lang))}</i>", s.small))
            story.extend(pdf.paragraphs(details, s.body))
    return story


def render_answers_pdf(report: Report, answers: Mapping[str, Any], lang: Language = "en") -> bytes:
    """Print the answers of the shown questions, with their labels in `lang` ("both": EN, FR)."""
    langs = report_langs(lang)
    pdf.register_fonts()
    buffer = io.BytesIO()
    meta = pdf.metadata(report, langs)
    meta["title"] = " / ".join(
        t("answers.title", one, entity=report.entity.legal_name.strip() or t("name.unknown", one))
        for one in langs
    )
    doc = pdf.ReportDocument(buffer, lambda canvas: None, lang=pdf.PDF_LANG[lang], **meta)
    story: list[Flowable] = []
    for index, one in enumerate(langs):
        if index:
            story.append(PageBreak())
        story.extend(_answers_story(report, answers, one))
    doc.build(story, canvasmaker=pdf.numbered_canvas(pdf.page_label(langs)))
    return buffer.getvalue()


def write_schema(path: Path = SCHEMA_PATH) -> None:
    """Write the generated schema to `path` (sorted keys, two-space indent, final newline)."""
    path.write_text(
        json.dumps(build_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":  # pragma: no cover - maintenance entry point
    write_schema()
    print(f"wrote {SCHEMA_PATH}")
