"""``HAT_LOG=debug|info|warning|error`` (or ``hat --verbose``): hat-sdk's logs on stderr,
secrets masked.

The SDK logs under ``hat_sdk.*`` (logins, token renewals, retries) and, at debug, httpx logs
each request line. Nothing is shown unless asked for: by the ``HAT_LOG`` variable, read when a
client is built, or by calling ``enable_logging``. Tokens, passwords and secret query values are
masked before any line is written.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import warnings
from collections.abc import Mapping

from hat_sdk._core.log_redaction import install as install_header_redaction
from hat_sdk.errors import redact

__all__ = ["LEVELS", "enable_logging", "enable_logging_from_env", "mask"]

#: The values ``HAT_LOG`` accepts.
LEVELS: dict[str, int] = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warning": logging.WARNING,
    "error": logging.ERROR,
}
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
#: ``password=...``, ``"password": "..."``, ``X-Auth-Token: ...`` and the like.
_SECRET_VALUE = re.compile(
    r"""(?P<key>password|x-auth-token|access_?token|token)(?P<sep>["']?\s*[:=]\s*["']?)"""
    r"""(?P<value>[^\s"'&,;}]+)""",
    re.IGNORECASE,
)


def mask(text: str) -> str:
    """``text`` with JWT-like strings and the values of secret-named fields masked."""
    return _SECRET_VALUE.sub(r"\g<key>\g<sep><hidden>", redact(text))


class _MaskSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


class _HatLogHandler(logging.Handler):
    """Writes to the current ``sys.stderr``; its class marks it, so enabling twice adds nothing."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
        except Exception:  # a logging failure must never break the call being logged
            self.handleError(record)


def enable_logging(level: int | str = logging.INFO) -> None:
    """Show hat-sdk's logs at ``level`` (``"debug"``, ``"info"``, ``"warning"``, ``"error"`` or
    a ``logging`` level).

    Idempotent: a second call only changes the level. Lines go to stderr.
    """
    if isinstance(level, str):
        if level.lower() not in LEVELS:
            raise ValueError(f"log level {level!r} is not one of {', '.join(LEVELS)}")
        level = LEVELS[level.lower()]
    install_header_redaction()  # httpcore prints response headers (refreshed tokens) at DEBUG
    names = ("hat_sdk", "httpx") if level <= logging.DEBUG else ("hat_sdk",)
    for name in names:
        logger = logging.getLogger(name)
        logger.setLevel(level)
        if not any(isinstance(handler, _HatLogHandler) for handler in logger.handlers):
            handler = _HatLogHandler()
            handler.setFormatter(logging.Formatter(_FORMAT))
            handler.addFilter(_MaskSecrets())
            logger.addHandler(handler)


def enable_logging_from_env(environ: Mapping[str, str] | None = None) -> None:
    """Apply ``HAT_LOG`` if it is set (an unknown value is reported by a warning, not raised)."""
    value = (os.environ if environ is None else environ).get("HAT_LOG", "").strip().lower()
    if not value:
        return
    if value not in LEVELS:
        warnings.warn(f"HAT_LOG={value!r} is ignored: use one of {', '.join(LEVELS)}", stacklevel=2)
        return
    enable_logging(value)
