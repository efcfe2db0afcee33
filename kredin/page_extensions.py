"""Where a higher app adds to a lower app's page without the lower app importing it.

Apps depend one way (debt_collection → integrations → brreg → ledger → kredin). The
reskontro belongs to the ledger, yet shows the register's flags, the integrations' sync
status and, later, which items are in a case. Each higher app registers a provider for a
named slot in its AppConfig.ready(); the ledger's views ask the slot and render what comes
back. The ledger never learns who answered.

Kinds of slot:

- `BadgeSlot`: small labelled markers per row (customer or item), asked for a whole page
  of ids at once so a provider answers with one query.
- `PanelSlot`: a block of HTML for a page (a template and its context), rendered by the
  slot so the page's template only prints it.
- `ItemFilterSlot`: an extra filter field on the reskontro (e.g. "in a case"), applied to
  the items' queryset by the app that knows what it means.
- `LandingSlot`: where an organisation's front door leads (its reskontro unless a provider
  knows a better page).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Badge:
    code: str
    label: str
    css: str = ""
    url: str = ""  # where the badge leads, if anywhere

    def __str__(self) -> str:
        return self.label


@dataclass
class _Slot:
    name: str
    providers: list[Callable] = field(default_factory=list)

    def register(self, provider: Callable) -> Callable:
        """Add a provider once (AppConfig.ready() may run twice in tests)."""
        if provider not in self.providers:
            self.providers.append(provider)
        return provider


class BadgeSlot(_Slot):
    """Providers take a list of ids and answer {id: [Badge, ...]}."""

    def badges(self, ids: Iterable[int]) -> dict[int, list[Badge]]:
        """id → badges from every provider, in registration order; ids without any are left
        out."""
        wanted = sorted(set(ids))
        merged: dict[int, list[Badge]] = {}
        if not wanted:
            return merged
        for provider in self.providers:
            for key, found in provider(wanted).items():
                if found:
                    merged.setdefault(key, []).extend(found)
        return merged


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any]


class PanelSlot(_Slot):
    """Providers take the page's objects as keywords and answer a Panel or None."""

    def render(self, *, request: HttpRequest, **page: Any) -> list[SafeString]:
        """Each provider's panel as HTML; a provider answers None to stay away."""
        rendered = []
        for provider in self.providers:
            panel = provider(request=request, **page)
            if panel is not None:
                context = {**page, **panel.context}
                rendered.append(render_to_string(panel.template, context, request=request))
        return rendered


@dataclass(frozen=True)
class ItemFilter:
    """An extra filter on the reskontro's items: a choice field and how it narrows."""

    name: str
    label: str
    choices: tuple[tuple[str, str], ...]  # the first is "no filter"
    apply: Callable  # (queryset, chosen value) -> queryset


class ItemFilterSlot(_Slot):
    def filters(self) -> list[ItemFilter]:
        return [provider() for provider in self.providers]

    def narrow(self, queryset, values: dict[str, str]):
        for extra in self.filters():
            chosen = values.get(extra.name)
            if chosen:
                queryset = extra.apply(queryset, chosen)
        return queryset


class LandingSlot(_Slot):
    """Providers take the organisation and answer the URL of its front page, or None."""

    def url(self, *, organization) -> str | None:
        """The first provider's answer, in registration order; None if none has one."""
        for provider in self.providers:
            found = provider(organization=organization)
            if found:
                return found
        return None


# The reskontro's slots (ledger/views.py asks them).
customer_badges = BadgeSlot("ledger.customer_badges")
item_badges = BadgeSlot("ledger.item_badges")
reskontro_panels = PanelSlot("ledger.reskontro_panels")
customer_panels = PanelSlot("ledger.customer_panels")
# Buttons for the items a person ticked on the reskontro (inside its form, which sends the
# ticked item ids as `items`).
selection_actions = PanelSlot("ledger.selection_actions")
item_filters = ItemFilterSlot("ledger.item_filters")
# Where /o/<org_slug>/ leads (kredin/views/organization.py asks it).
landing_pages = LandingSlot("kredin.landing_pages")
