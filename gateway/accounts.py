"""Users and roles as the API routes, the `conversely users` command and the gateway's start-up manage them.

Storage keeps users and roles; what a role grants and how passwords are hashed is decided here.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import grpc
import structlog

from conversely.settings import Settings, SettingsError
from conversely.storage.v1 import users_pb2, users_pb2_grpc
from gateway.clients import CALL_TIMEOUT_S
from gateway.passwords import WeakPassword, check_new_password, hash_password
from gateway.permissions import BUILT_IN_ROLES, DEFAULT_ROLE, ROLE_DESCRIPTIONS

log = structlog.get_logger()

ADMIN_ROLE = "admin"
ADMIN_PASSWORD_FILE = "admin-password"
MAX_NAME_LENGTH = 255
BOOTSTRAP_MAX_DELAY_S = 5.0


class InvalidAccount(ValueError):
    """A username, password or role Conversely refuses (the message says why)."""


def check_username(username: str) -> None:
    if not username or len(username) > MAX_NAME_LENGTH:
        raise InvalidAccount(f"a username must have 1 to {MAX_NAME_LENGTH} characters")
    if username != username.strip() or not username.isprintable() or "/" in username:
        raise InvalidAccount("a username must not start or end with spaces, nor hold control characters or '/'")


def check_password(password: str) -> None:
    try:
        check_new_password(password)
    except WeakPassword as error:
        raise InvalidAccount(str(error)) from None


def new_api_token() -> str:
    return secrets.token_hex(32)


def permissions_of(roles: Iterable[str], grants: Mapping[str, frozenset[str]]) -> frozenset[str]:
    """Every permission the roles grant together; a role that no longer exists grants nothing."""
    return frozenset().union(*(grants.get(role, frozenset()) for role in roles))


def grants_by_role(roles: Iterable[users_pb2.Role]) -> dict[str, frozenset[str]]:
    return {role.name: frozenset(role.grants) for role in roles}


async def create_user(
    users: users_pb2_grpc.UserServiceStub, username: str, password: str, roles: Sequence[str] = ()
) -> users_pb2.User:
    """Create a user with a fresh api_token; with no roles named, storage gives the default role.

    Raises InvalidAccount for a bad username or password; storage refuses a taken name (ALREADY_EXISTS) or an
    unknown role (INVALID_ARGUMENT).
    """
    check_username(username)
    check_password(password)
    password_hash = await asyncio.to_thread(hash_password, password)
    user = users_pb2.User(username=username, password_hash=password_hash, api_token=new_api_token(), roles=roles)
    response = await users.CreateUser(users_pb2.CreateUserRequest(user=user), timeout=CALL_TIMEOUT_S)
    return response.user


async def set_password(users: users_pb2_grpc.UserServiceStub, username: str, password: str) -> users_pb2.User:
    check_password(password)
    password_hash = await asyncio.to_thread(hash_password, password)
    response = await users.UpdateUser(
        users_pb2.UpdateUserRequest(username=username, password_hash=password_hash), timeout=CALL_TIMEOUT_S
    )
    return response.user


async def put_built_in_roles(users: users_pb2_grpc.UserServiceStub) -> None:
    """Write the built-in roles with the grants the code defines today (a release may change them).

    Which role is the default is kept: an admin may have made one of their roles the default.
    """
    stored = (await users.ListRoles(users_pb2.ListRolesRequest(), timeout=CALL_TIMEOUT_S)).roles
    default = next((role.name for role in stored if role.is_default), DEFAULT_ROLE)
    for name, grants in BUILT_IN_ROLES.items():
        role = users_pb2.Role(
            name=name, description=ROLE_DESCRIPTIONS[name], grants=sorted(grants), is_default=name == default
        )
        await users.PutRole(users_pb2.PutRoleRequest(role=role), timeout=CALL_TIMEOUT_S)


def check_admin_settings(settings: Settings) -> None:
    """Raise SettingsError for an admin username or password that could never be created."""
    for setting, check, value in [
        ("CONVERSELY_ADMIN_USERNAME", check_username, settings.admin_username),
        ("CONVERSELY_ADMIN_PASSWORD", check_password, settings.admin_password),
    ]:
        if value or setting == "CONVERSELY_ADMIN_USERNAME":
            try:
                check(value)
            except InvalidAccount as error:
                raise SettingsError(f"{setting}: {error}") from None


async def create_first_admin(users: users_pb2_grpc.UserServiceStub, settings: Settings) -> None:
    """When no user exists, create the admin: with CONVERSELY_ADMIN_PASSWORD, or with a random password written
    to <data dir>/admin-password (mode 0600) for the operator to read."""
    if (await users.ListUsers(users_pb2.ListUsersRequest(), timeout=CALL_TIMEOUT_S)).users:
        return
    if settings.admin_password:
        await _create_admin(users, settings.admin_username, settings.admin_password)
        log.info("admin_created", username=settings.admin_username, password_from="CONVERSELY_ADMIN_PASSWORD")
        return
    password = secrets.token_urlsafe(18)
    path = settings.data_dir / ADMIN_PASSWORD_FILE
    # Written aside first and moved into place only once the user exists: a gateway that loses the race to
    # create the admin leaves the winner's password file alone.
    pending = _write_private(path.with_name(f".{ADMIN_PASSWORD_FILE}.{secrets.token_hex(8)}.tmp"), password + "\n")
    try:
        if await _create_admin(users, settings.admin_username, password):
            os.replace(pending, path)
            log.info("admin_created", username=settings.admin_username, password_file=str(path.resolve()))
    finally:
        pending.unlink(missing_ok=True)


async def _create_admin(users: users_pb2_grpc.UserServiceStub, username: str, password: str) -> bool:
    """Whether this call created the admin (False: another gateway just did)."""
    try:
        await create_user(users, username, password, [ADMIN_ROLE])
    except grpc.aio.AioRpcError as error:
        if error.code() == grpc.StatusCode.ALREADY_EXISTS:
            return False
        raise
    return True


def _write_private(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(text)
    return path


async def set_up_accounts(users: users_pb2_grpc.UserServiceStub, settings: Settings, done: asyncio.Event) -> None:
    """Put the built-in roles and create the first admin, retrying with backoff until storage serves (it waits
    for migrations); then set `done`."""
    delay, attempts = 0.1, 0
    while True:
        try:
            await put_built_in_roles(users)
            await create_first_admin(users, settings)
        except grpc.aio.AioRpcError as error:
            attempts += 1
            if error.code() != grpc.StatusCode.UNAVAILABLE:
                log.error("accounts_setup_failed", code=error.code().name, details=error.details(), retry_in_s=delay)
            elif attempts == 1 or attempts % 10 == 0:
                log.info("waiting", waiting_for="storage to set up users and roles", attempts=attempts)
        except OSError as error:
            attempts += 1
            log.error("accounts_setup_failed", error=str(error), retry_in_s=delay)
        else:
            done.set()
            log.info("accounts_ready")
            return
        await asyncio.sleep(delay)
        delay = min(delay * 2, BOOTSTRAP_MAX_DELAY_S)
