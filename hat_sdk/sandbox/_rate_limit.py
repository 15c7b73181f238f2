"""Token-bucket rate limiting of ``GET /users/access_token``.

As [HAT] ``hat/app/org/hatdex/hat/authentication/HatApiController.scala:121-196`` (``UserLimiter``:
10 requests burst, one more every 2 s, keyed by ``playguard.clientipheader`` =
``X-Forwarded-For``, ``hat/conf/application.conf:10``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass
class TokenBucketLimiter:
    """Per-client token buckets: ``burst`` requests at once, refilled at ``rate`` per second."""

    burst: float = 10.0
    rate: float = 0.5
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)

    def allow(self, client: str) -> bool:
        """Take one token from ``client``'s bucket; ``False`` when it is empty."""
        now = time.monotonic()
        tokens, last = self._buckets.get(client, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if tokens < 1.0:
            self._buckets[client] = (tokens, now)
            return False
        self._buckets[client] = (tokens - 1.0, now)
        return True
