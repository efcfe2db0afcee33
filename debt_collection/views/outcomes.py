"""Oversikt: what collecting has brought in and how the reskontro develops, month by month.

Each figure is drawn as an inline SVG chart and given again as a table for screen readers
and for reading exact amounts.
"""

from __future__ import annotations

from datetime import date

from django.utils import dateformat
from django.views.generic import TemplateView

from debt_collection.selectors.autopilot import autopilot_pause_state
from debt_collection.selectors.outcomes import DSO_DAYS, MONTHS, Outcomes, outcomes
from kredin.charts import column_chart, line_chart
from kredin.clock import today_in_norway
from kredin.views.base import OrganizationViewMixin


def month_label(day: date) -> str:
    """Short enough for twelve labels under one chart: "mar 25"."""
    return dateformat.format(day, "b y")


def overview_charts(figures: Outcomes) -> dict:
    """The geometry of each chart on the page (the tables read the figures themselves)."""
    return {
        "steps": column_chart(
            [(total.label, [("owed", total.owed)]) for total in figures.open_by_step]
        ),
        "recovered": column_chart(
            [(month_label(m.month), [("principal", m.amount)]) for m in figures.recovered.months]
        ),
        "income": column_chart(
            [
                (month_label(m.month), [("fees", m.fees), ("interest", m.interest)])
                for m in figures.income.months
            ]
        ),
        "dso": line_chart([(month_label(point.as_of), point.days) for point in figures.dso]),
        "closed": column_chart(
            [(total.label, [("count", total.count)]) for total in figures.closed]
        ),
        "aging": column_chart(
            [
                (
                    month_label(point.as_of),
                    [(bucket.key, bucket.amount) for bucket in point.buckets],
                )
                for point in figures.aging
            ]
        ),
    }


def _has(amounts) -> bool:
    return any(amount for amount in amounts)


class OverviewView(OrganizationViewMixin, TemplateView):
    template_name = "collections/overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        figures = outcomes(on=today_in_norway())
        context.update(
            figures=figures,
            charts=overview_charts(figures),
            months=MONTHS,
            dso_days=DSO_DAYS,
            autopilot_pause=autopilot_pause_state(organization=self.organization),
            bucket_labels=[bucket.label for bucket in figures.aging[0].buckets],
            has=dict(
                steps=bool(figures.open_by_step),
                recovered=_has(m.amount for m in figures.recovered.months),
                income=_has(m.total for m in figures.income.months),
                dso=any(point.days is not None for point in figures.dso),
                closed=bool(figures.closed),
                aging=_has(point.total for point in figures.aging),
            ),
        )
        return context
