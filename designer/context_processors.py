"""Template context every page gets: whether (and how) visitors may sign up."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from designer.services.accounts import signup_mode


def signup(request: HttpRequest) -> dict[str, Any]:
    return {"signup_mode": signup_mode()}
