"""ASGI entry point: HTTP through Django, websockets through Channels (authenticated)."""

from __future__ import annotations

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stateyard.settings")
django.setup(set_prefix=False)  # what django.core.asgi.get_asgi_application does first

from stateyard.asgi_handler import ThreadedASGIHandler  # noqa: E402

django_asgi = ThreadedASGIHandler()  # one thread switch per request (stateyard.asgi_handler)

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.conf import settings  # noqa: E402

from designer.body_limit import BodyLimit  # noqa: E402
from designer.routing import websocket_urlpatterns  # noqa: E402
from designer.ws_auth import TokenAuthMiddleware  # noqa: E402
from designer.ws_origin import WebsocketOriginCheck  # noqa: E402

if settings.EMBEDDED:  # the in-process worker starts with the server (and resumes work)
    from designer.runtime import embedded

    embedded.start()

application = ProtocolTypeRouter(
    {
        "http": BodyLimit(django_asgi),  # a body over REQUEST_MAX_BYTES is never read
        # a foreign Origin, or no Origin and no token: HTTP 403 (designer.ws_origin)
        "websocket": WebsocketOriginCheck(
            AuthMiddlewareStack(TokenAuthMiddleware(URLRouter(websocket_urlpatterns)))
        ),
    }
)
