"""Organisations and users: creating them, logging in, and resetting passwords."""

from __future__ import annotations

import hmac
import re
import unicodedata
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from itsdangerous import BadSignature, URLSafeTimedSerializer

from supplychain.errors import Conflict, InvalidInput, NotFound
from supplychain.extensions import db
from supplychain.models.accounts import ROLES, Organisation, User, normalise_email
from supplychain.models.refdata import utcnow
from supplychain.services import audit
from supplychain.services.mail import Mailer, Message
from supplychain.services.passwords import hash_password, needs_rehash, verify_password

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+$")
RESET_SALT = "supplychain.password-reset"


def slugify(name: str) -> str:
    """Turn an organisation name into a short, URL- and command-line-friendly key."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:64] or "organisation"


def email_problem(email: str) -> str | None:
    """Return why an e-mail address is refused, or None when it looks deliverable."""
    email = normalise_email(email)
    if not EMAIL_PATTERN.match(email) or len(email) > 254:
        return "Enter an e-mail address like name@example.com."
    return None


# Organisations ------------------------------------------------------------------------------


def create_organisation(name: str) -> Organisation:
    """Add an organisation; its slug is derived from the name."""
    name = " ".join(name.split())
    if not name:
        raise InvalidInput("An organisation needs a name.", errors={"name": ["Required."]})
    slug = slugify(name)
    clash = db.session.scalar(
        sa.select(Organisation).where(sa.or_(Organisation.name == name, Organisation.slug == slug))
    )
    if clash is not None:
        raise Conflict(f"An organisation named {clash.name!r} (slug {clash.slug}) exists.")
    organisation = Organisation(name=name, slug=slug)
    db.session.add(organisation)
    db.session.flush()
    audit.record(audit.ORGANISATION_CREATED, organisation_id=organisation.id, target=organisation)
    return organisation


def find_organisation(ref: str) -> Organisation:
    """Return the organisation with this slug or exact name."""
    organisation = db.session.scalar(
        sa.select(Organisation).where(sa.or_(Organisation.slug == ref, Organisation.name == ref))
    )
    if organisation is None:
        raise NotFound(f"No organisation with slug or name {ref!r}.")
    return organisation


# Users --------------------------------------------------------------------------------------


def find_user(email: str) -> User | None:
    """Return the user with this e-mail address (any case), active or not."""
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def create_user(
    organisation: Organisation,
    email: str,
    password: str,
    role: str,
    *,
    created_by: User | None = None,
) -> User:
    """Add a person to an organisation with a role and a password that meets the policy."""
    problem = email_problem(email)
    if problem:
        raise InvalidInput(problem, errors={"email": [problem]})
    if role not in ROLES:
        raise InvalidInput(f"Role must be one of {', '.join(ROLES)}.", errors={"role": [role]})
    if find_user(email) is not None:
        raise Conflict(f"A user with e-mail {normalise_email(email)} exists.")
    user = User(
        email=email,
        password_hash=hash_password(password),
        organisation=organisation,
        role=role,
        active=True,
    )
    db.session.add(user)
    db.session.flush()
    audit.record(
        audit.USER_CREATED,
        organisation_id=organisation.id,
        user_id=created_by.id if created_by else None,
        target=user,
        detail={"email": user.email, "role": role},
    )
    return user


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with this e-mail and password, or None.

    Unknown address, wrong password and inactive account all answer None, and take the same
    time (a password is verified in every case), so nobody can learn who has an account.
    """
    user = find_user(email)
    if not verify_password(user.password_hash if user else None, password):
        if user is not None:
            audit.record(audit.LOGIN_FAILED, organisation_id=user.organisation_id, user_id=user.id)
        return None
    assert user is not None  # verify_password is False without a hash
    if not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def record_login(user: User, detail: dict[str, Any] | None = None) -> None:
    """Note a successful login on the user and in the audit trail."""
    user.last_login_at = utcnow()
    audit.record(audit.LOGIN, organisation_id=user.organisation_id, user_id=user.id, detail=detail)


def record_logout(user: User) -> None:
    """Note a logout in the audit trail."""
    audit.record(audit.LOGOUT, organisation_id=user.organisation_id, user_id=user.id)


def set_password(user: User, password: str) -> None:
    """Give the user a new password; sessions and reset links made before stop working."""
    user.password_hash = hash_password(password)
    db.session.flush()


# Password reset -----------------------------------------------------------------------------


def _reset_serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=RESET_SALT)


def make_reset_token(user: User, secret_key: str) -> str:
    """Sign a reset token that dies with the current password (so it works once) or with age."""
    return _reset_serializer(secret_key).dumps({"u": user.id, "p": user.password_fingerprint})


def user_for_reset_token(token: str, secret_key: str, max_age: int) -> User | None:
    """Return the active user a reset token was made for, or None if it is invalid or spent."""
    try:
        payload = _reset_serializer(secret_key).loads(token, max_age=max_age)
    except BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        return None
    user = db.session.get(User, payload["u"])
    if user is None or not user.active:
        return None
    if not hmac.compare_digest(str(payload.get("p", "")), user.password_fingerprint):
        return None  # the password changed since: the token was used or is stale
    return user


def request_password_reset(
    email: str,
    *,
    secret_key: str,
    max_age: int,
    link_for: Callable[[str], str],
    mailer: Mailer,
) -> None:
    """Mail a reset link to an active user with this address; do nothing for anyone else.

    The caller answers the same whether or not a mail was sent.
    """
    user = find_user(email)
    if user is None or not user.active:
        return
    link = link_for(make_reset_token(user, secret_key))
    minutes = max_age // 60
    mailer.send(
        Message(
            to=user.email,
            subject="Reset your password",
            body=(
                "Someone (we hope you) asked to reset the password of your account on the "
                "supply chain labour risk service.\n\n"
                f"Choose a new password here within {minutes} minutes:\n\n{link}\n\n"
                "The link works once. If you did not ask for it, ignore this message: your "
                "password stays as it is.\n"
            ),
        )
    )
    audit.record(
        audit.PASSWORD_RESET_REQUESTED, organisation_id=user.organisation_id, user_id=user.id
    )


def reset_password(user: User, password: str) -> None:
    """Set the new password chosen through a reset link."""
    set_password(user, password)
    audit.record(audit.PASSWORD_RESET, organisation_id=user.organisation_id, user_id=user.id)
