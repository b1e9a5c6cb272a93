"""Tell a user's open websockets that their access changed, so they re-check it.

Every socket joins its user's group (``user.<id>``) besides the group of what
it watches. When a token is revoked, a member is removed, leaves or gets
another role, the service that made the change calls ``access_changed``; after
the transaction commits (and on log-out, deactivation or a new password: the
receivers below), each of the user's sockets receives
``{"type": "access.changed"}``, re-checks its token and its membership in the
database, and closes with ``ACCESS_ENDED`` (4403) when it may no longer watch.
"""

from __future__ import annotations

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

log = logging.getLogger(__name__)

ACCESS_ENDED = 4403  # close code: the token was revoked or the membership ended


def user_group(user_id: Any) -> str:
    return f"user.{user_id}"


def _publish(user_id: Any) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(user_group(user_id), {"type": "access.changed"})
    except Exception:  # the change itself stands; sockets re-check on their next message
        log.exception("could not tell the sockets of user %s that their access changed", user_id)


def access_changed(user_id: Any) -> None:
    """After the current transaction commits, make the user's sockets re-check their access."""
    transaction.on_commit(lambda: _publish(user_id))


def access_on_user_saved(
    sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any
) -> None:
    """``post_save`` receiver for the user model: a deactivation or a new password (the
    admin, a password change) makes the user's sockets re-check; a log-in's ``last_login``
    update does not."""
    if kwargs.get("created"):  # a new user has no sockets yet
        return
    if update_fields is not None and not {"is_active", "password"} & set(update_fields):
        return
    if instance.pk is not None:
        access_changed(instance.pk)


def access_on_log_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """``user_logged_out`` receiver: the sockets of that session close.

    Django sends the signal *before* it flushes the session, so a socket that
    re-checked at once would still find the session. The stored session is
    deleted here first (``logout`` then flushes the request's copy as usual)."""
    session = getattr(request, "session", None)
    key = getattr(session, "session_key", None)
    if session is not None and key:
        session.delete(key)
    if user is not None:
        access_changed(user.pk)
