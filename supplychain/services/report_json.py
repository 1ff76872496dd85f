"""The stored JSON form of a report's parts, to and from the reporting core's dataclasses.

`supplychain.models.reports.Report` keeps entity details, sections, answers, approval and the
frozen evidence as JSON; this module is the only place that knows those shapes. Reading what a
person or an API client sent (`*_from_json`) checks every value and collects every problem
before raising one `InvalidInput` whose `errors` name each place ("entity.financial_year_end",
"sections.c.text.fr", "answers.training") and say what is wrong there.

Shapes (dates as YYYY-MM-DD, texts in both languages as {"en": ..., "fr": ...}):

    entity:   {"legal_name", "business_numbers": [..], "financial_year_start",
               "financial_year_end", "revised": null | {"original_date", "description"},
               "joint": null | {"covered_entities": [{"legal_name", "business_numbers"}]},
               "scope": {"listed_in_canada", "canadian_presence", "assets_20m",
                         "revenue_40m", "employees_250"},
               "sectors", "provinces", "activities", "other_laws": [option values]}
    sections: {"a".."g": {"text": {"en", "fr"},
                          "statements": [{"text", "lang", "drafted", "evidence": [link]}]}}
              link: {"assessment_id", "kind", "value", "reference_version", "key"}
    approval: {"approving_body": {"en", "fr"}, "approval_date", "signatory_name",
               "signatory_title": {"en", "fr"}, "attestation": {"en", "fr"}}
    evidence: the fields of `reporting.model.EvidenceSummary`, rows and sources as objects.

The questionnaire's Part 1 (who reports, year, revision, joint report, scope, sectors,
places, activities, other laws) is not stored with the answers: `derived_answers` writes it
from the entity details, so the report and the questionnaire cannot disagree on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from datetime import date
from typing import Any

from supplychain.errors import InvalidInput
from supplychain.reporting import model as core
from supplychain.reporting.questionnaire import (
    DETAILS_LIMIT,
    ITEM_LIMIT,
    QUESTIONS_BY_ID,
    normalise_answers,
    validate_answers,
)

SECTION_TEXT_LIMIT = 20_000  # characters per section and language; ten pages hold ~45,000
APPROVAL_TEXT_LIMIT = 2_000  # the attestation statement, per language
NAME_LIMIT = ITEM_LIMIT  # a legal name, a body, a signatory, a title
SCOPE_FLAGS = (
    "listed_in_canada",
    "canadian_presence",
    "assets_20m",
    "revenue_40m",
    "employees_250",
)
# Entity lists and the questionnaire questions whose options they take.
ENTITY_LISTS = {
    "sectors": "sectors",
    "provinces": "locations",
    "activities": "activities",
    "other_laws": "other_laws",
}
# Part 1 of the questionnaire, written from the entity details (see `derived_answers`).
DERIVED_ANSWERS = frozenset(
    {
        "reporting_for",
        "legal_name",
        "financial_year_start",
        "financial_year_end",
        "revised_report",
        "revised_original_date",
        "revised_changes",
        "business_numbers",
        "joint_report",
        "joint_entities",
        "scope_basis",
        "sectors",
        "locations",
        "activities",
        "other_laws",
    }
)
# Answer problems that stop a save: the value cannot be what the question asks for. Missing
# answers, hidden questions and dates in the wrong order are left to the checks.
REFUSED_ANSWER_CODES = frozenset({"Q_UNKNOWN", "Q_TYPE", "Q_OPTION", "Q_EXCLUSIVE", "Q_LENGTH"})


class Problems:
    """Collect what is wrong where, then refuse the whole input at once."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, where: str, message: str) -> None:
        self.errors.setdefault(where, []).append(message)

    def raise_if_any(self, what: str) -> None:
        if self.errors:
            count = sum(len(messages) for messages in self.errors.values())
            first = next(iter(self.errors.items()))
            raise InvalidInput(
                f"The {what} was not saved: {count} problem{'s' if count > 1 else ''} "
                f"(first: {first[0]}: {first[1][0]}). See errors.",
                errors=self.errors,
            )


# --- Reading plain values -------------------------------------------------------------------


def _object(value: Any, where: str, problems: Problems) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        problems.add(where, "Expected an object.")
        return {}
    return value


def _text(value: Any, where: str, problems: Problems, limit: int, *, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        problems.add(where, "Expected a text.")
        return ""
    if len(value) > limit:
        problems.add(where, f"At most {limit:,} characters; this has {len(value):,}.")
    if required and not value.strip():
        problems.add(where, "Required.")
    return value


def _date(value: Any, where: str, problems: Problems) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    problems.add(where, f"{value!r} is not a date; write it as YYYY-MM-DD.")
    return None


def _texts(value: Any, where: str, problems: Problems, limit: int) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.add(where, "Expected a list of texts.")
        return []
    kept = [v.strip() for v in value if v.strip()]
    for index, text in enumerate(kept):
        if len(text) > limit:
            problems.add(
                f"{where}.{index}", f"At most {limit:,} characters; this has {len(text):,}."
            )
    return kept


def _options(value: Any, where: str, problems: Problems, question_id: str) -> list[str]:
    chosen = _texts(value, where, problems, ITEM_LIMIT)
    question = QUESTIONS_BY_ID[question_id]
    unknown = [v for v in chosen if v not in question.option_values]
    if unknown:
        allowed = ", ".join(o.value for o in question.options[:8])
        more = ", ..." if len(question.options) > 8 else ""
        problems.add(where, f"Unknown option {unknown[0]!r}; use one of {allowed}{more}.")
    exclusive = [v for v in chosen if v in question.exclusive]
    if exclusive and len(chosen) > 1:
        problems.add(where, f"{exclusive[0]!r} cannot be chosen with other options.")
    return list(dict.fromkeys(chosen))


def _bilingual(value: Any, where: str, problems: Problems, limit: int) -> core.BilingualText:
    data = _object(value, where, problems)
    for key in data:
        if key not in core.LANGS:
            problems.add(f"{where}.{key}", "Texts are keyed en and fr.")
    return core.BilingualText(
        en=_text(data.get("en"), f"{where}.en", problems, limit),
        fr=_text(data.get("fr"), f"{where}.fr", problems, limit),
    )


def _bool(value: Any, where: str, problems: Problems) -> bool:
    if value in (None, ""):
        return False
    if isinstance(value, bool):
        return value
    problems.add(where, "Expected true or false.")
    return False


def _unknown_keys(data: Mapping[str, Any], known: set[str], where: str, problems: Problems) -> None:
    for key in data:
        if key not in known:
            problems.add(f"{where}.{key}", f"Unknown field; expected {', '.join(sorted(known))}.")


# --- Entity details ------------------------------------------------------------------------

ENTITY_FIELDS = {
    "legal_name",
    "business_numbers",
    "financial_year_start",
    "financial_year_end",
    "revised",
    "joint",
    "scope",
    *ENTITY_LISTS,
}


def entity_from_json(value: Any, problems: Problems, where: str = "entity") -> core.EntityDetails:
    """Read entity details, noting every problem in `problems`."""
    data = _object(value, where, problems)
    _unknown_keys(data, ENTITY_FIELDS, where, problems)
    revised = None
    if data.get("revised") is not None:
        r = _object(data["revised"], f"{where}.revised", problems)
        _unknown_keys(r, {"original_date", "description"}, f"{where}.revised", problems)
        revised = core.RevisedReport(
            original_date=_date(r.get("original_date"), f"{where}.revised.original_date", problems),
            description=_text(
                r.get("description"), f"{where}.revised.description", problems, DETAILS_LIMIT
            ),
        )
    joint = None
    if data.get("joint") is not None:
        j = _object(data["joint"], f"{where}.joint", problems)
        _unknown_keys(j, {"covered_entities"}, f"{where}.joint", problems)
        entities = j.get("covered_entities") or []
        if not isinstance(entities, list):
            problems.add(f"{where}.joint.covered_entities", "Expected a list of entities.")
            entities = []
        covered = []
        for index, item in enumerate(entities):
            at = f"{where}.joint.covered_entities.{index}"
            e = _object(item, at, problems)
            _unknown_keys(e, {"legal_name", "business_numbers"}, at, problems)
            covered.append(
                core.CoveredEntity(
                    legal_name=_text(
                        e.get("legal_name"), f"{at}.legal_name", problems, NAME_LIMIT, required=True
                    ).strip(),
                    business_numbers=_texts(
                        e.get("business_numbers"), f"{at}.business_numbers", problems, 40
                    ),
                )
            )
        joint = core.JointReport(covered_entities=covered)
    scope_data = _object(data.get("scope"), f"{where}.scope", problems)
    _unknown_keys(scope_data, set(SCOPE_FLAGS), f"{where}.scope", problems)
    scope = core.ScopeBasis(
        **{
            flag: _bool(scope_data.get(flag), f"{where}.scope.{flag}", problems)
            for flag in SCOPE_FLAGS
        }
    )
    lists = {
        name: _options(data.get(name), f"{where}.{name}", problems, question)
        for name, question in ENTITY_LISTS.items()
    }
    return core.EntityDetails(
        legal_name=_text(
            data.get("legal_name"), f"{where}.legal_name", problems, NAME_LIMIT
        ).strip(),
        business_numbers=_texts(
            data.get("business_numbers"), f"{where}.business_numbers", problems, 40
        ),
        financial_year_start=_date(
            data.get("financial_year_start"), f"{where}.financial_year_start", problems
        ),
        financial_year_end=_date(
            data.get("financial_year_end"), f"{where}.financial_year_end", problems
        ),
        revised=revised,
        joint=joint,
        scope=scope,
        **lists,
    )


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def entity_to_json(entity: core.EntityDetails) -> dict[str, Any]:
    """Write entity details in the stored shape."""
    return {
        "legal_name": entity.legal_name,
        "business_numbers": list(entity.business_numbers),
        "financial_year_start": _iso(entity.financial_year_start),
        "financial_year_end": _iso(entity.financial_year_end),
        "revised": (
            {
                "original_date": _iso(entity.revised.original_date),
                "description": entity.revised.description,
            }
            if entity.revised
            else None
        ),
        "joint": (
            {
                "covered_entities": [
                    {"legal_name": e.legal_name, "business_numbers": list(e.business_numbers)}
                    for e in entity.joint.covered_entities
                ]
            }
            if entity.joint
            else None
        ),
        "scope": {flag: getattr(entity.scope, flag) for flag in SCOPE_FLAGS},
        **{name: list(getattr(entity, name)) for name in ENTITY_LISTS},
    }


# --- Sections ------------------------------------------------------------------------------


def link_from_json(value: Mapping[str, Any]) -> core.EvidenceLink:
    """Read a stored evidence link (written by this module, so trusted)."""
    return core.EvidenceLink(
        assessment_id=value.get("assessment_id"),
        kind=str(value["kind"]),
        value=value["value"],
        reference_version=str(value.get("reference_version", "")),
        key=str(value.get("key", "")),
    )


def link_to_json(link: core.EvidenceLink) -> dict[str, Any]:
    return asdict(link)


def statement_to_json(
    statement: core.DraftedStatement, drafted: str | None = None
) -> dict[str, Any]:
    """Write a drafted statement; `drafted` keeps the text as first drafted, to show edits."""
    return {
        "text": statement.text,
        "lang": statement.lang,
        "drafted": statement.text if drafted is None else drafted,
        "evidence": [link_to_json(link) for link in statement.evidence],
    }


def sections_from_stored(stored: Mapping[str, Any]) -> dict[str, core.ReportSection]:
    """Read the stored sections (always complete, (a)-(g))."""
    sections = core.empty_sections()
    for key in core.SECTIONS:
        data = stored.get(key) or {}
        text = data.get("text") or {}
        sections[key] = core.ReportSection(
            key,
            core.BilingualText(en=text.get("en", ""), fr=text.get("fr", "")),
            [
                core.DraftedStatement(
                    text=s["text"],
                    evidence=[link_from_json(link) for link in s.get("evidence", [])],
                    lang=s.get("lang", "en"),
                )
                for s in data.get("statements", [])
            ],
        )
    return sections


def empty_sections_json() -> dict[str, Any]:
    return {key: {"text": {"en": "", "fr": ""}, "statements": []} for key in core.SECTIONS}


def merge_sections(stored: Mapping[str, Any], changes: Any, problems: Problems) -> dict[str, Any]:
    """Apply edits to the stored sections and return the new stored form.

    `changes` is {"c": {"text": {"en": ...}, "statements": [{"text": ..., "remove": false}]}}:
    only the sections and languages given change. Statements are edited in place, one entry
    per stored statement, in order: the text can change and a statement can be removed, but
    its evidence links stay those it was drafted with (re-draft to get new ones).
    """
    merged = {key: _copy_section(stored.get(key)) for key in core.SECTIONS}
    data = _object(changes, "sections", problems)
    for key, change in data.items():
        where = f"sections.{key}"
        if key not in core.SECTIONS:
            problems.add(where, "Sections are a to g (s.11(3) of the Act).")
            continue
        section = _object(change, where, problems)
        _unknown_keys(section, {"text", "statements"}, where, problems)
        if "text" in section:
            text = _object(section["text"], f"{where}.text", problems)
            for lang, value in text.items():
                if lang not in core.LANGS:
                    problems.add(f"{where}.text.{lang}", "Texts are keyed en and fr.")
                    continue
                merged[key]["text"][lang] = _text(
                    value, f"{where}.text.{lang}", problems, SECTION_TEXT_LIMIT
                )
        if "statements" in section:
            merged[key]["statements"] = _edit_statements(
                merged[key]["statements"], section["statements"], f"{where}.statements", problems
            )
    return merged


def _copy_section(stored: Any) -> dict[str, Any]:
    stored = stored or {}
    text = stored.get("text") or {}
    return {
        "text": {"en": text.get("en", ""), "fr": text.get("fr", "")},
        "statements": [dict(s) for s in stored.get("statements", [])],
    }


def _edit_statements(
    current: list[dict[str, Any]], edits: Any, where: str, problems: Problems
) -> list[dict[str, Any]]:
    if not isinstance(edits, list):
        problems.add(where, "Expected a list with one entry per drafted statement.")
        return current
    if len(edits) != len(current):
        problems.add(
            where,
            f"Expected {len(current)} entries, one per drafted statement in order; got "
            f'{len(edits)}. Remove a statement with "remove": true.',
        )
        return current
    kept = []
    for index, (statement, edit) in enumerate(zip(current, edits, strict=True)):
        at = f"{where}.{index}"
        change = _object(edit, at, problems)
        _unknown_keys(change, {"text", "remove"}, at, problems)
        if _bool(change.get("remove"), f"{at}.remove", problems):
            continue
        if "text" in change:
            text = _text(change["text"], f"{at}.text", problems, SECTION_TEXT_LIMIT)
            if not text.strip():
                problems.add(f"{at}.text", 'Empty; to drop the statement send "remove": true.')
            statement = {**statement, "text": text}
        kept.append(statement)
    return kept


# --- Approval ------------------------------------------------------------------------------

APPROVAL_FIELDS = {
    "approving_body",
    "approval_date",
    "signatory_name",
    "signatory_title",
    "attestation",
}


def approval_from_json(value: Any, problems: Problems, where: str = "approval") -> core.Approval:
    """Read approval and attestation, noting every problem in `problems`."""
    data = _object(value, where, problems)
    _unknown_keys(data, APPROVAL_FIELDS, where, problems)
    return core.Approval(
        approving_body=_bilingual(
            data.get("approving_body"), f"{where}.approving_body", problems, NAME_LIMIT
        ),
        approval_date=_date(data.get("approval_date"), f"{where}.approval_date", problems),
        signatory_name=_text(
            data.get("signatory_name"), f"{where}.signatory_name", problems, NAME_LIMIT
        ).strip(),
        signatory_title=_bilingual(
            data.get("signatory_title"), f"{where}.signatory_title", problems, NAME_LIMIT
        ),
        attestation=_bilingual(
            data.get("attestation"), f"{where}.attestation", problems, APPROVAL_TEXT_LIMIT
        ),
    )


def approval_to_json(approval: core.Approval) -> dict[str, Any]:
    return {
        "approving_body": asdict(approval.approving_body),
        "approval_date": _iso(approval.approval_date),
        "signatory_name": approval.signatory_name,
        "signatory_title": asdict(approval.signatory_title),
        "attestation": asdict(approval.attestation),
    }


# --- Questionnaire answers -----------------------------------------------------------------


def derived_answers(entity: core.EntityDetails) -> dict[str, Any]:
    """Write Part 1 of the questionnaire from the entity details."""
    answers: dict[str, Any] = {"reporting_for": "entity"}
    if entity.legal_name.strip():
        answers["legal_name"] = entity.legal_name.strip()
    if entity.financial_year_start:
        answers["financial_year_start"] = entity.financial_year_start.isoformat()
    if entity.financial_year_end:
        answers["financial_year_end"] = entity.financial_year_end.isoformat()
    answers["revised_report"] = "yes" if entity.revised else "no"
    if entity.revised:
        if entity.revised.original_date:
            answers["revised_original_date"] = entity.revised.original_date.isoformat()
        if entity.revised.description.strip():
            answers["revised_changes"] = entity.revised.description
    if entity.business_numbers:
        answers["business_numbers"] = list(entity.business_numbers)
    answers["joint_report"] = "yes" if entity.joint else "no"
    if entity.joint and entity.joint.covered_entities:
        answers["joint_entities"] = [
            {"legal_name": e.legal_name, "business_numbers": list(e.business_numbers)}
            for e in entity.joint.covered_entities
        ]
    scope = [
        value
        for value, on in (
            ("listed_canada", entity.scope.listed_in_canada),
            ("canadian_presence", entity.scope.canadian_presence),
            ("assets_20m", entity.scope.assets_20m),
            ("revenue_40m", entity.scope.revenue_40m),
            ("employees_250", entity.scope.employees_250),
        )
        if on
    ]
    if scope:
        answers["scope_basis"] = scope
    for name, question in ENTITY_LISTS.items():
        if getattr(entity, name):
            answers[question] = list(getattr(entity, name))
    return answers


def full_answers(entity: core.EntityDetails, stored: Mapping[str, Any]) -> dict[str, Any]:
    """Return every answer: Part 1 from the entity details, the rest as the person gave it."""
    return {**derived_answers(entity), **stored}


def merge_answers(
    entity: core.EntityDetails, stored: Mapping[str, Any], changes: Any, problems: Problems
) -> dict[str, Any]:
    """Apply answer changes (null or "" removes an answer) and return the answers to store.

    Part 1 answers are refused here (they come from the entity details); answers that cannot
    be what their question asks for are refused; answers of questions the other answers hide
    are dropped.
    """
    data = _object(changes, "answers", problems)
    merged = dict(stored)
    for key, value in data.items():
        if key in DERIVED_ANSWERS:
            problems.add(
                f"answers.{key}",
                f"Part 1 answers come from the entity details; change entity.{_entity_field(key)}.",
            )
            continue
        if value is None or value == "" or value == []:
            merged.pop(key, None)
        else:
            merged[key] = value
    answers = full_answers(entity, merged)
    for finding in validate_answers(answers):
        if finding.code in REFUSED_ANSWER_CODES:
            problems.add(f"answers.{finding.question}", f"{finding.message} {finding.fix}")
    shown = normalise_answers(answers)
    return {key: value for key, value in shown.items() if key not in DERIVED_ANSWERS}


def _entity_field(answer: str) -> str:
    return {
        "locations": "provinces",
        "reporting_for": "legal_name",
        "revised_report": "revised",
        "revised_original_date": "revised.original_date",
        "revised_changes": "revised.description",
        "joint_report": "joint",
        "joint_entities": "joint.covered_entities",
        "scope_basis": "scope",
    }.get(answer, answer)


# --- Evidence ------------------------------------------------------------------------------


def evidence_to_json(evidence: core.EvidenceSummary) -> dict[str, Any]:
    """Write an evidence summary (frozen with an approved report)."""
    data = asdict(evidence)
    data["share_by_band"] = dict(evidence.share_by_band)
    return data


def evidence_from_json(data: Mapping[str, Any]) -> core.EvidenceSummary:
    """Read an evidence summary written by `evidence_to_json`."""

    def rows(name: str) -> tuple[core.ExposureRow, ...]:
        return tuple(core.ExposureRow(**row) for row in data.get(name, []))

    return core.EvidenceSummary(
        assessment_id=data.get("assessment_id"),
        lines=int(data.get("lines", 0)),
        suppliers=int(data.get("suppliers", 0)),
        countries=int(data.get("countries", 0)),
        goods=int(data.get("goods", 0)),
        risk_countries=rows("risk_countries"),
        risk_goods=rows("risk_goods"),
        risk_sectors=rows("risk_sectors"),
        share_by_band=dict(data.get("share_by_band", {})),
        insufficient_data_share=float(data.get("insufficient_data_share", 0.0)),
        weighting=data.get("weighting", "lines"),
        model=str(data.get("model", "")),
        profile=str(data.get("profile", "")),
        reference_version=str(data.get("reference_version", "")),
        sources=tuple(core.SourceEdition(**s) for s in data.get("sources", [])),
    )
