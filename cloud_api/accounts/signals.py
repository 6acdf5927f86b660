"""A new password or a deactivated account ends every session that account had.

Done on the model's save, so every way of changing a password (the API, the admin, the
``changepassword`` command) is covered: outstanding JWT refresh tokens are blacklisted and the
account's OAuth2 tokens revoked. Access tokens die on their own: a JWT carries a digest of the
password hash (``CHECK_REVOKE_TOKEN``) and simplejwt refuses inactive users; the admin's session
holds the same kind of digest.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from cloud_api.accounts.models import User
from cloud_api.accounts.services import user_sessions_end

WATCHED = {"password", "is_active"}


@receiver(pre_save, sender=User)
def _note_credential_change(sender: type[User], instance: User, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    # A flag carried on the instance from pre_save to its post_save.
    instance._asiria_ends_sessions = False  # type: ignore[attr-defined]
    if instance.pk is None or (update_fields is not None and not WATCHED & set(update_fields)):
        return
    before = User.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if before is None:
        return
    ends = before["password"] != instance.password or (
        before["is_active"] and not instance.is_active
    )
    instance._asiria_ends_sessions = ends  # type: ignore[attr-defined]


@receiver(post_save, sender=User)
def _end_sessions(sender: type[User], instance: User, created: bool, **kwargs: Any) -> None:
    if getattr(instance, "_asiria_ends_sessions", False):
        instance._asiria_ends_sessions = False  # type: ignore[attr-defined]
        user_sessions_end(user=instance)
