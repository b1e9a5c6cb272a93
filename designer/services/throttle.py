"""Failed log-ins and failed API tokens, counted in the cache so every worker sees them.

Rules (limits in ``settings.STATEYARD_THROTTLE``):

* log-in, per account: after ``LOGIN_FAILURES`` wrong passwords for one user
  name within ``WINDOW_SECONDS``, that name is locked for ``WINDOW_SECONDS``
  (even the right password is refused meanwhile);
* log-in, per IP address: after ``LOGIN_IP_FAILURES`` failures from one
  address (any names), that address is locked the same way;
* API tokens, per IP address: after ``TOKEN_IP_FAILURES`` wrong, unknown or
  revoked tokens, every token from that address is refused for the window;
* requests that send mail to an address typed by the visitor (sign-up,
  password reset) are counted, not only failures: after ``SIGNUP_IP_REQUESTS``
  sign-ups from one address, or ``SIGNUP_EMAIL_REQUESTS`` for one e-mail
  address, within the window, further ones are refused for the window
  (``RESET_IP_REQUESTS`` and ``RESET_EMAIL_REQUESTS`` for password resets).
  This bounds the mail one visitor can send to a mailbox and the password
  hashing a sign-up costs.

A failure counter starts with the first failure and expires ``WINDOW_SECONDS``
later; reaching the limit sets a lock holding its own end time, so callers can
say how long to wait (``Retry-After``). A successful log-in clears the
account's counter (not the address's). Keys hold a hash, never a user name.
With ``REDIS_URL`` the cache is Redis, shared by all web processes.
"""

from __future__ import annotations

import hashlib
import math
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache

PREFIX = "sy:throttle"
DEFAULTS = {
    "LOGIN_FAILURES": 10,
    "LOGIN_IP_FAILURES": 50,
    "TOKEN_IP_FAILURES": 50,
    "SIGNUP_IP_REQUESTS": 10,
    "SIGNUP_EMAIL_REQUESTS": 3,
    "RESET_IP_REQUESTS": 10,
    "RESET_EMAIL_REQUESTS": 3,
    "WINDOW_SECONDS": 900,
}


def _limit(name: str) -> int:
    return int(getattr(settings, "STATEYARD_THROTTLE", {}).get(name, DEFAULTS[name]))


def _keys(kind: str, value: str) -> tuple[str, str]:
    digest = hashlib.sha256(value.encode()).hexdigest()[:40]
    return f"{PREFIX}:{kind}:count:{digest}", f"{PREFIX}:{kind}:lock:{digest}"


def _retry_after(kind: str, value: str) -> int:
    _, lock = _keys(kind, value)
    until = cache.get(lock)
    if until is None:
        return 0
    return max(1, math.ceil(float(until) - time.time()))


def _fail(kind: str, value: str, limit_name: str) -> None:
    window = _limit("WINDOW_SECONDS")
    count_key, lock = _keys(kind, value)
    cache.add(count_key, 0, timeout=window)
    try:
        count = cache.incr(count_key)
    except ValueError:  # expired between add and incr
        cache.add(count_key, 1, timeout=window)
        count = 1
    if count >= _limit(limit_name):
        cache.add(lock, time.time() + window, timeout=window)


def client_ip(request: Any) -> str:
    """The caller's address (``REMOTE_ADDR``; run uvicorn with --proxy-headers behind a proxy)."""
    meta = getattr(request, "META", None) or {}
    return str(meta.get("REMOTE_ADDR") or "unknown")


def _account(username: str) -> str:
    return (username or "").strip().lower()


def login_retry_after(username: str, ip: str) -> int:
    """Seconds until a log-in for ``username`` from ``ip`` may be tried; 0 when it may now."""
    return max(_retry_after("login-user", _account(username)), _retry_after("login-ip", ip))


def login_failed(username: str, ip: str) -> None:
    _fail("login-user", _account(username), "LOGIN_FAILURES")
    _fail("login-ip", ip, "LOGIN_IP_FAILURES")


def login_succeeded(username: str) -> None:
    count_key, _ = _keys("login-user", _account(username))
    cache.delete(count_key)


def token_retry_after(ip: str) -> int:
    """Seconds until ``ip`` may present API tokens again; 0 when it may now."""
    return _retry_after("token-ip", ip)


def token_failed(ip: str) -> None:
    _fail("token-ip", ip, "TOKEN_IP_FAILURES")


def _mail_request(kind: str, ip: str, email: str) -> int:
    """Count a request that mails ``email``; the seconds to wait when it is refused (0: go on).

    A refused request is not counted: it sends nothing."""
    address = (email or "").strip().lower()
    wait = max(_retry_after(f"{kind}-ip", ip), _retry_after(f"{kind}-email", address))
    if wait:
        return wait
    _fail(f"{kind}-ip", ip, f"{kind.upper()}_IP_REQUESTS")
    _fail(f"{kind}-email", address, f"{kind.upper()}_EMAIL_REQUESTS")
    return 0


def signup_request(ip: str, email: str) -> int:
    """Count a sign-up from ``ip`` for ``email``; seconds to wait when it is refused, else 0."""
    return _mail_request("signup", ip, email)


def password_reset_request(ip: str, email: str) -> int:
    """Count a password reset from ``ip`` for ``email``; seconds to wait when refused, else 0."""
    return _mail_request("reset", ip, email)
