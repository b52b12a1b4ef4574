"""Access tokens: only RS256 tokens our key signed, unexpired and untampered, are accepted; the key is one per
installation, created safely on first start or given in a setting."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import stat
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from conversely.settings import Settings, SettingsError
from gateway.tokens import InvalidToken, SigningKey, load_signing_key

CLAIMS = {"username": "alice", "scopes": ["basic.view.user.get"], "user": {"username": "alice", "roles": ["tester"]}}


@pytest.fixture(scope="module")
def key() -> SigningKey:
    return SigningKey(rsa.generate_private_key(public_exponent=65537, key_size=2048))


def pem(private_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> str:
    return private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forged(header: dict[str, str], payload: dict[str, object], sign: bytes | None) -> str:
    """A JWT assembled by hand; HMAC-SHA256-signed with `sign` as the secret, or unsigned when None."""
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}"
    signature = b"" if sign is None else hmac.new(sign, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(signature)}"


def test_issued_token_verifies_with_its_claims(key: SigningKey) -> None:
    token = key.issue(CLAIMS, expiry_s=600, now=time.time())
    claims = key.verify(token)
    assert {k: claims[k] for k in CLAIMS} == CLAIMS
    assert claims["exp"] - claims["iat"] == 600
    assert jwt.get_unverified_header(token)["alg"] == "RS256"


def test_token_verifies_with_the_published_public_key_as_rasa_does(key: SigningKey) -> None:
    token = key.issue(CLAIMS, expiry_s=600)
    assert jwt.decode(token, key.public_pem, algorithms=["RS256"])["user"]["username"] == "alice"


def test_expired_token_is_rejected(key: SigningKey) -> None:
    token = key.issue(CLAIMS, expiry_s=60, now=time.time() - 120)
    with pytest.raises(InvalidToken, match="expired"):
        key.verify(token)


def test_tampered_payload_is_rejected(key: SigningKey) -> None:
    header, payload, signature = key.issue(CLAIMS, expiry_s=600).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["username"] = "admin"
    with pytest.raises(InvalidToken):
        key.verify(f"{header}.{b64(json.dumps(claims).encode())}.{signature}")


def test_token_of_another_key_is_rejected(key: SigningKey) -> None:
    other = SigningKey(rsa.generate_private_key(public_exponent=65537, key_size=2048))
    with pytest.raises(InvalidToken):
        key.verify(other.issue(CLAIMS, expiry_s=600))


def test_unsigned_alg_none_token_is_rejected(key: SigningKey) -> None:
    payload = {**CLAIMS, "iat": int(time.time()), "exp": int(time.time()) + 600}
    with pytest.raises(InvalidToken):
        key.verify(forged({"alg": "none", "typ": "JWT"}, payload, sign=None))


def test_hs256_token_keyed_with_the_public_key_is_rejected(key: SigningKey) -> None:
    payload = {**CLAIMS, "iat": int(time.time()), "exp": int(time.time()) + 600}
    token = forged({"alg": "HS256", "typ": "JWT"}, payload, sign=key.public_pem.encode())
    with pytest.raises(InvalidToken):
        key.verify(token)


def test_token_without_expiry_is_rejected(key: SigningKey) -> None:
    token = jwt.encode({**CLAIMS, "iat": int(time.time())}, key.private_key, algorithm="RS256")
    with pytest.raises(InvalidToken):
        key.verify(token)


def test_garbage_is_rejected(key: SigningKey) -> None:
    with pytest.raises(InvalidToken):
        key.verify("not.a.token")


def test_key_file_is_created_private_on_first_start_and_reused(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "fresh" / "data")
    first = load_signing_key(settings)
    path = settings.effective_jwt_private_key_file
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_signing_key(settings).public_pem == first.public_pem
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left behind


def _public_pem_of(data_dir: str) -> str:
    return load_signing_key(Settings(data_dir=Path(data_dir))).public_pem


def test_gateways_starting_together_end_up_with_one_key(tmp_path: Path) -> None:
    with ProcessPoolExecutor(4) as pool:
        keys = set(pool.map(_public_pem_of, [str(tmp_path)] * 8))
    assert len(keys) == 1
    assert keys == {load_signing_key(Settings(data_dir=tmp_path)).public_pem}


def test_key_given_as_pem_is_used(tmp_path: Path) -> None:
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key = load_signing_key(Settings(data_dir=tmp_path, jwt_private_key=pem(private_key)))
    assert key.public_pem == SigningKey(private_key).public_pem
    assert not (tmp_path / "jwt-private-key.pem").exists()


def test_key_read_from_the_configured_file(tmp_path: Path) -> None:
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = tmp_path / "secret" / "key.pem"
    path.parent.mkdir()
    path.write_text(pem(private_key))
    key = load_signing_key(Settings(data_dir=tmp_path, jwt_private_key_file=str(path)))
    assert key.public_pem == SigningKey(private_key).public_pem


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("not a key", "CONVERSELY_JWT_PRIVATE_KEY does not hold an unencrypted PEM private key"),
        (pem(ec.generate_private_key(ec.SECP256R1())), "CONVERSELY_JWT_PRIVATE_KEY must hold an RSA private key"),
        (
            pem(rsa.generate_private_key(public_exponent=65537, key_size=1024)),
            "CONVERSELY_JWT_PRIVATE_KEY holds a 1024-bit RSA key",
        ),
    ],
)
def test_unusable_key_setting_is_a_start_up_error_naming_it(tmp_path: Path, value: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        load_signing_key(Settings(data_dir=tmp_path, jwt_private_key=value))


def test_malformed_key_file_is_a_start_up_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "key.pem"
    path.write_text("-----BEGIN PRIVATE KEY-----\ngarbage\n-----END PRIVATE KEY-----\n")
    with pytest.raises(SettingsError, match=f"CONVERSELY_JWT_PRIVATE_KEY_FILE \\({path}\\) does not hold"):
        load_signing_key(Settings(data_dir=tmp_path, jwt_private_key_file=str(path)))


def test_missing_configured_key_file_is_a_start_up_error(tmp_path: Path) -> None:
    path = tmp_path / "mounted" / "key.pem"
    with pytest.raises(SettingsError, match=r"CONVERSELY_JWT_PRIVATE_KEY_FILE=.* does not exist"):
        load_signing_key(Settings(data_dir=tmp_path, jwt_private_key_file=str(path)))
    assert not path.exists()
