"""The "Check a vendor" page: a procurement officer's answer in seconds."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from supplychain.errors import InvalidInput
from supplychain.services.refdata import get_reference
from supplychain.services.vendor_check import check_vendor

bp = Blueprint("vendor_check", __name__)

BAND_CLASS = {"Low": "band-low", "Medium": "band-medium", "High": "band-high",
              "Critical": "band-critical"}  # fmt: skip


@bp.get("/vendor-check")
def index() -> str:
    """Show the form and, once a name is given, the result card.

    The check changes nothing, so the form uses GET: a result can be bookmarked or shared.
    """
    name = request.args.get("name", "").strip()
    country = request.args.get("country", "").strip()
    products_text = request.args.get("products", "")
    products = [line.strip() for line in products_text.splitlines() if line.strip()]
    result, error = None, None
    if "name" in request.args:
        try:
            result = check_vendor(
                get_reference(current_app.config), current_app.config, name, country, products
            )
        except InvalidInput as exc:
            error = exc.detail
    return render_template(
        "vendor_check.html",
        name=name,
        country=country,
        products_text=products_text,
        result=result,
        error=error,
        band_class=BAND_CLASS,
    )
