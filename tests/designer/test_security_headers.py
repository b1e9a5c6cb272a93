"""Content-Security-Policy on every page, HSTS in production, and pages the policy permits."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.designer.conftest import PageClientFor

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def directives(response: Any) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    parsed: dict[str, list[str]] = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/", "/api/docs/"])
def test_every_page_gets_a_strict_policy(path: str, page_client_for: PageClientFor) -> None:
    response = Client().get(path)
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"][0] == "'self'" and len(policy["style-src"]) == 2
    assert re.fullmatch(r"'nonce-[\w-]{20,}'", policy["style-src"][1])
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["connect-src"] == ["'self'", "ws://testserver", "wss://testserver"]


def test_the_studio_pages_and_the_api_get_it_too(
    owner: Any, page_client_for: PageClientFor
) -> None:
    client = page_client_for(owner)
    for path in ("/", "/api/teams/"):
        response = client.get(path)
        assert response.status_code == 200
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_the_style_nonce_is_fresh_and_given_to_the_page() -> None:
    client = Client()
    nonces = []
    for _ in range(2):
        response = client.get("/accounts/login/")
        nonce = directives(response)["style-src"][1].removeprefix("'nonce-").removesuffix("'")
        assert f'<meta name="csp-nonce" content="{nonce}">' in response.content.decode()
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_only_redoc_may_inject_styles_and_never_scripts(page_client_for: PageClientFor) -> None:
    policy = directives(Client().get("/api/redoc/"))
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["script-src"] == ["'self'"]


def test_the_api_docs_have_no_inline_script() -> None:
    client = Client()
    for path in ("/api/docs/", "/api/redoc/"):
        page = client.get(path).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", page):
            assert "src=" in tag, (path, tag)
        assert "<style" not in page and "fonts.googleapis" not in page
    script = re.search(
        r'<script src="([^"]*\?script[^"]*)"', client.get("/api/docs/").content.decode()
    )
    assert script is not None
    served = client.get(script.group(1).replace("&amp;", "&"))
    assert served.status_code == 200 and b"SwaggerUIBundle" in served.content


def test_templates_have_no_inline_script_handler_or_style() -> None:
    """The policy forbids them: a template using one would break in the browser."""
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag:
                offenders.append(f"{template}: {tag}")
        if re.search(r"\son[a-z]+\s*=", text) or re.search(r"<[a-z][^>]*\sstyle\s*=", text):
            offenders.append(f"{template}: inline handler or style attribute")
        if "<style" in text or "javascript:" in text:
            offenders.append(f"{template}: <style> or javascript: URL")
    assert offenders == []


def test_the_invitation_link_still_selects_itself_without_inline_script(
    owner: Any, team: Any, page_client_for: PageClientFor
) -> None:
    client = page_client_for(owner)
    client.post("/teams/acme/invite/", {"email": "", "role": "viewer"})
    page = client.get("/teams/acme/").content.decode()
    assert 'class="copy"' in page and "onfocus" not in page
    assert '<script src="/static/js/copy-fields.js" defer></script>' in page


def test_hsts_in_production_not_in_development() -> None:
    """Settings are read at start-up: load them in fresh interpreters."""
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='stateyard.settings';"
        "from django.conf import settings; print(getattr(settings, 'SECURE_HSTS_SECONDS', 0))"
    )

    def hsts(**env: str) -> str:
        base = {"PATH": "/usr/bin:/bin", "SECRET_KEY": "x"}
        result = subprocess.run(
            [sys.executable, "-c", code],
            env={**base, **env},
            capture_output=True,
            text=True,
            check=True,
            cwd=TEMPLATES.parent,
        )
        return result.stdout.strip()

    assert hsts() == str(365 * 24 * 3600)
    assert hsts(STATEYARD_DEV="1") == "0"
    assert hsts(SECURE_HSTS_SECONDS="600") == "600"


def test_https_responses_carry_hsts(settings: Any) -> None:
    settings.SECURE_HSTS_SECONDS = 31536000
    response = Client().get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in Client().get("/accounts/login/")
