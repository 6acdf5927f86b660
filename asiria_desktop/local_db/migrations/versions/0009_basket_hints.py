"""basket hints: products often bought with each product, pulled from head office

Revision ID: 0009_basket_hints
Revises: 0008_customers
Create Date: 2026-12-05 19:45:00

One row per product with hints; the sale screen reads it by primary key as a line is added.
Sales get an index on completed_at for the manager's view of today's figures.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0009_basket_hints'
down_revision: str | None = '0008_customers'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('basket_hints',
    sa.Column('product_id', sa.String(length=36), nullable=False),
    sa.Column('companions', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('product_id', name=op.f('pk_basket_hints'))
    )
    op.create_index(op.f('ix_sales_completed_at'), 'sales', ['completed_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_sales_completed_at'), table_name='sales')
    op.drop_table('basket_hints')
