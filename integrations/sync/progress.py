"""Progress of one sync run, written to its SyncRun row after every page."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_noop

from integrations.models import SyncRun

# Stored untranslated on the run; the progress fragment translates them when shown.
PHASE_CUSTOMERS = gettext_noop("Kunder")
PHASE_OPEN_ITEMS = gettext_noop("Åpne poster")
PHASE_TRANSACTIONS = gettext_noop("Transaksjoner")
PHASE_SETTLE = gettext_noop("Oppgjorte poster")
PHASE_CHANGES = gettext_noop("Endringer")

COUNTERS = (
    "customers_seen",
    "items_seen",
    "transactions_seen",
    "items_created",
    "items_updated",
    "items_settled",
)


@dataclass
class Progress:
    run_id: int
    phase: str = ""
    total_steps: int = 0
    done_steps: int = 0
    customers_seen: int = 0
    items_seen: int = 0
    transactions_seen: int = 0
    items_created: int = 0
    items_updated: int = 0
    items_settled: int = 0
    # Not on the row: what the command prints.
    customers_created: int = 0
    customers_updated: int = 0
    transactions_created: int = 0
    transactions_updated: int = 0
    extra: dict[str, int] = field(default_factory=dict)

    def start_phase(self, phase: str, *, steps: int = 0) -> None:
        self.phase = phase
        self.total_steps += steps
        self.save()

    def add_steps(self, steps: int) -> None:
        self.total_steps += steps

    def step(self, done: int) -> None:
        # Rows may arrive while a phase runs: the estimate grows rather than overflow.
        self.done_steps += done
        self.total_steps = max(self.total_steps, self.done_steps)

    def save(self) -> None:
        SyncRun.objects.filter(pk=self.run_id).update(
            phase=self.phase,
            total_steps=self.total_steps,
            done_steps=self.done_steps,
            **{name: getattr(self, name) for name in COUNTERS},
        )

    def summary(self) -> dict[str, int]:
        return {
            "customers_seen": self.customers_seen,
            "customers_created": self.customers_created,
            "customers_updated": self.customers_updated,
            "items_seen": self.items_seen,
            "items_created": self.items_created,
            "items_updated": self.items_updated,
            "items_settled": self.items_settled,
            "transactions_seen": self.transactions_seen,
            "transactions_created": self.transactions_created,
            "transactions_updated": self.transactions_updated,
        }
