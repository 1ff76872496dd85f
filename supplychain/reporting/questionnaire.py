"""Public Safety Canada's S-211 questionnaire for entities, as data, and validation of answers.

The layout follows the 2024 questionnaire as publicly summarised; Public Safety may change it
between cycles. Question wording here is our paraphrase. Every question and option carries a
`provenance`: "guidance" when the public guidance describes it, "reconstructed" when it was
rebuilt from secondary summaries (check against the live form before relying on it), and
"reconstructed-uncertain" where even the summaries disagree.

Answers are a flat mapping: question id -> value, and "<id>.details" -> the text of the
question's optional free-text box. Values are plain JSON types: a string (single, yes_no, text,
date as YYYY-MM-DD), a list of strings (multi, list) or a list of objects (entities). The
questions asked of the authorised person before the form starts (name, title, e-mail,
privacy notice) are deliberately left out: they identify a person and belong to the
submission, not to the machine-readable disclosure.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any, Literal

import pycountry

from supplychain.reporting.findings import Finding, make_finding
from supplychain.reporting.i18n import french_spacing
from supplychain.reporting.model import Lang

QuestionType = Literal["single", "multi", "text", "date", "yes_no", "list", "entities"]
Provenance = Literal["guidance", "reconstructed", "reconstructed-uncertain"]

EDITION = "2024"
DETAILS_LIMIT = 1500  # characters in every optional free-text box of the questionnaire
DETAILS_SUFFIX = ".details"
ITEM_LIMIT = 300  # characters in one entry of a list (a product, a name)
BUSINESS_NUMBER = re.compile(r"^\d{9}(?:[A-Z]{2}\d{4})?$")

# Words that tell a reader what kind of value a question wants, in Q_TYPE findings.
TYPE_NAMES: dict[str, dict[str, str]] = {
    "single": {"en": "one of the options", "fr": "l’un des choix"},
    "yes_no": {"en": "yes or no", "fr": "oui ou non"},
    "multi": {"en": "a list of options", "fr": "une liste de choix"},
    "text": {"en": "a text", "fr": "un texte"},
    "date": {"en": "a date (YYYY-MM-DD)", "fr": "une date (AAAA-MM-JJ)"},
    "list": {"en": "a list of texts", "fr": "une liste de textes"},
    "entities": {
        "en": "a list of entities, each with a legal name and business numbers",
        "fr": "une liste d’entités, chacune avec une dénomination et des numéros d’entreprise",
    },
}


@dataclass(frozen=True)
class Option:
    """One choice of a question, with its English and French labels."""

    value: str
    en: str
    fr: str
    provenance: Provenance = "guidance"

    def label(self, lang: Lang) -> str:
        return self.en if lang == "en" else self.fr


@dataclass(frozen=True)
class Condition:
    """A question is shown when the answer to `question` is (or includes) one of `values`."""

    question: str
    values: frozenset[str]

    def holds(self, answers: Mapping[str, Any]) -> bool:
        answer = answers.get(self.question)
        if isinstance(answer, list):
            return any(isinstance(a, str) and a in self.values for a in answer)
        return isinstance(answer, str) and answer in self.values


@dataclass(frozen=True)
class Question:
    """One question of the questionnaire."""

    id: str
    number: str
    part: int
    en: str
    fr: str
    type: QuestionType
    options: tuple[Option, ...] = ()
    required: bool = True  # when shown
    shown_when: tuple[Condition, ...] = ()
    details: bool = False  # has an optional free-text box "<id>.details"
    max_length: int | None = None  # for text questions
    exclusive: frozenset[str] = frozenset()  # options that must stand alone
    section: str | None = None  # the report section (a)-(g) the question mirrors
    provenance: Provenance = "guidance"
    option_values: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "option_values", frozenset(o.value for o in self.options))
        object.__setattr__(self, "fr", french_spacing(self.fr))

    def text(self, lang: Lang) -> str:
        return self.en if lang == "en" else self.fr

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)

    @property
    def details_key(self) -> str:
        return self.id + DETAILS_SUFFIX


def _opts(provenance: Provenance, *rows: tuple[str, str, str]) -> tuple[Option, ...]:
    return tuple(Option(value, en, french_spacing(fr), provenance) for value, en, fr in rows)


def _when(question: str, *values: str) -> tuple[Condition, ...]:
    return (Condition(question, frozenset(values)),)


YES_NO = _opts("guidance", ("yes", "Yes", "Oui"), ("no", "No", "Non"))
ENTITY = _when("reporting_for", "entity")

# NAICS Canada sectors (two-digit level), the "NAICS-style" checklist of the questionnaire.
NAICS_SECTORS = _opts(
    "reconstructed",
    (
        "naics_11",
        "Agriculture, forestry, fishing and hunting",
        "Agriculture, foresterie, pêche et chasse",
    ),
    (
        "naics_21",
        "Mining, quarrying, and oil and gas extraction",
        "Extraction minière, exploitation en carrière, et extraction de pétrole et de gaz",
    ),
    ("naics_22", "Utilities", "Services publics"),
    ("naics_23", "Construction", "Construction"),
    ("naics_31-33", "Manufacturing", "Fabrication"),
    ("naics_41", "Wholesale trade", "Commerce de gros"),
    ("naics_44-45", "Retail trade", "Commerce de détail"),
    ("naics_48-49", "Transportation and warehousing", "Transport et entreposage"),
    (
        "naics_51",
        "Information and cultural industries",
        "Industrie de l’information et industrie culturelle",
    ),
    ("naics_52", "Finance and insurance", "Finance et assurances"),
    (
        "naics_53",
        "Real estate and rental and leasing",
        "Services immobiliers et services de location et de location à bail",
    ),
    (
        "naics_54",
        "Professional, scientific and technical services",
        "Services professionnels, scientifiques et techniques",
    ),
    ("naics_55", "Management of companies and enterprises", "Gestion de sociétés et d’entreprises"),
    (
        "naics_56",
        "Administrative and support, waste management and remediation services",
        "Services administratifs, services de soutien, services de gestion des déchets et "
        "services d’assainissement",
    ),
    ("naics_61", "Educational services", "Services d’enseignement"),
    ("naics_62", "Health care and social assistance", "Soins de santé et assistance sociale"),
    ("naics_71", "Arts, entertainment and recreation", "Arts, spectacles et loisirs"),
    ("naics_72", "Accommodation and food services", "Services d’hébergement et de restauration"),
    (
        "naics_81",
        "Other services (except public administration)",
        "Autres services (sauf les administrations publiques)",
    ),
    ("naics_91", "Public administration", "Administrations publiques"),
)

PROVINCES = _opts(
    "reconstructed",
    ("AB", "Alberta", "Alberta"),
    ("BC", "British Columbia", "Colombie-Britannique"),
    ("MB", "Manitoba", "Manitoba"),
    ("NB", "New Brunswick", "Nouveau-Brunswick"),
    ("NL", "Newfoundland and Labrador", "Terre-Neuve-et-Labrador"),
    ("NS", "Nova Scotia", "Nouvelle-Écosse"),
    ("NT", "Northwest Territories", "Territoires du Nord-Ouest"),
    ("NU", "Nunavut", "Nunavut"),
    ("ON", "Ontario", "Ontario"),
    ("PE", "Prince Edward Island", "Île-du-Prince-Édouard"),
    ("QC", "Quebec", "Québec"),
    ("SK", "Saskatchewan", "Saskatchewan"),
    ("YT", "Yukon", "Yukon"),
)


@cache
def _french_country_names() -> gettext.NullTranslations:
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    except OSError:  # pragma: no cover - pycountry ships its translations
        return gettext.NullTranslations()


def _country_options() -> tuple[Option, ...]:
    french = _french_country_names()
    rows = []
    for country in pycountry.countries:
        name = getattr(country, "common_name", None) or country.name
        rows.append((country.alpha_3, name, french.gettext(name)))
    return _opts("reconstructed", *sorted(rows, key=lambda r: r[1]))


COUNTRIES = _country_options()
_COUNTRY_BY_CODE = {o.value: o for o in COUNTRIES}


def country_label(iso3: str, lang: Lang) -> str:
    """Return a country's name in `lang` from its ISO alpha-3 code ("" when unknown)."""
    option = _COUNTRY_BY_CODE.get(iso3.upper())
    return option.label(lang) if option else ""


QUESTIONS: tuple[Question, ...] = (
    # Part 1: identifying information
    Question(
        "reporting_for",
        "1",
        1,
        "Is this report for an entity or for a government institution?",
        "Ce rapport est-il présenté pour une entité ou pour une institution fédérale?",
        "single",
        _opts(
            "guidance",
            ("entity", "An entity (Part 2 of the Act)", "Une entité (partie 2 de la Loi)"),
            (
                "government_institution",
                "A government institution (Part 1 of the Act)",
                "Une institution fédérale (partie 1 de la Loi)",
            ),
        ),
    ),
    Question(
        "legal_name",
        "2",
        1,
        "Legal name of the reporting entity",
        "Dénomination sociale de l’entité déclarante",
        "text",
        max_length=ITEM_LIMIT,
    ),
    Question(
        "financial_year_start",
        "3a",
        1,
        "First day of the financial year the report covers",
        "Premier jour de l’exercice visé par le rapport",
        "date",
    ),
    Question(
        "financial_year_end",
        "3b",
        1,
        "Last day of the financial year the report covers",
        "Dernier jour de l’exercice visé par le rapport",
        "date",
    ),
    Question(
        "revised_report",
        "4",
        1,
        "Does this report revise one already submitted for the same year?",
        "Ce rapport révise-t-il un rapport déjà présenté pour la même année?",
        "yes_no",
        YES_NO,
    ),
    Question(
        "revised_original_date",
        "4a",
        1,
        "Date the original report was submitted",
        "Date de présentation du rapport original",
        "date",
        shown_when=_when("revised_report", "yes"),
    ),
    Question(
        "revised_changes",
        "4b",
        1,
        "What changed compared with the original report?",
        "Quelles modifications ont été apportées au rapport original?",
        "text",
        shown_when=_when("revised_report", "yes"),
        max_length=DETAILS_LIMIT,
    ),
    Question(
        "business_numbers",
        "5",
        1,
        "Business number(s) of the entity, if any",
        "Numéro(s) d’entreprise de l’entité, le cas échéant",
        "list",
        required=False,
        shown_when=ENTITY,
    ),
    Question(
        "joint_report",
        "6",
        1,
        "Is this a joint report covering more than one entity?",
        "S’agit-il d’un rapport conjoint visant plus d’une entité?",
        "yes_no",
        YES_NO,
        shown_when=ENTITY,
    ),
    Question(
        "joint_entities",
        "6a",
        1,
        "Legal name and business number of each entity the joint report covers",
        "Dénomination sociale et numéro d’entreprise de chaque entité visée par le rapport "
        "conjoint",
        "entities",
        shown_when=_when("joint_report", "yes"),
    ),
    Question(
        "scope_basis",
        "7",
        1,
        "Why does the entity meet the definition of an entity under the Act?",
        "Pourquoi l’entité répond-elle à la définition d’entité au sens de la Loi?",
        "multi",
        _opts(
            "reconstructed",
            (
                "listed_canada",
                "It is listed on a stock exchange in Canada",
                "Elle est inscrite à une bourse de valeurs au Canada",
            ),
            (
                "canadian_presence",
                "It has a place of business, does business or has assets in Canada",
                "Elle a un établissement au Canada, y exerce des activités ou y possède des actifs",
            ),
            (
                "assets_20m",
                "Total assets of at least CAD 20 million",
                "Actif total d’au moins 20 millions de dollars canadiens",
            ),
            (
                "revenue_40m",
                "Revenue of at least CAD 40 million",
                "Revenus d’au moins 40 millions de dollars canadiens",
            ),
            (
                "employees_250",
                "An average of at least 250 employees",
                "Au moins 250 employés en moyenne",
            ),
        ),
        shown_when=ENTITY,
        provenance="reconstructed",
    ),
    Question(
        "sectors",
        "8",
        1,
        "Sector(s) or industry(ies) the entity operates in",
        "Secteur(s) ou industrie(s) dans lesquels l’entité exerce ses activités",
        "multi",
        NAICS_SECTORS,
        shown_when=ENTITY,
        provenance="reconstructed",
    ),
    Question(
        "locations",
        "9",
        1,
        "Province(s) or territory(ies) of the entity’s head office or principal place of business",
        "Province(s) ou territoire(s) du siège ou de l’établissement principal de l’entité",
        "multi",
        PROVINCES,
        shown_when=ENTITY,
        provenance="reconstructed",
    ),
    Question(
        "activities",
        "10",
        1,
        "Which of these activities does the entity carry out?",
        "Lesquelles de ces activités l’entité exerce-t-elle?",
        "multi",
        _opts(
            "reconstructed",
            ("produce_in_canada", "Producing goods in Canada", "Produire des biens au Canada"),
            (
                "produce_outside_canada",
                "Producing goods outside Canada",
                "Produire des biens à l’étranger",
            ),
            ("sell_in_canada", "Selling goods in Canada", "Vendre des biens au Canada"),
            (
                "sell_outside_canada",
                "Selling goods outside Canada",
                "Vendre des biens à l’étranger",
            ),
            (
                "distribute_in_canada",
                "Distributing goods in Canada",
                "Distribuer des biens au Canada",
            ),
            (
                "distribute_outside_canada",
                "Distributing goods outside Canada",
                "Distribuer des biens à l’étranger",
            ),
            (
                "import_into_canada",
                "Importing into Canada goods produced outside Canada",
                "Importer au Canada des biens produits à l’étranger",
            ),
            (
                "control_entity",
                "Controlling an entity that does any of the above",
                "Contrôler une entité qui exerce l’une de ces activités",
            ),
        ),
        shown_when=ENTITY,
        provenance="reconstructed",
    ),
    Question(
        "other_laws",
        "11",
        1,
        "Is the entity also subject to supply-chain reporting laws in other jurisdictions?",
        "L’entité est-elle aussi assujettie à des lois sur la déclaration relative aux chaînes "
        "d’approvisionnement dans d’autres ressorts?",
        "multi",
        _opts(
            "reconstructed-uncertain",
            (
                "uk_msa",
                "United Kingdom: Modern Slavery Act 2015",
                "Royaume-Uni : Modern Slavery Act 2015",
            ),
            (
                "australia_msa",
                "Australia: Modern Slavery Act 2018",
                "Australie : Modern Slavery Act 2018",
            ),
            (
                "california_tscsa",
                "California: Transparency in Supply Chains Act",
                "Californie : Transparency in Supply Chains Act",
            ),
            (
                "france_vigilance",
                "France: duty of vigilance law",
                "France : loi relative au devoir de vigilance",
            ),
            (
                "germany_lksg",
                "Germany: Supply Chain Due Diligence Act",
                "Allemagne : loi sur le devoir de diligence dans les chaînes d’approvisionnement",
            ),
            (
                "norway_transparency",
                "Norway: Transparency Act",
                "Norvège : loi sur la transparence",
            ),
            ("other", "Other", "Autre"),
            ("none", "None", "Aucune"),
        ),
        required=False,
        shown_when=ENTITY,
        details=True,
        exclusive=frozenset({"none"}),
        provenance="reconstructed-uncertain",
    ),
    # Part 2: steps, policies, risks, remediation, training, effectiveness
    Question(
        "steps_taken",
        "12",
        2,
        "What steps did the entity take in the last financial year to prevent and reduce the "
        "risk that forced labour or child labour is used?",
        "Quelles mesures l’entité a-t-elle prises au cours du dernier exercice pour prévenir "
        "et réduire le risque de recours au travail forcé ou au travail des enfants?",
        "multi",
        _opts(
            "reconstructed",
            ("map_activities", "Mapping its activities", "Cartographie de ses activités"),
            (
                "map_supply_chains",
                "Mapping its supply chains",
                "Cartographie de ses chaînes d’approvisionnement",
            ),
            (
                "internal_risk_assessment",
                "An internal risk assessment",
                "Évaluation interne des risques",
            ),
            (
                "third_party_risk_assessment",
                "A risk assessment by a third party",
                "Évaluation des risques par un tiers",
            ),
            (
                "policies_procedures",
                "Developing and putting in place policies and procedures",
                "Élaboration et mise en œuvre de politiques et de procédures",
            ),
            (
                "due_diligence",
                "Developing and putting in place due diligence processes",
                "Élaboration et mise en œuvre de processus de diligence raisonnable",
            ),
            (
                "supplier_code",
                "A supplier code of conduct or contract clauses against forced and child labour",
                "Code de conduite des fournisseurs ou clauses contractuelles contre le travail "
                "forcé et le travail des enfants",
            ),
            (
                "supplier_policies",
                "Requiring suppliers to have their own policies and procedures",
                "Exiger des fournisseurs qu’ils aient leurs propres politiques et procédures",
            ),
            (
                "supplier_monitoring",
                "Monitoring or auditing suppliers",
                "Surveillance ou audit des fournisseurs",
            ),
            (
                "risky_practices",
                "Addressing practices that raise the risk, such as purchasing practices",
                "Correction des pratiques qui accroissent le risque, comme les pratiques d’achat",
            ),
            (
                "child_protection",
                "Child protection policies",
                "Politiques de protection de l’enfance",
            ),
            ("grievance", "Grievance mechanisms", "Mécanismes de traitement des plaintes"),
            (
                "victim_support",
                "Supporting victims and remediation",
                "Soutien aux victimes et réparation",
            ),
            ("training", "Awareness-raising and training", "Sensibilisation et formation"),
            (
                "stakeholders",
                "Engaging stakeholders or industry initiatives",
                "Collaboration avec des parties prenantes ou des initiatives sectorielles",
            ),
            ("other", "Other", "Autre"),
            ("no_steps", "No steps taken", "Aucune mesure prise"),
        ),
        details=True,
        exclusive=frozenset({"no_steps"}),
    ),
    Question(
        "structure_description",
        "13",
        2,
        "Describe the entity’s structure, activities and supply chains",
        "Décrivez la structure, les activités et les chaînes d’approvisionnement de l’entité",
        "text",
        required=False,
        max_length=DETAILS_LIMIT,
        section="a",
    ),
    Question(
        "policies_due_diligence",
        "14",
        2,
        "Does the entity have policies and due diligence processes on forced labour and "
        "child labour?",
        "L’entité a-t-elle des politiques et des processus de diligence raisonnable en "
        "matière de travail forcé et de travail des enfants?",
        "single",
        _opts(
            "guidance",
            ("yes", "Yes", "Oui"),
            ("no", "No", "Non"),
            ("in_progress", "In progress", "En cours"),
        ),
        details=True,
        section="b",
    ),
    Question(
        "due_diligence_elements",
        "14a",
        2,
        "Which elements of due diligence has the entity put in place?",
        "Quels éléments de diligence raisonnable l’entité a-t-elle mis en place?",
        "multi",
        _opts(
            "reconstructed",
            (
                "embed",
                "Embedding responsible business conduct in policies and management systems",
                "Intégrer la conduite responsable des entreprises dans les politiques et les "
                "systèmes de gestion",
            ),
            (
                "identify",
                "Identifying and assessing adverse impacts",
                "Recenser et évaluer les incidences négatives",
            ),
            (
                "prevent",
                "Ceasing, preventing or mitigating adverse impacts",
                "Faire cesser, prévenir ou atténuer les incidences négatives",
            ),
            (
                "track",
                "Tracking implementation and results",
                "Suivre la mise en œuvre et les résultats",
            ),
            (
                "communicate",
                "Communicating how impacts are addressed",
                "Communiquer la façon dont les incidences sont traitées",
            ),
            (
                "remediate",
                "Providing for or cooperating in remediation",
                "Réparer ou collaborer à la réparation",
            ),
        ),
        shown_when=_when("policies_due_diligence", "yes"),
        section="b",
        provenance="reconstructed",
    ),
    Question(
        "risks_identified",
        "15",
        2,
        "Has the entity identified parts of its activities or supply chains that carry a risk "
        "of forced labour or child labour?",
        "L’entité a-t-elle relevé des parties de ses activités ou de ses chaînes "
        "d’approvisionnement qui comportent un risque de travail forcé ou de travail des "
        "enfants?",
        "single",
        _opts(
            "guidance",
            ("yes", "Yes", "Oui"),
            ("no", "No", "Non"),
            ("in_progress", "In progress", "En cours"),
        ),
        details=True,
        section="c",
    ),
    Question(
        "risk_areas",
        "15a",
        2,
        "What does the risk relate to?",
        "À quoi le risque est-il lié?",
        "multi",
        _opts(
            "guidance",
            ("own_activities", "The entity’s own activities", "Les activités de l’entité"),
            ("supply_chains", "Its supply chains", "Ses chaînes d’approvisionnement"),
            ("sectors_industries", "Sectors or industries", "Des secteurs ou des industries"),
            ("products_commodities", "Products or commodities", "Des produits ou des marchandises"),
            ("raw_materials", "Raw materials", "Des matières premières"),
            ("countries_regions", "Countries or regions", "Des pays ou des régions"),
            (
                "labour_types",
                "Types of labour (migrant, outsourced, subcontracted)",
                "Des types de main-d’œuvre (migrante, externalisée, en sous-traitance)",
            ),
        ),
        shown_when=_when("risks_identified", "yes"),
        section="c",
    ),
    Question(
        "risk_sectors",
        "15b",
        2,
        "Sectors or industries at risk",
        "Secteurs ou industries à risque",
        "multi",
        NAICS_SECTORS,
        shown_when=_when("risk_areas", "sectors_industries"),
        section="c",
        provenance="reconstructed",
    ),
    Question(
        "risk_products",
        "15c",
        2,
        "Products or commodities at risk",
        "Produits ou marchandises à risque",
        "list",
        shown_when=_when("risk_areas", "products_commodities"),
        section="c",
        provenance="reconstructed",
    ),
    Question(
        "risk_raw_materials",
        "15d",
        2,
        "Raw materials at risk",
        "Matières premières à risque",
        "list",
        shown_when=_when("risk_areas", "raw_materials"),
        section="c",
        provenance="reconstructed",
    ),
    Question(
        "risk_countries",
        "15e",
        2,
        "Countries at risk (name regions in the details box)",
        "Pays à risque (précisez les régions dans la case prévue)",
        "multi",
        COUNTRIES,
        shown_when=_when("risk_areas", "countries_regions"),
        details=True,
        section="c",
        provenance="reconstructed",
    ),
    Question(
        "risk_labour_types",
        "15f",
        2,
        "Types of labour at risk",
        "Types de main-d’œuvre à risque",
        "multi",
        _opts(
            "reconstructed",
            ("migrant", "Migrant labour", "Main-d’œuvre migrante"),
            ("outsourced", "Outsourced labour", "Main-d’œuvre externalisée"),
            ("subcontracted", "Subcontracted labour", "Main-d’œuvre en sous-traitance"),
            ("other", "Other", "Autre"),
        ),
        shown_when=_when("risk_areas", "labour_types"),
        section="c",
        provenance="reconstructed",
    ),
    Question(
        "remediation",
        "16",
        2,
        "Has the entity taken measures to remediate forced labour or child labour?",
        "L’entité a-t-elle pris des mesures pour remédier au travail forcé ou au travail des "
        "enfants?",
        "single",
        _opts(
            "reconstructed",
            ("yes", "Yes", "Oui"),
            ("no", "No", "Non"),
            (
                "none_identified",
                "No forced labour or child labour was identified",
                "Aucun cas de travail forcé ou de travail des enfants n’a été relevé",
            ),
        ),
        details=True,
        section="d",
    ),
    Question(
        "income_loss",
        "17",
        2,
        "Has the entity taken measures to remediate the loss of income to the most "
        "vulnerable families that results from measures to eliminate forced labour or child "
        "labour?",
        "L’entité a-t-elle pris des mesures pour remédier à la perte de revenus des familles "
        "les plus vulnérables découlant des mesures visant à éliminer le travail forcé ou le "
        "travail des enfants?",
        "single",
        _opts(
            "reconstructed",
            ("yes", "Yes", "Oui"),
            ("no", "No", "Non"),
            ("not_applicable", "Not applicable", "Sans objet"),
        ),
        details=True,
        section="e",
    ),
    Question(
        "training",
        "18",
        2,
        "Does the entity train its employees on forced labour and child labour?",
        "L’entité forme-t-elle ses employés sur le travail forcé et le travail des enfants?",
        "yes_no",
        YES_NO,
        details=True,
        section="f",
    ),
    Question(
        "training_mandatory",
        "18a",
        2,
        "Is the training mandatory?",
        "La formation est-elle obligatoire?",
        "yes_no",
        YES_NO,
        shown_when=_when("training", "yes"),
        section="f",
    ),
    Question(
        "training_audience",
        "18b",
        2,
        "Who receives the training?",
        "Qui reçoit la formation?",
        "single",
        _opts(
            "reconstructed",
            ("all_employees", "All employees", "Tous les employés"),
            ("some_employees", "Some employees", "Certains employés"),
            (
                "procurement_only",
                "Procurement staff only",
                "Le personnel de l’approvisionnement seulement",
            ),
        ),
        shown_when=_when("training", "yes"),
        section="f",
        provenance="reconstructed",
    ),
    Question(
        "effectiveness",
        "19",
        2,
        "Does the entity have policies and procedures to assess its effectiveness in "
        "ensuring that forced labour and child labour are not used?",
        "L’entité a-t-elle des politiques et des procédures pour évaluer l’efficacité de ses "
        "mesures visant à empêcher le recours au travail forcé et au travail des enfants?",
        "yes_no",
        YES_NO,
        details=True,
        section="g",
    ),
    Question(
        "effectiveness_methods",
        "19a",
        2,
        "How does the entity assess its effectiveness?",
        "Comment l’entité évalue-t-elle son efficacité?",
        "multi",
        _opts(
            "reconstructed",
            (
                "track_indicators",
                "Tracking indicators (audit findings, grievances, corrective actions)",
                "Suivi d’indicateurs (résultats d’audit, plaintes, mesures correctives)",
            ),
            (
                "reviews_audits",
                "Regular internal or external reviews or audits",
                "Examens ou audits internes ou externes réguliers",
            ),
            (
                "supplier_collaboration",
                "Working with suppliers to measure effectiveness",
                "Collaboration avec les fournisseurs pour mesurer l’efficacité",
            ),
            ("other", "Other", "Autre"),
        ),
        shown_when=_when("effectiveness", "yes"),
        section="g",
        provenance="reconstructed",
    ),
)

QUESTIONS_BY_ID: dict[str, Question] = {q.id: q for q in QUESTIONS}
ANSWER_KEYS: frozenset[str] = frozenset(
    [q.id for q in QUESTIONS] + [q.details_key for q in QUESTIONS if q.details]
)


def question(question_id: str) -> Question:
    """Return a question by id (KeyError for an unknown id)."""
    return QUESTIONS_BY_ID[question_id]


def option_label(question_id: str, value: str, lang: Lang) -> str:
    """Return the label of an option in `lang`, or the value itself when it is not an option."""
    q = QUESTIONS_BY_ID.get(question_id)
    found = q.option(value) if q else None
    return found.label(lang) if found else value


def is_shown(q: Question, answers: Mapping[str, Any]) -> bool:
    """Say whether `q` is shown, given the answers (its conditions and theirs must hold)."""
    return all(
        c.holds(answers) and is_shown(QUESTIONS_BY_ID[c.question], answers) for c in q.shown_when
    )


def shown_questions(answers: Mapping[str, Any]) -> list[Question]:
    """Return the questions shown for these answers, in order."""
    return [q for q in QUESTIONS if is_shown(q, answers)]


def _blank(value: Any) -> bool:
    return (
        value is None
        or value == ""
        or value == []
        or (isinstance(value, str) and not value.strip())
    )


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _is_text_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def _is_entities(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(v, Mapping)
        and isinstance(v.get("legal_name"), str)
        and v["legal_name"].strip()
        and _is_text_list(v.get("business_numbers", []))
        and set(v) <= {"legal_name", "business_numbers"}
        for v in value
    )


def _type_ok(q: Question, value: Any) -> bool:
    if q.type in ("single", "yes_no", "text"):
        return isinstance(value, str)
    if q.type == "date":
        return _as_date(value) is not None
    if q.type == "multi":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if q.type == "list":
        return _is_text_list(value)
    return _is_entities(value)


def _business_numbers(q: Question, value: Any) -> list[str]:
    if q.id == "business_numbers":
        return list(value)
    if q.id == "joint_entities":
        return [bn for entity in value for bn in entity.get("business_numbers", [])]
    return []


def _check_value(q: Question, value: Any) -> list[Finding]:
    """Check one shown, non-blank answer: type, options, exclusivity, length, number format."""
    where = {"question": q.id, "number": q.number}
    if not _type_ok(q, value):
        return [
            make_finding("Q_TYPE", section="questionnaire", expected=TYPE_NAMES[q.type], **where)
        ]
    findings = []
    chosen = [value] if q.type in ("single", "yes_no") else value if q.type == "multi" else []
    for choice in chosen:
        if choice not in q.option_values:
            findings.append(
                make_finding("Q_OPTION", section="questionnaire", value=choice, **where)
            )
    if len(chosen) > 1:
        for option in q.exclusive & set(chosen):
            label = {o.value: {"en": o.en, "fr": o.fr} for o in q.options}[option]
            findings.append(
                make_finding("Q_EXCLUSIVE", section="questionnaire", option=label, **where)
            )
    limit = q.max_length if q.type == "text" else ITEM_LIMIT if q.type == "list" else None
    texts = [value] if q.type == "text" else value if q.type == "list" else []
    for text in texts:
        if limit is not None and len(text) > limit:
            findings.append(
                make_finding(
                    "Q_LENGTH",
                    section="questionnaire",
                    question=q.id,
                    length=len(text),
                    limit=limit,
                )
            )
    for number in _business_numbers(q, value):
        if not BUSINESS_NUMBER.match(re.sub(r"[\s-]", "", number).upper()):
            findings.append(
                make_finding("Q_BN_FORMAT", section="questionnaire", question=q.id, value=number)
            )
    return findings


def validate_answers(answers: Mapping[str, Any]) -> list[Finding]:
    """Check answers against the questionnaire: required, options, conditions, lengths."""
    findings: list[Finding] = []
    for key in answers:
        if key not in ANSWER_KEYS:
            findings.append(make_finding("Q_UNKNOWN", section="questionnaire", question=key))
    for q in QUESTIONS:
        value = answers.get(q.id)
        details = answers.get(q.details_key)
        where = {"question": q.id, "number": q.number}
        if not is_shown(q, answers):
            if not _blank(value) or (q.details and not _blank(details)):
                findings.append(make_finding("Q_NOT_SHOWN", section="questionnaire", **where))
            continue
        if _blank(value):
            if q.required:
                findings.append(make_finding("Q_REQUIRED", section="questionnaire", **where))
        else:
            findings.extend(_check_value(q, value))
        if q.details and not _blank(details):
            if not isinstance(details, str):
                findings.append(
                    make_finding(
                        "Q_TYPE", section="questionnaire", expected=TYPE_NAMES["text"], **where
                    )
                )
            elif len(details) > DETAILS_LIMIT:
                findings.append(
                    make_finding(
                        "Q_LENGTH",
                        section="questionnaire",
                        question=q.details_key,
                        length=len(details),
                        limit=DETAILS_LIMIT,
                    )
                )
    start = _as_date(answers.get("financial_year_start"))
    end = _as_date(answers.get("financial_year_end"))
    if start and end and end <= start:
        findings.append(
            make_finding(
                "Q_DATE_ORDER",
                section="questionnaire",
                question="financial_year_end",
                start=start.isoformat(),
                end=end.isoformat(),
            )
        )
    return findings


def free_texts(answers: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Return (answer key, text) for every free text answered on a shown question."""
    texts = []
    for q in shown_questions(answers):
        if q.type == "text" and isinstance(answers.get(q.id), str) and q.id != "legal_name":
            texts.append((q.id, answers[q.id]))
        if q.details and isinstance(answers.get(q.details_key), str):
            texts.append((q.details_key, answers[q.details_key]))
    return texts


def normalise_answers(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Keep the answers of shown questions only, dates as YYYY-MM-DD, in questionnaire order."""
    out: dict[str, Any] = {}
    for q in shown_questions(answers):
        value = answers.get(q.id)
        if not _blank(value):
            out[q.id] = value.isoformat() if isinstance(value, date) else value
        details = answers.get(q.details_key) if q.details else None
        if not _blank(details):
            out[q.details_key] = details
    return out


def sequence_of(value: Any) -> Sequence[str]:
    """Return a multi or list answer as a list of strings ([] when absent or malformed)."""
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []
