"""Norwegian number formatting for money: 1 234,50 kr (non-breaking spaces)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.http import urlencode

from ledger.aging import days_past_due

register = template.Library()

NBSP = "\u00a0"


def format_amount(value, *, thousands: str = NBSP, minus: str = "−") -> str:
    """1234.5 -> '1 234,50'; '' for None or something that is not a number."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return ""
    sign = minus if number < 0 else ""
    whole, _, cents = f"{abs(number):.2f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{thousands.join(groups)},{cents}"


@register.filter
def amount(value) -> str:
    return format_amount(value)


@register.filter
def nok(value) -> str:
    formatted = format_amount(value)
    return f"{formatted}{NBSP}kr" if formatted else ""


@register.simple_tag
def days_overdue(due_date, today) -> int | str:
    days = days_past_due(due_date, today)
    return days if days is not None and days > 0 else ""


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters changed (None or '' removes them)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(sorted((k, v) for k, v in params.items() if v != ""))


@register.simple_tag(takes_context=True)
def sort_link(context, key: str) -> str:
    """Link that sorts by `key`, toggling the direction when already sorted by it."""
    current = context.get("sort", "")
    target = f"-{key}" if current == key else key
    return query_with(context, sort=target, page=None)


@register.simple_tag(takes_context=True)
def aria_sort(context, key: str) -> str:
    current = context.get("sort", "")
    if current == key:
        return "ascending"
    if current == f"-{key}":
        return "descending"
    return "none"


@register.filter
def get_flags(badges, key) -> list:
    """The badges of one row from an {id: [Badge, ...]} map (kredin.page_extensions)."""
    return (badges or {}).get(key, [])
