"""Check a report against the Act, its questionnaire answers and the assessment data.

`check_report` runs every check and returns findings; each check is a small function whose
docstring says what it looks for. Blocking findings must be fixed before the report is
submitted; warnings ask a person to look. Several checks are heuristics, documented where
they are defined: the personal-information patterns, the language guess, the page estimate
and the "steps described" keywords. They err towards asking, since the cost of a question is
low and the cost of a false or identifying statement in a signed, published report is high.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from supplychain.reporting.drafting import MAX_NAMED, MAX_TABLE_ROWS, high_rows, row_label
from supplychain.reporting.findings import Finding, localised, make_finding
from supplychain.reporting.i18n import fmt_pct, join_list
from supplychain.reporting.model import (
    HIGH_BANDS,
    LANGS,
    SECTIONS,
    EvidenceLink,
    EvidenceSummary,
    ExposureRow,
    Lang,
    Report,
)
from supplychain.reporting.questionnaire import (
    DETAILS_LIMIT,
    QUESTIONS_BY_ID,
    free_texts,
    is_shown,
    sequence_of,
    validate_answers,
)

Answers = Mapping[str, Any]

# --- Length -------------------------------------------------------------------------------
# The guidance limits the report to 10 pages (20 when bilingual). The estimate counts the
# characters a reader sees in the sections and the attestation at CHARS_PER_PAGE per page of
# the renderer's body text, adds PARAGRAPH_CHARS per paragraph (the half-empty last line and
# the space after it), the pages the renderer adds per language (entity details, charts,
# annex, attestation) and the shared cover. The constants were fitted by least squares on the
# renderer's own output (18 reports of 4,000 to 85,000 characters);
# tests/supplychain/reporting/test_pdf.py keeps the estimate within 1.5 pages of the render.
CHARS_PER_PAGE = 4500
PARAGRAPH_CHARS = 90
COVER_PAGES = 0.6
FIXED_PAGES_PER_LANGUAGE = 3.7
TABLE_ROWS_INCLUDED = 10  # country and good rows the fixed pages already hold
TABLE_ROWS_PER_PAGE = 45
PAGE_LIMIT = {"en": 10, "fr": 10, "both": 20}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- Language guess -----------------------------------------------------------------------
# Function words that occur in one language and (almost) never in the other. A text is taken
# to be in a language when at least 3 of its words are in that language's list and they
# outnumber the other's at least 2 to 1; short texts (under 8 words) are not judged.
EN_WORDS = _words(
    "the and of to is are was were our we with for that this these from have has by "
    "which their they not been will"
)
FR_WORDS = _words(
    "le la les et des du un une est sont nous notre nos pour dans avec aux au qui que sur "
    "par cette ces leur leurs été ont pas"
)
_WORD = re.compile(r"[a-zàâçéèêëîïôûùüÿœ]+")

# --- Personal information -----------------------------------------------------------------
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A run of 9 to 15 digits, possibly with a leading + and single separators (space, dot, hyphen,
# parentheses): wide on purpose, then amounts written with thousands separators (40 000 000,
# 250,000,000) and ISO dates are set aside.
PHONE = re.compile(r"(?<![\w.,/-])\+?\(?\d(?:[\s.\-()]{0,2}\d){8,14}(?![\w/-])")
THOUSANDS = re.compile(r"\d{1,3}(?:[ ,.\u00a0]\d{3})+")
# Names of individuals: a role word for a person followed by a capitalised name ("worker
# Maria Lopez", "l'employée Fatima"), with or without "named/called/nommé(e)", and honorifics
# (Mr., Mrs., Ms., Miss, Dr, M., Mme, Mlle) followed by a capitalised word. Capitalised words
# that commonly follow a role word without being names ("employee Code of Conduct") are
# ignored, as are the signatory's own names.
_ROLE = (
    r"(?i:workers?|employees?|labou?rers?|child|children|girl|boy|victims?|migrants?|"
    r"travailleu(?:r|se|rs|ses)|employée?s?|ouvri(?:er|ère)s?|enfants?|victimes?|"
    r"migrante?s?)"
)
_CONNECTOR = r"(?:\s+(?i:named|called|nommée?|appelée?|prénommée?))?"
_NAME = r"[A-ZÀ-Ý][a-zà-ÿ'’-]+(?:\s+[A-ZÀ-Ý][a-zà-ÿ'’-]+)?"
ROLE_NAME = re.compile(rf"\b{_ROLE}{_CONNECTOR}\s+({_NAME})")
HONORIFIC = re.compile(rf"(?:\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Mme|Mlle|Mmes)\.?|\bM\.)\s+({_NAME})")
NOT_NAMES = _words(
    "Code Codes Handbook Training Policy Policies Survey Surveys Council Committee Voice "
    "Relations Engagement Assistance Program Programme Representatives Representative Welfare "
    "Rights Hotline Helpline Portal Protection Act Charter Guide Guidelines Manual Standard "
    "Standards Union Unions Forum Fund Day Week Month Year Centre Center Network Benefits "
    "Wellbeing Well-being Safety Health Handbook Onboarding Ethics Conduct Agreement "
    "Formation Politique Charte Comité Conseil Guide Programme Sondage "
    # Titles and subjects that follow "child"/"worker" ("Goods Produced by Child Labor").
    "Labor Labour Labourers Work Workers Soldiers Marriage Trafficking Slavery Exploitation "
    "Care Support Travail Esclavage Traite"
)

# --- Steps described ----------------------------------------------------------------------
# Words in sections (b), (c), (d), (f) and (g) that describe a step against forced or child
# labour, in English and French. Negations ("we have no code of conduct") also match, so a
# hit is a warning only.
STEP_WORDS = re.compile(
    r"\b(?:code of conduct|due diligence|audit(?:s|ed|ing)?|train(?:ed|ing)|grievance|"
    r"polic(?:y|ies)|risk assessment|assess(?:ed|ment)|mapp(?:ed|ing)|screen(?:ed|ing)|"
    r"scoring model|code de conduite|diligence raisonnable|formation|formés?|plaintes?|"
    r"politiques?|évaluation des risques|évalué(?:e|s)?|cartographi\w*|modèle de notation)\b",
    re.IGNORECASE,
)
STEP_SECTIONS = ("b", "c", "d", "f", "g")

# Questions whose "yes" means section (x) must say something.
TOPICS = (
    ("policies_due_diligence", "b"),
    ("remediation", "d"),
    ("income_loss", "e"),
    ("training", "f"),
    ("effectiveness", "g"),
)
NO_STEPS = "no_steps"


def _blank(text: str | None) -> bool:
    return not (text or "").strip()


def _lang_name(lang: Lang) -> dict[str, str]:
    return localised(f"lang.{lang}")


# --- Entity ---------------------------------------------------------------------------------


def check_legal_name(
    report: Report, answers: Answers, evidence: EvidenceSummary | None
) -> Iterator[Finding]:
    """The report names the reporting entity."""
    if _blank(report.entity.legal_name):
        yield make_finding("LEGAL_NAME_MISSING", section="entity")


def check_financial_year(
    report: Report, answers: Answers, evidence: EvidenceSummary | None
) -> Iterator[Finding]:
    """The report states the financial year it covers, start before end."""
    start, end = report.entity.financial_year_start, report.entity.financial_year_end
    if start is None or end is None:
        yield make_finding("FINANCIAL_YEAR_MISSING", section="entity")
    elif end <= start:
        yield make_finding(
            "FINANCIAL_YEAR_ORDER", section="entity", start=start.isoformat(), end=end.isoformat()
        )


def check_joint(
    report: Report, answers: Answers, evidence: EvidenceSummary | None
) -> Iterator[Finding]:
    """A joint report names the entities it covers."""
    joint = report.entity.joint
    if joint is not None and not [e for e in joint.covered_entities if not _blank(e.legal_name)]:
        yield make_finding("JOINT_WITHOUT_ENTITIES", section="entity")


def check_revision(
    report: Report, answers: Answers, evidence: EvidenceSummary | None
) -> Iterator[Finding]:
    """A revised report gives the original's date and says what changed, within 1,500 characters."""
    revised = report.entity.revised
    if revised is None:
        return
    if revised.original_date is None or _blank(revised.description):
        yield make_finding("REVISION_INCOMPLETE", section="entity")
    if len(revised.description) > DETAILS_LIMIT:
        yield make_finding(
            "TEXT_TOO_LONG",
            section="entity",
            where=localised("where.revision"),
            length=len(revised.description),
            limit=DETAILS_LIMIT,
        )


def check_scope(
    report: Report, answers: Answers, evidence: EvidenceSummary | None
) -> Iterator[Finding]:
    """The scope basis brings the entity under the Act: listed, or presence + 2 of 3 thresholds."""
    scope = report.entity.scope
    if not scope.in_scope:
        presence = "scope.presence_yes" if scope.canadian_presence else "scope.presence_no"
        yield make_finding(
            "SCOPE_NOT_MET",
            section="entity",
            presence=localised(presence),
            thresholds=scope.thresholds_met,
        )


# --- Sections and languages -------------------------------------------------------------


def check_sections(
    report: Report, answers: Answers, evidence: EvidenceSummary | None
) -> Iterator[Finding]:
    """Each of (a)-(g) says something in every language of the report.

    A section empty in every language is SECTION_EMPTY, or TOPIC_SECTION_EMPTY when the
    questionnaire answered "yes" to the matching topic; a section written in one language
    only, in a report that needs both, is LANGUAGE_MISSING.
    """
    topic_of = {section: q for q, section in TOPICS}
    for key in SECTIONS:
        section = report.section(key)
        if not any(section.filled(lang) for lang in LANGS):
            topic = topic_of.get(key)
            if topic and answers.get(topic) == "yes":
                yield make_finding(
                    "TOPIC_SECTION_EMPTY",
                    section=key,
                    question=topic,
                    topic=localised(f"topic.{topic}"),
                )
            else:
                yield make_finding("SECTION_EMPTY", section=key)
            continue
        for lang in report.langs:
            if not section.filled(lang):
                yield make_finding("LANGUAGE_MISSING", section=key, language=_lang_name(lang))


def detect_language(text: str) -> Lang | None:
    """Guess whether a text is English or French from its function words (None: can't tell)."""
    words = _WORD.findall(text.lower())
    if len(words) < 8:
        return None
    en = sum(w in EN_WORDS for w in words)
    fr = sum(w in FR_WORDS for w in words)
    if fr >= 3 and fr >= 2 * en:
        return "fr"
    if en >= 3 and en >= 2 * fr:
        return "en"
    return None


def check_language(
    report: Report, answers: Answers, evidence: EvidenceSummary | None
) -> Iterator[Finding]:
    """The text entered as English reads as English, and the French as French."""
    for key in SECTIONS:
        for lang in LANGS:
            detected = detect_language(report.section(key).text.get(lang))
            if detected is not None and detected != lang:
                yield make_finding(
                    "LANGUAGE_MISMATCH",
                    section=key,
                    stated=_lang_name(lang),
                    detected=_lang_name(detected),
                )


# --- Approval and attestation -----------------------------------------------------------


def check_approval(
    report: Report, answers: Answers, evidence: EvidenceSummary | None
) -> Iterator[Finding]:
    """The approving body, the approval date, the signatory and the attestation are given."""
    approval = report.approval
    if not approval.approving_body.any_filled():
        yield make_finding("APPROVAL_BODY_MISSING", section="approval")
    if approval.approval_date is None:
        yield make_finding("APPROVAL_DATE_MISSING", section="approval")
    if _blank(approval.signatory_name) or not approval.signatory_title.any_filled():
        yield make_finding("SIGNATORY_MISSING", section="approval")
    for lang in report.langs:
        if not approval.attestation.filled(lang):
            yield make_finding("ATTESTATION_MISSING", section="approval", language=_lang_name(lang))


# --- Questionnaire against report -------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _scope_answer(report: Report) -> list[str]:
    scope = report.entity.scope
    flags = {
        "listed_canada": scope.listed_in_canada,
        "canadian_presence": scope.canadian_presence,
        "assets_20m": scope.assets_20m,
        "revenue_40m": scope.revenue_40m,
        "employees_250": scope.employees_250,
    }
    return [value for value, on in flags.items() if on]


def check_answers_match_report(
    report: Report, answers: Answers, evidence: EvidenceSummary | None
) -> Iterator[Finding]:
    """The questionnaire and the report agree on name, year, joint, revised and scope."""
    entity = report.entity

    def differ(field: str, answer: Any, value: str) -> Finding:
        return make_finding(
            "ANSWER_MISMATCH",
            section="entity",
            question=field,
            field=localised(f"field.{field}"),
            answer=str(answer),
            report=value,
        )

    name = answers.get("legal_name")
    if (
        isinstance(name, str)
        and name.strip()
        and entity.legal_name.strip()
        and _norm(name) != _norm(entity.legal_name)
    ):
        yield differ("legal_name", name, entity.legal_name)
    for field, value in (
        ("financial_year_start", entity.financial_year_start),
        ("financial_year_end", entity.financial_year_end),
    ):
        answer = answers.get(field)
        if isinstance(answer, str) and value is not None and answer != value.isoformat():
            yield differ(field, answer, value.isoformat())
    for field, flag in (
        ("joint_report", entity.joint is not None),
        ("revised_report", entity.revised is not None),
    ):
        answer = answers.get(field)
        if answer in ("yes", "no") and (answer == "yes") != flag:
            yield differ(field, answer, "yes" if flag else "no")
    scope = answers.get("scope_basis")
    if isinstance(scope, list) and scope and set(scope) != set(_scope_answer(report)):
        yield differ(
            "scope_basis", ", ".join(sorted(scope)), ", ".join(sorted(_scope_answer(report)))
        )


def check_no_steps(
    report: Report, answers: Answers, evidence: EvidenceSummary | None
) -> Iterator[Finding]:
    """An answer of "no steps taken" agrees with the other answers and with the sections."""
    if NO_STEPS not in sequence_of(answers.get("steps_taken")):
        return
    contradicting = [q for q, _ in TOPICS if answers.get(q) == "yes"]
    if contradicting:
        items = ", ".join(f"{QUESTIONS_BY_ID[q].number} ({q})" for q in contradicting)
        yield make_finding(
            "NO_STEPS_CONTRADICTED_BY_ANSWERS",
            section="questionnaire",
            question="steps_taken",
            items=items,
        )
    for key in STEP_SECTIONS:
        section = report.section(key)
        words = sorted(
            {m.lower() for lang in LANGS for m in STEP_WORDS.findall(section.full_text(lang))}
        )
        if words:
            yield make_finding(
                "NO_STEPS_CONTRADICTED_BY_TEXT",
                section=key,
                question="steps_taken",
                words=", ".join(words[:5]),
            )


# --- Data against answers and report ----------------------------------------------------


def _high(rows: tuple[ExposureRow, ...]) -> list[ExposureRow]:
    return [r for r in rows if r.band in HIGH_BANDS and r.lines > 0]


def check_risks_against_evidence(
    report: Report, answers: Answers, evidence: EvidenceSummary | None
) -> Iterator[Finding]:
    """Answers on risks agree with the data: no "no risk" beside High or Critical lines, no
    High or Critical country left out of the countries selected."""
    if evidence is None or not evidence.high_or_critical:
        return
    countries, goods = _high(evidence.risk_countries), _high(evidence.risk_goods)
    if answers.get("risks_identified") == "no":
        named = {
            lang: join_list(
                [row_label(r, lang, "country") for r in countries[:3]]
                + [row_label(r, lang, "good") for r in goods[:3]],
                lang,
            )
            or fmt_pct(sum(evidence.share_by_band.get(b, 0.0) for b in HIGH_BANDS), lang)
            for lang in LANGS
        }
        yield make_finding(
            "RISKS_DENIED_WITH_EXPOSURE", section="c", question="risks_identified", items=named
        )
    if answers.get("risks_identified") == "yes":
        selected = set(sequence_of(answers.get("risk_countries")))
        if not is_shown(QUESTIONS_BY_ID["risk_countries"], answers):
            selected = set()
        missing = [r for r in countries if r.key not in selected]
        if missing:
            names = {
                lang: join_list([row_label(r, lang, "country") for r in missing], lang)
                for lang in LANGS
            }
            yield make_finding(
                "RISK_COUNTRIES_OMITTED", section="c", question="risk_countries", items=names
            )


def check_section_c_reflects_evidence(
    report: Report, answers: Answers, evidence: EvidenceSummary | None
) -> Iterator[Finding]:
    """Section (c) names the countries and goods with High or Critical exposure, and says what
    share of the purchases had insufficient data."""
    if evidence is None:
        return
    section = report.section("c")
    # The sentences name the first MAX_NAMED of each list; the tables under (c) carry the rest.
    rows = [("country", r) for r in high_rows(evidence.risk_countries)[:MAX_NAMED]] + [
        ("good", r) for r in high_rows(evidence.risk_goods)[:MAX_NAMED]
    ]
    missing: dict[str, list[str]] = {lang: [] for lang in LANGS}
    for lang in report.langs:
        text = _norm(section.full_text(lang))
        for kind, row in rows:
            if _norm(row_label(row, lang, kind)) not in text:
                missing[lang].append(row_label(row, lang, kind))
    if any(missing.values()):
        first = next(lang for lang in report.langs if missing[lang])
        items = {lang: join_list(missing[lang] or missing[first], lang) for lang in LANGS}
        yield make_finding("HIGH_RISK_NOT_MENTIONED", section="c", items=items)
    if evidence.insufficient_data_share > 0:
        for lang in report.langs:
            stated = any(
                link.kind == "insufficient_data_share"
                for s in section.statements_in(lang)
                for link in s.evidence
            ) or re.search(
                r"insufficient data|données insuffisantes", section.text.get(lang), re.IGNORECASE
            )
            if not stated:
                share = {lang: fmt_pct(evidence.insufficient_data_share, lang) for lang in LANGS}
                yield make_finding("INSUFFICIENT_DATA_UNDISCLOSED", section="c", share=share)
                break


_COUNT_FIELDS = {
    "count_lines": "lines",
    "count_suppliers": "suppliers",
    "count_countries": "countries",
    "count_goods": "goods",
}


def _stale(link: EvidenceLink, evidence: EvidenceSummary) -> bool:
    """Say whether a link points at other data than `evidence` (assessment, version, count)."""
    if link.reference_version != evidence.reference_version:
        return True
    if evidence.assessment_id is not None and link.assessment_id != evidence.assessment_id:
        return True
    field = _COUNT_FIELDS.get(link.kind)
    return field is not None and link.value != getattr(evidence, field)


def check_statements_current(
    report: Report, answers: Answers, evidence: EvidenceSummary | None
) -> Iterator[Finding]:
    """Drafted statements come from the current assessment and reference-data version."""
    if evidence is None:
        return
    for key in SECTIONS:
        for statement in report.section(key).statements:
            stale = [link for link in statement.evidence if _stale(link, evidence)]
            if stale:
                yield make_finding("STATEMENT_OUTDATED", section=key, kind=stale[0].kind)
                break


# --- Personal information and length ----------------------------------------------------


def _phones(text: str) -> Iterator[str]:
    for match in PHONE.finditer(text):
        candidate = match.group(0).strip()
        digits = sum(c.isdigit() for c in candidate)
        if 9 <= digits <= 15 and not THOUSANDS.fullmatch(candidate):
            yield candidate


def _names(text: str, known: set[str]) -> Iterator[str]:
    for pattern in (ROLE_NAME, HONORIFIC):
        for match in pattern.finditer(text):
            name = match.group(1)
            first = name.split()[0]
            if first in NOT_NAMES or any(part in known for part in name.split()):
                continue
            yield match.group(0)


def _texts_to_scan(
    report: Report, answers: Answers
) -> Iterator[tuple[str | None, dict[str, str], str]]:
    """Yield (section, where, text) for every free text a person typed."""
    for key in SECTIONS:
        for lang in LANGS:
            text = report.section(key).text.get(lang)
            if text.strip():
                yield key, localised("where.section", section=key), text
    if report.entity.revised and report.entity.revised.description.strip():
        yield "entity", localised("where.revision"), report.entity.revised.description
    for answer_key, text in free_texts(answers):
        yield "questionnaire", localised("where.answer", question=answer_key), text


def check_personal_information(
    report: Report, answers: Answers, evidence: EvidenceSummary | None
) -> Iterator[Finding]:
    """Free text holds no e-mail address, telephone number or name of an individual worker."""
    known = set(report.approval.signatory_name.split())
    detectors: tuple[tuple[str, Callable[[str], Iterator[str]]], ...] = (
        ("PERSONAL_EMAIL", lambda text: (m.group(0) for m in EMAIL.finditer(text))),
        ("PERSONAL_PHONE", _phones),
        ("PERSONAL_NAME", lambda text: _names(EMAIL.sub(" ", text), known)),
    )
    for section, where, text in _texts_to_scan(report, answers):
        for code, detect in detectors:
            found = next(iter(detect(text)), None)
            if found is not None:
                yield make_finding(code, section=section, where=where, match=found)


def estimate_pages(report: Report, evidence: EvidenceSummary | None = None) -> float:
    """Estimate the page count of the rendered report from its characters (see CHARS_PER_PAGE)."""
    rows = 0
    if evidence is not None:
        rows = sum(
            min(MAX_TABLE_ROWS, len(_high(found)))
            for found in (evidence.risk_countries, evidence.risk_goods)
        )
    pages = COVER_PAGES
    for lang in report.langs:
        texts = [report.section(k).full_text(lang) for k in SECTIONS]
        texts.append(report.approval.attestation.get(lang))
        chars = sum(len(text) for text in texts)
        chars += PARAGRAPH_CHARS * sum(
            len([b for b in x.split("\n\n") if b.strip()]) for x in texts
        )
        pages += FIXED_PAGES_PER_LANGUAGE + chars / CHARS_PER_PAGE
        pages += max(0, rows - TABLE_ROWS_INCLUDED) / TABLE_ROWS_PER_PAGE
    return pages


def check_length(
    report: Report, answers: Answers, evidence: EvidenceSummary | None
) -> Iterator[Finding]:
    """The report fits the guidance's length: 10 pages, or 20 when bilingual (an estimate)."""
    pages = estimate_pages(report, evidence)
    limit = PAGE_LIMIT[report.language]
    if pages > limit:
        yield make_finding("REPORT_TOO_LONG", pages=math.ceil(pages), limit=limit)


CHECKS: tuple[Callable[[Report, Answers, EvidenceSummary | None], Iterator[Finding]], ...] = (
    check_legal_name,
    check_financial_year,
    check_joint,
    check_revision,
    check_scope,
    check_sections,
    check_language,
    check_approval,
    check_answers_match_report,
    check_no_steps,
    check_risks_against_evidence,
    check_section_c_reflects_evidence,
    check_statements_current,
    check_personal_information,
    check_length,
)


def check_report(
    report: Report, answers: Answers | None = None, evidence: EvidenceSummary | None = None
) -> list[Finding]:
    """Check the report, its questionnaire answers and the data; blocking findings first.

    The answers are also validated on their own (`questionnaire.validate_answers`) when given.
    """
    findings = validate_answers(answers) if answers is not None else []
    for check in CHECKS:
        findings.extend(check(report, answers or {}, evidence))
    return sorted(findings, key=lambda f: f.severity != "blocking")
