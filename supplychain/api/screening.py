"""POST /api/v1/screen/suppliers."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from supplychain.api.schemas import BATCH_PROBLEM, limited_batch
from supplychain.services import screening
from supplychain.services.refdata import get_reference

blp = Blueprint("screening", __name__, description="Screen suppliers against enforcement lists")

MAX_NAME_LENGTH = 1_000


class ScreeningItemSchema(Schema):
    name = fields.String(
        required=True,
        validate=validate.Length(max=MAX_NAME_LENGTH),
        metadata={"description": "The supplier's name as you have it; empty matches nothing."},
    )
    country = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=MAX_NAME_LENGTH),
        metadata={
            "description": "Free text: ISO code or name (CN, CHN, China, PRC...). Evidence, "
            "not a filter: a matching country raises the score a little, another lowers it."
        },
    )


class ScreeningRequestSchema(Schema):
    items = fields.List(
        fields.Nested(ScreeningItemSchema),
        required=True,
        metadata={
            "description": "The suppliers to screen, in order; at most MATCH_MAX_ITEMS "
            "(10,000 by default) per call."
        },
    )


class ScreeningHitSchema(Schema):
    list = fields.String(metadata={"description": "enforcement list id, e.g. cbp-wro, uflpa"})
    entity_id = fields.String(metadata={"description": "e.g. cbp-wro-045"})
    name = fields.String(metadata={"description": "the entity's name exactly as listed"})
    score = fields.Float(metadata={"description": "0-100"})
    match = fields.Boolean(
        metadata={"description": "true when the score reaches SCREEN_SUPPLIERS_REVIEW; "
                  "only these hits count, the others are near misses to look at"}
    )  # fmt: skip
    decision = fields.String(
        validate=validate.OneOf(["accepted", "review", "none"]),
        metadata={"description": "accepted (>= SCREEN_SUPPLIERS_ACCEPT), review, or none"},
    )
    method = fields.String(
        metadata={"description": "exact, alias, variant (same words once abbreviations, "
                  "transliterations, plurals are folded) or fuzzy"}
    )  # fmt: skip
    explanation = fields.List(
        fields.String(),
        metadata={
            "description": "Readable sentences: where the entity is listed, which listed name "
            "or alias was compared, then each signal with the points it added, e.g. "
            '\'"hotan" and "hetian" are the same word (transliteration) (-1)\'.'
        },
    )


class ScreeningResultSchema(Schema):
    query = fields.String()
    country = fields.String(
        allow_none=True, metadata={"description": "ISO alpha-3 the country resolved to, or null"}
    )
    warnings = fields.List(
        fields.String(), metadata={"description": "e.g. a country that was not recognised"}
    )
    hits = fields.List(
        fields.Nested(ScreeningHitSchema),
        metadata={"description": "best first, down to SCREEN_SUPPLIERS_FLOOR (60 by default)"},
    )


class ScreeningModelSchema(Schema):
    name = fields.String(metadata={"description": "the scoring model, e.g. supplier-screening-v2"})
    reference_version = fields.String()
    accept = fields.Float()
    review = fields.Float()
    floor = fields.Float()


class ScreeningResultsSchema(Schema):
    results = fields.List(fields.Nested(ScreeningResultSchema))
    model = fields.Nested(ScreeningModelSchema)


@blp.route("/screen/suppliers")
class ScreenSuppliers(MethodView):
    @blp.arguments(ScreeningRequestSchema)
    @blp.response(200, ScreeningResultsSchema)
    @blp.alt_response(422, **BATCH_PROBLEM)
    def post(self, args: dict[str, Any]) -> dict[str, Any]:
        """Screen supplier names (and countries) against every shipped enforcement list.

        Each result lists the entities the supplier may be, best first, with a score, whether
        it counts as a match, and the reasons for every point. Names are compared without
        legal forms, case, punctuation or accents; abbreviations, known transliterations and
        aliases are folded; words common to many company names count little.
        """
        config = current_app.config
        limit = int(config["MATCH_MAX_ITEMS"])
        items = limited_batch(args["items"], limit, "supplychain screen suppliers")
        reference = get_reference(config)
        pairs = ((item["name"], item["country"]) for item in items)
        return {
            "results": list(screening.screen_suppliers(reference, config, pairs)),
            "model": screening.describe_model(reference, config),
        }
