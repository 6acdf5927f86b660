"""customers: people attached to sales at this till, found by phone

Revision ID: 0008_customers
Revises: 0007_notices
Create Date: 2026-12-05 19:40:00

The cashier attaches a customer (phone, name, WhatsApp consent) to a sale; the till keeps the
customers it has met so the next sale finds them by phone offline.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0008_customers'
down_revision: str | None = '0007_notices'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('customers',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('phone', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('whatsapp_consent', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customers')),
    sa.UniqueConstraint('phone', name=op.f('uq_customers_phone'))
    )


def downgrade() -> None:
    op.drop_table('customers')
