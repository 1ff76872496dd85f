"""Every fixed text of the reporting core in English and French, and number and date formats.

Headings, labels, chart captions, drafting templates and finding messages all live in
`CATALOGUE`; code asks for them with `t(key, lang, **params)`. Question texts and option labels
live with the questions in `questionnaire.py`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from supplychain.reporting.model import Lang

NBSP = "\u00a0"

CATALOGUE: dict[str, dict[str, str]] = {
    # Document and cover
    "doc.title": {
        "en": "Report under the Fighting Against Forced Labour and Child Labour in Supply "
        "Chains Act",
        "fr": "Rapport en vertu de la Loi sur la lutte contre le travail forcé et le travail "
        "des enfants dans les chaînes d’approvisionnement",
    },
    "doc.subject": {
        "en": "Annual report of {entity} for the financial year {start} to {end}",
        "fr": "Rapport annuel de {entity} pour l’exercice du {start} au {end}",
    },
    "doc.keywords": {
        "en": "S-211, forced labour, child labour, supply chains, annual report",
        "fr": "S-211, travail forcé, travail des enfants, chaînes d’approvisionnement, "
        "rapport annuel",
    },
    "cover.financial_year": {
        "en": "Financial year from {start} to {end}",
        "fr": "Exercice du {start} au {end}",
    },
    "cover.year_unknown": {
        "en": "Financial year not stated",
        "fr": "Exercice non précisé",
    },
    "cover.joint": {"en": "Joint report", "fr": "Rapport conjoint"},
    "cover.revised": {"en": "Revised report", "fr": "Rapport révisé"},
    "cover.draft": {
        "en": "Draft: not approved, not for submission",
        "fr": "Projet : non approuvé, à ne pas soumettre",
    },
    "cover.version_en": {"en": "English version", "fr": "Version anglaise"},
    "cover.version_fr": {"en": "French version", "fr": "Version française"},
    "toc.title": {"en": "Contents", "fr": "Table des matières"},
    "page.number": {"en": "Page {page} of {pages}", "fr": "Page {page} de {pages}"},
    "name.unknown": {"en": "[legal name not entered]", "fr": "[dénomination non saisie]"},
    # Entity details
    "entity.heading": {"en": "The reporting entity", "fr": "L’entité déclarante"},
    "entity.legal_name": {"en": "Legal name", "fr": "Dénomination sociale"},
    "entity.business_numbers": {"en": "Business numbers", "fr": "Numéros d’entreprise"},
    "entity.financial_year": {"en": "Financial year", "fr": "Exercice"},
    "entity.scope": {"en": "Why the entity reports", "fr": "Motif de l’obligation de déclarer"},
    "entity.sectors": {"en": "Sectors", "fr": "Secteurs"},
    "entity.provinces": {
        "en": "Provinces and territories",
        "fr": "Provinces et territoires",
    },
    "entity.activities": {"en": "Activities", "fr": "Activités"},
    "entity.other_laws": {
        "en": "Also reports under",
        "fr": "Produit aussi des rapports en vertu de",
    },
    "entity.covered": {
        "en": "Entities covered by this joint report",
        "fr": "Entités visées par ce rapport conjoint",
    },
    "entity.revision": {
        "en": "This report revises the report submitted on {date}.",
        "fr": "Ce rapport révise le rapport présenté le {date}.",
    },
    "entity.revision_changes": {"en": "What changed", "fr": "Modifications apportées"},
    "entity.none": {"en": "None stated", "fr": "Aucune mention"},
    "entity.not_stated": {"en": "not stated", "fr": "non précisée"},
    "scope.listed": {
        "en": "Listed on a stock exchange in Canada",
        "fr": "Inscrite à une bourse de valeurs au Canada",
    },
    "scope.presence": {
        "en": "Has a place of business, does business or has assets in Canada",
        "fr": "A un établissement au Canada, y exerce des activités ou y possède des actifs",
    },
    "scope.assets": {
        "en": "Total assets of at least CAD 20 million",
        "fr": "Actif total d’au moins 20 millions de dollars canadiens",
    },
    "scope.revenue": {
        "en": "Revenue of at least CAD 40 million",
        "fr": "Revenus d’au moins 40 millions de dollars canadiens",
    },
    "scope.employees": {
        "en": "An average of at least 250 employees",
        "fr": "Au moins 250 employés en moyenne",
    },
    # Sections (a)-(g) of s.11(3)
    "section.a": {
        "en": "Structure, activities and supply chains",
        "fr": "Structure, activités et chaînes d’approvisionnement",
    },
    "section.b": {
        "en": "Policies and due diligence processes on forced labour and child labour",
        "fr": "Politiques et processus de diligence raisonnable en matière de travail forcé "
        "et de travail des enfants",
    },
    "section.c": {
        "en": "Where the business and supply chains carry a risk, and the steps taken to "
        "assess and manage it",
        "fr": "Parties des activités et des chaînes d’approvisionnement qui comportent un "
        "risque, et mesures prises pour l’évaluer et le gérer",
    },
    "section.d": {
        "en": "Measures taken to remediate forced labour or child labour",
        "fr": "Mesures prises pour remédier au travail forcé ou au travail des enfants",
    },
    "section.e": {
        "en": "Measures taken to remediate the loss of income to the most vulnerable families",
        "fr": "Mesures prises pour remédier à la perte de revenus des familles les plus "
        "vulnérables",
    },
    "section.f": {
        "en": "Training given to employees on forced labour and child labour",
        "fr": "Formation offerte aux employés sur le travail forcé et le travail des enfants",
    },
    "section.g": {
        "en": "How the entity assesses whether its measures keep forced labour and child "
        "labour out of its business and supply chains",
        "fr": "Comment l’entité évalue si ses mesures tiennent le travail forcé et le travail "
        "des enfants à l’écart de ses activités et de ses chaînes d’approvisionnement",
    },
    "section.empty": {
        "en": "[No text has been entered for this section.]",
        "fr": "[Aucun texte n’a été saisi pour cette section.]",
    },
    # Charts and tables
    "chart.countries": {
        "en": "Lines with High or Critical exposure, by country of origin",
        "fr": "Lignes à exposition élevée ou critique, par pays d’origine",
    },
    "chart.goods": {
        "en": "Lines with High or Critical exposure, by good",
        "fr": "Lignes à exposition élevée ou critique, par bien",
    },
    "chart.bands.lines": {
        "en": "Share of lines by exposure band",
        "fr": "Part des lignes par niveau d’exposition",
    },
    "chart.bands.spend": {
        "en": "Share of spend by exposure band",
        "fr": "Part des dépenses par niveau d’exposition",
    },
    "chart.caption": {"en": "Figure {number}. {title}", "fr": "Figure {number}. {title}"},
    "chart.axis_lines": {"en": "Number of lines", "fr": "Nombre de lignes"},
    "chart.none": {
        "en": "No line reached High or Critical exposure in this assessment.",
        "fr": "Aucune ligne n’a atteint une exposition élevée ou critique dans cette évaluation.",
    },
    "chart.more": {
        "en": "{count} more not shown in the chart; see the table.",
        "fr": "{count} autres non représentés dans le graphique; voir le tableau.",
    },
    "table.more": {
        "en": "{count} more at High or Critical exposure, each with fewer lines, are not listed "
        "here; the assessment's export lists every line.",
        "fr": "{count} autres à exposition élevée ou critique, chacun avec moins de lignes, ne "
        "sont pas énumérés ici; l’export de l’évaluation énumère chaque ligne.",
    },
    "chart.insufficient": {
        "en": "Insufficient data to assess: {share}. These lines are not counted as low risk.",
        "fr": "Données insuffisantes pour évaluer : {share}. Ces lignes ne sont pas comptées "
        "comme à faible risque.",
    },
    "table.country": {"en": "Country", "fr": "Pays"},
    "table.good": {"en": "Good", "fr": "Bien"},
    "table.band": {"en": "Exposure", "fr": "Exposition"},
    "table.lines": {"en": "Lines", "fr": "Lignes"},
    "table.share": {"en": "Share", "fr": "Part"},
    "band.Low": {"en": "Low", "fr": "Faible"},
    "band.Medium": {"en": "Medium", "fr": "Moyenne"},
    "band.High": {"en": "High", "fr": "Élevée"},
    "band.Critical": {"en": "Critical", "fr": "Critique"},
    "band.insufficient": {"en": "Insufficient data", "fr": "Données insuffisantes"},
    # Annex
    "annex.heading": {"en": "Annex: method and sources", "fr": "Annexe : méthode et sources"},
    "annex.intro": {
        "en": "The exposure figures in this report come from an open-source scoring model "
        "applied to the entity’s supplier and product lines, using the public reference data "
        "listed below. Exposure shows where public evidence about a product, a place or an "
        "enforcement list points to a risk of forced or child labour. It is not a finding "
        "that forced or child labour occurs at any particular supplier, and suppliers beyond "
        "the first tier are mostly unknown.",
        "fr": "Les données d’exposition de ce rapport proviennent d’un modèle de notation à "
        "code source ouvert appliqué aux lignes de fournisseurs et de produits de l’entité, à "
        "partir des données de référence publiques énumérées ci-dessous. L’exposition indique "
        "où des renseignements publics sur un produit, un lieu ou une liste d’application de "
        "la loi signalent un risque de travail forcé ou de travail des enfants. Elle ne "
        "constitue pas un constat de travail forcé ou de travail des enfants chez un "
        "fournisseur donné, et les fournisseurs au-delà du premier niveau sont pour la "
        "plupart inconnus.",
    },
    "annex.bands": {
        "en": "Bands: Low, Medium and High reflect public evidence about the good and the "
        "country of origin. Critical is kept for lines where an enforcement order names the "
        "supplier, or the good from that place. Lines whose product or origin is unknown are "
        "reported as insufficient data, never as low risk.",
        "fr": "Niveaux : Faible, Moyenne et Élevée reflètent les renseignements publics sur le "
        "bien et le pays d’origine. Critique est réservé aux lignes pour lesquelles une "
        "ordonnance d’application de la loi vise le fournisseur, ou le bien provenant de ce "
        "lieu. Les lignes dont le produit ou l’origine est inconnu sont déclarées comme "
        "données insuffisantes, jamais comme à faible risque.",
    },
    "annex.assessment": {"en": "Assessment", "fr": "Évaluation"},
    "annex.model": {"en": "Scoring model", "fr": "Modèle de notation"},
    "annex.profile": {"en": "Model profile", "fr": "Profil du modèle"},
    "annex.reference": {"en": "Reference data version", "fr": "Version des données de référence"},
    "annex.weighting": {"en": "Shares weighted by", "fr": "Parts pondérées selon"},
    "annex.weighting.lines": {"en": "number of lines", "fr": "le nombre de lignes"},
    "annex.weighting.spend": {"en": "spend", "fr": "les dépenses"},
    "annex.sources": {"en": "Sources and editions", "fr": "Sources et éditions"},
    "annex.source": {"en": "Source", "fr": "Source"},
    "annex.publisher": {"en": "Publisher", "fr": "Éditeur"},
    "annex.edition": {"en": "Edition", "fr": "Édition"},
    "annex.no_sources": {
        "en": "No assessment is attached to this report.",
        "fr": "Aucune évaluation n’est jointe à ce rapport.",
    },
    "annex.links": {
        "en": "Figures behind the drafted statements",
        "fr": "Données à l’origine des énoncés rédigés",
    },
    "annex.link_section": {"en": "Section", "fr": "Section"},
    "annex.link_kind": {"en": "Figure", "fr": "Donnée"},
    "annex.link_value": {"en": "Value", "fr": "Valeur"},
    # Kinds of evidence link
    "kind.count_lines": {"en": "Lines assessed", "fr": "Lignes évaluées"},
    "kind.count_suppliers": {"en": "Suppliers", "fr": "Fournisseurs"},
    "kind.count_countries": {"en": "Countries of origin", "fr": "Pays d’origine"},
    "kind.count_goods": {"en": "Distinct goods", "fr": "Biens distincts"},
    "kind.risk_country": {"en": "Country at risk", "fr": "Pays à risque"},
    "kind.risk_good": {"en": "Good at risk", "fr": "Bien à risque"},
    "kind.risk_sector": {"en": "Sector at risk", "fr": "Secteur à risque"},
    "kind.count_high_lines": {
        "en": "Lines with High or Critical exposure",
        "fr": "Lignes à exposition élevée ou critique",
    },
    "kind.share_band": {"en": "Share in band", "fr": "Part du niveau"},
    "kind.insufficient_data_share": {
        "en": "Share with insufficient data",
        "fr": "Part aux données insuffisantes",
    },
    "kind.method": {"en": "Scoring model", "fr": "Modèle de notation"},
    "kind.source": {"en": "Source edition", "fr": "Édition de la source"},
    # Approval and attestation
    "attestation.heading": {"en": "Approval and attestation", "fr": "Approbation et attestation"},
    "attestation.approved_by": {
        "en": "This report was approved by {body} on {date}.",
        "fr": "Ce rapport a été approuvé par {body} le {date}.",
    },
    "attestation.not_approved": {
        "en": "[The approving body and the date of approval have not been entered.]",
        "fr": "[L’organe qui approuve le rapport et la date d’approbation n’ont pas été saisis.]",
    },
    "attestation.missing": {
        "en": "[No attestation statement has been entered.]",
        "fr": "[Aucune déclaration d’attestation n’a été saisie.]",
    },
    "attestation.authority": {
        "en": "I have the authority to bind {entity}.",
        "fr": "J’ai le pouvoir de lier {entity}.",
    },
    "attestation.suggested": {
        "en": "I attest that I have reviewed the information in this report for the entity or "
        "entities named above. Based on my knowledge, and after exercising reasonable "
        "diligence, I believe this information is true, accurate and complete in every "
        "material respect for the purposes of the Act, for the financial year stated above.",
        "fr": "J’atteste avoir examiné les renseignements contenus dans ce rapport pour "
        "l’entité ou les entités nommées ci-dessus. À ma connaissance, et après avoir fait "
        "preuve d’une diligence raisonnable, j’estime que ces renseignements sont véridiques, "
        "exacts et complets à tous égards importants pour l’application de la Loi, pour "
        "l’exercice indiqué ci-dessus.",
    },
    "attestation.name": {"en": "Name", "fr": "Nom"},
    "attestation.title": {"en": "Title", "fr": "Titre"},
    "attestation.signature": {"en": "Signature", "fr": "Signature"},
    "attestation.date": {"en": "Date", "fr": "Date"},
    # Questionnaire summary
    "answers.title": {
        "en": "Questionnaire answers for {entity}",
        "fr": "Réponses au questionnaire de {entity}",
    },
    "answers.part1": {
        "en": "Part 1: identifying information",
        "fr": "Partie 1 : renseignements d’identification",
    },
    "answers.part2": {
        "en": "Part 2: steps, policies, risks, remediation, training and effectiveness",
        "fr": "Partie 2 : mesures, politiques, risques, réparation, formation et efficacité",
    },
    "answers.none": {"en": "Not answered", "fr": "Sans réponse"},
    "answers.details": {"en": "Details", "fr": "Précisions"},
    "answers.schema": {
        "en": "Machine-readable form: schema {schema}.",
        "fr": "Version lisible par machine : schéma {schema}.",
    },
    # Drafting templates (sections a and c)
    "draft.a.scope": {
        "en": "For the financial year covered by this report, we assessed {lines} purchase "
        "lines from {suppliers} suppliers, covering goods from {countries} countries of "
        "origin and {goods} distinct goods.",
        "fr": "Pour l’exercice visé par ce rapport, nous avons évalué {lines} lignes d’achat "
        "provenant de {suppliers} fournisseurs, qui portent sur des biens originaires de "
        "{countries} pays et sur {goods} biens distincts.",
    },
    "draft.c.method": {
        "en": "To find the parts of our supply chains that may carry a risk of forced labour "
        "or child labour, we compared every product and country of origin, and every "
        "supplier, with public reference data (version {reference}) using the open-source "
        "scoring model {model} (profile {profile}). Sources used: {sources}.",
        "fr": "Pour repérer les parties de nos chaînes d’approvisionnement susceptibles de "
        "comporter un risque de travail forcé ou de travail des enfants, nous avons comparé "
        "chaque produit, chaque pays d’origine et chaque fournisseur à des données de "
        "référence publiques (version {reference}) au moyen du modèle de notation à code "
        "source ouvert {model} (profil {profile}). Sources utilisées : {sources}.",
    },
    "draft.c.countries": {
        "en": "Public data point to a High or Critical exposure for goods we source from the "
        "following countries: {items}.",
        "fr": "Selon les données publiques, les biens que nous achetons dans les pays "
        "suivants présentent une exposition élevée ou critique : {items}.",
    },
    "draft.c.goods": {
        "en": "The goods concerned are: {items}.",
        "fr": "Les biens concernés sont : {items}.",
    },
    "draft.c.sectors": {
        "en": "The sectors concerned are: {items}.",
        "fr": "Les secteurs concernés sont : {items}.",
    },
    "draft.c.item": {
        "en": "{name} ({band}, {lines} lines)",
        "fr": "{name} ({band}, {lines} lignes)",
    },
    "draft.c.item_one": {
        "en": "{name} ({band}, {lines} line)",
        "fr": "{name} ({band}, {lines} ligne)",
    },
    "draft.c.more": {"en": "{count} more", "fr": "{count} autres"},
    "draft.c.none": {
        "en": "No line reached High or Critical exposure in this assessment. This reflects "
        "the public data we hold; it does not show that our supply chains are free of "
        "forced labour or child labour.",
        "fr": "Aucune ligne n’a atteint une exposition élevée ou critique dans cette "
        "évaluation. Ce résultat reflète les données publiques dont nous disposons; il ne "
        "démontre pas que nos chaînes d’approvisionnement sont exemptes de travail forcé ou "
        "de travail des enfants.",
    },
    "draft.c.bands": {
        "en": "Measured by {weighting}, {low} of our purchases showed Low exposure, {medium} "
        "Medium, {high} High and {critical} Critical.",
        "fr": "Mesurées selon {weighting}, {low} de nos achats présentaient une exposition "
        "faible, {medium} une exposition moyenne, {high} une exposition élevée et {critical} "
        "une exposition critique.",
    },
    "draft.c.insufficient": {
        "en": "For {share} of our purchases the product or the country of origin was not "
        "known well enough to assess. We report these as insufficient data, not as low "
        "risk, and will seek the missing information.",
        "fr": "Pour {share} de nos achats, le produit ou le pays d’origine n’était pas assez "
        "connu pour être évalué. Nous les déclarons comme données insuffisantes, et non "
        "comme à faible risque, et chercherons à obtenir l’information manquante.",
    },
    "draft.c.caveat": {
        "en": "Exposure indicates a risk suggested by public data about products, places and "
        "enforcement lists. It is not a finding of forced labour or child labour at any of "
        "our suppliers, and our knowledge of suppliers beyond the first tier is limited.",
        "fr": "L’exposition indique un risque suggéré par des données publiques sur des "
        "produits, des lieux et des listes d’application de la loi. Elle ne constitue pas un "
        "constat de travail forcé ou de travail des enfants chez l’un de nos fournisseurs, et "
        "notre connaissance des fournisseurs au-delà du premier niveau est limitée.",
    },
    "draft.weighting.lines": {"en": "number of lines", "fr": "le nombre de lignes"},
    "draft.weighting.spend": {"en": "spend", "fr": "les dépenses"},
    "list.sep": {"en": "; ", "fr": "; "},
    "list.and": {"en": "{head} and {last}", "fr": "{head} et {last}"},
    "source.item": {"en": "{title} ({edition})", "fr": "{title} ({edition})"},
    # Finding messages: finding.CODE and fix.CODE
    "finding.Q_UNKNOWN": {
        "en": "The answers hold “{question}”, which is not a question of this questionnaire.",
        "fr": "Les réponses contiennent « {question} », qui n’est pas une question de ce "
        "questionnaire.",
    },
    "fix.Q_UNKNOWN": {
        "en": "Remove the answer or correct the question identifier.",
        "fr": "Supprimez la réponse ou corrigez l’identifiant de la question.",
    },
    "finding.Q_REQUIRED": {
        "en": "Question {number} ({question}) must be answered.",
        "fr": "La question {number} ({question}) doit recevoir une réponse.",
    },
    "fix.Q_REQUIRED": {"en": "Answer the question.", "fr": "Répondez à la question."},
    "finding.Q_NOT_SHOWN": {
        "en": "Question {number} ({question}) is answered, but the other answers hide it; the "
        "answer will not be submitted.",
        "fr": "La question {number} ({question}) a une réponse, mais les autres réponses la "
        "masquent; cette réponse ne sera pas soumise.",
    },
    "fix.Q_NOT_SHOWN": {
        "en": "Remove the answer, or change the answer that hides the question.",
        "fr": "Supprimez la réponse, ou modifiez la réponse qui masque la question.",
    },
    "finding.Q_TYPE": {
        "en": "The answer to question {number} ({question}) should be {expected}.",
        "fr": "La réponse à la question {number} ({question}) doit être {expected}.",
    },
    "fix.Q_TYPE": {
        "en": "Enter the answer in the expected form.",
        "fr": "Saisissez la réponse sous la forme attendue.",
    },
    "finding.Q_OPTION": {
        "en": "“{value}” is not an option of question {number} ({question}).",
        "fr": "« {value} » n’est pas un choix de la question {number} ({question}).",
    },
    "fix.Q_OPTION": {
        "en": "Choose one of the listed options.",
        "fr": "Choisissez l’un des choix proposés.",
    },
    "finding.Q_EXCLUSIVE": {
        "en": "Question {number} ({question}): “{option}” cannot be combined with other options.",
        "fr": "Question {number} ({question}) : « {option} » ne peut pas être combiné à "
        "d’autres choix.",
    },
    "fix.Q_EXCLUSIVE": {
        "en": "Keep either that option alone or the other options.",
        "fr": "Gardez soit ce choix seul, soit les autres choix.",
    },
    "finding.Q_LENGTH": {
        "en": "The text for {question} has {length} characters; the questionnaire accepts {limit}.",
        "fr": "Le texte de {question} compte {length} caractères; le questionnaire en "
        "accepte {limit}.",
    },
    "fix.Q_LENGTH": {
        "en": "Shorten the text; the full account belongs in the report.",
        "fr": "Raccourcissez le texte; le compte rendu complet a sa place dans le rapport.",
    },
    "finding.Q_DATE_ORDER": {
        "en": "The financial year ends ({end}) before it starts ({start}).",
        "fr": "L’exercice se termine ({end}) avant de commencer ({start}).",
    },
    "fix.Q_DATE_ORDER": {
        "en": "Correct the start or end date of the financial year.",
        "fr": "Corrigez la date de début ou de fin de l’exercice.",
    },
    "finding.Q_BN_FORMAT": {
        "en": "“{value}” does not look like a Canadian business number (9 digits, optionally "
        "followed by a program account such as RC0001).",
        "fr": "« {value} » ne ressemble pas à un numéro d’entreprise canadien (9 chiffres, "
        "suivis au besoin d’un compte de programme comme RC0001).",
    },
    "fix.Q_BN_FORMAT": {
        "en": "Check the number against the entity’s records.",
        "fr": "Vérifiez le numéro dans les registres de l’entité.",
    },
    "finding.LEGAL_NAME_MISSING": {
        "en": "The legal name of the reporting entity is missing.",
        "fr": "La dénomination sociale de l’entité déclarante est manquante.",
    },
    "fix.LEGAL_NAME_MISSING": {
        "en": "Enter the entity’s legal name as registered.",
        "fr": "Saisissez la dénomination sociale de l’entité telle qu’elle est enregistrée.",
    },
    "finding.FINANCIAL_YEAR_MISSING": {
        "en": "The start or end date of the financial year is missing.",
        "fr": "La date de début ou de fin de l’exercice est manquante.",
    },
    "fix.FINANCIAL_YEAR_MISSING": {
        "en": "Enter both dates of the financial year the report covers.",
        "fr": "Saisissez les deux dates de l’exercice visé par le rapport.",
    },
    "finding.FINANCIAL_YEAR_ORDER": {
        "en": "The financial year ends ({end}) before it starts ({start}).",
        "fr": "L’exercice se termine ({end}) avant de commencer ({start}).",
    },
    "fix.FINANCIAL_YEAR_ORDER": {
        "en": "Correct the dates of the financial year.",
        "fr": "Corrigez les dates de l’exercice.",
    },
    "finding.SECTION_EMPTY": {
        "en": "Section ({section}) is empty; the Act requires every item of subsection 11(3).",
        "fr": "La section ({section}) est vide; la Loi exige chacun des éléments du "
        "paragraphe 11(3).",
    },
    "fix.SECTION_EMPTY": {
        "en": "Describe what the entity did, or say plainly that it took no such measure.",
        "fr": "Décrivez ce que l’entité a fait, ou indiquez clairement qu’elle n’a pris "
        "aucune mesure de ce type.",
    },
    "finding.LANGUAGE_MISSING": {
        "en": "Section ({section}) has no {language} text, but the report is published in "
        "{language}.",
        "fr": "La section ({section}) n’a pas de texte en {language}, alors que le rapport est "
        "publié dans cette langue.",
    },
    "fix.LANGUAGE_MISSING": {
        "en": "Add the translation, or change the report language.",
        "fr": "Ajoutez la traduction, ou changez la langue du rapport.",
    },
    "finding.LANGUAGE_MISMATCH": {
        "en": "The {stated} text of section ({section}) looks as if it is written in {detected}.",
        "fr": "Le texte en {stated} de la section ({section}) semble rédigé en {detected}.",
    },
    "fix.LANGUAGE_MISMATCH": {
        "en": "Move the text to the right language, or translate it.",
        "fr": "Placez le texte dans la bonne langue, ou traduisez-le.",
    },
    "finding.APPROVAL_BODY_MISSING": {
        "en": "The governing body that approved the report is not named.",
        "fr": "L’organe de direction qui a approuvé le rapport n’est pas nommé.",
    },
    "fix.APPROVAL_BODY_MISSING": {
        "en": "Name the body (for example the board of directors).",
        "fr": "Nommez l’organe (par exemple le conseil d’administration).",
    },
    "finding.APPROVAL_DATE_MISSING": {
        "en": "The date of approval is missing.",
        "fr": "La date d’approbation est manquante.",
    },
    "fix.APPROVAL_DATE_MISSING": {
        "en": "Enter the date the governing body approved the report.",
        "fr": "Saisissez la date à laquelle l’organe de direction a approuvé le rapport.",
    },
    "finding.SIGNATORY_MISSING": {
        "en": "The name or title of the member of the governing body who signs the "
        "attestation is missing.",
        "fr": "Le nom ou le titre du membre de l’organe de direction qui signe l’attestation "
        "est manquant.",
    },
    "fix.SIGNATORY_MISSING": {
        "en": "Enter the signatory’s name and title.",
        "fr": "Saisissez le nom et le titre du signataire.",
    },
    "finding.ATTESTATION_MISSING": {
        "en": "The attestation statement is missing ({language}).",
        "fr": "La déclaration d’attestation est manquante ({language}).",
    },
    "fix.ATTESTATION_MISSING": {
        "en": "Enter the attestation statement the signatory signs.",
        "fr": "Saisissez la déclaration d’attestation que signe le signataire.",
    },
    "finding.JOINT_WITHOUT_ENTITIES": {
        "en": "The report is a joint report but names no covered entity.",
        "fr": "Le rapport est un rapport conjoint, mais ne nomme aucune entité visée.",
    },
    "fix.JOINT_WITHOUT_ENTITIES": {
        "en": "List each covered entity with its legal name and business number.",
        "fr": "Énumérez chaque entité visée avec sa dénomination sociale et son numéro "
        "d’entreprise.",
    },
    "finding.REVISION_INCOMPLETE": {
        "en": "The report revises an earlier one but lacks the date of the original or the "
        "description of the changes.",
        "fr": "Le rapport en révise un autre, mais la date de l’original ou la description "
        "des modifications manque.",
    },
    "fix.REVISION_INCOMPLETE": {
        "en": "Enter the date the original report was submitted and describe what changed.",
        "fr": "Saisissez la date de présentation du rapport original et décrivez les "
        "modifications.",
    },
    "finding.SCOPE_NOT_MET": {
        "en": "The scope basis does not bring the entity under the Act: it is not listed in "
        "Canada, and it has {presence} with {thresholds} of the three size thresholds (two "
        "are needed).",
        "fr": "Le motif indiqué ne fait pas entrer l’entité dans le champ de la Loi : elle "
        "n’est pas inscrite à une bourse canadienne, et elle a {presence} avec {thresholds} "
        "des trois seuils de taille (il en faut deux).",
    },
    "fix.SCOPE_NOT_MET": {
        "en": "Tick the listing, or the Canadian presence and at least two thresholds that "
        "were met; if none apply, check with counsel whether the entity must report.",
        "fr": "Cochez l’inscription en bourse, ou la présence au Canada et au moins deux "
        "seuils atteints; si aucun ne s’applique, vérifiez avec un conseiller juridique si "
        "l’entité doit déclarer.",
    },
    "scope.presence_yes": {"en": "a Canadian presence", "fr": "une présence au Canada"},
    "scope.presence_no": {"en": "no Canadian presence", "fr": "aucune présence au Canada"},
    "finding.RISKS_DENIED_WITH_EXPOSURE": {
        "en": "The questionnaire says no risk was identified, but the assessment has lines "
        "with High or Critical exposure ({items}).",
        "fr": "Le questionnaire indique qu’aucun risque n’a été relevé, mais l’évaluation "
        "comporte des lignes à exposition élevée ou critique ({items}).",
    },
    "fix.RISKS_DENIED_WITH_EXPOSURE": {
        "en": "Answer that risks were identified and describe them in section (c), or "
        "explain in section (c) why the exposure found does not amount to a risk.",
        "fr": "Répondez que des risques ont été relevés et décrivez-les à la section (c), ou "
        "expliquez à la section (c) pourquoi l’exposition constatée ne constitue pas un "
        "risque.",
    },
    "finding.RISK_COUNTRIES_OMITTED": {
        "en": "Countries with High or Critical exposure are not among the countries selected "
        "in the questionnaire: {items}.",
        "fr": "Des pays à exposition élevée ou critique ne figurent pas parmi les pays choisis "
        "dans le questionnaire : {items}.",
    },
    "fix.RISK_COUNTRIES_OMITTED": {
        "en": "Select these countries, or explain in the questionnaire why they are left out.",
        "fr": "Choisissez ces pays, ou expliquez dans le questionnaire pourquoi ils sont exclus.",
    },
    "finding.HIGH_RISK_NOT_MENTIONED": {
        "en": "Section (c) does not mention these countries or goods with High or Critical "
        "exposure: {items}.",
        "fr": "La section (c) ne mentionne pas ces pays ou biens à exposition élevée ou "
        "critique : {items}.",
    },
    "fix.HIGH_RISK_NOT_MENTIONED": {
        "en": "Name them in section (c) (the drafted statements do), with the steps taken.",
        "fr": "Nommez-les à la section (c) (les énoncés rédigés le font), avec les mesures prises.",
    },
    "finding.INSUFFICIENT_DATA_UNDISCLOSED": {
        "en": "{share} of the purchases could not be assessed for lack of data, and section "
        "(c) does not say so.",
        "fr": "{share} des achats n’ont pu être évalués faute de données, et la section (c) "
        "ne le dit pas.",
    },
    "fix.INSUFFICIENT_DATA_UNDISCLOSED": {
        "en": "State the share with insufficient data in section (c).",
        "fr": "Indiquez à la section (c) la part aux données insuffisantes.",
    },
    "finding.TOPIC_SECTION_EMPTY": {
        "en": "The questionnaire answers “yes” to {topic}, but section ({section}) is empty.",
        "fr": "Le questionnaire répond « oui » pour {topic}, mais la section ({section}) est vide.",
    },
    "fix.TOPIC_SECTION_EMPTY": {
        "en": "Describe the measures in section ({section}), or correct the answer.",
        "fr": "Décrivez les mesures à la section ({section}), ou corrigez la réponse.",
    },
    "topic.policies_due_diligence": {
        "en": "policies and due diligence",
        "fr": "les politiques et la diligence raisonnable",
    },
    "topic.remediation": {"en": "remediation", "fr": "les mesures de réparation"},
    "topic.income_loss": {
        "en": "remediating the loss of income",
        "fr": "la réparation de la perte de revenus",
    },
    "topic.training": {"en": "training", "fr": "la formation"},
    "topic.effectiveness": {
        "en": "assessing effectiveness",
        "fr": "l’évaluation de l’efficacité",
    },
    "finding.NO_STEPS_CONTRADICTED_BY_ANSWERS": {
        "en": "The questionnaire says no steps were taken, but other answers say otherwise: "
        "{items}.",
        "fr": "Le questionnaire indique qu’aucune mesure n’a été prise, mais d’autres "
        "réponses disent le contraire : {items}.",
    },
    "fix.NO_STEPS_CONTRADICTED_BY_ANSWERS": {
        "en": "Select the steps that were taken, or correct the other answers.",
        "fr": "Choisissez les mesures prises, ou corrigez les autres réponses.",
    },
    "finding.NO_STEPS_CONTRADICTED_BY_TEXT": {
        "en": "The questionnaire says no steps were taken, but section ({section}) appears to "
        "describe some (“{words}”).",
        "fr": "Le questionnaire indique qu’aucune mesure n’a été prise, mais la section "
        "({section}) semble en décrire (« {words} »).",
    },
    "fix.NO_STEPS_CONTRADICTED_BY_TEXT": {
        "en": "Make the answer and the report say the same thing.",
        "fr": "Faites concorder la réponse et le rapport.",
    },
    "finding.ANSWER_MISMATCH": {
        "en": "The questionnaire and the report differ on {field}: “{answer}” against “{report}”.",
        "fr": "Le questionnaire et le rapport diffèrent pour {field} : « {answer} » contre "
        "« {report} ».",
    },
    "fix.ANSWER_MISMATCH": {
        "en": "The answers must be consistent with the report; correct one of them.",
        "fr": "Les réponses doivent concorder avec le rapport; corrigez l’un ou l’autre.",
    },
    "field.legal_name": {"en": "the legal name", "fr": "la dénomination sociale"},
    "field.financial_year_start": {
        "en": "the start of the financial year",
        "fr": "le début de l’exercice",
    },
    "field.financial_year_end": {
        "en": "the end of the financial year",
        "fr": "la fin de l’exercice",
    },
    "field.joint_report": {"en": "whether the report is joint", "fr": "le caractère conjoint"},
    "field.revised_report": {"en": "whether the report is revised", "fr": "la révision"},
    "field.scope_basis": {"en": "why the entity reports", "fr": "le motif de déclarer"},
    "finding.PERSONAL_EMAIL": {
        "en": "{where} contains an e-mail address (“{match}”). A published report should not "
        "identify individuals.",
        "fr": "{where} contient une adresse courriel (« {match} »). Un rapport publié ne doit "
        "pas permettre d’identifier des personnes.",
    },
    "fix.PERSONAL_EMAIL": {
        "en": "Remove it, or use a role address such as ethics@… if it is meant to be public.",
        "fr": "Supprimez-la, ou utilisez une adresse de fonction comme ethique@… si elle doit "
        "être publique.",
    },
    "finding.PERSONAL_PHONE": {
        "en": "{where} contains a telephone number (“{match}”).",
        "fr": "{where} contient un numéro de téléphone (« {match} »).",
    },
    "fix.PERSONAL_PHONE": {
        "en": "Remove it unless it is a public hotline number.",
        "fr": "Supprimez-le, sauf s’il s’agit d’une ligne d’assistance publique.",
    },
    "finding.PERSONAL_NAME": {
        "en": "{where} may name an individual (“{match}”). Workers and victims must not be "
        "identifiable in a published report.",
        "fr": "{where} semble nommer une personne (« {match} »). Les travailleurs et les "
        "victimes ne doivent pas être identifiables dans un rapport publié.",
    },
    "fix.PERSONAL_NAME": {
        "en": "Describe the case without the person’s name.",
        "fr": "Décrivez le cas sans le nom de la personne.",
    },
    "where.section": {"en": "Section ({section})", "fr": "La section ({section})"},
    "where.answer": {"en": "The answer to {question}", "fr": "La réponse à {question}"},
    "where.revision": {
        "en": "The description of changes",
        "fr": "La description des modifications",
    },
    "finding.REPORT_TOO_LONG": {
        "en": "The report would run to about {pages} pages; the guidance asks for at most {limit}.",
        "fr": "Le rapport compterait environ {pages} pages; les lignes directrices en "
        "prévoient au plus {limit}.",
    },
    "fix.REPORT_TOO_LONG": {
        "en": "Shorten the sections; detail can go on the entity’s website.",
        "fr": "Raccourcissez les sections; les détails peuvent figurer sur le site Web de "
        "l’entité.",
    },
    "finding.TEXT_TOO_LONG": {
        "en": "{where} has {length} characters; the questionnaire box accepts {limit}.",
        "fr": "{where} compte {length} caractères; la case du questionnaire en accepte {limit}.",
    },
    "fix.TEXT_TOO_LONG": {"en": "Shorten the text.", "fr": "Raccourcissez le texte."},
    "finding.STATEMENT_OUTDATED": {
        "en": "A drafted statement in section ({section}) comes from other data than the "
        "current assessment ({kind}).",
        "fr": "Un énoncé rédigé de la section ({section}) provient d’autres données que "
        "l’évaluation actuelle ({kind}).",
    },
    "fix.STATEMENT_OUTDATED": {
        "en": "Draft the statement again from the current assessment.",
        "fr": "Rédigez de nouveau l’énoncé à partir de l’évaluation actuelle.",
    },
    "lang.en": {"en": "English", "fr": "anglais"},
    "lang.fr": {"en": "French", "fr": "français"},
    # Months, for dates written out
    "month.1": {"en": "January", "fr": "janvier"},
    "month.2": {"en": "February", "fr": "février"},
    "month.3": {"en": "March", "fr": "mars"},
    "month.4": {"en": "April", "fr": "avril"},
    "month.5": {"en": "May", "fr": "mai"},
    "month.6": {"en": "June", "fr": "juin"},
    "month.7": {"en": "July", "fr": "juillet"},
    "month.8": {"en": "August", "fr": "août"},
    "month.9": {"en": "September", "fr": "septembre"},
    "month.10": {"en": "October", "fr": "octobre"},
    "month.11": {"en": "November", "fr": "novembre"},
    "month.12": {"en": "December", "fr": "décembre"},
}

# French puts a no-break space before : ; ? ! and inside « »; applying it once here keeps
# the catalogue readable and stops a line from breaking before the colon.
_FRENCH_SPACE = re.compile(r"\s*([:;?!»])|(«)\s*")


def french_spacing(text: str) -> str:
    """Put a no-break space before : ; ? ! and inside « » (French typography)."""
    return _FRENCH_SPACE.sub(lambda m: f"{NBSP}{m[1]}" if m[1] else f"{m[2]}{NBSP}", text)


for _entry in CATALOGUE.values():
    if "fr" in _entry:
        _entry["fr"] = french_spacing(_entry["fr"])


def t(key: str, lang: Lang, **params: object) -> str:
    """Return the catalogue text `key` in `lang`, with `params` filled in."""
    if lang not in ("en", "fr"):
        raise ValueError(f"a text is wanted in en or fr, not {lang!r}")
    text = CATALOGUE[key][lang]
    return text.format(**params) if params else text


def fmt_int(value: int, lang: Lang) -> str:
    """Write a whole number with the thousands separator of `lang` (1,234 / 1 234)."""
    text = f"{value:,}"
    return text.replace(",", NBSP) if lang == "fr" else text


def fmt_pct(share: float, lang: Lang) -> str:
    """Write a share between 0 and 1 as a percentage with one decimal when it helps."""
    percent = share * 100
    text = f"{percent:.0f}" if abs(percent - round(percent)) < 0.05 else f"{percent:.1f}"
    if 0 < percent < 0.5:
        text = "<1" if lang == "en" else f"<{NBSP}1"
    return f"{text}%" if lang == "en" else f"{text.replace('.', ',')}{NBSP}%"


def fmt_date(value: date | None, lang: Lang) -> str:
    """Write a date out in words (31 March 2025 / 31 mars 2025, 1er avril)."""
    if value is None:
        return t("entity.not_stated", lang)
    day = "1er" if lang == "fr" and value.day == 1 else str(value.day)
    return f"{day} {t(f'month.{value.month}', lang)} {value.year}"


def join_list(items: Iterable[str], lang: Lang) -> str:
    """Join names as a sentence does: "A, B and C" / "A, B et C"."""
    names = list(items)
    if len(names) <= 1:
        return "".join(names)
    return t("list.and", lang, head=", ".join(names[:-1]), last=names[-1])
