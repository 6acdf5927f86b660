"""open cart: the sale in progress, kept on disk

Revision ID: 0003_open_cart
Revises: 0002_sync
Create Date: 2026-12-05 17:20:00

The cart being rung up, rewritten on every change, so it can be offered back after a crash.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0003_open_cart'
down_revision: str | None = '0002_sync'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('open_cart',
    sa.Column('slot', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('cashier_id', sa.String(length=36), nullable=True),
    sa.Column('saved_at', sa.String(length=40), nullable=False),
    sa.Column('state', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('slot', name=op.f('pk_open_cart'))
    )


def downgrade() -> None:
    op.drop_table('open_cart')
