"""Where the terminal's OAuth2 client secret lives: the OS keyring, or a 0600 file as fallback.

A Linux kiosk session often has no Secret Service: ``keyring`` then falls back to a backend
that refuses to store (``keyring.backends.fail.Keyring`` raises ``NoKeyringError``) or silently
forgets (the null backend). Either way the till must still sync, so the secret goes to a file
only the till's user can read (``<data dir>/terminal-secret``, mode 0600) and the fallback is
logged and shown on the sync screen. The secret is never written to the settings file.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from pathlib import Path

log = logging.getLogger(__name__)

SERVICE = "asiria-till"
SECRET_FILE = "terminal-secret"
KEYRING = "keyring"
FILE = "file"

FALLBACK_WARNING = (
    "No system keyring is available, so this till's cloud password is kept in the file {path}, "
    "readable only by the till's user account. Install a keyring (e.g. GNOME Keyring / "
    "Secret Service) and enrol again to move it there."
)


class SecretStore:
    """``put`` answers where the secret went (``"keyring"`` or ``"file"``)."""

    def __init__(self, data_dir: Path, service: str = SERVICE) -> None:
        self.data_dir = data_dir
        self.service = service

    @property
    def file_path(self) -> Path:
        return self.data_dir / SECRET_FILE

    def put(self, client_id: str, secret: str) -> str:
        refused = self._keyring_put(client_id, secret)
        if refused is None:
            self._remove_file()
            return KEYRING
        self._write_file(secret)
        # One warning for one fallback: what happened, where the secret is, and the keyring's
        # own reason, so the log says it once.
        log.warning(
            "%s (The keyring said: %s)", FALLBACK_WARNING.format(path=self.file_path), refused
        )
        return FILE

    def get(self, client_id: str, location: str) -> str | None:
        if location == KEYRING:
            # keyring is imported when a secret is used (~20 ms the till's start does not need)
            import keyring
            from keyring.errors import KeyringError

            try:
                return keyring.get_password(self.service, client_id)
            except KeyringError as exc:
                log.error("The system keyring could not be read: %s", exc)
                return None
        try:
            return self.file_path.read_text(encoding="utf-8").strip() or None
        except OSError as exc:
            log.error("The till's secret file %s could not be read: %s", self.file_path, exc)
            return None

    def forget(self, client_id: str) -> None:
        """Drop an old secret (after a re-enrolment gave a new client id)."""
        import keyring
        from keyring.errors import KeyringError

        try:
            keyring.delete_password(self.service, client_id)
        except KeyringError:
            pass
        except Exception:  # a backend's own errors: nothing to forget there
            log.debug("no keyring entry to delete for %s", client_id)

    def warning(self, location: str) -> str | None:
        return FALLBACK_WARNING.format(path=self.file_path) if location == FILE else None

    def _keyring_put(self, client_id: str, secret: str) -> str | None:
        """None when the keyring holds the secret, else why it does not."""
        import keyring
        from keyring.errors import KeyringError

        try:
            keyring.set_password(self.service, client_id, secret)
            # Some backends accept and forget (null backend): read it back to be sure.
            if keyring.get_password(self.service, client_id) == secret:
                return None
            return "it accepted the secret but did not keep it"
        except KeyringError as exc:
            return f"it refused the secret: {exc}"
        except Exception as exc:  # a broken D-Bus session, a locked wallet...
            return f"it failed: {exc}"

    def _write_file(self, secret: str) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        tmp = self.file_path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            if sys.platform != "win32":
                os.fchmod(fd, 0o600)  # an old file with wider bits keeps them otherwise
            os.write(fd, secret.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, self.file_path)

    def _remove_file(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.file_path.unlink()
