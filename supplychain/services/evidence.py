"""Turn match records into the evidence the scoring model reads (one way, for every caller)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reference_data import normalise_name
from risk_models.scoring import EntityHit, LineEvidence
from risk_models.scoring.types import Certainty, ProductCertainty

# Descriptions that name no product: the line's product is missing, not merely unlisted.
PLACEHOLDERS = frozenset(
    normalise_name(text)
    for text in (
        "", "-", "?", "n/a", "na", "none", "nil", "unknown", "not specified", "unspecified",
        "tbd", "tba", "to be confirmed", "see attached", "see invoice", "various", "misc",
        "miscellaneous", "other", "others", "assorted", "mixed", "multiple", "goods",
        "products", "items", "merchandise", "general merchandise", "sample", "samples",
        "divers", "inconnu", "non spécifié", "autres", "marchandises", "produits", "articles",
    )
)  # fmt: skip


def describes_a_product(text: str | None) -> bool:
    """Say whether a description names something (as opposed to "N/A", "misc", "various")."""
    key = normalise_name(text or "")
    return bool(key) and key not in PLACEHOLDERS


def product_evidence(
    record: Mapping[str, Any],
) -> tuple[tuple[str, ...], tuple[str, ...], ProductCertainty]:
    """Return the listed goods, the derived inputs and how the product is known."""
    if record["match"] is not None:
        return (record["match"]["id"],), (), record["decision"]
    derived = record.get("derived")
    if derived:
        # A made-from relation is typical, not known for this product: a person may confirm.
        return (), tuple(i["id"] for i in derived["inputs"]), "review"
    return (), (), "unlisted" if describes_a_product(record["query"]) else "missing"


def country_evidence(record: Mapping[str, Any] | None) -> tuple[str | None, Certainty]:
    """Return the ISO alpha-3 code and how sure the match is (missing when unmatched)."""
    if record is None or record["match"] is None:
        return None, "missing"
    return record["match"]["iso3"], record["decision"]


def entity_hits(record: Mapping[str, Any], config: Mapping[str, Any]) -> tuple[EntityHit, ...]:
    """Return the screening hits that reach review, accepted when they reach the accept score."""
    accept = float(config["SCREEN_SUPPLIERS_ACCEPT"])
    return tuple(
        EntityHit(hit["entity_id"], "accepted" if hit["score"] >= accept else "review")
        for hit in record["hits"]
        if hit["match"]
    )


def line_evidence(
    goods_record: Mapping[str, Any] | None,
    country_record: Mapping[str, Any] | None,
    hits: tuple[EntityHit, ...],
) -> LineEvidence:
    """Assemble one line's evidence from its product, country and supplier records."""
    goods, derived, certainty = (
        product_evidence(goods_record) if goods_record is not None else ((), (), "missing")
    )
    iso3, country_certainty = country_evidence(country_record)
    return LineEvidence(goods, derived, certainty, iso3, country_certainty, hits)
