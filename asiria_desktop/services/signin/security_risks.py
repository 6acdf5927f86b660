"""Risks of how this till is set up that a manager should know about, each with what to do.

Today one: the terminal's cloud password kept in a plain (0600) file because the computer has
no system keyring (docs/decisions.md 12). The status bar and sync screen only say where the
password is; this explains to the manager what it means and how to fix it.
"""

from __future__ import annotations

from dataclasses import dataclass

from asiria_desktop.ports.cloud import SyncControl


@dataclass(frozen=True)
class SecurityRisk:
    title: str
    explanation: str
    what_to_do: tuple[str, ...]


class SecurityRisks:
    def __init__(self, sync: SyncControl | None, secret_file: str) -> None:
        self._sync = sync
        self._secret_file = secret_file

    def current(self) -> list[SecurityRisk]:
        info = self._sync.terminal() if self._sync is not None else None
        if info is None or info.secret_location != "file":
            return []
        return [
            SecurityRisk(
                title="The till's cloud password is kept in a file",
                explanation=(
                    "This computer has no system keyring, so the password this till uses to "
                    f"send sales to head office is stored in the file {self._secret_file}. Only "
                    "the till's own user account can read it, but anyone who signs in to the "
                    "computer as that user, or gets a copy of the data folder, a backup or the "
                    "disk, has it too. With it they could send false sales or stock changes to "
                    "head office in this till's name."
                ),
                what_to_do=(
                    "Set up a system keyring for the till's user: on Linux install GNOME "
                    "Keyring (package gnome-keyring) and let the login unlock it; Windows and "
                    "macOS have one built in.",
                    "Then enrol the till again from the sync screen with a new code from head "
                    "office: the new password goes to the keyring and the file is deleted.",
                    "If the computer, its disk or a backup may have been copied, ask head office "
                    "to revoke this till first, then enrol it again.",
                    "Until then keep the till's user account for the till only, encrypt the "
                    "disk, and keep backups of the data folder locked away.",
                ),
            )
        ]
