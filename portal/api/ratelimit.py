"""Requests per API client per minute: a token bucket in this process.

The bucket lives in process memory, so with several worker processes each allows the full
rate; a shared store (e.g. Redis) is the next step when the portal runs on several hosts.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field


@dataclass
class RateLimiter:
    per_minute: int
    clock: object = time.monotonic
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, key: str) -> int | None:
        """Use one request of ``key``'s allowance: None when allowed, else whole seconds to wait."""
        now = self.clock()  # type: ignore[operator]
        rate = self.per_minute / 60.0
        with self._lock:
            tokens, last = self._buckets.get(key, (float(self.per_minute), now))
            tokens = min(float(self.per_minute), tokens + (now - last) * rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return None
            self._buckets[key] = (tokens, now)
            return max(1, math.ceil((1.0 - tokens) / rate))
