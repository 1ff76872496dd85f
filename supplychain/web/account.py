"""The account page: your organisation and role; owners manage the organisation's API tokens."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import StringField
from wtforms.validators import InputRequired, Length

from supplychain.auth import require_org
from supplychain.extensions import db
from supplychain.models.accounts import ApiToken
from supplychain.services import tokens
from supplychain.services.access import Principal, get_scoped

bp = Blueprint("account", __name__)


class TokenForm(FlaskForm):
    name = StringField(
        "Token name",
        validators=[InputRequired("Give the token a name."), Length(max=100)],
        description="Say which system will use it, e.g. “ERP nightly export”.",
    )


class RevokeForm(FlaskForm):
    """Only its CSRF token."""


def _page(principal: Principal, form: TokenForm, new_secret: str | None = None) -> str:
    return render_template(
        "account/index.html",
        principal=principal,
        tokens=tokens.list_tokens(principal.organisation_id) if principal.can("owner") else [],
        form=form,
        new_secret=new_secret,
    )


@bp.get("/account")
@login_required
def index() -> str:
    """Show your organisation and role, and (to owners) the API tokens."""
    return _page(require_org(), TokenForm(formdata=None))


@bp.post("/account/tokens")
@login_required
def create_token() -> str | tuple[str, int]:
    """Make an API token and show its secret, this once."""
    principal = require_org("owner")
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(principal, form), 422
    _token, secret = tokens.create_token(
        principal.organisation_id, form.data["name"], created_by=principal.user
    )
    db.session.commit()
    # Rendered, not redirected: the secret must not travel through the (readable) session.
    return _page(principal, TokenForm(formdata=None), new_secret=secret), 201


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int) -> Response:
    """Revoke one of the organisation's API tokens."""
    principal = require_org("owner")
    token = get_scoped(ApiToken, token_id, principal.organisation_id)
    if RevokeForm().validate_on_submit():
        tokens.revoke_token(token, user_id=principal.user_id)
        db.session.commit()
        flash(f"Token “{token.name}” ({token.prefix}…) is revoked.", "info")
    return redirect(url_for("account.index"))
