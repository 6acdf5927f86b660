"""M-Pesa prompts this till sent

Revision ID: 0006_mpesa_prompts
Revises: 0005_biometrics
Create Date: 2026-12-05 19:45:00

A prompt paid after its payment dialog closed is found again here ("Claim M-Pesa payment").
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0006_mpesa_prompts'
down_revision: str | None = '0005_biometrics'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('mpesa_prompts',
    sa.Column('attempt_id', sa.String(length=36), nullable=False),
    sa.Column('phone', sa.String(length=16), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('result_code', sa.Integer(), nullable=True),
    sa.Column('result_desc', sa.String(length=255), nullable=False),
    sa.Column('receipt', sa.String(length=20), nullable=True),
    sa.Column('sent_at', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('attempt_id', name=op.f('pk_mpesa_prompts'))
    )
    with op.batch_alter_table('mpesa_prompts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mpesa_prompts_sent_at'), ['sent_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_mpesa_prompts_status'), ['status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('mpesa_prompts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mpesa_prompts_status'))
        batch_op.drop_index(batch_op.f('ix_mpesa_prompts_sent_at'))
    op.drop_table('mpesa_prompts')
