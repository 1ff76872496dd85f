"""assessment lines: no band index (a band is a range of the score index)

Revision ID: f1a56b0d3e98
Revises: e4b9c1d7f260
Create Date: 2026-11-29 07:10:00.000000

A line's band follows from its score, so the lines of one band are a range of scores: the
lines table and the review queue read a band's lines as that range (the summary's
`score_range_by_band`) on (assessment_id, score, row_number). The (assessment_id, band)
index was kept up on every line stored for nothing else, a tenth of the time of storing a
million lines.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f1a56b0d3e98'
down_revision = 'e4b9c1d7f260'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assessment_line', schema=None) as batch_op:
        batch_op.drop_index('ix_assessment_line_band')


def downgrade():
    with op.batch_alter_table('assessment_line', schema=None) as batch_op:
        batch_op.create_index('ix_assessment_line_band', ['assessment_id', 'band'], unique=False)
