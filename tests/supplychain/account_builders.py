"""Tiny builders for organisations, users and tokens in web and API tests."""

from __future__ import annotations

from flask.testing import FlaskClient

from supplychain.extensions import db
from supplychain.models.accounts import Organisation, User
from supplychain.services import accounts, tokens

PASSWORD = "correct horse battery staple"


def make_org(name: str = "Maple Imports Ltd.") -> Organisation:
    organisation = accounts.create_organisation(name)
    db.session.commit()
    return organisation


def make_user(
    organisation: Organisation,
    email: str = "ana@maple.example",
    role: str = "owner",
    password: str = PASSWORD,
) -> User:
    user = accounts.create_user(organisation, email, password, role)
    db.session.commit()
    return user


def make_token(organisation: Organisation, name: str = "ERP export") -> str:
    _token, secret = tokens.create_token(organisation.id, name)
    db.session.commit()
    return secret


def log_in(client: FlaskClient, email: str = "ana@maple.example", password: str = PASSWORD):
    return client.post("/login", data={"email": email, "password": password})
