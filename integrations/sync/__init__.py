"""Mirroring an accounting system's customer ledger into Kredin (see engine.py)."""

from integrations.sync.runner import SyncOutcome, sync_run_execute

__all__ = ["SyncOutcome", "sync_run_execute"]
