"""The RSA key that signs access tokens, and issuing and verifying those RS256 JWTs.

Rasa's `rasa` chat channel verifies our tokens with the public key `GET /api/version` publishes, so every
gateway of one installation must sign with the same key: it comes from a setting, or from one file that the
first gateway to start creates atomically.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
import structlog
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from conversely.settings import Settings, SettingsError
from gateway.permissions import CLIENT_EVENTS_CREATE
from gateway.private_files import create_once

log = structlog.get_logger()

ALGORITHM = "RS256"
KEY_BITS = 2048
# Rasa's `rasa` channel lets a token with this scope send messages into any conversation (rasa_chat.py).
RASA_CLIENT_EVENTS_SCOPE = "clientEvents:create"
# The token the gateway sends along with one chat message need not outlive that message.
CHAT_CHANNEL_TOKEN_EXPIRY_S = 300


class InvalidToken(Exception):
    """A token that is malformed, not signed by our key, of another algorithm, or expired (the message says which)."""


@dataclass(frozen=True)
class SigningKey:
    private_key: rsa.RSAPrivateKey

    @property
    def public_pem(self) -> str:
        return (
            self.private_key.public_key()
            .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
            .decode()
        )

    def issue(self, claims: Mapping[str, Any], expiry_s: int, now: float | None = None) -> str:
        """An RS256 JWT carrying `claims`, issued `now` and expiring `expiry_s` seconds later."""
        issued = int(time.time() if now is None else now)
        return jwt.encode({**claims, "iat": issued, "exp": issued + expiry_s}, self.private_key, algorithm=ALGORITHM)

    def verify(self, token: str) -> dict[str, Any]:
        """The claims of `token` if our key signed it with RS256 and it has not expired; else InvalidToken."""
        try:
            return jwt.decode(
                token,
                self.private_key.public_key(),
                algorithms=[ALGORITHM],  # never "none", never HS256 keyed with our public key
                options={"require": ["exp", "iat"]},
            )
        except jwt.ExpiredSignatureError:
            raise InvalidToken("the access token has expired; log in again") from None
        except jwt.InvalidTokenError:
            raise InvalidToken("the access token is invalid") from None


def token_scopes(permissions: Iterable[str]) -> list[str]:
    """The `scopes` claim of a token: the holder's permissions, plus Rasa's own name for CLIENT_EVENTS_CREATE,
    which Rasa's `rasa` channel checks before it accepts a message for someone else's conversation."""
    scopes = set(permissions)
    if CLIENT_EVENTS_CREATE in scopes:
        scopes.add(RASA_CLIENT_EVENTS_SCOPE)
    return sorted(scopes)


def chat_channel_token(key: SigningKey, username: str, roles: Iterable[str], permissions: Iterable[str]) -> str:
    """A short-lived token for Rasa's `rasa` channel, which takes the sender from `username` and checks `scopes`;
    it carries no user_created_at claim, so the gateway itself accepts it for nothing."""
    claims = {
        "username": username,
        "scopes": token_scopes(permissions),
        "user": {"username": username, "roles": list(roles)},
    }
    return key.issue(claims, CHAT_CHANNEL_TOKEN_EXPIRY_S)


def load_signing_key(settings: Settings) -> SigningKey:
    """The key from CONVERSELY_JWT_PRIVATE_KEY, else from the key file, which is created (mode 0600) on first
    start when it is the default one. A key that cannot be used raises SettingsError naming the setting."""
    if settings.jwt_private_key:
        return SigningKey(_parse(settings.jwt_private_key.encode(), "CONVERSELY_JWT_PRIVATE_KEY"))
    path = settings.effective_jwt_private_key_file
    configured = bool(settings.jwt_private_key_file)
    where = f"CONVERSELY_JWT_PRIVATE_KEY_FILE ({path})" if configured else f"the key file {path}"
    if not path.exists():
        if configured:
            # A configured key that is missing is most likely a secret not mounted; a fresh key would
            # differ from the other gateways'.
            raise SettingsError(f"CONVERSELY_JWT_PRIVATE_KEY_FILE={path} does not exist")
        _create_key_file(path)
    try:
        pem = path.read_bytes()
    except OSError as error:
        raise SettingsError(f"cannot read {where}: {error.strerror}") from None
    if os.name == "posix" and path.stat().st_mode & 0o077:
        log.warning("jwt_key_file_readable_by_others", path=str(path), hint="chmod 600")
    return SigningKey(_parse(pem, where))


def _parse(pem: bytes, where: str) -> rsa.RSAPrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as error:
        raise SettingsError(f"{where} does not hold an unencrypted PEM private key: {error}") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise SettingsError(f"{where} must hold an RSA private key (tokens are RS256), not {type(key).__name__}")
    if key.key_size < KEY_BITS:
        raise SettingsError(f"{where} holds a {key.key_size}-bit RSA key; at least {KEY_BITS} bits are needed")
    return key


def _create_key_file(path: Path) -> None:
    """Create a new key at `path` unless another gateway got there first."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    if create_once(path, pem):
        log.info("jwt_key_created", path=str(path))
