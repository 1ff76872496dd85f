"""The JSON API under /api/v1 (flask-smorest resources, OpenAPI generated)."""

from flask_smorest import Api


def register_api(api: Api) -> None:
    """Register every API blueprint."""
    from supplychain.api import docs, refdata

    api.register_blueprint(refdata.blp, url_prefix="/api/v1")
    docs.register(api)
