"""`Authorization: Token <key>` with Kredin's own keys: hashed at rest, one organisation each."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from kredin.services.api_tokens import api_token_authenticate

KEYWORD = "Token"


class ApiTokenAuthentication(BaseAuthentication):
    """Sets `request.auth` to the ApiToken; the organisation check is the API base's."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Ugyldig Authorization-hode."))
        try:
            key = parts[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(_("Ugyldig API-nøkkel.")) from exc
        token = api_token_authenticate(key=key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Ugyldig eller slettet API-nøkkel."))
        return token.user, token

    def authenticate_header(self, request) -> str:
        return KEYWORD


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Describes the key to OpenAPI clients (drf-spectacular finds it by target class)."""

    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`, a key made under Innstillinger → API-tilgang.",
        }
