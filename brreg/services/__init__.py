"""Writes of the register app: enrichment of customers, and the organisation's settings."""

from brreg.addresses import register_address
from brreg.services.enrichment import (
    ADDRESS_FIELDS,
    FLAG_FIELDS,
    EnrichmentResult,
    customers_enrich,
)
from brreg.services.register_settings import (
    RegisterChoice,
    customer_override_set,
    register_settings_update,
)

__all__ = [
    "ADDRESS_FIELDS",
    "FLAG_FIELDS",
    "EnrichmentResult",
    "RegisterChoice",
    "customer_override_set",
    "customers_enrich",
    "register_address",
    "register_settings_update",
]
