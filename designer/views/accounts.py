"""Account pages: sign-up, log-in (Django's, behind the throttle) and the home page.

Sign-up answers every well-formed request with the same "check your e-mail"
page (``designer.services.accounts`` explains why); the link in the message
activates the account, logs in and continues to ``next`` (an invitation, say).

Password reset is Django's own views. The log-in page answers 429 with
``Retry-After`` and says how long to wait while the account or the address is
locked (``designer.services.throttle``); so do sign-up and the password reset
request past the requests allowed from one address or for one e-mail address
(each sends mail to the address typed).
"""

from __future__ import annotations

import math

from django import forms
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from designer.errors import Throttled, ValidationFailed
from designer.selectors.teams import team_list_for
from designer.services.accounts import (
    account_activate,
    account_sign_up,
    signup_allowed,
    signup_mode,
)
from designer.services.throttle import client_ip, login_retry_after, password_reset_request
from designer.views.errors import form_add_errors


class SignUpForm(forms.Form):
    username = forms.CharField(max_length=150, help_text="Letters, digits and @ . + - _ only.")
    email = forms.EmailField(help_text="Used to reset a forgotten password.")
    password1 = forms.CharField(label="Password", strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label="Password again", strip=False, widget=forms.PasswordInput)

    def clean(self) -> dict[str, object] | None:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", "The two passwords differ.")
        return data


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's log-in form; refuses at once, with the wait, while locked."""

    retry_after = 0

    def _throttled(self) -> ValidationError | None:
        username = str(self.cleaned_data.get("username") or "")
        self.retry_after = login_retry_after(username, client_ip(self.request))
        if not self.retry_after:
            return None
        minutes = math.ceil(self.retry_after / 60)
        return ValidationError(
            f"Too many failed log-ins. Try again in {minutes} minute{'s' if minutes > 1 else ''}.",
            code="throttled",
        )

    def clean(self) -> dict[str, object]:
        throttled = self._throttled()
        if throttled is not None:
            raise throttled
        try:
            return super().clean()
        except ValidationError:
            throttled = self._throttled()  # this failure may have reached the limit
            if throttled is not None:
                raise throttled from None
            raise


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def form_invalid(self, form: ThrottledAuthenticationForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_invalid(form)
        if form.retry_after:
            response.status_code = 429
            response["Retry-After"] = str(form.retry_after)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page; past the resets allowed from one address or for one e-mail
    address (``designer.services.throttle``) it answers 429 and sends nothing."""

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        wait = password_reset_request(client_ip(self.request), form.cleaned_data["email"])
        if not wait:
            return super().form_valid(form)
        minutes = math.ceil(wait / 60)
        form.add_error(
            None,
            "Too many password resets from this address or for this e-mail address. "
            f"Try again in {minutes} minute{'s' if minutes > 1 else ''}.",
        )
        response = self.form_invalid(form)
        response.status_code = 429
        response["Retry-After"] = str(wait)
        return response


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _invitation_token(next_url: str) -> str | None:
    """The invitation a sign-up continues to (``next`` is its accept page), if any."""
    try:
        match = resolve(next_url.split("?", 1)[0]) if next_url else None
    except Resolver404:
        return None
    if match is None or match.url_name != "invitation_accept":
        return None
    return str(match.kwargs["token"])


@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    if signup_mode() == "closed":
        raise Http404("Sign-up is closed.")
    next_url = _next_url(request)
    if not signup_allowed(_invitation_token(next_url)):
        return render(request, "registration/signup_invite_only.html", status=403)
    form = SignUpForm(request.POST or None)
    wait = 0
    if request.method == "POST" and form.is_valid():
        try:
            account_sign_up(
                form.cleaned_data["username"],
                form.cleaned_data["email"],
                form.cleaned_data["password1"],
                base_url=request.build_absolute_uri("/"),
                next_url=next_url,
                ip=client_ip(request),
            )
        except ValidationFailed as exc:
            form_add_errors(form, exc, rename={"password": "password1"})
        except Throttled as exc:
            form.add_error(None, exc.message)
            wait = exc.retry_after
        else:  # the same answer whether or not the name or the address was in use
            return redirect("signup_sent")
    status = 429 if wait else 400 if form.is_bound else 200
    response = render(
        request, "registration/signup.html", {"form": form, "next": next_url}, status=status
    )
    if wait:
        response["Retry-After"] = str(wait)
    return response


def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/signup_sent.html")


def signup_activate(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = account_activate(uidb64, token)
    if user is None:
        return render(request, "registration/signup_activate_invalid.html", status=400)
    login(request, user, backend="designer.auth_backends.ThrottledModelBackend")
    return redirect(_next_url(request) or "home")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/home.html", {"teams": team_list_for(request.user)})
