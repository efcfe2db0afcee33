"""A request-rate limiter shared by every worker that talks to one accounting system.

Business NXT allows 600 requests a minute per token. With Redis configured
(RATE_LIMIT_REDIS_URL) the count is shared across processes; without it (the demo)
one process counts for itself, which is right because the demo runs one worker.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from functools import lru_cache

from django.conf import settings


class InProcessLimiter:
    def __init__(self, *, per_minute: int) -> None:
        self.per_minute = per_minute
        self._calls: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def acquire(self, key: str) -> None:
        while True:
            with self._lock:
                now = time.monotonic()
                calls = self._calls.setdefault(key, deque())
                while calls and now - calls[0] >= 60:
                    calls.popleft()
                if len(calls) < self.per_minute:
                    calls.append(now)
                    return
                wait = 60 - (now - calls[0])
            time.sleep(min(max(wait, 0.01), 1.0))


class RedisLimiter:
    """Fixed one-minute windows in Redis: INCR, and wait for the next window when full."""

    def __init__(self, *, url: str, per_minute: int) -> None:
        import redis

        self.per_minute = per_minute
        self._redis = redis.Redis.from_url(url, socket_timeout=2)

    def acquire(self, key: str) -> None:
        while True:
            window = int(time.time() // 60)
            redis_key = f"kredin:ratelimit:{key}:{window}"
            with self._redis.pipeline() as pipe:
                pipe.incr(redis_key)
                pipe.expire(redis_key, 120)
                count, _ = pipe.execute()
            if count <= self.per_minute:
                return
            time.sleep(max(0.05, (window + 1) * 60 - time.time()))


@lru_cache(maxsize=1)
def shared_limiter() -> InProcessLimiter | RedisLimiter:
    per_minute = settings.BUSINESS_NXT_REQUESTS_PER_MINUTE
    if settings.RATE_LIMIT_REDIS_URL:
        return RedisLimiter(url=settings.RATE_LIMIT_REDIS_URL, per_minute=per_minute)
    return InProcessLimiter(per_minute=per_minute)
