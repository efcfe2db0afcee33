"""Filing a signed request for enforcement with Skatteetaten's Utleggsbegjæring API:
designed for, not built. See docs/legal.md for the API, what the package maps to, and what
is left to do.

Today the signed package is downloaded and filed by hand. A submitter plugs in here: it
gets the package and the organisation, authenticates as the organisation with Maskinporten
(scope `skatteetaten:utleggsbegjaering`, possibly through an Altinn delegation to Kredin),
and returns the receipt. There is deliberately no stand-in implementation: nothing may look
as if it was filed when it was not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class SubmissionPackage:
    """What a filing consists of: the ZIP for a person, and the facts an API asks for."""

    file_name: str
    zip_bytes: bytes
    document_sha256: str  # of the signed PDF inside
    # The API's KAN_BEHANDLES_I_FORLIKSRAADET_PAAKREVET: the creditor's answer, required
    # for a request for enforcement (None for other documents).
    conciliation_if_objected: bool | None


@dataclass(frozen=True)
class SubmissionReceipt:
    reference: str  # the enforcement officer's case or message reference
    received_at: datetime


class SubmissionRefused(Exception):
    """The receiving end said no (validation, authorisation); never retried by itself."""


class EnforcementRequestSubmitter(Protocol):
    def submit(
        self, *, package: SubmissionPackage, creditor_organization_number: str
    ) -> SubmissionReceipt:
        """File the request once. The submitter (an organisation) must be the one the
        Maskinporten token was issued to. An unknown outcome is reported, not retried."""
        ...
