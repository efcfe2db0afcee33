"""The legal figures in force: Innstillinger → Satser og regler."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from debt_collection import rules_labels, selectors
from debt_collection.selectors import RuleTable
from kredin.clock import today_in_norway
from kredin.views.base import OrganizationViewMixin


class RulesView(OrganizationViewMixin, TemplateView):
    """Satser og regler: every rate, fee and deadline Kredin applies, today's and earlier,
    each with its source, and whether the new Debt Collection Act has a date."""

    template_name = "collections/rules.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = today_in_norway()
        language = selectors.reader_language()
        context.update(
            today=today,
            tables=[_table(table) for table in selectors.rules_tables(today=today)],
            stale=[reason.message(language) for reason in selectors.rules_staleness(today=today)],
            new_act_in_force=selectors.new_act_in_force(),
        )
        return context


def _table(table: RuleTable) -> dict:
    title, help_text = rules_labels.TABLES.get(table.name, (table.name, ""))
    fields = list(table.rows[0].values) if table.rows else []
    return {
        "anchor": f"{table.name}-{table.key}" if table.key else table.name,
        "title": title,
        "key": rules_labels.KEYS.get(table.key, table.key) if table.key else "",
        "help": help_text,
        "columns": [rules_labels.FIELDS.get(name, name) for name in fields],
        "rows": [
            {
                "valid_from": rule.row.valid_from,
                "valid_to": rule.row.valid_to,
                "values": [_shown(rule.row.values[name]) for name in fields],
                "source": rule.row.source,
                "note": rule.row.note,
                "verified": rule.row.verified,
                "in_force": rule.in_force,
            }
            for rule in table.rows
        ],
    }


def _shown(value: object) -> str:
    """A figure as a Norwegian (or English) reader writes it."""
    if value is None or value == "":
        return _("ikke kjent")
    if isinstance(value, Decimal):
        return number_format(value, decimal_pos=2 if value != value.to_integral() else 0)
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, date):
        return date_format(value, "j. F Y")
    if isinstance(value, list | tuple):
        return " → ".join(str(rules_labels.VALUE_WORDS.get(item, item)) for item in value)
    return str(rules_labels.VALUE_WORDS.get(value, value))
