"""The web UI's page and files: not part of the API, listed so that every route the gateway serves is described."""

from __future__ import annotations

from gateway.openapi.schema import Schema, failure, operation, path

TAG = "Web UI"
ASSET_PATH: Schema = {"type": "string", "pattern": "^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$", "maxLength": 300}

SCHEMAS: dict[str, Schema] = {}

PATHS: dict[str, Schema] = {
    "/": {
        "get": operation(
            "The web UI",
            TAG,
            {200: {"description": "The UI's single HTML page.", "content": {"text/html": {"schema": {}}}}},
            description="Screens are chosen by the URL's fragment (`/#/conversations`); the UI uses only this API.",
        )
    },
    "/static/{path}": {
        "get": operation(
            "A file of the web UI (ES module, style sheet, vendored library)",
            TAG,
            {
                200: {"description": "The file.", "content": {"*/*": {"schema": {}}}},
                304: {"description": "Not modified since the `If-None-Match` / `If-Modified-Since` given."},
                404: failure("No such file."),
            },
            parameters=[path("path", ASSET_PATH, "The file's path under the UI's folder, e.g. `js/main.js`.")],
        )
    },
}
