"""What integrations add to the ledger's pages: the sync panel on the reskontro."""

from __future__ import annotations

from integrations.selectors import integrations_with_latest_run
from kredin import page_extensions
from kredin.page_extensions import Panel
from kredin.permissions import Permission


def reskontro_sync_panel(*, request, membership, **page) -> Panel:
    return Panel(
        "integrations/_reskontro_sync_panel.html",
        {
            "integrations": integrations_with_latest_run(),
            "can_sync": membership.has(Permission.MANAGE_INTEGRATIONS),
        },
    )


def register() -> None:
    page_extensions.reskontro_panels.register(reskontro_sync_panel)
