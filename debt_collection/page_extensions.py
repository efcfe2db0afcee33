"""What collections adds to the reskontro: which case holds an item and whether it is on
hold (objected, paused, its own objection), an "in a case" filter, and the Start sak and
Registrer innsigelse buttons for the ticked items; and Oversikt as the organisation's
front page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from debt_collection.markers import hold_marker
from debt_collection.selectors.cases import items_in_open_cases
from debt_collection.selectors.limitation import item_limitation_dates, items_by_limitation
from debt_collection.selectors.objections import item_markers
from integrations.selectors import integration_activated_exists
from kredin import page_extensions
from kredin.clock import today_in_norway
from kredin.models import Organization
from kredin.page_extensions import Badge, ItemFilter, Panel
from kredin.permissions import Permission
from kredin.tenancy import current_organization_id


def item_case_badges(item_ids: list[int]) -> dict[int, list[Badge]]:
    """The case holding the item, and a marker when it is on hold: the case objected or
    paused, or the item's own objection."""
    held = item_markers(item_ids=item_ids)
    if not held:
        return {}
    slug = Organization.objects.filter(pk=current_organization_id()).values_list("slug", flat=True)[
        0
    ]
    badges: dict[int, list[Badge]] = {}
    for item_id, found in held.items():
        found_badges = badges.setdefault(item_id, [])
        if "case_id" in found:
            url = reverse(
                "collections:case-detail", kwargs={"org_slug": slug, "case_id": found["case_id"]}
            )
            found_badges.append(Badge("in_case", f"S-{found['number']}", "info", url))
            marker = hold_marker(state=found["state"], paused_until=found["paused_until"])
            if marker:
                found_badges.append(Badge(found["state"], marker, "warn", url))
        elif "objection_id" in found:
            url = reverse(
                "collections:objection-withdraw",
                kwargs={"org_slug": slug, "objection_id": found["objection_id"]},
            )
            found_badges.append(Badge("objected", str(_("Innsigelse")), "warn", url))
    return badges


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


def limitation_filter() -> ItemFilter:
    return ItemFilter(
        name="limitation",
        label=_("Foreldelse"),
        choices=(
            ("", _("Alle")),
            ("soon", _("foreldes innen 6 måneder")),
            ("barred", _("foreldet")),
        ),
        apply=_limitation,
    )


def _limitation(queryset, chosen: str):
    if chosen not in ("soon", "barred"):
        return queryset
    return items_by_limitation(queryset, chosen=chosen, on=today_in_norway())


def item_limitation_badges(item_ids: list[int]) -> dict[int, list[Badge]]:
    """The limitation date, on items past it or within six months of it."""
    on = today_in_norway()
    badges: dict[int, list[Badge]] = {}
    for item_id, expires in item_limitation_dates(item_ids=item_ids, on=on).items():
        if on > expires:
            text = str(_("Foreldet %(date)s") % {"date": f"{expires:%d.%m.%Y}"})
        else:
            text = str(_("Foreldes %(date)s") % {"date": f"{expires:%d.%m.%Y}"})
        badges[item_id] = [Badge("limitation", text, "warn", "")]
    return badges


def start_case_button(*, request, organization, membership, **page) -> Panel | None:
    if not membership.has(Permission.WORK_CASES):
        return None
    return Panel("collections/_start_case_button.html", {})


def overview_once_integrated(*, organization) -> str | None:
    """Oversikt is the front page once an accounting system is connected; before that the
    reskontro (with its sync panel) shows how to start."""
    if not integration_activated_exists():
        return None
    return reverse("collections:overview", kwargs={"org_slug": organization.slug})


def acknowledgment_button(*, request, organization, membership, **page) -> Panel | None:
    if not membership.has(Permission.WORK_CASES):
        return None
    return Panel("collections/_acknowledgment_button.html", {})


def objection_button(*, request, organization, membership, **page) -> Panel | None:
    if not membership.has(Permission.WORK_CASES):
        return None
    return Panel("collections/_objection_button.html", {})


def register() -> None:
    page_extensions.item_badges.register(item_case_badges)
    page_extensions.item_filters.register(in_case_filter)
    page_extensions.item_filters.register(limitation_filter)
    page_extensions.item_badges.register(item_limitation_badges)
    page_extensions.selection_actions.register(start_case_button)
    page_extensions.selection_actions.register(objection_button)
    page_extensions.selection_actions.register(acknowledgment_button)
    page_extensions.landing_pages.register(overview_once_integrated)
