"""Which of a register entry's addresses letters go to."""

from __future__ import annotations

from brreg.models import RegisterEntry


def register_address(entry: RegisterEntry) -> dict[str, str] | None:
    """The address letters should go to, from a cached entry (see module docstring)."""
    payload = entry.payload or {}
    for key in ("postadresse", "forretningsadresse", "beliggenhetsadresse"):
        found = payload.get(key)
        if found and (found.get("adresse") or found.get("postnummer")):
            lines = [line for line in (found.get("adresse") or []) if line]
            return {
                "address_line1": lines[0] if lines else "",
                "address_line2": ", ".join(lines[1:]),
                "post_code": found.get("postnummer", "") or "",
                "city": found.get("poststed", "") or "",
                "country": found.get("landkode", "") or "NO",
            }
    return None
