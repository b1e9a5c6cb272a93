"""Read queries for API tokens."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from designer.models import ApiToken


def token_list_for(user: Any) -> QuerySet[ApiToken]:
    """The user's API tokens that still work, newest first."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by(
        "-created_at", "-pk"
    )
