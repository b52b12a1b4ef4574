"""Passwords are kept only as salted argon2id hashes, and checked without telling unknown users apart."""

from __future__ import annotations

import time

import pytest
from argon2 import PasswordHasher

from gateway.passwords import (
    MAX_LENGTH,
    WeakPassword,
    check_new_password,
    hash_password,
    needs_rehash,
    verify_nothing,
    verify_password,
)


def test_hash_verifies_its_password_and_no_other() -> None:
    password_hash = hash_password("correct horse")
    assert verify_password(password_hash, "correct horse")
    assert not verify_password(password_hash, "correct horsE")
    assert not verify_password(password_hash, "")


def test_hash_is_salted_argon2id_without_the_password() -> None:
    first, second = hash_password("correct horse"), hash_password("correct horse")
    assert first.startswith("$argon2id$")
    assert first != second
    assert "correct horse" not in first


def test_hash_that_is_not_argon2_never_verifies() -> None:
    assert not verify_password("plain-text-password", "plain-text-password")
    assert not verify_password("", "")


def test_overlong_password_is_refused_without_hashing() -> None:
    password = "x" * (MAX_LENGTH + 1)
    assert not verify_password(hash_password("x" * MAX_LENGTH), password)


@pytest.mark.parametrize(("password", "message"), [("short", "at least 8"), ("x" * (MAX_LENGTH + 1), "at most")])
def test_weak_new_password_is_refused(password: str, message: str) -> None:
    with pytest.raises(WeakPassword, match=message):
        check_new_password(password)


def test_good_new_password_is_accepted() -> None:
    check_new_password("eight ch")


def test_hash_with_weaker_parameters_needs_rehash() -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash("correct horse")
    assert needs_rehash(weak)
    assert not needs_rehash(hash_password("correct horse"))
    assert needs_rehash("not a hash")


def test_verifying_nothing_takes_as_long_as_a_real_check() -> None:
    password_hash = hash_password("correct horse")
    verify_nothing("warm up the dummy hash")
    started = time.perf_counter()
    verify_password(password_hash, "wrong")
    real = time.perf_counter() - started
    started = time.perf_counter()
    verify_nothing("wrong")
    dummy = time.perf_counter() - started
    assert dummy > real / 3
