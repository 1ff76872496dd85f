"""POST /api/v1/vendor-check: one supplier's exposure in seconds."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from supplychain.api.matching import CountryResultSchema, GoodsResultSchema
from supplychain.api.schemas import PROBLEM
from supplychain.api.screening import ScreeningHitSchema
from supplychain.services.refdata import get_reference
from supplychain.services.vendor_check import MAX_PRODUCTS, check_vendor

blp = Blueprint(
    "vendor_check_api", __name__, description="Check one vendor: exposure, matches and questions"
)


class VendorCheckRequestSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=500))
    country = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=200),
        metadata={"description": "any common way to write the country of origin"},
    )
    products = fields.List(
        fields.String(validate=validate.Length(max=1000)),
        load_default=list,
        validate=validate.Length(max=MAX_PRODUCTS),
        metadata={"description": "product descriptions or HS codes"},
    )


class ExposureSchema(Schema):
    score = fields.Float(metadata={"description": "0-100"})
    band = fields.String(metadata={"description": "Low, Medium, High or Critical"})
    confidence = fields.Float(metadata={"description": "0-1: how sure the matches are"})


class VendorExposureSchema(ExposureSchema):
    product = fields.String(
        allow_none=True, metadata={"description": "the product that sets this exposure"}
    )


class SourceRefSchema(Schema):
    dataset = fields.String(metadata={"description": "manifest id of the dataset"})
    edition = fields.String()
    identifier = fields.String(metadata={"description": "row or entry in that dataset"})


class FactorSchema(Schema):
    kind = fields.String(metadata={"description": "see docs/methodology.md"})
    dimension = fields.String(metadata={"description": "forced_labour or child_labour"})
    contribution = fields.Float(metadata={"description": "points this factor adds"})
    detail = fields.String()
    source = fields.Nested(SourceRefSchema, allow_none=True)
    product = fields.String(allow_none=True)


class ProductExposureSchema(Schema):
    query = fields.String()
    forced_labour = fields.Nested(ExposureSchema)
    child_labour = fields.Nested(ExposureSchema)
    insufficient_data = fields.Boolean()


class MatchesSchema(Schema):
    goods = fields.List(fields.Nested(GoodsResultSchema))
    country = fields.Nested(CountryResultSchema, allow_none=True)
    suppliers = fields.List(fields.Nested(ScreeningHitSchema))


class QuestionSchema(Schema):
    factor = fields.String()
    question = fields.String()


class ModelSchema(Schema):
    name = fields.String()
    profile = fields.String()
    reference_version = fields.String()
    parameters = fields.Dict(metadata={"description": "every weight and threshold used"})


class VendorCheckSchema(Schema):
    forced_labour = fields.Nested(VendorExposureSchema)
    child_labour = fields.Nested(VendorExposureSchema)
    insufficient_data = fields.Boolean()
    factors = fields.List(fields.Nested(FactorSchema))
    products = fields.List(fields.Nested(ProductExposureSchema))
    matches = fields.Nested(MatchesSchema)
    questions = fields.List(fields.Nested(QuestionSchema))
    model = fields.Nested(ModelSchema)


@blp.route("/vendor-check")
class VendorCheck(MethodView):
    @blp.arguments(VendorCheckRequestSchema)
    @blp.response(200, VendorCheckSchema)
    @blp.alt_response(422, **PROBLEM)
    def post(self, args: dict[str, Any]) -> dict[str, Any]:
        """Score one vendor's forced- and child-labour exposure.

        The answer gives both exposures with band and confidence, every factor with its
        source, the matched goods, country and enforcement-list entries, and the questions
        to ask the vendor next.
        """
        return check_vendor(
            get_reference(current_app.config),
            current_app.config,
            args["name"],
            args["country"],
            args["products"],
        )
