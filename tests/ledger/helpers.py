"""Small helpers for reading reskontro pages in tests."""

from __future__ import annotations

import re

from django.urls import reverse


def page_url(name: str, org_slug: str = "alice-ror", **kwargs) -> str:
    return reverse(f"ledger:{name}", kwargs={"org_slug": org_slug, **kwargs})


def api_url(name: str, org_slug: str = "alice-ror", **kwargs) -> str:
    return reverse(f"ledger-api:{name}", kwargs={"org_slug": org_slug, **kwargs})


def item_ids(response) -> list[int]:
    """Open-item ids in the order the list shows them."""
    return [int(i) for i in re.findall(r'data-item-id="(\d+)"', response.content.decode())]


def customer_ids(response) -> list[int]:
    return [int(i) for i in re.findall(r'data-customer-id="(\d+)"', response.content.decode())]
