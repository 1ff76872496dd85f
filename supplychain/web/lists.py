"""The enforcement lists page: entities per list, with trust and caveats, and the rules."""

from flask import Blueprint, current_app, render_template

from supplychain.services import catalogue
from supplychain.services.refdata import get_reference

bp = Blueprint("lists", __name__)


@bp.get("/lists")
def index() -> str:
    """Show both enforcement lists and the product-place rules."""
    ref = get_reference(current_app.config)
    return render_template(
        "lists/index.html",
        ref=ref,
        overview=catalogue.enforcement_lists(ref),
        trust_meaning=catalogue.trust_meaning,
    )
