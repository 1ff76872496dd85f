"""S-211 reports, one row per revision, and the assessments each draws on

Revision ID: b19615166191
Revises: 7c2e9f4b1a35
Create Date: 2026-11-29 02:44:52.764576

A report is an organisation's disclosure for one reporting year. An approved report is frozen
(the Act has it signed by the governing body), so a later change makes a new row with the next
`revision` that points at the one it revises (`revises_id`); the unique
(organisation_id, reporting_year, revision) keeps the numbering straight and also serves the
organisation-scoped listing, so `organisation_id` needs no index of its own.

The report's parts are JSON (entity details, sections with drafted statements and their
evidence links, questionnaire answers, approval): they are read and written whole, never
queried by field. `evidence` keeps the evidence summary an approved report was drafted from,
so its PDF does not change when an assessment is re-scored later.

`report_assessment` links a report to the assessments it draws on; the index on
`assessment_id` answers "which reports use this assessment".
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = 'b19615166191'
down_revision = '7c2e9f4b1a35'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade():
    op.create_table('report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('reporting_year', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('revises_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('entity', JSON, nullable=False),
    sa.Column('sections', JSON, nullable=False),
    sa.Column('answers', JSON, nullable=False),
    sa.Column('approval', JSON, nullable=False),
    sa.Column('evidence', JSON, nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('token_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("language IN ('en', 'fr', 'both')", name=op.f('ck_report_language_known')),
    sa.CheckConstraint("status IN ('draft', 'approved', 'published')", name=op.f('ck_report_status_known')),
    sa.CheckConstraint('revision >= 1', name=op.f('ck_report_revision_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_report_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_report_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['revises_id'], ['report.id'], name=op.f('fk_report_revises_id_report')),
    sa.ForeignKeyConstraint(['token_id'], ['api_token.id'], name=op.f('fk_report_token_id_api_token')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report')),
    sa.UniqueConstraint('organisation_id', 'reporting_year', 'revision', name=op.f('uq_report_organisation_id'))
    )

    op.create_table('report_assessment',
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_report_assessment_assessment_id_assessment')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_report_assessment_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], name=op.f('fk_report_assessment_report_id_report'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('report_id', 'assessment_id', name=op.f('pk_report_assessment'))
    )
    with op.batch_alter_table('report_assessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_assessment_assessment_id'), ['assessment_id'], unique=False)


def downgrade():
    with op.batch_alter_table('report_assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_assessment_assessment_id'))

    op.drop_table('report_assessment')
    op.drop_table('report')
