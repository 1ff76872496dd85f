"""Who may see what: the acting principal, role ranks, and organisation scoping of queries.

Supplier lists and everything derived from them are confidential to one organisation. Every
query of organisation data (uploads, assessments, lines, exports, reports, tokens, audit
events, ...) MUST either fetch a single row with `get_scoped(model, id, organisation_id)` or
list rows with `scoped_select(model, organisation_id)` (or otherwise filter on
`organisation_id` explicitly). Never load such a row by primary key alone (`db.session.get`),
and never take the organisation from the request body: take it from the authenticated
principal (`supplychain.auth.require_org`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa

from supplychain.errors import NotFound
from supplychain.extensions import db
from supplychain.models.accounts import ROLES, ApiToken, Organisation, Role, User

M = TypeVar("M")

# Higher ranks may do everything lower ranks may.
ROLE_RANK: dict[str, int] = {"viewer": 0, "analyst": 1, "owner": 2}
assert set(ROLE_RANK) == set(ROLES)

# API tokens act for the organisation with this role: they can read and work on its data,
# but cannot manage tokens or people (that takes an owner, logged in).
TOKEN_ROLE: Role = "analyst"


def has_role(role: str, required: str) -> bool:
    """Tell whether `role` is at least `required` (owner > analyst > viewer)."""
    return ROLE_RANK[role] >= ROLE_RANK[required]


@dataclass(frozen=True)
class Principal:
    """Who is acting: a logged-in user or an API token, always for exactly one organisation."""

    organisation: Organisation
    role: Role
    user: User | None = None
    token: ApiToken | None = None

    @property
    def organisation_id(self) -> int:
        return self.organisation.id

    @property
    def user_id(self) -> int | None:
        return self.user.id if self.user is not None else None

    @property
    def token_id(self) -> int | None:
        return self.token.id if self.token is not None else None

    def can(self, required: str) -> bool:
        """Tell whether this principal's role is at least `required`."""
        return has_role(self.role, required)


def _organisation_column(model: type[Any]) -> Any:
    column = getattr(model, "organisation_id", None)
    if column is None:
        raise TypeError(f"{model.__name__} has no organisation_id: it is not organisation data")
    return column


def scoped_select(model: type[M], organisation_id: int) -> sa.Select[M]:
    """Start a SELECT of `model` rows that belong to one organisation only."""
    return sa.select(model).where(_organisation_column(model) == organisation_id)


def newest_first(
    model: type[M], organisation_id: int, page: int, per_page: int
) -> tuple[list[M], int]:
    """Return one page of an organisation's rows, newest (highest id) first, and the total."""
    query = scoped_select(model, organisation_id)
    total = db.session.scalar(query.with_only_columns(sa.func.count()).order_by(None)) or 0
    primary_key = getattr(model, "id")  # noqa: B009 (see get_scoped)
    rows = db.session.scalars(
        query.order_by(primary_key.desc()).limit(per_page).offset((page - 1) * per_page)
    )
    return list(rows), total


def get_scoped(model: type[M], id: Any, organisation_id: int) -> M:
    """Return one row of an organisation's data, or raise NotFound.

    A row that exists but belongs to another organisation gets the very same 404 as a row
    that does not exist, so ids cannot be probed across organisations.
    """
    # getattr: M is any model class, and the type checker cannot know that it has an `id`.
    primary_key = getattr(model, "id")  # noqa: B009
    row = db.session.scalar(scoped_select(model, organisation_id).where(primary_key == id))
    if row is None:
        label = getattr(model, "__tablename__", model.__name__).replace("_", " ")
        raise NotFound(f"No {label} {id} in your organisation.")
    return row
