"""Users and roles: who may log in, with which roles, and which permissions each role grants.

Storage keeps what it is given: password hashes (never passwords) and permission strings it does not interpret.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage_service.models import Role, User, UserRole
from storage_service.queries.errors import AlreadyExists, InvalidRequest, NotFound


class UserNotFound(NotFound):
    def __init__(self, username: str) -> None:
        super().__init__(f"no user {username!r}")


class RoleNotFound(NotFound):
    def __init__(self, name: str) -> None:
        super().__init__(f"no role {name!r}")


@dataclass(frozen=True)
class StoredUser:
    username: str
    password_hash: str
    api_token: str
    roles: list[str]
    data_json: str
    created_at: float


@dataclass(frozen=True)
class UserChanges:
    """What UpdateUser changes; None leaves a field as it is."""

    password_hash: str | None = None
    api_token: str | None = None
    data_json: str | None = None
    roles: Sequence[str] | None = None


@dataclass(frozen=True)
class StoredRole:
    name: str
    description: str
    grants: list[str]
    is_default: bool


def create_user(
    session: Session, username: str, password_hash: str, api_token: str, roles: Sequence[str], data_json: str
) -> StoredUser:
    """Add a user; with no roles named, the user gets the default roles."""
    _require(username=username, password_hash=password_hash, api_token=api_token)
    data = _data_object(data_json)
    if session.get(User, username) is not None:
        raise AlreadyExists(f"user {username!r} already exists")
    _require_unused_token(session, api_token)
    granted = _known_roles(session, roles) if roles else _default_roles(session)
    session.add(
        User(username=username, password_hash=password_hash, api_token=api_token, data=data, created_at=time.time())
    )
    try:
        session.flush()
    except IntegrityError as error:  # created concurrently since we looked
        raise AlreadyExists(f"user {username!r} already exists") from error
    session.add_all(UserRole(username=username, role=role) for role in granted)
    return get_user(session, username)


def get_user(session: Session, username: str) -> StoredUser:
    row = session.get(User, username)
    if row is None:
        raise UserNotFound(username)
    return _stored_users(session, [row])[0]


def get_user_by_api_token(session: Session, api_token: str) -> StoredUser:
    _require(api_token=api_token)
    row = session.scalars(select(User).where(User.api_token == api_token)).first()
    if row is None:
        raise NotFound("no user has this api_token")
    return _stored_users(session, [row])[0]


def list_users(session: Session, role: str = "") -> list[StoredUser]:
    """Every user (only those having `role` when it is not empty), sorted by username."""
    query = select(User).order_by(User.username)
    if role:
        query = query.join(UserRole, UserRole.username == User.username).where(UserRole.role == role)
    return _stored_users(session, session.scalars(query).all())


def update_user(session: Session, username: str, changes: UserChanges) -> StoredUser:
    """Change the fields `changes` sets; roles, when set, replace the user's roles."""
    row = session.get(User, username)
    if row is None:
        raise UserNotFound(username)
    if changes.password_hash is not None:
        _require(password_hash=changes.password_hash)
        row.password_hash = changes.password_hash
    if changes.api_token is not None and changes.api_token != row.api_token:
        _require(api_token=changes.api_token)
        _require_unused_token(session, changes.api_token)
        row.api_token = changes.api_token
    if changes.data_json is not None:
        row.data = _data_object(changes.data_json)
    if changes.roles is not None:
        granted = _known_roles(session, changes.roles)
        session.execute(delete(UserRole).where(UserRole.username == username))
        session.add_all(UserRole(username=username, role=role) for role in granted)
    session.flush()
    return get_user(session, username)


def delete_user(session: Session, username: str) -> None:
    row = session.get(User, username)
    if row is None:
        raise UserNotFound(username)
    session.execute(delete(UserRole).where(UserRole.username == username))
    session.delete(row)


def list_roles(session: Session) -> list[StoredRole]:
    """Every role, sorted by name."""
    return [_stored_role(row) for row in session.scalars(select(Role).order_by(Role.name))]


def put_role(session: Session, role: StoredRole) -> StoredRole:
    """Create `role` or replace the one with its name. At most one role is the default: a new default unsets it
    on the others."""
    _require(name=role.name)
    if any(not grant for grant in role.grants):
        raise InvalidRequest("a grant must not be empty")
    grants = json.dumps(sorted(set(role.grants)))
    if role.is_default:
        session.execute(update(Role).where(Role.name != role.name, Role.is_default.is_(True)).values(is_default=False))
    row = session.get(Role, role.name)
    if row is None:
        row = Role(name=role.name)
        session.add(row)
    row.description, row.grants, row.is_default = role.description, grants, role.is_default
    try:
        session.flush()
    except IntegrityError as error:  # created concurrently since we looked; the other writer won
        raise AlreadyExists(f"role {role.name!r} was created at the same time; retry") from error
    return _stored_role(row)


def delete_role(session: Session, name: str) -> None:
    """Delete a role and take it from every user having it."""
    row = session.get(Role, name)
    if row is None:
        raise RoleNotFound(name)
    session.execute(delete(UserRole).where(UserRole.role == name))
    session.delete(row)


def _stored_users(session: Session, rows: Sequence[User]) -> list[StoredUser]:
    roles: dict[str, list[str]] = defaultdict(list)
    if rows:
        names = [row.username for row in rows]
        for username, role in session.execute(
            select(UserRole.username, UserRole.role).where(UserRole.username.in_(names)).order_by(UserRole.role)
        ):
            roles[username].append(role)
    return [
        StoredUser(row.username, row.password_hash, row.api_token, roles[row.username], row.data, row.created_at)
        for row in rows
    ]


def _stored_role(row: Role) -> StoredRole:
    return StoredRole(row.name, row.description, json.loads(row.grants), row.is_default)


def _known_roles(session: Session, roles: Sequence[str]) -> list[str]:
    wanted = sorted(set(roles))
    known = set(session.scalars(select(Role.name).where(Role.name.in_(wanted))))
    unknown = [role for role in wanted if role not in known]
    if unknown:
        raise InvalidRequest(f"unknown role(s): {', '.join(unknown)}")
    return wanted


def _default_roles(session: Session) -> list[str]:
    return list(session.scalars(select(Role.name).where(Role.is_default.is_(True)).order_by(Role.name)))


def _require_unused_token(session: Session, api_token: str) -> None:
    if session.scalar(select(User.username).where(User.api_token == api_token)) is not None:
        raise AlreadyExists("this api_token belongs to another user")


def _data_object(data_json: str) -> str:
    """`data_json` checked to be a JSON object; empty means {}."""
    if not data_json:
        return "{}"
    try:
        data = json.loads(data_json)
    except ValueError:
        raise InvalidRequest("data_json is not JSON") from None
    if not isinstance(data, dict):
        raise InvalidRequest("data_json must be a JSON object")
    return data_json


def _require(**values: str) -> None:
    for name, value in values.items():
        if not value:
            raise InvalidRequest(f"{name} must not be empty")
