"""Users, roles and permissions (Rasa X `/api/user`, `/api/users`, `/api/roles`; RASA_X_API.md §2.7, §4.8)."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Sequence
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from conversely.storage.v1 import users_pb2, users_pb2_grpc
from gateway import permissions
from gateway.accounts import (
    ADMIN_ROLE,
    CALL_TIMEOUT_S,
    InvalidAccount,
    check_password,
    create_user,
    grants_by_role,
    new_api_token,
    permissions_of,
    set_password,
)
from gateway.auth import auth_state, principal, requires
from gateway.body import json_body, json_object
from gateway.clients import clients
from gateway.errors import ApiError, too_many_attempts
from gateway.passwords import verify_password

ROLE_NAME = re.compile(r"[A-Za-z0-9_.-]{1,100}")


@requires(permissions.USER_GET)
async def own_user(request: Request) -> JSONResponse:
    caller = principal(request)
    if caller.is_guest:  # a share-your-bot guest has no stored user to show
        return JSONResponse(
            {
                "username": caller.username,
                "roles": list(caller.roles),
                "data": {},
                "permissions": sorted(caller.permissions),
            }
        )
    users = clients(request).users
    return JSONResponse(await _user_json(users, await _get_user(users, caller.username), own=True))


@requires(permissions.USER_UPDATE)
async def update_own_user(request: Request) -> JSONResponse:
    data = _data_only(await json_object(request))
    users = clients(request).users
    user = await _update(request, users_pb2.UpdateUserRequest(username=principal(request).username, data_json=data))
    return JSONResponse(await _user_json(users, user))


@requires(permissions.USER_PASSWORD_UPDATE)
async def change_own_password(request: Request) -> Response:
    body = await json_object(request)
    fields = {name: body.get(name) for name in ("username", "old_password", "new_password", "new_password_confirm")}
    if not all(isinstance(value, str) and value for value in fields.values()):
        raise ApiError(400, "InvalidBody", f"send a JSON object with the strings {', '.join(fields)}")
    username = principal(request).username
    if fields["username"] != username:
        raise ApiError(403, "NotAuthorized", "you can change only your own password")
    if fields["new_password"] != fields["new_password_confirm"]:
        raise ApiError(400, "PasswordMismatch", "new_password and new_password_confirm differ")
    try:
        check_password(str(fields["new_password"]))
    except InvalidAccount as error:
        raise ApiError(400, "InvalidPassword", str(error)) from None
    state, users = auth_state(request), clients(request).users
    # A stolen access token must not become a way to guess the password: wrong old passwords count as failed logins.
    attempt = [f"user:{username}"]
    retry_after = state.limiter.retry_after(attempt)
    if retry_after is not None:
        return too_many_attempts("wrong passwords", retry_after)
    user = await _get_user(users, username)
    if not await asyncio.to_thread(verify_password, user.password_hash, str(fields["old_password"])):
        state.limiter.record_failure(attempt)
        raise ApiError(400, "WrongPassword", "old_password is not your current password")
    user = await set_password(users, username, str(fields["new_password"]))
    return JSONResponse(await _user_json(users, user))


@requires(permissions.USER_UPDATE)
async def regenerate_api_token(request: Request) -> JSONResponse:
    token = new_api_token()
    await _update(request, users_pb2.UpdateUserRequest(username=principal(request).username, api_token=token))
    return JSONResponse({"api_token": token})


@requires(permissions.USERS_LIST)
async def list_users(request: Request) -> JSONResponse:
    users = clients(request).users
    listed = await users.ListUsers(
        users_pb2.ListUsersRequest(role=request.query_params.get("role", "")), timeout=CALL_TIMEOUT_S
    )
    grants = await _grants(users)
    return JSONResponse(
        [_user_body(user, grants) for user in listed.users], headers={"X-Total-Count": str(len(listed.users))}
    )


@requires(permissions.USERS_CREATE)
async def add_user(request: Request) -> JSONResponse:
    body = await json_object(request)
    username, password = body.get("username"), body.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        raise ApiError(400, "InvalidBody", "send a JSON object with the strings username and password")
    roles = _role_names(body.get("roles", []), "roles")
    users = clients(request).users
    try:
        user = await create_user(users, username, password, roles)
    except InvalidAccount as error:
        raise ApiError(400, "InvalidUser", str(error)) from None
    auth_state(request).forget_lookups()
    return JSONResponse(await _user_json(users, user), status_code=201)


@requires(permissions.USERS_UPDATE)
async def update_user(request: Request) -> JSONResponse:
    data = _data_only(await json_object(request))
    users = clients(request).users
    username = request.path_params["username"]
    user = await _update(request, users_pb2.UpdateUserRequest(username=username, data_json=data))
    return JSONResponse(await _user_json(users, user))


@requires(permissions.USERS_DELETE)
async def delete_user(request: Request) -> Response:
    username = request.path_params["username"]
    if username == principal(request).username:
        raise ApiError(400, "CannotDeleteSelf", "you cannot delete yourself; another admin can")
    await clients(request).users.DeleteUser(users_pb2.DeleteUserRequest(username=username), timeout=CALL_TIMEOUT_S)
    auth_state(request).forget_lookups()
    return Response(status_code=204)


@requires(permissions.USERS_LIST)
async def user_roles(request: Request) -> JSONResponse:
    user = await _get_user(clients(request).users, request.path_params["username"])
    return JSONResponse(list(user.roles))


@requires(permissions.USERS_UPDATE)
async def set_user_roles(request: Request) -> JSONResponse:
    username = request.path_params["username"]
    roles = _role_names(await json_body(request), "the request body")
    user = await _set_roles(request, username, roles)
    return JSONResponse(list(user.roles))


@requires(permissions.USERS_UPDATE)
async def remove_user_role(request: Request) -> Response:
    username, role = request.path_params["username"], request.path_params["role"]
    user = await _get_user(clients(request).users, username)
    if role not in user.roles:
        raise ApiError(404, "NotFound", f"user {username!r} has no role {role!r}")
    await _set_roles(request, username, [r for r in user.roles if r != role])
    return Response(status_code=204)


@requires(permissions.ROLES_LIST)
async def list_roles(request: Request) -> JSONResponse:
    roles = await _stored_roles(clients(request).users)
    return JSONResponse([_role_body(role) for role in roles], headers={"X-Total-Count": str(len(roles))})


@requires(permissions.ROLES_LIST)
async def get_role(request: Request) -> JSONResponse:
    return JSONResponse(_role_body(await _get_role(clients(request).users, request.path_params["role"])))


@requires(permissions.ROLES_CREATE)
async def add_role(request: Request) -> JSONResponse:
    body = await json_object(request)
    name = body.get("role")
    if not isinstance(name, str) or not ROLE_NAME.fullmatch(name):
        raise ApiError(400, "InvalidRole", "role must be 1 to 100 letters, digits, '_', '.' or '-'")
    users = clients(request).users
    if any(role.name == name for role in await _stored_roles(users)):
        raise ApiError(409, "RoleExists", f"role {name!r} already exists")
    stored = await _put_role(request, _role_from(body, name))
    return JSONResponse(_role_body(stored), status_code=201)


@requires(permissions.ROLES_UPDATE)
async def update_role(request: Request) -> JSONResponse:
    name = request.path_params["role"]
    _refuse_built_in(name, "changed")
    body = await json_object(request)
    if body.get("role", name) != name:
        raise ApiError(400, "InvalidRole", "a role cannot be renamed; create a new one")
    await _get_role(clients(request).users, name)
    return JSONResponse(_role_body(await _put_role(request, _role_from(body, name))))


@requires(permissions.ROLES_DELETE)
async def delete_role(request: Request) -> Response:
    name = request.path_params["role"]
    _refuse_built_in(name, "deleted")
    await clients(request).users.DeleteRole(users_pb2.DeleteRoleRequest(name=name), timeout=CALL_TIMEOUT_S)
    auth_state(request).forget_lookups()
    return Response(status_code=204)


@requires(permissions.ROLES_LIST)
async def list_permissions(request: Request) -> JSONResponse:
    return JSONResponse(list(permissions.ALL_PERMISSIONS))


def _user_body(user: users_pb2.User, grants: dict[str, frozenset[str]], own: bool = False) -> dict[str, Any]:
    """Rasa X's user (RASA_X_API.md §4.8); the api_token only for its owner."""
    roles = list(user.roles)
    body: dict[str, Any] = {
        "username": user.username,
        "roles": roles,
        "data": json.loads(user.data_json or "{}"),
        "permissions": sorted(permissions_of(roles, grants)),
        "authentication_mechanism": "username_password",
        "projects": [{"name": "default", "roles": roles}],
        "team": "default",
    }
    if own:
        body["api_token"] = user.api_token
    return body


async def _user_json(users: users_pb2_grpc.UserServiceStub, user: users_pb2.User, own: bool = False) -> dict[str, Any]:
    return _user_body(user, await _grants(users), own)


def _role_body(role: users_pb2.Role) -> dict[str, Any]:
    return {
        "role": role.name,
        "grants": list(role.grants),
        "description": role.description,
        "is_default": role.is_default,
    }


def _role_from(body: dict[str, Any], name: str) -> users_pb2.Role:
    grants = body.get("grants")
    if not isinstance(grants, list) or not all(isinstance(grant, str) for grant in grants):
        raise ApiError(400, "InvalidRole", "grants must be a list of permission strings (see GET /api/permissions)")
    unknown = sorted(set(grants) - set(permissions.ALL_PERMISSIONS))
    if unknown:
        raise ApiError(400, "InvalidRole", f"unknown permission(s): {', '.join(unknown)} (see GET /api/permissions)")
    description, is_default = body.get("description", ""), body.get("is_default", False)
    if not isinstance(description, str) or not isinstance(is_default, bool):
        raise ApiError(400, "InvalidRole", "description must be a string and is_default true or false")
    return users_pb2.Role(name=name, description=description, grants=grants, is_default=is_default)


def _refuse_built_in(name: str, change: str) -> None:
    if name in permissions.BUILT_IN_ROLES:
        raise ApiError(400, "BuiltInRole", f"the built-in role {name!r} cannot be {change}")


def _role_names(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(role, str) for role in value):
        raise ApiError(400, "InvalidBody", f"{where} must be a list of role names")
    return value


def _data_only(body: dict[str, Any]) -> str:
    """The `data` object of a body that changes nothing else, as JSON text."""
    if set(body) != {"data"} or not isinstance(body["data"], dict):
        raise ApiError(400, "InvalidBody", 'send {"data": {...}}: only the free-form data object can be changed')
    return orjson.dumps(body["data"]).decode()


async def _get_user(users: users_pb2_grpc.UserServiceStub, username: str) -> users_pb2.User:
    return (await users.GetUser(users_pb2.GetUserRequest(username=username), timeout=CALL_TIMEOUT_S)).user


async def _update(request: Request, update: users_pb2.UpdateUserRequest) -> users_pb2.User:
    response = await clients(request).users.UpdateUser(update, timeout=CALL_TIMEOUT_S)
    auth_state(request).forget_lookups()
    return response.user


async def _set_roles(request: Request, username: str, roles: Sequence[str]) -> users_pb2.User:
    caller = principal(request)
    if username == caller.username and ADMIN_ROLE in caller.roles and ADMIN_ROLE not in roles:
        raise ApiError(400, "CannotDemoteSelf", "you cannot take the admin role from yourself; another admin can")
    return await _update(request, users_pb2.UpdateUserRequest(username=username, set_roles=True, roles=roles))


async def _stored_roles(users: users_pb2_grpc.UserServiceStub) -> Sequence[users_pb2.Role]:
    return (await users.ListRoles(users_pb2.ListRolesRequest(), timeout=CALL_TIMEOUT_S)).roles


async def _grants(users: users_pb2_grpc.UserServiceStub) -> dict[str, frozenset[str]]:
    return grants_by_role(await _stored_roles(users))


async def _get_role(users: users_pb2_grpc.UserServiceStub, name: str) -> users_pb2.Role:
    for role in await _stored_roles(users):
        if role.name == name:
            return role
    raise ApiError(404, "NotFound", f"no role {name!r}")


async def _put_role(request: Request, role: users_pb2.Role) -> users_pb2.Role:
    response = await clients(request).users.PutRole(users_pb2.PutRoleRequest(role=role), timeout=CALL_TIMEOUT_S)
    auth_state(request).forget_lookups()
    return response.role


routes = [
    Route("/api/user", own_user, methods=["GET"]),
    Route("/api/user", update_own_user, methods=["PATCH"]),
    Route("/api/user/password", change_own_password, methods=["POST"]),
    Route("/api/user/api_token", regenerate_api_token, methods=["POST"]),
    Route("/api/users", list_users, methods=["GET"]),
    Route("/api/users", add_user, methods=["POST"]),
    Route("/api/users/{username}", update_user, methods=["PUT"]),
    Route("/api/users/{username}", delete_user, methods=["DELETE"]),
    Route("/api/users/{username}/roles", user_roles, methods=["GET"]),
    Route("/api/users/{username}/roles", set_user_roles, methods=["PUT"]),
    Route("/api/users/{username}/roles/{role}", remove_user_role, methods=["DELETE"]),
    Route("/api/roles", list_roles, methods=["GET"]),
    Route("/api/roles", add_role, methods=["POST"]),
    Route("/api/roles/{role}", get_role, methods=["GET"]),
    Route("/api/roles/{role}", update_role, methods=["PUT"]),
    Route("/api/roles/{role}", delete_role, methods=["DELETE"]),
    Route("/api/permissions", list_permissions, methods=["GET"]),
]
