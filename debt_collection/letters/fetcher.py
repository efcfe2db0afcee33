"""What WeasyPrint may load while it lays out a letter: the project's static files, the
organisation's own logo, small data: URIs. Nothing else, and never over the network.

WeasyPrint fetches every stylesheet, @import, image, font and SVG reference through the
`url_fetcher` it is given, and its default one opens http(s), ftp and file:// URLs for
whoever wrote the HTML (its documentation's Security chapter; CVE-2025-68616 was an SSRF
through a redirect). A letter's text comes from the ledger and the settings pages, so it
is treated as untrusted even with autoescaping on: this fetcher decides from the URL alone,
before anything is opened, and answers a refusal with an exception WeasyPrint catches,
logs, and gets past by leaving the resource out.

Letters name their resources relative to `LETTER_BASE_URL`, a host under the reserved
.invalid domain (RFC 2606) that no resolver answers, so a URL that somehow escaped this
fetcher would still reach nobody:

- `<base>static/<path>` is the file `django.contrib.staticfiles.finders.find(path)` finds;
- `<base>media/<name>` is served only when `name` is the logo's storage name, read through
  its storage (so a non-filesystem storage works too);
- `file://` is served only when it is, after resolving symlinks, one of those same files;
- `data:` is decoded here, up to `MAX_DATA_URI_BYTES`.
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, unquote_to_bytes, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.db.models.fields.files import FieldFile
from weasyprint.urls import URLFetcher, URLFetcherResponse

from debt_collection.services.settings import logo_content_type

logger = logging.getLogger(__name__)

LETTER_HOST = "letter.kredin.invalid"
LETTER_BASE_URL = f"https://{LETTER_HOST}/"
STATIC_PREFIX = "static/"
MEDIA_PREFIX = "media/"
# A letter has no use for a large inline resource; a big one only costs memory and time.
MAX_DATA_URI_BYTES = 64 * 1024
# Checked before decoding: base64 of the largest allowed payload plus room for its header.
_MAX_DATA_URI_CHARS = 4 * (MAX_DATA_URI_BYTES // 3 + 1) + 256
# Static files a letter can use; the finders also reach admin scripts and API-docs bundles,
# which a letter never needs.
STATIC_TYPES = {
    ".css": "text/css",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
}
MAX_STATIC_BYTES = 2 * 1024 * 1024
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9.+-]*):")


class ResourceRefused(ValueError):
    """A letter asked for something it may not have.

    A ValueError, not WeasyPrint's FatalURLFetchingError: WeasyPrint logs it and renders the
    letter without the resource, so one stray reference cannot stop a letter going out.
    """


@dataclass(frozen=True)
class Fetch:
    url: str  # shortened for the log: a data: URI can be 64 KiB
    reason: str = ""


def _short(url: str) -> str:
    return url if len(url) <= 120 else f"{url[:100]}…({len(url)} characters)"


class LetterURLFetcher(URLFetcher):
    """WeasyPrint's fetcher for one letter; `served` and `refusals` say what it did.

    Built per letter with the organisation's logo (or none), so one organisation's letter
    can never load another organisation's upload.
    """

    def __init__(self, *, logo: FieldFile | None = None) -> None:
        # No protocol is allowed to the inherited urllib machinery, in case a future
        # WeasyPrint calls it past fetch(); fetch() below never does.
        super().__init__(
            timeout=1, allowed_protocols=frozenset(), allow_redirects=False, fail_on_errors=False
        )
        self._logo = logo if logo else None
        self.served: list[Fetch] = []
        self.refusals: list[Fetch] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        try:
            body, content_type = self._resolve(url)
        except ResourceRefused as refusal:
            self.refusals.append(Fetch(url=_short(url), reason=str(refusal)))
            logger.warning("letter resource refused: %s (%s)", _short(url), refusal)
            raise
        self.served.append(Fetch(url=_short(url)))
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})

    # --- deciding ---------------------------------------------------------------------------

    def _resolve(self, url: str) -> tuple[bytes, str]:
        match = _SCHEME.match(url)
        scheme = match[1].lower() if match else ""
        if scheme == "data":
            return _data_uri(url)
        if scheme == "file":
            return self._file_url(url)
        parts = urlsplit(url)
        # The exact pseudo-origin only: no user info, no port, no look-alike host.
        if parts.scheme.lower() == "https" and parts.netloc.lower() == LETTER_HOST:
            path = parts.path.removeprefix("/")
            if path.startswith(STATIC_PREFIX):
                return _static(_relative(path.removeprefix(STATIC_PREFIX)))
            if path.startswith(MEDIA_PREFIX):
                return self._media(_relative(path.removeprefix(MEDIA_PREFIX)))
        raise ResourceRefused("only the letter's static files, its logo and small data: URIs")

    def _media(self, name: str) -> tuple[bytes, str]:
        if self._logo is None or name != self._logo.name:
            raise ResourceRefused("not this organisation's logo")
        return self._logo_bytes()

    def _logo_bytes(self) -> tuple[bytes, str]:
        content_type = logo_content_type(self._logo.name)
        if content_type is None:
            raise ResourceRefused("the logo is not a PNG, JPEG or GIF")
        limit = settings.KREDIN_LOGO_MAX_BYTES
        with self._logo.storage.open(self._logo.name, "rb") as handle:
            body = handle.read(limit + 1)
        if len(body) > limit:
            raise ResourceRefused("the logo is larger than uploads may be")
        return body, content_type

    def _file_url(self, url: str) -> tuple[bytes, str]:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise ResourceRefused("file:// on another host")
        real = os.path.realpath(url2pathname(parts.path))  # url2pathname unquotes
        if self._logo is not None and real == _local_path(self._logo):
            return self._logo_bytes()
        relative = _static_relative(real)
        if relative is None:
            raise ResourceRefused("file:// outside the project's static files")
        return _static(relative)


def _relative(path: str) -> str:
    """A URL path as a relative file path, refused if it could climb out or is ambiguous."""
    decoded = unquote(path)
    if not decoded or "\\" in decoded or "\x00" in decoded or decoded.startswith("/"):
        raise ResourceRefused("not a plain relative path")
    if any(part in ("", ".", "..") for part in decoded.split("/")):
        raise ResourceRefused("not a plain relative path")
    return decoded


def _static(relative: str) -> tuple[bytes, str]:
    content_type = STATIC_TYPES.get(PurePosixPath(relative).suffix.lower())
    if content_type is None:
        raise ResourceRefused("not a stylesheet, image or font")
    try:
        found = finders.find(relative)
    except SuspiciousFileOperation:
        found = None
    if not found or not os.path.isfile(found):
        raise ResourceRefused("no such static file")
    if os.path.getsize(found) > MAX_STATIC_BYTES:
        raise ResourceRefused("static file too large for a letter")
    with open(found, "rb") as handle:
        return handle.read(), content_type


def _local_path(field: FieldFile) -> str | None:
    try:
        return os.path.realpath(field.path)
    except NotImplementedError:  # a storage without local files has no file:// form
        return None


def _static_relative(real: str) -> str | None:
    """The static path under which `finders.find` gives exactly the file `real`, if any."""
    for prefix, root in _static_roots():
        root = os.path.realpath(root)
        if not real.startswith(root + os.sep):
            continue
        relative = PurePosixPath(*PurePosixPath(real[len(root) + 1 :]).parts)
        if prefix:
            relative = PurePosixPath(prefix) / relative
        found = finders.find(str(relative))
        # The file only counts if the finders would serve this very file under that path
        # (an earlier location may shadow it).
        if found and os.path.realpath(found) == real:
            return str(relative)
    return None


def _static_roots() -> list[tuple[str, str]]:
    """(prefix, directory) of every location the configured finders search."""
    roots: list[tuple[str, str]] = []
    for finder in finders.get_finders():
        for prefix, root in getattr(finder, "locations", ()):
            roots.append((prefix or "", str(root)))
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append((getattr(storage, "prefix", None) or "", str(location)))
    return roots


def _data_uri(url: str) -> tuple[bytes, str]:
    if len(url) > _MAX_DATA_URI_CHARS:
        raise ResourceRefused(f"data: URI larger than {MAX_DATA_URI_BYTES // 1024} KiB")
    header, comma, payload = url[len("data:") :].partition(",")
    if not comma:
        raise ResourceRefused("malformed data: URI")
    is_base64 = header.lower().endswith(";base64")
    media_type = (header[: -len(";base64")] if is_base64 else header).strip()
    try:
        body = (
            base64.b64decode(unquote_to_bytes(payload), validate=False)
            if is_base64
            else unquote_to_bytes(payload)
        )
    except (binascii.Error, ValueError) as error:
        raise ResourceRefused("malformed data: URI") from error
    if len(body) > MAX_DATA_URI_BYTES:
        raise ResourceRefused(f"data: URI larger than {MAX_DATA_URI_BYTES // 1024} KiB")
    # RFC 2397: no media type means US-ASCII text; a CSS data: URI keeps its charset.
    return body, media_type if "/" in media_type else "text/plain;charset=US-ASCII"
