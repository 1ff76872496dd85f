"""Text folding shared by the data files' identifiers and their look-ups."""

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold_accents(text: str) -> str:
    """Return text with accents and other combining marks removed."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def good_id_for(name: str) -> str:
    """Derive the stable id of a good from its ILAB name (see SCHEMA.md)."""
    ascii_name = fold_accents(name).encode("ascii", "ignore").decode().lower()
    return _NON_ALNUM.sub("-", ascii_name).strip("-")


def normalise_name(text: str) -> str:
    """Fold case, accents, punctuation and spacing so that spellings compare equal."""
    folded = fold_accents(text).casefold().replace("&", " and ").replace("'", "").replace("’", "")
    return " ".join(re.sub(r"[^\w]+", " ", folded).split())
