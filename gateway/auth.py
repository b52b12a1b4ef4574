"""Who is calling and what they may do: the single place every /api route's permission is checked.

Every endpoint declares the permission it needs with `@requires(permission)` (gateway/permissions.py). The
caller proves who they are with `Authorization: Bearer <JWT from POST /api/auth>` or `?api_token=<their API
token>`; endpoints declared with `rasa_token=True` (the model server) also take `?token=<the shared Rasa token>`,
which Rasa servers send (gateway/rasa_token.py). What they may do comes from their roles as storage holds them
now (looked up at most 5 s ago), not from the scopes written into the token when it was issued, so a deleted user
or a removed role stops working at once.

Share-your-bot guests have no stored user: their access token (gateway/guest_tokens.py) names a conversation of
their own and the chat token it was exchanged for, and works only while that chat token is the current one. The
push websocket (gateway/routes/push.py) authenticates its first message with the same code as HTTP.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import hashlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import grpc
from starlette.requests import HTTPConnection, Request
from starlette.responses import Response

from conversely.settings import Settings
from conversely.storage.v1 import users_pb2, users_pb2_grpc
from gateway.accounts import grants_by_role, permissions_of
from gateway.clients import CALL_TIMEOUT_S, clients
from gateway.errors import ApiError, error_response
from gateway.guest_tokens import CHAT_TOKEN_CLAIM, GUEST_ROLE, is_current, stored_chat_token
from gateway.login_limiter import LoginLimiter
from gateway.rasa_token import is_rasa_token, load_rasa_token
from gateway.tokens import InvalidToken, SigningKey

Endpoint = Callable[[Request], Awaitable[Response]]
PUBLIC = "public"
# Ties an access token to one user: not to a later user given the same name.
USER_CREATED_AT_CLAIM = "user_created_at"
LOOKUP_TTL_S = 5.0


@dataclass(frozen=True)
class Principal:
    """The authenticated caller and what their current roles allow."""

    username: str
    roles: tuple[str, ...]
    permissions: frozenset[str]
    # A share-your-bot guest: no stored user, and the username is their conversation id.
    is_guest: bool = False


class Unauthenticated(ApiError):
    """401: no credentials, or credentials that prove nothing."""

    def __init__(self, message: str, invalid_token: bool = False) -> None:
        super().__init__(401, "NotAuthenticated", message)
        # RFC 6750: tell a client whose token failed apart from one that sent none.
        self.challenge = 'Bearer error="invalid_token"' if invalid_token else "Bearer"

    def response(self) -> Response:
        response = error_response(self.status, self.reason, self.message)
        response.headers["WWW-Authenticate"] = self.challenge
        return response


class _TtlCache:
    """Answers remembered for `ttl_s`; small enough to be cleared whole when it grows too big."""

    def __init__(self, ttl_s: float, max_entries: int = 10_000) -> None:
        self._ttl_s = ttl_s
        self._max_entries = max_entries
        self._entries: dict[Any, tuple[float, Any]] = {}

    async def get(self, key: Any, compute: Callable[[], Awaitable[Any]]) -> Any:
        now = time.monotonic()
        hit = self._entries.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        value = await compute()
        if value is not None:
            if len(self._entries) >= self._max_entries:
                self._entries.clear()
            self._entries[key] = (now + self._ttl_s, value)
        return value

    def clear(self) -> None:
        self._entries.clear()


@dataclass
class AuthState:
    """One gateway's signing key, login limiter, user lookups and whether its accounts are set up."""

    signing_key: SigningKey
    expiry_s: int
    limiter: LoginLimiter
    rasa_token: str
    # Set once the built-in roles are stored and the first admin exists; /api/auth answers 503 until then.
    accounts_ready: asyncio.Event = field(default_factory=asyncio.Event)
    _lookups: _TtlCache = field(default_factory=lambda: _TtlCache(LOOKUP_TTL_S))

    @classmethod
    def create(cls, settings: Settings, signing_key: SigningKey) -> AuthState:
        return cls(
            signing_key,
            settings.jwt_expiry_s,
            LoginLimiter(settings.login_attempts_per_minute),
            load_rasa_token(settings),
        )

    async def user_principal(
        self, users: users_pb2_grpc.UserServiceStub, username: str, created_at: float
    ) -> Principal | None:
        """The principal of `username` now, or None when no such user exists or it is not the user created at
        `created_at` (a user deleted and created again under the same name does not inherit old tokens)."""
        found = await self._lookups.get(("user", username), lambda: _user_by_name(users, username))
        if found is None or found[0] != created_at:
            return None
        return await self._principal(users, username, found[1])

    async def api_token_principal(self, users: users_pb2_grpc.UserServiceStub, api_token: str) -> Principal | None:
        """The principal owning `api_token` now, or None when no user has it."""
        # Keyed by a digest: the cache then holds nothing that would let anyone call the API.
        key = ("api_token", hashlib.sha256(api_token.encode()).hexdigest())
        found = await self._lookups.get(key, lambda: _user_by_api_token(users, api_token))
        return None if found is None else await self._principal(users, *found)

    async def guest_principal(self, users: users_pb2_grpc.UserServiceStub, claims: dict[str, Any]) -> Principal | None:
        """The share-your-bot guest a guest token names (their username is their conversation id), or None when
        the token is malformed or its chat token is no longer the current one or has expired."""
        conversation_id, digest = claims.get("username"), claims.get(CHAT_TOKEN_CLAIM)
        if not isinstance(conversation_id, str) or not conversation_id or not isinstance(digest, str):
            return None
        if not is_current(await self.current_chat_token(users), digest):
            return None
        return dataclasses.replace(await self._principal(users, conversation_id, (GUEST_ROLE,)), is_guest=True)

    async def current_chat_token(self, users: users_pb2_grpc.UserServiceStub) -> users_pb2.ChatToken | None:
        """The share-your-bot chat token as storage held it at most 5 s ago (None: none made yet)."""
        return await self._lookups.get("chat_token", lambda: stored_chat_token(users))  # type: ignore[no-any-return]

    async def guest_permissions(self, users: users_pb2_grpc.UserServiceStub) -> frozenset[str]:
        """What the guest role grants, as storage holds it now."""
        grants = await self._lookups.get("roles", lambda: _grants(users))
        return permissions_of((GUEST_ROLE,), grants)

    def forget_lookups(self) -> None:
        """Drop remembered users, roles and the chat token, after this gateway changed some."""
        self._lookups.clear()

    async def _principal(
        self, users: users_pb2_grpc.UserServiceStub, username: str, roles: tuple[str, ...]
    ) -> Principal:
        grants = await self._lookups.get("roles", lambda: _grants(users))
        return Principal(username, roles, permissions_of(roles, grants))


async def _user_by_name(users: users_pb2_grpc.UserServiceStub, username: str) -> tuple[float, tuple[str, ...]] | None:
    try:
        response = await users.GetUser(users_pb2.GetUserRequest(username=username), timeout=CALL_TIMEOUT_S)
    except grpc.aio.AioRpcError as error:
        if error.code() == grpc.StatusCode.NOT_FOUND:
            return None
        raise
    return response.user.created_at, tuple(response.user.roles)


async def _user_by_api_token(
    users: users_pb2_grpc.UserServiceStub, api_token: str
) -> tuple[str, tuple[str, ...]] | None:
    try:
        response = await users.GetUserByApiToken(
            users_pb2.GetUserByApiTokenRequest(api_token=api_token), timeout=CALL_TIMEOUT_S
        )
    except grpc.aio.AioRpcError as error:
        if error.code() == grpc.StatusCode.NOT_FOUND:
            return None
        raise
    return response.user.username, tuple(response.user.roles)


async def _grants(users: users_pb2_grpc.UserServiceStub) -> dict[str, frozenset[str]]:
    return grants_by_role((await users.ListRoles(users_pb2.ListRolesRequest(), timeout=CALL_TIMEOUT_S)).roles)


def auth_state(connection: HTTPConnection) -> AuthState:
    return connection.app.state.auth  # type: ignore[no-any-return]


def principal(request: Request) -> Principal:
    """The caller `@requires` authenticated for this request."""
    found = getattr(request.state, "principal", None)
    if found is None:
        raise RuntimeError(f"{request.url.path} is public: it has no authenticated caller")
    return found  # type: ignore[no-any-return]


async def authenticate(request: Request) -> Principal:
    """The caller, from their Bearer JWT or api_token; Unauthenticated (401) when they prove no identity."""
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, token = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("the Authorization header must be `Bearer <access token>`", invalid_token=True)
        return await access_token_principal(request, token.strip())
    api_token = request.query_params.get("api_token")
    if api_token:
        found = await auth_state(request).api_token_principal(clients(request).users, api_token)
        if found is None:
            raise Unauthenticated("the api_token is not valid")
        return found
    raise Unauthenticated(
        "authentication required: send `Authorization: Bearer <access token from POST /api/auth>` "
        "or the query parameter api_token"
    )


async def access_token_principal(connection: HTTPConnection, token: str) -> Principal:
    """Who an access token proves the caller is: a user (token from POST /api/auth) or a share-your-bot guest
    (token from POST /api/auth/jwt); Unauthenticated (401) when it proves no one. HTTP requests and the push
    websocket both authenticate with it."""
    state, users = auth_state(connection), clients(connection).users
    try:
        claims = state.signing_key.verify(token)
    except InvalidToken as error:
        raise Unauthenticated(str(error), invalid_token=True) from None
    if CHAT_TOKEN_CLAIM in claims:
        guest = await state.guest_principal(users, claims)
        if guest is None:
            raise Unauthenticated(
                "the guest token's chat token was replaced or has expired; ask for a new link", invalid_token=True
            )
        return guest
    username, created_at = claims.get("username"), claims.get(USER_CREATED_AT_CLAIM)
    if not isinstance(username, str) or not username or not isinstance(created_at, int | float):
        raise Unauthenticated("the access token names no user", invalid_token=True)
    found = await state.user_principal(users, username, created_at)
    if found is None:
        raise Unauthenticated("the access token's user no longer exists", invalid_token=True)
    return found


async def authorize(request: Request, permission: str) -> None:
    """Raise ApiError(401/403) unless the caller holds `permission`; then `principal(request)` is the caller."""
    caller = await authenticate(request)
    if permission not in caller.permissions:
        raise ApiError(403, "NotAuthorized", f"{caller.username} lacks the permission {permission}")
    request.state.principal = caller


def is_rasa_server(request: Request) -> bool:
    """Whether the request carries the shared Rasa token as `?token=` and no Authorization header (which wins);
    Unauthenticated (401) when it carries a token that is not the Rasa token."""
    token = request.query_params.get("token")
    if token is None or "authorization" in request.headers:
        return False
    if not is_rasa_token(token, auth_state(request).rasa_token):
        raise Unauthenticated("the token is not the Rasa token")
    return True


def requires(scope: str, rasa_token: bool = False) -> Callable[[Endpoint], Endpoint]:
    """Declare the permission an endpoint needs (`PUBLIC` for none) and check it before the endpoint runs.

    With `rasa_token`, the shared Rasa token (`?token=`) is enough too; such a request has no `principal`.
    """

    def decorate(endpoint: Endpoint) -> Endpoint:
        @functools.wraps(endpoint)
        async def checked(request: Request) -> Response:
            if scope != PUBLIC:
                try:
                    if not (rasa_token and is_rasa_server(request)):
                        await authorize(request, scope)
                except Unauthenticated as error:
                    return error.response()
            return await endpoint(request)

        checked.required_scope = scope  # type: ignore[attr-defined]
        checked.accepts_rasa_token = rasa_token  # type: ignore[attr-defined]
        return checked

    return decorate
