"""General pages: home and about."""

from flask import Blueprint, render_template

bp = Blueprint("pages", __name__)


@bp.get("/")
def home() -> str:
    """Show what the service does and where to start."""
    return render_template("home.html")
