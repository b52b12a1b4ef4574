"""The user, role and permission endpoints in Rasa X's shapes, with every refusal they promise."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from gateway.permissions import ALL_PERMISSIONS, BUILT_IN_ROLES, USERS_LIST
from tests.gateway_app import Headers, login

USER_KEYS = {"username", "roles", "data", "permissions", "authentication_mechanism", "projects", "team"}


def add_user(api: TestClient, headers: Headers, username: str, *roles: str, password: str = "") -> dict[str, Any]:
    body: dict[str, Any] = {"username": username, "password": password or f"{username}-password"}
    if roles:
        body["roles"] = list(roles)
    response = api.post("/api/users", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def error(response: Any, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.json()["status"] == "failure"
    return response.json()["message"]  # type: ignore[no-any-return]


def test_own_user_has_rasa_x_fields_with_api_token_and_permissions(api: TestClient, as_admin: Headers) -> None:
    me = api.get("/api/user", headers=as_admin).json()
    assert set(me) == USER_KEYS | {"api_token"}
    assert me["username"] == "admin"
    assert me["roles"] == ["admin"]
    assert set(me["permissions"]) == BUILT_IN_ROLES["admin"]
    assert me["authentication_mechanism"] == "username_password"
    assert me["projects"] == [{"name": "default", "roles": ["admin"]}]
    assert me["team"] == "default"
    assert me["data"] == {}
    assert len(me["api_token"]) == 64


def test_own_data_is_replaced_by_patch(api: TestClient, as_admin: Headers) -> None:
    response = api.patch("/api/user", json={"data": {"theme": "dark", "tour": {"done": True}}}, headers=as_admin)
    assert response.status_code == 200
    assert response.json()["data"] == {"theme": "dark", "tour": {"done": True}}
    assert "api_token" not in response.json()
    assert api.get("/api/user", headers=as_admin).json()["data"] == {"theme": "dark", "tour": {"done": True}}


@pytest.mark.parametrize("body", [{"data": [1]}, {"data": {}, "username": "x"}, {"username": "x"}, [], "text"])
def test_patching_anything_but_data_is_a_400(api: TestClient, as_admin: Headers, body: Any) -> None:
    error(api.patch("/api/user", json=body, headers=as_admin), 400)


def password_change(old: str, new: str, confirm: str | None = None, username: str = "bob") -> dict[str, str]:
    return {"username": username, "old_password": old, "new_password": new, "new_password_confirm": confirm or new}


def test_own_password_is_changed_with_the_old_one(api: TestClient, as_admin: Headers) -> None:
    add_user(api, as_admin, "bob", "tester", password="bob-old-password")
    bob = login(api, "bob", "bob-old-password")
    response = api.post("/api/user/password", json=password_change("bob-old-password", "bob-new-password"), headers=bob)
    assert response.status_code == 200, response.text
    assert response.json()["username"] == "bob"
    assert api.post("/api/auth", json={"username": "bob", "password": "bob-old-password"}).status_code == 401
    login(api, "bob", "bob-new-password")


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (password_change("bob-old-password", "bob-new-password", "bob-typo-password"), 400, "differ"),
        (password_change("wrong-old-password", "bob-new-password"), 400, "not your current password"),
        (password_change("bob-old-password", "short"), 400, "at least 8"),
        (password_change("bob-old-password", "bob-new-password", username="admin"), 403, "only your own"),
        ({"username": "bob", "new_password": "bob-new-password"}, 400, "old_password"),
    ],
)
def test_refused_password_change_keeps_the_old_password(
    api: TestClient, as_admin: Headers, body: dict[str, str], status: int, message: str
) -> None:
    add_user(api, as_admin, "bob", "tester", password="bob-old-password")
    bob = login(api, "bob", "bob-old-password")
    assert message in error(api.post("/api/user/password", json=body, headers=bob), status)
    login(api, "bob", "bob-old-password")
    login(api, "admin", "test-admin-password")


def test_regenerated_api_token_is_returned_and_replaces_the_old(api: TestClient, as_admin: Headers) -> None:
    old = api.get("/api/user", headers=as_admin).json()["api_token"]
    new = api.post("/api/user/api_token", headers=as_admin).json()["api_token"]
    assert new != old
    assert api.get("/api/user", headers=as_admin).json()["api_token"] == new


def test_users_are_listed_without_api_tokens_and_filtered_by_role(api: TestClient, as_admin: Headers) -> None:
    add_user(api, as_admin, "carol", "tester")
    add_user(api, as_admin, "bob", "annotator", "tester")
    response = api.get("/api/users", headers=as_admin)
    assert [(u["username"], u["roles"]) for u in response.json()] == [
        ("admin", ["admin"]),
        ("bob", ["annotator", "tester"]),
        ("carol", ["tester"]),
    ]
    assert response.headers["X-Total-Count"] == "3"
    assert all(set(user) == USER_KEYS for user in response.json())
    testers = api.get("/api/users", params={"role": "tester"}, headers=as_admin).json()
    assert [u["username"] for u in testers] == ["bob", "carol"]


def test_created_user_gets_the_default_role_unless_roles_are_given(api: TestClient, as_admin: Headers) -> None:
    created = add_user(api, as_admin, "bob")
    assert set(created) == USER_KEYS
    assert created["roles"] == ["annotator"]
    assert set(created["permissions"]) == BUILT_IN_ROLES["annotator"]
    assert add_user(api, as_admin, "carol", "tester", "annotator")["roles"] == ["annotator", "tester"]
    login(api, "bob", "bob-password")


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"username": "admin", "password": "long-enough"}, 409, "already exists"),
        ({"username": "bob", "password": "long-enough", "roles": ["wizard"]}, 400, "unknown role(s): wizard"),
        ({"username": "bob", "password": "short"}, 400, "at least 8"),
        ({"username": " bob", "password": "long-enough"}, 400, "spaces"),
        ({"username": "a/b", "password": "long-enough"}, 400, "'/'"),
        ({"username": "", "password": "long-enough"}, 400, "1 to 255"),
        ({"username": "bob"}, 400, "password"),
        ({"username": "bob", "password": "long-enough", "roles": "admin"}, 400, "list of role names"),
    ],
)
def test_refused_user_is_not_created(
    api: TestClient, as_admin: Headers, body: dict[str, Any], status: int, message: str
) -> None:
    assert message in error(api.post("/api/users", json=body, headers=as_admin), status)
    assert [u["username"] for u in api.get("/api/users", headers=as_admin).json()] == ["admin"]


def test_admin_replaces_a_users_data(api: TestClient, as_admin: Headers) -> None:
    add_user(api, as_admin, "bob")
    response = api.put("/api/users/bob", json={"data": {"team": "blue"}}, headers=as_admin)
    assert response.json()["data"] == {"team": "blue"}
    assert api.get("/api/users", headers=as_admin).json()[1]["data"] == {"team": "blue"}
    error(api.put("/api/users/bob", json={"roles": ["admin"]}, headers=as_admin), 400)
    error(api.put("/api/users/nobody", json={"data": {}}, headers=as_admin), 404)


def test_deleted_user_is_gone(api: TestClient, as_admin: Headers) -> None:
    add_user(api, as_admin, "bob")
    assert api.delete("/api/users/bob", headers=as_admin).status_code == 204
    assert [u["username"] for u in api.get("/api/users", headers=as_admin).json()] == ["admin"]
    assert api.post("/api/auth", json={"username": "bob", "password": "bob-password"}).status_code == 401
    error(api.delete("/api/users/bob", headers=as_admin), 404)


def test_admin_cannot_delete_themself(api: TestClient, as_admin: Headers) -> None:
    assert "yourself" in error(api.delete("/api/users/admin", headers=as_admin), 400)
    login(api, "admin", "test-admin-password")


def test_a_users_roles_are_read_replaced_and_removed(api: TestClient, as_admin: Headers) -> None:
    add_user(api, as_admin, "bob", "tester")
    assert api.get("/api/users/bob/roles", headers=as_admin).json() == ["tester"]
    replaced = api.put("/api/users/bob/roles", json=["annotator", "tester"], headers=as_admin)
    assert replaced.json() == ["annotator", "tester"]
    assert api.delete("/api/users/bob/roles/tester", headers=as_admin).status_code == 204
    assert api.get("/api/users/bob/roles", headers=as_admin).json() == ["annotator"]


def test_refused_role_changes_change_nothing(api: TestClient, as_admin: Headers) -> None:
    add_user(api, as_admin, "bob", "tester")
    assert "wizard" in error(api.put("/api/users/bob/roles", json=["tester", "wizard"], headers=as_admin), 400)
    error(api.put("/api/users/bob/roles", json={"roles": ["tester"]}, headers=as_admin), 400)
    assert "no role 'admin'" in error(api.delete("/api/users/bob/roles/admin", headers=as_admin), 404)
    error(api.get("/api/users/nobody/roles", headers=as_admin), 404)
    error(api.put("/api/users/nobody/roles", json=["tester"], headers=as_admin), 404)
    assert "yourself" in error(api.put("/api/users/admin/roles", json=["tester"], headers=as_admin), 400)
    assert "yourself" in error(api.delete("/api/users/admin/roles/admin", headers=as_admin), 400)
    assert api.get("/api/users/bob/roles", headers=as_admin).json() == ["tester"]
    assert api.get("/api/users/admin/roles", headers=as_admin).json() == ["admin"]


def test_built_in_roles_are_listed_with_their_grants(api: TestClient, as_admin: Headers) -> None:
    response = api.get("/api/roles", headers=as_admin)
    roles = {role["role"]: role for role in response.json()}
    assert set(roles) == set(BUILT_IN_ROLES)
    assert response.headers["X-Total-Count"] == str(len(BUILT_IN_ROLES))
    assert set(roles["tester"]["grants"]) == BUILT_IN_ROLES["tester"]
    assert set(roles["tester"]) == {"role", "grants", "description", "is_default"}
    assert api.get("/api/roles/annotator", headers=as_admin).json() == roles["annotator"]
    error(api.get("/api/roles/wizard", headers=as_admin), 404)


def test_a_custom_role_is_created_changed_given_and_deleted(api: TestClient, as_admin: Headers) -> None:
    body = {"role": "reviewer", "grants": [USERS_LIST], "description": "Reads users."}
    created = api.post("/api/roles", json=body, headers=as_admin)
    assert created.status_code == 201
    assert created.json() == {**body, "is_default": False}
    add_user(api, as_admin, "bob", "reviewer")
    bob = login(api, "bob", "bob-password")
    assert api.get("/api/users", headers=bob).status_code == 200
    assert api.get("/api/user", headers=bob).status_code == 403

    changed = api.put("/api/roles/reviewer", json={"grants": ["basic.view.user.get"]}, headers=as_admin)
    assert changed.json() == {
        "role": "reviewer",
        "grants": ["basic.view.user.get"],
        "description": "",
        "is_default": False,
    }
    assert api.get("/api/users", headers=bob).status_code == 403
    assert api.get("/api/user", headers=bob).status_code == 200

    assert api.delete("/api/roles/reviewer", headers=as_admin).status_code == 204
    assert api.get("/api/users/bob/roles", headers=as_admin).json() == []
    assert api.get("/api/user", headers=bob).status_code == 403


def test_a_custom_default_role_is_given_to_new_users(api: TestClient, as_admin: Headers) -> None:
    body = {"role": "newcomer", "grants": ["basic.view.user.get"], "is_default": True}
    assert api.post("/api/roles", json=body, headers=as_admin).status_code == 201
    assert add_user(api, as_admin, "bob")["roles"] == ["newcomer"]
    assert not api.get("/api/roles/annotator", headers=as_admin).json()["is_default"]


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"role": "tester", "grants": []}, 409, "already exists"),
        ({"role": "x", "grants": ["no.such.permission"]}, 400, "unknown permission(s): no.such.permission"),
        ({"role": "x", "grants": "basic.view.user.get"}, 400, "list of permission strings"),
        ({"role": "x y", "grants": []}, 400, "letters, digits"),
        ({"grants": []}, 400, "role must be"),
        ({"role": "x", "grants": [], "is_default": "yes"}, 400, "is_default"),
    ],
)
def test_refused_role_is_not_created(
    api: TestClient, as_admin: Headers, body: dict[str, Any], status: int, message: str
) -> None:
    assert message in error(api.post("/api/roles", json=body, headers=as_admin), status)
    assert {role["role"] for role in api.get("/api/roles", headers=as_admin).json()} == set(BUILT_IN_ROLES)


def test_built_in_roles_cannot_be_changed_or_deleted(api: TestClient, as_admin: Headers) -> None:
    assert "built-in" in error(api.put("/api/roles/tester", json={"grants": []}, headers=as_admin), 400)
    assert "built-in" in error(api.delete("/api/roles/admin", headers=as_admin), 400)
    assert set(api.get("/api/roles/tester", headers=as_admin).json()["grants"]) == BUILT_IN_ROLES["tester"]


def test_refused_role_changes(api: TestClient, as_admin: Headers) -> None:
    api.post("/api/roles", json={"role": "reviewer", "grants": [USERS_LIST]}, headers=as_admin)
    error(api.put("/api/roles/wizard", json={"grants": []}, headers=as_admin), 404)
    error(api.put("/api/roles/reviewer", json={"role": "renamed", "grants": []}, headers=as_admin), 400)
    error(api.put("/api/roles/reviewer", json={"grants": ["no.such.permission"]}, headers=as_admin), 400)
    error(api.delete("/api/roles/wizard", headers=as_admin), 404)
    assert api.get("/api/roles/reviewer", headers=as_admin).json()["grants"] == [USERS_LIST]


def test_permission_catalogue_lists_every_permission(api: TestClient, as_admin: Headers) -> None:
    assert api.get("/api/permissions", headers=as_admin).json() == list(ALL_PERMISSIONS)
