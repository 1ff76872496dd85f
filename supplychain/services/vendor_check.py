"""The vendor check: one supplier, its country and products, scored in one call.

The page, the API and `supplychain check vendor` all call `check_vendor`, so they give the
same numbers for the same input.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any

from reference_data import ReferenceData
from risk_models.scoring import LineScore, Scorer, get_model
from risk_models.scoring.questions import questions_for
from supplychain.errors import InvalidInput
from supplychain.services import evidence, matching, screening

MAX_PRODUCTS = 50


def check_vendor(
    reference: ReferenceData,
    config: Mapping[str, Any],
    name: str,
    country: str | None,
    products: Sequence[str],
) -> dict[str, Any]:
    """Match the vendor's country, products and name, then score one line per product."""
    name = name.strip()
    products = [p.strip() for p in products if p and p.strip()]
    if not name:
        raise InvalidInput(
            "A vendor name is needed.", errors={"name": ["Enter the vendor's name."]}
        )
    if len(products) > MAX_PRODUCTS:
        raise InvalidInput(
            f"At most {MAX_PRODUCTS} products per check.",
            errors={"products": [f"Send at most {MAX_PRODUCTS} products."]},
        )
    country_text = (country or "").strip()
    country_record = (
        next(matching.match_countries(reference, config, [country_text])) if country_text else None
    )
    supplier_record = next(
        screening.screen_suppliers(reference, config, [(name, country_text or None)])
    )
    hits = evidence.entity_hits(supplier_record, config)
    goods_records = list(matching.match_goods(reference, config, products))

    scorer = _scorer(reference)
    lines = [
        (record["query"], evidence.line_evidence(record, country_record, hits))
        for record in goods_records
    ] or [(None, evidence.line_evidence(None, country_record, hits))]
    scored = [(query, scorer.score(evidence)) for query, evidence in lines]
    return _result(scored, goods_records, country_record, supplier_record, scorer)


_scorers: dict[str, Scorer] = {}
_lock = threading.Lock()


def _scorer(reference: ReferenceData) -> Scorer:
    """Return the scorer of a reference version; it remembers every evidence it has scored."""
    with _lock:
        scorer = _scorers.get(reference.version)
        if scorer is None:
            _scorers.clear()  # one reference version is in use at a time
            scorer = _scorers[reference.version] = Scorer(reference, get_model())
        return scorer


def factor_record(factor: Any, product: str | None) -> dict[str, Any]:
    """Describe one factor for people and machines."""
    return {
        "kind": factor.kind,
        "dimension": factor.dimension,
        "contribution": factor.contribution,
        "detail": factor.detail,
        "source": asdict(factor.source) if factor.source else None,
        "product": product,
    }


def exposure_record(score: LineScore, dimension: str) -> dict[str, Any]:
    exposure = score.exposure(dimension)  # type: ignore[arg-type]
    return {"score": exposure.score, "band": exposure.band, "confidence": exposure.confidence}


def _result(
    scored: list[tuple[str | None, LineScore]],
    goods_records: list[dict[str, Any]],
    country_record: dict[str, Any] | None,
    supplier_record: dict[str, Any],
    scorer: Scorer,
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for dimension in ("forced_labour", "child_labour"):
        # The vendor is as exposed as its most exposed product.
        query, worst = max(scored, key=lambda item: item[1].exposure(dimension).score)  # type: ignore[arg-type]
        result[dimension] = {**exposure_record(worst, dimension), "product": query}
    factors = []
    seen = set()
    for query, score in scored:
        for factor in score.factors:
            key = (factor.kind, factor.dimension, factor.detail)
            if key not in seen:
                seen.add(key)
                factors.append(factor_record(factor, query))
    factors.sort(key=lambda f: (-f["contribution"], f["kind"], f["dimension"]))
    first = scored[0][1]
    return {
        **result,
        "insufficient_data": any(score.insufficient_data for _, score in scored),
        "factors": factors,
        "products": [
            {
                "query": query,
                "forced_labour": exposure_record(score, "forced_labour"),
                "child_labour": exposure_record(score, "child_labour"),
                "insufficient_data": score.insufficient_data,
            }
            for query, score in scored
            if query is not None
        ],
        "matches": {
            "goods": goods_records,
            "country": country_record,
            "suppliers": supplier_record["hits"],
        },
        "questions": questions_for(f for _, score in scored for f in score.factors),
        "model": {
            "name": first.model,
            "profile": first.profile,
            "reference_version": first.reference_version,
            "parameters": scorer.config.as_dict(),
        },
    }
