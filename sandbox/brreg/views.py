"""HTTP face of the stand-in register, shaped like data.brreg.no/enhetsregisteret/api.

Status codes: 200 active, 200 with slettedato for deleted units, 410 Gone for removed
ones, 404 with an empty body for unknown numbers, 400 BadRequest with valideringsfeil for
malformed input. Empty fields are left out, never sent as null.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import re
import time
from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from sandbox.brreg.models import (
    RegisterFault,
    RegisterRequest,
    RegisterUnit,
    RegisterUpdate,
    UnitKind,
    UnitState,
)

API_MARK = "/enhetsregisteret/api"
ORGNR_RE = re.compile(r"^\d{9}$")
MAX_RESULT_WINDOW = 10_000
MAX_BATCH = 2000
ORGNR_MESSAGE = "Organisasjonsnummer må være et nummer med nøyaktig 9 siffer"
ACCEPTABLE = ("application/json", "application/hal+json", "application/vnd.brreg.", "*/*")
BOOLEAN_FILTERS = (
    "konkurs",
    "underAvvikling",
    "underTvangsavviklingEllerTvangsopplosning",
    "registrertIMvaregisteret",
    "registrertIForetaksregisteret",
    "registrertIStiftelsesregisteret",
    "registrertIFrivillighetsregisteret",
)


class BadRequest(Exception):
    def __init__(self, message: str, parameters: list[str], value: str | None) -> None:
        super().__init__(message)
        self.message, self.parameters, self.value = message, parameters, value


def _json(payload: Any, status: int = 200, content_type: str = "application/json") -> HttpResponse:
    body = json.dumps(payload, ensure_ascii=False)
    return HttpResponse(body, status=status, content_type=f"{content_type};charset=UTF-8")


def _api_base(request: HttpRequest) -> str:
    path = request.path
    index = path.find(API_MARK)
    prefix = path[: index + len(API_MARK)] if index >= 0 else path.rstrip("/")
    return request.build_absolute_uri(prefix)


def _href(request: HttpRequest, rest: str) -> dict[str, str]:
    return {"href": f"{_api_base(request)}/{rest}"}


def _bad_request(request: HttpRequest, error: BadRequest) -> HttpResponse:
    return _json(
        {
            "tidsstempel": int(time.time() * 1000),
            "status": 400,
            "feilmelding": "Feilaktig forespørsel",
            "sti": request.path,
            "antallFeil": 1,
            "valideringsfeil": [
                {
                    "feilmelding": error.message,
                    "parametere": error.parameters,
                    "feilaktigVerdi": error.value,
                }
            ],
        },
        status=400,
    )


def _log(request: HttpRequest, status: int) -> None:
    RegisterRequest.objects.create(
        method=request.method or "GET",
        path=request.path[:500],
        query=request.META.get("QUERY_STRING", ""),
        accept=request.headers.get("Accept", "")[:255],
        user_agent=request.headers.get("User-Agent", "")[:255],
        status=status,
    )


def register_endpoint(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Log the request, honour the fault switch and Accept, turn BadRequest into a 400."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        fault = RegisterFault.objects.filter(active=True).order_by("-id").first()
        accept = request.headers.get("Accept", "")
        if fault is not None:
            response = _json(
                {
                    "timestamp": dt.datetime.now(dt.UTC).isoformat(),
                    "status": fault.status,
                    "error": "Service Unavailable",
                    "message": "Sandbox fault switch is on",
                    "path": request.path,
                },
                status=fault.status,
            )
        elif accept and not any(kind in accept for kind in ACCEPTABLE):
            response = HttpResponse(status=406)
        else:
            try:
                response = view(request, *args, **kwargs)
            except BadRequest as error:
                response = _bad_request(request, error)
        _log(request, response.status_code)
        return response

    return require_GET(wrapper)


def _organisasjonsform(request: HttpRequest, form: dict[str, Any] | None) -> dict[str, Any]:
    form = dict(form or {"kode": "AS", "beskrivelse": "Aksjeselskap"})
    form["_links"] = {"self": _href(request, f"organisasjonsformer/{form['kode']}")}
    return form


def _unit_body(request: HttpRequest, unit: RegisterUnit) -> dict[str, Any]:
    collection = "enheter" if unit.kind == UnitKind.ENHET else "underenheter"
    links: dict[str, Any] = {"self": _href(request, f"{collection}/{unit.organisasjonsnummer}")}
    if unit.state == UnitState.DELETED:
        body: dict[str, Any] = {
            "organisasjonsnummer": unit.organisasjonsnummer,
            "navn": unit.data.get("navn", ""),
            "organisasjonsform": _organisasjonsform(request, unit.data.get("organisasjonsform")),
            "slettedato": unit.slettedato.isoformat() if unit.slettedato else None,
        }
        if unit.kind == UnitKind.UNDERENHET and unit.data.get("nedleggelsesdato"):
            body["nedleggelsesdato"] = unit.data["nedleggelsesdato"]
        body["_links"] = links
        return {key: value for key, value in body.items() if value is not None}
    body = {"organisasjonsnummer": unit.organisasjonsnummer, **unit.data}
    body["organisasjonsform"] = _organisasjonsform(request, unit.data.get("organisasjonsform"))
    if unit.data.get("overordnetEnhet"):
        links["overordnetEnhet"] = _href(request, f"enheter/{unit.data['overordnetEnhet']}")
    body["_links"] = links
    return body


def _one(request: HttpRequest, orgnr: str, kind: str) -> HttpResponse:
    if not ORGNR_RE.match(orgnr):
        raise BadRequest(ORGNR_MESSAGE, [orgnr], orgnr)
    unit = RegisterUnit.objects.filter(organisasjonsnummer=orgnr, kind=kind).first()
    if unit is None:
        return HttpResponse(status=404)
    collection = "enheter" if kind == UnitKind.ENHET else "underenheter"
    if unit.state == UnitState.REMOVED:
        gone = {
            "organisasjonsnummer": orgnr,
            "slettedato": unit.slettedato.isoformat() if unit.slettedato else None,
            "_links": {"self": _href(request, f"{collection}/{orgnr}")},
        }
        return _json({k: v for k, v in gone.items() if v is not None}, status=410)
    return _json(_unit_body(request, unit), content_type=_content_type(request, kind))


def _content_type(request: HttpRequest, kind: str) -> str:
    accept = request.headers.get("Accept", "")
    if "vnd.brreg" in accept:
        return f"application/vnd.brreg.enhetsregisteret.{kind}.v2+json"
    return "application/json"


@register_endpoint
def root(request: HttpRequest) -> HttpResponse:
    names = ["enheter", "underenheter", "organisasjonsformer", "kommuner"]
    links = {"self": {"href": _api_base(request)}}
    links.update({name: _href(request, name) for name in names})
    links["oppdateringer/enheter"] = _href(request, "oppdateringer/enheter")
    links["oppdateringer/underenheter"] = _href(request, "oppdateringer/underenheter")
    return _json({"_links": links})


@register_endpoint
def enhet_detail(request: HttpRequest, orgnr: str) -> HttpResponse:
    return _one(request, orgnr, UnitKind.ENHET)


@register_endpoint
def underenhet_detail(request: HttpRequest, orgnr: str) -> HttpResponse:
    return _one(request, orgnr, UnitKind.UNDERENHET)


def _int_param(request: HttpRequest, name: str, default: int, minimum: int = 0) -> int:
    raw = request.GET.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"{name} må være et heltall", [name], raw) from None
    if value < minimum:
        raise BadRequest(f"{name} må være minst {minimum}", [name], raw)
    return value


def _list_param(request: HttpRequest, name: str) -> list[str]:
    raw = request.GET.get(name, "")
    return [part.strip() for part in raw.split(",") if part.strip()]


def _page_links(request: HttpRequest, rest: str, page: int, size: int, pages: int) -> dict:
    query = request.GET.copy()
    self_link = f"{_api_base(request)}/{rest}"
    if query:
        self_link += "?" + query.urlencode(safe=",*")
    links: dict[str, Any] = {}

    def at(number: int) -> dict[str, str]:
        params = request.GET.copy()
        params["page"], params["size"] = str(number), str(size)
        return {"href": f"{_api_base(request)}/{rest}?{params.urlencode(safe=',*')}"}

    if pages > 1:
        links["first"] = at(0)
    if 0 < page <= pages:
        links["prev"] = at(page - 1)
    links["self"] = {"href": self_link}
    if page + 1 < pages:
        links["next"] = at(page + 1)
    if pages > 1:
        links["last"] = at(pages - 1)
    return links


def _paged(
    request: HttpRequest, rest: str, queryset: QuerySet, key: str, render, *, default_size: int
) -> HttpResponse:
    page = _int_param(request, "page", 0)
    size = _int_param(request, "size", default_size, minimum=1)
    if (page + 1) * size > MAX_RESULT_WINDOW:
        raise BadRequest(
            "(page+1)*size kan ikke overskride 10 000", ["page", "size"], f"{page},{size}"
        )
    total = queryset.count()
    pages = math.ceil(total / size) if total else 0
    body: dict[str, Any] = {}
    rows = list(queryset[page * size : (page + 1) * size])
    if rows:
        body["_embedded"] = {key: [render(row) for row in rows]}
    body["_links"] = _page_links(request, rest, page, size, pages)
    body["page"] = {"size": size, "totalElements": total, "totalPages": pages, "number": page}
    return _json(body)


def _search(request: HttpRequest, kind: str) -> HttpResponse:
    units = RegisterUnit.objects.filter(kind=kind, state=UnitState.ACTIVE)
    numbers = _list_param(request, "organisasjonsnummer")
    if len(numbers) > MAX_BATCH:
        raise BadRequest(
            "organisasjonsnummer kan ha høyst 2000 verdier", ["organisasjonsnummer"], None
        )
    for number in numbers:
        if not ORGNR_RE.match(number):
            raise BadRequest(ORGNR_MESSAGE, [number], number)
    if numbers:
        units = units.filter(organisasjonsnummer__in=numbers)
    name = request.GET.get("navn", "").strip().rstrip("*").strip()
    if len(name) > 180:
        raise BadRequest("navn kan ha høyst 180 tegn", ["navn"], name)
    if name:
        units = units.filter(data__navn__icontains=name)
    parent = _list_param(request, "overordnetEnhet")
    if parent:
        units = units.filter(data__overordnetEnhet__in=parent)
    for flag in BOOLEAN_FILTERS:
        value = request.GET.get(flag)
        if value in ("true", "false"):
            units = units.filter(Q(**{f"data__{flag}": value == "true"}))
    sort = request.GET.get("sort", "")
    field, _, direction = sort.partition(",")
    if field == "navn":
        units = units.order_by(("-" if direction.upper() == "DESC" else "") + "data__navn")
    elif field == "organisasjonsnummer" and direction.upper() == "DESC":
        units = units.order_by("-organisasjonsnummer")
    else:
        units = units.order_by("organisasjonsnummer")
    collection = "enheter" if kind == UnitKind.ENHET else "underenheter"
    return _paged(
        request,
        collection,
        units,
        collection,
        lambda unit: _unit_body(request, unit),
        default_size=20,
    )


@register_endpoint
def enheter_search(request: HttpRequest) -> HttpResponse:
    return _search(request, UnitKind.ENHET)


@register_endpoint
def underenheter_search(request: HttpRequest) -> HttpResponse:
    return _search(request, UnitKind.UNDERENHET)


def _parse_dato(raw: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise BadRequest(
            "dato må være på formatet yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", ["dato"], raw
        ) from None


def _feed(request: HttpRequest, kind: str) -> HttpResponse:
    updates = RegisterUpdate.objects.filter(kind=kind)
    if request.GET.get("oppdateringsid"):
        updates = updates.filter(id__gte=_int_param(request, "oppdateringsid", 1, minimum=1))
    if request.GET.get("dato"):
        updates = updates.filter(dato__gte=_parse_dato(request.GET["dato"]))
    numbers = _list_param(request, "organisasjonsnummer")
    if numbers:
        updates = updates.filter(organisasjonsnummer__in=numbers)
    sort = request.GET.get("sort", "id,ASC")
    if sort not in ("id,ASC", "id,DESC", "id,asc", "id,desc"):
        raise BadRequest("sort kan bare være id,ASC eller id,DESC", ["sort"], sort)
    updates = updates.order_by("-id" if sort.lower().endswith("desc") else "id")
    collection = "enheter" if kind == UnitKind.ENHET else "underenheter"
    key = "oppdaterteEnheter" if kind == UnitKind.ENHET else "oppdaterteUnderenheter"

    def render(update: RegisterUpdate) -> dict[str, Any]:
        stamp = update.dato.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        return {
            "oppdateringsid": update.id,
            "dato": stamp,
            "organisasjonsnummer": update.organisasjonsnummer,
            "endringstype": update.endringstype,
            "_links": {kind: _href(request, f"{collection}/{update.organisasjonsnummer}")},
        }

    size = _int_param(request, "size", 20, minimum=1)
    if size > MAX_RESULT_WINDOW:
        raise BadRequest("size må være mellom 1 og 10000", ["size"], str(size))
    return _paged(request, f"oppdateringer/{collection}", updates, key, render, default_size=20)


@register_endpoint
def oppdateringer_enheter(request: HttpRequest) -> HttpResponse:
    return _feed(request, UnitKind.ENHET)


@register_endpoint
def oppdateringer_underenheter(request: HttpRequest) -> HttpResponse:
    return _feed(request, UnitKind.UNDERENHET)
