"""Marshmallow schemas of the API's resources."""

from typing import Any

from marshmallow import Schema, fields, post_dump, validate

from supplychain.errors import InvalidInput
from supplychain.services.catalogue import FLAG_FIELDS, KINDS, listing_flags, trust_meaning

FLAG_DESCRIPTION = "One of " + ", ".join(FLAG_FIELDS) + "."


class SourceSchema(Schema):
    id = fields.String()
    publisher = fields.String()
    title = fields.String()
    edition = fields.String()
    published = fields.String()
    retrieved = fields.String()
    licence = fields.String()
    url = fields.String()
    trust = fields.String(metadata={"description": "A official ... D partial or possibly wrong"})
    optional = fields.Boolean()
    files = fields.List(fields.String())
    rows = fields.Integer()
    sha256 = fields.String()


class ReferenceVersionSchema(Schema):
    version = fields.String(metadata={"description": "release+digest, cited by every result"})
    release = fields.String()
    sources = fields.List(fields.Nested(SourceSchema))


class ProblemSchema(Schema):
    """An RFC 9457 problem document (application/problem+json), as every error answers."""

    type = fields.String()
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    instance = fields.String()
    errors = fields.Dict(metadata={"description": "field errors, when there are any"})


# Keyword arguments of `Blueprint.alt_response` for an error answer.
PROBLEM: dict[str, Any] = {"schema": ProblemSchema, "content_type": "application/problem+json"}
BATCH_PROBLEM: dict[str, Any] = {
    **PROBLEM,
    "description": "Invalid input, or more items than MATCH_MAX_ITEMS",
}


def limited_batch(items: list[Any], limit: int, command: str) -> list[Any]:
    """Return a batch request's items, refusing more than `limit` (MATCH_MAX_ITEMS)."""
    if len(items) > limit:
        raise InvalidInput(
            f"At most {limit} items per call (MATCH_MAX_ITEMS); {len(items)} were sent. "
            f"Split the list, or use `{command}` for large files.",
            errors={"items": [f"Longer than the limit of {limit}."]},
        )
    return items


class PageSchema(Schema):
    """The paging fields of a list answer; each list adds its `items`."""

    total = fields.Integer(metadata={"description": "items in all pages"})
    page = fields.Integer()
    per_page = fields.Integer()


# Query arguments


class PageArgsSchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


class GoodsQuerySchema(PageArgsSchema):
    q = fields.String(
        metadata={"description": "Name, English or French alias (substring), or HS code prefix"}
    )
    sector = fields.String(metadata={"description": "Agriculture, Manufacturing, Mining, Other"})
    flag = fields.String(
        validate=validate.OneOf(tuple(FLAG_FIELDS)), metadata={"description": FLAG_DESCRIPTION}
    )
    edition = fields.Integer(metadata={"description": "ILAB edition year; default the latest"})
    kind = fields.String(
        load_default="good",
        validate=validate.OneOf(KINDS),
        metadata={"description": "good (on the ILAB list) or derived (made from listed goods)"},
    )


class CountriesQuerySchema(PageArgsSchema):
    q = fields.String(metadata={"description": "Name, alias (substring) or ISO code"})
    region = fields.String(metadata={"description": "UN M49 region, e.g. Africa"})


class EditionQuerySchema(Schema):
    edition = fields.Integer(metadata={"description": "ILAB edition year; default the latest"})


# Goods


class GoodRefSchema(Schema):
    id = fields.String()
    name = fields.String()
    kind = fields.String()


class ListingSchema(Schema):
    edition = fields.Integer()
    row = fields.Integer()
    citation = fields.String(metadata={"description": 'e.g. "ILAB TVPRA 2022, row 97"'})
    source_id = fields.String()
    good_id = fields.String()
    good_name = fields.String(metadata={"description": "as ILAB spelled it in this edition"})
    country_iso3 = fields.String()
    country_as_published = fields.String()
    flags = fields.Function(
        listing_flags,
        metadata={"description": FLAG_DESCRIPTION, "type": "array", "items": {"type": "string"}},
    )
    child_labour = fields.Boolean()
    forced_labour = fields.Boolean()
    forced_child_labour = fields.Boolean()
    downstream = fields.Boolean()
    input_good_id = fields.String(allow_none=True)
    input_country_iso3 = fields.String(allow_none=True)


class GoodSummarySchema(Schema):
    id = fields.String(attribute="good.id")
    name = fields.String(attribute="good.name")
    kind = fields.String(attribute="good.kind")
    sector = fields.String(attribute="good.sector")
    hs = fields.List(fields.String(), attribute="good.hs")
    edition = fields.Integer(allow_none=True, metadata={"description": "null for derived"})
    country_count = fields.Integer()
    countries = fields.List(fields.String())
    flags = fields.List(fields.String(), metadata={"description": FLAG_DESCRIPTION})


class GoodsPageSchema(PageSchema):
    items = fields.List(fields.Nested(GoodSummarySchema))


class ProductPlaceRuleSchema(Schema):
    rule_id = fields.String()
    list = fields.String()
    good_id = fields.String()
    country_iso3 = fields.String()
    area = fields.String()
    description = fields.String()
    effective_date = fields.Date(allow_none=True)
    action_type = fields.String()
    source_row = fields.Integer()


class GoodDetailSchema(Schema):
    id = fields.String(attribute="good.id")
    name = fields.String(attribute="good.name", metadata={"description": "as ILAB spells it"})
    kind = fields.String(attribute="good.kind")
    sector = fields.String(attribute="good.sector")
    description = fields.String(attribute="good.description")
    editions = fields.List(fields.Integer())
    listings = fields.List(fields.Nested(ListingSchema))
    aliases = fields.List(fields.String(), attribute="good.aliases")
    aliases_fr = fields.List(fields.String(), attribute="good.aliases_fr")
    hs = fields.List(fields.String(), attribute="good.hs")
    inputs = fields.List(fields.Nested(GoodRefSchema))
    made_into = fields.List(fields.Nested(GoodRefSchema))
    broader = fields.List(
        fields.Nested(GoodRefSchema),
        metadata={
            "description": "listed goods this good is a kind of, nearest first; their listings "
            "apply where this good is not listed"
        },
    )
    narrower = fields.List(
        fields.Nested(GoodRefSchema), metadata={"description": "listed goods that are kinds of it"}
    )
    rules = fields.List(fields.Nested(ProductPlaceRuleSchema))


# Countries


class CountrySchema(Schema):
    iso2 = fields.String()
    iso3 = fields.String()
    numeric = fields.String()
    name_en = fields.String()
    name_fr = fields.String()
    official_en = fields.String()
    official_fr = fields.String()
    region = fields.String()
    sub_region = fields.String()


class TipSchema(Schema):
    tier = fields.String()
    report_year = fields.Integer()
    country_as_published = fields.String()


class FindingsSchema(Schema):
    advancement_level = fields.String()
    advancement_rank = fields.String()
    complicit_in_forced_child_labour = fields.Boolean()
    working_children_age_range = fields.String()
    working_children_pct = fields.Float(
        allow_none=True, metadata={"description": "a fraction (0.25 is 25%)"}
    )
    c138_ratified = fields.Boolean(allow_none=True)
    c182_ratified = fields.Boolean(allow_none=True)
    palermo_ratified = fields.Boolean(allow_none=True)
    country_as_published = fields.String()


class CountrySummarySchema(Schema):
    iso2 = fields.String(attribute="country.iso2")
    iso3 = fields.String(attribute="country.iso3")
    numeric = fields.String(attribute="country.numeric")
    name_en = fields.String(attribute="country.name_en")
    name_fr = fields.String(attribute="country.name_fr")
    region = fields.String(attribute="country.region")
    listed_goods = fields.Integer(metadata={"description": "goods on the latest ILAB edition"})
    tip_tier = fields.String(allow_none=True)
    tip_report_year = fields.Integer(allow_none=True)
    advancement_level = fields.String()
    enforcement_entries = fields.Integer()


class CountriesPageSchema(PageSchema):
    items = fields.List(fields.Nested(CountrySummarySchema))


class CountryAliasSchema(Schema):
    alias = fields.String()
    lang = fields.String()
    kind = fields.String()


class EntitySchema(Schema):
    entity_id = fields.String()
    list = fields.String()
    name = fields.String()
    aliases = fields.List(fields.String())
    country_iso3 = fields.String()
    industry = fields.String()
    effective_date = fields.Date(allow_none=True)
    action_type = fields.String()
    basis = fields.String()
    source_row = fields.Integer()


class SlaveryEstimateSchema(Schema):
    prevalence_per_1000 = fields.Float(allow_none=True)
    people_in_modern_slavery = fields.Integer(allow_none=True)
    vulnerability_score = fields.Float(allow_none=True)
    government_response_score = fields.Float(allow_none=True)
    country_as_published = fields.String()


class SlaveryLayerSchema(Schema):
    source_id = fields.String(attribute="source.id")
    title = fields.String(attribute="source.title")
    licence = fields.String(attribute="source.licence")
    estimate = fields.Nested(SlaveryEstimateSchema, allow_none=True)


class CountryDetailSchema(Schema):
    country = fields.Nested(CountrySchema)
    aliases = fields.List(fields.Nested(CountryAliasSchema))
    edition = fields.Integer(metadata={"description": "the ILAB edition of `listings`"})
    editions = fields.List(fields.Integer())
    listings = fields.List(fields.Nested(ListingSchema))
    input_listings = fields.List(
        fields.Nested(ListingSchema),
        metadata={"description": "downstream rows elsewhere whose listed input comes from here"},
    )
    tip = fields.Nested(TipSchema, allow_none=True)
    findings = fields.Nested(FindingsSchema, allow_none=True)
    entities = fields.List(fields.Nested(EntitySchema))
    rules = fields.List(fields.Nested(ProductPlaceRuleSchema))
    slavery = fields.Nested(
        SlaveryLayerSchema,
        metadata={"description": "Walk Free GSI; present only when the optional layer is on"},
    )

    @post_dump
    def drop_disabled_layer(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        """Leave the optional layer out entirely when it is off, rather than answer null."""
        if data.get("slavery") is None:
            data.pop("slavery", None)
        return data


# Enforcement lists


class EnforcementListSchema(Schema):
    id = fields.String(metadata={"description": "cbp-wro or uflpa"})
    source_id = fields.String()
    title = fields.String()
    trust = fields.String()
    trust_meaning = fields.String()
    notes = fields.String(metadata={"description": "caveats a user should know"})
    entity_count = fields.Integer()
    entities = fields.List(fields.Nested(EntitySchema))


class RulesSourceSchema(Schema):
    id = fields.String()
    title = fields.String()
    trust = fields.String()
    trust_meaning = fields.Function(
        lambda source: trust_meaning(source.trust), metadata={"type": "string"}
    )
    notes = fields.String()


class EnforcementOverviewSchema(Schema):
    lists = fields.List(fields.Nested(EnforcementListSchema))
    rules = fields.List(fields.Nested(ProductPlaceRuleSchema))
    rules_source = fields.Nested(RulesSourceSchema, allow_none=True)
