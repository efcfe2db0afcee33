"""Why a step may not be sent (or carries no fee): a code, parameters, and the sentence.

The code and parameters are for programs (a case page, /healthz, tests); `message(lang)`
is for people. A reason that goes away by waiting carries the date it goes away, and its
sentence starts "Tidligst <date>: …" / "Earliest <date>: …".
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from .dates import Lang, format_date
from .formatting import capitalise, format_period, format_value, step_title, table_name


class ReasonCode(enum.StrEnum):
    STEP_NOT_AVAILABLE = "step_not_available"
    SENDER_NOT_ALLOWED = "sender_not_allowed"
    BUSINESS_DEBTORS_ONLY = "business_debtors_only"
    CLAIM_SETTLED = "claim_settled"
    NOT_OVERDUE = "not_overdue"
    PREVIOUS_DEADLINE_RUNNING = "previous_deadline_running"
    DEADLINE_TOO_SHORT = "deadline_too_short"
    DUNNING_PAUSED_BY_OBJECTION = "dunning_paused_by_objection"
    CLAIM_DISPUTED = "claim_disputed"
    NEEDS_MISSED_DEADLINE_OF = "needs_missed_deadline_of"
    WAIT_NOT_OVER = "wait_not_over"
    WAIT_PREREQUISITE_MISSING = "wait_prerequisite_missing"
    WAIT_EXPIRED = "wait_expired"
    NO_DEMAND_YET = "no_demand_yet"
    FIGURE_UNKNOWN = "figure_unknown"
    # Past the limitation date (foreldelsesloven §§ 2-3): nothing more may be claimed.
    CLAIM_TIME_BARRED = "claim_time_barred"
    # A statement that answers a payment (restnota, rentenota) before that payment.
    NO_PAYMENT_YET = "no_payment_yet"
    PRINCIPAL_NOT_PAID = "principal_not_paid"
    # Fee reasons: refuse a fee-bearing reminder, or send the letter without its fee.
    FEES_STOPPED_BY_OBJECTION = "fees_stopped_by_objection"
    TOO_EARLY_FOR_FEE = "too_early_for_fee"
    FEE_LIMIT_REACHED = "fee_limit_reached"
    REMINDER_FEE_AFTER_DEMAND_FEE = "reminder_fee_after_demand_fee"
    SECOND_FEE_NEEDS_LONGER_FIRST_DEADLINE = "second_fee_needs_longer_first_deadline"
    SECOND_FEE_BEFORE_FIRST_DEADLINE = "second_fee_before_first_deadline"
    DEMAND_FEE_ALREADY_CHARGED = "demand_fee_already_charged"
    DEMAND_FEE_NEEDS_MISSED_DEADLINE = "demand_fee_needs_missed_deadline"
    # Staleness of the rates file.
    HALF_YEAR_ROW_MISSING = "half_year_row_missing"
    YEAR_FIGURE_MISSING = "year_figure_missing"


C = ReasonCode
TEMPLATES: dict[ReasonCode, tuple[str, str]] = {
    C.STEP_NOT_AVAILABLE: (
        "«{title}» kan ikke brukes etter {regime}",
        "'{title}' is not available under {regime}",
    ),
    C.SENDER_NOT_ALLOWED: (
        "etter {regime} kan bare et inkassoforetak sende {step}",
        "under {regime} only a licensed collection agency may send {step}",
    ),
    C.BUSINESS_DEBTORS_ONLY: (
        "{step} kan bare brukes mot næringsdrivende, ikke mot forbrukere",
        "{step} may only be used against businesses, not against consumers",
    ),
    C.CLAIM_SETTLED: (
        "kravet er betalt ({paid} innbetalt, {owed} skyldig)",
        "the claim has been paid ({paid} received, {owed} owed)",
    ),
    C.NOT_OVERDUE: (
        "kravet forfaller {due_date}, og brev kan først sendes etter forfall",
        "the claim falls due on {due_date}, and no letter may be sent until after that date",
    ),
    C.PREVIOUS_DEADLINE_RUNNING: (
        "fristen i {previous} løper til og med {deadline}",
        "the deadline in {previous} runs until {deadline} inclusive",
    ),
    C.DEADLINE_TOO_SHORT: (
        "fristen i {step} må være minst {minimum} dager, ikke {given}",
        "the deadline in {step} must be at least {minimum} days, not {given}",
    ),
    C.DUNNING_PAUSED_BY_OBJECTION: (
        "skyldneren protesterte {raised_on}; purringer og varsler stoppes til protesten er "
        "trukket tilbake eller tvisten er avgjort",
        "the debtor objected on {raised_on}; reminders and notices are on hold until the "
        "objection is withdrawn or the dispute is resolved",
    ),
    C.CLAIM_DISPUTED: (
        "skyldneren protesterte {raised_on}; {step} kan bare brukes når kravet ikke er "
        "bestridt, så kravet må til forliksrådet",
        "the debtor objected on {raised_on}; {step} is only for undisputed claims, so the "
        "claim must go to the conciliation board",
    ),
    C.NEEDS_MISSED_DEADLINE_OF: (
        "{step} kan først sendes når fristen i {required} er gått ut",
        "{step} may only be sent once the deadline in {required} has passed",
    ),
    C.WAIT_NOT_OVER: (
        "{step} kan først sendes {period} etter {after} (sendt {sent_on})",
        "{step} may not be sent until {period} after {after} (sent {sent_on})",
    ),
    C.WAIT_PREREQUISITE_MISSING: (
        "{step} krever at {after} er sendt først",
        "{step} requires {after} to have been sent first",
    ),
    C.WAIT_EXPIRED: (
        "{after} sendt {sent_on} gjaldt til og med {valid_until}; send et nytt varsel først",
        "{after} sent on {sent_on} was valid until {valid_until} inclusive; send a new notice "
        "first",
    ),
    C.NO_DEMAND_YET: (
        "{step} krever at skyldneren først har fått et skriftlig betalingskrav",
        "{step} requires a written demand for payment to have been sent first",
    ),
    C.FIGURE_UNKNOWN: (
        "satstabellen mangler {table} for {on}; dette må legges inn før brevet sendes",
        "the rates table has no figure for {table} on {on}; add it before the letter is sent",
    ),
    C.CLAIM_TIME_BARRED: (
        "kravet ble foreldet etter {limitation_date} (foreldelsesloven §§ 2–3: tre år fra "
        "forfall); det kan ikke kreves brev, gebyr, renter eller rettslige skritt",
        "the claim became time-barred after {limitation_date} (Limitation Act §§ 2–3: three "
        "years from the due date); no letter, fee, interest or legal step may be claimed",
    ),
    C.NO_PAYMENT_YET: (
        "{step} sendes etter en innbetaling, og det er ikke betalt noe på kravet",
        "{step} answers a payment, and nothing has been paid on the claim",
    ),
    C.PRINCIPAL_NOT_PAID: (
        "{step} gjelder renter og kostnader etter at hovedstolen er betalt, men bare {paid} av "
        "hovedstolen på {principal} er innbetalt",
        "{step} is for the interest and costs left once the principal is paid, but only "
        "{paid} of the principal of {principal} has been paid",
    ),
    C.FEES_STOPPED_BY_OBJECTION: (
        "skyldneren protesterte {raised_on}; gebyr og kostnader kan ikke kreves",
        "the debtor objected on {raised_on}; no fees or costs may be charged",
    ),
    C.TOO_EARLY_FOR_FEE: (
        "gebyr kan først kreves {days} dager etter forfall ({due_date})",
        "a fee may not be charged until {days} days after the due date ({due_date})",
    ),
    C.FEE_LIMIT_REACHED: (
        "to gebyrer er allerede krevd; nye gebyrer kan først kreves {period} etter det siste "
        "({last_fee_on})",
        "two fees have already been charged; no new fee may be charged until {period} after "
        "the last one ({last_fee_on})",
    ),
    C.REMINDER_FEE_AFTER_DEMAND_FEE: (
        "gebyret for betalingsoppfordring er allerede krevd; purregebyr kan først kreves "
        "igjen {period} etter siste gebyr ({last_fee_on})",
        "the payment-demand fee has already been charged; no reminder fee may be charged "
        "until {period} after the last fee ({last_fee_on})",
    ),
    C.SECOND_FEE_NEEDS_LONGER_FIRST_DEADLINE: (
        "et andre gebyr krever at {previous} ga minst {minimum} dagers frist, ikke {given}",
        "a second fee requires {previous} to have given a deadline of at least {minimum} "
        "days, not {given}",
    ),
    C.SECOND_FEE_BEFORE_FIRST_DEADLINE: (
        "et andre gebyr krever at fristen i {previous} ({deadline}) er gått ut",
        "a second fee requires the deadline in {previous} ({deadline}) to have passed",
    ),
    C.DEMAND_FEE_ALREADY_CHARGED: (
        "gebyret for betalingsoppfordring er allerede krevd; det kan først kreves igjen "
        "{period} etter siste gebyr ({last_fee_on})",
        "the payment-demand fee has already been charged; it may not be charged again until "
        "{period} after the last fee ({last_fee_on})",
    ),
    C.DEMAND_FEE_NEEDS_MISSED_DEADLINE: (
        "gebyr for betalingsoppfordring krever en purring eller et inkassovarsel med minst "
        "{minimum} dagers frist, og at den fristen er gått ut",
        "a payment-demand fee requires a reminder or notice of collection with a deadline of "
        "at least {minimum} days, and that deadline must have passed",
    ),
    C.HALF_YEAR_ROW_MISSING: (
        "satstabellen mangler {table} for halvåret som startet {half_year}",
        "the rates table lacks {table} for the half-year that started on {half_year}",
    ),
    C.YEAR_FIGURE_MISSING: (
        "satstabellen mangler {table} for {year}",
        "the rates table lacks {table} for {year}",
    ),
}


@dataclass(frozen=True)
class Reason:
    code: ReasonCode
    params: Mapping[str, object] = field(default_factory=dict)
    earliest: date | None = None  # when waiting removes this obstacle; None if it never will

    def message(self, lang: Lang = "nb") -> str:
        norwegian, english = TEMPLATES[self.code]
        body = (norwegian if lang == "nb" else english).format(**self._rendered(lang))
        if self.earliest is None:
            return capitalise(body)
        prefix = "Tidligst" if lang == "nb" else "Earliest"
        return f"{prefix} {format_date(self.earliest, lang=lang)}: {body}"

    def _rendered(self, lang: Lang) -> dict[str, str]:
        rendered = {name: format_value(value, lang=lang) for name, value in self.params.items()}
        if "step" in self.params:
            rendered["title"] = step_title(self.params["step"], lang=lang)
        if "table" in self.params:
            rendered["table"] = table_name(str(self.params["table"]), lang=lang)
        if "period_value" in self.params:
            rendered["period"] = format_period(
                self.params["period_value"], str(self.params["period_unit"]), lang=lang
            )
        return rendered
