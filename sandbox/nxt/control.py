"""JSON switches for tests and demos: POST /sandbox/businessnxt/_control/<action>.

Not part of Business NXT. Every switch needs the X-Sandbox-Control-Secret header
(sandbox.control). Bodies use the same names as the Python functions in ledger.py and
faults.py; dates are ISO strings, amounts strings or numbers.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from sandbox.control import control_secret_required
from sandbox.models import CustomerTransaction, Fault
from sandbox.nxt import faults, ledger, limits


def _row(row: CustomerTransaction) -> dict:
    return {
        "voucherJournalNo": row.voucher_journal_no,
        "auditNo": row.audit_no,
        "customerNo": row.customer_no,
        "invoiceNo": row.invoice_no,
        "amountDomestic": str(row.amount_domestic),
        "outstandingAmountDomestic": str(row.outstanding_amount_domestic),
        "cid": row.cid,
    }


def _date(value) -> date | None:
    return date.fromisoformat(value) if value else None


def _amount(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _payment(p: dict) -> dict:
    """A bank payment read from the bank file, matched by ``invoice_no`` or ``kid``.

    No ``amount`` pays the outstanding amount exactly; less leaves the rest open; more closes
    the invoice and leaves the excess as an unmatched credit line. The answer is the first
    customer line (as before) plus ``lines`` (every customer line of the payment), ``excess``
    and the invoice's ``invoiceOutstandingAmountDomestic`` afterwards.
    """
    if not p.get("invoice_no") and not p.get("kid"):
        raise KeyError("invoice_no or kid")
    lines = ledger.register_bank_payment(
        company_no=int(p["company_no"]),
        invoice_no=str(p["invoice_no"]) if p.get("invoice_no") else None,
        kid=str(p["kid"]) if p.get("kid") else None,
        amount=_amount(p.get("amount")),
        on=_date(p.get("date")),
        bank_account=int(p.get("bank_account") or ledger.BANK_ACCOUNT),
    )
    first = lines[0]
    invoice = CustomerTransaction.objects.filter(
        company=first.company, invoice_no=first.invoice_no, voucher_type=ledger.VT_INVOICE
    ).earliest("audit_no")
    excess = sum((-r.outstanding_amount_domestic for r in lines), Decimal(0))
    return {
        **_row(first),
        "lines": [_row(r) for r in lines],
        "excess": str(excess),
        "invoiceOutstandingAmountDomestic": str(invoice.outstanding_amount_domestic),
    }


def _credit_note(p: dict) -> dict:
    row = ledger.add_credit_note(
        company_no=int(p["company_no"]),
        invoice_no=str(p["invoice_no"]),
        amount=_amount(p["amount"]),
        on=_date(p.get("date")),
    )
    return _row(row)


def _invoice(p: dict) -> dict:
    row = ledger.add_invoice(
        company_no=int(p["company_no"]),
        customer_no=int(p["customer_no"]),
        amount=_amount(p["amount"]),
        invoice_no=str(p["invoice_no"]) if p.get("invoice_no") else None,
        voucher_date=_date(p.get("voucher_date")),
        due_date=_date(p.get("due_date")),
        text=p.get("text", ""),
    )
    return _row(row)


def _change(p: dict) -> dict:
    ledger.change_row(
        company_no=int(p["company_no"]), table=p["table"], key=int(p["key"]), values=p["values"]
    )
    return {"changed": True}


def _fault(p: dict) -> dict:
    """Body: company_no, kind, count (1), delay_ms (0), operation ("" = any request) and
    phase ("before" or "after_commit"); the answer echoes them with the fault's id."""
    fault = faults.set_fault(
        company_no=int(p["company_no"]),
        kind=p["kind"],
        count=int(p.get("count", 1)),
        delay_ms=int(p.get("delay_ms", 0)),
        operation=str(p.get("operation") or ""),
        phase=str(p.get("phase") or Fault.Phase.BEFORE),
    )
    return {
        "fault": fault.pk,
        "company_no": fault.company_no,
        "kind": fault.kind,
        "count": fault.remaining,
        "delay_ms": fault.delay_ms,
        "operation": fault.operation,
        "phase": fault.phase,
    }


def _clear_faults(p: dict) -> dict:
    company_no = p.get("company_no")
    return {"deleted": faults.clear_faults(company_no=int(company_no) if company_no else None)}


def _reset_limits(_p: dict) -> dict:
    limits.reset()
    return {"reset": True}


ACTIONS = {
    "payment": _payment,
    "credit-note": _credit_note,
    "invoice": _invoice,
    "change-row": _change,
    "fault": _fault,
    "clear-faults": _clear_faults,
    "reset-limits": _reset_limits,
}


def _view(handler):
    @control_secret_required
    @csrf_exempt
    @require_POST
    def view(request: HttpRequest) -> JsonResponse:
        try:
            payload = json.loads(request.body or b"{}")
            return JsonResponse(handler(payload))
        except ObjectDoesNotExist as exc:
            return JsonResponse({"error": str(exc)}, status=404)
        except (ValueError, KeyError, TypeError, InvalidOperation) as exc:
            return JsonResponse({"error": f"Bad request: {exc}"}, status=400)

    view.__name__ = f"control_{handler.__name__.strip('_')}"
    return view


VIEWS = {action: _view(handler) for action, handler in ACTIONS.items()}
