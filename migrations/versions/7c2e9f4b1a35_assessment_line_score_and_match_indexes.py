"""assessment lines: the higher of the two scores, and indexes on the match and score keys

Revision ID: 7c2e9f4b1a35
Revises: 1d45407ebab4
Create Date: 2026-11-28 16:10:00.000000

`score` (the higher of the forced- and child-labour scores) lets "riskiest first" page through
a million lines on an index, (assessment_id, score, row_number), instead of sorting them all.

The foreign keys from a line to its matches and score get an index each: PostgreSQL checks
every deleted assessment_match / assessment_score row (a rerun deletes them) against
assessment_line, and without an index each check scans the whole table. Re-scoring after a
judgement also updates lines by match.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c2e9f4b1a35'
down_revision = '1d45407ebab4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assessment_line', schema=None) as batch_op:
        batch_op.add_column(sa.Column('score', sa.Double(), nullable=True))
        batch_op.create_index('ix_assessment_line_score', ['assessment_id', 'score', 'row_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_line_good_match_id'), ['good_match_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_line_country_match_id'), ['country_match_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_line_supplier_match_id'), ['supplier_match_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_line_score_id'), ['score_id'], unique=False)

    # Lines stored before this revision get their score from the two they have.
    op.execute(
        "UPDATE assessment_line SET score = CASE WHEN forced_labour >= child_labour "
        "THEN forced_labour ELSE child_labour END "
        "WHERE forced_labour IS NOT NULL AND child_labour IS NOT NULL"
    )


def downgrade():
    with op.batch_alter_table('assessment_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_line_score_id'))
        batch_op.drop_index(batch_op.f('ix_assessment_line_supplier_match_id'))
        batch_op.drop_index(batch_op.f('ix_assessment_line_country_match_id'))
        batch_op.drop_index(batch_op.f('ix_assessment_line_good_match_id'))
        batch_op.drop_index('ix_assessment_line_score')
        batch_op.drop_column('score')
