"""Read queries for teams, members and invitations (no rules, no writes)."""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet
from django.utils import timezone

from designer.models import Invitation, Membership, Team


def team_list_for(user: Any) -> QuerySet[Team]:
    """The user's teams, each annotated with ``role`` (the user's role there)."""
    if not getattr(user, "is_authenticated", False):
        return Team.objects.none()
    return (
        Team.objects.filter(memberships__user=user)
        .annotate(role=F("memberships__role"))
        .order_by("name", "slug")
    )


def membership_list(team: Team) -> QuerySet[Membership]:
    return Membership.objects.filter(team=team).select_related("user").order_by("user__username")


def membership_of(team: Team, user: Any) -> Membership | None:
    return Membership.objects.filter(team=team, user=user).first()


def invitation_list_pending(team: Team) -> QuerySet[Invitation]:
    """Invitations not yet used, revoked or expired, newest first."""
    return (
        Invitation.objects.filter(
            team=team, accepted_at__isnull=True, revoked=False, expires_at__gt=timezone.now()
        )
        .select_related("invited_by")
        .order_by("-created_at", "-pk")
    )


def invitation_by_token(token: str) -> Invitation | None:
    return Invitation.objects.select_related("team", "invited_by").filter(token=token).first()
