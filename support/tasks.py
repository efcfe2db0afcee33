"""Celery's autodiscovery imports this module in every worker; importing support.health
here connects its task_prerun handler, which records when a beat-scheduled task last ran
(shown on the support console's system health page). Support defines no tasks of its own."""

from support import health  # noqa: F401
