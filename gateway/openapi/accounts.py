"""Logging in, the caller's own user, users, roles and permissions (Rasa X `/api/auth`, `/api/user`, ...)."""

from __future__ import annotations

from gateway.openapi.schema import (
    ANY_OBJECT,
    BAD_REQUEST,
    BOOLEAN,
    NON_EMPTY_STRING,
    STRING,
    TOO_LARGE,
    Schema,
    array,
    failure,
    json_body,
    json_response,
    listing,
    no_content,
    obj,
    operation,
    path,
    query,
    ref,
)

AUTH_TAG = "Auth"
USERS_TAG = "Users and roles"
USERNAME = path("username", NON_EMPTY_STRING, "The user's name.")
ROLE = path("role", NON_EMPTY_STRING, "The role's name.")
NEW_PASSWORD: Schema = {"type": "string", "minLength": 8, "maxLength": 1024}
USER_NOT_FOUND = failure("No such user.")
ROLE_NOT_FOUND = failure("No such role.")
DATA_ONLY = json_body(
    obj({"data": ANY_OBJECT}),
    "Only the free-form `data` object can be changed this way.",
)
TOO_MANY_ATTEMPTS = {
    "description": "Too many failed attempts in the last minute; retry after `Retry-After` seconds.",
    "headers": {"Retry-After": {"required": True, "schema": {"type": "integer", "minimum": 0}}},
    "content": {"application/json": {"schema": ref("Error")}},
}

SCHEMAS: dict[str, Schema] = {
    "User": obj(
        {
            "username": STRING,
            "roles": array(STRING),
            "data": ANY_OBJECT,
            "permissions": array(STRING, description="Every permission the user's roles grant."),
            "authentication_mechanism": {"const": "username_password"},
            "projects": array(obj({"name": STRING, "roles": array(STRING)})),
            "team": STRING,
            "api_token": {"type": "string", "description": "Only in the caller's own user (`GET /api/user`)."},
        },
        required=["username", "roles", "data", "permissions", "authentication_mechanism", "projects", "team"],
        description="Rasa X's user.",
    ),
    "Role": obj(
        {
            "role": STRING,
            "grants": array(STRING, description="Permissions, as `GET /api/permissions` lists them."),
            "description": STRING,
            "is_default": {"type": "boolean", "description": "Given to new users that name no role."},
        }
    ),
    "RoleChange": obj(
        {
            "role": {"type": "string", "pattern": "^[A-Za-z0-9_.-]{1,100}$"},
            "grants": array(STRING),
            "description": STRING,
            "is_default": BOOLEAN,
        },
        required=["grants"],
        additional=True,
        description="A role to create (`role` required) or the new content of one (`role`, if given, unchanged).",
    ),
}

PATHS: dict[str, Schema] = {
    "/api/auth": {
        "post": operation(
            "Log in: username and password in, an RS256 access token out",
            AUTH_TAG,
            {
                200: json_response(
                    "Logged in; send the token as `Authorization: Bearer <token>`.", obj({"access_token": STRING})
                ),
                400: BAD_REQUEST,
                401: failure("Wrong username or password (the answer does not tell which)."),
                413: TOO_LARGE,
                429: TOO_MANY_ATTEMPTS,
                503: failure("The gateway is still setting up users (storage not ready); retry shortly."),
                504: {"$ref": "#/components/responses/Timeout"},
            },
            body=json_body(
                obj({"username": NON_EMPTY_STRING, "password": NON_EMPTY_STRING}, additional=True),
                "The credentials.",
            ),
        )
    },
    "/api/user": {
        "get": operation(
            "The caller's own user, with its API token",
            USERS_TAG,
            {200: json_response("The caller.", ref("User"))},
        ),
        "patch": operation(
            "Change the caller's free-form data",
            USERS_TAG,
            {200: json_response("The caller, changed.", ref("User")), 400: BAD_REQUEST, 413: TOO_LARGE},
            body=DATA_ONLY,
        ),
    },
    "/api/user/password": {
        "post": operation(
            "Change the caller's password",
            USERS_TAG,
            {
                200: json_response("The caller.", ref("User")),
                400: failure("A field is missing, the new passwords differ or are too weak, or the old one is wrong."),
                403: failure("`username` is not the caller."),
                413: TOO_LARGE,
                429: TOO_MANY_ATTEMPTS,
            },
            body=json_body(
                obj(
                    {
                        "username": NON_EMPTY_STRING,
                        "old_password": NON_EMPTY_STRING,
                        "new_password": NEW_PASSWORD,
                        "new_password_confirm": NEW_PASSWORD,
                    },
                    additional=True,
                ),
                "The caller's name, current password and new password twice.",
            ),
        )
    },
    "/api/user/api_token": {
        "post": operation(
            "Replace the caller's API token with a new one",
            USERS_TAG,
            {200: json_response("The new token; the old one stops working.", obj({"api_token": STRING}))},
        )
    },
    "/api/users": {
        "get": operation(
            "List users",
            USERS_TAG,
            {200: listing("Every user (or those having `role`).", ref("User"))},
            parameters=[query("role", STRING, "Only users having this role.")],
        ),
        "post": operation(
            "Create a user",
            USERS_TAG,
            {
                201: json_response("The user.", ref("User")),
                400: failure("Not a valid username, password or role list, or a role that does not exist."),
                409: failure("The username is taken."),
                413: TOO_LARGE,
            },
            body=json_body(
                obj(
                    {
                        "username": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[^/]*$"},
                        "password": NEW_PASSWORD,
                        "roles": array(STRING, description="With none, the default role."),
                    },
                    required=["username", "password"],
                    additional=True,
                ),
                "The new user.",
            ),
        ),
    },
    "/api/users/{username}": {
        "put": operation(
            "Change a user's free-form data",
            USERS_TAG,
            {
                200: json_response("The user, changed.", ref("User")),
                400: BAD_REQUEST,
                404: USER_NOT_FOUND,
                413: TOO_LARGE,
            },
            parameters=[USERNAME],
            body=DATA_ONLY,
        ),
        "delete": operation(
            "Delete a user",
            USERS_TAG,
            {
                204: no_content("Deleted."),
                400: failure("The caller cannot delete themself."),
                404: USER_NOT_FOUND,
            },
            parameters=[USERNAME],
        ),
    },
    "/api/users/{username}/roles": {
        "get": operation(
            "A user's roles",
            USERS_TAG,
            {200: json_response("The role names.", array(STRING)), 404: USER_NOT_FOUND},
            parameters=[USERNAME],
        ),
        "put": operation(
            "Replace a user's roles",
            USERS_TAG,
            {
                200: json_response("The user's roles now.", array(STRING)),
                400: failure("Not a list of role names, a role that does not exist, or the caller's own admin role."),
                404: USER_NOT_FOUND,
                413: TOO_LARGE,
            },
            parameters=[USERNAME],
            body=json_body(array(STRING), "The role names."),
        ),
    },
    "/api/users/{username}/roles/{role}": {
        "delete": operation(
            "Take a role from a user",
            USERS_TAG,
            {
                204: no_content("Taken."),
                400: failure("The caller cannot take the admin role from themself."),
                404: failure("No such user, or the user does not have the role."),
            },
            parameters=[USERNAME, ROLE],
        )
    },
    "/api/roles": {
        "get": operation("List roles", USERS_TAG, {200: listing("Every role.", ref("Role"))}),
        "post": operation(
            "Create a role",
            USERS_TAG,
            {
                201: json_response("The role.", ref("Role")),
                400: BAD_REQUEST,
                409: failure("A role with this name exists."),
                413: TOO_LARGE,
            },
            body=json_body(ref("RoleChange"), "The role; `role` is its name."),
        ),
    },
    "/api/roles/{role}": {
        "get": operation(
            "One role",
            USERS_TAG,
            {200: json_response("The role.", ref("Role")), 404: ROLE_NOT_FOUND},
            parameters=[ROLE],
        ),
        "put": operation(
            "Replace a role's grants, description and default flag",
            USERS_TAG,
            {
                200: json_response("The role, changed.", ref("Role")),
                400: failure("Not a valid role, a rename, or a built-in role."),
                404: ROLE_NOT_FOUND,
                413: TOO_LARGE,
            },
            parameters=[ROLE],
            body=json_body(ref("RoleChange"), "The role's new content."),
        ),
        "delete": operation(
            "Delete a role and take it from every user",
            USERS_TAG,
            {204: no_content("Deleted."), 400: failure("A built-in role."), 404: ROLE_NOT_FOUND},
            parameters=[ROLE],
        ),
    },
    "/api/permissions": {
        "get": operation(
            "Every permission a role can grant",
            USERS_TAG,
            {200: json_response("The permissions.", array(STRING))},
        )
    },
}
