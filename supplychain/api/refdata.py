"""Read-only API over the reference data: goods, countries, enforcement lists, version."""

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from supplychain.api.schemas import ReferenceVersionSchema
from supplychain.services.refdata import get_reference

blp = Blueprint("refdata", __name__, description="Reference data (public, read-only)")


@blp.route("/refdata/version")
class ReferenceVersion(MethodView):
    @blp.response(200, ReferenceVersionSchema)
    def get(self):
        """The reference-data version every result cites, with its sources."""
        reference = get_reference(current_app.config)
        return {
            "version": reference.version,
            "release": reference.release,
            "sources": reference.sources,
        }
