"""biometric credentials; the audit log made append-only

Revision ID: 0005_biometrics
Revises: 0004_documents
Create Date: 2026-12-05 17:30:00

Fingers and security keys enrolled per person, and SQLite triggers that refuse any UPDATE or
DELETE of an audit row: the log is evidence, so not even the till's own code may rewrite it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005_biometrics'
down_revision: str | None = '0004_documents'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('biometric_credentials',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('reference', sa.String(length=200), nullable=False),
    sa.Column('public_key', sa.LargeBinary(), nullable=True),
    sa.Column('sign_count', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.String(length=40), nullable=False),
    sa.Column('last_used_at', sa.String(length=40), nullable=True),
    sa.Column('revoked_at', sa.String(length=40), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_biometric_credentials'))
    )
    with op.batch_alter_table('biometric_credentials', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_biometric_credentials_user_id'), ['user_id'], unique=False
        )
    op.execute(
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
    )
    op.execute(
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER audit_log_no_delete")
    op.execute("DROP TRIGGER audit_log_no_update")
    with op.batch_alter_table('biometric_credentials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_biometric_credentials_user_id'))
    op.drop_table('biometric_credentials')
