"""WSGI entry point (plain HTTP only; use the ASGI one for websockets)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stateyard.settings")
application = get_wsgi_application()
