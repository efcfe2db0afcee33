"""The GraphQL schema, built programmatically from the table specs in tables.py."""

from __future__ import annotations

from functools import cache
from operator import attrgetter

from graphql import (
    GraphQLArgument,
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInt,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLString,
)

from sandbox.nxt import mutations, resolvers
from sandbox.nxt.access import resolve_use_company
from sandbox.nxt.scalars import DateTimeScalar, DecimalScalar
from sandbox.nxt.tables import (
    ASSOCIATE,
    BATCH,
    BOOL,
    DATETIME,
    DECIMAL,
    INT,
    STRING,
    TABLES,
    VOUCHER,
    Table,
)

SCALARS = {
    INT: GraphQLInt,
    STRING: GraphQLString,
    DECIMAL: DecimalScalar,
    DATETIME: DateTimeScalar,
    BOOL: GraphQLBoolean,
}

SortOrder = GraphQLEnumType("SortOrder", {"ASC": "ASC", "DESC": "DESC"})
GroupByClause = GraphQLEnumType("GroupByClause", {"DEFAULT": "DEFAULT"})

PageInfoType = GraphQLObjectType(
    "PageInfo",
    {
        "hasNextPage": GraphQLField(GraphQLNonNull(GraphQLBoolean)),
        "hasPreviousPage": GraphQLField(GraphQLNonNull(GraphQLBoolean)),
        "startCursor": GraphQLField(GraphQLString),
        "endCursor": GraphQLField(GraphQLString),
    },
)


def _operator_type(kind: str) -> GraphQLInputObjectType:
    scalar = SCALARS[kind]
    fields = {
        op: GraphQLInputField(scalar) for op in ("_eq", "_not_eq", "_gt", "_gte", "_lt", "_lte")
    }
    for op in ("_in", "_not_in", "_between", "_not_between"):
        fields[op] = GraphQLInputField(GraphQLList(scalar))
    if kind == STRING:
        fields["_like"] = GraphQLInputField(GraphQLString)
        fields["_not_like"] = GraphQLInputField(GraphQLString)
    return GraphQLInputObjectType(f"FilterExpression_{kind}", fields)


OPERATORS = {kind: _operator_type(kind) for kind in SCALARS}


class _Types:
    """Object, filter and connection types per table, created once and cross-referenced."""

    def __init__(self) -> None:
        self.objects: dict[str, GraphQLObjectType] = {}
        self.filters: dict[str, GraphQLInputObjectType] = {}
        self.orders: dict[str, GraphQLInputObjectType] = {}
        self.groups: dict[str, GraphQLInputObjectType] = {}
        self.connections: dict[str, GraphQLObjectType] = {}
        for table in TABLES:
            self._build(table)

    def _build(self, table: Table) -> None:
        name = table.type_name
        self.filters[name] = GraphQLInputObjectType(
            f"FilterExpression_{name}",
            lambda t=table: self._filter_fields(t),
        )
        self.groups[name] = GraphQLInputObjectType(
            f"GroupBy_{name}",
            {c.name: GraphQLInputField(GroupByClause) for c in table.columns},
        )
        self.orders[name] = GraphQLInputObjectType(
            f"OrderBy_{name}",
            {c.name: GraphQLInputField(SortOrder) for c in table.columns},
        )
        self.objects[name] = GraphQLObjectType(name, lambda t=table: self._object_fields(t))
        self.connections[name] = self.connection(f"Query_UseCompany_{name}_Connection", name)

    def _filter_fields(self, table: Table) -> dict:
        own = self.filters[table.type_name]
        fields = {c.name: GraphQLInputField(OPERATORS[c.kind]) for c in table.columns}
        fields["_and"] = GraphQLInputField(GraphQLList(own))
        fields["_or"] = GraphQLInputField(GraphQLList(own))
        fields["_not"] = GraphQLInputField(own)
        return fields

    def _object_fields(self, table: Table) -> dict:
        fields = {}
        for column in table.columns:
            getter = attrgetter(column.attr.replace("__", "."))
            fields[column.name] = GraphQLField(
                SCALARS[column.kind], resolve=lambda obj, _info, g=getter: g(obj)
            )
        fields["aggregates"] = GraphQLField(
            self._aggregates_type(table), resolve=resolvers.resolve_aggregates
        )
        if "joinup_Associate_via_Customer" in table.joins:
            fields["joinup_Associate_via_Customer"] = GraphQLField(
                self.objects[ASSOCIATE.type_name], resolve=resolvers.joinup_associate
            )
        if "joindown_Voucher_via_Batch" in table.joins:
            fields["joindown_Voucher_via_Batch"] = GraphQLField(
                self.connection("Batch_Joindown_Voucher_via_Batch_Connection", VOUCHER.type_name),
                args=self.table_args(VOUCHER),
                resolve=resolvers.joindown_vouchers,
            )
        return fields

    def _aggregates_type(self, table: Table) -> GraphQLObjectType:
        numeric = [c for c in table.columns if c.kind in (INT, DECIMAL)]
        sums = GraphQLObjectType(
            f"{table.type_name}_Sum",
            {
                c.name: GraphQLField(
                    SCALARS[c.kind], resolve=lambda row, _i, a=c.attr: row.get(f"sum__{a}")
                )
                for c in numeric
            },
        )
        counts = GraphQLObjectType(
            f"{table.type_name}_Count",
            {
                c.name: GraphQLField(GraphQLInt, resolve=lambda row, _i: row.get("count__"))
                for c in table.columns
            },
        )
        return GraphQLObjectType(
            f"{table.type_name}_Aggregates",
            {
                "sum": GraphQLField(sums, resolve=lambda row, _i: row),
                "count": GraphQLField(counts, resolve=lambda row, _i: row),
            },
        )

    @cache  # noqa: B019 - one instance per process, built once
    def connection(self, type_name: str, item_type: str) -> GraphQLObjectType:
        return GraphQLObjectType(
            type_name,
            lambda: {
                "totalCount": GraphQLField(GraphQLNonNull(GraphQLInt)),
                "pageInfo": GraphQLField(GraphQLNonNull(PageInfoType)),
                "items": GraphQLField(GraphQLList(self.objects[item_type])),
            },
        )

    def table_args(self, table: Table) -> dict:
        name = table.type_name
        return {
            "filter": GraphQLArgument(self.filters[name]),
            "orderBy": GraphQLArgument(GraphQLList(GraphQLNonNull(self.orders[name]))),
            "sortOrder": GraphQLArgument(
                self.orders[name], deprecation_reason="Use orderBy instead."
            ),
            "first": GraphQLArgument(GraphQLInt),
            "after": GraphQLArgument(GraphQLString),
            "last": GraphQLArgument(GraphQLInt),
            "before": GraphQLArgument(GraphQLString),
            "skip": GraphQLArgument(GraphQLInt),
            "groupBy": GraphQLArgument(GraphQLList(GraphQLNonNull(self.groups[name]))),
        }


def _available_types():
    customer = GraphQLObjectType(
        "AvailableCustomer",
        {"name": GraphQLField(GraphQLString), "vismaNetCustomerId": GraphQLField(GraphQLInt)},
    )
    company = GraphQLObjectType(
        "AvailableCompany",
        {
            "name": GraphQLField(GraphQLString),
            "vismaNetCompanyId": GraphQLField(GraphQLInt),
            "vismaNetCustomerId": GraphQLField(GraphQLInt),
        },
    )

    def listing(name: str, item: GraphQLObjectType, *extra: str) -> tuple:
        order = GraphQLInputObjectType(
            f"OrderBy_{item.name}", {f: GraphQLInputField(SortOrder) for f in item.fields}
        )
        args = {
            "first": GraphQLArgument(GraphQLInt),
            "last": GraphQLArgument(GraphQLInt),
            "orderBy": GraphQLArgument(GraphQLList(GraphQLNonNull(order))),
            "sortOrder": GraphQLArgument(order, deprecation_reason="Use orderBy instead."),
        }
        for arg in extra:
            args[arg] = GraphQLArgument(GraphQLInt)
        conn = GraphQLObjectType(
            name,
            {
                "totalCount": GraphQLField(GraphQLNonNull(GraphQLInt)),
                "items": GraphQLField(GraphQLList(item)),
            },
        )
        return conn, args

    return listing("Query_AvailableCustomers_Connection", customer), listing(
        "Query_AvailableCompanies_Connection", company, "customerNo"
    )


@cache
def build_schema() -> GraphQLSchema:
    types = _Types()
    use_company_fields = {
        table.query_field: GraphQLField(
            types.connections[table.type_name],
            args=types.table_args(table),
            resolve=resolvers.table_resolver(table),
        )
        for table in TABLES
    }
    query_use_company = GraphQLObjectType("Query_UseCompany", use_company_fields)
    (customers, customer_args), (companies, company_args) = _available_types()
    query = GraphQLObjectType(
        "Query",
        {
            "useCompany": GraphQLField(
                query_use_company,
                args={"no": GraphQLArgument(GraphQLInt)},
                resolve=resolve_use_company,
            ),
            "availableCustomers": GraphQLField(
                customers, args=customer_args, resolve=resolvers.available_customers
            ),
            "availableCompanies": GraphQLField(
                companies, args=company_args, resolve=resolvers.available_companies
            ),
        },
    )
    mutation_use_company = mutations.mutation_use_company_type(
        batch_type=types.objects[BATCH.type_name],
        batch_filter=types.filters[BATCH.type_name],
        voucher_type=types.objects[VOUCHER.type_name],
    )
    mutation = GraphQLObjectType(
        "Mutation",
        {
            "useCompany": GraphQLField(
                mutation_use_company,
                args={"no": GraphQLArgument(GraphQLInt)},
                resolve=resolve_use_company,
            )
        },
    )
    return GraphQLSchema(query=query, mutation=mutation)
