"""The English catalogue: complete, compiled, and reached through the language switch."""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from tests.platform.conftest import BASE_DIR

pytestmark = pytest.mark.django_db

CATALOGUE = BASE_DIR / "locale" / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def translations(self) -> list[str]:
        return [self.msgstr[i] for i in sorted(self.msgstr)]


def _unquote(text: str) -> str:
    return text[1:-1].replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def read_po(path) -> list[Entry]:
    """The live entries of a .po file (header and obsolete `#~` entries left out)."""
    entries = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        entry, target = Entry(), None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith("msgid_plural "):
                entry.msgid_plural, target = _unquote(line[13:]), "msgid_plural"
            elif line.startswith("msgid "):
                entry.msgid, target = _unquote(line[6:]), "msgid"
            elif match := re.match(r"msgstr(?:\[(\d+)\])? (\".*\")$", line):
                target = int(match.group(1) or 0)
                entry.msgstr[target] = _unquote(match.group(2))
            elif line.startswith('"'):
                if isinstance(target, int):
                    entry.msgstr[target] += _unquote(line)
                else:
                    setattr(entry, target, getattr(entry, target) + _unquote(line))
        if entry.msgid:
            entries.append(entry)
    return entries


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return read_po(CATALOGUE / "django.po")


def test_catalogue_has_entries(entries):
    assert len(entries) > 100


def test_catalogue_has_no_untranslated_entries(entries):
    untranslated = [e.msgid for e in entries if not e.msgstr or not all(e.translations)]

    assert untranslated == []


def test_catalogue_has_no_fuzzy_entries(entries):
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]

    assert fuzzy == []


def test_catalogue_has_both_plural_forms(entries):
    plurals = [e for e in entries if e.msgid_plural is not None]

    assert plurals
    assert [e.msgid for e in plurals if sorted(e.msgstr) != [0, 1]] == []


def test_translations_keep_the_placeholders(entries):
    """Each form keeps its source's placeholders: the singular the msgid's, the plural forms
    the msgid_plural's (a singular may say "one" where the plural says %(count)s)."""
    broken = [
        (e.msgid, text)
        for e in entries
        for index, text in enumerate(e.translations)
        if sorted(PLACEHOLDER.findall(text))
        != sorted(
            PLACEHOLDER.findall(e.msgid if index == 0 or not e.msgid_plural else e.msgid_plural)
        )
    ]

    assert broken == []


def test_compiled_catalogue_matches_the_po_file(entries):
    """A .po edit without `compilemessages` would never reach the pages."""
    with (CATALOGUE / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)

    stale = [
        e.msgid
        for e in entries
        if (
            compiled.ngettext(e.msgid, e.msgid_plural, 1) != e.msgstr[0]
            or compiled.ngettext(e.msgid, e.msgid_plural, 2) != e.msgstr[1]
            if e.msgid_plural is not None
            else compiled.gettext(e.msgid) != e.msgstr[0]
        )
    ]

    assert stale == []


def switch_language(client: Client, language: str) -> None:
    response = client.post(reverse("set_language"), {"language": language, "next": "/"})
    assert response.status_code == 302


class NavLinks(HTMLParser):
    """Texts of the links inside the main navigation."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self._in_nav = self._in_link = False

    def handle_starttag(self, tag, attrs):
        if tag == "nav" and "mainnav" in (dict(attrs).get("class") or ""):
            self._in_nav = True
        elif tag == "a" and self._in_nav:
            self._in_link = True
            self.links.append("")

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_nav = False
        elif tag == "a":
            self._in_link = False

    def handle_data(self, data):
        if self._in_link:
            self.links[-1] += data.strip()


def nav_links(html: str) -> list[str]:
    parser = NavLinks()
    parser.feed(html)
    return parser.links


def test_login_page_is_norwegian_by_default(client):
    html = client.get(reverse("login")).content.decode()

    assert '<html lang="nb">' in html
    assert "Logg inn" in html


def test_switching_to_english_translates_the_login_page(client):
    switch_language(client, "en")

    html = client.get(reverse("login")).content.decode()

    assert '<html lang="en">' in html
    assert "Log in" in html
    assert "Logg inn" not in html


def test_switching_back_to_norwegian_restores_the_login_page(client):
    switch_language(client, "en")
    switch_language(client, "nb")

    html = client.get(reverse("login")).content.decode()

    assert "Logg inn" in html
    assert "Log in" not in html


def test_switching_to_english_translates_the_organisation_navigation(alice, alice_org, client_for):
    client = client_for(alice)
    url = reverse("integrations:list", kwargs={"org_slug": alice_org.slug})
    assert nav_links(client.get(url).content.decode()) == [
        "Oversikt",
        "Reskontro",
        "Saker",
        "Integrasjoner",
        "Innstillinger",
    ]

    switch_language(client, "en")

    assert nav_links(client.get(url).content.decode()) == [
        "Overview",
        "Accounts receivable",
        "Cases",
        "Integrations",
        "Settings",
    ]
