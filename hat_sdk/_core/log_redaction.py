"""Keep tokens out of third-party debug logs.

httpcore's DEBUG trace logs every response's headers, including the refreshed ``X-Auth-Token`` a
HAT sends back. A filter on those loggers masks JWT-looking text before any handler sees it.
"""

from __future__ import annotations

import logging

from hat_sdk.errors import redact

_HEADER_LOGGERS = ("httpcore.http11", "httpcore.http2")


class RedactTokens(logging.Filter):
    """Rewrites a record's message with anything JWT-like masked; never drops records."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = redact(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def install() -> None:
    """Attach the filter to the loggers that print HTTP headers (idempotent)."""
    for name in _HEADER_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(existing, RedactTokens) for existing in logger.filters):
            logger.addFilter(RedactTokens())
