"""Business NXT's two limits: requests per minute per token, and requests in flight per company.

Counters live in process memory behind a lock: correct across the threads of one server (the
demo server, the test live server). Several server processes each count on their own.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from contextlib import contextmanager

from sandbox import conf

WINDOW_SECONDS = 60.0

_lock = threading.Lock()
_requests: dict[str, deque[float]] = {}
_in_flight: dict[int, int] = {}


def hit(token_key: str) -> float | None:
    """Count a request; returns seconds to wait (Retry-After) when over the limit, else None."""
    limit = conf.rate_limit_per_minute()
    now = time.monotonic()
    with _lock:
        stamps = _requests.setdefault(token_key, deque())
        while stamps and stamps[0] <= now - WINDOW_SECONDS:
            stamps.popleft()
        if len(stamps) >= limit:
            return max(0.0, stamps[0] + WINDOW_SECONDS - now)
        stamps.append(now)
        if len(_requests) > 10_000:  # forget idle tokens
            for key in [k for k, v in _requests.items() if not v]:
                del _requests[key]
        return None


class OutstandingLimitExceeded(Exception):
    def __init__(self, company_no: int, limit: int):
        super().__init__(
            f"Company {company_no} has {limit} requests in progress. Limit is {limit}."
        )
        self.company_no = company_no
        self.limit = limit


@contextmanager
def in_flight(company_nos: set[int]):
    """Hold one slot per company for the duration of a request."""
    limit = conf.max_in_flight()
    taken: list[int] = []
    with _lock:
        for no in sorted(company_nos):
            if _in_flight.get(no, 0) >= limit:
                for t in taken:
                    _in_flight[t] -= 1
                raise OutstandingLimitExceeded(no, limit)
            _in_flight[no] = _in_flight.get(no, 0) + 1
            taken.append(no)
    try:
        yield
    finally:
        with _lock:
            for no in taken:
                _in_flight[no] -= 1


def reset() -> None:
    with _lock:
        _requests.clear()
        _in_flight.clear()
