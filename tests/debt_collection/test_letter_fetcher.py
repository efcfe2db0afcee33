"""The letter fetcher: WeasyPrint gets the project's static files, the organisation's own logo
and small data: URIs, and nothing else: no network, no other file, no other upload."""

from __future__ import annotations

import base64
import builtins
import http.server
import io
import threading
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.template import engines
from PIL import Image
from pypdf import PdfReader

from debt_collection.letters.fetcher import (
    LETTER_BASE_URL,
    MAX_DATA_URI_BYTES,
    LetterURLFetcher,
    ResourceRefused,
)
from debt_collection.letters.render import html_to_pdf
from debt_collection.models import CollectionSettings
from kredin.tenancy import organization_scope

pytestmark = pytest.mark.django_db

STYLESHEET = "static/letters/letter.css"


def png(size=(40, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 20, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def data_uri(payload: bytes, media_type: str = "image/png") -> str:
    return f"data:{media_type};base64,{base64.b64encode(payload).decode()}"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def logo(collections, media):
    row = CollectionSettings.objects.get()
    row.logo.save("alice.png", ContentFile(png()), save=True)
    return row.logo


@pytest.fixture
def charlie_logo(charlie_org, media):
    with organization_scope(charlie_org):
        row = CollectionSettings.objects.create(sender_name="Charlie Bygg AS")
        row.logo.save("charlie.png", ContentFile(png((50, 50))), save=True)
        return row.logo


@pytest.fixture
def opened(monkeypatch) -> list[str]:
    """Every path passed to open() while the test runs, after the fixtures made theirs."""
    paths: list[str] = []
    real_open = builtins.open

    def spy(file, *args, **kwargs):
        paths.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy)
    return paths


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str]

    def do_GET(self):
        self.requests.append(self.path)
        body = b"body { color: red }"
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # keep the test output quiet
        pass


@pytest.fixture
def server():
    """A tiny local HTTP server that records every request it gets."""
    handler = type("Recorder", (_Recorder,), {"requests": []})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd.server_address[1], handler.requests
    finally:
        httpd.shutdown()
        httpd.server_close()


# --- rendering a hostile template ------------------------------------------------------------


def test_rendering_reaches_no_server_and_reads_no_other_file(server, logo, opened, caplog):
    port, requests = server
    template = engines["django"].from_string(
        """<!DOCTYPE html><html lang="nb"><head>
        <link rel="stylesheet" href="{{ stylesheet }}">
        <link rel="stylesheet" href="http://127.0.0.1:{{ port }}/linked.css">
        <style>@import url("http://127.0.0.1:{{ port }}/imported.css");</style>
        </head><body>
        <img src="{{ logo }}">
        <img src="http://127.0.0.1:{{ port }}/x">
        <img src="https://127.0.0.1:{{ port }}/y">
        <img src="file:///etc/passwd">
        <img src="static/../../../../etc/passwd">
        <img src="{{ big }}">
        <p>Purring</p>
        </body></html>"""
    )
    html = template.render(
        {
            "stylesheet": STYLESHEET,
            "port": port,
            "logo": f"media/{logo.name}",
            "big": data_uri(b"\0" * (MAX_DATA_URI_BYTES + 1)),
        }
    )
    fetcher = LetterURLFetcher(logo=logo)

    pdf = html_to_pdf(html=html, fetcher=fetcher)

    assert requests == []  # the server never heard from WeasyPrint
    assert not [path for path in opened if "passwd" in path]
    refused = {refusal.url for refusal in fetcher.refusals}
    assert f"http://127.0.0.1:{port}/x" in refused
    assert f"https://127.0.0.1:{port}/y" in refused
    assert f"http://127.0.0.1:{port}/linked.css" in refused
    assert f"http://127.0.0.1:{port}/imported.css" in refused
    assert "file:///etc/passwd" in refused
    assert len(refused) == 7  # and the traversal, and the oversized data: URI
    assert any("larger than 64 KiB" in refusal.reason for refusal in fetcher.refusals)
    assert "letter resource refused: file:///etc/passwd" in caplog.text
    # What a letter may have, it got: the static stylesheet and the logo (in the PDF).
    served = [fetch.url for fetch in fetcher.served]
    assert served == [LETTER_BASE_URL + STYLESHEET, f"{LETTER_BASE_URL}media/{logo.name}"]
    assert finders.find("letters/letter.css") in opened
    assert [image.image.size for image in PdfReader(io.BytesIO(pdf)).pages[0].images] == [(40, 20)]

    # The server was listening all along: a request made on purpose is recorded.
    urllib.request.urlopen(f"http://127.0.0.1:{port}/probe", timeout=5).read()
    assert requests == ["/probe"]


# --- the decisions, one by one ---------------------------------------------------------------


@pytest.fixture
def fetcher(logo) -> LetterURLFetcher:
    return LetterURLFetcher(logo=logo)


def test_static_files_are_served_from_the_finders(fetcher):
    response = fetcher.fetch(LETTER_BASE_URL + STYLESHEET)

    assert response.content_type == "text/css"
    assert response.read() == Path(finders.find("letters/letter.css")).read_bytes()


def test_a_static_file_by_its_own_file_url_is_served_too(fetcher):
    path = Path(finders.find("letters/letter.css"))

    assert fetcher.fetch(path.as_uri()).read() == path.read_bytes()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.png",
        "https://example.com/logo.png",
        "ftp://127.0.0.1/x",
        "file:///etc/passwd",
        "file://otherhost/etc/passwd",
        f"file://{django_settings.BASE_DIR}/kredin/settings.py",
        f"file://{django_settings.BASE_DIR}/debt_collection/static/../../kredin/settings.py",
        LETTER_BASE_URL + "etc/passwd",
        LETTER_BASE_URL + "static/../kredin/settings.py",
        LETTER_BASE_URL + "static/%2e%2e/%2e%2e/kredin/settings.py",
        LETTER_BASE_URL + "static//etc/passwd",
        LETTER_BASE_URL + "static/letters/missing.css",
        # Static, but nothing a letter uses: scripts of the admin and the API docs.
        LETTER_BASE_URL + "static/admin/js/core.js",
        "https://letter.kredin.invalid.example.com/static/letters/letter.css",
        "https://someone@letter.kredin.invalid/static/letters/letter.css",
        "https://letter.kredin.invalid:8443/static/letters/letter.css",
        "http://letter.kredin.invalid/static/letters/letter.css",
        "javascript:alert(1)",
        "letters/letter.css",
    ],
)
def test_everything_else_is_refused_before_anything_is_opened(fetcher, opened, url):
    with pytest.raises(ResourceRefused):
        fetcher.fetch(url)

    assert opened == []
    assert [refusal.url for refusal in fetcher.refusals] == [url]
    assert fetcher.served == []


def test_only_this_organisations_logo_is_served(fetcher, logo, charlie_logo, media):
    assert fetcher.fetch(f"{LETTER_BASE_URL}media/{logo.name}").read() == logo.open("rb").read()

    for url in (
        f"{LETTER_BASE_URL}media/{charlie_logo.name}",
        (media / charlie_logo.name).as_uri(),
        f"{LETTER_BASE_URL}media/letters/1/S1-1-reminder.pdf",
    ):
        with pytest.raises(ResourceRefused):
            fetcher.fetch(url)
    # Its own logo by the file's path is the same file, so it is served.
    assert fetcher.fetch((media / logo.name).as_uri()).read() == logo.open("rb").read()


def test_without_a_logo_no_upload_is_served(logo):
    fetcher = LetterURLFetcher(logo=None)

    with pytest.raises(ResourceRefused):
        fetcher.fetch(f"{LETTER_BASE_URL}media/{logo.name}")


def test_small_data_uris_are_decoded_and_large_ones_refused(fetcher):
    small = png()
    response = fetcher.fetch(data_uri(small))
    assert response.read() == small and response.content_type == "image/png"
    assert fetcher.fetch("data:,Hello%20world").read() == b"Hello world"
    assert len(fetcher.fetch(data_uri(b"x" * MAX_DATA_URI_BYTES)).read()) == MAX_DATA_URI_BYTES

    too_large = (
        data_uri(b"x" * (MAX_DATA_URI_BYTES + 1)),
        # Refused on its length before it is decoded, whatever it would decode to.
        "data:text/plain," + "%41" * MAX_DATA_URI_BYTES,
    )
    for url in too_large:
        with pytest.raises(ResourceRefused):
            fetcher.fetch(url)
    with pytest.raises(ResourceRefused):
        fetcher.fetch("data:image/png;base64")  # no comma: not a data: URI at all
