"""Writes to the ledger's tables: the sync's bulk upserts, and customers' hand-set fields."""

from ledger.services.mirror import (
    UpsertCount,
    customer_ids,
    customers_ensure,
    customers_upsert,
    open_items_existing,
    open_items_settle,
    open_items_unsettled,
    open_items_unsettled_for_invoices,
    open_items_upsert,
    transaction_kind,
    transactions_upsert,
)
from ledger.services.overrides import (
    customer_override_clean,
    customer_override_remove,
    customer_override_set,
)

__all__ = [
    "UpsertCount",
    "customer_ids",
    "customer_override_clean",
    "customer_override_remove",
    "customer_override_set",
    "customers_ensure",
    "customers_upsert",
    "open_items_existing",
    "open_items_settle",
    "open_items_unsettled",
    "open_items_unsettled_for_invoices",
    "open_items_upsert",
    "transaction_kind",
    "transactions_upsert",
]
