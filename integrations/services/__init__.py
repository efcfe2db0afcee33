"""Writes for integrations: connect, choose the company, settings and activation, sync,
disconnect and delete."""

from integrations.services.configuration import (
    PostingChoice,
    SyncSelection,
    integration_activate,
    integration_settings_update,
    posting_accounts_remember,
    posting_settings_get,
)
from integrations.services.connection import (
    integration_choose_company,
    integration_connect,
    integration_delete,
    integration_disconnect,
)
from integrations.services.errors import IntegrationError
from integrations.services.sync import sync_request

__all__ = [
    "IntegrationError",
    "PostingChoice",
    "SyncSelection",
    "integration_activate",
    "integration_choose_company",
    "integration_connect",
    "integration_delete",
    "integration_disconnect",
    "integration_settings_update",
    "posting_accounts_remember",
    "posting_settings_get",
    "sync_request",
]
