"""The plain report object: entity details, sections (a)-(g), approval and the evidence summary."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Lang = Literal["en", "fr"]
Language = Literal["en", "fr", "both"]
Status = Literal["draft", "approved", "published"]

LANGS: tuple[Lang, ...] = ("en", "fr")
# The items of s.11(3) of the Act, in order; the PDF, the checks and the crosswalk use these keys.
SECTIONS = ("a", "b", "c", "d", "e", "f", "g")
BANDS = ("Low", "Medium", "High", "Critical")
HIGH_BANDS = frozenset({"High", "Critical"})


def report_langs(language: Language) -> tuple[Lang, ...]:
    """Return the languages a report in `language` is written in, in print order."""
    if language == "both":
        return LANGS
    if language in LANGS:
        return (language,)
    raise ValueError(f"unknown report language {language!r}: expected en, fr or both")


@dataclass
class BilingualText:
    """A text as the user entered it, in English and/or French."""

    en: str = ""
    fr: str = ""

    def get(self, lang: Lang) -> str:
        return self.en if lang == "en" else self.fr

    def filled(self, lang: Lang) -> bool:
        return bool(self.get(lang).strip())

    def any_filled(self) -> bool:
        return self.filled("en") or self.filled("fr")

    def prefer(self, lang: Lang) -> str:
        """Return the text in `lang`, or in the other language when `lang` is empty."""
        return (
            self.get(lang) if self.filled(lang) else self.get("fr" if lang == "en" else "en")
        ).strip()


@dataclass(frozen=True)
class EvidenceLink:
    """The data behind a drafted statement, so the figure can be traced and re-checked.

    `kind` names the figure ("count_suppliers", "risk_country", "share_band", ...), `key` what
    it is about where there are several (an ISO3 code, a good, a band) and `value` the figure
    as drafted.
    """

    assessment_id: str | int | None
    kind: str
    value: str | int | float
    reference_version: str
    key: str = ""


@dataclass
class DraftedStatement:
    """A sentence drafted from the evidence, kept with the links to the data it states."""

    text: str
    evidence: list[EvidenceLink] = field(default_factory=list)
    lang: Lang = "en"


@dataclass
class ReportSection:
    """One item of s.11(3): the user's text as entered, plus any drafted statements kept."""

    key: str
    text: BilingualText = field(default_factory=BilingualText)
    statements: list[DraftedStatement] = field(default_factory=list)

    def statements_in(self, lang: Lang) -> list[DraftedStatement]:
        return [s for s in self.statements if s.lang == lang and s.text.strip()]

    def filled(self, lang: Lang) -> bool:
        """Say whether the section says anything in `lang` (text or drafted statements)."""
        return self.text.filled(lang) or bool(self.statements_in(lang))

    def full_text(self, lang: Lang) -> str:
        """Return the text and the statements in `lang`, as printed."""
        parts = [self.text.get(lang).strip(), *(s.text.strip() for s in self.statements_in(lang))]
        return "\n\n".join(p for p in parts if p)


def empty_sections() -> dict[str, ReportSection]:
    return {key: ReportSection(key) for key in SECTIONS}


@dataclass
class RevisedReport:
    """This report revises one already submitted for the same year (s.12 of the Act)."""

    original_date: date | None = None
    description: str = ""


@dataclass
class CoveredEntity:
    """An entity covered by a joint report."""

    legal_name: str
    business_numbers: list[str] = field(default_factory=list)


@dataclass
class JointReport:
    """A joint report: the entities it covers besides the submitting one."""

    covered_entities: list[CoveredEntity] = field(default_factory=list)


@dataclass
class ScopeBasis:
    """Why the entity must report: listed in Canada, or presence plus two of three thresholds."""

    listed_in_canada: bool = False
    canadian_presence: bool = False
    assets_20m: bool = False  # total assets of at least CAD 20 million
    revenue_40m: bool = False  # revenue of at least CAD 40 million
    employees_250: bool = False  # an average of at least 250 employees

    @property
    def thresholds_met(self) -> int:
        return sum((self.assets_20m, self.revenue_40m, self.employees_250))

    @property
    def in_scope(self) -> bool:
        return self.listed_in_canada or (self.canadian_presence and self.thresholds_met >= 2)


@dataclass
class EntityDetails:
    """Who reports, for which financial year, and why.

    `sectors`, `provinces`, `activities` and `other_laws` hold the option values of the
    matching questionnaire questions (e.g. "naics_31-33", "ON", "import_into_canada",
    "uk_msa"), so the report and the answers can be compared; unknown values print as given.
    """

    legal_name: str = ""
    business_numbers: list[str] = field(default_factory=list)
    financial_year_start: date | None = None
    financial_year_end: date | None = None
    revised: RevisedReport | None = None
    joint: JointReport | None = None
    scope: ScopeBasis = field(default_factory=ScopeBasis)
    sectors: list[str] = field(default_factory=list)
    provinces: list[str] = field(default_factory=list)
    activities: list[str] = field(default_factory=list)
    other_laws: list[str] = field(default_factory=list)


@dataclass
class Approval:
    """Approval by the governing body and the attestation signed by one of its members.

    The body and the title are bilingual ("Board of Directors" / "conseil d'administration");
    a report in one language prints the other's text when its own is empty.
    """

    approving_body: BilingualText = field(default_factory=BilingualText)
    approval_date: date | None = None
    signatory_name: str = ""
    signatory_title: BilingualText = field(default_factory=BilingualText)
    attestation: BilingualText = field(default_factory=BilingualText)


@dataclass
class Report:
    """An S-211 annual report as the user wrote it, ready to check and render."""

    entity: EntityDetails = field(default_factory=EntityDetails)
    language: Language = "en"
    sections: dict[str, ReportSection] = field(default_factory=empty_sections)
    approval: Approval = field(default_factory=Approval)
    status: Status = "draft"

    def section(self, key: str) -> ReportSection:
        """Return section `key`, empty if the report does not hold it yet."""
        return self.sections.get(key) or ReportSection(key)

    @property
    def langs(self) -> tuple[Lang, ...]:
        return report_langs(self.language)


@dataclass(frozen=True)
class ExposureRow:
    """A country, good or sector with High or Critical exposure, and how many lines it has."""

    key: str  # ISO3 code for a country, good id for a good, NAICS code for a sector
    label: str  # English display name
    band: str
    lines: int
    label_fr: str = ""  # French display name, when known

    def label_in(self, lang: Lang) -> str:
        return self.label_fr if lang == "fr" and self.label_fr else self.label


@dataclass(frozen=True)
class SourceEdition:
    """A reference dataset and the edition an assessment used."""

    id: str
    title: str
    publisher: str
    edition: str


@dataclass(frozen=True)
class EvidenceSummary:
    """The plain numbers of one assessment that the drafting, checks and charts read.

    Shares are fractions between 0 and 1, weighted as `weighting` says (by lines or by spend).
    """

    assessment_id: str | int | None
    lines: int
    suppliers: int
    countries: int
    goods: int
    risk_countries: tuple[ExposureRow, ...] = ()
    risk_goods: tuple[ExposureRow, ...] = ()
    risk_sectors: tuple[ExposureRow, ...] = ()
    share_by_band: Mapping[str, float] = field(default_factory=dict)
    insufficient_data_share: float = 0.0
    weighting: Literal["lines", "spend"] = "lines"
    model: str = ""
    profile: str = ""
    reference_version: str = ""
    sources: tuple[SourceEdition, ...] = ()

    @property
    def high_or_critical(self) -> bool:
        """Say whether any line reached High or Critical exposure."""
        rows = (*self.risk_countries, *self.risk_goods, *self.risk_sectors)
        return any(r.band in HIGH_BANDS and r.lines > 0 for r in rows) or any(
            self.share_by_band.get(b, 0.0) > 0 for b in HIGH_BANDS
        )
