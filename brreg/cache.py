"""The register cache: refreshing entries from the API and following the update feed.

Entries are public data, shared by every organisation; a number is asked for once however
many customers (in however many organisations) carry it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils import timezone

from brreg.client import BrregClient, Lookup
from brreg.models import EntryKind, EntryStatus, FeedCursor, RegisterEntry

FEED_CLOCK_MARGIN = dt.timedelta(minutes=5)
ENTRY_FIELDS = [
    "kind",
    "status",
    "payload",
    "name",
    "organization_form",
    "parent_orgnr",
    "bankrupt",
    "under_liquidation",
    "under_compulsory_dissolution",
    "deleted_on",
    "fetched_at",
    "verified_at",
]


def cache_max_age() -> dt.timedelta:
    return dt.timedelta(hours=settings.BRREG_CACHE_MAX_AGE_HOURS)


def _date(value: Any) -> dt.date | None:
    # The docs' own examples carry "" for absent dates.
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _entry_from(lookup: Lookup, now: dt.datetime) -> RegisterEntry:
    body = lookup.payload
    entry = RegisterEntry(
        orgnr=lookup.orgnr,
        kind=EntryKind.UNDERENHET if lookup.kind == "underenhet" else EntryKind.ENHET,
        status=lookup.status,
        fetched_at=now,
        verified_at=now,
        deleted_on=_date(body.get("slettedato")),
    )
    if lookup.status == EntryStatus.REMOVED:
        # Brreg: a removed unit must also be removed from copies. Keep only the fact.
        entry.payload = {}
        return entry
    if lookup.status == EntryStatus.UNKNOWN:
        return entry
    entry.payload = body
    entry.name = body.get("navn", "")[:255]
    entry.organization_form = (body.get("organisasjonsform") or {}).get("kode", "")[:10]
    if lookup.kind == "underenhet":
        entry.parent_orgnr = body.get("overordnetEnhet", "") or ""
    if lookup.status == EntryStatus.ACTIVE:
        entry.bankrupt = bool(body.get("konkurs"))
        entry.under_liquidation = bool(body.get("underAvvikling"))
        entry.under_compulsory_dissolution = bool(
            body.get("underTvangsavviklingEllerTvangsopplosning")
        )
    return entry


def _store(lookups: Iterable[Lookup], now: dt.datetime) -> None:
    entries = [_entry_from(lookup, now) for lookup in lookups]
    if entries:
        RegisterEntry.objects.bulk_create(
            entries,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["orgnr"],
            update_fields=ENTRY_FIELDS,
        )


def entries_refresh(*, orgnrs: Iterable[str], client: BrregClient) -> dict[str, RegisterEntry]:
    """Ask the register about `orgnrs` (valid numbers only) and store what it says.

    One batch search per 2,000 numbers finds the active main units; only the numbers it
    does not return are looked up one by one (deleted, removed, unknown or sub-units).
    What was learnt is stored as it comes, so an outage half-way loses nothing.
    Raises RegisterUnavailable when the register cannot be reached.
    """
    numbers = sorted(set(orgnrs))
    if not numbers:
        return {}
    now = timezone.now()
    found = client.lookup_many(numbers)
    _store((Lookup(orgnr=n, status="active", payload=body) for n, body in found.items()), now)
    missing = [number for number in numbers if number not in found]
    # Numbers that are not main units may be sub-units (branches): one batch finds those.
    branches = client.lookup_many_underenheter(missing) if missing else {}
    _store(
        (
            Lookup(orgnr=n, status="active", kind="underenhet", payload=body)
            for n, body in branches.items()
        ),
        now,
    )
    parents = {
        body["overordnetEnhet"]
        for body in branches.values()
        if body.get("overordnetEnhet") and body["overordnetEnhet"] not in found
    }
    for number in missing:
        if number in branches:
            continue
        # Deleted (200 with slettedato), removed (410) or unknown (404): only a single
        # lookup tells them apart. The answer is cached, so each costs one request once.
        lookup = client.get_enhet(number)
        if lookup.status == EntryStatus.UNKNOWN:
            # A deleted or removed branch is not in the sub-unit batch either.
            branch = client.get_underenhet(number)
            if branch.status != EntryStatus.UNKNOWN:
                lookup = branch
        _store([lookup], now)
    stale_before = now - cache_max_age()
    fresh_parents = set(
        RegisterEntry.objects.filter(orgnr__in=parents, verified_at__gte=stale_before).values_list(
            "orgnr", flat=True
        )
    )
    for parent in sorted(parents - fresh_parents):
        _store([client.get_enhet(parent)], now)
    wanted = set(numbers) | parents
    return {entry.orgnr: entry for entry in RegisterEntry.objects.filter(orgnr__in=wanted)}


def _iso_z(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _parse_dato(value: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        return None


def feed_changes_read(
    *, client: BrregClient
) -> tuple[dict[str, dt.datetime | None], FeedCursor, int | None]:
    """Read oppdateringer/enheter from where we left off.

    Returns each changed number with the time of its latest update, the (unsaved) cursor
    and the last update id seen. The
    first run starts a day before the oldest cache entry, as Brreg recommends starting
    the feed well before the copy was made.
    """
    cursor, _ = FeedCursor.objects.get_or_create(feed="enheter")
    since = None
    if cursor.last_update_id is None:
        oldest = RegisterEntry.objects.order_by("fetched_at").values_list("fetched_at", flat=True)
        start = (oldest.first() or timezone.now()) - dt.timedelta(days=1)
        since = _iso_z(start)
        cursor.covered_since = start
    changed: dict[str, dt.datetime | None] = {}
    last_id = cursor.last_update_id
    for item in client.iter_updates_enheter(
        from_id=None if last_id is None else last_id + 1, since=since
    ):
        number, published = item["organisasjonsnummer"], _parse_dato(item.get("dato", ""))
        if number in changed and changed[number] is None:
            pass  # already to be refreshed whatever its time
        elif published is None:
            changed[number] = None
        else:
            changed[number] = max(changed.get(number) or published, published)
        last_id = max(last_id or 0, int(item["oppdateringsid"]))
    return changed, cursor, last_id


def feed_follow(*, client: BrregClient) -> tuple[set[str], set[str]]:
    """Refresh cached entries the feed says changed; returns (refreshed numbers,
    numbers of sub-units whose parent changed). Unchanged entries count as verified now.

    No transaction around it: it waits on HTTP, and the cursor only moves at the end, so
    a run that fails half-way is simply read again next time."""
    now = timezone.now()
    changed, cursor, last_id = feed_changes_read(client=client)
    # An update published before we fetched the entry is already in it; a few minutes of
    # margin cover clock differences between the register and us.
    affected = {
        orgnr
        for orgnr, fetched_at in RegisterEntry.objects.filter(orgnr__in=changed).values_list(
            "orgnr", "fetched_at"
        )
        if changed[orgnr] is None or changed[orgnr] > fetched_at - FEED_CLOCK_MARGIN
    }
    branches = set(
        RegisterEntry.objects.filter(parent_orgnr__in=affected).values_list("orgnr", flat=True)
    )
    entries_refresh(orgnrs=affected, client=client)
    if cursor.covered_since is not None:
        RegisterEntry.objects.filter(fetched_at__gte=cursor.covered_since).update(verified_at=now)
    cursor.last_update_id = last_id
    cursor.last_run_at = now
    cursor.last_error = ""
    cursor.save()
    return affected, branches
