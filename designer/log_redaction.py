"""Keep secrets in URLs out of the server's logs.

Websocket clients should send their API token in the ``Authorization`` header
or the ``stateyard.token`` subprotocol (``designer.ws_auth``); a token in the
query string (``?token=sy_...``) still works but would be written to the
access log with the URL. ``RedactSecrets`` rewrites every ``token=``,
``access_token=`` and ``api_key=`` value in a log record's message and
arguments to ``[redacted]``. ``install`` puts it on uvicorn's access and error
loggers (uvicorn logs websocket handshakes on the error logger) and on
Django's request loggers; it runs when the app starts (``DesignerConfig``),
after logging was configured, so it works with uvicorn's own log setup.
"""

from __future__ import annotations

import logging
import re
from typing import Any

SECRET_PARAMETER = re.compile(r"(?i)([?&;](?:token|access_token|api_key)=)[^&;#\s\"']*")
LOGGERS = ("uvicorn.access", "uvicorn.error", "django.request", "django.server")
REDACTED = "[redacted]"


def redact(text: str) -> str:
    return SECRET_PARAMETER.sub(rf"\g<1>{REDACTED}", text)


def _clean(value: Any) -> Any:
    return redact(value) if isinstance(value, str) else value


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_clean(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _clean(arg) for key, arg in record.args.items()}
        return True


def install() -> None:
    """Add the filter to the loggers that write request URLs (once each)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())
