"""The sandbox signing key (RS256) and JWT helpers shared by Connect and the GraphQL server."""

from __future__ import annotations

import base64
import contextlib
import secrets
from functools import lru_cache

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import IntegrityError

from sandbox.models import SigningKey

ALGORITHM = "RS256"


@lru_cache(maxsize=4)
def _load(kid: str, pem: str):
    return serialization.load_pem_private_key(pem.encode(), password=None)


def signing_key() -> tuple[str, object]:
    row = SigningKey.objects.order_by("id").first()
    if row is None:
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
        # Another process may win the race; then its key is the one everybody uses.
        with contextlib.suppress(IntegrityError):
            SigningKey.objects.create(kid=secrets.token_hex(8), private_pem=pem)
        row = SigningKey.objects.order_by("id").first()
    return row.kid, _load(row.kid, row.private_pem)


def sign(claims: dict) -> str:
    kid, key = signing_key()
    return jwt.encode(claims, key, algorithm=ALGORITHM, headers={"kid": kid, "typ": "at+jwt"})


def decode(token: str, **options) -> dict:
    """Verify signature and expiry; raises jwt.InvalidTokenError."""
    _kid, key = signing_key()
    return jwt.decode(
        token,
        key.public_key(),
        algorithms=[ALGORITHM],
        options={"verify_aud": False, **options},
        leeway=0,
    )


def _b64(n: int) -> str:
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def jwks() -> dict:
    kid, key = signing_key()
    numbers = key.public_key().public_numbers()
    return {
        "keys": [
            {
                "kty": "RSA",
                "use": "sig",
                "alg": ALGORITHM,
                "kid": kid,
                "n": _b64(numbers.n),
                "e": _b64(numbers.e),
            }
        ]
    }
