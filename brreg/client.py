"""Enhetsregisteret's open API (data.brreg.no): the only module that talks HTTP to it.

Base URL from settings.BRREG_API_URL (the sandbox in demo and tests). Timeouts on every
call; 5xx, connection errors and timeouts are retried with backoff, nothing else is.
Organisation numbers that fail MOD11 are refused before any request is made.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import requests
from django.conf import settings

from kredin.identifiers import is_valid_organization_number

ACCEPT_ENHET = "application/vnd.brreg.enhetsregisteret.enhet.v2+json;charset=UTF-8"
ACCEPT_UNDERENHET = "application/vnd.brreg.enhetsregisteret.underenhet.v2+json;charset=UTF-8"
ACCEPT_OPPDATERING_ENHET = "application/vnd.brreg.enhetsregisteret.oppdatering.enhet.v1+json"
USER_AGENT = "Kredin/0.1 (+https://kredin.no) python-requests/" + requests.__version__
BATCH_LIMIT = 2000


class RegisterError(Exception):
    """Anything that went wrong talking to the register."""


class RegisterUnavailable(RegisterError):
    """The register did not answer usefully (timeouts, connection errors, 5xx) after retries."""


class RegisterBadRequest(RegisterError):
    """400 from the register; `errors` holds its valideringsfeil."""

    def __init__(self, message: str, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or []


class RegisterProtocolError(RegisterError):
    """An answer we do not understand (unexpected status or body)."""


class InvalidOrganizationNumber(ValueError):
    """Raised before sending: a number that fails MOD11 is never sent to the register."""


@dataclass(frozen=True)
class Lookup:
    """One unit as the register reports it. status: active, deleted, removed or unknown."""

    orgnr: str
    status: str
    kind: str = "enhet"
    payload: dict[str, Any] = field(default_factory=dict)


def _checked(orgnr: str) -> str:
    if not is_valid_organization_number(orgnr) or len(orgnr) != 9 or not orgnr.isdigit():
        raise InvalidOrganizationNumber(orgnr)
    return orgnr


class BrregClient:
    def __init__(
        self,
        *,
        base_url: str | None = None,
        timeout: float | None = None,
        attempts: int | None = None,
        backoff: float | None = None,
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = (base_url or settings.BRREG_API_URL).rstrip("/")
        self.timeout = timeout or settings.BRREG_HTTP_TIMEOUT
        self.attempts = attempts or settings.BRREG_HTTP_ATTEMPTS
        self.backoff = backoff if backoff is not None else settings.BRREG_BACKOFF
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.requests_sent = 0

    # -- transport -------------------------------------------------------------------

    def _get(self, path: str, *, accept: str, params: dict[str, Any] | None = None):
        url = f"{self.base_url}/{path}"
        last_error = ""
        for attempt in range(self.attempts):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            self.requests_sent += 1
            try:
                response = self.session.get(
                    url, params=params, headers={"Accept": accept}, timeout=self.timeout
                )
            except (requests.ConnectionError, requests.Timeout) as error:
                last_error = f"{type(error).__name__}: {error}"
                continue
            if response.status_code >= 500:
                last_error = f"HTTP {response.status_code} from {path}"
                continue
            return response
        raise RegisterUnavailable(last_error or "no answer")

    @staticmethod
    def _json(response: requests.Response) -> dict[str, Any]:
        try:
            return response.json()
        except ValueError as error:
            raise RegisterProtocolError(f"not JSON (HTTP {response.status_code})") from error

    def _raise_for_400(self, response: requests.Response) -> None:
        if response.status_code == 400:
            body = self._json(response)
            errors = body.get("valideringsfeil") or []
            message = "; ".join(e.get("feilmelding", "") for e in errors) or body.get(
                "feilmelding", "Feilaktig forespørsel"
            )
            raise RegisterBadRequest(message, errors)

    # -- single units ----------------------------------------------------------------

    def _unit(self, collection: str, orgnr: str, *, accept: str, kind: str) -> Lookup:
        response = self._get(f"{collection}/{orgnr}", accept=accept)
        self._raise_for_400(response)
        if response.status_code == 404:
            return Lookup(orgnr=orgnr, status="unknown", kind=kind)
        if response.status_code == 410:
            return Lookup(orgnr=orgnr, status="removed", kind=kind, payload=self._json(response))
        if response.status_code != 200:
            raise RegisterProtocolError(f"HTTP {response.status_code} for {collection}/{orgnr}")
        body = self._json(response)
        status = "deleted" if body.get("slettedato") else "active"
        return Lookup(orgnr=orgnr, status=status, kind=kind, payload=body)

    def get_enhet(self, orgnr: str) -> Lookup:
        return self._unit("enheter", _checked(orgnr), accept=ACCEPT_ENHET, kind="enhet")

    def get_enhet_unchecked(self, orgnr: str) -> Lookup:
        """Send whatever was given; only for checking how the register treats bad input."""
        return self._unit("enheter", orgnr, accept=ACCEPT_ENHET, kind="enhet")

    def get_underenhet(self, orgnr: str) -> Lookup:
        return self._unit(
            "underenheter", _checked(orgnr), accept=ACCEPT_UNDERENHET, kind="underenhet"
        )

    # -- search and batch ------------------------------------------------------------

    def search_enheter(self, **params: Any) -> dict[str, Any]:
        """One page of /enheter. Lists go comma-separated, as the API wants them."""
        query = {k: ",".join(v) if isinstance(v, list | tuple) else v for k, v in params.items()}
        response = self._get("enheter", accept=ACCEPT_ENHET, params=query)
        self._raise_for_400(response)
        if response.status_code != 200:
            raise RegisterProtocolError(f"HTTP {response.status_code} for enheter search")
        return self._json(response)

    def search_underenheter(self, **params: Any) -> dict[str, Any]:
        query = {k: ",".join(v) if isinstance(v, list | tuple) else v for k, v in params.items()}
        response = self._get("underenheter", accept=ACCEPT_UNDERENHET, params=query)
        self._raise_for_400(response)
        if response.status_code != 200:
            raise RegisterProtocolError(f"HTTP {response.status_code} for underenheter search")
        return self._json(response)

    def lookup_many(self, orgnrs: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Active units among `orgnrs`, in batches of 2,000 numbers per request.

        Numbers missing from the answer are deleted, removed, unknown or sub-units:
        the batch search does not tell which, a single lookup does.
        """
        numbers = sorted({_checked(n) for n in orgnrs})
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(numbers), BATCH_LIMIT):
            batch = numbers[start : start + BATCH_LIMIT]
            page = self.search_enheter(organisasjonsnummer=batch, size=len(batch))
            for unit in page.get("_embedded", {}).get("enheter", []):
                found[unit["organisasjonsnummer"]] = unit
        return found

    def lookup_many_underenheter(self, orgnrs: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Active sub-units among `orgnrs`, 2,000 numbers per request."""
        numbers = sorted({_checked(n) for n in orgnrs})
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(numbers), BATCH_LIMIT):
            batch = numbers[start : start + BATCH_LIMIT]
            page = self.search_underenheter(organisasjonsnummer=batch, size=len(batch))
            for unit in page.get("_embedded", {}).get("underenheter", []):
                found[unit["organisasjonsnummer"]] = unit
        return found

    # -- update feed -----------------------------------------------------------------

    def updates_enheter(
        self, *, from_id: int | None = None, since: str | None = None, size: int = 1000
    ) -> dict[str, Any]:
        params: dict[str, Any] = {"size": size, "sort": "id,ASC"}
        if from_id is not None:
            params["oppdateringsid"] = from_id
        if since is not None:
            params["dato"] = since
        response = self._get(
            "oppdateringer/enheter", accept=ACCEPT_OPPDATERING_ENHET, params=params
        )
        self._raise_for_400(response)
        if response.status_code != 200:
            raise RegisterProtocolError(f"HTTP {response.status_code} for oppdateringer/enheter")
        return self._json(response)

    def iter_updates_enheter(
        self, *, from_id: int | None = None, since: str | None = None, size: int = 1000
    ) -> Iterator[dict[str, Any]]:
        """Every update from `from_id` (inclusive) or `since`, following ids, not page numbers,
        so updates published while we read are neither skipped nor read twice."""
        next_id = from_id
        while True:
            page = self.updates_enheter(
                from_id=next_id, since=since if next_id is None else None, size=size
            )
            items = page.get("_embedded", {}).get("oppdaterteEnheter", [])
            yield from items
            if len(items) < size:
                return
            next_id = max(int(item["oppdateringsid"]) for item in items) + 1
