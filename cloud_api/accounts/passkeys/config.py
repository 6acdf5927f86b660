"""Where passkeys are valid: the relying-party id and the origins, from settings."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks


@dataclass(frozen=True)
class RelyingParty:
    id: str
    name: str
    origins: tuple[str, ...]
    challenge_seconds: int


def relying_party() -> RelyingParty:
    """Read at call time, so a deployment's settings (and a test's overrides) apply."""
    return RelyingParty(
        id=settings.ASIRIA_WEBAUTHN_RP_ID,
        name=settings.ASIRIA_WEBAUTHN_RP_NAME,
        origins=tuple(settings.ASIRIA_WEBAUTHN_ORIGINS),
        challenge_seconds=settings.ASIRIA_WEBAUTHN_CHALLENGE_SECONDS,
    )


def origin_fits(origin: str, rp_id: str) -> bool:
    """A browser only uses a passkey on the RP id's own domain or its subdomains."""
    host = urlsplit(origin).hostname or ""
    return host == rp_id or host.endswith("." + rp_id)


@checks.register(checks.Tags.security)
def check_relying_party(app_configs: object = None, **kwargs: object) -> list[checks.CheckMessage]:
    """A mismatched RP id and origin would make every passkey ceremony fail in the browser."""
    party = relying_party()
    problems: list[checks.CheckMessage] = []
    if not party.origins:
        problems.append(
            checks.Error("ASIRIA_WEBAUTHN_ORIGINS is empty.", id="asiria.passkeys.E001")
        )
    for origin in party.origins:
        parts = urlsplit(origin)
        if parts.scheme not in {"https", "http"} or not parts.hostname or parts.path:
            problems.append(
                checks.Error(
                    f"ASIRIA_WEBAUTHN_ORIGINS holds {origin!r}, which is not a scheme://host[:port]",
                    hint="For example https://pos.example.co.ke",
                    id="asiria.passkeys.E002",
                )
            )
        elif not origin_fits(origin, party.id):
            problems.append(
                checks.Error(
                    f"The origin {origin!r} is not on ASIRIA_WEBAUTHN_RP_ID {party.id!r}.",
                    hint="The RP id must be the origin's host or a parent domain of it.",
                    id="asiria.passkeys.E003",
                )
            )
        elif parts.scheme == "http" and parts.hostname != "localhost":
            problems.append(
                checks.Error(
                    f"The origin {origin!r} is plain http: browsers offer passkeys only over "
                    "https (or on localhost).",
                    id="asiria.passkeys.E004",
                )
            )
    return problems
