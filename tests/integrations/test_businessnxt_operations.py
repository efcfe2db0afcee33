"""Which GraphQL documents count as reads (retried) and which as writes (sent once)."""

from __future__ import annotations

import pytest

from integrations.businessnxt.operations import (
    ANONYMOUS,
    UNPARSEABLE,
    Operation,
    describe_operation,
)

BATCH_CREATE = (
    "{ useCompany(no: 1) { batch_create(values: [{valueDate: 20260101}]) { affectedRows } } }"
)


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        pytest.param(
            "query customers($cid: Int!) { useCompany(no: $cid) { associate { totalCount } } }",
            Operation(is_read=True, name="customers"),
            id="named query",
        ),
        pytest.param(
            "{ availableCompanies { totalCount } }",
            Operation(is_read=True, name=ANONYMOUS),
            id="anonymous shorthand",
        ),
        pytest.param(
            # Shaped like a write, named like one, and still a query: only the type counts.
            f"query batch_create {BATCH_CREATE}",
            Operation(is_read=True, name="batch_create"),
            id="query with write-like fields",
        ),
        pytest.param(
            f"mutation postPayments {BATCH_CREATE}",
            Operation(is_read=False, name="postPayments"),
            id="named mutation",
        ),
        pytest.param(
            f"mutation {BATCH_CREATE}",
            Operation(is_read=False, name=ANONYMOUS),
            id="anonymous mutation",
        ),
        pytest.param(
            "# mutation in a comment\nquery q { useCompany(no: 1) { ...Gl } }\n"
            "fragment Gl on Query_UseCompany { generalLedgerAccount { totalCount } }",
            Operation(is_read=True, name="q"),
            id="query with a fragment",
        ),
        pytest.param(
            "mutation m { useCompany(no: 1) { ...Create } }\n"
            "fragment Create on Mutation_UseCompany { batch_create(values: []) { affectedRows } }",
            Operation(is_read=False, name="m"),
            id="mutation with a fragment",
        ),
        pytest.param(
            "subscription s { tableChange { table } }",
            Operation(is_read=False, name="s"),
            id="subscription",
        ),
        pytest.param(
            "query a { x } mutation b { y }",
            Operation(is_read=False, name="b"),
            id="a query and a mutation, no name to choose",
        ),
        pytest.param(
            "fragment F on Query { x }",
            Operation(is_read=False, name=UNPARSEABLE),
            id="only a fragment",
        ),
        pytest.param(
            "mutation { useCompany(no: 1) { batch_create(values: [{",
            Operation(is_read=False, name=UNPARSEABLE),
            id="unparseable",
        ),
        pytest.param(
            "query { useCompany(no: 1) { associate { totalCount } }",
            Operation(is_read=False, name=UNPARSEABLE),
            id="unparseable query",
        ),
        pytest.param("", Operation(is_read=False, name=UNPARSEABLE), id="empty"),
    ],
)
def test_only_queries_count_as_reads(document, expected):
    assert describe_operation(document) == expected


def test_the_operation_name_picks_the_operation_that_runs():
    document = "query a { x } mutation b { y }"
    assert describe_operation(document, operation_name="a") == Operation(is_read=True, name="a")
    assert describe_operation(document, operation_name="b") == Operation(is_read=False, name="b")
    # A name the document does not define: the server refuses, and it is never retried.
    assert describe_operation(document, operation_name="c") == Operation(is_read=False, name="c")
