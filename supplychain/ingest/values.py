"""Parse the values people type into spreadsheets: amounts, currencies, quantities, tiers.

Each parser raises ValueError with a reason written for the person who typed the value.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import pycountry

# Unambiguous symbols and the prefixed dollar signs; checked before 3-letter codes.
CURRENCY_SYMBOLS = {
    "€": "EUR",
    "£": "GBP",
    "₹": "INR",
    "₩": "KRW",
    "₺": "TRY",
    "₫": "VND",
    "₱": "PHP",
    "฿": "THB",
    "₪": "ILS",
    "₦": "NGN",
    "₴": "UAH",
    "₽": "RUB",
    "R$": "BRL",
    "US$": "USD",
    "U$S": "USD",
    "C$": "CAD",
    "CA$": "CAD",
    "CAN$": "CAD",
    "A$": "AUD",
    "AU$": "AUD",
    "HK$": "HKD",
    "S$": "SGD",
    "NZ$": "NZD",
    "NT$": "TWD",
    "MX$": "MXN",
}
# Names people write in a currency column instead of the ISO code.
CURRENCY_ALIASES = {
    "RMB": "CNY",
    "YUAN": "CNY",
    "NTD": "TWD",
    "EURO": "EUR",
    "EUROS": "EUR",
    "US DOLLAR": "USD",
    "US DOLLARS": "USD",
    "CANADIAN DOLLAR": "CAD",
    "CANADIAN DOLLARS": "CAD",
    "DOLLAR CANADIEN": "CAD",
    "DOLLARS CANADIENS": "CAD",
}
# Symbols shared by several currencies: resolved only by the caller's default currency.
AMBIGUOUS_SYMBOLS = {
    "$": frozenset({"USD", "CAD", "AUD", "NZD", "HKD", "SGD", "TWD", "MXN"}),
    "¥": frozenset({"JPY", "CNY"}),
}

_SYMBOL_CHARS = "$€£¥₹₩₺₫₱฿₪₦₴₽"
_MARKER = rf"[A-Za-z]{{1,3}}\$|U\$S|[{_SYMBOL_CHARS}]|[A-Za-z]{{3}}"
_PREFIX = re.compile(rf"^({_MARKER})\s*")
_SUFFIX = re.compile(rf"\s*({_MARKER})$")
_PLAIN = re.compile(r"\d+(?:\.\d+)?")
_GROUP_SPACE = "  \u2009\u202f'’"  # space, no-break, thin, narrow no-break, apostrophes (Swiss)
_NUMBER_CHARS = re.compile(rf"[\d.,{_GROUP_SPACE}]+")
_TRAILING_UNIT = re.compile(r"^(.*?\d)\s*([^\W\d_][^\W_]{0,9}\.?)$")
_TIER = re.compile(
    r"(?:(?:tier|tiers|rang|niveau|level|t|n)\s*[-_#:]?\s*)?(\d+)(?:[.,]0+)?(?:st|nd|rd|th|er|e)?",
    re.IGNORECASE,
)


def parse_amount(text: str, decimal: str | None = None) -> tuple[Decimal, str | None]:
    """Read a money amount and any currency marker written with it.

    Accepts "1,234.56", "1 234,56", "1.234,56", "1'234.56", "$1,234", "CAD 1234", "1234 €",
    "(1,234)" and "1234-" (both negative, as accounting and SAP write them). `decimal` (","
    or ".") settles lone-separator values like "1.234"; without it the English reading wins.
    """
    if _PLAIN.fullmatch(text) and not (decimal == "," and "." in text):
        return Decimal(text), None  # the common case, from Excel or a plain export: "1234.5"
    value = " ".join(text.split()).replace("\u2212", "-")
    if not value:
        raise ValueError("the cell is empty")
    negative = False
    marker: str | None = None
    for _ in range(2):  # markers and signs nest either way round: "-$12", "$-12", "($12)"
        value, signed = _strip_sign(value)
        if signed and negative:
            raise ValueError(f"{text.strip()!r} is not an amount (two minus signs)")
        negative |= signed
        if marker is None and (match := _PREFIX.match(value) or _SUFFIX.search(value)):
            marker = match.group(1)
            value = (value[: match.start()] + value[match.end() :]).strip()
    try:
        number = to_decimal(value, decimal)
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not an amount") from None
    return (-number if negative else number), marker


def _strip_sign(value: str) -> tuple[str, bool]:
    if value.startswith("(") and value.endswith(")"):
        return value[1:-1].strip(), True
    if value.startswith("-"):
        return value[1:].strip(), True
    if value.endswith("-"):
        return value[:-1].strip(), True
    if value.startswith("+"):
        return value[1:].strip(), False
    return value, False


def to_decimal(value: str, decimal: str | None = None) -> Decimal:
    """Read an unsigned number written with any common grouping and decimal separators."""
    if _PLAIN.fullmatch(value) and not (decimal == "," and "." in value):
        return Decimal(value)
    if not _NUMBER_CHARS.fullmatch(value) or not any(char.isdigit() for char in value):
        raise ValueError(value)
    compact = "".join(char for char in value if char not in _GROUP_SPACE)
    separator = _decimal_separator(compact, decimal)
    whole, fraction = value, ""
    if separator:
        whole, _, fraction = value.rpartition(separator)
        if fraction and not fraction.isdigit():
            raise ValueError(value)
    whole = whole.strip()
    if whole and not whole.isdigit():
        whole = _ungroup(whole, value)
    try:
        return Decimal(f"{whole or '0'}.{fraction}" if fraction else whole)
    except InvalidOperation:
        raise ValueError(value) from None


def _ungroup(whole: str, value: str) -> str:
    """Remove thousands separators, checking they really separate groups of three digits."""
    separators = {char for char in whole if not char.isdigit()}
    if separators <= set(_GROUP_SPACE):
        whole = re.sub(f"[{_GROUP_SPACE}]", " ", whole)
        separators = {" "}
    if len(separators) != 1:
        raise ValueError(value)
    group = re.escape(separators.pop())
    western = rf"\d{{1,3}}(?:{group}\d{{3}})+"
    indian = rf"\d{{1,2}}(?:{group}\d{{2}})+{group}\d{{3}}"  # 12,34,567 (lakh grouping)
    if not re.fullmatch(f"{western}|{indian}", whole):
        raise ValueError(value)
    return "".join(char for char in whole if char.isdigit())


def _decimal_separator(compact: str, decimal: str | None) -> str | None:
    """Tell which of "," and "." is the decimal separator in a number, if either."""
    if "," in compact and "." in compact:
        return "," if compact.rfind(",") > compact.rfind(".") else "."
    for char in ",.":
        if char not in compact:
            continue
        if compact.count(char) > 1:
            return None  # "1,234,567": grouping
        whole, fraction = compact.split(char)
        if len(fraction) == 3 and 1 <= len(whole) <= 3 and whole != "0":
            return char if (decimal or ".") == char else None  # "1,234" / "1.234"
        return char
    return None


def decimal_evidence(text: str) -> str | None:
    """Return the decimal separator a value proves ("," for "1 234,56"), or None if it cannot."""
    compact = "".join(char for char in text if char.isdigit() or char in ",.")
    if "," in compact and "." in compact:
        return "," if compact.rfind(",") > compact.rfind(".") else "."
    for char, other in ((",", "."), (".", ",")):
        if char in compact:
            if compact.count(char) > 1:
                return other
            whole, fraction = compact.split(char)
            if len(fraction) != 3 or not whole or whole == "0" or len(whole) > 3:
                return char
    return None


@lru_cache(maxsize=512)
def currency_code(text: str, default: str | None = None) -> str:
    """Return the ISO 4217 code a cell means ("cad", "C$", "€", "RMB"), or raise ValueError.

    "$" and "¥" mean several currencies; they resolve to `default` when it is one of them.
    """
    key = " ".join(text.split()).upper()
    if key in CURRENCY_SYMBOLS:
        return CURRENCY_SYMBOLS[key]
    if key in CURRENCY_ALIASES:
        return CURRENCY_ALIASES[key]
    if key in AMBIGUOUS_SYMBOLS:
        if default in AMBIGUOUS_SYMBOLS[key]:
            return default
        options = ", ".join(sorted(AMBIGUOUS_SYMBOLS[key]))
        raise ValueError(f"{text!r} could be any of {options}; say which currency")
    if len(key) == 3 and key.isalpha() and pycountry.currencies.get(alpha_3=key) is not None:
        return key
    raise ValueError(f"{text!r} is not a known currency (an ISO 4217 code such as CAD or EUR)")


@lru_cache(
    maxsize=4096
)  # quantities repeat a lot; Decimal and str are immutable, so sharing is safe
def parse_quantity(text: str, decimal: str | None = None) -> tuple[Decimal, str | None]:
    """Read a quantity and any unit written after it ("1 200", "12,5 kg", "300 pcs")."""
    value = " ".join(text.split()).replace("\u2212", "-")
    unit: str | None = None
    if match := _TRAILING_UNIT.match(value):
        value, unit = match.group(1), match.group(2)
    value, negative = _strip_sign(value)
    try:
        number = to_decimal(value, decimal)
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not a quantity") from None
    return (-number if negative else number), unit


@lru_cache(maxsize=64)
def parse_tier(text: str) -> int:
    """Read a supply-chain tier from 1 to 9 ("1", "Tier 2", "T3", "Rang 2", "2.0")."""
    match = _TIER.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"{text.strip()!r} is not a tier; use a whole number from 1 to 9")
    tier = int(match.group(1))
    if not 1 <= tier <= 9:
        raise ValueError(f"tier {tier} is out of range; use a whole number from 1 to 9")
    return tier
