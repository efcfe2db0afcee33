"""The GraphQL endpoints: token check, rate limits, faults, then graphql-core execution."""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from decimal import Decimal

import jwt
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    VariableNode,
    execute,
    parse,
    validate,
)

from sandbox import conf
from sandbox.connect import keys
from sandbox.models import ConnectClient, Fault, SandboxUser
from sandbox.nxt import faults, limits, validation
from sandbox.nxt.access import Principal, RequestContext
from sandbox.nxt.scalars import dumps
from sandbox.nxt.schema import build_schema

NGINX_401 = (
    "<html>\r\n<head><title>401 Authorization Required</title></head>\r\n<body>\r\n"
    "<center><h1>401 Authorization Required</h1></center>\r\n"
    "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)


def _nginx_page(status: int, reason: str) -> str:
    return NGINX_401.replace("401 Authorization Required", f"{status} {reason}")


def _html(status: int, reason: str, **headers) -> HttpResponse:
    body = NGINX_401 if status == 401 else _nginx_page(status, reason)
    response = HttpResponse(body, status=status, content_type="text/html")
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _json(payload: dict, trace_id: str, status: int = 200) -> HttpResponse:
    response = HttpResponse(dumps(payload), status=status, content_type="application/json")
    response["x-vbc-traceid"] = trace_id
    return response


def _principal(request: HttpRequest, service: bool) -> tuple[Principal, bool, str] | None:
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    token = header[7:].strip()
    try:
        claims = keys.decode(token, require=["exp", "iat"])
    except jwt.InvalidTokenError:
        return None
    audiences = claims.get("aud") or []
    if isinstance(audiences, str):
        audiences = [audiences]
    if not any(a.rstrip("/").endswith(request.path.rstrip("/")) for a in audiences):
        return None
    scopes = set(claims.get("scope") or [])
    wanted = conf.SERVICE_API_SCOPES if service else conf.USER_API_SCOPES
    granted = scopes & wanted
    if not granted:
        return None
    readonly = not (granted - {conf.USER_SCOPE_READONLY, conf.SERVICE_SCOPE_READONLY})
    if service:
        client = ConnectClient.objects.filter(client_id=claims.get("client_id")).first()
        principal = Principal(client=client) if client else None
    else:
        user = SandboxUser.objects.filter(sub__iexact=claims.get("sub", "")).first()
        principal = Principal(user=user) if user else None
    if principal is None:
        return None
    return principal, readonly, hashlib.sha256(token.encode()).hexdigest()


def _fields(selection_set, fragments: dict, seen: frozenset = frozenset()):
    """The field nodes of a selection set, with fragment spreads and inline fragments opened."""
    for selection in getattr(selection_set, "selections", None) or ():
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _fields(selection.selection_set, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in fragments and name not in seen:
                yield from _fields(fragments[name].selection_set, fragments, seen | {name})


def _fragments(document) -> dict:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def _company_numbers(document, variables: dict) -> set[int]:
    """The companies a request names in useCompany(no:), for the per-company limit and faults."""
    numbers: set[int] = set()
    fragments = _fragments(document)

    def walk(selection_set) -> None:
        for selection in _fields(selection_set, fragments):
            if selection.name.value == "useCompany":
                for argument in selection.arguments:
                    value = argument.value
                    if isinstance(value, IntValueNode):
                        numbers.add(int(value.value))
                    elif isinstance(value, VariableNode):
                        raw = variables.get(value.name.value)
                        if isinstance(raw, int | str) and str(raw).isdigit():
                            numbers.add(int(raw))
            walk(selection.selection_set)

    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            walk(definition.selection_set)
    return numbers


def _targets(document, operation_name: str | None) -> frozenset[str]:
    """What a fault may be aimed at in this request: the running operation's name, the fields
    under useCompany (tables, ``batch_create`` ...) and the processings under ``*_processings``
    (``updateBatch``)."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        operations = [d for d in operations if d.name and d.name.value == operation_name]
    elif len(operations) > 1:
        return frozenset()  # graphql-core refuses to pick one
    fragments = _fragments(document)
    names: set[str] = set()
    for op in operations:
        if op.name:
            names.add(op.name.value)
        for root in _fields(op.selection_set, fragments):
            if root.name.value not in ("useCompany", "useCustomer"):
                continue
            for table in _fields(root.selection_set, fragments):
                names.add(table.name.value)
                if table.name.value.endswith("_processings"):
                    names.update(f.name.value for f in _fields(table.selection_set, fragments))
    return frozenset(names)


def _error(message: str, code: str, **extra) -> dict:
    return {"message": message, "extensions": {"code": code, "codes": [code], **extra}}


def _format(error: GraphQLError) -> dict:
    formatted = error.formatted
    extensions = formatted.get("extensions") or {}
    if "code" not in extensions:
        code = "EXECUTION_ERROR"
        formatted["extensions"] = {"code": code, "codes": [code], **extensions}
    return formatted


@csrf_exempt
def graphql_view(request: HttpRequest, service: bool = False) -> HttpResponse:
    trace_id = uuid.uuid4().hex
    auth = _principal(request, service)
    if auth is None:
        return _html(401, "Authorization Required")
    principal, readonly, token_key = auth
    retry_after = limits.hit(token_key)
    if retry_after is not None:
        return _html(429, "Too Many Requests", Retry_After=str(int(retry_after) + 1))
    if request.method != "POST":
        return JsonResponse({"errors": [_error("Use POST.", "METHOD_NOT_ALLOWED")]}, status=405)
    try:
        body = json.loads(request.body or b"{}", parse_float=Decimal)
        query = body.get("query") or ""
        variables = body.get("variables") or {}
        operation = body.get("operationName") or body.get("operationname") or None
        document = parse(query)
    except (ValueError, AttributeError):
        return _json(
            {"errors": [_error("The request body is not valid JSON.", "INVALID_JSON")]},
            trace_id,
            status=400,
        )
    except GraphQLError as exc:
        return _json({"errors": [_error(exc.message, "SYNTAX_ERROR")]}, trace_id)
    schema = build_schema()
    errors = validate(schema, document, rules=validation.rules())
    if errors:
        return _json({"errors": [e.formatted for e in errors]}, trace_id)
    if operation and operation not in {
        d.name.value
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode) and d.name
    }:
        message = f"Unknown operation named '{operation}'."
        return _json({"errors": [_error(message, "INVALID_OPERATION")]}, trace_id)
    companies = _company_numbers(document, variables)
    targets = _targets(document, operation)
    try:
        with limits.in_flight(companies):
            fault = faults.transport_fault(companies, targets, Fault.Phase.BEFORE)
            response = _apply_fault(fault) if fault is not None else None
            if response is not None:
                return response
            context = RequestContext(principal=principal, readonly=readonly, targets=targets)
            # Each mutation resolver commits its own transaction, so by the time execute()
            # returns, the write is in the database whatever the answer below turns out to be.
            result = execute(
                schema,
                document,
                variable_values=variables,
                operation_name=operation,
                context_value=context,
            )
            late = faults.transport_fault(companies, targets, Fault.Phase.AFTER_COMMIT)
            response = _apply_fault(late) if late is not None else None
            if response is not None:
                return response
    except limits.OutstandingLimitExceeded as exc:
        error = _error(str(exc), "OUTSTANDING_LIMIT_EXCEEDED", limit=exc.limit)
        return _json({"errors": [error]}, trace_id)
    payload: dict = {}
    if result.errors:
        payload["errors"] = [_format(e) for e in result.errors]
    payload["data"] = result.data
    return _json(payload, trace_id)


def _apply_fault(fault: Fault) -> HttpResponse | None:
    """The answer a fault puts in place of the real one; None lets the real one through."""
    if fault.kind == Fault.Kind.HTTP_500:
        return _html(500, "Internal Server Error")
    if fault.kind == Fault.Kind.HTTP_504:
        return _html(504, "Gateway Time-out")
    if fault.kind == Fault.Kind.HTTP_429:
        return _html(429, "Too Many Requests", Retry_After="1")
    time.sleep(fault.delay_ms / 1000)
    if fault.kind == Fault.Kind.TIMEOUT:
        return _html(504, "Gateway Time-out")
    return None  # slow: answer normally after the delay


@csrf_exempt
def graphql_service_view(request: HttpRequest) -> HttpResponse:
    return graphql_view(request, service=True)
