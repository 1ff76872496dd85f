"""GET /api/v1/me: the organisation and role that a request's credentials act for."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Api, Blueprint
from marshmallow import Schema, fields

from supplychain.auth import BEARER_SCHEME, BEARER_SECURITY, require_org

blp = Blueprint("organisation", __name__, description="The organisation behind your credentials")


class OrganisationSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    slug = fields.String(required=True)


class MeSchema(Schema):
    organisation = fields.Nested(OrganisationSchema, required=True)
    role = fields.String(required=True, metadata={"enum": ["owner", "analyst", "viewer"]})
    via = fields.String(
        required=True, metadata={"enum": ["token", "session"], "description": "How you signed in"}
    )
    user_email = fields.String(allow_none=True)
    token_prefix = fields.String(allow_none=True)


@blp.route("/me")
class Me(MethodView):
    @blp.doc(security=BEARER_SECURITY)
    @blp.response(200, MeSchema)
    def get(self):
        """Check an API token: the organisation it acts for, and with which role.

        Answers 401 (problem+json) without a valid token or session.
        """
        principal = require_org()
        return {
            "organisation": principal.organisation,
            "role": principal.role,
            "via": "token" if principal.token else "session",
            "user_email": principal.user.email if principal.user else None,
            "token_prefix": principal.token.prefix if principal.token else None,
        }


def register(api: Api) -> None:
    """Attach the resource and declare the Bearer scheme in the OpenAPI document."""
    api.spec.components.security_scheme("bearerAuth", BEARER_SCHEME)
    api.register_blueprint(blp, url_prefix="/api/v1")
