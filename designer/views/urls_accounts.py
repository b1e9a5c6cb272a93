"""Account and team pages."""

from django.contrib.auth import views as auth_views
from django.urls import path

from designer.views import accounts, aws_settings, teams

urlpatterns = [
    path("", accounts.home, name="home"),
    path("accounts/signup/", accounts.sign_up, name="signup"),
    path("accounts/signup/sent/", accounts.signup_sent, name="signup_sent"),
    path(
        "accounts/activate/<uidb64>/<token>/",
        accounts.signup_activate,
        name="signup_activate",
    ),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password-reset/",
        accounts.PasswordResetView.as_view(
            subject_template_name="registration/password_reset_subject.txt",
            email_template_name="registration/password_reset_email.txt",
        ),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("teams/new/", teams.team_create, name="team_create"),
    path("teams/<slug:slug>/", teams.team_detail, name="team_detail"),
    path("teams/<slug:slug>/invite/", teams.team_invite, name="team_invite"),
    path("teams/<slug:slug>/aws/", aws_settings.aws_settings, name="team_aws"),
    path("teams/<slug:slug>/aws/keys/", aws_settings.access_key_new, name="team_aws_key_new"),
    path(
        "teams/<slug:slug>/aws/keys/<int:key_id>/revoke/",
        aws_settings.access_key_revoke,
        name="team_aws_key_revoke",
    ),
    path(
        "teams/<slug:slug>/aws/mock-config/",
        aws_settings.mock_config_save,
        name="team_aws_mock_config",
    ),
    path("teams/<slug:slug>/leave/", teams.team_leave, name="team_leave"),
    path(
        "teams/<slug:slug>/members/<int:user_id>/role/",
        teams.member_role,
        name="team_member_role",
    ),
    path(
        "teams/<slug:slug>/members/<int:user_id>/remove/",
        teams.member_remove,
        name="team_member_remove",
    ),
    path(
        "teams/<slug:slug>/invitations/<int:invitation_id>/revoke/",
        teams.invitation_revoke,
        name="team_invitation_revoke",
    ),
    path("invitations/<str:token>/", teams.invitation_accept, name="invitation_accept"),
]
