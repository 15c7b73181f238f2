"""Keep tokens and storage signatures out of third-party logs.

httpcore's DEBUG trace logs every response's headers, including the refreshed ``X-Auth-Token`` a
HAT sends back; httpx's INFO log names every request's URL, including the signature of a
presigned storage URL. A filter on those loggers masks JWT-looking text and the query values a
URL of the HAT API would not carry (see ``hat_sdk.errors.safe_url``) before any handler sees
them.
"""

from __future__ import annotations

import logging
import re

from hat_sdk.errors import redact, safe_url

_LOGGERS = ("httpx", "httpcore.http11", "httpcore.http2")
_URL = re.compile(r"https?://[^\s\"'<>]+")


class RedactTokens(logging.Filter):
    """Rewrites a record's message with secrets masked; never drops records."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = _URL.sub(lambda url: safe_url(url.group()), redact(message))
        if masked != message:
            record.msg, record.args = masked, None
        return True


def install() -> None:
    """Attach the filter to the loggers that print HTTP headers and URLs (idempotent)."""
    for name in _LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(existing, RedactTokens) for existing in logger.filters):
            logger.addFilter(RedactTokens())
