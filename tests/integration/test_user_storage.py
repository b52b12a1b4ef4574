"""UserService over real gRPC on real SQLite and PostgreSQL: every RPC and every error code it promises."""

from __future__ import annotations

import json

import grpc
import pytest

from conversely.storage.v1 import users_pb2, users_pb2_grpc


@pytest.fixture
def users(storage_channel: grpc.Channel) -> users_pb2_grpc.UserServiceStub:
    stub = users_pb2_grpc.UserServiceStub(storage_channel)
    for name, grants, is_default in [
        ("admin", ["a.view.x", "a.modify.y"], False),
        ("annotator", ["a.view.x"], True),
        ("tester", ["t.view.z"], False),
    ]:
        stub.PutRole(users_pb2.PutRoleRequest(role=users_pb2.Role(name=name, grants=grants, is_default=is_default)))
    return stub


def create(
    users: users_pb2_grpc.UserServiceStub, username: str, roles: tuple[str, ...] = ("admin",), **fields: str
) -> users_pb2.User:
    user = users_pb2.User(
        username=username,
        password_hash=fields.get("password_hash", "$argon2id$hash-of-" + username),
        api_token=fields.get("api_token", "token-of-" + username),
        roles=roles,
        data_json=fields.get("data_json", ""),
    )
    return users.CreateUser(users_pb2.CreateUserRequest(user=user)).user


def rpc_error(function: object, request: object) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as raised:
        function(request)  # type: ignore[operator]
    return raised.value


def test_created_user_comes_back_by_name_and_by_api_token(users: users_pb2_grpc.UserServiceStub) -> None:
    created = create(users, "alice", roles=("tester", "admin"), data_json='{"theme": "dark"}')
    assert (created.username, list(created.roles), created.api_token) == (
        "alice",
        ["admin", "tester"],
        "token-of-alice",
    )
    assert created.created_at > 0
    assert users.GetUser(users_pb2.GetUserRequest(username="alice")).user == created
    by_token = users.GetUserByApiToken(users_pb2.GetUserByApiTokenRequest(api_token="token-of-alice")).user
    assert by_token == created
    assert json.loads(created.data_json) == {"theme": "dark"}
    assert created.password_hash == "$argon2id$hash-of-alice"


def test_user_naming_no_role_gets_the_default_role(users: users_pb2_grpc.UserServiceStub) -> None:
    assert list(create(users, "bob", roles=()).roles) == ["annotator"]


def test_user_without_data_has_an_empty_object(users: users_pb2_grpc.UserServiceStub) -> None:
    assert create(users, "bob").data_json == "{}"


def test_taken_username_is_already_exists(users: users_pb2_grpc.UserServiceStub) -> None:
    create(users, "alice")
    with pytest.raises(grpc.RpcError) as raised:
        create(users, "alice", api_token="another-token")
    assert raised.value.code() == grpc.StatusCode.ALREADY_EXISTS


def test_taken_api_token_is_already_exists(users: users_pb2_grpc.UserServiceStub) -> None:
    create(users, "alice", api_token="same")
    with pytest.raises(grpc.RpcError) as raised:
        create(users, "bob", api_token="same")
    assert raised.value.code() == grpc.StatusCode.ALREADY_EXISTS


@pytest.mark.parametrize(
    ("fields", "roles", "message"),
    [
        ({"password_hash": ""}, ("admin",), "password_hash must not be empty"),
        ({"api_token": ""}, ("admin",), "api_token must not be empty"),
        ({}, ("admin", "wizard"), "unknown role(s): wizard"),
        ({"data_json": "[1]"}, ("admin",), "data_json must be a JSON object"),
        ({"data_json": "{"}, ("admin",), "data_json is not JSON"),
    ],
)
def test_invalid_user_is_invalid_argument(
    users: users_pb2_grpc.UserServiceStub, fields: dict[str, str], roles: tuple[str, ...], message: str
) -> None:
    with pytest.raises(grpc.RpcError) as raised:
        create(users, "alice", roles=roles, **fields)
    assert (raised.value.code(), raised.value.details()) == (grpc.StatusCode.INVALID_ARGUMENT, message)
    assert users.ListUsers(users_pb2.ListUsersRequest()).users == []


def test_empty_username_is_invalid_argument(users: users_pb2_grpc.UserServiceStub) -> None:
    with pytest.raises(grpc.RpcError) as raised:
        create(users, "")
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_unknown_user_or_token_is_not_found(users: users_pb2_grpc.UserServiceStub) -> None:
    create(users, "alice")
    for call, request in [
        (users.GetUser, users_pb2.GetUserRequest(username="nobody")),
        (users.GetUserByApiToken, users_pb2.GetUserByApiTokenRequest(api_token="wrong")),
        (users.UpdateUser, users_pb2.UpdateUserRequest(username="nobody", data_json="{}")),
        (users.DeleteUser, users_pb2.DeleteUserRequest(username="nobody")),
    ]:
        assert rpc_error(call, request).code() == grpc.StatusCode.NOT_FOUND, call


def test_users_are_listed_by_username_and_filtered_by_role(users: users_pb2_grpc.UserServiceStub) -> None:
    create(users, "carol", roles=("tester",))
    create(users, "alice", roles=("admin", "tester"))
    create(users, "bob", roles=("annotator",))
    listed = users.ListUsers(users_pb2.ListUsersRequest()).users
    assert [(u.username, list(u.roles)) for u in listed] == [
        ("alice", ["admin", "tester"]),
        ("bob", ["annotator"]),
        ("carol", ["tester"]),
    ]
    testers = users.ListUsers(users_pb2.ListUsersRequest(role="tester")).users
    assert [(u.username, list(u.roles)) for u in testers] == [("alice", ["admin", "tester"]), ("carol", ["tester"])]
    assert users.ListUsers(users_pb2.ListUsersRequest(role="wizard")).users == []


def test_update_changes_only_the_fields_present(users: users_pb2_grpc.UserServiceStub) -> None:
    before = create(users, "alice", roles=("tester",), data_json='{"a": 1}')
    after = users.UpdateUser(users_pb2.UpdateUserRequest(username="alice", password_hash="$argon2id$new")).user
    assert after.password_hash == "$argon2id$new"
    assert (after.api_token, list(after.roles), after.data_json) == (before.api_token, ["tester"], '{"a": 1}')

    after = users.UpdateUser(
        users_pb2.UpdateUserRequest(username="alice", api_token="fresh", data_json='{"b": 2}')
    ).user
    assert (after.api_token, after.data_json, after.password_hash) == ("fresh", '{"b": 2}', "$argon2id$new")
    assert users.GetUserByApiToken(users_pb2.GetUserByApiTokenRequest(api_token="fresh")).user.username == "alice"
    assert rpc_error(
        users.GetUserByApiToken, users_pb2.GetUserByApiTokenRequest(api_token=before.api_token)
    ).code() == (grpc.StatusCode.NOT_FOUND)


def test_roles_change_only_with_set_roles(users: users_pb2_grpc.UserServiceStub) -> None:
    create(users, "alice", roles=("tester",))
    unchanged = users.UpdateUser(users_pb2.UpdateUserRequest(username="alice", roles=["admin"])).user
    assert list(unchanged.roles) == ["tester"]
    replaced = users.UpdateUser(
        users_pb2.UpdateUserRequest(username="alice", set_roles=True, roles=["annotator", "admin"])
    ).user
    assert list(replaced.roles) == ["admin", "annotator"]
    emptied = users.UpdateUser(users_pb2.UpdateUserRequest(username="alice", set_roles=True)).user
    assert list(emptied.roles) == []


@pytest.mark.parametrize(
    ("request_fields", "message"),
    [
        ({"set_roles": True, "roles": ["admin", "wizard"]}, "unknown role(s): wizard"),
        ({"password_hash": ""}, "password_hash must not be empty"),
        ({"api_token": ""}, "api_token must not be empty"),
        ({"data_json": '"text"'}, "data_json must be a JSON object"),
    ],
)
def test_invalid_update_is_invalid_argument_and_changes_nothing(
    users: users_pb2_grpc.UserServiceStub, request_fields: dict[str, object], message: str
) -> None:
    before = create(users, "alice", roles=("tester",))
    error = rpc_error(users.UpdateUser, users_pb2.UpdateUserRequest(username="alice", **request_fields))  # type: ignore[arg-type]
    assert (error.code(), error.details()) == (grpc.StatusCode.INVALID_ARGUMENT, message)
    assert users.GetUser(users_pb2.GetUserRequest(username="alice")).user == before


def test_update_to_another_users_api_token_is_already_exists(users: users_pb2_grpc.UserServiceStub) -> None:
    create(users, "alice", api_token="a")
    create(users, "bob", api_token="b")
    error = rpc_error(users.UpdateUser, users_pb2.UpdateUserRequest(username="bob", api_token="a"))
    assert error.code() == grpc.StatusCode.ALREADY_EXISTS


def test_deleted_user_is_gone_with_its_roles(users: users_pb2_grpc.UserServiceStub) -> None:
    create(users, "alice", roles=("tester",))
    create(users, "bob", roles=("tester",))
    users.DeleteUser(users_pb2.DeleteUserRequest(username="alice"))
    assert rpc_error(users.GetUser, users_pb2.GetUserRequest(username="alice")).code() == grpc.StatusCode.NOT_FOUND
    assert [u.username for u in users.ListUsers(users_pb2.ListUsersRequest(role="tester")).users] == ["bob"]
    assert list(create(users, "alice", roles=("admin",)).roles) == ["admin"]  # no stale role rows came back


def test_roles_are_listed_by_name_with_their_grants(users: users_pb2_grpc.UserServiceStub) -> None:
    roles = users.ListRoles(users_pb2.ListRolesRequest()).roles
    assert [(r.name, list(r.grants), r.is_default) for r in roles] == [
        ("admin", ["a.modify.y", "a.view.x"], False),
        ("annotator", ["a.view.x"], True),
        ("tester", ["t.view.z"], False),
    ]


def test_put_role_replaces_the_role_with_the_same_name(users: users_pb2_grpc.UserServiceStub) -> None:
    put = users.PutRole(
        users_pb2.PutRoleRequest(role=users_pb2.Role(name="tester", description="Tests.", grants=["b", "a", "b"]))
    ).role
    assert (put.name, put.description, list(put.grants), put.is_default) == ("tester", "Tests.", ["a", "b"], False)
    stored = {r.name: r for r in users.ListRoles(users_pb2.ListRolesRequest()).roles}
    assert stored["tester"] == put
    assert len(stored) == 3


def test_a_new_default_role_unsets_the_old_default(users: users_pb2_grpc.UserServiceStub) -> None:
    users.PutRole(users_pb2.PutRoleRequest(role=users_pb2.Role(name="reviewer", grants=["r"], is_default=True)))
    defaults = [r.name for r in users.ListRoles(users_pb2.ListRolesRequest()).roles if r.is_default]
    assert defaults == ["reviewer"]
    assert list(create(users, "bob", roles=()).roles) == ["reviewer"]


@pytest.mark.parametrize(
    ("role", "message"),
    [
        (users_pb2.Role(name="", grants=["a"]), "name must not be empty"),
        (users_pb2.Role(name="x", grants=["a", ""]), "a grant must not be empty"),
    ],
)
def test_invalid_role_is_invalid_argument(
    users: users_pb2_grpc.UserServiceStub, role: users_pb2.Role, message: str
) -> None:
    error = rpc_error(users.PutRole, users_pb2.PutRoleRequest(role=role))
    assert (error.code(), error.details()) == (grpc.StatusCode.INVALID_ARGUMENT, message)


def test_deleted_role_is_taken_from_every_user(users: users_pb2_grpc.UserServiceStub) -> None:
    create(users, "alice", roles=("tester", "admin"))
    create(users, "bob", roles=("tester",))
    users.DeleteRole(users_pb2.DeleteRoleRequest(name="tester"))
    assert [r.name for r in users.ListRoles(users_pb2.ListRolesRequest()).roles] == ["admin", "annotator"]
    listed = users.ListUsers(users_pb2.ListUsersRequest()).users
    assert [(u.username, list(u.roles)) for u in listed] == [("alice", ["admin"]), ("bob", [])]
    assert users.ListUsers(users_pb2.ListUsersRequest(role="tester")).users == []


def test_deleting_an_unknown_role_is_not_found(users: users_pb2_grpc.UserServiceStub) -> None:
    error = rpc_error(users.DeleteRole, users_pb2.DeleteRoleRequest(name="wizard"))
    assert (error.code(), error.details()) == (grpc.StatusCode.NOT_FOUND, "no role 'wizard'")
