"""The Celery application (used only when REDIS_URL is set; embedded mode runs in-process)."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stateyard.settings")

app = Celery("stateyard")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["designer"])
