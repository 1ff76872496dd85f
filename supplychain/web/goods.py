"""Pages of the goods at risk: the searchable list and one page per good."""

from flask import Blueprint, current_app, render_template, request

from supplychain.services import catalogue
from supplychain.services.refdata import get_reference

bp = Blueprint("goods", __name__)


def _arg(name: str) -> str | None:
    """Return a query argument, treating an empty form field as absent."""
    value = request.args.get(name, "").strip()
    return value or None


@bp.get("/goods")
def index() -> str:
    """List the goods of an edition, searchable and filtered by sector, flag and kind."""
    ref = get_reference(current_app.config)
    results = catalogue.search_goods(
        ref,
        q=_arg("q"),
        sector=_arg("sector"),
        flag=_arg("flag"),
        edition=request.args.get("edition", type=int),
        kind=_arg("kind") or "good",
    )
    return render_template(
        "goods/index.html",
        ref=ref,
        results=results,
        filters={name: _arg(name) or "" for name in ("q", "sector", "flag", "kind")},
        sectors=catalogue.sectors(ref),
        flag_labels=catalogue.FLAG_LABELS,
        editions=sorted(ref.editions, reverse=True),
    )


@bp.get("/goods/<good_id>")
def detail(good_id: str) -> str:
    """Show one good (or derived product) with its listings, relations and rules."""
    ref = get_reference(current_app.config)
    detail = catalogue.good_detail(ref, good_id)
    shown = request.args.get("edition", type=int)
    if shown not in detail.editions:
        shown = detail.editions[0] if detail.editions else None
    return render_template(
        "goods/detail.html",
        ref=ref,
        detail=detail,
        good=detail.good,
        shown_edition=shown,
        flag_labels=catalogue.FLAG_LABELS,
        derived_note=catalogue.DERIVED_NOTE,
    )
