"""What collections adds to the reskontro: which case holds an item, an "in a case" filter,
and the Start sak button for the ticked items."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from debt_collection.selectors.cases import items_in_open_cases, open_case_numbers
from kredin import page_extensions
from kredin.models import Organization
from kredin.page_extensions import Badge, ItemFilter, Panel
from kredin.permissions import Permission
from kredin.tenancy import current_organization_id


def item_case_badges(item_ids: list[int]) -> dict[int, list[Badge]]:
    held = open_case_numbers(item_ids=item_ids)
    if not held:
        return {}
    slug = Organization.objects.filter(pk=current_organization_id()).values_list(
        "slug", flat=True
    )[0]
    return {
        item_id: [
            Badge(
                "in_case",
                f"S-{number}",
                "info",
                reverse("collections:case-detail", kwargs={"org_slug": slug, "case_id": case_id}),
            )
        ]
        for item_id, (case_id, number) in held.items()
    }


def in_case_filter() -> ItemFilter:
    return ItemFilter(
        name="in_case",
        label=_("I sak"),
        choices=(("", _("Alle")), ("yes", _("I sak")), ("no", _("Ikke i sak"))),
        apply=_in_case,
    )


def _in_case(queryset, chosen: str):
    held = items_in_open_cases()
    return queryset.filter(pk__in=held) if chosen == "yes" else queryset.exclude(pk__in=held)


def start_case_button(*, request, organization, membership, **page) -> Panel | None:
    if not membership.has(Permission.WORK_CASES):
        return None
    return Panel("collections/_start_case_button.html", {})


def register() -> None:
    page_extensions.item_badges.register(item_case_badges)
    page_extensions.item_filters.register(in_case_filter)
    page_extensions.selection_actions.register(start_case_button)
