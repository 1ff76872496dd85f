"""Demo data for a development installation: importer, owner, sample assessment, draft report."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from supplychain.errors import DomainError
from supplychain.extensions import db
from supplychain.models.accounts import Organisation, User
from supplychain.services import accounts

DEMO_ORGANISATION = "Demo Importer Inc."
DEMO_EMAIL = "demo@example.com"
SAMPLE_LIST = Path(__file__).resolve().parent.parent / "demo_data" / "sample_suppliers.csv"


@dataclass
class DemoSeed:
    """What `seed_demo` found or made; `password` is set only when it was just chosen."""

    organisation: Organisation
    user: User
    password: str | None = None
    created: list[str] = field(default_factory=list)


def seed_demo(env_name: str, *, reset_password: bool = False) -> DemoSeed:
    """Create the demo organisation and owner if missing (idempotent); development only.

    Later seed steps (a sample upload and assessment, ...) go here, each checking first
    whether its rows exist and appending a line to `created` when it makes them.
    """
    if env_name != "development":
        raise DomainError(
            f"The demo seed only runs when ENV_NAME is development (it is {env_name!r}): "
            "it creates a known account."
        )
    organisation = db.session.scalar(
        sa.select(Organisation).where(Organisation.name == DEMO_ORGANISATION)
    )
    created: list[str] = []
    if organisation is None:
        organisation = accounts.create_organisation(DEMO_ORGANISATION)
        created.append(f"organisation {organisation.name} ({organisation.slug})")
    password: str | None = None
    user = accounts.find_user(DEMO_EMAIL)
    if user is None:
        password = secrets.token_urlsafe(12)
        user = accounts.create_user(organisation, DEMO_EMAIL, password, "owner")
        created.append(f"user {user.email} (owner)")
    elif reset_password:
        password = secrets.token_urlsafe(12)
        accounts.set_password(user, password)
    if (assessed := seed_sample_assessment(organisation, user)) is not None:
        created.append(assessed)
    if (drafted := seed_sample_report(organisation, user)) is not None:
        created.append(drafted)
    return DemoSeed(organisation=organisation, user=user, password=password, created=created)


def seed_sample_assessment(organisation: Organisation, user: User) -> str | None:
    """Upload the sample supplier list and assess it inline, unless the demo has one already.

    The pipeline commits as it goes, so the organisation and user are committed with it.
    """
    from supplychain.models.assessments import Upload
    from supplychain.services import pipeline, uploads

    db.session.flush()
    exists = db.session.scalar(
        sa.select(Upload.id).where(
            Upload.organisation_id == organisation.id, Upload.filename == SAMPLE_LIST.name
        )
    )
    if exists is not None:
        return None
    upload = uploads.create_upload(
        organisation.id, SAMPLE_LIST.read_bytes(), SAMPLE_LIST.name, user_id=user.id
    )
    assessment = uploads.new_assessment(upload, user_id=user.id)
    db.session.commit()
    assessment = pipeline.run_assessment(assessment.id)
    return f"sample assessment {assessment.id} of {SAMPLE_LIST.name} ({assessment.status})"


def seed_sample_report(organisation: Organisation, user: User) -> str | None:
    """Draft an S-211 report on the sample assessment, unless the demo has a report already.

    The report covers last year, in English and French, drafted from the evidence like any
    new report; the rest is left for the person trying the demo to fill in.
    """
    from supplychain.models.assessments import Assessment, Upload
    from supplychain.models.reports import Report
    from supplychain.services import reports
    from supplychain.services.access import Principal

    if db.session.scalar(sa.select(Report.id).where(Report.organisation_id == organisation.id)):
        return None
    sample = db.session.scalar(
        sa.select(Assessment)
        .join(Upload, Upload.id == Assessment.upload_id)
        .where(
            Assessment.organisation_id == organisation.id,
            Assessment.status == "done",
            Upload.filename == SAMPLE_LIST.name,
        )
        .order_by(Assessment.id.desc())
    )
    if sample is None:
        return None
    principal = Principal(organisation=organisation, role="owner", user=user)
    year = date.today().year - 1
    report = reports.create_report(principal, year, [sample.id], "both")
    return f"draft S-211 report {report.id} for {year} on sample assessment {sample.id}"
