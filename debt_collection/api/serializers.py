"""Explicit API shapes of collections: nothing leaves unless it is listed here.

Money is a string of kroner with two decimals, dates are ISO 8601.
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent, build_choice_field
from rest_framework import serializers

from debt_collection.models import CaseState, Document, DocumentStatus, PaymentPart
from debt_collection.planning import NOTES, ORDER


def _money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, **kwargs)


STEP_CHOICES = [str(code) for code in (*ORDER, *sorted(NOTES))]
ACTION_KINDS = [
    "start_case",
    "send_step",
    "send_note",
    "legal_step",
    "record_payment",
    "record_credit",
    "close",
    "pause",
    "resume",
    "limitation_warning",
    "wait",
]


class NamedChoiceField(serializers.ChoiceField):
    """A choice field whose OpenAPI enum is one named component wherever it is used.

    drf-spectacular names enums after the field, and "status" or "kind" are choice sets
    of other apps too; a name of our own keeps the schema free of collision warnings.
    """

    def __init__(self, *, enum_name: str, **kwargs):
        self.enum_name = enum_name
        super().__init__(**kwargs)


class NamedChoiceFieldScheme(OpenApiSerializerFieldExtension):
    target_class = NamedChoiceField

    def map_serializer_field(self, auto_schema, direction):
        schema = build_choice_field(self.target)
        schema.pop("x-spec-enum-id", None)
        component = ResolvedComponent(
            name=self.target.enum_name,
            type=ResolvedComponent.SCHEMA,
            object=self.target.enum_name,
            schema=schema,
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


def _case_state() -> NamedChoiceField:
    return NamedChoiceField(enum_name="CaseStateEnum", choices=CaseState.choices)


def _action_kind() -> NamedChoiceField:
    return NamedChoiceField(enum_name="PlannedActionKindEnum", choices=ACTION_KINDS)


# --- errors --------------------------------------------------------------------------------


class CollectionsErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField(help_text="What went wrong, for the person who asked.")
    details = serializers.JSONField(allow_null=True)


class CollectionsErrorSerializer(serializers.Serializer):
    """The one error body of the API (kredin.api.errors)."""

    error = CollectionsErrorDetailSerializer()


# --- input ---------------------------------------------------------------------------------


class CaseFilterSerializer(serializers.Serializer):
    """The case list's filters, as on the Saker page (debt_collection CaseFilter)."""

    state = serializers.ChoiceField(
        choices=["open", "all", *CaseState.values],
        required=False,
        default="open",
        help_text="A case state, `open` for every state but closed (the default), or `all`.",
    )
    step = serializers.ChoiceField(
        choices=STEP_CHOICES,
        required=False,
        help_text="The last step whose letter went out.",
    )
    q = serializers.CharField(
        required=False,
        max_length=100,
        help_text="Debtor name, case number (S-12 or 12) or invoice number.",
    )
    amount_min = _money(required=False, help_text="Remaining (claim ledger) at least.")
    amount_max = _money(required=False, help_text="Remaining (claim ledger) at most.")
    next_by = serializers.DateField(
        required=False, help_text="Next step planned on or before this day."
    )


class CaseCreateSerializer(serializers.Serializer):
    open_items = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        min_length=1,
        max_length=1000,
        help_text="Ids of open, overdue invoices; one case is started per debtor.",
    )


class CasePauseSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, help_text="Why the case is paused.")
    until = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Resume automatically on this day (after today); leave out to resume by hand.",
    )


class CaseCloseSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, help_text="Why the case is closed.")


class PreviewQuerySerializer(serializers.Serializer):
    date = serializers.DateField(
        required=False, help_text="The day to plan (YYYY-MM-DD); today in Norway by default."
    )


# --- output --------------------------------------------------------------------------------


class CaseCustomerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    organization_number = serializers.CharField()


class CaseSummarySerializer(serializers.Serializer):
    """One row of the case list (a Case annotated with `remaining` by case_list)."""

    id = serializers.IntegerField()
    number = serializers.IntegerField()
    state = _case_state()
    customer = CaseCustomerSerializer()
    current_step = serializers.CharField(help_text="Last step sent; empty before the first.")
    next_step = serializers.CharField(help_text="The autopilot's last word on what comes next.")
    next_on = serializers.DateField(allow_null=True)
    remaining = _money(
        help_text="What the claim ledger holds (without interest since the last letter)."
    )
    started_on = serializers.DateField()
    closed_on = serializers.DateField(allow_null=True)


class CaseItemSerializer(serializers.Serializer):
    open_item = serializers.IntegerField(source="open_item_id")
    invoice_no = serializers.CharField(source="open_item.invoice_no")
    due_date = serializers.DateField(source="open_item.due_date", allow_null=True)
    principal = _money(help_text="Claimed when the item joined the case.")
    outstanding = _money(source="open_item.outstanding", help_text="Open in the ledger today.")
    added_on = serializers.DateField()
    released_on = serializers.DateField(
        allow_null=True, help_text="Set when the case closed or merged."
    )


class ClaimSerializer(serializers.Serializer):
    principal = _money()
    fees = _money()
    compensation = _money()
    court_fees = _money()
    interest_booked = _money(help_text="Interest in the claim, as of the last letter.")
    interest_since = _money(help_text="Interest since the last letter, computed to today.")
    paid = _money()
    written_off = _money()
    remaining = _money(source="to_date", help_text="What the debtor owes today.")


class TimelineEventSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    on = serializers.DateField()
    kind = serializers.CharField()
    text = serializers.CharField()
    actor = serializers.CharField(
        allow_null=True, help_text="The person's e-mail address; null for the autopilot."
    )


class NextActionSerializer(serializers.Serializer):
    kind = _action_kind()
    step = serializers.CharField(allow_null=True)
    on = serializers.DateField(
        allow_null=True, help_text="The day it happens; for a wait the earliest day, if any."
    )
    text = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())


def _document_status() -> NamedChoiceField:
    return NamedChoiceField(
        enum_name="DocumentStatusEnum", choices=DocumentStatus.choices, read_only=True
    )


class DocumentSerializer(serializers.ModelSerializer):
    status = _document_status()

    class Meta:
        model = Document
        fields = ["id", "step", "status", "planned_for", "deadline", "created_at"]
        read_only_fields = fields


class DocumentDetailSerializer(serializers.ModelSerializer):
    status = _document_status()
    case = serializers.IntegerField(source="case_id", read_only=True)
    content = serializers.JSONField(
        read_only=True, help_text="The letter as computed and stored when it was planned."
    )

    class Meta:
        model = Document
        fields = [
            "id",
            "case",
            "step",
            "status",
            "planned_for",
            "deadline",
            "created_at",
            "content",
        ]
        read_only_fields = fields


class PaymentShareSerializer(serializers.Serializer):
    entry_date = serializers.DateField()
    part = NamedChoiceField(enum_name="PaymentPartEnum", choices=PaymentPart.choices)
    amount = _money(help_text="What this share of the payment covered (positive).")
    invoice_no = serializers.CharField(allow_null=True, help_text="For a principal share.")
    source = serializers.ChoiceField(choices=["ledger", "registered"])
    voucher_id = serializers.IntegerField(allow_null=True)
    voucher_status = serializers.CharField(allow_null=True)


class CaseDetailSerializer(serializers.Serializer):
    """One case as its page shows it: the claim, the items, the history, what comes next."""

    id = serializers.IntegerField()
    number = serializers.IntegerField()
    state = _case_state()
    customer = CaseCustomerSerializer()
    current_step = serializers.CharField()
    debtor_is_business = serializers.BooleanField()
    started_on = serializers.DateField()
    pause_note = serializers.CharField()
    paused_until = serializers.DateField(allow_null=True)
    close_reason = serializers.CharField()
    close_note = serializers.CharField()
    closed_on = serializers.DateField(allow_null=True)
    items = CaseItemSerializer(many=True)
    claim = ClaimSerializer()
    timeline = TimelineEventSerializer(many=True)
    next = NextActionSerializer(many=True)
    documents = DocumentSerializer(many=True)
    payments = PaymentShareSerializer(
        many=True, help_text="Payments shared in the legal order: costs, interest, principal."
    )


class PreviewActionSerializer(serializers.Serializer):
    kind = _action_kind()
    case_id = serializers.IntegerField(allow_null=True)
    case_number = serializers.IntegerField(allow_null=True)
    customer_id = serializers.IntegerField()
    customer_name = serializers.CharField()
    item_ids = serializers.ListField(child=serializers.IntegerField())
    step = serializers.CharField(allow_null=True)
    on = serializers.DateField(allow_null=True)
    text = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())


class PreviewSerializer(serializers.Serializer):
    date = serializers.DateField()
    horizon = serializers.DateField(help_text="Waits ending up to this day are in `coming`.")
    actions = PreviewActionSerializer(many=True, help_text="What the autopilot would do that day.")
    coming = PreviewActionSerializer(
        many=True, help_text="Waits that end within the horizon, soonest first."
    )
