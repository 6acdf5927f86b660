"""printed documents: receipts, refund and void slips as printed

Revision ID: 0004_documents
Revises: 0003_open_cart
Create Date: 2026-12-05 17:30:00

Each document is stored with its header (store name, address, tax PIN, footer, cashier) as it
was at commit time, so a reprint is the original plus a COPY mark.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0004_documents'
down_revision: str | None = '0003_open_cart'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('documents',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('sale_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=40), nullable=False),
    sa.Column('data', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents'))
    )
    op.create_index(op.f('ix_documents_number'), 'documents', ['number'], unique=False)
    op.create_index(op.f('ix_documents_sale_id'), 'documents', ['sale_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_documents_sale_id'), table_name='documents')
    op.drop_index(op.f('ix_documents_number'), table_name='documents')
    op.drop_table('documents')
