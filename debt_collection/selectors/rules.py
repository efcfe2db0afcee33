"""Reads for collections: the legal figures in force, for the rules page and /healthz.

The figures come from the rates file of `debt_collection.rules` (or the one named by
KREDIN_RULES_FILE, so an operator can bring a new half-year's rate without a release).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.utils.translation import get_language

from debt_collection.rules import Reason, Rules, load_rules, stale_tables
from debt_collection.rules.tables import DatedRow


@functools.cache
def _rules_at(path: str, modified: float) -> Rules:
    return load_rules(path)


def collection_rules() -> Rules:
    """The rules from the configured file, read again when the file changes."""
    path = Path(settings.KREDIN_RULES_FILE)
    return _rules_at(str(path), path.stat().st_mtime)


def reader_language() -> str:
    """The rules package speaks "nb" and "en"; everything not English reads Norwegian."""
    return "en" if (get_language() or "").startswith("en") else "nb"


def rules_staleness(*, today: date) -> list[Reason]:
    return stale_tables(today=today, rules=collection_rules())


@dataclass(frozen=True)
class RuleRow:
    row: DatedRow
    in_force: bool

    @property
    def values(self):
        return self.row.values


@dataclass(frozen=True)
class RuleTable:
    name: str
    key: str | None
    rows: list[RuleRow]

    @property
    def current(self) -> RuleRow | None:
        return next((row for row in self.rows if row.in_force), None)

    @property
    def unverified(self) -> bool:
        current = self.current
        return current is not None and not current.row.verified


def rules_tables(*, today: date) -> list[RuleTable]:
    """Every table of the rates file, split by key, newest row first, with the one in force
    today marked."""
    rules = collection_rules()
    tables = []
    for name, table in rules.tables.items():
        keys = table.keys()
        for key in keys:
            rows = [row for row in table.rows if row.key == key]
            tables.append(
                RuleTable(
                    name=name,
                    key=key,
                    rows=[RuleRow(row=row, in_force=row.covers(today)) for row in reversed(rows)],
                )
            )
    return tables


def new_act_in_force() -> date | None:
    return collection_rules().new_act_in_force


def collection_settings_get():
    """The organisation in scope's collection settings; the defaults (unsaved) if never set."""
    from debt_collection.models import CollectionSettings
    from kredin.tenancy import current_organization_id

    organization_id = current_organization_id()
    found = CollectionSettings.objects.filter(organization_id=organization_id).first()
    return found or CollectionSettings(organization_id=organization_id)
