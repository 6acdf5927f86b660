"""sync tables: pulled stock levels and tax classes

Revision ID: 0002_sync
Revises: 0001_initial
Create Date: 2026-11-24 11:20:00

Head office's stock figures and tax classes, as pulled from the cloud.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0002_sync'
down_revision: str | None = '0001_initial'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('stock_levels',
    sa.Column('product_id', sa.String(length=36), nullable=False),
    sa.Column('on_hand_milli', sa.Integer(), nullable=False),
    sa.Column('low_stock_threshold_milli', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('product_id', name=op.f('pk_stock_levels'))
    )
    op.create_table('tax_classes',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('rate_bp', sa.Integer(), nullable=False),
    sa.Column('inclusive', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tax_classes'))
    )


def downgrade() -> None:
    op.drop_table('tax_classes')
    op.drop_table('stock_levels')
