"""The team's AWS API page: your access keys (create, shown once; revoke) and the team's
Step Functions Local mock configuration (editors upload or remove it).

Every rule is in ``designer.services.access_keys`` and ``designer.services.mock_configs``.
A new key is Post/Redirect/Get: the POST keeps the secret in the session for one display,
the page it redirects to shows it and forgets it (a reload shows it no more, and makes no
second key). Every problem of a refused mock configuration is listed by the field.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from designer import arns, errors
from designer.models import ROLE_RANK, Role, Team
from designer.services import access_keys, mock_configs
from designer.services.access import VIEW, role_of, team_get_for
from designer.views.errors import form_add_errors, message_for, raise_for_page


class KeyForm(forms.Form):
    description = forms.CharField(
        max_length=80, required=False, help_text="What the key is for (a CI job, a laptop)."
    )


class MockConfigForm(forms.Form):
    config = forms.CharField(
        label="Mock configuration (JSON)",
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
        required=False,
        help_text="Step Functions Local's MockConfigFile.json: StateMachines and MockedResponses.",
    )
    file = forms.FileField(label="…or upload the file", required=False)


def _team(request: HttpRequest, slug: str) -> Team:
    try:
        return team_get_for(request.user, slug, VIEW)
    except errors.DomainError as exc:
        raise_for_page(exc)
        raise  # pragma: no cover


_NEW_KEY = "aws_new_key"  # the session entry holding a new key until it is shown once


def _new_key_shown_once(request: HttpRequest, team: Team) -> dict[str, Any] | None:
    kept = request.session.pop(_NEW_KEY, None)
    if not isinstance(kept, dict) or kept.get("team") != team.pk:
        return None
    return {"key": {"key_id": kept["key_id"]}, "secret": kept["secret"]}


def _page(
    request: HttpRequest,
    team: Team,
    *,
    new_key: dict[str, Any] | None = None,
    key_form: KeyForm | None = None,
    mock_form: MockConfigForm | None = None,
    status: int = 200,
) -> HttpResponse:
    role = role_of(request.user, team) or Role.VIEWER
    config = mock_configs.mock_config_get(request.user, team.slug)
    context: dict[str, Any] = {
        "team": team,
        "account_id": arns.account_id(team.pk),
        "region": arns.region(),
        "endpoint": request.build_absolute_uri("/aws"),
        "keys": [k for k in access_keys.access_key_list(request.user) if k.team_id == team.pk],
        "new_key": new_key,
        "key_form": key_form or KeyForm(),
        "can_edit": ROLE_RANK[Role(role)] >= ROLE_RANK[Role.EDITOR],
        "mock_form": mock_form
        or MockConfigForm(initial={"config": json.dumps(config, indent=2) if config else ""}),
        "has_mock_config": bool(config),
    }
    return render(request, "teams/aws.html", context, status=status)


@login_required
def aws_settings(request: HttpRequest, slug: str) -> HttpResponse:
    team = _team(request, slug)
    return _page(request, team, new_key=_new_key_shown_once(request, team))


@login_required
@require_POST
def access_key_new(request: HttpRequest, slug: str) -> HttpResponse:
    team = _team(request, slug)
    form = KeyForm(request.POST)
    if form.is_valid():
        try:
            made = access_keys.access_key_create(
                request.user, team.slug, form.cleaned_data["description"]
            )
        except errors.DomainError as exc:
            raise_for_page(exc)
            form_add_errors(form, exc)
        else:
            request.session[_NEW_KEY] = {
                "team": team.pk,
                "key_id": made.key.key_id,
                "secret": made.secret,
            }
            return redirect("team_aws", slug=team.slug)
    return _page(request, team, key_form=form, status=400)


@login_required
@require_POST
def access_key_revoke(request: HttpRequest, slug: str, key_id: int) -> HttpResponse:
    team = _team(request, slug)
    try:
        key = access_keys.access_key_revoke(request.user, key_id)
    except errors.DomainError as exc:
        message_for(request, exc)
    else:
        messages.success(request, f"Access key {key.key_id} revoked.")
    return redirect("team_aws", slug=team.slug)


@login_required
@require_POST
def mock_config_save(request: HttpRequest, slug: str) -> HttpResponse:
    team = _team(request, slug)
    form = MockConfigForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, team, mock_form=form, status=400)
    upload = form.cleaned_data.get("file")
    text = upload.read().decode("utf-8", "replace") if upload else form.cleaned_data["config"]
    try:
        if not text.strip():
            mock_configs.mock_config_clear(request.user, team.slug)
            messages.success(request, "Mock configuration removed.")
            return redirect("team_aws", slug=team.slug)
        try:
            config = json.loads(text)
        except ValueError as err:
            raise errors.ValidationFailed(f"The mock configuration is not JSON: {err}.") from None
        mock_configs.mock_config_set(request.user, team.slug, config)
    except errors.DomainError as exc:
        raise_for_page(exc)
        form_add_errors(form, exc, rename={"problems": "config"})  # every problem, not the first
        return _page(request, team, mock_form=form, status=400)
    messages.success(request, "Mock configuration saved.")
    return redirect("team_aws", slug=team.slug)
