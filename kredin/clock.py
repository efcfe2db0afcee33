"""Norwegian time: the zone every legal date is counted in, and today's date there."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")


def now_in_norway() -> datetime:
    return datetime.now(OSLO)


def today_in_norway() -> date:
    """Due dates, deadlines and aging count in Norway's calendar days, whatever the server's."""
    return now_in_norway().date()
