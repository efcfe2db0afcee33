"""The only code that sends HTTP requests to Business NXT.

Every request passes through `Transport.execute`. It waits for the shared rate limiter,
sends a bearer token (refreshed once when the server answers 401), uses explicit timeouts
and turns every answer into data or a typed error (see `errors`).

Only reads are retried, with exponential backoff, and only on passing trouble: HTTP 429
(waiting at least its Retry-After) and 5xx, timeouts, lost connections, a body that is not
JSON, and OUTSTANDING_LIMIT_EXCEEDED. A mutation is sent once. If its outcome is unclear,
the caller gets `OutcomeUnknown` and has to read back. `operations` decides which
documents are mutations.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import requests
from tenacity import (
    RetryCallState,
    retry,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)
from urllib3.exceptions import NewConnectionError

from integrations.businessnxt import responses
from integrations.businessnxt.errors import (
    MutationNotSent,
    NotAuthorized,
    OutcomeUnknown,
    TransientFailure,
)
from integrations.businessnxt.operations import describe_operation
from integrations.ratelimit import shared_limiter
from kredin.tasks import TransientError

logger = logging.getLogger(__name__)

USER_AGENT = "Kredin/1.0 (+https://kredin.no)"
# access_token_for refreshes a token 60 s before it expires, so one it handed out stays
# good for at least this long: no need to ask the database before every request.
TOKEN_REUSE_SECONDS = 30.0

TokenProvider = Callable[[bool], str]
"""Returns an access token; called with True to force a refresh after a 401."""

# A failure while sending a mutation, or while reading the answer to it.
_WRITE_FAILURES = (
    requests.Timeout,
    requests.ConnectionError,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)


class Transport:
    def __init__(
        self,
        *,
        token_provider: TokenProvider,
        limiter_key: str,
        graphql_url: str,
        timeout: float,
        max_attempts: int,
        retry_wait: float,
        retry_wait_max: float,
        session: requests.Session,
    ) -> None:
        self._token_provider = token_provider
        self._limiter_key = limiter_key
        self.graphql_url = graphql_url
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.retry_wait = retry_wait
        self.retry_wait_max = retry_wait_max
        self._session = session
        self._session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
        self._token_lock = threading.Lock()
        self._token: tuple[str, float] | None = None
        # The prefetching page thread sends too.
        self._count_lock = threading.Lock()
        self.requests_sent = 0

    def close(self) -> None:
        self._session.close()

    def execute(
        self,
        document: str,
        variables: dict[str, Any] | None = None,
        *,
        operation_name: str | None = None,
        as_mutation: bool = False,
    ) -> dict[str, Any]:
        """Run one GraphQL operation and return its `data`. `as_mutation` applies the
        write rules whatever the document looks like."""
        operation = describe_operation(document, operation_name=operation_name)
        payload: dict[str, Any] = {"query": document, "variables": variables or {}}
        if operation_name is not None:
            payload["operationName"] = operation_name
        if operation.is_read and not as_mutation:
            return self._read(payload)
        return self._write(payload, operation_name=operation.name)

    # --- reads: retried ----------------------------------------------------------------

    def _read(self, payload: dict[str, Any]) -> dict[str, Any]:
        attempt = retry(
            retry=retry_if_exception_type(TransientError),
            wait=self._wait,
            stop=stop_after_attempt(self.max_attempts),
            reraise=True,
            before_sleep=self._log_retry,
        )(self._read_once)
        return attempt(payload)

    def _wait(self, retry_state: RetryCallState) -> float:
        backoff = wait_exponential_jitter(
            multiplier=self.retry_wait, max=self.retry_wait_max, jitter=self.retry_wait
        )(retry_state)
        exc = retry_state.outcome.exception() if retry_state.outcome else None
        retry_after = getattr(exc, "retry_after", None) or 0
        return max(backoff, min(retry_after, 2 * self.retry_wait_max))

    @staticmethod
    def _log_retry(retry_state: RetryCallState) -> None:
        exc = retry_state.outcome.exception() if retry_state.outcome else None
        logger.info(
            "Business NXT attempt %s failed (%s); retrying", retry_state.attempt_number, exc
        )

    def _read_once(self, payload: dict[str, Any]) -> dict[str, Any]:
        response = self._send_read(payload, force_refresh=False)
        if response.status_code == 401:
            # A read changes nothing: sending it again with a fresh token is always safe.
            response = self._send_read(payload, force_refresh=True)
            if response.status_code == 401:
                raise NotAuthorized("Business NXT did not accept the access token.")
        return responses.read_data(response)

    def _send_read(self, payload: dict[str, Any], *, force_refresh: bool) -> requests.Response:
        try:
            return self._post(payload, force_refresh=force_refresh)
        except (requests.Timeout, requests.ConnectionError) as exc:
            raise TransientFailure(f"Business NXT did not answer ({type(exc).__name__}).") from exc

    # --- writes: sent once -------------------------------------------------------------

    def _write(self, payload: dict[str, Any], *, operation_name: str) -> dict[str, Any]:
        response = self._send_write(payload, operation_name=operation_name, force_refresh=False)
        if response.status_code == 401:
            # Sending a mutation twice is safe only if the first one was certainly not
            # applied. A 401 from Business NXT means that: the gateway checks the token
            # before it passes the request on (docs §4.2: an nginx HTML page, "401
            # Authorization Required"), and nothing can run without the token's user,
            # who decides which companies are reachable. If a 401 ever came with a
            # GraphQL result, that reasoning would not hold, so then it is not sent again.
            responses.raise_if_executed(response, operation_name=operation_name)
            response = self._send_write(payload, operation_name=operation_name, force_refresh=True)
            if response.status_code == 401:
                responses.raise_if_executed(response, operation_name=operation_name)
                raise NotAuthorized("Business NXT did not accept the access token.")
        return responses.write_data(response, operation_name=operation_name)

    def _send_write(
        self, payload: dict[str, Any], *, operation_name: str, force_refresh: bool
    ) -> requests.Response:
        try:
            return self._post(payload, force_refresh=force_refresh)
        except _WRITE_FAILURES as exc:
            reason = type(exc).__name__
            if _never_connected(exc):
                raise MutationNotSent(
                    operation_name=operation_name, reason=f"could not connect: {reason}"
                ) from exc
            raise OutcomeUnknown(
                operation_name=operation_name, reason=f"no answer: {reason}"
            ) from exc

    # --- the wire ----------------------------------------------------------------------

    def _post(self, payload: dict[str, Any], *, force_refresh: bool) -> requests.Response:
        shared_limiter().acquire(self._limiter_key)
        token = self._access_token(force_refresh)
        with self._count_lock:
            self.requests_sent += 1
        return self._session.post(
            self.graphql_url,
            data=request_body(payload),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            timeout=self.timeout,
        )

    def _access_token(self, force_refresh: bool) -> str:
        with self._token_lock:
            now = time.monotonic()
            if not force_refresh and self._token and now - self._token[1] < TOKEN_REUSE_SECONDS:
                return self._token[0]
            token = self._token_provider(force_refresh)
            self._token = (token, now)
            return token


def request_body(payload: dict[str, Any]) -> bytes:
    """The request as JSON, money included: a Decimal goes out as an exact JSON number
    (`158.00`), as a Decimal scalar expects. The json module cannot write one, and a detour
    through float could change the amount, so each is written as a marked string first
    and the marks are then taken off."""
    mark = uuid.uuid4().hex

    def decimal_as_marked_string(value: object) -> str:
        if isinstance(value, Decimal) and value.is_finite():
            return f"{mark}{value:f}"
        raise TypeError(f"{type(value).__name__} cannot be sent to Business NXT: {value!r}")

    text = json.dumps(payload, default=decimal_as_marked_string, allow_nan=False)
    return re.sub(f'"{mark}(-?[0-9]+(?:\\.[0-9]+)?)"', r"\1", text).encode()


def _never_connected(exc: Exception) -> bool:
    """True only when the TCP connection never opened, so not a byte of the request left.
    A read timeout, a reset or a connection dropped mid-answer all leave it open whether the
    server ran the request, so they return False."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    cause = exc.args[0] if exc.args else None
    return isinstance(exc, requests.ConnectionError) and isinstance(
        getattr(cause, "reason", None), NewConnectionError
    )
