"""The demo seed drafts an S-211 report on the sample assessment, once."""

from __future__ import annotations

import sqlalchemy as sa

from supplychain.extensions import db
from supplychain.models.reports import Report
from supplychain.services import reports
from supplychain.services.demo import seed_demo


def test_the_demo_has_a_draft_report_on_the_sample_assessment(app):
    app.config["JOBS_MODE"] = "inline"
    first = seed_demo("development")
    db.session.commit()
    report = db.session.scalars(sa.select(Report)).one()
    assert report.status == "draft" and report.language == "both"
    assert any(line.startswith("draft S-211 report") for line in first.created)
    (assessment,) = reports.assessments_of(report)
    assert assessment.status == "done"
    assert report.sections["c"]["statements"] and report.answers["risks_identified"] == "yes"

    again = seed_demo("development")
    db.session.commit()
    assert again.created == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Report)) == 1
