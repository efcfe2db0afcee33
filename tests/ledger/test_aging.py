"""Aging buckets: pure date arithmetic, no database."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.aging import (
    BUCKETS,
    Bucket,
    bucket_for,
    bucket_for_days,
    days_past_due,
    due_date_range,
    is_overdue,
    overdue_cutoff,
)

TODAY = dt.date(2026, 3, 1)


def test_days_past_due_counts_calendar_days_across_february():
    assert days_past_due(dt.date(2026, 2, 27), TODAY) == 2


def test_days_past_due_is_none_without_a_due_date():
    assert days_past_due(None, TODAY) is None


def test_item_due_today_is_not_overdue():
    assert not is_overdue(TODAY, TODAY)
    assert bucket_for(TODAY, TODAY) == Bucket.NOT_DUE


def test_item_due_yesterday_is_overdue_in_first_bucket():
    assert is_overdue(TODAY - dt.timedelta(days=1), TODAY)
    assert bucket_for(TODAY - dt.timedelta(days=1), TODAY) == Bucket.D0_30


def test_item_without_due_date_is_not_due():
    assert bucket_for(None, TODAY) == Bucket.NOT_DUE
    assert not is_overdue(None, TODAY)


@pytest.mark.parametrize(
    ("days", "bucket"),
    [
        (-10, Bucket.NOT_DUE),
        (0, Bucket.NOT_DUE),
        (1, Bucket.D0_30),
        (30, Bucket.D0_30),
        (31, Bucket.D31_60),
        (60, Bucket.D31_60),
        (61, Bucket.D61_90),
        (90, Bucket.D61_90),
        (91, Bucket.D90_PLUS),
        (4000, Bucket.D90_PLUS),
    ],
)
def test_bucket_for_days_puts_boundaries_in_the_lower_bucket(days, bucket):
    assert bucket_for_days(days) == bucket


def test_due_date_range_of_31_60_spans_thirty_days():
    span = due_date_range(Bucket.D31_60, TODAY)
    assert span.earliest == TODAY - dt.timedelta(days=60)
    assert span.latest == TODAY - dt.timedelta(days=31)
    assert not span.include_missing


def test_due_date_range_of_oldest_bucket_is_open_ended():
    span = due_date_range(Bucket.D90_PLUS, TODAY)
    assert span.earliest is None
    assert span.latest == TODAY - dt.timedelta(days=91)


def test_due_date_range_of_not_due_includes_missing_dates():
    span = due_date_range("not_due", TODAY)
    assert span.earliest == TODAY
    assert span.latest is None
    assert span.include_missing


def test_overdue_cutoff_is_yesterday():
    assert overdue_cutoff(TODAY) == dt.date(2026, 2, 28)


@given(offset=st.integers(min_value=-400, max_value=4000))
def test_range_and_bucket_agree_for_every_due_date(offset):
    due = TODAY - dt.timedelta(days=offset)
    bucket = bucket_for(due, TODAY)
    matching = []
    for candidate in BUCKETS:
        span = due_date_range(candidate, TODAY)
        if (span.earliest is None or due >= span.earliest) and (
            span.latest is None or due <= span.latest
        ):
            matching.append(candidate)
    assert matching == [bucket]
