"""Sign-up and password reset send mail to the address typed: both are rate-limited.

A tester sent 36 sign-ups from one address in two minutes, each mailing the
address typed (a mailbox flood; each also costs a password hash). Past
``SIGNUP_IP_REQUESTS`` from one address or ``SIGNUP_EMAIL_REQUESTS`` for one
e-mail address within the window, the page answers 429 with ``Retry-After``
and says how long to wait; nothing is created, hashed or sent. Password reset
requests have their own limits.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from tests.designer.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def limits(settings: Any, **values: int) -> None:
    settings.STATEYARD_THROTTLE = {**django_settings.STATEYARD_THROTTLE, **values}


def sign_up(name: str, email: str, ip: str = "203.0.113.7") -> Any:
    data = {"username": name, "email": email, "password1": PASSWORD, "password2": PASSWORD}
    return Client(REMOTE_ADDR=ip).post("/accounts/signup/", data)


def test_the_limits_are_on_by_default() -> None:
    assert django_settings.STATEYARD_THROTTLE["SIGNUP_IP_REQUESTS"] > 0
    assert django_settings.STATEYARD_THROTTLE["SIGNUP_EMAIL_REQUESTS"] > 0
    assert django_settings.STATEYARD_THROTTLE["RESET_IP_REQUESTS"] > 0
    assert django_settings.STATEYARD_THROTTLE["RESET_EMAIL_REQUESTS"] > 0


def test_sign_ups_from_one_address_are_limited(settings: Any) -> None:
    limits(settings, SIGNUP_IP_REQUESTS=3, SIGNUP_EMAIL_REQUESTS=10)
    for n in range(3):
        assert sign_up(f"user{n}", f"user{n}@example.com").status_code == 302
    refused = sign_up("user9", "user9@example.com")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= settings.STATEYARD_THROTTLE["WINDOW_SECONDS"]
    assert "Too many sign-ups" in refused.content.decode()
    assert "Try again in 15 minutes" in refused.content.decode()
    assert len(mail.outbox) == 3
    assert not get_user_model().objects.filter(username="user9").exists()
    assert sign_up("user9", "user9@example.com", ip="198.51.100.1").status_code == 302


def test_sign_ups_for_one_e_mail_address_are_limited(settings: Any) -> None:
    limits(settings, SIGNUP_IP_REQUESTS=100, SIGNUP_EMAIL_REQUESTS=2)
    for n in range(2):
        assert sign_up(f"user{n}", "victim@example.com", ip=f"192.0.2.{n}").status_code == 302
    refused = sign_up("user5", "VICTIM@example.com", ip="192.0.2.99")
    assert refused.status_code == 429 and refused["Retry-After"]
    assert len(mail.outbox) == 2 and all(m.to == ["victim@example.com"] for m in mail.outbox)
    assert sign_up("user6", "other@example.com", ip="192.0.2.99").status_code == 302


def test_a_form_error_is_not_counted(settings: Any) -> None:
    limits(settings, SIGNUP_IP_REQUESTS=1)
    bad = Client(REMOTE_ADDR="203.0.113.7").post("/accounts/signup/", {"username": "x"})
    assert bad.status_code == 400
    assert sign_up("ada", "ada@example.com").status_code == 302


def reset(email: str, ip: str = "203.0.113.7") -> Any:
    return Client(REMOTE_ADDR=ip).post("/accounts/password-reset/", {"email": email})


def test_password_resets_are_limited_per_address_and_per_e_mail(settings: Any, owner: Any) -> None:
    limits(settings, RESET_IP_REQUESTS=3, RESET_EMAIL_REQUESTS=2)
    for ip in ("192.0.2.1", "192.0.2.2"):
        assert reset("olivia@example.com", ip=ip).status_code == 302
    refused = reset("olivia@example.com", ip="192.0.2.3")
    assert refused.status_code == 429 and refused["Retry-After"]
    assert "Too many password resets" in refused.content.decode()
    assert len(mail.outbox) == 2
    mail.outbox.clear()
    for n in range(3):  # unknown addresses count too (the answer must not differ)
        assert reset(f"ghost{n}@example.com").status_code == 302
    assert reset("ghost9@example.com").status_code == 429
