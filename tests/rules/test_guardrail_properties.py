"""Generated case histories: nothing the guardrail lets through breaks a rule.

Hypothesis plays out random cases: letters of random steps on random days with random
deadlines, payments, objections and withdrawals, for consumers and businesses. Each letter
is sent only if `check_step` allows it, carrying the fee it quotes. The finished history is
then judged by `violations()` below, written from the statutes and published figures
(inkassoloven, inkassoforskriften, forsinkelsesrenteloven, tvangsfullbyrdelsesloven,
konkursloven) without calling the package's rule code: its own fee table, its own month
arithmetic, its own idea of a cycle. If the two disagree, one of them misreads the law.
"""

from __future__ import annotations

import calendar
from dataclasses import replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from debt_collection.rules import (
    CaseHistory,
    ClaimItem,
    DebtorType,
    Objection,
    Payment,
    ReasonCode,
    SentLetter,
    StepCode,
    check_step,
)

S = StepCode
DAY = timedelta(days=1)

# --- The published figures, typed in here ----------------------------------------------------

COMPENSATION = [  # § 3a by half-year (forsinkelsesrenteloven § 3a); None: no figure known
    ("2019-07-01", 390),
    ("2020-01-01", 400),
    ("2020-07-01", 430),
    ("2021-01-01", None),
    ("2021-07-01", 400),
    ("2022-01-01", 390),
    ("2022-07-01", 400),
    ("2023-01-01", 410),
    ("2023-07-01", 460),
    ("2024-01-01", 470),
    ("2024-07-01", 460),
    ("2025-01-01", 470),
    ("2025-07-01", 460),
    ("2026-01-01", 460),
    ("2026-07-01", 430),
]
SMALL_FEE_STEPS = {S.REMINDER, S.COLLECTION_NOTICE}
DUNNING = {
    S.FRIENDLY_REMINDER,
    S.REMINDER,
    S.COLLECTION_NOTICE,
    S.PAYMENT_DEMAND,
    S.FINAL_NOTICE_ENFORCEMENT,
    S.FINAL_NOTICE_BANKRUPTCY,
}
FOR_UNDISPUTED_ONLY = {S.ENFORCEMENT_REQUEST, S.BANKRUPTCY_NOTICE, S.BANKRUPTCY_PETITION}
BANKRUPTCY_ROUTE = {S.FINAL_NOTICE_BANKRUPTCY, S.BANKRUPTCY_NOTICE, S.BANKRUPTCY_PETITION}
ENFORCEMENT_NOTICES = {S.PAYMENT_DEMAND, S.FINAL_NOTICE_ENFORCEMENT}
FILINGS = {S.ENFORCEMENT_REQUEST, S.CONCILIATION_COMPLAINT, S.BANKRUPTCY_PETITION}
COURT_FEE_STEPS = FILINGS | {S.BANKRUPTCY_NOTICE}  # the notice is served for 0.4 R


def sats(sent: date) -> int:
    return 750 if sent >= date(2026, 1, 1) else 700  # the inkassosats (inkassoforskriften § 1-1)


def expected_fee(step: StepCode, *, due: date, sent: date) -> Decimal:
    """Inkassoforskriften § 1-2: 1/20 or 3/20 of the sats on sending (1/10, 3/10 if due before
    2020-10-01); from 2026 rounded to the nearest krone, 0.50 up."""
    parts = (1 if step in SMALL_FEE_STEPS else 3, 20 if due >= date(2020, 10, 1) else 10)
    exact = Decimal(sats(sent) * parts[0]) / parts[1]
    if sent >= date(2026, 1, 1):
        return exact.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return exact


def compensation_on(day: date) -> int | None:
    amount = None
    for start, value in COMPENSATION:
        if date.fromisoformat(start) <= day:
            amount = value
    return amount


def six_months_after(day: date) -> date:
    month = day.month + 6
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def one_year_after(day: date) -> date:
    if day.month == 2 and day.day == 29:
        return date(day.year + 1, 2, 28)
    return date(day.year + 1, day.month, day.day)


# --- The independent checker -----------------------------------------------------------------


def violations(case: CaseHistory, increases: list[Decimal], *, imported: int = 0) -> list[str]:
    """Every rule a letter in `case` breaks, judged from what was known when it was sent.

    The first `imported` letters were sent before the guardrail saw the case (e.g. by the
    creditor's old system): they are context for the later ones, not judged themselves.
    """
    found: list[str] = []
    due = max(item.due_date for item in case.items)
    b2b = case.debtor_type is DebtorType.BUSINESS and case.creditor_is_business
    letters = list(case.letters)
    for index, letter in enumerate(letters):
        if index < imported:
            continue
        before = letters[:index]
        sent = letter.sent_on

        def broke(rule: str, letter=letter) -> None:
            found.append(f"{letter.step} on {letter.sent_on}: {rule}")

        standing = [
            o
            for o in case.objections
            if o.raised_on <= sent and (o.withdrawn_on is None or sent < o.withdrawn_on)
        ]
        if sent <= due:
            broke("sent before the due date had passed")
        if any(earlier.deadline and sent <= earlier.deadline for earlier in before):
            broke("sent while an earlier deadline was running")
        if letter.step not in FILINGS:
            minimum = 7 if letter.step is S.FRIENDLY_REMINDER else 14
            if letter.deadline is None or (letter.deadline - sent).days < minimum:
                broke(f"deadline shorter than {minimum} days")
        if letter.step in BANKRUPTCY_ROUTE and case.debtor_type is DebtorType.CONSUMER:
            broke("bankruptcy route against a consumer")
        if standing and letter.step in DUNNING:
            broke("dunning letter while an objection stood")
        if standing and letter.step in FOR_UNDISPUTED_ONLY:
            broke("step for undisputed claims taken on a disputed one")
        if (
            standing
            and letter.step not in COURT_FEE_STEPS
            and (letter.fee_charged or letter.compensation_charged)
        ):
            broke("fee or compensation charged while an objection stood")
        if letter.compensation_charged and not b2b:
            broke("§ 3a compensation outside business-to-business")
        if letter.compensation_charged and letter.compensation_charged != compensation_on(sent):
            expected = compensation_on(sent)
            broke(f"compensation {letter.compensation_charged}, expected {expected}")
        if letter.compensation_charged and any(e.compensation_charged for e in before):
            broke("§ 3a compensation claimed twice")
        paid = sum((p.amount for p in case.payments if p.paid_on <= sent), Decimal(0))
        owed = sum((i.principal for i in case.items), Decimal(0)) + sum(increases[:index])
        if paid >= owed:
            broke("letter on a paid claim")
        _fee_violations(letter, before, due, broke)
        _sequence_violations(letter, before, broke)
    total_fees = sum((x.fee_charged for x in letters if x.step not in COURT_FEE_STEPS), Decimal(0))
    total_court = sum((x.fee_charged for x in letters if x.step in COURT_FEE_STEPS), Decimal(0))
    total_comp = sum((x.compensation_charged for x in letters), Decimal(0))
    if sum(increases) != total_court + max(total_fees, total_comp):
        found.append("fees and compensation were added up instead of netted (the larger)")
    return found


def _fee_violations(letter: SentLetter, before: list[SentLetter], due: date, broke) -> None:
    sent = letter.sent_on
    if letter.step in COURT_FEE_STEPS or not letter.fee_charged:
        if letter.step is S.REMINDER:
            broke("a reminder went out without its fee")
        return
    if letter.step not in SMALL_FEE_STEPS | {S.PAYMENT_DEMAND}:
        broke("a fee on a letter that carries none")
    if sent < due + 14 * DAY:
        broke("fee less than 14 days after the due date")
    if letter.fee_charged != expected_fee(letter.step, due=due, sent=sent):
        expected = expected_fee(letter.step, due=due, sent=sent)
        broke(f"fee {letter.fee_charged}, expected {expected}")
    fee_letters = [x for x in before if x.fee_charged and x.step not in COURT_FEE_STEPS]
    cycle: list[SentLetter] = []
    for earlier in fee_letters:  # a fee letter six months after the previous one starts afresh
        cycle = (
            [earlier]
            if cycle and earlier.sent_on >= six_months_after(cycle[-1].sent_on)
            else [*cycle, earlier]
        )
    if cycle and sent >= six_months_after(cycle[-1].sent_on):
        cycle = []
    small = [x for x in cycle if x.step in SMALL_FEE_STEPS]
    demand = [x for x in cycle if x.step is S.PAYMENT_DEMAND]
    if letter.step in SMALL_FEE_STEPS:
        if len(small) >= 2:
            broke("a third 1/20 fee within six months")
        if demand:
            broke("a 1/20 fee after the payment-demand fee")
        if len(small) == 1:
            first = small[0]
            if first.deadline is None or (first.deadline - first.sent_on).days < 14:
                broke("second fee, but the first letter gave less than 14 days")
            elif sent <= first.deadline:
                broke("second fee before the first deadline was missed")
    else:
        if demand:
            broke("a second payment-demand fee within six months")
        missed = [
            x
            for x in before
            if x.step in SMALL_FEE_STEPS
            and x.deadline
            and (x.deadline - x.sent_on).days >= 14
            and x.deadline < sent
        ]
        if not missed:
            broke("payment-demand fee without a missed 14-day deadline")


def _sequence_violations(letter: SentLetter, before: list[SentLetter], broke) -> None:
    sent = letter.sent_on
    if letter.step is S.PAYMENT_DEMAND:
        notices = [x for x in before if x.step is S.COLLECTION_NOTICE]
        if not notices or sent <= notices[-1].deadline:
            broke("payment demand without a missed inkassovarsel deadline")
    if letter.step is S.CONCILIATION_COMPLAINT:
        notices = [x for x in before if x.step is S.PRE_SUIT_NOTICE]
        if not notices or sent <= notices[-1].deadline:
            broke("conciliation complaint without a missed pre-suit deadline")
    if letter.step is S.ENFORCEMENT_REQUEST:
        notices = [x for x in before if x.step in ENFORCEMENT_NOTICES]
        if not notices:
            broke("enforcement without a § 4-18 notice")
        else:
            ready = notices[-1].sent_on + 14 * DAY
            if sent < ready:
                broke("enforcement sooner than 14 days after the § 4-18 notice")
            if sent > one_year_after(ready):
                broke("enforcement on a § 4-18 notice more than a year old")
    if letter.step is S.BANKRUPTCY_NOTICE and (not before or sent < before[0].sent_on + 30 * DAY):
        broke("bankruptcy notice sooner than 30 days after the first demand")
    if letter.step is S.BANKRUPTCY_PETITION:
        notices = [x for x in before if x.step is S.BANKRUPTCY_NOTICE]
        if not notices or sent < notices[-1].sent_on + 14 * DAY:
            broke("bankruptcy petition sooner than 14 days after the bankruptcy notice")


# --- Playing out random cases ----------------------------------------------------------------

# Weighted toward the steps that carry rules, and toward gaps just past a 14-day deadline,
# so that most generated cases get several letters through and reach the legal steps.
WEIGHTED_STEPS = [
    *[S.FRIENDLY_REMINDER] * 2,
    *[S.REMINDER] * 4,
    *[S.COLLECTION_NOTICE] * 4,
    *[S.PAYMENT_DEMAND] * 4,
    *[S.FINAL_NOTICE_ENFORCEMENT] * 2,
    *[S.ENFORCEMENT_REQUEST] * 3,
    S.PRE_SUIT_NOTICE,
    *[S.CONCILIATION_COMPLAINT] * 2,
    S.FINAL_NOTICE_BANKRUPTCY,
    *[S.BANKRUPTCY_NOTICE] * 2,
    *[S.BANKRUPTCY_PETITION] * 2,
    S.DEMAND_LETTER,
]
letter_action = st.tuples(
    st.just("letter"),
    st.sampled_from(WEIGHTED_STEPS),
    st.one_of(st.just(0), st.integers(min_value=-3, max_value=10)),  # deadline beyond minimum
)
payment_action = st.tuples(
    st.just("payment"), st.just(None), st.integers(min_value=1, max_value=40)
)
objection_action = st.tuples(st.just("objection"), st.just(None), st.booleans())
withdraw_action = st.tuples(st.just("withdraw"), st.just(None), st.just(0))
ACTIONS = {
    "letter": letter_action,
    "payment": payment_action,
    "objection": objection_action,
    "withdraw": withdraw_action,
}
# st.one_of would merge repeated strategies, so the weights go through sampled_from.
action = st.sampled_from(["letter"] * 10 + ["payment", "objection", "withdraw"]).flatmap(
    ACTIONS.__getitem__
)
gap = st.one_of(
    st.integers(min_value=13, max_value=20),
    st.integers(min_value=0, max_value=3),
    st.integers(min_value=0, max_value=60),
)


# Letters from before the guardrail: any deadline (5 to 21 days), with or without a fee.
imported_letter = st.tuples(
    st.sampled_from([S.FRIENDLY_REMINDER, S.REMINDER, S.COLLECTION_NOTICE]),
    st.integers(min_value=1, max_value=30),  # days after the due date, or after the previous
    st.integers(min_value=5, max_value=21),  # its deadline
    st.booleans(),  # whether it charged the fee (if it could)
)


@st.composite
def cases(draw):
    debtor = draw(st.sampled_from(list(DebtorType)))
    due = draw(st.dates(min_value=date(2019, 9, 1), max_value=date(2026, 3, 31)))
    principal = Decimal(draw(st.integers(min_value=100, max_value=50_000)))
    plan = draw(st.lists(st.tuples(gap, action), min_size=4, max_size=18))
    imported = draw(st.lists(imported_letter, max_size=2))
    return debtor, due, principal, plan, imported


def play(debtor, due, principal, plan, imported=()):
    case = CaseHistory(debtor_type=debtor, items=(ClaimItem(principal, due),))
    increases: list[Decimal] = []
    day = due
    for step, after, deadline_days, with_fee in imported:
        day += after * DAY
        fee = Decimal(0)
        if with_fee and step is not S.FRIENDLY_REMINDER and day >= due + 14 * DAY:
            fee = expected_fee(step, due=due, sent=day)
        case = case.with_letter(SentLetter(step, day, day + deadline_days * DAY, fee))
        increases.append(fee)
    day = day if imported else due - 3 * DAY
    for gap, (kind, step, value) in plan:
        # A payment or objection comes at least a day after the letter before it: the checker
        # reads dates only, and on one day it cannot tell which came first.
        day += (gap if kind == "letter" else max(gap, 1)) * DAY
        if day > date(2026, 12, 31):
            break
        if kind == "letter":
            minimum = 7 if step is S.FRIENDLY_REMINDER else 14
            verdict = check_step(
                case=case, step=step, on=day, deadline=day + (minimum + value) * DAY
            )
            _check_verdict_shape(case, verdict)
            if verdict.allowed:
                quote = verdict.fee
                if step in COURT_FEE_STEPS:
                    charged = quote.court_fee or Decimal(0)  # None: R not known for the year
                else:
                    charged = quote.statutory_fee
                case = case.with_letter(
                    SentLetter(step, day, verdict.deadline, charged, quote.b2b_compensation)
                )
                increases.append(quote.increase or Decimal(0))
        elif kind == "payment":
            case = replace(case, payments=(*case.payments, Payment(day, principal * value / 100)))
        elif kind == "objection":
            objection = Objection(day, obviously_groundless=value)
            case = replace(case, objections=(*case.objections, objection))
        elif case.objections and case.objections[-1].withdrawn_on is None:
            last = replace(case.objections[-1], withdrawn_on=day)
            case = replace(case, objections=(*case.objections[:-1], last))
    return case, increases


def _check_verdict_shape(case: CaseHistory, verdict) -> None:
    """Allowed means no reasons; a refusal's `earliest` must really be allowed then."""
    assert verdict.allowed == (not verdict.reasons)
    if verdict.allowed:
        assert verdict.earliest == verdict.on
        return
    if verdict.earliest is None:
        assert any(reason.earliest is None for reason in verdict.reasons)
        return
    assert verdict.earliest >= verdict.on
    if verdict.earliest <= date(2026, 12, 31):  # beyond it the data has no rates yet
        days = (verdict.deadline - verdict.on).days if verdict.deadline else None
        later = check_step(
            case=case,
            step=verdict.step,
            on=verdict.earliest,
            deadline=verdict.earliest + days * DAY if days is not None else None,
        )
        leftovers = [r for r in later.reasons if r.code is not ReasonCode.FIGURE_UNKNOWN]
        assert not leftovers, [r.message("en") for r in leftovers]


@settings(
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(cases())
def test_no_allowed_letter_breaks_a_rule(generated):
    debtor, due, principal, plan, imported = generated
    case, increases = play(debtor, due, principal, plan, imported)
    # Shown by --hypothesis-show-statistics: evidence that letters do get through.
    event(f"letters sent: {min(len(case.letters), 5)}{'+' if len(case.letters) >= 5 else ''}")
    for letter in case.letters:
        event(f"sent {letter.step.value}{' with fee' if letter.fee_charged else ''}")
    assert violations(case, increases, imported=len(imported)) == []


def test_the_checker_itself_catches_broken_histories():
    """The checker must be able to fail, or the property above proves nothing."""
    due = date(2026, 1, 10)

    def sent(step, day, deadline, fee="0", comp="0"):
        return SentLetter(
            step,
            date.fromisoformat(day),
            date.fromisoformat(deadline) if deadline else None,
            Decimal(fee),
            Decimal(comp),
        )

    def judged(debtor, *letters, objections=()):
        case = CaseHistory(
            debtor_type=debtor,
            items=(ClaimItem(Decimal(1000), due),),
            letters=letters,
            objections=objections,
        )
        increases = [x.fee_charged + x.compensation_charged for x in case.letters]
        return " | ".join(violations(case, increases))

    consumer, business = DebtorType.CONSUMER, DebtorType.BUSINESS
    r1 = sent(S.REMINDER, "2026-01-24", "2026-02-07", "38")
    r2 = sent(S.REMINDER, "2026-02-08", "2026-02-22", "38")
    assert judged(consumer, r1, r2) == ""
    assert "third 1/20 fee" in judged(
        consumer, r1, r2, sent(S.REMINDER, "2026-02-23", "2026-03-09", "38")
    )
    assert "14 days after the due date" in judged(
        consumer, sent(S.REMINDER, "2026-01-20", "2026-02-03", "38")
    )
    assert "expected 38" in judged(consumer, sent(S.REMINDER, "2026-01-24", "2026-02-07", "37.50"))
    assert "outside business-to-business" in judged(
        consumer, sent(S.REMINDER, "2026-01-24", "2026-02-07", "38", "460")
    )
    assert "netted" in judged(business, sent(S.REMINDER, "2026-01-24", "2026-02-07", "38", "460"))
    assert "while an earlier deadline" in judged(
        consumer, r1, sent(S.COLLECTION_NOTICE, "2026-02-01", "2026-02-15")
    )
    assert "payment demand without" in judged(
        consumer, r1, sent(S.PAYMENT_DEMAND, "2026-02-08", "2026-02-22")
    )
    assert "against a consumer" in judged(
        consumer, sent(S.FINAL_NOTICE_BANKRUPTCY, "2026-01-24", "2026-02-07")
    )
    assert "objection stood" in judged(consumer, r1, objections=(Objection(date(2026, 1, 20)),))
    assert "sooner than 14 days" in judged(
        consumer,
        sent(S.FINAL_NOTICE_ENFORCEMENT, "2026-01-24", "2026-02-07"),
        sent(S.ENFORCEMENT_REQUEST, "2026-02-06", None),
    )
