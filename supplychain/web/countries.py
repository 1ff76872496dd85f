"""Pages of the countries: the searchable index and one profile per country."""

from flask import Blueprint, current_app, render_template, request

from supplychain.services import catalogue
from supplychain.services.refdata import get_reference

bp = Blueprint("countries", __name__)


@bp.get("/countries")
def index() -> str:
    """List countries with their listed goods, TIP tier, findings level and enforcement count."""
    ref = get_reference(current_app.config)
    q = request.args.get("q", "").strip()
    region = request.args.get("region", "").strip()
    return render_template(
        "countries/index.html",
        ref=ref,
        items=catalogue.search_countries(ref, q=q or None, region=region or None),
        filters={"q": q, "region": region},
        regions=catalogue.regions(ref),
        edition=ref.latest_edition,
    )


@bp.get("/countries/<iso3>")
def detail(iso3: str) -> str:
    """Show one country's profile (an edition of the ILAB list, the latest by default)."""
    ref = get_reference(current_app.config)
    detail = catalogue.country_detail(ref, iso3, edition=request.args.get("edition", type=int))
    return render_template(
        "countries/detail.html",
        ref=ref,
        detail=detail,
        country=detail.country,
        flag_labels=catalogue.FLAG_LABELS,
        trust_meaning=catalogue.trust_meaning,
    )
