"""Text helpers the matchers share: folding, tokenising, light stemming and spelling guards."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz.distance import OSA


def word_set(text: str) -> frozenset[str]:
    """Return the set of whitespace-separated words of a text (for word lists in code)."""
    return frozenset(text.split())


# Function words dropped before comparing; French ones too, since aliases_fr are matched.
STOP_WORDS_EN = word_set(
    "a an and as at by for from in into is it its of off on or other others per than that the "
    "their this to up upon via w with within without not non"
)
STOP_WORDS_FR = word_set(
    "au aux avec d dans de des du en et l la le les ou par pour sans sur un une"
)
STOP_WORDS = STOP_WORDS_EN | STOP_WORDS_FR
# French words that rarely appear in English product text: their presence means the phrase
# puts its main noun first ("machine à café"), not last ("coffee machine").
FRENCH_MARKERS = word_set("au aux avec d dans de des du en et la le les ou pour sans sur")

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o"})
_ELISION = re.compile(r"\b(?:d|l|qu|j|n)['’](?=\w)")
_APOSTROPHE = re.compile(r"['’`´]")
_TOKEN = re.compile(r"[0-9a-z]+|[;,:()\[\]{}/|\n\t]+|\s[-–—]+\s")
# A number with a unit or a counted noun ("180gsm", "4drawer"), a model code, or a size.
_NUMBER_LIKE = re.compile(r"^\d[\d.]*[a-z]*$|^[a-z]{1,4}\d[\d.]*[a-z]?$|^\d+x\d+[a-z]*$")

# Irregular plurals that suffix rules get wrong; both forms fold to the same stem.
_IRREGULAR = {
    "leaves": "leaf",
    "scarves": "scarf",
    "hooves": "hoof",
    "knives": "knife",
    "loaves": "loaf",
    "shelves": "shelf",
    "halves": "half",
    "calves": "calf",
    "wolves": "wolf",
    "children": "child",
    "women": "woman",
    "men": "man",
    "mice": "mouse",
    "geese": "goose",
    "teeth": "tooth",
    "feet": "foot",
    "oxen": "ox",
    "potatoes": "potato",
    "tomatoes": "tomato",
    "mangoes": "mango",
    "echoes": "echo",
    "heroes": "hero",
    "cargoes": "cargo",
    "volcanoes": "volcano",
    "avocadoes": "avocado",
}
_VOWELS = frozenset("aeiou")


def fold(text: str) -> str:
    """Fold case, accents and ligatures, keeping punctuation (segment breaks need it)."""
    if text.isascii():
        return text.lower()
    text = text.translate(_LIGATURES)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def tokenise(folded: str) -> list[str]:
    """Split folded text into words and phrase breaks (punctuation marks, a spaced dash).

    French elisions are split ("d'olive" is "d olive"), apostrophes joined ("men's" is
    "mens"), "&" read as "and", and anything else that is not a letter or digit ignored.
    """
    if "&" in folded:
        folded = folded.replace("&", " and ")
    if "'" in folded or "’" in folded or "`" in folded or "´" in folded:
        folded = _APOSTROPHE.sub("", _ELISION.sub(" ", folded))
    return _TOKEN.findall(folded)


def is_break(token: str) -> bool:
    """Say whether a token from `tokenise` is a phrase break rather than a word."""
    return not token[0].isalnum()


def words(folded: str) -> list[str]:
    """Split folded text into words (see `tokenise`), dropping the phrase breaks."""
    return [token for token in tokenise(folded) if token[0].isalnum()]


def normalise(text: str) -> str:
    """Return the comparison key of a string: folded words joined by single spaces."""
    return " ".join(words(fold(text)))


def is_number_like(token: str) -> bool:
    """Say whether a token is a number, a measure or a model code (180gsm, 48v, w320, 2x3)."""
    return bool(_NUMBER_LIKE.match(token))


@lru_cache(maxsize=65536)
def stem(token: str) -> str:
    """Fold English and French plurals (and a final y) so singular and plural compare equal."""
    irregular = _IRREGULAR.get(token)
    if irregular is not None:
        return irregular
    if len(token) <= 3 or not token.isalpha():
        return token
    if token.endswith("ies") and len(token) > 4:
        return token[:-3] + "i"
    if token.endswith(("ches", "shes", "sses", "xes", "zes")):
        return token[:-2]
    if token.endswith(("eaux", "oux")):
        return token[:-1]
    if token.endswith("s") and not token.endswith(("ss", "us", "is")):
        token = token[:-1]
    if token.endswith("ie") and len(token) > 3:
        return token[:-2] + "i"
    if token.endswith("y") and len(token) > 3 and token[-2] not in _VOWELS:
        return token[:-1] + "i"
    return token


def plausible_misspelling(query: str, reference: str) -> bool:
    """Say whether query is a believable misspelling of reference (not another real word).

    Short words are left alone, the first letter must agree (people rarely mistype it, and
    "gloves"/"cloves", "jeans"/"beans" differ there), five-letter words may only lose, gain
    or swap a letter or change one vowel for another ("suger", but not "grass"/"glass"), and
    longer words allow one edit, or two from nine letters on.
    """
    if query == reference or len(query) < 5 or len(reference) < 5:
        return False
    if query[0] != reference[0] or not query.isalpha():
        return False
    allowed = 2 if min(len(query), len(reference)) >= 9 else 1
    distance = OSA.distance(query, reference, score_cutoff=allowed)
    if distance > allowed:
        return False
    if len(query) == 5 and len(reference) == 5:
        diffs = [(a, b) for a, b in zip(query, reference, strict=True) if a != b]
        if len(diffs) == 1 and not (diffs[0][0] in _VOWELS and diffs[0][1] in _VOWELS):
            return False
    return True
