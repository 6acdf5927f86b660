"""Enrolled fingers and security keys (``biometric_credentials``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from asiria_desktop.local_db.models import BiometricCredentialRow
from asiria_desktop.ports.biometrics import StoredCredential


class SqlBiometricRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, credential: StoredCredential) -> None:
        self._s.add(
            BiometricCredentialRow(
                id=credential.id,
                user_id=credential.user_id,
                kind=credential.kind,
                reference=credential.reference,
                public_key=credential.public_key,
                sign_count=credential.sign_count,
                label=credential.label,
                created_at=credential.created_at,
                last_used_at=credential.last_used_at,
            )
        )
        self._s.flush()

    def get(self, credential_id: str) -> StoredCredential | None:
        row = self._s.get(BiometricCredentialRow, credential_id)
        return None if row is None else _record(row)

    def active(self, kind: str | None = None) -> list[StoredCredential]:
        query = select(BiometricCredentialRow).where(BiometricCredentialRow.revoked_at.is_(None))
        if kind is not None:
            query = query.where(BiometricCredentialRow.kind == kind)
        rows = self._s.scalars(query.order_by(BiometricCredentialRow.created_at)).all()
        return [_record(row) for row in rows]

    def for_user(self, user_id: str) -> list[StoredCredential]:
        return [c for c in self.active() if c.user_id == user_id]

    def mark_used(self, credential_id: str, sign_count: int, at: datetime) -> None:
        self._s.execute(
            update(BiometricCredentialRow)
            .where(BiometricCredentialRow.id == credential_id)
            .values(sign_count=sign_count, last_used_at=at)
        )

    def revoke(self, credential_id: str, at: datetime) -> None:
        self._s.execute(
            update(BiometricCredentialRow)
            .where(BiometricCredentialRow.id == credential_id)
            .values(revoked_at=at)
        )


def _record(row: BiometricCredentialRow) -> StoredCredential:
    return StoredCredential(
        id=row.id,
        user_id=row.user_id,
        kind=row.kind,
        reference=row.reference,
        public_key=row.public_key,
        sign_count=row.sign_count,
        label=row.label,
        created_at=row.created_at,
        last_used_at=row.last_used_at,
    )
