"""What the register adds to the ledger's pages: flag badges and the register panel."""

from __future__ import annotations

from brreg.selectors import customer_flags_map, customer_register_view
from kredin import page_extensions
from kredin.page_extensions import Badge, Panel


def customer_flag_badges(customer_ids: list[int]) -> dict[int, list[Badge]]:
    return {
        customer_id: flags.badges
        for customer_id, flags in customer_flags_map(customer_ids=customer_ids).items()
    }


def customer_register_panel(*, request, customer, **page) -> Panel | None:
    view = customer_register_view(customer=customer)
    if view is None:
        return None
    return Panel("brreg/customer_register_panel.html", {"register_panel": view})


def register() -> None:
    page_extensions.customer_badges.register(customer_flag_badges)
    page_extensions.customer_panels.register(customer_register_panel)
