"""Is a GraphQL document a read? graphql-core parses it, so the answer comes from the grammar.

Only reads may be sent again automatically. Matching on strings ("mutation", "_create")
gets this wrong: a comment, a field or an argument can contain either word, and an
anonymous `{ ... }` query has no keyword at all. A document counts as a read only when
every operation that could run is a `query`. Anything else counts as a write, and so
does a document graphql-core cannot parse. It is still sent as it is (Business NXT's
GraphQL.NET parser has the last word and will report the problem), but it is never
retried.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse

ANONYMOUS = "<anonymous>"
UNPARSEABLE = "<unparseable>"


@dataclass(frozen=True, slots=True)
class Operation:
    """What the transport needs to know about a document before sending it."""

    is_read: bool
    name: str  # for logs and errors: the operation's name, or ANONYMOUS / UNPARSEABLE


def describe_operation(document: str, *, operation_name: str | None = None) -> Operation:
    return _describe(document, operation_name)


# Paged reads send the same few documents again and again: parse each once.
@lru_cache(maxsize=256)
def _describe(document: str, operation_name: str | None) -> Operation:
    try:
        parsed = parse(document, no_location=True)
    except GraphQLError:
        return Operation(is_read=False, name=operation_name or UNPARSEABLE)
    operations = [d for d in parsed.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [op for op in operations if op.name and op.name.value == operation_name]
    if not operations:
        # Only fragments, or no operation by that name: the server will refuse it. Treat
        # it as a write anyway, so a refusal is never answered by sending it again.
        return Operation(is_read=False, name=operation_name or UNPARSEABLE)
    writes = [op for op in operations if op.operation is not OperationType.QUERY]
    # Several operations without a name to pick one: the server should refuse. If it
    # ran one anyway, it could be any of them, so one write makes the document a write.
    chosen = writes[0] if writes else operations[0]
    name = chosen.name.value if chosen.name else ANONYMOUS
    return Operation(is_read=not writes, name=name)
