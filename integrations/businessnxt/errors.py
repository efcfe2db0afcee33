"""What can go wrong talking to Business NXT, as typed errors the callers can act on.

Reads and writes fail differently. A read that failed can simply be sent again, so its
passing failures are `TransientFailure` (a `TransientError`: Celery tasks retry those).
A write (a GraphQL mutation) that failed may or may not have been applied, so it never
raises `TransientFailure`. Instead it raises one of:

- `OutcomeUnknown`: the request went out and no reliable answer came back. Read back
  before doing anything else.
- `MutationNotSent`: Business NXT turned the request away before running it. Sending it
  again later is safe.
- `BusinessNxtError` itself: Business NXT answered and rejected it (for example a GraphQL
  validation error), so it was not applied.

Neither of the write errors is a `TransientError`, on purpose. A Celery task that retried
on them would run again from the start and repeat writes that had already been applied.
"""

from __future__ import annotations

from typing import Any

from kredin.tasks import TransientError


class BusinessNxtError(Exception):
    """Business NXT refused the request for a reason retrying will not fix."""

    def __init__(
        self,
        message: str,
        *,
        code: str = "",
        messages: tuple[str, ...] = (),
        data: dict[str, Any] | None = None,
        extensions: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        # Every GraphQL error message, not only the first, and any `data` that came with
        # them (execution errors can come with partial results).
        self.messages = messages or (message,)
        self.data = data
        # The first error's `extensions` beyond its code (a refused voucher may name the
        # field and value, e.g. {"field": "creditAccountNo", "value": 3999}).
        self.extensions = extensions or {}


class NotAuthorized(BusinessNxtError):
    """HTTP 401 even with a freshly refreshed access token (so nothing was applied)."""


class OutcomeUnknown(BusinessNxtError):
    """A mutation went out and no usable answer came back: a timeout, a connection lost
    after sending, a 5xx or a body that is not JSON. Business NXT may have applied it
    anyway. A long mutation can finish on the server after the response is lost."""

    def __init__(self, *, operation_name: str, reason: str) -> None:
        super().__init__(
            f"Business NXT mutation {operation_name} may or may not have been applied "
            f"({reason}). Resolve it by reading back before sending it again.",
            code="OUTCOME_UNKNOWN",
        )
        self.operation_name = operation_name
        self.reason = reason


class MutationNotSent(BusinessNxtError):
    """Business NXT turned a mutation away before running it: the rate limit (HTTP 429), the
    in-flight limit, or a connection that never opened. It was certainly not applied, and
    it is safe to send it again after `retry_after` seconds (None when not said)."""

    def __init__(
        self, *, operation_name: str, reason: str, retry_after: float | None = None
    ) -> None:
        super().__init__(
            f"Business NXT did not run mutation {operation_name} ({reason}); it was not "
            "applied and can be sent again later.",
            code="MUTATION_NOT_SENT",
        )
        self.operation_name = operation_name
        self.reason = reason
        self.retry_after = retry_after


class TransientFailure(TransientError):
    """A read worth retrying: the service is busy, slow or briefly broken."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after
