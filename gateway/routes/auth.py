"""`POST /api/auth`: username and password in, an RS256 access token out (Rasa X's sanic-jwt login)."""

from __future__ import annotations

import asyncio

import grpc
import structlog
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from conversely.storage.v1 import users_pb2, users_pb2_grpc
from gateway.accounts import grants_by_role, permissions_of
from gateway.auth import PUBLIC, USER_CREATED_AT_CLAIM, auth_state, requires
from gateway.body import json_object
from gateway.clients import CALL_TIMEOUT_S, clients
from gateway.errors import ApiError, too_many_attempts
from gateway.passwords import hash_password, needs_rehash, verify_nothing, verify_password
from gateway.tokens import token_scopes

log = structlog.get_logger()


@requires(PUBLIC)
async def login(request: Request) -> Response:
    body = await json_object(request)
    username, password = body.get("username"), body.get("password")
    if not isinstance(username, str) or not username or not isinstance(password, str) or not password:
        raise ApiError(400, "InvalidBody", "send a JSON object with the strings username and password")
    state = auth_state(request)
    if not state.accounts_ready.is_set():
        raise ApiError(
            503, "NotReady", "users are not set up yet: the gateway is waiting for storage to serve; retry shortly"
        )
    attempts = [f"user:{username}", f"address:{request.client.host if request.client else ''}"]
    retry_after = state.limiter.retry_after(attempts)
    if retry_after is not None:
        return too_many_attempts("failed logins", retry_after)

    users = clients(request).users
    user = await _stored_user(users, username)
    if user is None:
        await asyncio.to_thread(verify_nothing, password)  # as slow as a wrong password for a real user
    if user is None or not await asyncio.to_thread(verify_password, user.password_hash, password):
        state.limiter.record_failure(attempts)
        # An unknown username is not logged: it is often a password typed into the wrong field.
        log.info("login_failed", username=username if user is not None else None)
        # One answer for an unknown user and a wrong password: the API does not tell which usernames exist.
        raise ApiError(401, "InvalidCredentials", "wrong username or password")

    state.limiter.forget(attempts[0])
    if needs_rehash(user.password_hash):
        await _rehash(users, username, password)
    roles = await users.ListRoles(users_pb2.ListRolesRequest(), timeout=CALL_TIMEOUT_S)
    scopes = permissions_of(user.roles, grants_by_role(roles.roles))
    token = state.signing_key.issue(
        {
            "username": username,
            # With Rasa's name for CLIENT_EVENTS_CREATE, so a client that sends this token to Rasa's `rasa` channel
            # itself (Rasa X's UI did) may talk in other conversations too.
            "scopes": token_scopes(scopes),
            # Rasa's `rasa` chat channel takes the sender from user.username.
            "user": {"username": username, "roles": list(user.roles)},
            USER_CREATED_AT_CLAIM: user.created_at,
        },
        state.expiry_s,
    )
    log.info("login", username=username)
    return JSONResponse({"access_token": token})


async def _stored_user(users: users_pb2_grpc.UserServiceStub, username: str) -> users_pb2.User | None:
    try:
        return (await users.GetUser(users_pb2.GetUserRequest(username=username), timeout=CALL_TIMEOUT_S)).user
    except grpc.aio.AioRpcError as error:
        if error.code() == grpc.StatusCode.NOT_FOUND:
            return None
        raise


async def _rehash(users: users_pb2_grpc.UserServiceStub, username: str, password: str) -> None:
    password_hash = await asyncio.to_thread(hash_password, password)
    await users.UpdateUser(
        users_pb2.UpdateUserRequest(username=username, password_hash=password_hash), timeout=CALL_TIMEOUT_S
    )


routes = [Route("/api/auth", login, methods=["POST"])]
