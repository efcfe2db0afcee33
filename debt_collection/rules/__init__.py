"""Norwegian collection law for egeninkasso, as plain Python and dated data.

No Django and no other project app is imported here (an import-linter contract keeps it
so): the rules can be tested, documented and reused without a database. Money is Decimal
kroner, dates are datetime.date, and every legal figure comes from data/rates.toml.
"""

from .allocation import Allocation, ClaimBalance, ClaimPart, allocate_payment
from .case import CaseHistory, ClaimItem, DebtorType, Objection, Payment, SentLetter
from .catalogue import (
    CURRENT_CATALOGUE,
    NEW_ACT_CATALOGUE,
    Catalogue,
    FeeRule,
    Recipient,
    Regime,
    Sender,
    Step,
    StepCode,
    catalogue_for,
)
from .content import ContentElement, LetterType, content_label
from .dates import format_date
from .errors import FigureUnknownError, RulesDataError
from .fees import FeeQuote, court_fee, fee_for_step, quote_fee, statutory_fee_amount
from .guardrails import Verdict, check_step
from .interest import InterestPeriod, interest_breakdown, late_interest
from .limitation import is_time_barred, limitation_date, limitation_date_for_case
from .loader import DEFAULT_RATES_PATH, default_rules, load_rules, parse_rules
from .reasons import Reason, ReasonCode
from .ruleset import Rules
from .staleness import StaleTable, stale_tables

__all__ = [
    "CURRENT_CATALOGUE",
    "DEFAULT_RATES_PATH",
    "NEW_ACT_CATALOGUE",
    "Allocation",
    "CaseHistory",
    "Catalogue",
    "ClaimBalance",
    "ClaimItem",
    "ClaimPart",
    "ContentElement",
    "DebtorType",
    "FeeQuote",
    "FeeRule",
    "FigureUnknownError",
    "InterestPeriod",
    "LetterType",
    "Objection",
    "Payment",
    "Reason",
    "ReasonCode",
    "Recipient",
    "Regime",
    "Rules",
    "RulesDataError",
    "Sender",
    "SentLetter",
    "StaleTable",
    "Step",
    "StepCode",
    "Verdict",
    "allocate_payment",
    "catalogue_for",
    "check_step",
    "content_label",
    "court_fee",
    "default_rules",
    "fee_for_step",
    "format_date",
    "interest_breakdown",
    "is_time_barred",
    "late_interest",
    "limitation_date",
    "limitation_date_for_case",
    "load_rules",
    "parse_rules",
    "quote_fee",
    "stale_tables",
    "statutory_fee_amount",
]
