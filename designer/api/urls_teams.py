"""API routes for teams, members, invitations and API tokens."""

from django.urls import path

from designer.api import mock_configs, teams, tokens

urlpatterns = [
    path("teams/", teams.TeamListView.as_view(), name="api-teams"),
    path("teams/<slug:slug>/", teams.TeamDetailView.as_view(), name="api-team"),
    path("teams/<slug:slug>/members/", teams.MemberListView.as_view(), name="api-members"),
    path(
        "teams/<slug:slug>/members/<int:user_id>/",
        teams.MemberDetailView.as_view(),
        name="api-member",
    ),
    path("teams/<slug:slug>/leave/", teams.LeaveView.as_view(), name="api-team-leave"),
    path(
        "teams/<slug:slug>/invitations/",
        teams.InvitationListView.as_view(),
        name="api-invitations",
    ),
    path(
        "teams/<slug:slug>/invitations/<int:invitation_id>/",
        teams.InvitationDetailView.as_view(),
        name="api-invitation",
    ),
    path(
        "invitations/<str:token>/accept/",
        teams.InvitationAcceptView.as_view(),
        name="api-invitation-accept",
    ),
    path(
        "teams/<slug:slug>/mock-config/",
        mock_configs.MockConfigView.as_view(),
        name="api-mock-config",
    ),
    path("tokens/", tokens.TokenListView.as_view(), name="api-tokens"),
    path("tokens/<int:token_id>/", tokens.TokenDetailView.as_view(), name="api-token"),
]
