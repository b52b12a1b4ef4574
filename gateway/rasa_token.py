"""The shared Rasa token (Rasa X's RASA_X_TOKEN): what Rasa servers send as `?token=` to pull models.

It comes from CONVERSELY_RASA_TOKEN, or from the file <data dir>/rasa-token, which the first gateway to start creates
(mode 0600) with a random token, so that every gateway sharing the folder accepts the same one.
"""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path

import structlog

from conversely.settings import Settings, SettingsError
from gateway.private_files import create_once

log = structlog.get_logger()

TOKEN_FILE = "rasa-token"
TOKEN_BYTES = 32


def rasa_token_file(settings: Settings) -> Path:
    return settings.data_dir / TOKEN_FILE


def load_rasa_token(settings: Settings) -> str:
    """The configured token, else the one in the token file, created on first start; SettingsError when that file
    cannot be read or is empty."""
    if settings.rasa_token:
        return settings.rasa_token
    path = rasa_token_file(settings)
    if not path.exists():
        _create_token_file(path)
    try:
        token = path.read_text().strip()
    except OSError as error:
        raise SettingsError(f"cannot read the Rasa token file {path}: {error.strerror}") from None
    if not token:
        raise SettingsError(f"the Rasa token file {path} is empty: delete it or set CONVERSELY_RASA_TOKEN")
    if os.name == "posix" and path.stat().st_mode & 0o077:
        log.warning("rasa_token_file_readable_by_others", path=str(path), hint="chmod 600")
    return token


def is_rasa_token(candidate: str, token: str) -> bool:
    """Whether `candidate` is the Rasa token, in time that does not depend on where they differ."""
    return bool(token) and hmac.compare_digest(candidate.encode(), token.encode())


def _create_token_file(path: Path) -> None:
    if create_once(path, (secrets.token_urlsafe(TOKEN_BYTES) + "\n").encode()):
        log.info("rasa_token_created", path=str(path))
