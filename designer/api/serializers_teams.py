"""Request and response shapes for the team, invitation and token endpoints.

Serializers only check shapes; the rules live in ``designer.services``.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from designer.models import Invitation, Membership, Role
from designer.services.teams import invitation_accept_url, invitation_status


class ErrorSerializer(serializers.Serializer[Any]):
    """Every error: a stable code, a message for people and optional details."""

    code = serializers.CharField()
    message = serializers.CharField()
    details = serializers.JSONField(allow_null=True)


class TeamSerializer(serializers.Serializer[Any]):
    slug = serializers.SlugField()
    name = serializers.CharField()
    role = serializers.ChoiceField(choices=Role.choices, help_text="Your role in the team.")
    created_at = serializers.DateTimeField()


class TeamCreateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=80)


class MemberSerializer(serializers.Serializer[Any]):
    user_id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.CharField(allow_blank=True, help_text="Empty when the user gave none.")
    role = serializers.ChoiceField(choices=Role.choices)
    joined_at = serializers.DateTimeField()

    def to_representation(self, instance: Membership) -> dict[str, Any]:
        return {
            "user_id": instance.user_id,
            "username": instance.user.get_username(),
            "email": instance.user.email,
            "role": instance.role,
            "joined_at": serializers.DateTimeField().to_representation(instance.created_at),
        }


class MemberCreateSerializer(serializers.Serializer[Any]):
    username = serializers.CharField(max_length=150, help_text="An existing user's username.")
    role = serializers.ChoiceField(choices=Role.choices, default=Role.VIEWER)


class MemberUpdateSerializer(serializers.Serializer[Any]):
    role = serializers.ChoiceField(choices=Role.choices)


class InvitationSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    email = serializers.EmailField(allow_null=True, help_text="Null for a link invitation.")
    role = serializers.ChoiceField(choices=Role.choices)
    status = serializers.CharField(help_text="pending, accepted, revoked or expired.")
    url = serializers.URLField(help_text="The link that accepts the invitation.")
    invited_by = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()

    def to_representation(self, instance: Invitation) -> dict[str, Any]:
        request = self.context.get("request")
        base = request.build_absolute_uri("/") if request is not None else ""
        dt = serializers.DateTimeField()
        return {
            "id": instance.pk,
            "email": instance.email or None,
            "role": instance.role,
            "status": invitation_status(instance),
            "url": invitation_accept_url(instance, base),
            "invited_by": instance.invited_by.get_username() if instance.invited_by else None,
            "created_at": dt.to_representation(instance.created_at),
            "expires_at": dt.to_representation(instance.expires_at),
        }


class InvitationCreateSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField(
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text="Send the link to this address; leave out for a shareable link.",
    )
    role = serializers.ChoiceField(choices=Role.choices, default=Role.VIEWER)


class InvitationAcceptedSerializer(serializers.Serializer[Any]):
    team = TeamSerializer()
    role = serializers.ChoiceField(choices=Role.choices)


class TokenSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    prefix = serializers.CharField()
    created_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)


class TokenCreatedSerializer(TokenSerializer):
    token = serializers.CharField(help_text="The secret; shown only in this response.")


class TokenCreateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=80)
