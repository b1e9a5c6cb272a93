"""Team, member and invitation endpoints: thin translations of ``designer.services.teams``.

A caller outside a team gets 404 from every team endpoint (the team's existence
is not revealed); a member whose role is too low gets 403.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from designer.api import serializers_teams as s
from designer.api.requests import valid_data
from designer.models import Membership, Team
from designer.selectors.teams import invitation_list_pending, membership_list, team_list_for
from designer.services import teams as services
from designer.services.access import MANAGE, team_get_for, team_require

TAGS = ["teams"]
E400 = OpenApiResponse(s.ErrorSerializer, description="The request is not valid.")
E403 = OpenApiResponse(s.ErrorSerializer, description="Your role does not allow this.")
E404 = OpenApiResponse(s.ErrorSerializer, description="No such team (or you are not a member).")
E409 = OpenApiResponse(s.ErrorSerializer, description="Conflicts with the current state.")


def team_data(team: Team, role: str) -> dict[str, Any]:
    return {"slug": team.slug, "name": team.name, "role": role, "created_at": team.created_at}


class TeamListView(APIView):
    @extend_schema(tags=TAGS, summary="Your teams", responses=s.TeamSerializer(many=True))
    def get(self, request: Request) -> Response:
        teams = [team_data(t, t.role) for t in team_list_for(request.user)]  # type: ignore[attr-defined]
        return Response(s.TeamSerializer(teams, many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="Create a team (you become its owner)",
        request=s.TeamCreateSerializer,
        responses={201: s.TeamSerializer, 400: E400},
    )
    def post(self, request: Request) -> Response:
        data = valid_data(s.TeamCreateSerializer, request)
        team = services.team_create(request.user, data["name"])
        return Response(s.TeamSerializer(team_data(team, "owner")).data, status=201)


class TeamDetailView(APIView):
    @extend_schema(tags=TAGS, summary="One team", responses={200: s.TeamSerializer, 404: E404})
    def get(self, request: Request, slug: str) -> Response:
        team = team_get_for(request.user, slug)
        role = team_require(request.user, team, "viewer")
        return Response(s.TeamSerializer(team_data(team, role)).data)


class MemberListView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="The team's members",
        responses={200: s.MemberSerializer(many=True), 404: E404},
    )
    def get(self, request: Request, slug: str) -> Response:
        team = team_get_for(request.user, slug)
        return Response(s.MemberSerializer(membership_list(team), many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="Add an existing user directly (owners)",
        request=s.MemberCreateSerializer,
        responses={201: s.MemberSerializer, 400: E400, 403: E403, 404: E404, 409: E409},
    )
    def post(self, request: Request, slug: str) -> Response:
        team = team_get_for(request.user, slug)
        data = valid_data(s.MemberCreateSerializer, request)
        membership = services.membership_create(team, request.user, data["username"], data["role"])
        return Response(s.MemberSerializer(membership).data, status=201)


class MemberDetailView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Change a member's role (owners)",
        request=s.MemberUpdateSerializer,
        responses={200: s.MemberSerializer, 400: E400, 403: E403, 404: E404, 409: E409},
    )
    def patch(self, request: Request, slug: str, user_id: int) -> Response:
        team = team_get_for(request.user, slug)
        data = valid_data(s.MemberUpdateSerializer, request)
        membership = services.membership_change_role(team, request.user, user_id, data["role"])
        return Response(s.MemberSerializer(membership).data)

    @extend_schema(
        tags=TAGS,
        summary="Remove another member (owners)",
        request=None,
        responses={204: None, 400: E400, 403: E403, 404: E404},
    )
    def delete(self, request: Request, slug: str, user_id: int) -> Response:
        team = team_get_for(request.user, slug)
        services.membership_remove(team, request.user, user_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LeaveView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Leave the team",
        description="The last owner cannot leave (make another member an owner first).",
        request=None,
        responses={204: None, 404: E404, 409: E409},
    )
    def post(self, request: Request, slug: str) -> Response:
        team = team_get_for(request.user, slug)
        services.membership_leave(team, request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationListView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Pending invitations (owners)",
        responses={200: s.InvitationSerializer(many=True), 403: E403, 404: E404},
    )
    def get(self, request: Request, slug: str) -> Response:
        team = team_get_for(request.user, slug, MANAGE)
        invitations = invitation_list_pending(team)
        return Response(
            s.InvitationSerializer(invitations, many=True, context={"request": request}).data
        )

    @extend_schema(
        tags=TAGS,
        summary="Invite by e-mail or create a shareable link (owners)",
        description="With an e-mail address the link is mailed there and only the account "
        "using that address may accept it; without one, whoever holds the link may.",
        request=s.InvitationCreateSerializer,
        responses={201: s.InvitationSerializer, 400: E400, 403: E403, 404: E404, 409: E409},
    )
    def post(self, request: Request, slug: str) -> Response:
        team = team_get_for(request.user, slug)
        data = valid_data(s.InvitationCreateSerializer, request)
        invitation = services.invitation_create(
            team,
            request.user,
            data.get("email"),
            data["role"],
            base_url=request.build_absolute_uri("/"),
        )
        return Response(
            s.InvitationSerializer(invitation, context={"request": request}).data, status=201
        )


class InvitationDetailView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Revoke an invitation (owners)",
        request=None,
        responses={204: None, 403: E403, 404: E404, 409: E409},
    )
    def delete(self, request: Request, slug: str, invitation_id: int) -> Response:
        team = team_get_for(request.user, slug)
        services.invitation_revoke(team, request.user, invitation_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationAcceptView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Accept an invitation",
        request=None,
        responses={200: s.InvitationAcceptedSerializer, 403: E403, 404: E404, 409: E409},
    )
    def post(self, request: Request, token: str) -> Response:
        membership: Membership = services.invitation_accept(request.user, token)
        body = {"team": team_data(membership.team, membership.role), "role": membership.role}
        return Response(s.InvitationAcceptedSerializer(body).data)
