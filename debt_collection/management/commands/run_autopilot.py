"""python manage.py run_autopilot --org <slug> [--today YYYY-MM-DD] [--dry-run]

One line per action the autopilot plans for the organisation, then a summary. Without
--dry-run the plan is carried out as the organisation's settings say (the daily task does
the same); with it nothing is written, and the lines are those the preview page shows.
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from debt_collection.autopilot import plan_day, run_day
from kredin.clock import today_in_norway
from kredin.models import Organization
from kredin.tenancy import organization_scope


class Command(BaseCommand):
    help = "Plan (and unless --dry-run, carry out) one organisation's collection day."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="the organisation's slug")
        parser.add_argument("--today", type=date.fromisoformat, help="YYYY-MM-DD (Oslo)")
        parser.add_argument("--dry-run", action="store_true", help="plan only, write nothing")
        parser.add_argument("--lang", choices=["nb", "en"], default="nb")

    def handle(self, *args, org: str, today: date | None, dry_run: bool, lang: str, **options):
        organization = Organization.objects.filter(slug=org).first()
        if organization is None:
            raise CommandError(f"No organisation with the slug {org!r}.")
        on = today or today_in_norway()
        with organization_scope(organization):
            plan = plan_day(on=on) if dry_run else run_day(on=on)[0]
        for line in plan_lines(plan, lang=lang):
            self.stdout.write(line)
        summary = ", ".join(f"{kind}: {count}" for kind, count in plan.summary().items())
        self.stdout.write(
            f"{'Dry run' if dry_run else 'Done'} for {organization.slug} on {on.isoformat()}: "
            f"{summary or 'nothing to do'}"
        )


def plan_lines(plan, *, lang: str = "nb") -> list[str]:
    """The plan as the command prints it and the preview lists it: one line per action."""
    return [
        f"{_target(action)}\t{action.kind}\t{action.describe(lang)}" for action in plan.actions
    ]


def _target(action) -> str:
    return f"case:{action.case_id}" if action.case_id else f"customer:{action.customer_id}"
