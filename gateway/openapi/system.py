"""Health, version and this document."""

from __future__ import annotations

from gateway.openapi.schema import (
    ANY_OBJECT,
    NUMBER,
    STRING,
    Schema,
    array,
    json_response,
    obj,
    operation,
    ref,
)

TAG = "System"

SCHEMAS: dict[str, Schema] = {
    "Health": obj(
        {
            "database_migration": obj(
                {
                    "status": {
                        "type": "string",
                        "enum": ["unspecified", "pending", "in_progress", "completed", "failed", "unavailable"],
                    },
                    "current_revision": array(STRING),
                    "target_revision": array(STRING),
                    "progress_in_percent": NUMBER,
                    "message": STRING,
                },
                required=["status"],
                description="The migration service's status; only `status` and `message` when it is unreachable.",
            ),
            "services": {
                "type": "object",
                "description": "Each internal service's gRPC health status.",
                "additionalProperties": {
                    "type": "string",
                    "enum": ["UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN", "UNAVAILABLE"],
                },
            },
        },
        additional=ref("RasaHealth"),
        description="Besides `database_migration` and `services`, one entry per environment "
        "(CONVERSELY_RASA_ENVIRONMENTS), named after it, as Rasa X answered.",
    ),
    "RasaHealth": {
        "description": "An environment's Rasa server: its versions, or the status it answered (503 when it did not "
        "answer within 2.5 s) and why.",
        "anyOf": [
            obj({"version": STRING, "minimum_compatible_version": STRING, "status": {"const": 200}}),
            obj({"status": {"type": "integer", "minimum": 400, "maximum": 599}, "message": STRING}),
        ],
    },
    "Version": obj(
        {
            "rasa": {
                "type": "object",
                "description": "The Rasa version of each environment whose server answered.",
                "additionalProperties": STRING,
            },
            "conversely": STRING,
            "keys": array(
                obj({"alg": {"const": "RS256"}, "key": STRING}),
                description="The public key Rasa's `rasa` chat channel verifies access tokens with (PEM).",
            ),
        }
    ),
}

PATHS: dict[str, Schema] = {
    "/api/health": {
        "get": operation(
            "Whether the Rasa servers and internal services answer, and the database migration status",
            TAG,
            {200: json_response("The status; answered even while services are down.", ref("Health"))},
        )
    },
    "/api/version": {
        "get": operation(
            "Conversely's version and the public key of its access tokens",
            TAG,
            {200: json_response("The versions and keys.", ref("Version"))},
        )
    },
    "/api/openapi.json": {
        "get": operation(
            "This OpenAPI document",
            TAG,
            {200: json_response("The OpenAPI 3.1 document of the gateway's API.", ANY_OBJECT)},
        )
    },
}
