"""Logging in and out, and resetting a forgotten password."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import EmailField, PasswordField, ValidationError
from wtforms.validators import EqualTo, InputRequired, Length

from supplychain.extensions import db, limiter
from supplychain.models.accounts import normalise_email
from supplychain.services import accounts
from supplychain.services.mail import get_mailer
from supplychain.services.passwords import MIN_PASSWORD_LENGTH, password_problem

bp = Blueprint("auth", __name__)

LOGIN_FAILED = "The e-mail address or the password is not right."
RESET_SENT = (
    "If an account uses that address, we have sent it a link to choose a new password. "
    "Check your e-mail (and the spam folder)."
)


def _meets_policy(_form: FlaskForm, field: PasswordField) -> None:
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


class LoginForm(FlaskForm):
    email = EmailField(
        "E-mail address",
        validators=[InputRequired("Enter your e-mail address."), Length(max=254)],
    )
    password = PasswordField("Password", validators=[InputRequired("Enter your password.")])


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        "E-mail address",
        validators=[InputRequired("Enter your e-mail address."), Length(max=254)],
        description="We send a link to choose a new password to this address.",
    )


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        "New password",
        validators=[InputRequired("Choose a new password."), _meets_policy],
        description=f"At least {MIN_PASSWORD_LENGTH} characters. A few words you will "
        "remember make a good one.",
    )
    confirm = PasswordField(
        "Repeat the new password",
        validators=[
            InputRequired("Type the new password again."),
            EqualTo("password", message="The two passwords differ."),
        ],
    )


class LogoutForm(FlaskForm):
    """Only its CSRF token: logging out is a POST so another site cannot do it for you."""


def _attempt_key() -> str:
    """Count attempts per client address and e-mail address."""
    return f"{get_remote_address()}|{normalise_email(request.form.get('email', ''))}"


attempt_limit = limiter.limit(
    lambda: current_app.config["LOGIN_RATE_LIMIT"],
    key_func=_attempt_key,
    methods=["POST"],
    error_message="Too many attempts. Wait a few minutes, then try again.",
)


def _safe_next(target: str | None) -> str | None:
    """Keep only a local path, so the login form cannot send anyone to another site."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
@attempt_limit
def login() -> str | Response:
    """Log in with e-mail address and password."""
    if current_user.is_authenticated and request.method == "GET":
        return redirect(url_for("account.index"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data or "", form.password.data or "")
        if user is None:
            db.session.commit()  # keep the audit trail of failed attempts on known accounts
            error = LOGIN_FAILED
        else:
            session.clear()  # start a fresh session: nothing from before the login carries over
            login_user(user)
            accounts.record_login(user)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")) or url_for("account.index"))
    return render_template("auth/login.html", form=form, error=error)


@bp.route("/logout", methods=["GET", "POST"])
@login_required
def logout() -> str | Response:
    """Ask to confirm (GET), then log out (POST)."""
    form = LogoutForm()
    if not form.validate_on_submit():
        return render_template("auth/logout.html", form=form)
    accounts.record_logout(current_user._get_current_object())
    db.session.commit()
    logout_user()
    session.clear()
    flash("You are logged out.", "info")
    return redirect(url_for("pages.home"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@attempt_limit
def forgot_password() -> str | Response:
    """Ask for a password reset link by e-mail."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        config = current_app.config
        accounts.request_password_reset(
            form.email.data or "",
            secret_key=config["SECRET_KEY"],
            max_age=config["PASSWORD_RESET_MAX_AGE"],
            link_for=_reset_link,
            mailer=get_mailer(config),
        )
        db.session.commit()
        flash(RESET_SENT, "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form)


def _reset_link(token: str) -> str:
    """Build the absolute link for a mail; PUBLIC_URL, when set, keeps a forged Host out."""
    base = current_app.config["PUBLIC_URL"]
    if base:
        return base.rstrip("/") + url_for("auth.reset_password", token=token)
    return url_for("auth.reset_password", token=token, _external=True)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@attempt_limit
def reset_password(token: str) -> str | Response | tuple[str, int]:
    """Choose a new password through the link sent by e-mail."""
    config = current_app.config
    user = accounts.user_for_reset_token(
        token, config["SECRET_KEY"], config["PASSWORD_RESET_MAX_AGE"]
    )
    if user is None:
        return render_template("auth/reset_invalid.html"), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        accounts.reset_password(user, form.password.data or "")
        db.session.commit()
        if current_user.is_authenticated:
            logout_user()
        session.clear()
        flash("Your password is changed. Log in with it.", "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form, token=token)
