"""ASGI entry point: HTTP through Django, websockets through Channels.

Browser websockets pass the allowed-hosts origin check (a page on a foreign site
may not open a socket with our user's cookies), then session authentication.
Non-browser clients (bots, apps) authenticate with ``Authorization: Bearer``;
browsers always send ``Origin`` on a websocket handshake and cannot set an
``Authorization`` header, so a handshake with a bearer token and no ``Origin`` can
only come from a non-browser client and skips the origin check.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Django must be set up before anything imports models.
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from community.authentication import (  # noqa: E402
    BearerTokenWebsocketMiddleware,
    NonBrowserBearerRouter,
)
from config.routing import websocket_urlpatterns  # noqa: E402

websocket_app = AuthMiddlewareStack(
    BearerTokenWebsocketMiddleware(URLRouter(websocket_urlpatterns))
)

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": NonBrowserBearerRouter(
            browser=AllowedHostsOriginValidator(websocket_app),
            bearer=websocket_app,
        ),
    }
)
