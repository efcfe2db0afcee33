"""Reads of collections: the legal figures in force, and cases for pages and the API."""

from debt_collection.selectors.rules import (
    RuleRow,
    RuleTable,
    collection_rules,
    collection_settings_get,
    new_act_in_force,
    reader_language,
    rules_staleness,
    rules_tables,
)

__all__ = [
    "RuleRow",
    "RuleTable",
    "collection_rules",
    "collection_settings_get",
    "new_act_in_force",
    "reader_language",
    "rules_staleness",
    "rules_tables",
]
