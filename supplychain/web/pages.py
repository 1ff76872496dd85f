"""General pages: home and about."""

from flask import Blueprint, current_app, render_template

from reference_data.loader import OPTIONAL_LAYERS
from supplychain.services import catalogue
from supplychain.services.refdata import get_reference, optional_layers

bp = Blueprint("pages", __name__)


@bp.get("/")
def home() -> str:
    """Show what the service does and where to start."""
    return render_template("home.html")


@bp.get("/about")
def about() -> str:
    """Show every source behind the reference data, and how the version is built."""
    ref = get_reference(current_app.config)
    enabled = optional_layers(current_app.config)
    return render_template(
        "about.html",
        ref=ref,
        sources=catalogue.manifest_sources(ref),
        trust_meanings=catalogue.TRUST_MEANINGS,
        version_rule=catalogue.VERSION_RULE,
        layers=[(name, name in enabled) for name in sorted(OPTIONAL_LAYERS)],
    )
