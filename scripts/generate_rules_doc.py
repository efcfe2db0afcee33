"""Write docs/rules.md: worked examples computed by debt_collection.rules from its data file.

Usage: python scripts/generate_rules_doc.py [--output PATH] [--check]

The output depends only on the code and data/rates.toml (every date in it is fixed here,
nothing reads the clock), so running it twice gives the same file. --check writes nothing
and exits 1 when the file on disk differs from what would be written; a test runs it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = BASE_DIR / "docs" / "rules.md"
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))  # run as a script, the project root is not on the path

from debt_collection import rules as r  # noqa: E402
from debt_collection.rules.formatting import format_money  # noqa: E402

D = date.fromisoformat
ILLUSTRATIVE_NEW_ACT = D("2027-01-01")  # signalled, not set: used only in section 6 and 7


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return [*lines, ""]


def kr(amount: Decimal | None) -> str:
    return "unknown" if amount is None else format_money(amount, lang="en")


def new_act_rules() -> r.Rules:
    """The shipped data with the new Act's in-force date set, and 2027 H1 figures copied
    from 2026 H2 so the example letters can show interest. For illustration only."""
    text = r.DEFAULT_RATES_PATH.read_text(encoding="utf-8")
    text = text.replace('in_force = ""', f"in_force = {ILLUSTRATIVE_NEW_ACT.isoformat()}", 1)
    text += (
        "\n[[late_interest]]\nvalid_from = 2027-01-01\nvalid_to = 2027-06-30"
        '\nrate_percent = "12.25"\nsource = "illustration"\nverified = false\n'
    )
    return r.parse_rules(text, origin="illustration")


def interest_section() -> list[str]:
    cases = [
        ("10000", "2024-02-28", "2024-03-01", "leap day 29 February 2024, divisor 366"),
        ("10000", "2023-12-15", "2024-01-15", "across 1 January: 11.75 % /365, then 12.50 % /366"),
        ("100000", "2025-06-20", "2025-07-10", "across 1 July: 12.50 %, then 12.25 %"),
        ("10000", "2024-12-21", "2025-01-10", "same rate, divisor 366 then 365"),
        ("10000", "2023-12-15", "2025-07-10", "eighteen months, four periods"),
        ("10000", "2026-01-10", "2026-01-10", "until the due date: nothing"),
    ]
    rows = []
    for principal, due, until, what in cases:
        amount = r.late_interest(Decimal(principal), D(due), D(until))
        rows.append(
            (kr(Decimal(principal)), due, until, (D(until) - D(due)).days, kr(amount), what)
        )
    lines = [
        "## 1. Late interest (forsinkelsesrente)",
        "",
        "Each day after the due date up to and including the end date earns principal x the",
        "rate in force that day / 365 (366 in a leap year); the sum is rounded to øre once.",
        "",
        *table(["Principal", "Due date", "Until", "Days", "Interest", "What it shows"], rows),
    ]
    for principal, due, until in (
        ("10000", "2023-12-15", "2025-07-10"),
        ("100000", "2025-06-20", "2025-07-10"),
    ):
        periods = r.interest_breakdown(Decimal(principal), D(due), D(until))
        lines += [f"Breakdown for {kr(Decimal(principal))} due {due}, until {until}:", ""]
        lines += table(
            ["First day", "Last day", "Days", "Rate", "Divisor", "Amount"],
            [
                (p.first_day, p.last_day, p.days, f"{p.rate_percent} %", p.divisor, kr(p.amount))
                for p in periods
            ],
        )
    lines += [
        "The parts add up to the total exactly: each is rounded down to øre, and the øre still",
        "missing go to the parts with the largest remainders (so 342.46 + 335.62 above, though",
        "342.4658 alone would round to 342.47).",
        "",
    ]
    return lines


def fee_section() -> list[str]:
    cases = [
        ("2020-09-30", "2020-10-20", "due before 2020-10-01: 1/10 and 3/10"),
        ("2020-10-01", "2020-10-20", "due from 2020-10-01: 1/20 and 3/20"),
        ("2025-11-20", "2025-12-20", "inkassosats 700"),
        ("2025-11-20", "2026-01-05", "sats on the sending day: 750/20 = 37.50, rounded to 38"),
        ("2020-09-15", "2026-02-01", "old fraction, new sats"),
    ]
    rules = r.default_rules()
    rows = []
    for due, sent in ((D(a), D(b)) for a, b, _ in cases):
        fees = [
            r.statutory_fee_amount(fee_rule=rule, due_date=due, on=sent, rules=rules)
            for rule in (r.FeeRule.REMINDER_FRACTION, r.FeeRule.PAYMENT_DEMAND_FRACTION)
        ]
        rows.append((due, sent, kr(rules.inkassosats(sent).amount), kr(fees[0]), kr(fees[1])))
    rows = [(*row, why) for row, (_, _, why) in zip(rows, cases, strict=True)]
    return [
        "## 2. Fees for the creditor's own letters (inkassoforskriften §§ 1-2, 1-3)",
        "",
        "The fraction depends on the claim's due date, the inkassosats on the day the letter",
        "is sent. No fee before 14 days after the due date; at most two 1/20 fees (the second",
        "only after a missed deadline of at least 14 days); fees again six months after the",
        "last fee-bearing letter.",
        "",
        *table(
            [
                "Claim due",
                "Letter sent",
                "Inkassosats",
                "Reminder / inkassovarsel",
                "Own payment demand",
                "Why",
            ],
            rows,
        ),
    ]


def compensation_section() -> list[str]:
    lines = [
        "## 3. § 3a compensation and the offset",
        "",
        "Between businesses the creditor may claim the § 3a compensation from the due date;",
        "it is netted against the fees, so the claim holds the larger of the two, not the sum.",
        "Consumers never pay it. The same letters, 10 000 kr due 2025-03-01:",
        "",
    ]
    plan = [
        (r.StepCode.REMINDER, "2025-03-20", "2025-04-03"),
        (r.StepCode.COLLECTION_NOTICE, "2025-04-04", "2025-04-18"),
        (r.StepCode.PAYMENT_DEMAND, "2025-04-19", "2025-05-03"),
    ]
    for debtor in (r.DebtorType.BUSINESS, r.DebtorType.CONSUMER):
        case = r.CaseHistory(
            debtor_type=debtor, items=(r.ClaimItem(Decimal(10000), D("2025-03-01")),)
        )
        rows, total = [], Decimal(0)
        for step, sent, deadline in plan:
            quote = r.quote_fee(case=case, step=step, on=D(sent))
            total += quote.increase
            rows.append(
                (
                    r.CURRENT_CATALOGUE.step(step).name_en,
                    sent,
                    kr(quote.statutory_fee),
                    kr(quote.b2b_compensation),
                    kr(quote.increase),
                    kr(total),
                )
            )
            case = case.with_letter(
                r.SentLetter(
                    step, D(sent), D(deadline), quote.statutory_fee, quote.b2b_compensation
                )
            )
        lines += [f"{debtor.value.capitalize()} debtor:", ""]
        lines += table(
            ["Letter", "Sent", "Statutory fee", "§ 3a claimed", "Claim grows by", "Costs so far"],
            rows,
        )
    return lines


def court_fee_section() -> list[str]:
    rules = r.default_rules()
    keys = (
        "enforcement_request",
        "conciliation_complaint",
        "bankruptcy_service",
        "bankruptcy_opening",
    )
    rows = []
    for year in range(2019, 2027):
        on = date(year, 3, 1)
        try:
            unit = rules.court_fee_unit(on)
        except r.FigureUnknownError:
            unit = None
        fees = []
        for key in keys:
            try:
                fees.append(kr(r.court_fee(key=key, on=on, rules=rules)))
            except r.FigureUnknownError:
                fees.append("unknown")
        rows.append((year, kr(unit), *fees))
    return [
        "## 4. Court fees (rettsgebyr R x multiplier, rounded down to whole kroner)",
        "",
        'On 1 March of each year. "unknown" where the data has no R or no multiplier: the',
        "code refuses to guess (R for 2023 and 2026, the conciliation-board multiplier after",
        "2024-07-01).",
        "",
        *table(
            [
                "Year",
                "R",
                "Enforcement request",
                "Conciliation complaint",
                "Bankruptcy notice service",
                "Bankruptcy opening",
            ],
            rows,
        ),
    ]


def verdict_lines(
    title: str, case: r.CaseHistory, step: r.StepCode, on: date, rules=None
) -> list[str]:
    verdict = r.check_step(case=case, step=step, on=on, rules=rules)
    lines = [
        f"**{title}** `check_step(step={step.value}, on={on})`: "
        f"{'allowed' if verdict.allowed else 'refused'}, earliest {verdict.earliest}.",
        "",
    ]
    lines += table(
        ["Code", "Bokmål", "English"],
        [
            (reason.code.value, reason.message("nb"), reason.message("en"))
            for reason in verdict.reasons
        ],
    )
    return lines


def guardrail_section() -> list[str]:
    item = (r.ClaimItem(Decimal(10000), D("2026-01-10")),)
    reminder = r.SentLetter(r.StepCode.REMINDER, D("2026-01-20"), D("2026-02-03"), Decimal(38))
    consumer = r.CaseHistory(debtor_type=r.DebtorType.CONSUMER, items=item, letters=(reminder,))
    notice = r.SentLetter(r.StepCode.FINAL_NOTICE_ENFORCEMENT, D("2026-01-20"), D("2026-02-03"))
    disputed = r.CaseHistory(
        debtor_type=r.DebtorType.CONSUMER,
        items=item,
        letters=(notice,),
        objections=(r.Objection(D("2026-01-25")),),
    )
    fresh = r.CaseHistory(debtor_type=r.DebtorType.CONSUMER, items=item)
    return [
        "## 5. Guardrail refusals",
        "",
        "A 10 000 kr claim due 2026-01-10. Every reason is returned, each with a code, its",
        "parameters and a sentence in both languages.",
        "",
        *verdict_lines(
            "A second reminder while the first runs "
            "(reminder sent 2026-01-20, deadline 2026-02-03).",
            consumer,
            r.StepCode.REMINDER,
            D("2026-01-28"),
        ),
        *verdict_lines(
            "A reminder too soon after the due date.", fresh, r.StepCode.REMINDER, D("2026-01-20")
        ),
        *verdict_lines(
            "Enforcement on a disputed claim, too soon after the § 4-18 notice "
            "(sent 2026-01-20; objection 2026-01-25).",
            disputed,
            r.StepCode.ENFORCEMENT_REQUEST,
            D("2026-01-30"),
        ),
        *verdict_lines(
            "A bankruptcy notice to a consumer.",
            fresh,
            r.StepCode.BANKRUPTCY_NOTICE,
            D("2026-03-01"),
        ),
        *verdict_lines(
            "The creditor's own inkassovarsel after the new Act "
            f"(in force {ILLUSTRATIVE_NEW_ACT} for this example only).",
            fresh,
            r.StepCode.COLLECTION_NOTICE,
            D("2027-01-05"),
            new_act_rules(),
        ),
    ]


def catalogue_section() -> list[str]:
    lines = ["## 6. Step catalogues", ""]
    for catalogue, on, rules in (
        (r.CURRENT_CATALOGUE, D("2026-06-01"), r.default_rules()),
        (r.NEW_ACT_CATALOGUE, D("2027-06-01"), new_act_rules()),
    ):
        lines += [f"### {catalogue.name}", ""]
        rows = []
        for step in catalogue.all_steps:
            days = step.minimum_deadline_days(on=on, rules=rules)
            flags = [
                name
                for name, on_ in (
                    ("optional", step.optional),
                    ("business only", step.business_only),
                )
                if on_
            ]
            rows.append(
                (
                    step.name_nb,
                    step.letter_type.value,
                    step.fee_rule.value,
                    "-" if days is None else days,
                    ", ".join(sorted(s.value for s in step.senders)),
                    ", ".join(flags) or "-",
                    "; ".join(r.content_label(e, lang="en") for e in step.required_content),
                )
            )
        lines += table(
            [
                "Step",
                "Letter type",
                "Fee rule",
                "Min. deadline (days)",
                "Who may send",
                "Flags",
                "Must contain",
            ],
            rows,
        )
    lines += [
        "`catalogue_for(on=...)` gives the first unless the data sets the new Act's in-force",
        f"date and `on` is on or after it (shown here with {ILLUSTRATIVE_NEW_ACT}).",
        "",
    ]
    return lines


def allocation_and_limitation_section() -> list[str]:
    balance = r.ClaimBalance(costs=Decimal(38), interest=Decimal(120), principal=Decimal(10000))
    rows = []
    for amount in ("20", "100", "1000", "10158", "10200"):
        a = r.allocate_payment(balance=balance, amount=Decimal(amount), on=D("2026-03-01"))
        rows.append(
            (kr(Decimal(amount)), kr(a.costs), kr(a.interest), kr(a.principal), kr(a.overpayment))
        )
    limitation = [
        ("due 2026-01-10", r.limitation_date(due_date=D("2026-01-10"))),
        ("due 2024-02-29", r.limitation_date(due_date=D("2024-02-29"))),
        (
            "due 2026-01-10, part-payment 2027-06-01",
            r.limitation_date(due_date=D("2026-01-10"), acknowledged_on=[D("2027-06-01")]),
        ),
        (
            "due 2026-01-10, enforcement requested 2026-06-01",
            r.limitation_date(due_date=D("2026-01-10"), legal_steps_on=[D("2026-06-01")]),
        ),
    ]
    return [
        "## 7. Part-payments and limitation",
        "",
        "Payment order costs, then interest, then principal (data, marked unverified: customary",
        "practice, not statute). Claim: costs 38, interest 120, principal 10 000:",
        "",
        *table(["Paid", "Costs", "Interest", "Principal", "Overpayment"], rows),
        "Limitation (foreldelsesloven §§ 2, 3, 14, 15): three years; an acknowledgment or",
        "part-payment restarts it, a legal step interrupts it, dunning letters do nothing.",
        "",
        *table(
            ["Claim", "Last day to interrupt"],
            [(w, d or "interrupted (none)") for w, d in limitation],
        ),
    ]


def unverified_section() -> list[str]:
    rows = []
    for name, dated in r.default_rules().tables.items():
        for row in dated.rows:
            if not row.verified:
                value = ", ".join(
                    f"{k}={'empty' if v is None else v}" for k, v in row.values.items()
                )
                key = f" [{row.key}]" if row.key else ""
                rows.append(
                    (
                        f"{name}{key}",
                        row.valid_from,
                        row.valid_to or "open",
                        value,
                        row.note or row.source,
                    )
                )
    stale = r.stale_tables(today=D("2027-01-01"))
    return [
        "## 8. Figures not verified",
        "",
        "Rows with `verified = false` in data/rates.toml (single or secondary sources, assumed,",
        "proposed, or missing). Check them on Lovdata or Finanstilsynet before relying on them.",
        "",
        *table(["Table", "From", "To", "Value", "Why"], rows),
        "## 9. Staleness check",
        "",
        "`stale_tables(today=2027-01-01)` with the shipped data:",
        "",
        *[f"- `{s.code.value}`: {s.message('en')} / {s.message('nb')}" for s in stale],
        "",
    ]


def render() -> str:
    lines = [
        "# Norwegian collection rules: worked examples",
        "",
        "Generated by `scripts/generate_rules_doc.py` from `debt_collection/rules` and its data",
        "file `debt_collection/rules/data/rates.toml`. Do not edit by hand: run the script after",
        "changing either; `--check` (run by a test) fails when this file is out of date.",
        "Written from public sources (the laws and regulations cited, and the secondary",
        "sources named in the data file); not legal advice.",
        "",
        *interest_section(),
        *fee_section(),
        *compensation_section(),
        *court_fee_section(),
        *guardrail_section(),
        *catalogue_section(),
        *allocation_and_limitation_section(),
        *unverified_section(),
    ]
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is out of date")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date: run python scripts/generate_rules_doc.py")
            return 1
        print(f"{args.output} is up to date")
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
