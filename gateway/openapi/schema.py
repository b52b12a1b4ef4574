"""Small builders of OpenAPI 3.1 objects, so that the hand-written paths read as what they document."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

Schema = dict[str, Any]

INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1

STRING: Schema = {"type": "string"}
NON_EMPTY_STRING: Schema = {"type": "string", "minLength": 1}
INTEGER: Schema = {"type": "integer"}
COUNT: Schema = {"type": "integer", "minimum": 0}
NUMBER: Schema = {"type": "number"}
BOOLEAN: Schema = {"type": "boolean"}
ANY_OBJECT: Schema = {"type": "object"}
ANYTHING: Schema = {}
NOT_BLANK: Schema = {"type": "string", "pattern": r"\S"}
ID: Schema = {"type": "integer", "minimum": 0, "maximum": INT64_MAX}
MAX_TEXT_CHARS = 10_000
TOTAL_COUNT: Schema = {"X-Total-Count": {"$ref": "#/components/headers/X-Total-Count"}}


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: Schema) -> Schema:
    """`schema` or JSON null."""
    if set(schema) == {"type"} and isinstance(schema["type"], str):
        return {"type": [schema["type"], "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def array(items: Schema, **keywords: Any) -> Schema:
    return {"type": "array", "items": items, **keywords}


def obj(
    properties: Mapping[str, Schema],
    required: Iterable[str] | None = None,
    additional: bool | Schema = False,
    description: str | None = None,
) -> Schema:
    """A JSON object; every property is required unless `required` names fewer; no others unless `additional`."""
    schema: Schema = {
        "type": "object",
        "properties": dict(properties),
        "required": list(properties if required is None else required),
        "additionalProperties": additional,
    }
    if description:
        schema["description"] = description
    return schema


def query(name: str, schema: Schema, description: str, required: bool = False) -> Schema:
    return {"name": name, "in": "query", "required": required, "description": description, "schema": schema}


def comma_list(name: str, items: Schema, description: str) -> Schema:
    """Rasa X's comma-separated list parameter (`?intent=greet,bye`); repeating the parameter works too."""
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "style": "form",
        "explode": False,
        "schema": array(items),
    }


def path(name: str, schema: Schema, description: str) -> Schema:
    return {"name": name, "in": "path", "required": True, "description": description, "schema": schema}


def json_body(schema: Schema, description: str) -> Schema:
    return {"required": True, "description": description, "content": {"application/json": {"schema": schema}}}


def json_response(description: str, schema: Schema, headers: Mapping[str, Schema] | None = None) -> Schema:
    response: Schema = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        response["headers"] = dict(headers)
    return response


def listing(description: str, item: Schema) -> Schema:
    """A page of a list, with the total in X-Total-Count."""
    return json_response(description, array(item), TOTAL_COUNT)


def no_content(description: str) -> Schema:
    return {"description": description}


def failure(description: str) -> Schema:
    """An error answered with Rasa X's JSON error body."""
    return json_response(description, ref("Error"))


def operation(
    summary: str,
    tag: str,
    responses: Mapping[int, Schema],
    parameters: Iterable[Schema] = (),
    body: Schema | None = None,
    description: str | None = None,
) -> Schema:
    """One operation; its operationId, security, x-permission and auth failures are added from its route."""
    documented: Schema = {"summary": summary, "tags": [tag]}
    if description:
        documented["description"] = description
    parameters = list(parameters)
    if parameters:
        documented["parameters"] = parameters
    if body is not None:
        documented["requestBody"] = body
    documented["responses"] = {str(status): response for status, response in sorted(responses.items())}
    return documented


def not_in_project(what: str) -> Schema:
    """The 404 of something in a project: no such project, or no such `what` in it."""
    return failure(f"No such project or {what}.")


def yaml_body(json_key: str, yaml_schema: Schema, description: str) -> Schema:
    """A body of Rasa YAML: as YAML or plain text, or as JSON `{json_key: "<yaml>"}`."""
    return {
        "required": True,
        "description": f"{description} Send it as `application/x-yaml`, `text/yaml` or `text/plain`, or as JSON "
        f'`{{"{json_key}": "<the YAML>"}}`; at most 10,000,000 bytes.',
        "content": {
            "application/x-yaml": {"schema": yaml_schema},
            "text/yaml": {"schema": yaml_schema},
            "text/plain": {"schema": NON_EMPTY_STRING},
            "application/json": {"schema": obj({json_key: NON_EMPTY_STRING}, additional=True)},
        },
    }


BAD_REQUEST = failure("A parameter or the body is not valid; `message` names it.")
TOO_LARGE = failure("The body is larger than 1,000,000 bytes.")
YAML_TOO_LARGE = failure("The body is larger than 10,000,000 bytes.")

PROJECT_ID = path("project_id", {"type": "string", "enum": ["default"]}, "The project; Rasa X has only `default`.")
PROJECT_NOT_FOUND = failure("No such project (the only one is `default`).")
LIMIT = query("limit", {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}, "At most this many.")
OFFSET = query("offset", {"type": "integer", "minimum": 0, "maximum": INT32_MAX, "default": 0}, "Skip this many.")
IDS_BODY = json_body(
    obj({"ids": array(ID, minItems=1, maxItems=1000)}, additional=True),
    "The ids to delete, 1 to 1,000; ids that name nothing are left out of the count.",
)
DELETED = json_response("How many were deleted.", obj({"deleted_count": COUNT}))
NAME_BODY = json_body(obj({"name": NON_EMPTY_STRING}, additional=True), '`{"name": ...}`.')

ERROR = obj(
    {
        "version": {"type": "string", "description": "Conversely's version."},
        "status": {"const": "failure"},
        "message": {"type": "string", "description": "What went wrong, for a person."},
        "reason": {"type": "string", "description": "A short code, e.g. `InvalidParameter`, `NotFound`."},
        "details": ANY_OBJECT,
        "help": {"type": "null"},
        "code": {"type": "integer", "minimum": 400, "maximum": 599, "description": "The HTTP status again."},
    },
    description="Rasa X's error body, the same for every failure.",
)

SECURITY_SCHEMES: Schema = {
    "bearerAuth": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "The RS256 access token from `POST /api/auth`.",
    },
    "apiToken": {
        "type": "apiKey",
        "in": "query",
        "name": "api_token",
        "description": "The caller's API token (`GET /api/user` shows it; `POST /api/user/api_token` renews it).",
    },
    "rasaToken": {
        "type": "apiKey",
        "in": "query",
        "name": "token",
        "description": "The shared Rasa token (CONVERSELY_RASA_TOKEN, or the file CONVERSELY_DATA_DIR/rasa-token) "
        "that Rasa servers send to pull models; only where an operation lists it. An Authorization header wins.",
    },
}

HEADERS: Schema = {
    "X-Total-Count": {
        "description": "How many items match in all, whatever `limit` and `offset` are.",
        "required": True,
        "schema": {"type": "integer", "minimum": 0},
    },
}

COMMON_RESPONSES: Schema = {
    "Unauthenticated": {
        "description": "No credentials, or a token that is not valid (expired, badly signed, its user deleted).",
        "headers": {
            "WWW-Authenticate": {
                "description": '`Bearer`, or `Bearer error="invalid_token"` when a token was sent but failed.',
                "required": True,
                "schema": STRING,
            }
        },
        "content": {"application/json": {"schema": ref("Error")}},
    },
    "Forbidden": failure("The caller's roles do not grant the permission this operation needs (`x-permission`)."),
    "Unavailable": failure("Storage is not reachable or not ready yet; retry."),
    "Timeout": failure("Storage did not answer in time; retry."),
}
