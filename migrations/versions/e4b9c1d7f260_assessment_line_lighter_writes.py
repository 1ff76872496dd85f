"""assessment lines: organisation without a foreign key; original and problems as JSON

Revision ID: e4b9c1d7f260
Revises: a3d8f06c2b71
Create Date: 2026-11-29 07:00:00.000000

Two costs PostgreSQL paid for every line stored, measured on a million lines:

- the foreign key to organisation, a sixth of the time: a line's organisation is its
  assessment's, copied so that queries can be scoped by it; the line's assessment is a
  foreign key (deleting it deletes the lines) and the assessment's organisation is one too,
  so an organisation with lines cannot be deleted either way;
- converting `original` and `problems` to JSONB, a fifth: they are read whole and never
  queried by field, and JSON keeps the text as written (JSONB reordered the user's columns).

SQLite has no JSONB and does not enforce these keys: there it only drops the constraint.
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = 'e4b9c1d7f260'
down_revision = 'a3d8f06c2b71'
branch_labels = None
depends_on = None

FK = 'fk_assessment_line_organisation_id_organisation'


def upgrade():
    with op.batch_alter_table('assessment_line', schema=None) as batch_op:
        batch_op.drop_constraint(FK, type_='foreignkey')
    if op.get_bind().dialect.name == 'postgresql':
        for column in ('original', 'problems'):
            op.alter_column(
                'assessment_line', column, type_=sa.JSON(),
                existing_type=postgresql.JSONB(), postgresql_using=f'{column}::json',
            )


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for column in ('original', 'problems'):
            op.alter_column(
                'assessment_line', column, type_=postgresql.JSONB(),
                existing_type=sa.JSON(), postgresql_using=f'{column}::jsonb',
            )
    with op.batch_alter_table('assessment_line', schema=None) as batch_op:
        batch_op.create_foreign_key(FK, 'organisation', ['organisation_id'], ['id'])
