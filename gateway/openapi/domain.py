"""The domain, its custom actions, the model configuration, and importing and exporting project files."""

from __future__ import annotations

from gateway.openapi.schema import (
    BAD_REQUEST,
    BOOLEAN,
    COUNT,
    ID,
    NAME_BODY,
    NON_EMPTY_STRING,
    PROJECT_ID,
    PROJECT_NOT_FOUND,
    STRING,
    TOO_LARGE,
    YAML_TOO_LARGE,
    Schema,
    array,
    failure,
    json_response,
    no_content,
    not_in_project,
    obj,
    operation,
    path,
    query,
    ref,
    yaml_body,
)

DOMAIN_TAG = "Domain"
PROJECT_TAG = "Project files"
IMPORT_TOO_LARGE = failure(
    "The files are larger than 20,000,000 bytes in all, or than one message to storage holds (16 MiB): import "
    "them in parts."
)
# A YAML document as schemathesis and clients see it once parsed: Rasa files are mappings.
YAML_DOCUMENT: Schema = {"type": ["object", "null"]}

SCHEMAS: dict[str, Schema] = {
    "Action": obj(
        {"id": {"type": "integer"}, "name": STRING, "is_form": BOOLEAN},
        description="A custom action or form of the domain.",
    ),
    "ImportResult": obj(
        {
            "mode": {"type": "string", "enum": ["merge", "replace"]},
            "summary": obj(
                {
                    "examples": COUNT,
                    "synonyms": COUNT,
                    "regexes": COUNT,
                    "lookup_tables": COUNT,
                    "stories": COUNT,
                    "rules": COUNT,
                    "test_stories": COUNT,
                    "responses": COUNT,
                    "domain": BOOLEAN,
                    "config": BOOLEAN,
                },
                description="How many of each the import stored; whether it stored a domain and a config.",
            ),
        }
    ),
    "ProjectFiles": obj(
        {
            "files": array(obj({"path": STRING, "content": STRING})),
            "fingerprint": {"type": "string", "description": "sha256 over the files: equal means equal data."},
        }
    ),
}

DOMAIN_ANSWER = {
    "description": "The domain as Rasa 3 YAML (responses included), or the parsed document for "
    "`Accept: application/json`.",
    "content": {
        "application/x-yaml": {"schema": YAML_DOCUMENT},
        "application/json": {"schema": YAML_DOCUMENT},
    },
}
SETTINGS_ANSWER = {
    "description": '`{"config": <config.yml as stored, comments kept>}`, or the YAML itself for '
    "`Accept: application/x-yaml` (or `text/yaml`).",
    "content": {
        "application/json": {"schema": obj({"config": STRING})},
        "application/x-yaml": {"schema": YAML_DOCUMENT},
    },
}
ACTION_ID = path("action_id", ID, "The action's id.")
ACTION_NOT_FOUND = not_in_project("action")
YAML_FILE = {"type": "string", "contentMediaType": "application/x-yaml"}

PATHS: dict[str, Schema] = {
    "/api/domain": {
        "get": operation("The domain", DOMAIN_TAG, {200: DOMAIN_ANSWER}),
        "put": operation(
            "Replace the domain",
            DOMAIN_TAG,
            {
                200: {**DOMAIN_ANSWER, "description": "The stored domain; `Accept` as for GET."},
                400: failure("The body is not a Rasa 3 domain; `message` names the line and the problem."),
                413: YAML_TOO_LARGE,
            },
            parameters=[
                query(
                    "store_responses",
                    {**BOOLEAN, "default": False},
                    "Also replace the stored responses with the domain's; `true`/`false` (also `1`/`0`, `yes`/`no`).",
                )
            ],
            body=yaml_body("domain", YAML_DOCUMENT, "A Rasa 3 domain."),
        ),
    },
    "/api/projects/{project_id}/actions": {
        "get": operation(
            "List the domain's custom actions and forms",
            DOMAIN_TAG,
            {200: json_response("The actions.", array(ref("Action"))), 404: PROJECT_NOT_FOUND},
            parameters=[PROJECT_ID],
        ),
        "post": operation(
            "Add a custom action to the domain",
            DOMAIN_TAG,
            {
                201: json_response("The action.", ref("Action")),
                400: BAD_REQUEST,
                404: PROJECT_NOT_FOUND,
                409: failure("The domain has this action already."),
                413: TOO_LARGE,
            },
            parameters=[PROJECT_ID],
            body=NAME_BODY,
        ),
    },
    "/api/projects/{project_id}/actions/{action_id}": {
        "put": operation(
            "Rename a custom action",
            DOMAIN_TAG,
            {
                200: json_response("The action.", ref("Action")),
                400: BAD_REQUEST,
                404: ACTION_NOT_FOUND,
                409: failure("The domain has an action with the new name already."),
                413: TOO_LARGE,
            },
            parameters=[PROJECT_ID, ACTION_ID],
            body=NAME_BODY,
        ),
        "delete": operation(
            "Remove a custom action from the domain",
            DOMAIN_TAG,
            {
                204: no_content("Removed."),
                404: ACTION_NOT_FOUND,
                409: failure("The action cannot be removed while it is in use."),
            },
            parameters=[PROJECT_ID, ACTION_ID],
        ),
    },
    "/api/projects/{project_id}/settings": {
        "get": operation(
            "The model configuration (config.yml)",
            DOMAIN_TAG,
            {200: SETTINGS_ANSWER, 404: PROJECT_NOT_FOUND},
            parameters=[PROJECT_ID],
        ),
        "put": operation(
            "Replace the model configuration (config.yml)",
            DOMAIN_TAG,
            {
                200: {**SETTINGS_ANSWER, "description": "The stored configuration; `Accept` as for GET."},
                400: failure("The body is not a Rasa 3 config; `message` names the line and the problem."),
                404: PROJECT_NOT_FOUND,
                413: YAML_TOO_LARGE,
            },
            parameters=[PROJECT_ID],
            body=yaml_body("config", YAML_DOCUMENT, "config.yml."),
        ),
    },
    "/api/projects/{project_id}/import": {
        "post": operation(
            "Import Rasa project files",
            PROJECT_TAG,
            {
                200: json_response("What the import stored.", ref("ImportResult")),
                400: failure(
                    "A file cannot be read (`message` names the file, line and problem), a path is absolute or "
                    "leaves the project, or there are more than 200 files; nothing was stored."
                ),
                404: PROJECT_NOT_FOUND,
                413: IMPORT_TOO_LARGE,
            },
            parameters=[
                PROJECT_ID,
                query(
                    "mode",
                    {"type": "string", "enum": ["merge", "replace"], "default": "merge"},
                    "`merge`: keep what the files do not mention (same-named items are replaced); `replace`: each "
                    "kind of data a file holds replaces everything stored of that kind.",
                ),
                query(
                    "path",
                    NON_EMPTY_STRING,
                    "For a single YAML file sent as the body: its path in the project, e.g. `data/nlu.yml`.",
                ),
            ],
            body={
                "required": True,
                "description": "multipart/form-data with one file part per project file (at most 200), each "
                "part's filename its path relative to the project folder (`domain.yml`, `data/nlu.yml`, "
                "`tests/test_stories.yml`); or one YAML file as the body, with `?path=`. At most 20,000,000 bytes.",
                "content": {
                    "multipart/form-data": {"schema": obj({"files": array(YAML_FILE)}, required=[], additional=True)},
                    "application/x-yaml": {"schema": YAML_DOCUMENT},
                    "text/plain": {"schema": NON_EMPTY_STRING},
                },
            },
            description="All or nothing: when any file cannot be read, nothing is stored.",
        )
    },
    "/api/projects/{project_id}/export": {
        "get": operation(
            "Export the project's files",
            PROJECT_TAG,
            {
                200: {
                    "description": "`project.zip` with config.yml, domain.yml, data/ and tests/; "
                    '`{"files", "fingerprint"}` for `Accept: application/json`.',
                    "headers": {
                        "ETag": {"description": "The fingerprint, quoted.", "required": True, "schema": STRING},
                    },
                    "content": {
                        "application/zip": {"schema": {"type": "string", "contentMediaType": "application/zip"}},
                        "application/json": {"schema": ref("ProjectFiles")},
                    },
                },
                404: PROJECT_NOT_FOUND,
            },
            parameters=[PROJECT_ID],
        )
    },
}
