"""Business NXT's answers turned into `data` or a typed error: one set of rules for reads, one
for writes.

Business NXT answers most requests with HTTP 200, errors included, as GraphQL `errors`
(docs §4.2). A failed token check is an HTTP 401 from the gateway, the rate limit an HTTP
429 (§4.1), and a failure of the service itself shows up as a 5xx.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import requests

from integrations.businessnxt.errors import (
    BusinessNxtError,
    MutationNotSent,
    OutcomeUnknown,
    TransientFailure,
)

# Business NXT refuses a request when 60 are already running for the company (§4.1).
OUTSTANDING_LIMIT = "OUTSTANDING_LIMIT_EXCEEDED"


def read_data(response: requests.Response) -> dict[str, Any]:
    """The `data` of a read, or an error: `TransientFailure` when a retry could help."""
    status = response.status_code
    if status == 429:
        raise TransientFailure(
            "Business NXT rate limit (HTTP 429).", retry_after=retry_after(response)
        )
    if status >= 500:
        raise TransientFailure(f"Business NXT server error (HTTP {status}).")
    if status != 200:
        raise BusinessNxtError(f"Unexpected HTTP {status} from Business NXT.")
    body = json_body(response)
    if body is None:
        raise TransientFailure("Business NXT answered with something that is not JSON.")
    errors = body.get("errors") or []
    if errors:
        first = errors[0]
        code = _code(first)
        message = first.get("message", "GraphQL error")
        if code == OUTSTANDING_LIMIT:
            raise TransientFailure(message, retry_after=1.0)
        raise BusinessNxtError(
            message, code=code, messages=_messages(errors), extensions=_extensions(first)
        )
    return body.get("data") or {}


def write_data(response: requests.Response, *, operation_name: str) -> dict[str, Any]:
    """The `data` of a mutation, or an error saying whether it was applied (see `errors`)."""
    status = response.status_code
    if status == 429:
        # The gateway checks the rate before anything else (§4.1): nothing ran.
        raise MutationNotSent(
            operation_name=operation_name,
            reason="rate limit, HTTP 429",
            retry_after=retry_after(response),
        )
    if status >= 500:
        # A 502 or 504 can come from the gateway while the service goes on with the write.
        raise OutcomeUnknown(operation_name=operation_name, reason=f"HTTP {status}")
    if status != 200:
        raise BusinessNxtError(
            f"Unexpected HTTP {status} from Business NXT for mutation {operation_name}."
        )
    body = json_body(response)
    if body is None:
        raise OutcomeUnknown(operation_name=operation_name, reason="the answer is not JSON")
    errors = body.get("errors") or []
    if not errors:
        return body.get("data") or {}
    data = body.get("data")
    codes = [_code(error) for error in errors]
    # GraphQL leaves out `data` when it fails before running anything (parsing, validation,
    # admission). Then the in-flight limit only asks us to come back later.
    if data is None and OUTSTANDING_LIMIT in codes:
        raise MutationNotSent(
            operation_name=operation_name, reason="too many requests in flight", retry_after=1.0
        )
    messages = _messages(errors)
    # Business NXT answered, so the outcome is known. With `data` absent nothing was applied
    # (a validation error, for one). Errors during execution come with `data`, which shows
    # what did get done.
    raise BusinessNxtError(
        f"Business NXT answered mutation {operation_name} with errors: " + "; ".join(messages),
        code=codes[0],
        messages=messages,
        data=data,
        extensions=_extensions(errors[0]),
    )


def raise_if_executed(response: requests.Response, *, operation_name: str) -> None:
    """A 401 that carries a GraphQL result did not come from the gateway's token check."""
    body = json_body(response)
    if body is not None and body.get("data") is not None:
        raise OutcomeUnknown(operation_name=operation_name, reason="HTTP 401 with a result")


def json_body(response: requests.Response) -> dict[str, Any] | None:
    try:
        # Money stays Decimal from the wire on: no detour through float.
        body = json.loads(response.content, parse_float=Decimal)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def retry_after(response: requests.Response) -> float | None:
    try:
        return float(response.headers.get("Retry-After", ""))
    except ValueError:
        return None


def _code(error: dict[str, Any]) -> str:
    return (error.get("extensions") or {}).get("code", "")


def _extensions(error: dict[str, Any]) -> dict[str, Any]:
    extensions = error.get("extensions")
    return dict(extensions) if isinstance(extensions, dict) else {}


def _messages(errors: list[dict[str, Any]]) -> tuple[str, ...]:
    return tuple(error.get("message", "GraphQL error") for error in errors)
