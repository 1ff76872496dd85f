"""`supplychain orgs|users|tokens`: administer organisations, their people and API tokens."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask.cli import with_appcontext

from supplychain.errors import DomainError
from supplychain.extensions import db
from supplychain.models.accounts import ROLES
from supplychain.services import accounts, tokens
from supplychain.services.passwords import MIN_PASSWORD_LENGTH, password_problem


@contextmanager
def transaction() -> Iterator[None]:
    """Commit what the block did, or roll it back and show a domain error as a CLI error."""
    try:
        yield
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.detail) from error


@click.group()
def orgs() -> None:
    """Organisations: each sees only its own suppliers and results."""


@orgs.command("create")
@click.argument("name")
@with_appcontext
def create_org(name: str) -> None:
    """Create an organisation called NAME; prints its slug."""
    with transaction():
        organisation = accounts.create_organisation(name)
    click.echo(organisation.slug)


@click.group()
def users() -> None:
    """People who log in to the web pages."""


@users.command("create")
@click.option("--org", "org_ref", required=True, help="Organisation slug or name.")
@click.option("--email", required=True, help="The address the person logs in with.")
@click.option("--role", type=click.Choice(ROLES), default="analyst", show_default=True)
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of stdin."
)
@with_appcontext
def create_user(org_ref: str, email: str, role: str, password_stdin: bool) -> None:
    """Add a person to an organisation (asks for the password twice unless --password-stdin)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(
            f"Password (at least {MIN_PASSWORD_LENGTH} characters)",
            hide_input=True,
            confirmation_prompt=True,
        )
    problem = password_problem(password)
    if problem:
        raise click.ClickException(f"Password refused: {problem}")
    with transaction():
        user = accounts.create_user(accounts.find_organisation(org_ref), email, password, role)
    click.echo(f"{user.email} ({user.role}) added to {user.organisation.slug}")


@click.group("tokens")
def tokens_group() -> None:
    """API tokens of an organisation (sent as `Authorization: Bearer <token>`)."""


@tokens_group.command("create")
@click.option("--org", "org_ref", required=True, help="Organisation slug or name.")
@click.option("--name", required=True, help="Which system will use the token.")
@with_appcontext
def create_token(org_ref: str, name: str) -> None:
    """Make a token and print it: this is the only time it is shown."""
    with transaction():
        organisation = accounts.find_organisation(org_ref)
        _token, secret = tokens.create_token(organisation.id, name)
    click.echo(secret)
    click.echo("Store it now: only a fingerprint is kept.", err=True)


@tokens_group.command("list")
@click.option("--org", "org_ref", required=True, help="Organisation slug or name.")
@with_appcontext
def list_tokens(org_ref: str) -> None:
    """List tokens: prefix, status, last use, creation and name (tab-separated)."""
    with transaction():
        organisation = accounts.find_organisation(org_ref)
        rows = tokens.list_tokens(organisation.id)
    for token in rows:
        status = "revoked" if token.revoked_at else "active"
        last_used = (
            token.last_used_at.isoformat(timespec="seconds") if token.last_used_at else "never"
        )
        created = token.created_at.isoformat(timespec="seconds")
        click.echo(f"{token.prefix}\t{status}\t{last_used}\t{created}\t{token.name}")


@tokens_group.command("revoke")
@click.option("--org", "org_ref", required=True, help="Organisation slug or name.")
@click.argument("prefix")
@with_appcontext
def revoke_token(org_ref: str, prefix: str) -> None:
    """Revoke the token whose listing starts with PREFIX."""
    with transaction():
        organisation = accounts.find_organisation(org_ref)
        token = tokens.find_token_by_prefix(organisation.id, prefix)
        tokens.revoke_token(token)
    click.echo(f"Revoked {token.prefix}… ({token.name})")
