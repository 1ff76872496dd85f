"""An API documentation page served from the installed Swagger UI bundle (no CDN)."""

from pathlib import Path

import swagger_ui_bundle
from flask import Blueprint, render_template, send_from_directory, url_for
from flask_smorest import Api

SWAGGER_DIR = Path(swagger_ui_bundle.swagger_ui_path)

docs_blp = Blueprint("api_docs", __name__)


@docs_blp.get("/api/v1/docs")
def swagger_page() -> str:
    """Show the interactive API documentation."""
    return render_template("api_docs.html", spec_url=url_for("api-docs.openapi_json"))


@docs_blp.get("/api/v1/docs/static/<path:filename>")
def swagger_static(filename: str):
    """Serve Swagger UI's own files from the installed package."""
    return send_from_directory(SWAGGER_DIR, filename, max_age=86400)


def register(api: Api) -> None:
    """Attach the docs page to the app that `api` is bound to."""
    api._app.register_blueprint(docs_blp)
