"""Match the ways people write a country to ISO 3166 entries.

Codes (only when they are the whole query), names in English and French, official,
historical and publisher spellings (from the countries data and its aliases), countries
inside a longer place string ("Dhaka 1207 Bangladesh"), and misspellings, guarded so that
look-alikes (Niger/Nigeria, Iran/Iraq, Mali/Malawi) never turn into each other.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from reference_data.models import Country, ReferenceData
from risk_models.matching.collector import collector_paused
from risk_models.matching.parallel import Helper, may_share
from risk_models.matching.result import Candidate, Feature, MatchResult
from risk_models.matching.text import fold, word_set, words

MAX_CANDIDATES = 5
CACHE_LIMIT = 50_000

# Words folded away from every key, so "Republic of the Congo" = "Congo, Republic of the".
_KEY_STOP = word_set("the of and la le les l de du des d et y del da")
# Abbreviations in country names, expanded on both sides.
_KEY_EXPAND = {
    "st": "saint",
    "ste": "sainte",
    "rep": "republic",
    "repub": "republic",
    "dem": "democratic",
    "fed": "federated",
    "sts": "states",
    "isl": "islands",
    "isls": "islands",
    "utd": "united",
    "peoples": "people",
    "pdr": "people democratic republic",
}
# What is not a country: regions, blocs and the ways people say "no idea".
_NOT_COUNTRY_PHRASES = frozenset(
    {
        "unknown",
        "unk",
        "n a",
        "none",
        "null",
        "nil",
        "tbd",
        "tba",
        "tbc",
        "to be confirmed",
        "to be determined",
        "various",
        "varied",
        "multiple",
        "multiple countries",
        "various countries",
        "mixed",
        "several",
        "many",
        "any",
        "all",
        "other",
        "others",
        "misc",
        "miscellaneous",
        "not specified",
        "unspecified",
        "not applicable",
        "not available",
        "no country",
        "blank",
        "empty",
        "worldwide",
        "world",
        "global",
        "international",
        "overseas",
        "abroad",
        "foreign",
        "domestic",
        "local",
        "eu",
        "european union",
        "europe",
        "asia",
        "africa",
        "americas",
        "america",
        "latin america",
        "south america",
        "north america",
        "central america",
        "caribbean",
        "oceania",
        "middle east",
        "near east",
        "far east",
        "mena",
        "emea",
        "apac",
        "asia pacific",
        "scandinavia",
        "nordics",
        "nordic countries",
        "balkans",
        "benelux",
        "gulf",
        "gcc",
        "asean",
        "mercosur",
        "sub saharan africa",
        "west africa",
        "east africa",
        "southern africa",
        "north africa",
        "central africa",
        "south asia",
        "southeast asia",
        "south east asia",
        "east asia",
        "central asia",
        "western europe",
        "eastern europe",
        "northern europe",
        "southern europe",
        "pacific islands",
        "antarctic",
        "arctic",
        "xx",
        "zz",
        "0",
    }
)
# Places inside a country whose names contain another country's name, and what they are;
# states and provinces ("New Mexico", "Inner Mongolia") come from the reference data's
# subdivisions instead. "" means the place says nothing about a country ("New Guinea" is an
# island of two).
SUBNATIONAL_PLACES: dict[str, str] = {
    "jersey city": "USA",
    "west papua": "IDN",
    "niger delta": "NGA",
    "mexico city": "MEX",
    "guatemala city": "GTM",
    "kuwait city": "KWT",
    "vatican city": "VAT",
    "belize city": "BLZ",
    "luxembourg city": "LUX",
    "djibouti city": "DJI",
    "panama city": "PAN",
    "singapore city": "SGP",
    "new guinea": "",
    "guinea gulf": "",
    "gulf of guinea": "",
}
# Names that two countries share; the first is the more common reading in trade data.
AMBIGUOUS_NAMES: dict[str, tuple[str, ...]] = {
    "korea": ("KOR", "PRK"),
    "congo": ("COD", "COG"),
    "virgin islands": ("VGB", "VIR"),
    "saint martin": ("MAF", "SXM"),
    "sint maarten saint martin": ("SXM", "MAF"),
}
# Short English words that are also ISO codes: as a whole lower-case query they are more
# often a slip than a code.
_COMMON_WORDS = word_set(
    """am an as at be by do go he id if in is it me my no of on or so to tv us we
    and are arm ben bra can cod col cub dom fin gab gin gum jam ken lie mac mar nam nor
    pan per pry sen ton tun"""
)
# Words around a place that say nothing about it.
_PLACE_NOISE = word_set(
    """made in from origin country of coo manufactured produced city province state region
    district county prefecture municipality zone area sar special administrative mainland
    republic po box p o street st road rd avenue ave building bldg floor"""
)
# Words that make the name beside them a street's: "45 Jordan Road", "Rue du Congo".
_STREET_AFTER = word_set("street road rd avenue ave lane boulevard blvd drive highway hwy")
_STREET_BEFORE = word_set("rue avenue avenida av calle jalan boulevard")
US_STATE_CODES = word_set(
    """AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH
    NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC"""
)
# A state's code before its postal code, as addresses of these countries write it: read with
# one pattern of character classes (an alternation of every code is several times slower),
# then the code and the number's form are checked.
_ANY_POSTAL_CODE = re.compile(
    r"\b([A-Z]{2,3})\s+(\d{5}(?:-\d{4})?|\d{4}|[A-Za-z]\d[A-Za-z]\s?\d[A-Za-z]\d)\b"
)
_CA_PROVINCE_CODES = word_set("AB BC MB NB NL NS NT NU ON PE QC SK YT")
_AU_STATE_CODES = word_set("NSW VIC QLD SA WA TAS NT ACT")
_DIGITS = re.compile(r"\d+")
_ANY_DIGIT = re.compile(r"\d")
_HAS_WORD = re.compile(r"[^\W_]")
_CODE_QUERY = re.compile(r"^\s*([A-Za-z]{2,3}|[A-Za-z]\.[A-Za-z]\.(?:[A-Za-z]\.)?)\s*$")
_PART_BREAK = re.compile(r"[,;/|()\[\]\n\t]+|\s[-–—]+\s|\s-|-\s")


@dataclass(frozen=True, slots=True)
class _Region:
    iso3: str
    code: str  # ISO 3166-2
    name: str


@dataclass(frozen=True, slots=True)
class _Key:
    iso3: str
    kind: str  # "name" (English/French short or official) or the alias kind
    text: str


# --- features: one signal each; the docstring is the explanation shown to people ----------


def name_equal(query: str, key: _Key, score: float) -> Feature:
    """The text is the country's name (English or French, short or official)."""
    return Feature("name_equal", score, f"{query!r} is {key.text!r}", query, key.text)


def alias_equal(query: str, key: _Key, score: float) -> Feature:
    """The text is another recorded way to write the country's name."""
    detail = f"{query!r} is the {key.kind} name {key.text!r}"
    return Feature("alias_equal", score, detail, query, key.text)


def iso_code(query: str, code: str, score: float) -> Feature:
    """The text is the country's ISO 3166 code."""
    return Feature("iso_code", score, f"{query!r} is the ISO code {code}", query, code)


def common_word_code(query: str, penalty: float) -> Feature:
    """The code is also a common short word, so it may not mean the country."""
    detail = f"{query!r} is also an ordinary word"
    return Feature("common_word_code", -penalty, detail, query, "")


def country_in_place(part: str, key: _Key, score: float, position: str) -> Feature:
    """The country is named inside a longer place (a city, a region, an address)."""
    detail = f"{key.text!r} found in {part!r} ({position})"
    return Feature("country_in_place", score, detail, part, key.text)


def subnational_place(place: str, iso3: str, score: float) -> Feature:
    """The text names a place inside the country whose name contains another country's."""
    detail = f"{place!r} is a place in {iso3}"
    return Feature("subnational_place", score, detail, place, iso3)


def country_region(part: str, region: _Region, score: float, position: str) -> Feature:
    """The text names a state, province or region of the country (ISO 3166-2)."""
    detail = f"{region.name!r} ({region.code}) found in {part!r} ({position})"
    return Feature("country_region", score, detail, part, region.name)


def conflicting_places(others: Sequence[str], penalty: float) -> Feature:
    """The text also names other countries, so which one is meant is uncertain."""
    detail = "also named: " + ", ".join(others)
    return Feature("conflicting_places", -penalty, detail, "", ",".join(others))


def agreeing_places(count: int, bonus: float) -> Feature:
    """Several parts of the text name the same country."""
    return Feature("agreeing_places", bonus, f"named {count} times", "", str(count))


def misspelling(query: str, key: _Key, edits: int, score: float) -> Feature:
    """The text differs from the country's name by a typing slip or two."""
    detail = f"{query!r} is {edits} edit(s) from {key.text!r}"
    return Feature("misspelling", score, detail, query, key.text)


def abbreviated_name(part: str, words: str, key: _Key, score: float) -> Feature:
    """The text abbreviates words of the country's name ("S. Sudan", "Eq. Guinea")."""
    detail = f"{words!r} in {part!r} abbreviates {key.text!r}"
    return Feature("abbreviated_name", score, detail, part, key.text)


def postal_code(part: str, written: str, iso3: str, score: float) -> Feature:
    """A state's code and a postal code are written the way the country's addresses are."""
    detail = f"{written!r} in {part!r} is a state and postal code of {iso3}"
    return Feature("postal_code", score, detail, part, written)


def us_state_code(part: str, code: str, score: float) -> Feature:
    """The two letters after a place are also a US state's code ("Atlanta, GA")."""
    return Feature("us_state_code", score, f"{code} is also a US state", part, "USA")


def after_place(why: str, penalty: float) -> Feature:
    """A code or misspelt name after a place name is weaker evidence than a clean name."""
    return Feature("after_place", penalty, why, "", "")


def look_alike(query: str, other: _Key, penalty: float) -> Feature:
    """Another country's name is about as close, so the spelling does not settle it."""
    detail = f"{query!r} is also close to {other.text!r} ({other.iso3})"
    return Feature("look_alike", -penalty, detail, query, other.text)


def shared_name(query: str, others: Sequence[str], score: float) -> Feature:
    """Several countries go by this name; the more common reading in trade data comes first."""
    detail = f"{query!r} may mean " + " or ".join(others)
    return Feature("shared_name", score, detail, query, ",".join(others))


# --- the matcher ---------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def country_key(text: str) -> str:
    """Return a country name's comparison key: folded words, abbreviations expanded."""
    tokens: list[str] = []
    for word in words(fold(text)):
        for part in _KEY_EXPAND.get(word, word).split():
            if part not in _KEY_STOP:
                tokens.append(part)
    if len(tokens) > 1 and tokens[-1] == "is":
        tokens[-1] = "islands"  # "Cayman Is."
    return " ".join(tokens)


class CountryMatcher:
    """Match country strings to ISO 3166 countries; build once per reference version."""

    def __init__(
        self,
        countries: Iterable[Country],
        aliases: Iterable[tuple[str, str, str]] = (),
        regions: Iterable[tuple[str, str, str]] = (),
    ) -> None:
        self.countries = {c.iso3: c for c in countries}
        self._helper: Helper[str, MatchResult] = Helper()
        weakref.finalize(self, self._helper.stop)
        self._keys: dict[str, _Key] = {}
        self._clashes: set[str] = set()
        self._codes2 = {c.iso2.casefold(): c.iso3 for c in self.countries.values() if c.iso2}
        self._codes3 = {c.iso3.casefold(): c.iso3 for c in self.countries.values()}
        for country in self.countries.values():
            names = (country.name_en, country.name_fr, country.official_en, country.official_fr)
            for text in names:
                self._add(text, country.iso3, "name")
        for iso3, alias, kind in aliases:
            if iso3 in self.countries:
                self._add(alias, iso3, kind)
        for key in self._clashes:
            self._keys.pop(key, None)
        self._not_countries = {country_key(t) for t in _NOT_COUNTRY_PHRASES} | {
            country_key(t) for c in self.countries.values() for t in (c.region, c.sub_region) if t
        }
        self._not_countries -= set(self._keys)
        self._not_countries.discard("")
        self._places = {country_key(k): v for k, v in SUBNATIONAL_PLACES.items()}
        # States, provinces and regions (iso3, ISO 3166-2 code, name); never a country's key.
        self._regions = {
            key: _Region(iso3, code, name)
            for iso3, code, name in regions
            if iso3 in self.countries and (key := country_key(name)) and key not in self._keys
        }
        self._ambiguous = {
            country_key(k): tuple(i for i in v if i in self.countries)
            for k, v in AMBIGUOUS_NAMES.items()
        }
        self._max_tokens = max((len(k.split()) for k in self._keys), default=1)
        # Names of several words, by (word count, last word), for abbreviations of their
        # first words: "S. Sudan" must find South Sudan, never Sudan.
        self._long_names: dict[tuple[int, str], list[str]] = {}
        for k, entry in sorted(self._keys.items()):
            named = k.split()
            if len(named) > 1 and entry.kind != "abbreviation":
                self._long_names.setdefault((len(named), named[-1]), []).append(k)
        # Spelling repairs compare against real names only, never codes or abbreviations.
        self._fuzzy_keys: dict[str, list[str]] = {}  # by first letter, sorted
        for k in sorted(self._keys):
            if len(k) >= 4 and self._keys[k].kind != "abbreviation":
                self._fuzzy_keys.setdefault(k[0], []).append(k)
        self._cache: dict[str, MatchResult] = {}
        self._by_shape: dict[str, tuple[Candidate, ...]] = {}  # numbers read as 0
        self._parts: dict[tuple[str, bool, bool], list[tuple[str, Candidate]]] = {}

    @classmethod
    def from_reference(cls, reference: ReferenceData) -> CountryMatcher:
        """Build a matcher over the reference countries and their aliases."""
        aliases = [(a.iso3, a.alias, a.kind) for a in reference.country_aliases]
        regions = [(r.iso3, r.code, r.name) for r in reference.country_subdivisions]
        return cls(reference.countries.values(), aliases, regions)

    def _add(self, text: str, iso3: str, kind: str) -> None:
        key = country_key(text)
        if not key:
            return
        existing = self._keys.get(key)
        if existing is None:
            self._keys[key] = _Key(iso3, kind, text)
        elif existing.iso3 != iso3:
            self._clashes.add(key)  # a spelling of two countries settles nothing
        elif kind == "name" and existing.kind != "name":
            self._keys[key] = _Key(iso3, kind, text)

    # -- matching ----------------------------------------------------------------------

    def match(self, query: str) -> MatchResult:
        """Match one country string."""
        cached = self._cache.get(query)
        if cached is not None:
            return cached
        # Addresses differ in street numbers and postcodes, not in the country they name:
        # a string that differs from a matched one only in its numbers has its candidates,
        # as long as no explanation quotes a number.
        # (A postal code is told by its length, so a string holding one has no shape.)
        shape = (
            _DIGITS.sub("0", query)
            if _ANY_DIGIT.search(query) and not _ANY_POSTAL_CODE.search(query)
            else ""
        )
        candidates = self._by_shape.get(shape) if shape else None
        if candidates is None:
            candidates = tuple(self._rank(self._candidates(query)))
            if shape and not any(_quotes_number(c) for c in candidates):
                if len(self._by_shape) >= CACHE_LIMIT:
                    self._by_shape.clear()
                self._by_shape[shape] = candidates
        result = MatchResult(query, candidates)
        self._remember(result)
        return result

    def match_many(self, queries: Iterable[str], processes: int = 1) -> list[MatchResult]:
        """Match many country strings, each distinct string once, in input order.

        With `processes` of 2 or more, a large batch of new strings is shared with a forked
        helper process (see `parallel.py`); the answers are the same.
        """
        with collector_paused():
            queries = list(queries)
            answers: dict[str, MatchResult] = {}
            if processes > 1 and may_share(queries, self._cache):
                new = [query for query in dict.fromkeys(queries) if query not in self._cache]
                found = self._helper.map(self._match_each, new)
                for result in found:
                    self._remember(result)
                answers = {result.query: result for result in found}
            return [answers[q] if q in answers else self.match(q) for q in queries]

    def _match_each(self, queries: Sequence[str]) -> list[MatchResult]:
        return [self.match(query) for query in queries]

    def close(self) -> None:
        """Stop the helper process that `match_many` may have started."""
        self._helper.stop()

    def _remember(self, result: MatchResult) -> None:
        if len(self._cache) >= CACHE_LIMIT:
            self._cache.clear()
        self._cache[result.query] = result

    def _rank(self, found: list[Candidate]) -> list[Candidate]:
        best: dict[str, Candidate] = {}
        for candidate in found:
            if candidate.id not in best or candidate.score > best[candidate.id].score:
                best[candidate.id] = candidate
        ranked = sorted(best.values(), key=lambda c: (-c.score, c.name))
        return ranked[:MAX_CANDIDATES]

    def _candidate(self, iso3: str, method: str, features: Sequence[Feature]) -> Candidate:
        score = max(0.0, min(100.0, sum(f.score for f in features)))
        name = self.countries[iso3].name_en
        return Candidate(iso3, name, round(score, 1), method, tuple(features))

    def _candidates(self, query: str) -> list[Candidate]:
        key = country_key(query)
        if key in self._not_countries:
            return []
        code = _CODE_QUERY.match(query)
        if code:
            found = self._code(query, code.group(1))
            if found:
                return found
        if not key:
            return []
        exact = self._exact(query, key)
        if exact:
            return exact
        parts = [p for p in _PART_BREAK.split(query) if _HAS_WORD.search(p)]
        if len(parts) == 2:
            # "Tanzania, United Republic of", "Guinea, Eq.": the publisher's inverted order.
            inverted_key = country_key(parts[1] + " " + parts[0])
            inverted = self._exact(query, inverted_key)
            if inverted:
                return inverted
            if " " in inverted_key:
                named = self._abbreviated(inverted_key.split())
                if named is not None:
                    feature = abbreviated_name(query, inverted_key, named, 90.0)
                    return [self._candidate(named.iso3, "alias", [feature])]
        found = self._places_in(parts or [query])
        best = max((c.score for c in found), default=0.0)
        if len(parts) <= 1 and best < 95.0:
            # A misspelt whole name beats a country found inside it ("Guinea Bisau").
            repaired = self._fuzzy(query, key)
            if repaired and repaired[0].score > best:
                return repaired
        if found:
            return found
        if len(parts) > 1:
            last = self._fuzzy(parts[-1], country_key(parts[-1]))
            return [_rescore(c, -5.0, "a misspelt name after a place") for c in last]
        return []

    def _exact(self, query: str, key: str) -> list[Candidate]:
        hit = self._keys.get(key)
        if hit is not None:
            if hit.kind == "name":
                return [self._candidate(hit.iso3, "exact", [name_equal(query, hit, 100.0)])]
            score = 96.0 if hit.kind == "misspelling" else 98.0
            return [self._candidate(hit.iso3, "alias", [alias_equal(query, hit, score)])]
        shared = self._ambiguous.get(key)
        if shared:
            names = [self.countries[i].name_en for i in shared]
            return [
                self._candidate(iso3, "alias", [shared_name(query, names, 78.0 - 8.0 * rank)])
                for rank, iso3 in enumerate(shared)
            ]
        return []

    def _code(self, query: str, raw: str) -> list[Candidate]:
        code = raw.replace(".", "").casefold()
        iso3 = self._codes2.get(code) if len(code) == 2 else self._codes3.get(code)
        if iso3 is None:
            return []
        features = [iso_code(query, iso3 if len(code) == 3 else code.upper(), 97.0)]
        if code == "na":
            features.append(common_word_code(query, 30.0))  # "NA": not available, usually
        elif code in _COMMON_WORDS and not raw.isupper():
            features.append(common_word_code(query, 20.0))
        return [self._candidate(iso3, "code", features)]

    def _places_in(self, parts: Sequence[str]) -> list[Candidate]:
        """Find countries named inside the parts of a longer string, the last part first."""
        found: list[tuple[str, int, Candidate]] = []  # (iso3, part index from the end, ...)
        for back, part in enumerate(reversed(parts)):
            for iso3, candidate in self._place_part(part, back == 0, len(parts) > 1):
                found.append((iso3, back, candidate))
        if not found:
            return []
        countries = {iso3 for iso3, _, _ in found if iso3}
        strongest: dict[str, float] = {}
        if len(countries) > 1:
            for iso3, _, candidate in found:
                strongest[iso3] = max(strongest.get(iso3, 0.0), candidate.score)
        results = []
        for iso3 in countries:
            mine = [c for i, _, c in found if i == iso3]
            best = max(mine, key=lambda c: c.score)
            features = list(best.features)
            if len(mine) > 1:
                features.append(agreeing_places(len(mine), 3.0))
            others = sorted(countries - {iso3})
            if others:
                # A rival about as strong leaves the string in doubt; a much weaker one (a
                # code after a city, "Tirupur, TN, India") only a little.
                rival = max(strongest[o] for o in others)
                penalty = 15.0 if rival >= best.score - 5.0 else 5.0
                features.append(conflicting_places(others, penalty))
            results.append(self._candidate(iso3, best.method, features))
        return results

    def _place_part(self, part: str, last: bool, several: bool) -> list[tuple[str, Candidate]]:
        """Find the countries one part of a place string names (remembered: parts repeat)."""
        # Street numbers and postcodes vary; what a part names does not ("12 Main Road").
        memo = (_DIGITS.sub("0", part), last, several)
        known = self._parts.get(memo)
        if known is not None and (
            memo[0] == part if known else not _ANY_POSTAL_CODE.search(part)  # "GA 30303"
        ):
            return known
        known = self._read_part(part, last, several)
        if len(self._parts) >= CACHE_LIMIT:
            self._parts.clear()
        self._parts[memo] = known
        return known

    def _read_part(self, part: str, last: bool, several: bool) -> list[tuple[str, Candidate]]:
        named = self._read_names(part, last, several)
        if named or not _ANY_DIGIT.search(part):
            return named
        for found in _ANY_POSTAL_CODE.finditer(part):
            iso3 = _postal_country(found.group(1), found.group(2))
            if iso3 in self.countries:
                feature = postal_code(part, found.group(), iso3, 90.0 if last else 85.0)
                return [(iso3, self._candidate(iso3, "place", [feature]))]
        return []

    def _read_names(self, part: str, last: bool, several: bool) -> list[tuple[str, Candidate]]:
        key = country_key(part)
        if key in self._not_countries:
            return []
        hit = self._keys.get(key)
        code = _CODE_QUERY.match(part)
        if code and several and (hit is None or hit.kind == "abbreviation"):
            # "Shenzhen, CN": a code after a place is weaker than a name, and a US state's
            # code ("Atlanta, GA") reads as a country's just as well.
            letters = code.group(1).replace(".", "").upper()
            weaker = -17.0 if len(letters) == 2 else -5.0
            found = [(c.id, _rescore(c, weaker)) for c in self._code(part, code.group(1))]
            if letters in US_STATE_CODES and "USA" in self.countries:
                feature = us_state_code(part, letters, 62.0)
                found = [(i, _rescore(c, -18.0)) for i, c in found]
                found.append(("USA", self._candidate("USA", "place", [feature])))
            if found:
                return found
        if not key:
            return []
        position = "the last part" if last else "an earlier part"
        if hit is not None:
            score = 95.0 if last else 90.0
            feature = country_in_place(part, hit, score, position)
            return [(hit.iso3, self._candidate(hit.iso3, "place", [feature]))]
        tokens = [t for t in key.split() if not t.isdigit()]
        return self._ngram(part, tokens, last)

    def _ngram(self, part: str, tokens: list[str], last: bool) -> list[tuple[str, Candidate]]:
        """Find the longest run of words naming a country, or a known place, rightmost first."""
        content = [t for t in tokens if t not in _PLACE_NOISE]
        for size in range(min(len(tokens), max(self._max_tokens, 3)), 0, -1):
            for start in range(len(tokens) - size, -1, -1):
                gram = " ".join(tokens[start : start + size])
                if _is_street(tokens, start, size):
                    continue
                place = self._places.get(gram)
                if place is not None:
                    if not place:
                        return []
                    feature = subnational_place(gram, place, 85.0)
                    return [(place, self._candidate(place, "place", [feature]))]
                hit = self._keys.get(gram)
                if hit is None and size > 1:
                    hit = self._abbreviated(tokens[start : start + size])
                    if hit is not None:
                        score, where = _score_in_place(tokens, content, start, size, last)
                        feature = abbreviated_name(part, gram, hit, score - 5.0)
                        return [(hit.iso3, self._candidate(hit.iso3, "place", [feature]))]
                if hit is None:
                    region = self._regions.get(gram)
                    if region is None:
                        continue
                    # A region points at its country a little less surely than the country's
                    # own name: "Lebanon, Pennsylvania" leaves a doubt that "Lebanon" doesn't.
                    score, where = _score_in_place(tokens, content, start, size, last)
                    feature = country_region(part, region, score - 3.0, where)
                    return [(region.iso3, self._candidate(region.iso3, "place", [feature]))]
                if hit.kind == "abbreviation" and size == 1:
                    continue
                score, where = _score_in_place(tokens, content, start, size, last)
                feature = country_in_place(part, hit, score, where)
                return [(hit.iso3, self._candidate(hit.iso3, "place", [feature]))]
        return []

    def _abbreviated(self, words: Sequence[str]) -> _Key | None:
        """Return the one country whose name these words abbreviate, if exactly one.

        The short word may also come last, as lists sort names: "Guinea, Eq.".
        """
        size = len(words)
        if (size, words[-1]) not in self._long_names and (size, words[-2]) not in self._long_names:
            return None  # no name of as many words ends with either word (the common case)
        if any(w in _PLACE_NOISE or w in _STREET_BEFORE for w in words if len(w) <= 4):
            return None  # "Rue du Congo" is a street, not "République du Congo"
        found: dict[str, _Key] = {}
        for order in (list(words), [words[-1], *words[:-1]]):
            if not any(len(w) <= 4 and w.isalpha() for w in order[:-1]):
                continue
            for k in self._long_names.get((size, order[-1]), ()):
                if all(_abbreviates(w, n) for w, n in zip(order, k.split(), strict=True)):
                    found[self._keys[k].iso3] = self._keys[k]
        return next(iter(found.values())) if len(found) == 1 else None

    def _fuzzy(self, query: str, key: str) -> list[Candidate]:
        """Repair a misspelt name, unless a look-alike country is as close."""
        if len(key) < 4 or not key.replace(" ", "").isalpha():
            return []
        allowed = 1 if len(key) < 9 else 2 if len(key) < 15 else 3
        size = len(key)
        pool = [k for k in self._fuzzy_keys.get(key[0], ()) if abs(len(k) - size) <= allowed]
        if not pool:
            return []
        hits = process.extract(key, pool, scorer=OSA.distance, score_cutoff=allowed + 1, limit=20)
        if not hits:
            return []
        by_country: dict[str, tuple[int, _Key]] = {}
        for text, distance, _ in hits:
            entry = self._keys[text]
            previous = by_country.get(entry.iso3)
            if previous is None or distance < previous[0]:
                by_country[entry.iso3] = (int(distance), entry)
        ranked = sorted(by_country.values(), key=lambda item: (item[0], item[1].text))
        results = []
        for distance, entry in ranked:
            if distance > allowed or distance == 0:
                continue
            score = 100.0 - 80.0 * distance / len(key)
            features = [misspelling(query, entry, distance, score)]
            rivals = [e for d, e in ranked if e.iso3 != entry.iso3 and d <= distance + 1]
            if rivals:
                closest = min(rivals, key=lambda e: by_country[e.iso3][0])
                tie = by_country[closest.iso3][0] <= distance
                features.append(look_alike(query, closest, 30.0 if tie else 12.0))
            results.append(self._candidate(entry.iso3, "fuzzy", features))
        return results


def _postal_country(code: str, number: str) -> str:
    """Return the country whose addresses write this state code and postal code, or ""."""
    if number[0].isdigit():
        if len(number) != 4:
            return "USA" if code in US_STATE_CODES else ""
        return "AUS" if code in _AU_STATE_CODES else ""
    return "CAN" if code in _CA_PROVINCE_CODES else ""


def _abbreviates(word: str, full: str) -> bool:
    """Say whether a word is the full word or a short form of it: "s", "sth" and "so" for
    "south", "eq" for "equatorial" (its first letter, then some of its letters in order)."""
    if word == full:
        return True
    if not (len(word) <= 4 and len(word) < len(full) and word[0] == full[0]):
        return False
    rest = iter(full[1:])
    return all(letter in rest for letter in word[1:])


def _is_street(tokens: Sequence[str], start: int, size: int) -> bool:
    """Say whether the words at tokens[start:start + size] name a street, not a place."""
    after = start + size
    return (after < len(tokens) and tokens[after] in _STREET_AFTER) or (
        start > 0 and tokens[start - 1] in _STREET_BEFORE
    )


def _score_in_place(
    tokens: Sequence[str], content: Sequence[str], start: int, size: int, last: bool
) -> tuple[float, str]:
    """Score a name found at tokens[start:start + size] of a place part, and say where."""
    named = tokens[start : start + size]
    whole = len(content) == size or list(content) in (
        list(named),
        [t for t in named if t not in _PLACE_NOISE],  # "Xinjiang ... Autonomous Region"
    )
    at_end = start + size == len(tokens)
    score = 95.0 if whole else 90.0 if at_end else 86.0
    if not last:
        score -= 5.0
    return score, "the whole place" if whole else "the end" if at_end else "inside"


def _quotes_number(candidate: Candidate) -> bool:
    """Say whether a candidate's explanation quotes a number of the query."""
    return any(
        _ANY_DIGIT.search(f.query_value) or _ANY_DIGIT.search(f.detail) for f in candidate.features
    )


def _rescore(candidate: Candidate, delta: float, why: str = "a code after a place") -> Candidate:
    feature = after_place(why, delta)
    score = max(0.0, round(candidate.score + delta, 1))
    features = (*candidate.features, feature)
    return Candidate(candidate.id, candidate.name, score, candidate.method, features)


FEATURES = (
    name_equal,
    alias_equal,
    iso_code,
    common_word_code,
    country_in_place,
    abbreviated_name,
    postal_code,
    country_region,
    subnational_place,
    conflicting_places,
    agreeing_places,
    misspelling,
    look_alike,
    shared_name,
    us_state_code,
    after_place,
)
# What each feature means, for people: the first line of its function's docstring.
EXPLANATIONS: dict[str, str] = {f.__name__: (f.__doc__ or "").strip() for f in FEATURES}
