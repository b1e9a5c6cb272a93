"""Accounts: signing up.

A username is unique regardless of case; an e-mail address is required (it is
how a forgotten password is reset) and belongs to one account only. Passwords
go through Django's configured password validators.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from designer import errors


def account_sign_up(username: str, email: str, password: str) -> Any:
    """A new, active user; ``ValidationFailed`` lists every problem by field."""
    User = get_user_model()
    username = (username or "").strip()
    email = User.objects.normalize_email((email or "").strip())
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
        if User.objects.filter(username__iexact=username).exists():
            problems.setdefault("username", []).append("This username is taken.")

    if not email:
        problems["email"] = ["This field is required."]
    else:
        try:
            validate_email(email)
        except ValidationError as exc:
            problems["email"] = list(exc.messages)
        else:
            if User.objects.filter(email__iexact=email).exists():
                problems["email"] = ["An account with this e-mail address already exists."]

    if not password:
        problems["password"] = ["This field is required."]
    else:
        try:
            password_validation.validate_password(password, User(username=username, email=email))
        except ValidationError as exc:
            problems["password"] = list(exc.messages)

    if problems:
        raise errors.ValidationFailed("The account could not be created.", problems)
    try:
        with transaction.atomic():
            return User.objects.create_user(username=username, email=email, password=password)
    except IntegrityError:  # someone took the name a moment ago
        raise errors.ValidationFailed(
            "The account could not be created.", {"username": ["This username is taken."]}
        ) from None
