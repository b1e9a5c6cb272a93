"""Accounts: signing up, confirming the e-mail address, and who may sign up at all.

A username is unique regardless of case; an e-mail address is required (it is
how a forgotten password is reset) and belongs to one account only. Passwords
go through Django's configured password validators.

Sign-up never tells whether a username or an e-mail address is already in use:
every sign-up that passes the format checks gets the same answer ("we sent you
a message") and exactly one e-mail is sent, to the address that was typed:

* a new name and address: the account is created; the message holds the link
  that confirms the address and activates the account (or, with
  ``STATEYARD_SIGNUP_VERIFY_EMAIL=0``, says the account is ready);
* an address that has an account: nothing is created; the owner is told that
  someone tried, and how to log in or reset the password;
* a name that is taken (with a new address): nothing is created; the message
  asks to choose another name.

The password is hashed in every branch, so the answer takes as long either
way. Sign-ups are counted per IP address and per e-mail address
(``designer.services.throttle``): past the limit nothing is hashed or sent.
Usernames are public handles (team pages show them): who owns the
address a message went to can still learn that a name is taken.

``STATEYARD_SIGNUP``: ``open`` (anyone), ``invite`` (only with a pending
invitation: the sign-up continues to it), ``closed`` (no sign-up page).
"""

from __future__ import annotations

import logging
import math
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from designer import errors
from designer.selectors.teams import invitation_by_token
from designer.services.teams import invitation_status
from designer.services.throttle import signup_request

logger = logging.getLogger(__name__)

SIGNUP_MODES = ("open", "invite", "closed")


class _ActivationTokens(PasswordResetTokenGenerator):
    """Links that confirm an address; they stop working once the account is active."""

    key_salt = "stateyard.accounts.activation"

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        return f"{user.pk}{user.password}{user.is_active}{user.email}{timestamp}"


activation_tokens = _ActivationTokens()


def signup_mode() -> str:
    mode = str(getattr(settings, "STATEYARD_SIGNUP", "open")).lower()
    return mode if mode in SIGNUP_MODES else "closed"


def signup_allowed(invitation_token: str | None) -> bool:
    """Whether a sign-up may happen now (``invite`` needs a pending invitation's token)."""
    mode = signup_mode()
    if mode == "open":
        return True
    if mode == "closed" or not invitation_token:
        return False
    invitation = invitation_by_token(invitation_token)
    return invitation is not None and invitation_status(invitation) == "pending"


def _check_format(username: str, email: str, password: str) -> None:
    User = get_user_model()
    problems: dict[str, list[str]] = {}
    if not username:
        problems["username"] = ["This field is required."]
    else:
        try:
            UnicodeUsernameValidator()(username)
        except ValidationError as exc:
            problems["username"] = list(exc.messages)
        if len(username) > 150:
            problems.setdefault("username", []).append("Use at most 150 characters.")
    if not email:
        problems["email"] = ["This field is required."]
    else:
        try:
            validate_email(email)
        except ValidationError as exc:
            problems["email"] = list(exc.messages)
    if not password:
        problems["password"] = ["This field is required."]
    else:
        try:
            password_validation.validate_password(password, User(username=username, email=email))
        except ValidationError as exc:
            problems["password"] = list(exc.messages)
    if problems:
        raise errors.ValidationFailed("The account could not be created.", problems)


def _mail(kind: str, to: str, context: dict[str, Any]) -> None:
    subjects = {
        "activate": "Confirm your Stateyard account",
        "ready": "Your Stateyard account is ready",
        "exists": "You already have a Stateyard account",
        "taken": "Choose another Stateyard username",
    }
    body = render_to_string("registration/signup_email.txt", {**context, "kind": kind})
    try:
        send_mail(subjects[kind], body, None, [to])
    except Exception:  # the answer must not depend on the mail server either
        logger.exception("could not send the sign-up e-mail (%s)", kind)


def _wait_text(seconds: int) -> str:
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes > 1 else ''}"


def account_sign_up(
    username: str,
    email: str,
    password: str,
    *,
    base_url: str,
    next_url: str = "",
    ip: str = "unknown",
) -> None:
    """Create the account when name and address are free; mail the address in every case.

    Raises ``ValidationFailed`` (by field) only for what the form itself gets wrong, and
    ``Throttled`` past the sign-ups allowed from ``ip`` or for the address
    (``designer.services.throttle``): then nothing is hashed or sent.
    """
    User = get_user_model()
    username = (username or "").strip()
    email = User.objects.normalize_email((email or "").strip())
    _check_format(username, email, password)
    wait = signup_request(ip, email)
    if wait:
        raise errors.Throttled(
            f"Too many sign-ups from this address or for this e-mail address. "
            f"Try again in {_wait_text(wait)}.",
            wait,
        )
    verify = bool(getattr(settings, "STATEYARD_SIGNUP_VERIFY_EMAIL", True))
    base = base_url.rstrip("/")
    context: dict[str, Any] = {
        "username": username,
        "login_url": base + reverse("login"),
        "reset_url": base + reverse("password_reset"),
        "signup_url": base + reverse("signup"),
    }
    hashed = make_password(password)  # in every branch: the same work, the same time
    existing = User.objects.filter(email__iexact=email).only("email").first()
    if existing is not None:
        _mail("exists", existing.email, context)  # to the address on the account
        return
    if User.objects.filter(username__iexact=username).exists():
        _mail("taken", email, context)
        return
    try:
        with transaction.atomic():
            user = User.objects.create(
                username=username, email=email, password=hashed, is_active=not verify
            )
    except IntegrityError:  # someone took the name a moment ago
        _mail("taken", email, context)
        return
    if not verify:
        _mail("ready", email, context)
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = base + reverse("signup_activate", args=[uid, activation_tokens.make_token(user)])
    if next_url:
        link += "?" + urlencode({"next": next_url})
    _mail("activate", email, {**context, "activate_url": link})


def account_activate(uidb64: str, token: str) -> Any:
    """Activate the account the link names; the user, or None for a wrong or used link."""
    User = get_user_model()
    try:
        user = User.objects.filter(pk=force_str(urlsafe_base64_decode(uidb64))).first()
    except (ValueError, TypeError, OverflowError):
        return None
    if user is None or user.is_active or not activation_tokens.check_token(user, token):
        return None
    if user.last_login is not None:  # deactivated by an administrator, not a new account
        return None
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user
