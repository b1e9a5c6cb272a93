"""Team pages: create a team, the team page with its member and invitation actions,
and the page that accepts an invitation. Every rule is in ``designer.services.teams``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from designer import errors
from designer.models import Role, Team
from designer.selectors.teams import (
    invitation_by_token,
    invitation_list_pending,
    membership_list,
)
from designer.services import teams as services
from designer.services.access import role_of, team_get_for
from designer.views.errors import form_add_errors, message_for, raise_for_page


class TeamForm(forms.Form):
    name = forms.CharField(max_length=80)


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="E-mail (optional)",
        required=False,
        help_text="Leave empty to create a link you can share yourself.",
    )
    role = forms.ChoiceField(choices=Role.choices, initial=Role.VIEWER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


def _team(request: HttpRequest, slug: str, minimum: str = "viewer") -> Team:
    try:
        return team_get_for(request.user, slug, minimum)
    except errors.DomainError as exc:
        raise_for_page(exc)
        raise  # pragma: no cover - raise_for_page always raises for these


@login_required
@require_http_methods(["GET", "POST"])
def team_create(request: HttpRequest) -> HttpResponse:
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(request.user, form.cleaned_data["name"])
        except errors.DomainError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, f"Team “{team.name}” created.")
            return redirect("team_detail", slug=team.slug)
    return render(
        request, "teams/create.html", {"form": form}, status=400 if form.is_bound else 200
    )


def _team_page(
    request: HttpRequest, team: Team, invite_form: InviteForm | None = None, status: int = 200
) -> HttpResponse:
    role = role_of(request.user, team)
    is_owner = role == Role.OWNER
    base = request.build_absolute_uri("/")
    members = list(membership_list(team))
    invitations = [
        {"invitation": inv, "url": services.invitation_accept_url(inv, base)}
        for inv in (invitation_list_pending(team) if is_owner else [])
    ]
    context: dict[str, Any] = {
        "team": team,
        "role": role,
        "is_owner": is_owner,
        "members": members,
        "invitations": invitations,
        "invite_form": invite_form or InviteForm(),
        "roles": Role.choices,
        # The last owner may not leave, be demoted or removed: the page does not offer it.
        "last_owner_id": services.membership_last_owner_id(team),
        "last_owner_leave": services.LAST_OWNER_LEAVE,
        "last_owner_demote": services.LAST_OWNER_DEMOTE,
    }
    return render(request, "teams/detail.html", context, status=status)


@login_required
def team_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _team_page(request, _team(request, slug))


@login_required
@require_POST
def team_invite(request: HttpRequest, slug: str) -> HttpResponse:
    team = _team(request, slug)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.invitation_create(
                team,
                request.user,
                form.cleaned_data["email"] or None,
                form.cleaned_data["role"],
                base_url=request.build_absolute_uri("/"),
            )
        except errors.DomainError as exc:
            raise_for_page(exc)
            form_add_errors(form, exc)
        else:
            if invitation.email:
                messages.success(request, f"Invitation sent to {invitation.email}.")
            else:
                messages.success(
                    request, "Invitation link created: copy it from the list of invitations."
                )
            return redirect("team_detail", slug=team.slug)
    return _team_page(request, team, invite_form=form, status=400)


@login_required
@require_POST
def member_role(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    team = _team(request, slug)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a valid role.")
        return redirect("team_detail", slug=team.slug)
    try:
        membership = services.membership_change_role(
            team, request.user, user_id, form.cleaned_data["role"]
        )
    except errors.DomainError as exc:
        message_for(request, exc)
    else:
        messages.success(
            request, f"{membership.user.get_username()} is now {membership.get_role_display()}."
        )
    return redirect("team_detail", slug=team.slug)


@login_required
@require_POST
def member_remove(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    team = _team(request, slug)
    try:
        services.membership_remove(team, request.user, user_id)
    except errors.DomainError as exc:
        message_for(request, exc)
    else:
        messages.success(request, "Member removed.")
    return redirect("team_detail", slug=team.slug)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, slug: str, invitation_id: int) -> HttpResponse:
    team = _team(request, slug)
    try:
        services.invitation_revoke(team, request.user, invitation_id)
    except errors.DomainError as exc:
        message_for(request, exc)
    else:
        messages.success(request, "Invitation revoked.")
    return redirect("team_detail", slug=team.slug)


@login_required
@require_POST
def team_leave(request: HttpRequest, slug: str) -> HttpResponse:
    team = _team(request, slug)
    try:
        services.membership_leave(team, request.user)
    except errors.DomainError as exc:
        message_for(request, exc)
        return redirect("team_detail", slug=team.slug)
    messages.success(request, f"You left “{team.name}”.")
    return redirect("home")


@login_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_by_token(token)
    if invitation is None:
        raise Http404("No such invitation.")
    problem = None
    if request.method == "POST":
        try:
            services.invitation_accept(request.user, token)
        except errors.NotFound as exc:
            raise Http404(exc.message) from exc
        except errors.DomainError as exc:  # used, revoked, expired, another address, a member
            problem = exc.message
        else:
            messages.success(request, f"Welcome to “{invitation.team.name}”.")
            return redirect("team_detail", slug=invitation.team.slug)
    else:
        try:
            services.invitation_check(request.user, invitation)
        except errors.DomainError as exc:
            problem = exc.message
    context = {"invitation": invitation, "team": invitation.team, "problem": problem}
    status = 409 if problem is not None and request.method == "POST" else 200
    return render(request, "teams/accept.html", context, status=status)
