"""Recognise which uploaded column holds which canonical field, in English, French or ERP words.

Exact synonyms first, then a fuzzy match (rapidfuzz) with a confidence; the person confirms
the proposal when anything is missing, doubtful or contested. A confirmed mapping is stored
as `{field: header}` and re-applied with `explicit_mapping` on the next upload.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz, process

from supplychain.ingest.errors import IngestError
from supplychain.ingest.values import AMBIGUOUS_SYMBOLS, CURRENCY_SYMBOLS, currency_code

CONFIRM_BELOW = 0.9  # a chosen column below this confidence is shown for confirmation
FUZZY_FROM = 0.8  # a fuzzy match below this is not proposed at all
WEAK = 0.85  # generic words ("Name", "Description") that usually, not always, mean the field
MIN_FUZZY_LENGTH = 4  # "HS" must not fuzzily become "ID"


@dataclass(frozen=True)
class FieldInfo:
    """A canonical field, with its labels and help in English and French."""

    name: str
    label_en: str
    label_fr: str
    help_en: str
    help_fr: str
    example: str


FIELDS: dict[str, FieldInfo] = {
    info.name: info
    for info in (
        FieldInfo(
            "supplier_name",
            "Supplier name",
            "Nom du fournisseur",
            "Legal or trading name of the supplier, as on the invoice.",
            "Raison sociale ou nom commercial du fournisseur, comme sur la facture.",
            "Maple Leaf Garments Ltd.",
        ),
        FieldInfo(
            "supplier_id",
            "Supplier ID",
            "Code fournisseur",
            "Your own vendor number, so re-uploads keep earlier decisions.",
            "Votre numéro de fournisseur, pour conserver les décisions d'un envoi à l'autre.",
            "V-000123",
        ),
        FieldInfo(
            "country",
            "Country",
            "Pays",
            "Country where the goods are made (name or ISO code: China, CN, CHN).",
            "Pays où les biens sont fabriqués (nom ou code ISO : Chine, CN, CHN).",
            "Bangladesh",
        ),
        FieldInfo(
            "address",
            "Address",
            "Adresse",
            "Address of the factory or supplier, in one cell.",
            "Adresse de l'usine ou du fournisseur, dans une seule cellule.",
            "Plot 12, Road 5, Gazipur, Dhaka",
        ),
        FieldInfo(
            "product_description",
            "Product description",
            "Description du produit",
            "What you buy from this supplier, in plain words.",
            "Ce que vous achetez à ce fournisseur, en mots simples.",
            "Men's cotton knit T-shirts",
        ),
        FieldInfo(
            "hs_code",
            "HS code",
            "Code SH",
            "Harmonized System tariff code, 4 to 10 digits; keep leading zeros.",
            "Code tarifaire du Système harmonisé, 4 à 10 chiffres ; gardez les zéros initiaux.",
            "6109.10",
        ),
        FieldInfo(
            "spend",
            "Spend",
            "Dépenses",
            "Amount spent with this supplier over the reporting year.",
            "Montant dépensé auprès de ce fournisseur pendant l'exercice.",
            "12500.00",
        ),
        FieldInfo(
            "currency",
            "Currency",
            "Devise",
            "ISO 4217 currency code of the spend.",
            "Code de devise ISO 4217 des dépenses.",
            "CAD",
        ),
        FieldInfo(
            "quantity",
            "Quantity",
            "Quantité",
            "Quantity bought over the reporting year.",
            "Quantité achetée pendant l'exercice.",
            "5000",
        ),
        FieldInfo(
            "unit",
            "Unit",
            "Unité",
            "Unit of the quantity (pcs, kg, m, ...).",
            "Unité de la quantité (pcs, kg, m, ...).",
            "pcs",
        ),
        FieldInfo(
            "tier",
            "Tier",
            "Rang",
            "Supply-chain tier: 1 for direct suppliers, 2 for their suppliers, up to 9.",
            "Rang dans la chaîne : 1 pour les fournisseurs directs, 2 pour les leurs, jusqu'à 9.",
            "1",
        ),
    )
}
FIELD_NAMES = tuple(FIELDS)
# Required: something to screen (a supplier or a product) and where it comes from.
IDENTITY_FIELDS = ("supplier_name", "product_description")
PRODUCT_FIELDS = ("product_description", "hs_code")
IDENTITY = "supplier_name_or_product_description"  # as listed in ColumnMapping.missing_required

# Header words per field, as people write them; normalised at import. Weak ones get WEAK.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "supplier_name": (
        "supplier",
        "supplier name",
        "supplier legal name",
        "vendor",
        "vendor name",
        "vendor legal name",
        "manufacturer",
        "manufacturer name",
        "factory",
        "factory name",
        "facility name",
        "producer",
        "company name",
        "legal name",
        "fournisseur",
        "nom du fournisseur",
        "nom fournisseur",
        "raison sociale",
        "dénomination sociale",
        "fabricant",
        "nom de l'usine",
        "usine",
        "entreprise",
    ),
    "supplier_id": (
        "supplier id",
        "supplier number",
        "supplier code",
        "supplier #",
        "vendor id",
        "vendor number",
        "vendor code",
        "vendor #",
        "vendor account",
        "creditor",
        "creditor number",
        "code fournisseur",
        "numéro fournisseur",
        "numéro de fournisseur",
        "n° fournisseur",
        "id fournisseur",
        "identifiant fournisseur",
        "lifnr",
    ),
    "country": (
        "country",
        "country of origin",
        "origin country",
        "coo",
        "country code",
        "supplier country",
        "vendor country",
        "country of manufacture",
        "manufacturing country",
        "made in",
        "pays",
        "pays d'origine",
        "pays de fabrication",
        "pays de provenance",
        "pays du fournisseur",
        "code pays",
    ),
    "address": (
        "address",
        "supplier address",
        "vendor address",
        "factory address",
        "street address",
        "full address",
        "adresse",
        "adresse du fournisseur",
        "adresse de l'usine",
    ),
    "product_description": (
        "item description",
        "product",
        "product description",
        "product name",
        "material description",
        "goods description",
        "description of goods",
        "commodity",
        "commodity description",
        "part description",
        "produit",
        "description article",
        "description de l'article",
        "description du produit",
        "désignation",
        "désignation article",
        "libellé article",
        "nom du produit",
        "marchandise",
    ),
    "hs_code": (
        "hs",
        "hts",
        "hs code",
        "hts code",
        "hs6",
        "harmonized code",
        "harmonized system code",
        "tariff code",
        "customs tariff",
        "commodity code",
        "code sh",
        "code douanier",
        "nomenclature douanière",
        "code tarifaire",
        "taric",
    ),
    "spend": (
        "amount",
        "spend",
        "annual spend",
        "spend amount",
        "total spend",
        "purchase value",
        "purchases",
        "value",
        "total amount",
        "total value",
        "net value",
        "invoice amount",
        "po value",
        "montant",
        "montant total",
        "montant ht",
        "dépenses",
        "valeur",
        "achats",
    ),
    "currency": (
        "currency",
        "currency code",
        "ccy",
        "devise",
        "monnaie",
        "code devise",
    ),
    "quantity": (
        "qty",
        "quantity",
        "order quantity",
        "quantity ordered",
        "volume",
        "quantité",
        "qté",
    ),
    "unit": (
        "uom",
        "unit",
        "unit of measure",
        "measure",
        "units",
        "unité",
        "unité de mesure",
        "udm",
    ),
    "tier": (
        "tier",
        "supplier tier",
        "tier level",
        "rang",
        "rang fournisseur",
        "niveau",
    ),
}
_WEAK_SYNONYMS: dict[str, tuple[str, ...]] = {
    "supplier_name": ("name", "nom", "name 1", "company", "société", "facility"),
    "supplier_id": ("code", "id"),
    "country": ("origin", "origine", "provenance"),
    "address": ("location", "lieu"),
    "product_description": ("description", "item", "article", "material", "libellé", "goods"),
    "spend": ("total", "cost", "coût"),
}
# Headers that look like a field but are not one; never fuzzily matched to anything.
_NOT_FIELDS = (
    "unit price",
    "unit cost",
    "price",
    "prix",
    "prix unitaire",
    "product code",
    "item number",
    "item code",
    "sku",
    "part number",
    "po number",
    "invoice number",
    "date",
    "city",
    "ville",
    "postal code",
    "code postal",
    "state",
    "province",
    "region",
    "contact",
    "email",
    "phone",
)

_STOP_WORDS = frozenset(["a", "the", "of", "de", "du", "des", "d", "la", "le", "l", "les", "en"])
_ABBREVIATIONS = {
    "desc": "description",
    "descr": "description",
    "amt": "amount",
    "no": "number",
    "nr": "number",
    "nbr": "number",
    "num": "number",
    "n": "number",
    "ctry": "country",
    "cntry": "country",
    "orig": "origin",
    "prod": "product",
    "curr": "currency",
    "cur": "currency",
    "addr": "address",
    "supp": "supplier",
    "suppl": "supplier",
    "vend": "vendor",
    "fourn": "fournisseur",
    "frs": "fournisseur",
    "mfr": "manufacturer",
    "numero": "number",
}


def normalise_header(header: str) -> str:
    """Fold a header for comparison: case, accents, punctuation, function words, abbreviations."""
    text = unicodedata.normalize("NFKD", header)
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    text = text.replace("#", " number ").replace("°", " ")
    tokens = re.sub(r"[\W_]+", " ", text).split()
    return " ".join(
        _ABBREVIATIONS.get(token, token) for token in tokens if token not in _STOP_WORDS
    )


def _synonym_index() -> dict[str, tuple[str, float]]:
    index: dict[str, tuple[str, float]] = {}
    for weight, table in ((1.0, _SYNONYMS), (WEAK, _WEAK_SYNONYMS)):
        for name, words in table.items():
            for word in words:
                index.setdefault(normalise_header(word), (name, weight))
    return index


SYNONYMS = _synonym_index()
NOT_FIELDS = frozenset(normalise_header(word) for word in _NOT_FIELDS)
_CHOICES = list(SYNONYMS)
_SYMBOLS = sorted((*CURRENCY_SYMBOLS, *AMBIGUOUS_SYMBOLS), key=len, reverse=True)
_SYMBOL_IN_HEADER = re.compile(  # "C$" counts in "Value (C$)", not in "SALES$"
    "|".join(
        rf"(?<![A-Z]){re.escape(symbol)}" if symbol[0].isalpha() else re.escape(symbol)
        for symbol in _SYMBOLS
    )
)
_CODE_IN_HEADER = re.compile(r"\(\s*([A-Za-z]{3})\s*\)|(?<![A-Za-z])([A-Z]{3})(?![A-Za-z])")


@dataclass(frozen=True)
class ColumnChoice:
    """Why a column was taken for a field: how it matched, and how sure we are."""

    field: str
    column: int  # 0-based position in the headers
    header: str
    confidence: float  # 1.0 for an exact synonym or a person's choice
    method: str  # "synonym", "fuzzy" or "explicit"
    matched: str | None = None  # the synonym it matched, for the explanation


@dataclass(frozen=True)
class ColumnMapping:
    """Which column feeds which canonical field, and whether a person should look first."""

    headers: tuple[str, ...]
    choices: dict[str, ColumnChoice]
    currency_hint: str | None = None  # ISO code read from the spend header: "Value (CAD)"
    competing: dict[str, tuple[str, ...]] = field(default_factory=dict)
    missing_required: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()  # why confirmation is needed, for the person
    needs_confirmation: bool = False

    def column(self, name: str) -> int | None:
        """Return the 0-based column index of a field, or None if it is not mapped."""
        choice = self.choices.get(name)
        return None if choice is None else choice.column

    @property
    def unmapped(self) -> tuple[str, ...]:
        """Return the headers no field uses (their values are still kept on every record)."""
        used = {choice.column for choice in self.choices.values()}
        return tuple(header for index, header in enumerate(self.headers) if index not in used)

    def to_dict(self) -> dict[str, str]:
        """Return `{field: header}`, the form to store and pass back to `explicit_mapping`."""
        return {name: choice.header for name, choice in self.choices.items()}


def propose_mapping(
    headers: Sequence[str],
    *,
    confirm_below: float = CONFIRM_BELOW,
    fuzzy_from: float = FUZZY_FROM,
) -> ColumnMapping:
    """Propose a field for each header we recognise, with a confidence and the doubts to show."""
    headers = tuple(headers)
    claims: dict[str, list[ColumnChoice]] = {}
    hints: dict[int, str] = {}
    for column, header in enumerate(headers):
        found = _recognise(header, fuzzy_from)
        if found is None:
            continue
        choice, hint = found
        claims.setdefault(choice.field, []).append(replace(choice, column=column))
        if hint:
            hints[column] = hint
    choices: dict[str, ColumnChoice] = {}
    competing: dict[str, tuple[str, ...]] = {}
    reasons: list[str] = []
    for name in FIELD_NAMES:
        candidates = sorted(claims.get(name, []), key=lambda c: (-c.confidence, c.column))
        if not candidates:
            continue
        best = choices[name] = candidates[0]
        if len(candidates) > 1:
            others = tuple(candidate.header for candidate in candidates[1:])
            competing[name] = others
            listed = ", ".join(repr(header) for header in (best.header, *others))
            quantifier = "both" if len(candidates) == 2 else "all"
            reasons.append(
                f"{listed} {quantifier} look like {FIELDS[name].label_en}; "
                f"{best.header!r} was chosen."
            )
        if best.confidence < confirm_below:
            reasons.append(
                f"{best.header!r} was read as {FIELDS[name].label_en} "
                f"(confidence {best.confidence:.0%})."
            )
    missing = _missing_required(choices)
    reasons[:0] = [_MISSING_REASONS[name] for name in missing]
    mapped = {choice.column for choice in choices.values()}
    if not any(name in choices for name in PRODUCT_FIELDS) and len(mapped) < len(headers):
        # Allowed (a supplier-only list is screened), but goods risk would go unscored while
        # an unrecognised column may well hold the products: ask rather than guess.
        reasons.append(
            "No column was recognised as the product description or the HS code; without "
            "one, goods risk is not scored. Choose it if the file has one."
        )
    currency_hint = None
    if "spend" in choices and (marker := hints.get(choices["spend"].column)):
        try:
            currency_hint = currency_code(marker)
        except ValueError:
            reasons.append(
                f"{choices['spend'].header!r} gives the currency as {marker!r}, which could be "
                "several currencies; say which one."
            )
    return ColumnMapping(
        headers=headers,
        choices=choices,
        currency_hint=currency_hint,
        competing=competing,
        missing_required=missing,
        reasons=tuple(reasons),
        needs_confirmation=bool(reasons),
    )


_MISSING_REASONS = {
    IDENTITY: "No column was recognised as the supplier name or the product description.",
    "country": "No column was recognised as the country.",
}


def _missing_required(choices: Mapping[str, ColumnChoice]) -> tuple[str, ...]:
    missing = []
    if not any(name in choices for name in IDENTITY_FIELDS):
        missing.append(IDENTITY)
    if "country" not in choices:
        missing.append("country")
    return tuple(missing)


def _recognise(header: str, fuzzy_from: float) -> tuple[ColumnChoice, str | None] | None:
    """Match one header to a field: exactly, then without a currency marker, then fuzzily."""
    normal = normalise_header(header)
    if not normal or normal in NOT_FIELDS:
        return None
    marker, rest = _currency_marker(header)
    if normal in SYNONYMS:
        name, weight = SYNONYMS[normal]
        return ColumnChoice(name, -1, header, weight, "synonym", normal), (
            marker if name == "spend" else None
        )
    if marker and rest in SYNONYMS and SYNONYMS[rest][0] == "spend":
        return ColumnChoice("spend", -1, header, SYNONYMS[rest][1], "synonym", rest), marker
    if len(normal) < MIN_FUZZY_LENGTH:
        return None
    found = process.extractOne(
        normal, _CHOICES, scorer=fuzz.token_sort_ratio, score_cutoff=fuzzy_from * 100
    )
    if found is None:
        return None
    matched, score, _ = found
    name, weight = SYNONYMS[matched]
    confidence = round(score / 100 * weight, 2)
    if confidence < fuzzy_from:
        return None
    return ColumnChoice(name, -1, header, confidence, "fuzzy", matched), None


def _currency_marker(header: str) -> tuple[str | None, str]:
    """Find a currency written in a header ("Value (CAD)", "Montant €"); return it and the rest.

    A code counts when written in capitals or in brackets, so "Total all" is not Albanian lek.
    """
    if match := _SYMBOL_IN_HEADER.search(header.upper()):
        rest = header[: match.start()] + " " + header[match.end() :]
        return match.group(), normalise_header(rest)
    for match in _CODE_IN_HEADER.finditer(header):
        code = match.group(1) or match.group(2)
        try:
            currency_code(code)
        except ValueError:
            continue
        return code.upper(), normalise_header(header[: match.start()] + " " + header[match.end() :])
    return None, ""


def explicit_mapping(
    headers: Sequence[str],
    chosen: Mapping[str, str | int | None],
    *,
    currency_hint: str | None = None,
) -> ColumnMapping:
    """Build a mapping a person chose: `{field: header name or 0-based column index}`.

    Header names match exactly, then ignoring case, accents and punctuation. Raises
    IngestError naming the unknown field, header or index, a column used twice, or a mapping
    with neither a supplier name nor a product description (nothing to screen).
    """
    headers = tuple(headers)
    choices: dict[str, ColumnChoice] = {}
    used: dict[int, str] = {}
    for name, reference in chosen.items():
        if name not in FIELDS:
            raise IngestError(
                f"{name!r} is not a field we know; the fields are {', '.join(FIELD_NAMES)}.",
                code="bad_mapping",
                field=name,
            )
        if reference is None or reference == "":
            continue
        column = _find_column(headers, name, reference)
        if column in used:
            raise IngestError(
                f"Column {headers[column]!r} is mapped to both {used[column]} and {name}; "
                "map each column to one field.",
                code="bad_mapping",
                field=name,
                column=headers[column],
            )
        used[column] = name
        choices[name] = ColumnChoice(name, column, headers[column], 1.0, "explicit")
    missing = _missing_required(choices)
    if IDENTITY in missing:
        raise IngestError(
            "The mapping needs a supplier name or a product description column.",
            code="bad_mapping",
        )
    hint = None
    if currency_hint:
        try:
            hint = currency_code(currency_hint)
        except ValueError as exc:
            raise IngestError(f"Currency: {exc}.", code="bad_mapping", field="currency") from exc
    return ColumnMapping(
        headers=headers,
        choices=choices,
        currency_hint=hint,
        missing_required=missing,
        reasons=tuple(_MISSING_REASONS[name] for name in missing),
        needs_confirmation=False,  # a person made these choices; missing country is allowed
    )


def _find_column(headers: tuple[str, ...], name: str, reference: str | int) -> int:
    if isinstance(reference, int) and not isinstance(reference, bool):
        if 0 <= reference < len(headers):
            return reference
        raise IngestError(
            f"Column index {reference} (for {name}) is out of range; the file has "
            f"{len(headers)} columns, numbered 0 to {len(headers) - 1}.",
            code="bad_mapping",
            field=name,
        )
    text = str(reference)
    if text in headers:
        return headers.index(text)
    folded = normalise_header(text)
    matches = [index for index, header in enumerate(headers) if normalise_header(header) == folded]
    if len(matches) == 1:
        return matches[0]
    listed = ", ".join(repr(header) for header in headers)
    raise IngestError(
        f"There is no column named {text!r} (for {name}); the columns are {listed}.",
        code="bad_mapping",
        field=name,
        column=text,
    )
