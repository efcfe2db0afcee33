"""Aging buckets for open items: pure date arithmetic, no Django.

An item is overdue from the day after its due date: due today is not yet overdue.
Days past due are counted in calendar days against the caller's "today" (Europe/Oslo
in the app), so the same item lands in the same bucket all day long.

| bucket    | days past due | due_date (today = T)            |
|-----------|---------------|---------------------------------|
| not_due   | ≤ 0 or none   | due_date ≥ T, or no due date    |
| d0_30     | 1–30          | T-30 ≤ due_date ≤ T-1           |
| d31_60    | 31–60         | T-60 ≤ due_date ≤ T-31          |
| d61_90    | 61–90         | T-90 ≤ due_date ≤ T-61          |
| d90_plus  | ≥ 91          | due_date ≤ T-91                 |

The "0–30" label follows how the trade speaks; the first overdue day is day 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class Bucket(StrEnum):
    NOT_DUE = "not_due"
    D0_30 = "d0_30"
    D31_60 = "d31_60"
    D61_90 = "d61_90"
    D90_PLUS = "d90_plus"


# In display order: oldest debt last, as on a printed aging report.
BUCKETS: tuple[Bucket, ...] = (
    Bucket.NOT_DUE,
    Bucket.D0_30,
    Bucket.D31_60,
    Bucket.D61_90,
    Bucket.D90_PLUS,
)
OVERDUE_BUCKETS: tuple[Bucket, ...] = BUCKETS[1:]

# Inclusive (min, max) days past due; None means unbounded.
_DAY_RANGES: dict[Bucket, tuple[int | None, int | None]] = {
    Bucket.NOT_DUE: (None, 0),
    Bucket.D0_30: (1, 30),
    Bucket.D31_60: (31, 60),
    Bucket.D61_90: (61, 90),
    Bucket.D90_PLUS: (91, None),
}


@dataclass(frozen=True)
class DueDateRange:
    """Inclusive due-date bounds for a bucket; None means unbounded on that side."""

    earliest: date | None
    latest: date | None
    include_missing: bool = False


def days_past_due(due_date: date | None, today: date) -> int | None:
    if due_date is None:
        return None
    return (today - due_date).days


def is_overdue(due_date: date | None, today: date) -> bool:
    days = days_past_due(due_date, today)
    return days is not None and days >= 1


def bucket_for_days(days: int | None) -> Bucket:
    if days is None or days <= 0:
        return Bucket.NOT_DUE
    if days <= 30:
        return Bucket.D0_30
    if days <= 60:
        return Bucket.D31_60
    if days <= 90:
        return Bucket.D61_90
    return Bucket.D90_PLUS


def bucket_for(due_date: date | None, today: date) -> Bucket:
    return bucket_for_days(days_past_due(due_date, today))


def due_date_range(bucket: Bucket | str, today: date) -> DueDateRange:
    """The due dates that fall in `bucket` on `today`, for an index-friendly SQL filter."""
    min_days, max_days = _DAY_RANGES[Bucket(bucket)]
    # More days past due means an earlier due date, so the bounds swap sides.
    earliest = today - timedelta(days=max_days) if max_days is not None else None
    latest = today - timedelta(days=min_days) if min_days is not None else None
    return DueDateRange(
        earliest=earliest, latest=latest, include_missing=Bucket(bucket) == Bucket.NOT_DUE
    )


def overdue_cutoff(today: date) -> date:
    """The latest due date that counts as overdue on `today`."""
    return today - timedelta(days=1)
