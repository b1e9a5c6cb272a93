"""The password back end: Django's ModelBackend behind the log-in throttle.

Every password check (the log-in page, the admin's log-in) goes through here:
a locked account or address is refused before the password is looked at, and
each wrong password counts (``designer.services.throttle``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from designer.services.throttle import client_ip, login_failed, login_retry_after, login_succeeded


class LoginThrottled(PermissionDenied):
    """Too many failures: ``django.contrib.auth.authenticate`` stops and returns None."""


class ThrottledModelBackend(ModelBackend):
    def authenticate(
        self,
        request: Any,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username is None or password is None:
            return super().authenticate(request, username, password, **kwargs)
        ip = client_ip(request)
        if login_retry_after(username, ip):
            raise LoginThrottled("Too many failed log-ins.")
        user = super().authenticate(request, username, password, **kwargs)
        if user is None:
            login_failed(username, ip)
        else:
            login_succeeded(username)
        return user
