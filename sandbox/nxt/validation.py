"""Validation rules that tag their errors with GraphQL.NET-style codes and messages."""

from __future__ import annotations

import re
from functools import cache

from graphql import GraphQLError, specified_rules


def code_for(rule_name: str) -> str:
    """FieldsOnCorrectTypeRule → FIELDS_ON_CORRECT_TYPE."""
    base = rule_name.removesuffix("Rule")
    return re.sub(r"(?<!^)(?=[A-Z])", "_", base).upper()


def _tagged(rule):
    code = code_for(rule.__name__)
    dotnet_name = rule.__name__.removesuffix("Rule") + "Error"

    class Tagged(rule):
        def report_error(self, error: GraphQLError) -> None:
            error.message = f"GraphQL.Validation.Errors.{dotnet_name}: {error.message}"
            error.extensions = {"code": code, "codes": [code]}
            super().report_error(error)

    Tagged.__name__ = rule.__name__
    return Tagged


@cache
def rules() -> tuple:
    return tuple(_tagged(rule) for rule in specified_rules)
