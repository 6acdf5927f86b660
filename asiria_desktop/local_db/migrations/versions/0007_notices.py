"""store notices pulled from head office, and who saw them on this till

Revision ID: 0007_notices
Revises: 0006_mpesa_prompts
Create Date: 2026-12-05 19:45:00

Notices are a pulled entity (low stock, oversell, M-Pesa codes...), kept here so the managers'
panel works offline; ``notice_seen`` is this till's own read state per person.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0007_notices'
down_revision: str | None = '0006_mpesa_prompts'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('notices',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('created_at', sa.String(length=40), nullable=False),
    sa.Column('audience', sa.String(length=20), nullable=False),
    sa.Column('read_by', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notices'))
    )
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notices_created_at'), ['created_at'], unique=False)
    op.create_table('notice_seen',
    sa.Column('notice_id', sa.String(length=36), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('seen_at', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('notice_id', 'user_id', name=op.f('pk_notice_seen'))
    )


def downgrade() -> None:
    op.drop_table('notice_seen')
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notices_created_at'))
    op.drop_table('notices')
