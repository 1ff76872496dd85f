"""Supplier screening: a company name (and country) against every shipped enforcement list.

How a score is made (model `supplier-screening-v2`, points in `Weights`):

- Both names are folded (case, accents, punctuation, "&"/"and"), legal forms are taken out
  (`legal_forms.py`), and abbreviations, known transliterations and plurals are folded to one
  spelling. Each listed name and each alias is compared on its own; an entity keeps its best.
- Every word has a class: *distinctive* (weighted by an IDF over the listed names), *generic*
  (business words, and words common in the lists), *place* (provinces, big cities, countries)
  or *number*. Only distinctive words find candidates, so a name that shares no distinctive
  word with any listed name is rejected after a few dictionary look-ups.
- A candidate whose words all agree scores `base` (96). Each difference costs points, as one
  named signal with the two values it compared: a missing distinctive word about 30 (so no
  hit without it), an extra distinctive word 20 (10 when the whole listed name is there and
  it is long or coined, as with subsidiaries), a typo 5 per letter, a transliteration 1,
  generic and place words 3 to 6, a word of the name written again 1. A *thin* listed name
  (its distinctive words are short: "Camel", "Top Glove", "Giant") pays 4 more for any
  partial match and 16 for each business word the query adds, because "Camel Toys" or "Top
  Gloves Trading" is another company more often than not. A name resting on one long, coined
  word ("Supermax", "Ninestar") pays 8 per added business word and 12 per added distinctive
  one, so its subsidiaries and namesakes go to review rather than being accepted or dropped.
  A listed name without any distinctive word ("Yunnan Machinery") needs all of its words
  (places aside, if it has three others).
- A legal form that agrees adds 1 and one that differs takes 2; a country that agrees adds 3,
  one that differs takes 6 (so the same name elsewhere goes to review, not away); no country
  is neutral. 100 means: same words, same legal form, same country.
- A supplier name that carries another name, in brackets or after "aka", "formerly", "f/k/a",
  "d/b/a", "t/a" or "trading as", is also screened as each name it carries (`carried_names`),
  and an entity keeps its best hit, explained by which name was screened. The name without
  its bracket costs 1 when the bracket says where or which branch ("(Klang)", "(Xinjiang
  Branch)"), repeats the name or gives its initials, or when the other name was introduced
  by "aka" and the like; 10 when the bracket holds another name (a brand or a parent?), so
  the listed name goes to review; a bracket of business words alone is never left out. A
  carried name of one word counts only if all words agree, and of two or three letters only
  if it is a listed name or alias as is.
"""

from __future__ import annotations

import itertools
import math
import re
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz.distance import OSA

from reference_data import EnforcementEntity, ReferenceData
from risk_models.matching.collector import collector_paused
from risk_models.matching.legal_forms import (
    GENERIC_WORDS,
    LEGAL_WORDS,
    NAME_INTRODUCERS,
    NUMBER_MARKERS,
    PHRASES,
    PLACE_WORDS,
    QUALIFIER_WORDS,
    SHORT_FORMS,
    STOP_WORDS,
    canonical_word,
    fold,
    split_words,
    strip_legal_forms,
)
from risk_models.matching.parallel import Helper, may_share
from risk_models.matching.result import Candidate, Feature, MatchResult

NAME = "supplier-screening-v2"
CACHE_LIMIT = 500_000  # remembered results and word look-ups, each; then forgotten at once

DISTINCTIVE, GENERIC, PLACE, NUMBER = "distinctive", "generic", "place", "number"
# How much of a listed name's identity its distinctive words carry: two words or more of four
# letters and up; one long, likely coined, word ("Supermax"); or only short ones ("Camel").
STRONG, SINGLE, THIN = "strong", "single", "thin"
CLASS_LABEL = {
    DISTINCTIVE: "distinctive word",
    GENERIC: "generic business word",
    PLACE: "place name",
    NUMBER: "number",
}


@dataclass(frozen=True, slots=True)
class Weights:
    """The points of every signal; changing one is a new model version."""

    base: float = 96.0
    legal_form_agrees: float = 1.0
    legal_form_differs: float = -2.0
    country_agrees: float = 3.0
    country_differs: float = -6.0
    transliteration: float = -1.0
    joined_words: float = -1.0
    bracket_dropped: float = -1.0
    repeated_word: float = -1.0  # "Hetian Taida Apparel Co., Ltd. / Hotan Taida"
    qualifier_left_out: float = -1.0  # "(Klang)", "(Xinjiang Branch)": where or which branch
    other_name_left_out: float = -1.0  # "aka Hotan Taida", "d/b/a Foo": the supplier says so
    bracket_name_left_out: float = -10.0  # "(Sunrise)": another name, a brand or a parent
    typo_distinctive: float = -5.0  # per edit
    typo_thin: float = -14.0  # per edit in a short distinctive word of a thin name ("Natcha")
    typo_other: float = -1.0  # per edit
    missing_distinctive: float = -30.0  # times the word's weight (0.6-1)
    extra_distinctive: float = -20.0  # times the word's weight
    extra_distinctive_contained: float = -10.0  # whole listed name present, strong name
    extra_distinctive_contained_single: float = -12.0
    missing_generic: float = -3.0
    extra_generic: float = -5.0
    generic_swap: float = -4.0
    extra_generic_single: float = -8.0
    generic_swap_single: float = -5.0
    missing_generic_thin: float = -5.0
    extra_generic_thin: float = -16.0  # a short listed name plus a word: another company
    generic_swap_thin: float = -6.0
    missing_place: float = -5.0
    extra_place: float = -5.0
    missing_number: float = -10.0
    extra_number: float = -10.0
    thin_name: float = -4.0
    word_order: float = -8.0
    word_order_generic: float = -1.0
    common_df_share: float = 0.4  # in more than (N + 1) ** this of N listed names: common
    min_distinctive_weight: float = 0.6


@dataclass(frozen=True, slots=True)
class Name:
    """A company name reduced to the words that are compared."""

    text: str
    tokens: tuple[str, ...]  # comparison words
    written: tuple[str, ...]  # each word as written (folded)
    notes: tuple[str, ...]  # why a word differs from how it was written ("" if it does not)
    forms: tuple[str, ...]  # legal forms found, folded
    families: frozenset[str]
    seat: frozenset[str]  # words after a mid-name legal form: a registered seat, i.e. a place
    signature: str  # folded words with legal forms: names with one signature score alike
    slips: tuple[str, ...] = ()  # misspelt legal words, read as the legal form

    @property
    def key(self) -> str:
        return " ".join(self.tokens)


_NO_WORDS: frozenset[str] = frozenset()
_PHRASE_STARTS = frozenset(first for first, _ in PHRASES)
_MARKERS_AND_PHRASES = NUMBER_MARKERS | _PHRASE_STARTS
_LEGAL_OR_MARKER = LEGAL_WORDS | NUMBER_MARKERS


def normalise_company_name(text: str, words: Sequence[str] | None = None) -> Name:
    """Fold a company name, take out its legal forms and fold spelling variants.

    `words` are the name's folded words when the caller already split them.
    """
    words = split_words(fold(text)) if words is None else list(words)
    legal = strip_legal_forms(words)
    kept = [w for w in legal.words if w not in STOP_WORDS] or list(legal.words)
    seat = frozenset(canonical_word(w)[0] for w in legal.seat) if legal.seat else _NO_WORDS
    if _MARKERS_AND_PHRASES.isdisjoint(kept):  # the common case, without the loop below
        folded = [canonical_word(w) for w in kept]
        return Name(
            text=text,
            tokens=tuple(c for c, _ in folded),
            written=tuple(kept),
            notes=tuple(why for _, why in folded),
            forms=legal.forms,
            families=legal.families,
            seat=seat,
            signature=" ".join(words),
            slips=legal.slips,
        )
    tokens: list[str] = []
    written: list[str] = []
    notes: list[str] = []
    index = 0
    while index < len(kept):
        word = kept[index]
        following = kept[index + 1] if index + 1 < len(kept) else ""
        if word in NUMBER_MARKERS and following.isdigit():
            index += 1
            continue
        phrase = PHRASES.get((word, following))
        if phrase is not None:
            tokens.append(phrase)
            written.append(f"{word} {following}")
            notes.append("")
            index += 2
            continue
        canonical, why = canonical_word(word)
        tokens.append(canonical)
        written.append(word)
        notes.append(why)
        index += 1
    return Name(
        text=text,
        tokens=tuple(tokens),
        written=tuple(written),
        notes=tuple(notes),
        forms=legal.forms,
        families=legal.families,
        seat=seat,
        signature=" ".join(words),
        slips=legal.slips,
    )


@dataclass(frozen=True, slots=True)
class Owner:
    """An entity that carries a listed name, and whether that name is one of its aliases."""

    entity: int
    alias: bool
    dropped: str = ""  # a bracketed part of the listed text left out of this name


@dataclass(slots=True)
class Record:
    """One listed name or alias, prepared for comparison."""

    name: Name
    display: str
    classes: tuple[str, ...]
    weights: tuple[float, ...]
    weak: bool  # no distinctive word: every word must be present
    strength: str  # STRONG, SINGLE (one long coined word) or THIN (short words only)
    may_lack_places: bool  # weak, but long enough to be found without its place names
    owners: list[Owner] = field(default_factory=list)


@dataclass(slots=True)
class Alignment:
    """Which query word matched which listed word, and how."""

    pairs: list[tuple[int, int, str, int]]  # (query index, record index, kind, edits)
    missing: list[int]  # record indices
    extra: list[int]  # query indices


class SupplierScreener:
    """Screen supplier names against every enforcement list of one reference-data version."""

    def __init__(
        self, reference: ReferenceData, *, weights: Weights | None = None, min_score: float = 50.0
    ) -> None:
        self.version = reference.version
        self.weights = weights or Weights()
        self.min_score = min_score
        self.entities: tuple[EnforcementEntity, ...] = tuple(reference.entities)
        self._records: list[Record] = []
        self._index: dict[str, list[int]] = {}  # anchor word (or joined pair) -> records
        self._deletes: dict[str, set[str]] = {}  # one-or-two-letter deletions -> anchors
        self._lookups: dict[str, tuple[int, ...]] = {}
        self._by_pair: dict[tuple[str, str | None], MatchResult] = {}
        self._by_key: dict[tuple[str, str | None], tuple[Candidate, ...]] = {}
        self._helper: Helper[tuple[str, str | None], MatchResult] = Helper()
        weakref.finalize(self, self._helper.stop)
        self._build()
        # Beginnings of index keys: a word that begins none cannot begin a joined pair.
        self._starts = frozenset(key[:i] for key in self._index for i in range(1, len(key)))

    # -- building ------------------------------------------------------------------------------

    def _build(self) -> None:
        by_signature: dict[str, tuple[Name, str, list[Owner]]] = {}
        groups: dict[str, set[str]] = {}
        for position, entity in enumerate(self.entities):
            main = normalise_company_name(entity.name)
            group = groups.setdefault(main.key, set())
            both = [_both_renderings(entity.name, a) for a in entity.aliases]
            for alias, text in [
                (False, entity.name),
                *((True, a) for a in entity.aliases),
                *((True, b) for b in both if b),
            ]:
                for variant, acronym, dropped in _name_variants(text):
                    name = normalise_company_name(variant)
                    if not name.tokens:
                        continue
                    group.update(name.tokens)
                    entry = by_signature.setdefault(name.signature, (name, variant, []))
                    owner = Owner(position, alias or acronym, dropped)
                    if owner not in entry[2]:
                        entry[2].append(owner)
        self._df: dict[str, int] = {}
        for words in groups.values():
            for word in words:
                self._df[word] = self._df.get(word, 0) + 1
        self._groups = max(len(groups), 1)
        self._longest = 0  # longest anchor: longer words cannot be a typo of one
        for name, display, owners in by_signature.values():
            classes, weights = self._classify(name)
            distinctive = [t for t, c in zip(name.tokens, classes, strict=True) if c == DISTINCTIVE]
            ordinary = [t for t, c in zip(name.tokens, classes, strict=True) if c == GENERIC]
            if sum(len(t) >= 4 for t in distinctive) >= 2 or (
                not distinctive and len(ordinary) >= 3  # a long name of ordinary words
            ):
                strength = STRONG
            elif any(len(t) >= 7 for t in distinctive):
                strength = SINGLE
            else:
                strength = THIN
            record = Record(
                name=name,
                display=display,
                classes=classes,
                weights=weights,
                weak=not any(
                    c == DISTINCTIVE and len(t) >= 3
                    for t, c in zip(name.tokens, classes, strict=True)
                ),
                strength=strength,
                may_lack_places=len(ordinary) >= 3 and NUMBER not in classes,
                owners=owners,
            )
            self._records.append(record)
            self._index_record(len(self._records) - 1, record)

    def _index_record(self, number: int, record: Record) -> None:
        tokens = record.name.tokens
        if record.weak:
            # Every word must be present, so one word finds it: the least common one (business
            # words before places before numbers, then the rarest in the lists).
            priority = {GENERIC: 0, DISTINCTIVE: 0, PLACE: 1, NUMBER: 2}
            ranked = sorted(
                zip(tokens, record.classes, strict=True),
                key=lambda tc: (priority[tc[1]], self._df.get(tc[0], 0), -len(tc[0]), tc[0]),
            )
            anchors = [ranked[0][0]]
            self._add_deletions(anchors[0])
        else:
            anchors = [
                t
                for t, c in zip(tokens, record.classes, strict=True)
                if c == DISTINCTIVE and len(t) >= 3
            ]
            for anchor in anchors:
                self._add_deletions(anchor)
        anchors += [a + b for a, b in itertools.pairwise(tokens)]
        for anchor in dict.fromkeys(anchors):
            self._index.setdefault(anchor, []).append(number)

    def _add_deletions(self, anchor: str) -> None:
        """Let misspellings of an anchor find it (see `typo_edits` for which count)."""
        self._longest = max(self._longest, len(anchor))
        if len(anchor) >= 5 and anchor.isalpha():
            for deleted in _deletions(anchor, _allowed_edits(anchor)):
                self._deletes.setdefault(deleted, set()).add(anchor)

    def _classify(self, name: Name) -> tuple[tuple[str, ...], tuple[float, ...]]:
        classes: list[str] = []
        weights: list[float] = []
        for token, seat in zip(name.tokens, _at_seat(name), strict=True):
            kind, weight = self._word_class(token, seat)
            classes.append(kind)
            weights.append(weight)
        return tuple(classes), tuple(weights)

    def _word_class(self, token: str, seat: bool = False) -> tuple[str, float]:
        if token.isdigit():
            return NUMBER, 1.0
        # The seat after a mid-name form is a place, but a business word there ("... Co., Ltd.
        # / Velmora Foods") is still a business word; a branch or plant is where it sits.
        if token in PLACE_WORDS or (
            seat and (token in QUALIFIER_WORDS or token not in GENERIC_WORDS)
        ):
            return PLACE, 1.0
        if token in GENERIC_WORDS:
            return GENERIC, 1.0
        df = self._df.get(token, 0)
        weight = math.log((self._groups + 1) / max(df, 1)) / math.log(self._groups + 1)
        if df > 1 and df > (self._groups + 1) ** self.weights.common_df_share:
            return GENERIC, 1.0
        weight = max(self.weights.min_distinctive_weight, weight)
        if len(token) <= 2:
            weight *= 0.5
        return DISTINCTIVE, weight

    # -- screening -----------------------------------------------------------------------------

    def screen(self, name: str, country_iso3: str | None = None) -> MatchResult:
        """Return the listed entities a supplier name may be, best first."""
        return self.screen_many([(name, country_iso3)])[0]

    def screen_many(
        self, pairs: Iterable[tuple[str, str | None]], processes: int = 1
    ) -> list[MatchResult]:
        """Screen (name, country ISO3) pairs, once per distinct normalised name and country.

        Results are remembered across calls (up to CACHE_LIMIT of each kind), so a long list
        screened in chunks costs what it costs in one call. With `processes` of 2 or more, a
        large batch of new pairs is shared with a forked helper process (see `parallel.py`).
        """
        with collector_paused():
            pairs = list(pairs)
            if processes > 1 and may_share(pairs, self._by_pair):
                new = [pair for pair in dict.fromkeys(pairs) if pair not in self._by_pair]
                found = self._helper.map(self._screen_each, new)
                if len(self._by_pair) + len(found) >= CACHE_LIMIT:
                    self._by_pair.clear()
                    self._by_key.clear()
                self._by_pair.update(zip(new, found, strict=True))
            return self._screen_each(pairs)

    def close(self) -> None:
        """Stop the helper process that `screen_many` may have started."""
        self._helper.stop()

    def _screen_each(self, pairs: Sequence[tuple[str, str | None]]) -> list[MatchResult]:
        results: list[MatchResult] = []
        by_pair, by_key = self._by_pair, self._by_key
        for pair in pairs:
            result = by_pair.get(pair)
            if result is None:
                if len(by_pair) >= CACHE_LIMIT:  # all-distinct inputs: keep memory bounded
                    by_pair.clear()
                    by_key.clear()
                name, country = pair
                words = split_words(fold(name))
                iso3 = _iso3(country)
                carried = carried_names(name) if _may_carry(name, words) else ()
                key = (" ".join(words), iso3)
                if carried:  # the same words bracketed otherwise are other names
                    key = (" | ".join([key[0], *(f"{c.kind}:{c.text}" for c in carried)]), iso3)
                candidates = by_key.get(key)
                if candidates is None:
                    candidates = self._screen_words(name, words, iso3)
                    if carried:
                        candidates = self._screen_carried(candidates, carried, iso3)
                    by_key[key] = candidates
                result = by_pair[pair] = MatchResult(name, candidates)
            results.append(result)
        return results

    def _screen_words(self, text: str, words: list[str], iso3: str | None) -> tuple[Candidate, ...]:
        if not self._may_match(words):
            return ()
        return self._screen(normalise_company_name(text, words), iso3)

    def _screen_carried(
        self, found: tuple[Candidate, ...], carried: Sequence[Carried], iso3: str | None
    ) -> tuple[Candidate, ...]:
        """Screen each name a supplier name carries too; an entity keeps its best hit."""
        best = {(c.source, c.id): c for c in found}
        for part in carried:
            words = split_words(fold(part.text))
            if not words or not self._may_match(words):
                continue
            points, detail = self._carried_points(part)
            if points is None:
                continue
            name = normalise_company_name(part.text, words)
            # A name of one word stands alone only if the listed name is that word ("XPCC",
            # "Bingtuan"), and a short one ("HT") only if it is a listed name or alias as is.
            methods = _ANY_METHOD
            if part.kind == INNER and len(name.tokens) == 1:
                methods = _EXACT if len(name.tokens[0]) <= 3 else _SAME_WORDS
            feature = Feature("carried_name", points, detail, part.text, part.left_out)
            for candidate in self._screen(name, iso3):
                if candidate.method not in methods:
                    continue
                features = (candidate.features[0], feature, *candidate.features[1:])
                total = max(0.0, min(100.0, sum(f.score for f in features)))
                if total < self.min_score:
                    continue
                # Not the supplier name as written: at best a variant of it (or an alias).
                method = "variant" if candidate.method == "exact" else candidate.method
                candidate = candidate._replace(
                    score=round(total, 1), method=method, features=features
                )
                current = best.get((candidate.source, candidate.id))
                if current is None or _rank(candidate) > _rank(current):
                    best[(candidate.source, candidate.id)] = candidate
        return tuple(sorted(best.values(), key=lambda c: (-c.score, c.source, c.id)))

    def _carried_points(self, part: Carried) -> tuple[float | None, str]:
        """What leaving the rest of the supplier name out costs, and how that is explained.

        A name given after "aka", "formerly", "d/b/a"... and the name it follows are both the
        supplier's, as are a bracketed name and the name outside the brackets. What a bracket
        holds decides what leaving it out costs: a place, a number, a branch word or a word of
        the name itself says where or which branch ("(Klang)", "(Xinjiang Branch)") and costs
        little; another name ("(Sunrise)") costs more, as it may be a brand or a parent; only
        business words ("(Sports Equipment)") are part of the name and are never left out.
        """
        w = self.weights
        shown = f'screened as "{part.text}", {part.how}'
        if part.kind == INNER:
            return 0.0, shown
        shown += f', leaving out "{part.left_out}"'
        kept = normalise_company_name(part.text).tokens
        initials = _initials(part.text)
        reasons: set[str] = set()
        named = False
        for bracket in part.brackets:
            if _is_acronym(bracket) and bracket.lower() in initials:
                reasons.add("the initials of the name")
                continue
            tokens = normalise_company_name(bracket).tokens
            # Business words name a branch along with a branch word ("(Garments Division)");
            # alone ("(Sports Equipment)") they are part of the name and never left out.
            branch = not QUALIFIER_WORDS.isdisjoint(tokens)
            for token in tokens:
                kind = self._word_class(token)[0]
                if token in kept:
                    reasons.add("words of the name again")
                elif token in QUALIFIER_WORDS or (branch and kind == GENERIC):
                    reasons.add("a branch or site")
                elif kind in (PLACE, NUMBER):
                    reasons.add("where the company sits")
                elif kind == DISTINCTIVE or _is_acronym(bracket):
                    named = True
                else:
                    return None, ""
        if named:
            return w.bracket_name_left_out, f"{shown}, another name (or a brand, or a parent)"
        if not reasons:
            return w.other_name_left_out, f"{shown}, another name of the supplier"
        said = " or ".join(sorted(reasons))
        return w.qualifier_left_out, f"{shown}, which gives {said}"

    def _may_match(self, words: list[str]) -> bool:
        """Say cheaply whether any word of a name can find a candidate (most names cannot).

        A superset of what `_candidates` looks up after legal forms, stop words and number
        markers are gone; names with a multi-word phrase ("Hong Kong") take the full path.
        """
        tokens = [canonical_word(w)[0] for w in words if w not in STOP_WORDS]
        lookup = self._lookups.get
        for token in tokens:
            hit = lookup(token)
            if hit is None:
                hit = self._lookup(token)
            if hit:
                return True
        index, starts = self._index, self._starts
        if any(a in starts and a + b in index for a, b in itertools.pairwise(tokens)):
            return True
        if not _LEGAL_OR_MARKER.isdisjoint(tokens):
            core = [t for t in tokens if t not in _LEGAL_OR_MARKER]
            if any(a in starts and a + b in index for a, b in itertools.pairwise(core)):
                return True
        return not _PHRASE_STARTS.isdisjoint(words) and any(
            pair in PHRASES for pair in itertools.pairwise(words)
        )

    def _screen(self, words: Name, iso3: str | None) -> tuple[Candidate, ...]:
        found = self._candidates(words)
        if not found:
            return ()
        query_classes = [
            self._word_class(t, seat) for t, seat in zip(words.tokens, _at_seat(words), strict=True)
        ]
        best: dict[int, Candidate] = {}
        for number in sorted(found):
            record = self._records[number]
            compared = self._compare(words, query_classes, record)
            if compared is None:
                continue
            score, features, method = compared
            for owner in record.owners:
                entity = self.entities[owner.entity]
                signal = country_signal(iso3, entity.country_iso3, self.weights)
                bracket = bracket_signal(record, owner, self.weights)
                total = score + signal.score + sum(f.score for f in bracket)
                total = max(0.0, min(100.0, total))
                if total < self.min_score:
                    continue
                kind = "alias" if owner.alias and method == "exact" else method
                candidate = Candidate(
                    id=entity.entity_id,
                    name=entity.name,
                    score=round(total, 1),
                    method=kind,
                    features=(
                        listed_name_signal(words, record, owner, self.weights),
                        *bracket,
                        *features,
                        signal,
                    ),
                    source=entity.list,
                )
                current = best.get(owner.entity)
                if current is None or _rank(candidate) > _rank(current):
                    best[owner.entity] = candidate
        return tuple(sorted(best.values(), key=lambda c: (-c.score, c.source, c.id)))

    def _candidates(self, words: Name) -> set[int]:
        found: set[int] = set()
        tokens = words.tokens
        for token in tokens:
            found.update(self._lookup(token))
        for first, second in itertools.pairwise(tokens):
            found.update(self._index.get(first + second, ()))
        return found

    def _lookup(self, token: str) -> tuple[int, ...]:
        hit = self._lookups.get(token)
        if hit is not None:
            return hit
        if token.isdigit():  # numbers never get a fuzzy look-up, nor a place in the memo
            return tuple(self._index.get(token, ()))
        numbers = set(self._index.get(token, ()))
        if 5 <= len(token) <= self._longest + 2 and token.isalpha() and token not in GENERIC_WORDS:
            allowed = _allowed_edits(token)
            anchors: set[str] = set()
            for deleted in _deletions(token, allowed):
                anchors.update(self._deletes.get(deleted, ()))
            for anchor in anchors:
                if anchor != token and typo_edits(token, anchor) is not None:
                    numbers.update(self._index[anchor])
        if len(self._lookups) > CACHE_LIMIT:  # all-distinct inputs: keep memory bounded
            self._lookups.clear()
        hit = self._lookups[token] = tuple(sorted(numbers))
        return hit

    def _compare(
        self, query: Name, query_classes: Sequence[tuple[str, float]], record: Record
    ) -> tuple[float, list[Feature], str] | None:
        alignment = align(query, record.name)
        supplied = legal_word_signal(query, record, alignment, self.weights)
        matched = {r for _, r, _, _ in alignment.pairs}
        matched |= {r + 1 for _, r, kind, _ in alignment.pairs if kind == "joined-listed"}
        if record.weak and any(
            not record.may_lack_places or record.classes[r] != PLACE for r in alignment.missing
        ):
            return None
        if not record.weak and not any(
            record.classes[r] == DISTINCTIVE and len(record.name.tokens[r]) >= 3 for r in matched
        ):
            return None
        w = self.weights
        features: list[Feature] = [supplied] if supplied is not None else []
        legal = legal_form_signal(query, record.name, w)
        if legal is not None:
            features.append(legal)
        features += spelling_signals(query, record, alignment, w)
        features += word_signals(query, query_classes, record, alignment, w)
        order = word_order_signal(query, record, alignment, w)
        if order is not None:
            features.append(order)
        score = w.base + sum(f.score for f in features)
        exact = not alignment.missing and not alignment.extra
        if exact and all(kind != "typo" for *_, kind, _ in alignment.pairs) and order is None:
            written_same = all(
                kind == "same" and query.written[q] == record.name.written[r]
                for q, r, kind, _ in alignment.pairs
            )
            same = written_same and not query.slips and supplied is None
            method = "exact" if same else "variant"
        else:
            method = "fuzzy"
        return score, features, method


# -- signals (one signal, one function; the docstring is the explanation) ----------------------


def listed_name_signal(query: Name, record: Record, owner: Owner, w: Weights) -> Feature:
    """Which listed name or alias was compared; names with the same words start from here."""
    which = "alias" if owner.alias else "name"
    detail = (
        f'compared with the listed {which} "{record.display}" (the same words score {w.base:g})'
    )
    return Feature(f"listed_{which}", w.base, detail, query.signature, record.display)


def bracket_signal(record: Record, owner: Owner, w: Weights) -> list[Feature]:
    """The listed text has a bracketed qualifier that the compared name leaves out."""
    if not owner.dropped:
        return []
    detail = f'the listed text goes on with "{owner.dropped}", which was left out'
    return [Feature("bracket_dropped", w.bracket_dropped, detail, "", owner.dropped)]


def legal_form_signal(query: Name, listed: Name, w: Weights) -> Feature | None:
    """Legal forms agree (a weak sign of the same company) or differ (a weak sign of another)."""
    if not query.families or not listed.families:
        return None
    shown = (", ".join(query.forms), ", ".join(listed.forms))
    slips = f' ("{", ".join(query.slips)}" read as a legal form)' if query.slips else ""
    if query.families & listed.families:
        return Feature("legal_form", w.legal_form_agrees, "legal forms agree" + slips, *shown)
    return Feature("legal_form", w.legal_form_differs, "legal forms differ" + slips, *shown)


def legal_word_signal(
    query: Name, record: Record, alignment: Alignment, w: Weights
) -> Feature | None:
    """A legal form of the query shortens a word of the listed name ("Corp" for "Corps").

    The form was taken out of the query as a legal form, but the listed name uses the word
    as part of the name; the listed word then counts as present (and leaves `missing`). A
    form written in full does what its short form would ("Corporation" for "Corps" as "Corp").
    """
    if not query.forms or not alignment.missing:
        return None
    shortened = sorted(
        (short, word)
        for form in query.forms
        for word in form.split()
        for short in (word, *SHORT_FORMS.get(word, ()))
        if len(short) >= 3
    )
    listed = record.name
    for r in alignment.missing:
        token = listed.tokens[r]
        if record.classes[r] == DISTINCTIVE:
            continue
        form = next((word for short, word in shortened if token.startswith(short)), "")
        if form and form != token:
            alignment.missing.remove(r)
            detail = f'the legal form "{form}" stands for the listed word "{listed.written[r]}"'
            return Feature("legal_form_as_word", w.joined_words, detail, form, listed.written[r])
    return None


def country_signal(query_iso3: str | None, listed_iso3: str, w: Weights) -> Feature:
    """The supplier's country agrees with the listed one, differs from it, or is not known."""
    if not query_iso3:
        detail = "no supplier country given: neither for nor against"
        return Feature("country", 0.0, detail, "", listed_iso3)
    if not listed_iso3:
        return Feature("country", 0.0, "the list gives no country", query_iso3, "")
    if query_iso3 == listed_iso3:
        detail = f"supplier country {query_iso3} is the listed country"
        return Feature("country", w.country_agrees, detail, query_iso3, listed_iso3)
    detail = f"supplier country {query_iso3} differs from the listed country {listed_iso3}"
    return Feature("country", w.country_differs, detail, query_iso3, listed_iso3)


def spelling_signals(
    query: Name, record: Record, alignment: Alignment, w: Weights
) -> list[Feature]:
    """Known transliterations, abbreviations, plurals, split words and typos folded together."""
    features: list[Feature] = []
    listed = record.name
    for q, r, kind, edits in alignment.pairs:
        if kind == "typo":
            distinctive = record.classes[r] == DISTINCTIVE
            # One letter off a short coined name is another name as often as a slip, unless
            # a place or another distinctive word of the name agrees as well.
            per_edit = w.typo_thin if _rests_on_typo(record, alignment) else w.typo_distinctive
            points = edits * (per_edit if distinctive else w.typo_other)
            letters = "1 letter differs" if edits == 1 else f"{edits} letters differ"
            detail = f'"{query.tokens[q]}" read as "{listed.tokens[r]}" ({letters})'
            features.append(Feature("typo", points, detail, query.written[q], listed.written[r]))
        elif kind == "joined-query":
            pair = f"{query.written[q]} {query.written[q + 1]}"
            detail = f'"{pair}" is "{listed.written[r]}" written as two words'
            features.append(
                Feature("joined_words", w.joined_words, detail, pair, listed.written[r])
            )
        elif kind == "joined-listed":
            pair = f"{listed.written[r]} {listed.written[r + 1]}"
            detail = f'"{query.written[q]}" is "{pair}" written as one word'
            features.append(Feature("joined_words", w.joined_words, detail, query.written[q], pair))
        elif kind == "same" and query.written[q] != listed.written[r]:
            why = query.notes[q] or listed.notes[r] or "spelling"
            points = w.transliteration if why == "transliteration" else 0.0
            detail = f'"{query.written[q]}" and "{listed.written[r]}" are the same word ({why})'
            features.append(
                Feature(why.replace("/", "_"), points, detail, query.written[q], listed.written[r])
            )
    return features


def word_signals(
    query: Name,
    query_classes: Sequence[tuple[str, float]],
    record: Record,
    alignment: Alignment,
    w: Weights,
) -> list[Feature]:
    """Words one name has and the other lacks, costed by how distinctive they are."""
    features: list[Feature] = []
    listed = record.name
    strength = record.strength
    thin = strength == THIN
    contained = not alignment.missing and not thin
    missing_generic = extra_generic = 0
    extra_generic_points, swap_points, contained_points = {
        STRONG: (w.extra_generic, w.generic_swap, w.extra_distinctive_contained),
        SINGLE: (w.extra_generic_single, w.generic_swap_single,
                 w.extra_distinctive_contained_single),
        THIN: (w.extra_generic_thin, w.generic_swap_thin, w.extra_distinctive),
    }[strength]  # fmt: skip
    for r in alignment.missing:
        kind, weight = record.classes[r], record.weights[r]
        points = {
            DISTINCTIVE: w.missing_distinctive * weight,
            GENERIC: w.missing_generic_thin if thin else w.missing_generic,
            PLACE: w.missing_place,
            NUMBER: w.missing_number,
        }[kind]
        missing_generic += kind == GENERIC
        detail = f'listed {CLASS_LABEL[kind]} "{listed.written[r]}" is missing'
        features.append(Feature("missing_word", round(points, 1), detail, "", listed.written[r]))
    # A word the names share, written again ("Hetian Taida Apparel Co., Ltd. / Hotan Taida"),
    # adds nothing: it costs a point and does not make the match partial.
    shared = {listed.tokens[r] for _, r, _, _ in alignment.pairs}
    shared.update(query.tokens[q] for q, _, _, _ in alignment.pairs)
    repeated = [q for q in alignment.extra if query.tokens[q] in shared]
    for q in repeated:
        detail = f'"{query.written[q]}" repeats a word of the listed name'
        features.append(Feature("repeated_word", w.repeated_word, detail, query.written[q], ""))
    extra = [q for q in alignment.extra if q not in repeated] if repeated else alignment.extra
    for q in extra:
        kind, weight = query_classes[q]
        if kind == DISTINCTIVE:
            points = (contained_points if contained else w.extra_distinctive) * weight
        else:
            points = {
                GENERIC: extra_generic_points,
                PLACE: w.extra_place,
                NUMBER: w.extra_number,
            }[kind]
        extra_generic += kind == GENERIC
        detail = f'{CLASS_LABEL[kind]} "{query.written[q]}" is not in the listed name'
        if kind == DISTINCTIVE and contained:
            detail += " (which is otherwise complete: a related company?)"
        features.append(Feature("extra_word", round(points, 1), detail, query.written[q], ""))
    if missing_generic and extra_generic:
        points = swap_points
        missing = " ".join(listed.written[r] for r in alignment.missing)
        added = " ".join(query.written[q] for q in extra)
        detail = "different business words, a sign of a different company"
        features.append(Feature("business_words_differ", points, detail, added, missing))
    if thin and (alignment.missing or extra or _rests_on_typo(record, alignment)):
        anchor = " ".join(
            t for t, c in zip(listed.written, record.classes, strict=True) if c == DISTINCTIVE
        )
        detail = (
            f'the listed name rests on short or common words ("{anchor}"): '
            "a partial match is uncertain"
        )
        features.append(Feature("thin_name", w.thin_name, detail, query.signature, anchor))
    return features


def _rests_on_typo(record: Record, alignment: Alignment) -> bool:
    """Say whether a thin name is found only through a misspelling of its distinctive word."""
    if record.strength != THIN:
        return False
    typo = False
    for _, r, kind, _ in alignment.pairs:
        if kind == "typo":
            typo = True
        elif record.classes[r] in (DISTINCTIVE, PLACE):
            return False
    return typo


def word_order_signal(
    query: Name, record: Record, alignment: Alignment, w: Weights
) -> Feature | None:
    """Shared words come in another order: much for distinctive ones ("Da Wang", "Wang Da")."""
    classes = record.classes
    order = [r for _, r, _, _ in sorted(alignment.pairs) if classes[r] != PLACE]
    if len(order) < 2 or order == sorted(order):
        return None
    shown = " ".join(record.name.written[r] for r in sorted(order))
    distinctive = [r for r in order if classes[r] == DISTINCTIVE]
    if len(distinctive) >= 2 and distinctive != sorted(distinctive):
        detail = "the distinctive words come in another order"
        return Feature("word_order", w.word_order, detail, query.signature, shown)
    detail = "the words come in another order"
    return Feature("word_order", w.word_order_generic, detail, query.signature, shown)


# -- alignment -----------------------------------------------------------------------------------


def align(query_name: Name, listed_name: Name) -> Alignment:
    """Pair query words with listed words: same word, split/joined words, then small typos."""
    query, listed = query_name.tokens, listed_name.tokens
    used = [False] * len(query)
    taken = [False] * len(listed)
    pairs: list[tuple[int, int, str, int]] = []
    for r, word in enumerate(listed):
        for q, candidate in enumerate(query):
            if not used[q] and candidate == word:
                used[q] = taken[r] = True
                pairs.append((q, r, "same", 0))
                break
    if not all(taken) and not all(used):
        for r, word in enumerate(listed):
            if taken[r]:
                continue
            for q in range(len(query) - 1):
                if not used[q] and not used[q + 1] and query[q] + query[q + 1] == word:
                    used[q] = used[q + 1] = taken[r] = True
                    pairs.append((q, r, "joined-query", 0))
                    break
        for q, word in enumerate(query):
            if used[q]:
                continue
            for r in range(len(listed) - 1):
                if not taken[r] and not taken[r + 1] and listed[r] + listed[r + 1] == word:
                    used[q] = taken[r] = taken[r + 1] = True
                    pairs.append((q, r, "joined-listed", 0))
                    break
        for r, word in enumerate(listed):
            if taken[r] or len(word) < 5 or not word.isalpha():
                continue
            # A misspelt word was not folded ("Indstrial"), so compare as written too.
            forms = {word, listed_name.written[r]}
            best: tuple[int, int] | None = None
            for q, candidate in enumerate(query):
                if used[q] or len(candidate) < 5 or not candidate.isalpha():
                    continue
                for form in forms:
                    edits = typo_edits(candidate, form)
                    if edits is not None and (best is None or edits < best[0]):
                        best = (edits, q)
            if best is not None:
                used[best[1]] = taken[r] = True
                pairs.append((best[1], r, "typo", best[0]))
    missing = [r for r in range(len(listed)) if not taken[r]]
    return Alignment(pairs, missing, [q for q in range(len(query)) if not used[q]])


# -- names a name carries ------------------------------------------------------------------------

REST, INNER = "rest", "inner"  # the name with the other left out; the other name itself
QUALIFIER = "qualifier"
_ANY_METHOD = frozenset({"exact", "alias", "variant", "fuzzy"})
_SAME_WORDS = frozenset({"exact", "alias", "variant"})
_EXACT = frozenset({"exact", "alias"})
_BRACKET = re.compile(r"[(\[\uff08]([^()\[\]\uff08\uff09]*)(?:[)\]\uff09]|$)")
_INTRODUCER = re.compile(
    r"(?<![\w./])(" + "|".join(NAME_INTRODUCERS) + r")(?![\w/])", re.IGNORECASE
)
_INTRODUCER_WORDS = frozenset({"aka", "fka", "dba", "ta", "formerly", "known", "as"})
_EDGES = " ,;:-/"


@dataclass(frozen=True, slots=True)
class Carried:
    """A name that a supplier name carries, and what of the supplier name it leaves out."""

    text: str
    kind: str  # REST: the supplier name without the other name; INNER: the other name
    how: str  # for the explanation: "the name in brackets", "the name given after \"aka\""...
    left_out: str  # REST: the rest of the supplier name, as written
    brackets: tuple[str, ...] = ()  # REST: bracketed parts left out (not introduced ones)
    introduced: bool = False  # REST: a name given after "aka", "d/b/a"... was left out


def _may_carry(text: str, words: Sequence[str]) -> bool:
    """Say cheaply whether a name may carry another (a bracket or an introducing word)."""
    return "(" in text or "[" in text or "\uff08" in text or not _INTRODUCER_WORDS.isdisjoint(words)


def carried_names(text: str) -> tuple[Carried, ...]:
    """Return the names a supplier name carries besides itself, each with what it leaves out.

    "Hetian Taida Apparel Co., Ltd. (aka Hotan Taida)" carries "Hetian Taida Apparel Co.,
    Ltd." and "Hotan Taida"; "Acme Ltd d/b/a Foo" carries "Acme Ltd" and "Foo"; "Top Glove Sdn
    Bhd (Klang)" carries "Top Glove Sdn Bhd" and "Klang" (which finds nothing on its own).
    """
    whole = " ".join(text.split())
    groups = [m for m in _BRACKET.finditer(whole) if m.group(1).strip(_EDGES)]
    head, introduced = _split_introduced(whole, [m.span() for m in groups])
    inner: list[tuple[str, str]] = []
    brackets: list[str] = []  # in the head, not introducing a name
    introducing = bool(introduced)
    for m in groups:
        bracket = m.group(1).strip(_EDGES)
        start = _INTRODUCER.match(bracket)
        in_head = m.end() <= len(head) + 1
        if start is None:
            inner.append((bracket, "the name in brackets"))
            brackets += [bracket] if in_head else []
            continue
        marker = " ".join(start.group(1).split())
        introducing |= in_head
        inner.append((bracket[start.end() :].strip(_EDGES), f'the name given after "{marker}"'))
    inner += [(name, f'the name given after "{marker}"') for marker, name in introduced]
    after = [f"{marker} {name}" for marker, name in introduced]
    found: list[Carried] = []

    def add(name: str, kind: str, how: str, left_out: str = "", **more: Any) -> None:
        if name and name != whole and all(c.text != name for c in found):
            found.append(Carried(name, kind, how, left_out, **more))

    if introduced:  # "Acme Ltd d/b/a Foo": "Acme Ltd", brackets and all
        how = f'the name before "{introduced[0][0]}"'
        add(head, REST, how, " ".join(after), introduced=True)
    if groups:
        bare = " ".join(_BRACKET.sub(" ", head).split()).strip(_EDGES)
        left_out = " ".join(
            [m.group(0).strip() for m in groups if m.end() <= len(head) + 1] + after
        )
        how = "the name outside the brackets"
        add(bare, REST, how, left_out, brackets=tuple(brackets), introduced=introducing)
    for name, how in inner:
        add(name, INNER, how)
    return tuple(found)


def _split_introduced(
    text: str, brackets: Sequence[tuple[int, int]]
) -> tuple[str, list[tuple[str, str]]]:
    """Split a name at the words outside brackets that introduce another ("Acme d/b/a Foo")."""
    matches = [
        m
        for m in _INTRODUCER.finditer(text)
        if not any(start < m.start() < end for start, end in brackets)
    ]
    if not matches:
        return text, []
    head = text[: matches[0].start()].strip(_EDGES)
    names: list[tuple[str, str]] = []
    for this, following in itertools.zip_longest(matches, matches[1:]):
        end = following.start() if following is not None else len(text)
        name = text[this.end() : end].strip(_EDGES)
        if name:
            names.append((" ".join(this.group(1).split()), name))
    if not head or not names:  # "Aka Textiles", "Foo Trading AS": no other name
        return text, []
    return head, names


def _at_seat(name: Name) -> list[bool]:
    """Say which words are the seat: the seat's words where they stand, at the end of the name.

    "Zhongtai Securities Co., Ltd. / Zhongtai Securities" has the seat "zhongtai securities",
    but the first "securities" is a word of the name, not a place.
    """
    if not name.seat:
        return [False] * len(name.tokens)
    first = len(name.tokens) - len(name.seat)
    return [i >= first and t in name.seat for i, t in enumerate(name.tokens)]


def _initials(text: str) -> set[str]:
    """Initials a name may be shortened to: of its first two words or more, little words in or
    out ("XPCC" for "Xinjiang Production & Construction Corporation", "TGC" for "Top Glove
    Corporation Bhd")."""
    words = split_words(fold(text))
    plain = [w for w in words if w not in STOP_WORDS]
    return {"".join(w[0] for w in ws[:n]) for ws in (words, plain) for n in range(2, len(ws) + 1)}


def _is_acronym(text: str) -> bool:
    return text.isalpha() and text.isupper() and len(text) >= 2


# -- helpers -------------------------------------------------------------------------------------


def _name_variants(text: str) -> list[tuple[str, bool, str]]:
    """Return a listed name, and the name without a bracketed part and that part if an acronym.

    Each variant comes with whether it is an acronym (shown as an alias) and what was dropped.
    """
    variants = [(text, False, "")]
    if "(" in text and ")" in text:
        head, _, rest = text.partition("(")
        inner, _, tail = rest.partition(")")
        inner = inner.strip()
        bare = f"{head.strip()} {tail.strip()}".strip()
        if bare:
            variants.append((bare, False, f"({inner})"))
        if inner.isalpha() and inner.isupper() and len(inner) >= 3:
            variants.append((inner, True, ""))
    return variants


def _both_renderings(name: str, alias: str) -> str:
    """Return the name with an alias's rendering of one of its words added in brackets, or "".

    Lists give a name once in pinyin and once translated ("Shenyang Xinsheng Rubber Factory",
    alias "Shenyang New Life Rubber Factory"), and suppliers often write both: "Shenyang
    Xinsheng (New Life) Rubber Factory". When the alias is the name with one short span of
    words replaced, that span is added in brackets (which `_name_variants` then also drops).
    """
    ours, theirs = split_words(fold(name)), split_words(fold(alias))
    same = [canonical_word(w)[0] for w in ours], [canonical_word(w)[0] for w in theirs]
    prefix = 0
    while prefix < min(len(ours), len(theirs)) and same[0][prefix] == same[1][prefix]:
        prefix += 1
    suffix = 0
    while (
        suffix < min(len(ours), len(theirs)) - prefix
        and same[0][-1 - suffix] == same[1][-1 - suffix]
    ):
        suffix += 1
    span, rendering = ours[prefix : len(ours) - suffix], theirs[prefix : len(theirs) - suffix]
    if not (1 <= len(span) <= 3 and 1 <= len(rendering) <= 3) or prefix + suffix < 2:
        return ""
    if not set(same[0][prefix : len(ours) - suffix]).isdisjoint(
        same[1][prefix : len(theirs) - suffix]
    ):
        return ""
    before, after = ours[:prefix], ours[len(ours) - suffix :]
    return " ".join([*before, *span, f"({' '.join(rendering)})", *after]).title()


def _rank(candidate: Candidate) -> tuple[float, int]:
    return (candidate.score, {"exact": 3, "alias": 2, "variant": 1}.get(candidate.method, 0))


def _iso3(country: str | None) -> str | None:
    if country is None:
        return None
    return country.strip().upper() or None


_VOWELS = frozenset("aeiouy")


def typo_edits(query: str, listed: str) -> int | None:
    """Return the letters a believable misspelling changed, or None if it is another word.

    The first letter must agree ("Baolin" is not "Haolin"); words up to six letters may only
    lose, gain or swap a letter or change one vowel for another ("Tayda" for "Taida", but not
    "Grant" for "Giant"); longer words allow one edit, or two from nine letters on.
    """
    if query[0] != listed[0]:
        return None
    limit = min(_allowed_edits(query), _allowed_edits(listed))
    edits = OSA.distance(query, listed, score_cutoff=limit)
    if edits > limit:
        return None
    if min(len(query), len(listed)) <= 6 and len(query) == len(listed):
        changed = [(a, b) for a, b in zip(query, listed, strict=True) if a != b]
        swapped = len(changed) == 2 and changed[0] == changed[1][::-1]
        if not swapped and not all(a in _VOWELS and b in _VOWELS for a, b in changed):
            return None
    return edits


def _allowed_edits(word: str) -> int:
    return 2 if len(word) >= 9 else 1


def _deletions(word: str, edits: int) -> set[str]:
    found = {word}
    frontier = {word}
    for _ in range(edits):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        found |= frontier
    return found
