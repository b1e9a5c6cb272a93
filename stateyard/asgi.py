"""ASGI entry point: HTTP through Django, websockets through Channels (authenticated)."""

from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stateyard.settings")
django_asgi = get_asgi_application()

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
