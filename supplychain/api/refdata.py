"""Read-only API over the reference data: goods, countries, enforcement lists, version."""

from collections.abc import Sequence
from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from supplychain.api.schemas import (
    PROBLEM,
    CountriesPageSchema,
    CountriesQuerySchema,
    CountryDetailSchema,
    EditionQuerySchema,
    EnforcementOverviewSchema,
    GoodDetailSchema,
    GoodsPageSchema,
    GoodsQuerySchema,
    ReferenceVersionSchema,
)
from supplychain.services import catalogue
from supplychain.services.refdata import get_reference

blp = Blueprint("refdata", __name__, description="Reference data (public, read-only)")


def page_of(items: Sequence[Any], page: int, per_page: int) -> dict[str, Any]:
    """Cut one page out of a full result, with the total so clients can page on."""
    start = (page - 1) * per_page
    return {
        "items": items[start : start + per_page],
        "total": len(items),
        "page": page,
        "per_page": per_page,
    }


@blp.route("/refdata/version")
class ReferenceVersion(MethodView):
    @blp.response(200, ReferenceVersionSchema)
    def get(self) -> dict[str, Any]:
        """The reference-data version every result cites, with its sources."""
        reference = get_reference(current_app.config)
        return {
            "version": reference.version,
            "release": reference.release,
            "sources": reference.sources,
        }


@blp.route("/goods")
class Goods(MethodView):
    @blp.arguments(GoodsQuerySchema, location="query")
    @blp.response(200, GoodsPageSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Goods on an ILAB edition (latest by default) or derived products, filtered, by name.

        Search `q` matches the name, English and French aliases, or an HS code prefix.
        """
        results = catalogue.search_goods(
            get_reference(current_app.config),
            q=args.get("q"),
            sector=args.get("sector"),
            flag=args.get("flag"),
            edition=args.get("edition"),
            kind=args["kind"],
        )
        return page_of(results.items, args["page"], args["per_page"])


@blp.route("/goods/<good_id>")
class GoodDetail(MethodView):
    @blp.response(200, GoodDetailSchema)
    @blp.alt_response(404, **PROBLEM, description="Unknown id")
    def get(self, good_id: str) -> catalogue.GoodDetail:
        """One good or derived product: listings, aliases, HS codes, inputs, broader goods."""
        return catalogue.good_detail(get_reference(current_app.config), good_id)


@blp.route("/countries")
class Countries(MethodView):
    @blp.arguments(CountriesQuerySchema, location="query")
    @blp.response(200, CountriesPageSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Countries by English name, filtered by name, alias or code (`q`) and region."""
        items = catalogue.search_countries(
            get_reference(current_app.config), q=args.get("q"), region=args.get("region")
        )
        return page_of(items, args["page"], args["per_page"])


@blp.route("/countries/<iso3>")
class CountryDetail(MethodView):
    @blp.arguments(EditionQuerySchema, location="query")
    @blp.response(200, CountryDetailSchema)
    @blp.alt_response(404, **PROBLEM, description="Unknown code")
    def get(self, args: dict[str, Any], iso3: str) -> catalogue.CountryDetail:
        """One country (ISO alpha-3, any case): listings, TIP tier, findings, enforcement.

        Walk Free figures (`slavery`) appear only when that optional layer is switched on.
        """
        return catalogue.country_detail(
            get_reference(current_app.config), iso3, edition=args.get("edition")
        )


@blp.route("/lists")
class EnforcementLists(MethodView):
    @blp.response(200, EnforcementOverviewSchema)
    def get(self) -> catalogue.EnforcementOverview:
        """Enforcement lists with trust level, caveats and entities, and product-place rules."""
        return catalogue.enforcement_lists(get_reference(current_app.config))
