"""Why a register lookup failed, as codes (see kredin/error_codes.py)."""

from django.utils.translation import gettext_lazy as _

from kredin.error_codes import ErrorCatalogue

REGISTER_ERRORS = ErrorCatalogue(
    {"register_unavailable": _("Brønnøysundregisteret svarte ikke (%(detail)s).")}
)
