"""assessment lines: their match and score ids are no longer foreign keys

Revision ID: 5e1c0b7d9a42
Revises: b19615166191
Create Date: 2026-11-29 06:00:00.000000

PostgreSQL checks every foreign key of every stored line: four of the six pointed at the
assessment's own distinct matches and scores, which the pipeline writes before the lines and
deletes after them, and checking them took a third of the time of storing a million lines.
The columns and their indexes stay (re-scoring and the decision filter use them); the
line's assessment and organisation stay foreign keys.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e1c0b7d9a42'
down_revision = 'b19615166191'
branch_labels = None
depends_on = None

KEYS = (
    ('good_match_id', 'assessment_match'),
    ('country_match_id', 'assessment_match'),
    ('supplier_match_id', 'assessment_match'),
    ('score_id', 'assessment_score'),
)


def upgrade():
    with op.batch_alter_table('assessment_line', schema=None) as batch_op:
        for column, table in KEYS:
            batch_op.drop_constraint(
                batch_op.f(f'fk_assessment_line_{column}_{table}'), type_='foreignkey'
            )


def downgrade():
    with op.batch_alter_table('assessment_line', schema=None) as batch_op:
        for column, table in KEYS:
            batch_op.create_foreign_key(
                batch_op.f(f'fk_assessment_line_{column}_{table}'), table, [column], ['id']
            )
