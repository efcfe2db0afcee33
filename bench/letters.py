"""Benchmark of letter PDFs: Kredin's rendering against WeasyPrint's own (`make bench` runs it).

    .venv/bin/python bench/letters.py [--repeat 60] [--warmup 5] [--cpu 0] [--keep-database]

Issue #12: letters per second on one core, rendering the one-page reminder through
`debt_collection.letters.render`, against WeasyPrint's bare `HTML(string=...).write_pdf()`
of the very same HTML in the same run; the overhead should be at most 20 %.

What it does, against a PostgreSQL database of its own (DATABASE_URL's name +
"_bench_letters", created afresh and dropped at the end unless --keep-database) and a
temporary MEDIA_ROOT:

1. migrates it; makes an organisation with automatic collection, sender details and a PNG
   logo, and a business customer with one overdue invoice; runs the autopilot day by day
   over a moving clock (as tests/debt_collection/test_autopilot.py does) until it has sent
   the reminder (purring), so the letter's content is the real one;
2. pins the process to one CPU (--cpu) and measures, interleaved, `--repeat` times each:
   - bare: `weasyprint.HTML(string=html, base_url=<dir>).write_pdf()` with WeasyPrint's
     default fetcher, `html` being the letter's own HTML and <dir> a temporary copy of its
     stylesheet and logo at the same relative paths, so the output is the same letter;
   - render: `letter_render(document=...)`: the template, the required-content and sums
     checks, the restricted fetcher, WeasyPrint; no storage, no database write;
   - document_pdf: the full first download, `document_pdf(document=...)`: all of the above
     plus the row lock, the SHA-256, the file write and the UPDATE (the stored PDF and hash
     are cleared between runs, outside the timing);
   - stored: `document_pdf` of a letter already stored (read the file, check the hash);
3. prints a Markdown report: medians, letters per second on that core, the overhead against
   bare (the median of each run's ratio to the bare run beside it, which a shared machine's
   slow stretches affect least), and the same bare render without HarfBuzz's subsetter
   (WeasyPrint's fontTools fallback), which is why Dockerfile and .ci/run install
   libharfbuzz-subset0.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
GOAL_OVERHEAD = 0.20
DUE = date(2025, 11, 20)


def bench_database_url() -> str:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kredin")
    parts = urlsplit(base)
    name = parts.path.lstrip("/") or "kredin"
    return urlunsplit(parts._replace(path=f"/{name}_bench_letters"))


def _admin(url: str, *statements: str) -> None:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def png(size: tuple[int, int] = (600, 180)) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, (255, 255, 255))
    ImageDraw.Draw(image).rectangle((0, 0, size[0] // 3, size[1]), fill=(47, 72, 88))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


# --- the letter ------------------------------------------------------------------------------


def build_reminder():
    """The reminder the autopilot sends for one overdue invoice of a business."""
    import time_machine
    from django.core.files.base import ContentFile

    from debt_collection.autopilot import run_day
    from debt_collection.models import CollectionSettings, Document
    from kredin.models import Organization
    from kredin.tenancy import organization_scope
    from ledger.models import Customer, CustomerType, OpenItem

    organization = Organization.objects.create(
        name="Alice Rørlegger AS", organization_number="923609016", slug="alice-ror"
    )
    with organization_scope(organization):
        settings_row = CollectionSettings.objects.create(
            autopilot="automatic",
            sender_name="Alice Rørlegger AS",
            sender_address="Rørveien 1",
            sender_post_code="0150",
            sender_city="Oslo",
            sender_organization_number="923609016",
            bank_account="15030012345",
            sender_email="post@alice.example",
            sender_phone="22 33 44 55",
        )
        settings_row.logo.save("alice.png", ContentFile(png()), save=True)
        customer = Customer.objects.create(
            external_id="10001",
            customer_no=10001,
            name="Bergen Bygg AS",
            customer_type=CustomerType.BUSINESS,
            organization_number="974760673",
            address_line1="Bryggen 2",
            post_code="5003",
            city="Bergen",
        )
        OpenItem.objects.create(
            customer=customer,
            external_id="1:1",
            invoice_no="20001",
            voucher_date=DUE.replace(day=1),
            due_date=DUE,
            amount=Decimal("10000.00"),
            outstanding=Decimal("10000.00"),
            kid="1234567890",
        )
        day = DUE
        while not Document.objects.filter(step="reminder").exists():
            with time_machine.travel(day):
                run_day(on=day)
            day += timedelta(days=1)
            if day > DUE + timedelta(days=60):
                raise RuntimeError("the autopilot sent no reminder within 60 days")
    return organization, Document.objects.unscoped().get(step="reminder")


def bare_copy(*, logo_name: str) -> Path:
    """A directory laid out like the letter's base URL: static/letters/letter.css and
    media/<logo>, so WeasyPrint's own fetcher finds the same files by the same paths."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    root = Path(tempfile.mkdtemp(prefix="kredin-bench-letters-"))
    (root / "static/letters").mkdir(parents=True)
    shutil.copy(finders.find("letters/letter.css"), root / "static/letters/letter.css")
    (root / "media" / logo_name).parent.mkdir(parents=True)
    shutil.copy(Path(settings.MEDIA_ROOT) / logo_name, root / "media" / logo_name)
    return root


# --- measuring ------------------------------------------------------------------------------


def timed(fn: Callable[[], object], *, before: Callable[[], None] | None = None) -> float:
    if before is not None:
        before()
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def measure(*, document, organization, repeat: int, warmup: int) -> dict:
    import weasyprint.pdf.fonts as weasy_fonts
    from weasyprint import HTML

    from debt_collection.letters.render import document_pdf, letter_html, letter_render
    from debt_collection.models import Document
    from kredin.tenancy import organization_scope

    with organization_scope(organization):
        first = letter_render(document=document)
        html = first.html
        logo_name = next(f.url for f in first.served if "/media/" in f.url).split("/media/", 1)[1]
        root = bare_copy(logo_name=logo_name)
        base_url = root.as_uri() + "/"

        def bare() -> bytes:
            return HTML(string=html, base_url=base_url).write_pdf()

        def ours() -> bytes:
            return letter_render(document=document).pdf

        def clear() -> None:
            stored = Document.objects.get(pk=document.pk)
            if stored.pdf:
                stored.pdf.delete(save=False)
            Document.objects.filter(pk=document.pk).update(pdf="", pdf_sha256="")
            document.pdf, document.pdf_sha256 = "", ""

        def first_download() -> bytes:
            return document_pdf(document=document)

        check = same_letter(bare(), ours())
        for _ in range(warmup):
            bare()
            ours()
            timed(first_download, before=clear)
        times: dict[str, list[float]] = {"bare": [], "render": [], "document_pdf": []}
        for index in range(repeat):
            # Alternate the order so drift in the machine's speed falls on all alike.
            order = ("bare", "render", "document_pdf")
            for name in order if index % 2 == 0 else reversed(order):
                if name == "bare":
                    times[name].append(timed(bare))
                elif name == "render":
                    times[name].append(timed(ours))
                else:
                    times[name].append(timed(first_download, before=clear))
        stored = Document.objects.get(pk=document.pk)
        times["stored"] = [timed(lambda: document_pdf(document=stored)) for _ in range(repeat)]
        logo = first_logo(organization)
        times["html"] = [
            timed(lambda: letter_html(document=document, logo=logo)) for _ in range(repeat)
        ]
        subset = weasy_fonts.harfbuzz_subset
        weasy_fonts.harfbuzz_subset = None  # WeasyPrint falls back to fontTools
        try:
            bare()
            times["bare without libharfbuzz-subset"] = [
                timed(bare) for _ in range(max(5, repeat // 4))
            ]
        finally:
            weasy_fonts.harfbuzz_subset = subset
        shutil.rmtree(root, ignore_errors=True)
    return {"times": times, "check": check, "bytes": len(first.pdf)}


def first_logo(organization):
    from debt_collection.selectors import collection_settings_get

    return collection_settings_get().logo or None


def same_letter(bare: bytes, ours: bytes) -> dict:
    """Both renders are the same one-page letter: same pages, same text, same image."""
    from pypdf import PdfReader

    readers = [PdfReader(io.BytesIO(pdf)) for pdf in (bare, ours)]
    pages = [len(reader.pages) for reader in readers]
    texts = [" ".join(p.extract_text() for p in reader.pages) for reader in readers]
    images = [sum(len(p.images) for p in reader.pages) for reader in readers]
    if pages != [1, 1] or texts[0] != texts[1] or images != [1, 1]:
        raise RuntimeError(f"not the same one-page letter: pages {pages}, images {images}")
    return {"pages": pages[0], "characters": len(texts[0])}


def _ms(seconds: float) -> str:
    return f"{1000 * seconds:.1f} ms" if seconds >= 0.001 else f"{1e6 * seconds:.0f} µs"


def report(result: dict, *, cpu: int | None) -> list[str]:
    times = result["times"]
    lines = [
        "| measure | median | best | letters/s on one core (median / best) "
        "| vs bare (paired) | goal |",
        "|---|---|---|---|---|---|",
    ]
    labels = {
        "bare": "WeasyPrint bare: `HTML(string=html).write_pdf()`",
        "render": "Kredin render, no storage (`letter_render`)",
        "document_pdf": "**Kredin first download, with the DB write (`document_pdf`)**",
        "stored": "Kredin later download: the stored bytes (`document_pdf`)",
        "html": "of Kredin's render: the HTML alone (template and checks, `letter_html`)",
        "bare without libharfbuzz-subset": "WeasyPrint bare, without libharfbuzz-subset0",
    }
    verdicts = []
    for name, label in labels.items():
        values = times[name]
        median, best = statistics.median(values), min(values)
        versus = goal = ""
        if name in ("render", "document_pdf"):
            # Each run against the bare run beside it in time, so a slow stretch of a shared
            # machine falls on both sides of the ratio; the median of those ratios.
            paired = statistics.median(
                ours / theirs for ours, theirs in zip(values, times["bare"], strict=True)
            )
            overhead = paired - 1
            versus = f"{100 * overhead:+.1f} %"
            goal = f"≤ {100 * GOAL_OVERHEAD:.0f} % " + ("✔" if overhead <= GOAL_OVERHEAD else "✘")
            verdicts.append(
                f"{name} {versus} ({'met' if overhead <= GOAL_OVERHEAD else 'NOT met'})"
            )
        elif name == "bare without libharfbuzz-subset":
            versus = f"×{median / statistics.median(times['bare']):.2f} (medians)"
        rate = f"{1 / median:,.1f} / {1 / best:,.1f}"
        lines.append(f"| {label} | {_ms(median)} | {_ms(best)} | {rate} | {versus} | {goal} |")
    lines.append("")
    lines.append("Overhead against bare: " + "; ".join(verdicts))
    lines.append(
        f"Runs: {len(times['bare'])} of each of the first three, interleaved; "
        f"the letter: {result['check']['pages']} page, {result['bytes']:,} bytes of PDF, "
        f"{result['check']['characters']:,} characters of text, identical to the bare "
        f"render's; pinned to CPU {cpu if cpu is not None else '(not pinned)'}."
    )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=60, help="timed renders of each kind")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--cpu", type=int, default=0, help="the CPU to pin to (-1: none)")
    parser.add_argument("--keep-database", action="store_true", help="do not drop it at the end")
    args = parser.parse_args()

    cpu = None
    if args.cpu >= 0 and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})  # "per core": one process on one CPU
        cpu = args.cpu
    url = bench_database_url()
    media = tempfile.mkdtemp(prefix="kredin-bench-media-")
    os.environ.update(
        {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "bench._settings",
            "DJANGO_DEBUG": "true",
            "DJANGO_MEDIA_ROOT": media,
            "CELERY_BROKER_URL": "memory://",
            "PYTHONPATH": str(ROOT),
        }
    )
    name = urlsplit(url).path.lstrip("/")
    print(f"database {name}: creating and migrating ...", flush=True)
    _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    import weasyprint
    from django.core.management import call_command
    from django.db import connection

    try:
        call_command("migrate", verbosity=0)
        organization, document = build_reminder()
        print(f"reminder S-{document.content['case_number']} of {document.planned_for}", flush=True)
        result = measure(
            document=document, organization=organization, repeat=args.repeat, warmup=args.warmup
        )
        lines = [
            f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}, WeasyPrint {weasyprint.__version__}.",
            "",
            *report(result, cpu=cpu),
        ]
        print()
        print("\n".join(lines))
    finally:
        connection.close()
        shutil.rmtree(media, ignore_errors=True)
        if not args.keep_database:
            _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    sys.exit(main())
