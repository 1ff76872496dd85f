"""POST /api/v1/match/goods and /api/v1/match/countries."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from supplychain.api.schemas import BATCH_PROBLEM, limited_batch
from supplychain.services import matching
from supplychain.services.refdata import get_reference

blp = Blueprint("matching", __name__, description="Match products and countries to reference data")

MAX_QUERY_LENGTH = 1_000


class MatchRequestSchema(Schema):
    items = fields.List(
        fields.String(validate=validate.Length(max=MAX_QUERY_LENGTH)),
        required=True,
        metadata={
            "description": "The strings to match, in order; at most MATCH_MAX_ITEMS "
            "(10,000 by default) per call. Empty strings are allowed and match nothing."
        },
    )


class FeatureSchema(Schema):
    feature = fields.String(metadata={"description": "name of the signal"})
    explanation = fields.String(metadata={"description": "what the signal means, for people"})
    detail = fields.String(metadata={"description": "what it found in this query"})
    score = fields.Float(metadata={"description": "points it added (or took away, if < 0)"})
    query_value = fields.String()
    reference_value = fields.String()


class CandidateSchema(Schema):
    id = fields.String(metadata={"description": "good id, or ISO alpha-3 for countries"})
    name = fields.String()
    score = fields.Float(metadata={"description": "0-100"})


class GoodMatchSchema(Schema):
    id = fields.String()
    name = fields.String(metadata={"description": "the good exactly as ILAB spells it"})
    score = fields.Float()
    method = fields.String(metadata={"description": "code, exact, alias or fuzzy"})


class NamedSchema(Schema):
    id = fields.String()
    name = fields.String()


class DerivedSchema(Schema):
    id = fields.String()
    name = fields.String()
    inputs = fields.List(
        fields.Nested(NamedSchema), metadata={"description": "listed goods it is made from"}
    )


DECISION = fields.String(
    validate=validate.OneOf(["accepted", "review", "none"]),
    metadata={"description": "accepted, review (a person should confirm) or none"},
)


class GoodsResultSchema(Schema):
    query = fields.String()
    decision = DECISION
    match = fields.Nested(GoodMatchSchema, allow_none=True)
    candidates = fields.List(fields.Nested(CandidateSchema))
    explanation = fields.List(fields.Nested(FeatureSchema))
    derived = fields.Nested(
        DerivedSchema,
        allow_none=True,
        metadata={"description": "a product made from listed goods (not itself listed)"},
    )


class CountryMatchSchema(Schema):
    iso2 = fields.String()
    iso3 = fields.String()
    name = fields.String()
    score = fields.Float()
    method = fields.String(metadata={"description": "code, exact, alias, place or fuzzy"})


class CountryResultSchema(Schema):
    query = fields.String()
    decision = DECISION
    match = fields.Nested(CountryMatchSchema, allow_none=True)
    candidates = fields.List(fields.Nested(CandidateSchema))
    explanation = fields.List(fields.Nested(FeatureSchema))


class GoodsResultsSchema(Schema):
    results = fields.List(fields.Nested(GoodsResultSchema))


class CountryResultsSchema(Schema):
    results = fields.List(fields.Nested(CountryResultSchema))


def _items(args: dict[str, Any]) -> list[str]:
    limit = int(current_app.config["MATCH_MAX_ITEMS"])
    return limited_batch(args["items"], limit, "supplychain match")


@blp.route("/match/goods")
class MatchGoods(MethodView):
    @blp.arguments(MatchRequestSchema)
    @blp.response(200, GoodsResultsSchema)
    @blp.alt_response(422, **BATCH_PROBLEM)
    def post(self, args: dict[str, Any]) -> dict[str, Any]:
        """Match product descriptions or HS codes to goods on the ILAB list.

        Each result has a decision (accepted, review, none), the matched good, the top
        candidates with scores, the features that explain the score, and the derived
        product (chocolate, tyres...) when the text names something made from listed goods.
        """
        reference = get_reference(current_app.config)
        items = _items(args)
        return {"results": list(matching.match_goods(reference, current_app.config, items))}


@blp.route("/match/countries")
class MatchCountries(MethodView):
    @blp.arguments(MatchRequestSchema)
    @blp.response(200, CountryResultsSchema)
    @blp.alt_response(422, **BATCH_PROBLEM)
    def post(self, args: dict[str, Any]) -> dict[str, Any]:
        """Match country strings (codes, names in English or French, places) to ISO 3166."""
        reference = get_reference(current_app.config)
        items = _items(args)
        return {"results": list(matching.match_countries(reference, current_app.config, items))}
