"""Every model has a working Django admin page (list and add) for staff."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client

pytestmark = pytest.mark.django_db

MODELS = list(apps.get_app_config("designer").get_models())


def test_every_designer_model_is_registered() -> None:
    missing = [m.__name__ for m in MODELS if m not in admin.site._registry]
    assert missing == []


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_admin_pages_open(model: type) -> None:
    boss = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw")
    client = Client()
    client.force_login(boss)
    meta = model._meta  # type: ignore[attr-defined]
    listing = client.get(f"/admin/{meta.app_label}/{meta.model_name}/")
    assert listing.status_code == 200
    adding = client.get(f"/admin/{meta.app_label}/{meta.model_name}/add/")
    assert adding.status_code == 200


def test_admin_needs_staff() -> None:
    user = get_user_model().objects.create_user("plain", password="pw")
    client = Client()
    client.force_login(user)
    response = client.get("/admin/designer/workflow/")
    assert response.status_code == 302
