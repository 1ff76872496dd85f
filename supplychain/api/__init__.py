"""The JSON API under /api/v1 (flask-smorest resources, OpenAPI generated)."""

from flask_smorest import Api


def register_api(api: Api) -> None:
    """Register every API blueprint."""
    from supplychain.api import (
        assessments,
        docs,
        matching,
        organisation,
        refdata,
        reports,
        screening,
        vendor_check,
    )

    api.register_blueprint(refdata.blp, url_prefix="/api/v1")
    api.register_blueprint(matching.blp, url_prefix="/api/v1")
    api.register_blueprint(screening.blp, url_prefix="/api/v1")
    api.register_blueprint(vendor_check.blp, url_prefix="/api/v1")
    api.register_blueprint(assessments.blp, url_prefix="/api/v1")
    api.register_blueprint(reports.blp, url_prefix="/api/v1")
    organisation.register(api)
    docs.register(api)
