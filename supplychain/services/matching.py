"""Match goods and countries for the API and the CLI: thresholds, decisions, output records.

The engine scores; this module decides (accepted, review or none) with the configured
thresholds and builds the JSON records both the API and `supplychain match` return. The
record builder (`match_record`) is shared with supplier screening.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import islice
from typing import Any

from reference_data import ReferenceData
from risk_models.matching import countries as country_matching
from risk_models.matching import goods as goods_matching
from risk_models.matching.countries import CountryMatcher
from risk_models.matching.goods import GoodsMatcher, GoodsMatchResult
from risk_models.matching.result import Candidate, Feature, MatchResult, Thresholds

CHUNK = 5_000  # queries matched and written per step when streaming

_lock = threading.Lock()
_goods: dict[str, GoodsMatcher] = {}
_countries: dict[str, CountryMatcher] = {}


def goods_matcher(reference: ReferenceData) -> GoodsMatcher:
    """Return the goods matcher of a reference version, building it once."""
    with _lock:
        matcher = _goods.get(reference.version)
        if matcher is None:
            matcher = GoodsMatcher.from_reference(reference)
            _goods.clear()  # one version in use at a time; an old one is not needed again
            _goods[reference.version] = matcher
        return matcher


def country_matcher(reference: ReferenceData) -> CountryMatcher:
    """Return the country matcher of a reference version, building it once."""
    with _lock:
        matcher = _countries.get(reference.version)
        if matcher is None:
            matcher = CountryMatcher.from_reference(reference)
            _countries.clear()
            _countries[reference.version] = matcher
        return matcher


def thresholds(config: Mapping[str, Any], kind: str) -> Thresholds:
    """Read the accept and review thresholds of one matcher (GOODS, COUNTRIES) from config."""
    return Thresholds(
        accept=float(config[f"MATCH_{kind}_ACCEPT"]), review=float(config[f"MATCH_{kind}_REVIEW"])
    )


def feature_record(feature: Feature, explanations: Mapping[str, str]) -> dict[str, Any]:
    """Describe one feature for people: what it means, what it compared, what it added."""
    return {
        "feature": feature.name,
        "explanation": explanations.get(feature.name, ""),
        "detail": feature.detail,
        "score": feature.score,
        "query_value": feature.query_value,
        "reference_value": feature.reference_value,
    }


def match_record(
    result: MatchResult,
    limits: Thresholds,
    describe: Callable[[Candidate], dict[str, Any]],
    explanations: Mapping[str, str] = {},
) -> dict[str, Any]:
    """Build the output record of one query: decision, match, candidates, explanation.

    `describe` gives the match's identifying fields (id and name, ISO codes...); score and
    method are added here. The explanation is the best candidate's features, so a "none"
    says why the nearest entry was not good enough.
    """
    best = result.best
    decision = limits.decide(best.score if best else None)
    match = None
    if best is not None and decision != "none":
        match = {**describe(best), "score": best.score, "method": best.method}
    return {
        "query": result.query,
        "decision": decision,
        "match": match,
        "candidates": [{"id": c.id, "name": c.name, "score": c.score} for c in result.candidates],
        "explanation": [feature_record(f, explanations) for f in best.features] if best else [],
    }


def goods_record(
    result: GoodsMatchResult, reference: ReferenceData, limits: Thresholds
) -> dict[str, Any]:
    """Build a goods output record, with the derived product when the query names one."""
    record = match_record(
        result,
        limits,
        lambda c: {"id": c.id, "name": c.name},
        goods_matching.EXPLANATIONS,
    )
    derived = result.derived
    record["derived"] = None
    if derived is not None and derived.score >= limits.review:
        product = reference.goods[derived.id]
        record["derived"] = {
            "id": product.id,
            "name": product.name,
            "inputs": [
                {"id": i, "name": reference.goods[i].name}
                for i in product.inputs
                if i in reference.goods
            ],
        }
        if record["match"] is None:
            explanations = goods_matching.EXPLANATIONS
            record["explanation"] = [feature_record(f, explanations) for f in derived.features]
    return record


def country_record(
    result: MatchResult, reference: ReferenceData, limits: Thresholds
) -> dict[str, Any]:
    """Build a country output record: the match carries ISO alpha-2, alpha-3 and name."""

    def describe(candidate: Candidate) -> dict[str, Any]:
        country = reference.countries[candidate.id]
        return {"iso2": country.iso2, "iso3": country.iso3, "name": country.name_en}

    return match_record(result, limits, describe, country_matching.EXPLANATIONS)


def _chunks(queries: Iterable[str], size: int) -> Iterator[list[str]]:
    iterator = iter(queries)
    while chunk := list(islice(iterator, size)):
        yield chunk


def match_goods(
    reference: ReferenceData,
    config: Mapping[str, Any],
    queries: Iterable[str],
    processes: int = 1,
) -> Iterator[dict[str, Any]]:
    """Yield one goods record per query, in order, matching a chunk at a time.

    `processes` is the engine's (see `risk_models/matching/parallel.py`): 2 shares large
    batches of new strings with a forked helper, where the process may fork.
    """
    matcher = goods_matcher(reference)
    limits = thresholds(config, "GOODS")
    for chunk in _chunks(queries, CHUNK):
        for result in matcher.match_many(chunk, processes=processes):
            yield goods_record(result, reference, limits)


def match_countries(
    reference: ReferenceData,
    config: Mapping[str, Any],
    queries: Iterable[str],
    processes: int = 1,
) -> Iterator[dict[str, Any]]:
    """Yield one country record per query, in order, matching a chunk at a time (see
    `match_goods` for `processes`)."""
    matcher = country_matcher(reference)
    limits = thresholds(config, "COUNTRIES")
    for chunk in _chunks(queries, CHUNK):
        for result in matcher.match_many(chunk, processes=processes):
            yield country_record(result, reference, limits)
