"""Websockets: a live execution's events, and a workflow's execution statuses.

``/ws/executions/<id>/`` first sends every event already recorded, then each
new one as it commits, in id order with no gap and no duplicate: the consumer
joins the group before reading the backlog, remembers the last id it sent, drops
anything at or below it and fills any gap from the database.

Only members of the owning team may watch. Refusals are sent as close codes,
after accepting the handshake, so every client sees the code (an HTTP 403
would hide it):

* 4404: refused at connect (anonymous, a wrong token, not a member, no such
  object: the object's existence is not revealed);
* 4403: access ended while connected: the token was revoked, the user logged
  out (the cookie's session is gone), was deactivated, removed from the team,
  or left it. Each socket is in its user's group (``access_events.user_group``)
  and re-checks token, session and membership on ``access.changed``.

No change of access can slip between the checks: the socket joins its user's
group *before* the check at connect (a change after the check is queued for
it), the check reads token, session and membership from the database, and
the execution socket checks again after each replay of recorded events (a
long replay holds the consumer; a message dropped meanwhile by a full channel
changes nothing). Once closed, a socket sends nothing more.

What a client sends is bounded (``designer.limits``): a message over
``WS_MESSAGE_MAX_BYTES`` closes the socket with 1009 (message too big), more than
``WS_MESSAGES_PER_MINUTE`` in a minute with 1008 (policy violation), text that is
not JSON with 1007 (invalid payload), never a server error.
"""

from __future__ import annotations

import json
import time
from collections import deque
from importlib import import_module
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.utils.crypto import constant_time_compare

from designer.errors import DomainError
from designer.limits import limit
from designer.runtime.live import execution_group, workflow_group
from designer.selectors.executions import events_after
from designer.services.access import VIEW, execution_get_for, workflow_get_for
from designer.services.access_events import ACCESS_ENDED, user_group
from designer.services.execution_events import rows_rendered
from designer.services.tokens import token_is_valid

REFUSED = 4404
INVALID_PAYLOAD = 1007
POLICY_VIOLATION = 1008
MESSAGE_TOO_BIG = 1009


class _MemberConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    """Accept only members of the owning team, then join its group and the user's group."""

    groups_joined: tuple[str, ...] = ()
    ended = False  # closed by the server: send nothing more

    async def connect(self) -> None:
        await self.accept(subprotocol=self.scope.get("accept_subprotocol"))
        user = self.scope.get("user")
        if getattr(user, "is_authenticated", False):  # first: a change from now on reaches us
            await self._join(user_group(user.pk))
        if not await self.still_allowed():
            await self._end(REFUSED)
            return
        self.group = self.group_name()
        await self._join(self.group)
        await self.joined()

    async def _join(self, group: str) -> None:
        self.groups_joined = (*self.groups_joined, group)
        await self.channel_layer.group_add(group, self.channel_name)

    async def _end(self, code: int) -> None:
        self.ended = True
        await self.close(code=code)

    async def still_allowed(self) -> bool:
        """Whether the socket may still watch, read from the database now."""
        return bool(await database_sync_to_async(self._allowed)())

    async def end_unless_allowed(self) -> bool:
        """Close with 4403 when access has ended; whether the socket is still open."""
        if self.ended:
            return False
        if not await self.still_allowed():
            await self._end(ACCESS_ENDED)
            return False
        return True

    def _allowed(self) -> bool:
        """Whether the socket's user may watch: user, token or session, and membership as the
        database holds them now."""
        user = self.scope.get("user")
        if not getattr(user, "is_authenticated", False):
            return False
        user.refresh_from_db(fields=["is_active", "password"])
        token_id = self.scope.get("api_token_id")
        if token_id is not None and not token_is_valid(token_id):
            return False
        if token_id is None and not self._session_valid(user):
            return False
        if not user.is_active:
            return False
        try:
            self.authorize(user)
        except (DomainError, ValueError):
            return False
        return True

    def _session_valid(self, user: Any) -> bool:
        """The cookie's session still exists and still belongs to ``user`` (not logged out,
        password not changed since)."""
        session = self.scope.get("session")
        key = getattr(session, "session_key", None)
        if not key:
            return False
        stored = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
        if str(stored.get(SESSION_KEY)) != str(user.pk):
            return False
        return bool(
            constant_time_compare(stored.get(HASH_SESSION_KEY, ""), user.get_session_auth_hash())
        )

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any
    ) -> None:
        """A client's message, within its size and rate, as JSON to ``receive_json``."""
        if self.ended:
            return
        if text_data is not None:
            size = len(text_data.encode("utf-8", "surrogatepass"))
        else:
            size = len(bytes_data or b"")
        if size > limit("WS_MESSAGE_MAX_BYTES"):
            await self._end(MESSAGE_TOO_BIG)
            return
        if not self._within_rate():
            await self._end(POLICY_VIOLATION)
            return
        try:
            content = json.loads(text_data) if text_data is not None else None
        except (ValueError, RecursionError):
            content = None
        if content is None:  # binary, or text that is not JSON
            await self._end(INVALID_PAYLOAD)
            return
        await self.receive_json(content)

    def _within_rate(self) -> bool:
        """Whether this message keeps the socket within ``WS_MESSAGES_PER_MINUTE``."""
        now = time.monotonic()
        recent: deque[float] = self.__dict__.setdefault("_recent", deque())
        while recent and now - recent[0] >= 60.0:
            recent.popleft()
        recent.append(now)
        return len(recent) <= limit("WS_MESSAGES_PER_MINUTE")

    async def access_changed(self, message: dict[str, Any]) -> None:
        """The user's access changed somewhere: close if this socket may no longer watch."""
        await self.end_unless_allowed()

    async def disconnect(self, code: int) -> None:
        for group in self.groups_joined:
            await self.channel_layer.group_discard(group, self.channel_name)

    def authorize(self, user: Any) -> None:
        """Raise a DomainError when ``user`` may not watch this."""
        raise NotImplementedError

    def group_name(self) -> str:
        raise NotImplementedError

    async def joined(self) -> None:
        """Called once the socket is accepted and in its group."""


class ExecutionConsumer(_MemberConsumer):
    """``/ws/executions/<id>/``: the backlog, then each event as it commits."""

    last_id = 0

    @property
    def execution_id(self) -> str:
        return str(self.scope["url_route"]["kwargs"]["execution_id"])

    def authorize(self, user: Any) -> None:
        execution_get_for(user, self.execution_id, VIEW)

    def group_name(self) -> str:
        return execution_group(self.execution_id)

    async def joined(self) -> None:
        await self._catch_up()

    async def _catch_up(self) -> None:
        """Send what the database holds after ``last_id``, then check access again (a long
        replay holds the consumer while access may end)."""
        rows = await database_sync_to_async(events_after)(self.execution_id, self.last_id)
        await self._send_events(rows_rendered(rows))
        await self.end_unless_allowed()

    async def _send_events(self, events: list[dict[str, Any]]) -> None:
        fresh = [e for e in events if e["id"] > self.last_id]
        if not fresh or self.ended:
            return
        for event in fresh:
            if event["id"] != self.last_id + 1:
                await self._catch_up()  # a gap: the database has everything in order
                return
            await self.send_json({"type": "event", "event": event})
            self.last_id = event["id"]

    async def execution_events(self, message: dict[str, Any]) -> None:
        await self._send_events(message["events"])

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "ping" and not self.ended:
            await self.send_json({"type": "pong", "last_id": self.last_id})


class WorkflowExecutionsConsumer(_MemberConsumer):
    """``/ws/workflows/<id>/executions/``: status changes of the workflow's executions."""

    @property
    def workflow_id(self) -> str:
        return str(self.scope["url_route"]["kwargs"]["workflow_id"])

    def authorize(self, user: Any) -> None:
        workflow_get_for(user, self.workflow_id, VIEW)

    def group_name(self) -> str:
        return workflow_group(self.workflow_id)

    async def execution_status(self, message: dict[str, Any]) -> None:
        if self.ended:
            return
        await self.send_json({"type": "status", "execution": message["execution"]})
