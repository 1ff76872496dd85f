"""Supplier screening for the API, the CLI and the vendor check: thresholds and output records.

The engine (`risk_models.matching.suppliers`) scores; this module decides with the configured
thresholds and builds one JSON record per query:

    {"query": str, "country": ISO3 | null, "warnings": [str],
     "hits": [{"list", "entity_id", "name", "score", "match", "decision", "method",
               "explanation": [str]}]}

`hits` are sorted by score, best first, down to SCREEN_SUPPLIERS_FLOOR so that a person sees
near misses; only hits with `match: true` (score >= SCREEN_SUPPLIERS_REVIEW) count, and
`decision` says whether a match is accepted (>= SCREEN_SUPPLIERS_ACCEPT) or needs review.
`name` is the entity as listed. `explanation` is a list of readable sentences: where the
entity is listed, which listed name or alias was compared, then every signal that moved the
score with its points in brackets, e.g. `"hotan" and "hetian" are the same word
(transliteration) (-1)`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from reference_data import EnforcementEntity, ReferenceData
from risk_models.matching.result import Candidate, Feature, MatchResult, Thresholds
from risk_models.matching.suppliers import NAME as MODEL_NAME
from risk_models.matching.suppliers import SupplierScreener
from supplychain.services import matching

COUNTRY_CACHE_LIMIT = 100_000  # distinct country strings remembered during one run

_lock = threading.Lock()
_screeners: dict[str, SupplierScreener] = {}


def screener(reference: ReferenceData) -> SupplierScreener:
    """Return the supplier screener of a reference version, building it once."""
    with _lock:
        built = _screeners.get(reference.version)
        if built is None:
            built = SupplierScreener(reference)
            _screeners.clear()  # one version in use at a time; an old one is not needed again
            _screeners[reference.version] = built
        return built


def thresholds(config: Mapping[str, Any]) -> Thresholds:
    """Read the accept and review thresholds of supplier screening from config."""
    return Thresholds(
        accept=float(config["SCREEN_SUPPLIERS_ACCEPT"]),
        review=float(config["SCREEN_SUPPLIERS_REVIEW"]),
    )


def describe_model(reference: ReferenceData, config: Mapping[str, Any]) -> dict[str, Any]:
    """Say which model, reference data and thresholds produced the records."""
    limits = thresholds(config)
    return {
        "name": MODEL_NAME,
        "reference_version": reference.version,
        "accept": limits.accept,
        "review": limits.review,
        "floor": float(config["SCREEN_SUPPLIERS_FLOOR"]),
    }


def feature_sentence(feature: Feature) -> str:
    """Render one signal as a sentence, with the points it added or took away."""
    if feature.name.startswith("listed_") or feature.score == 0:
        return feature.detail
    return f"{feature.detail} ({feature.score:+g})"


def listing_sentence(entity: EnforcementEntity) -> str:
    """Say where an entity is listed, so a person can look it up."""
    when = f", effective {entity.effective_date.isoformat()}" if entity.effective_date else ""
    return f"listed on {entity.list} as {entity.action_type}{when} (source row {entity.source_row})"


def hit_record(
    candidate: Candidate, entity: EnforcementEntity, limits: Thresholds
) -> dict[str, Any]:
    """Describe one listed entity the supplier may be."""
    decision = limits.decide(candidate.score)
    return {
        "list": candidate.source,
        "entity_id": candidate.id,
        "name": candidate.name,
        "score": candidate.score,
        "match": decision != "none",
        "decision": decision,
        "method": candidate.method,
        "explanation": [listing_sentence(entity)]
        + [feature_sentence(f) for f in candidate.features],
    }


def screen_record(
    result: MatchResult,
    iso3: str | None,
    entities: Mapping[str, EnforcementEntity],
    limits: Thresholds,
    floor: float,
    warnings: Iterable[str] = (),
) -> dict[str, Any]:
    """Build the output record of one supplier."""
    return {
        "query": result.query,
        "country": iso3,
        "warnings": list(warnings),
        "hits": [
            hit_record(candidate, entities[candidate.id], limits)
            for candidate in result.candidates
            if candidate.score >= floor
        ],
    }


class _Session:
    """State of one screening run: the screener, its thresholds and the countries resolved."""

    def __init__(self, reference: ReferenceData, config: Mapping[str, Any]):
        self.reference = reference
        self.config = config
        self.screener = screener(reference)
        self.limits = thresholds(config)
        self.floor = float(config["SCREEN_SUPPLIERS_FLOOR"])
        self.entities = {e.entity_id: e for e in reference.entities}
        self.countries: dict[str, tuple[str | None, tuple[str, ...]]] = {}

    def country(self, text: str | None) -> tuple[str | None, tuple[str, ...]]:
        """Resolve free-text country to ISO alpha-3, with a warning when it cannot be."""
        text = (text or "").strip()
        if not text:
            return None, ()
        known = self.countries.get(text)
        if known is None:
            record = next(matching.match_countries(self.reference, self.config, [text]))
            if record["decision"] == "accepted":
                known = (record["match"]["iso3"], ())
            else:
                warning = (
                    f"country {text!r} was not recognised with confidence; "
                    "screened without a country"
                )
                known = (None, (warning,))
            if len(self.countries) >= COUNTRY_CACHE_LIMIT:
                self.countries.clear()
            self.countries[text] = known
        return known

    def screen(self, name: str, iso3: str | None, warnings: Iterable[str] = ()) -> dict[str, Any]:
        """Screen one supplier (name already stripped, country already resolved)."""
        result = self.screener.screen(name, iso3)  # the screener remembers recent results
        return screen_record(result, iso3, self.entities, self.limits, self.floor, warnings)


def screen_one(
    reference: ReferenceData, config: Mapping[str, Any], name: str, iso3: str | None
) -> dict[str, Any]:
    """Screen one supplier whose country is already an ISO alpha-3 code (or unknown)."""
    return _Session(reference, config).screen(name.strip(), (iso3 or "").upper() or None)


def screen_suppliers(
    reference: ReferenceData,
    config: Mapping[str, Any],
    items: Iterable[tuple[str, str | None]],
) -> Iterator[dict[str, Any]]:
    """Yield one record per (name, free-text country) item, in order, as each is screened."""
    session = _Session(reference, config)
    for name, country in items:
        iso3, warnings = session.country(country)
        yield session.screen((name or "").strip(), iso3, warnings)
