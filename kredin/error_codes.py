"""Errors kept as a code and parameters, worded only when someone reads them.

A failure recorded by a worker at night is shown hours later to a person who may read
English: storing the words would freeze them in the language of the moment they were
written. Each app keeps a catalogue of its codes; `message()` words one in the active
language.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Errors stored as text before codes existed: shown as they were written.
RECORDED = "recorded"


class ErrorCatalogue:
    def __init__(self, messages: dict[str, str | Promise]) -> None:
        self.messages = {**messages, RECORDED: "%(text)s"}

    def message(self, code: str, params: dict[str, Any] | None = None) -> str:
        """The words for a stored code; empty for no error, never an exception."""
        if not code:
            return ""
        template = self.messages.get(code)
        if template is None:
            return str(_("Ukjent feil (%(code)s).")) % {"code": code}
        try:
            return str(template) % (params or {})
        except (KeyError, TypeError, ValueError):
            return str(template)
