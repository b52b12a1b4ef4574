"""Stories, rules, test stories, responses, domain, actions, config and project import/export."""

from __future__ import annotations

from gateway.openapi.schema import (
    ANY_OBJECT,
    ANYTHING,
    BAD_REQUEST,
    BOOLEAN,
    COUNT,
    INT32_MAX,
    INT64_MAX,
    NON_EMPTY_STRING,
    NUMBER,
    STRING,
    TOO_LARGE,
    Schema,
    array,
    failure,
    json_body,
    json_response,
    no_content,
    nullable,
    obj,
    operation,
    path,
    query,
    ref,
)

STORIES_TAG = "Stories"
RESPONSES_TAG = "Responses"
DOMAIN_TAG = "Domain"
PROJECT_TAG = "Project files"

PROJECT_ID = path("project_id", {"type": "string", "enum": ["default"]}, "The project; Rasa X has only `default`.")
PROJECT_NOT_FOUND = failure("No such project (the only one is `default`).")
ID: Schema = {"type": "integer", "minimum": 0, "maximum": INT64_MAX}
YAML_TOO_LARGE = failure("The body is larger than 10,000,000 bytes.")
IMPORT_TOO_LARGE = failure(
    "The files are larger than 20,000,000 bytes in all, or than one message to storage holds (16 MiB): import "
    "them in parts."
)
TOTAL_COUNT = {"X-Total-Count": {"$ref": "#/components/headers/X-Total-Count"}}
PAGE = [
    query("limit", {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}, "At most this many."),
    query("offset", {"type": "integer", "minimum": 0, "maximum": INT32_MAX, "default": 0}, "Skip this many."),
]
IDS_BODY = json_body(
    obj({"ids": array(ID, minItems=1, maxItems=1000)}, additional=True),
    "The ids to delete, 1 to 1,000; ids that name nothing are left out of the count.",
)
DELETED = json_response("How many were deleted.", obj({"deleted_count": COUNT}))
# A YAML document as schemathesis and clients see it once parsed: Rasa files are mappings.
YAML_DOCUMENT: Schema = {"type": ["object", "null"]}


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


STORIES_YAML: Schema = {
    "anyOf": [
        obj(
            {"version": STRING, "stories": array(ANY_OBJECT), "rules": array(ANY_OBJECT)},
            required=[],
            additional=True,
        ),
        array(ANY_OBJECT),
    ],
    "description": "A Rasa 3 training data file (`stories:` or `rules:` at the top), or just the list of blocks.",
}
STORY_ID = path("story_id", ID, "The story's id.")
STORY_BAD_YAML = failure("The body is not Rasa 3 YAML of this kind; `message` names the line and the problem.")


def _story_paths(plural: str, noun: str, yaml_key: str) -> dict[str, Schema]:
    item = ref("StoryItem")
    file_schema = obj({"version": STRING, yaml_key: array(ANY_OBJECT)})
    return {
        f"/api/{plural}": {
            "get": operation(
                f"List {noun}s; by `Accept`, as JSON items or as one Rasa 3 YAML file",
                STORIES_TAG,
                {
                    200: {
                        "description": f"One page of {noun}s, in the order they were created: JSON items, or with "
                        f"`Accept: application/x-yaml` (or `text/yaml`) a Rasa 3 file with the blocks under "
                        f"`{yaml_key}:`.",
                        "headers": TOTAL_COUNT,
                        "content": {
                            "application/json": {"schema": array(item)},
                            "application/x-yaml": {"schema": file_schema},
                        },
                    },
                    400: BAD_REQUEST,
                },
                parameters=[
                    query("q", STRING, f"Only {noun}s whose name or YAML contains this (any case)."),
                    {
                        "name": "id",
                        "in": "query",
                        "required": False,
                        "description": f"Only the {noun}s with these ids (comma-separated).",
                        "style": "form",
                        "explode": False,
                        "schema": array(ID),
                    },
                    *PAGE,
                ],
            ),
            "post": operation(
                f"Add {noun}s from Rasa 3 YAML",
                STORIES_TAG,
                {
                    201: json_response(f"The stored {noun}s, one per block.", array(item)),
                    400: STORY_BAD_YAML,
                    413: YAML_TOO_LARGE,
                },
                body=yaml_body("story", STORIES_YAML, f"One or more {noun} blocks."),
            ),
            "put": operation(
                f"Replace every {noun} with the blocks of Rasa 3 YAML",
                STORIES_TAG,
                {
                    200: json_response(f"The stored {noun}s.", array(item)),
                    400: STORY_BAD_YAML,
                    413: YAML_TOO_LARGE,
                },
                body=yaml_body("story", STORIES_YAML, f"The {noun}s to keep; every other {noun} is deleted."),
            ),
            "delete": operation(
                f"Delete {noun}s by id",
                STORIES_TAG,
                {200: DELETED, 400: BAD_REQUEST, 413: TOO_LARGE},
                body=IDS_BODY,
                description=f"Ids of other kinds than {noun}s are left alone.",
            ),
        },
        f"/api/{plural}/{{story_id}}": {
            "get": operation(
                f"One {noun}",
                STORIES_TAG,
                {200: json_response(f"The {noun}.", item), 404: failure(f"No {noun} with this id.")},
                parameters=[STORY_ID],
            ),
            "put": operation(
                f"Replace one {noun} with a single YAML block",
                STORIES_TAG,
                {
                    200: json_response(f"The stored {noun}.", item),
                    400: STORY_BAD_YAML,
                    404: failure(f"No {noun} with this id."),
                    413: YAML_TOO_LARGE,
                },
                parameters=[STORY_ID],
                body=yaml_body("story", STORIES_YAML, f"Exactly one {noun} block."),
            ),
            "delete": operation(
                f"Delete one {noun}",
                STORIES_TAG,
                {204: no_content("Deleted."), 404: failure(f"No {noun} with this id.")},
                parameters=[STORY_ID],
            ),
        },
    }


def _conversation_path(noun: str, description: str) -> Schema:
    return {
        "post": operation(
            f"Save a conversation as a {noun}",
            STORIES_TAG,
            {
                201: json_response(f"The stored {noun}.", ref("StoryItem")),
                400: failure("The body is not valid, or the conversation makes no story storage accepts."),
                403: failure("Without `conversations.view.metadata.list`, only the conversations the caller created."),
                404: failure("No conversation with this sender id."),
                413: TOO_LARGE,
            },
            parameters=[
                path("sender_id", NON_EMPTY_STRING, "The conversation's sender id; percent-encode a `/` as `%2F`.")
            ],
            body={
                "required": False,
                "description": f'`{{"name": ...}}`, the {noun}\'s name; without a body, the sender id.',
                "content": {
                    "application/json": {
                        "schema": obj({"name": {"type": "string", "minLength": 1, "maxLength": 1000}}, required=[])
                    }
                },
            },
            description=description,
        )
    }


RESPONSE_CONTENT: dict[str, Schema] = {
    "text": STRING,
    "image": {"type": "string", "description": "The image's URL."},
    "buttons": array(obj({"title": STRING, "payload": STRING}, additional=True)),
    "custom": ANY_OBJECT,
    "attachment": {"not": {"type": "null"}},
    "elements": array(ANYTHING),
    "quick_replies": array(ANYTHING),
    "channel": {"type": "string", "description": "Only on this output channel."},
    "condition": array(ANY_OBJECT, description="Slot conditions, e.g. `{type: slot, name: x, value: y}`."),
    "metadata": ANY_OBJECT,
}
SHOWN = ("text", "image", "buttons", "custom", "attachment", "elements", "quick_replies")
RESPONSE_ID = path("response_id", ID, "The variation's id.")
RESPONSE_NOT_FOUND = failure("No response variation with this id.")

SCHEMAS: dict[str, Schema] = {
    "Annotation": obj(
        {"user": nullable(STRING), "time": nullable(NUMBER)},
        description="Who last changed it, and when (Unix seconds).",
    ),
    "StoryItem": obj(
        {
            "id": {"type": "integer"},
            "name": STRING,
            "story": {"type": "string", "description": "The block as Rasa 3 YAML, e.g. `- story: ...`."},
            "annotation": ref("Annotation"),
            "filename": nullable({"type": "string", "description": "The file it came from; null: the default."}),
            "is_rule": BOOLEAN,
        },
        description="Rasa X's story, rule or test story.",
    ),
    "ResponseVariation": {
        **obj(
            {"response_name": NON_EMPTY_STRING, **RESPONSE_CONTENT},
            required=["response_name"],
            additional=True,
            description="One variation of a response: Rasa's content keys; at least one of "
            f"{', '.join(SHOWN)}. Other keys are kept as they are; `id` and `annotation` are ignored.",
        ),
        "anyOf": [{"required": [key]} for key in SHOWN],
    },
    "ResponseItem": obj(
        {"id": {"type": "integer"}, "response_name": STRING, "annotation": ref("Annotation"), **RESPONSE_CONTENT},
        required=["id", "response_name", "annotation"],
        additional=True,
        description="Rasa X's response: the variation's content keys, its id, response name and annotation.",
    ),
    "ResponseGroup": obj({"name": STRING, "variation_count": COUNT}),
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

NAME_BODY = json_body(obj({"name": NON_EMPTY_STRING}, additional=True), '`{"name": ...}`.')
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
ACTION_NOT_FOUND = failure("No such project or action.")
YAML_FILE = {"type": "string", "contentMediaType": "application/x-yaml"}

PATHS: dict[str, Schema] = {
    **_story_paths("stories", "story", "stories"),
    **_story_paths("rules", "rule", "rules"),
    **_story_paths("test_stories", "test story", "stories"),
    "/api/conversations/{sender_id}/stories": _conversation_path(
        "story", "User messages become intents (a reviewer's correction wins) with their entities."
    ),
    "/api/conversations/{sender_id}/test_stories": _conversation_path(
        "test story",
        "An end-to-end test story: user messages keep their text, with located entities marked as "
        "`[text](entity)`, and their intent (a reviewer's correction wins).",
    ),
    "/api/responses": {
        "get": operation(
            "List response variations",
            RESPONSES_TAG,
            {
                200: json_response("One page of variations, by name.", array(ref("ResponseItem")), TOTAL_COUNT),
                400: BAD_REQUEST,
            },
            parameters=[
                query("q", STRING, "Only variations whose name or text contains this (any case)."),
                query("response_name", STRING, "Only the variations of this response."),
                *PAGE,
            ],
        ),
        "post": operation(
            "Add a response variation",
            RESPONSES_TAG,
            {
                201: json_response("The stored variation.", ref("ResponseItem")),
                400: BAD_REQUEST,
                413: TOO_LARGE,
            },
            body=json_body(ref("ResponseVariation"), "The variation."),
        ),
        "put": operation(
            "Replace every response with these variations",
            RESPONSES_TAG,
            {
                200: json_response("How many variations are stored now.", obj({"response_count": COUNT})),
                400: BAD_REQUEST,
                413: TOO_LARGE,
            },
            body=json_body(array(ref("ResponseVariation")), "Every variation to keep."),
        ),
        "delete": operation(
            "Delete response variations by id",
            RESPONSES_TAG,
            {200: DELETED, 400: BAD_REQUEST, 413: TOO_LARGE},
            body=IDS_BODY,
        ),
    },
    "/api/responses/{response_id}": {
        "put": operation(
            "Replace one response variation",
            RESPONSES_TAG,
            {
                200: json_response("The stored variation.", ref("ResponseItem")),
                400: BAD_REQUEST,
                404: RESPONSE_NOT_FOUND,
                413: TOO_LARGE,
            },
            parameters=[RESPONSE_ID],
            body=json_body(ref("ResponseVariation"), "The variation."),
        ),
        "delete": operation(
            "Delete one response variation",
            RESPONSES_TAG,
            {204: no_content("Deleted."), 404: RESPONSE_NOT_FOUND},
            parameters=[RESPONSE_ID],
        ),
    },
    "/api/responseGroups": {
        "get": operation(
            "List response names with their number of variations",
            RESPONSES_TAG,
            {200: json_response("The response groups.", array(ref("ResponseGroup")))},
            parameters=[query("q", STRING, "Only names containing this (any case).")],
        )
    },
    "/api/responseGroups/{response_name}": {
        "put": operation(
            "Rename a response everywhere",
            RESPONSES_TAG,
            {
                200: json_response("The renamed response group.", ref("ResponseGroup")),
                400: BAD_REQUEST,
                404: failure("No response with this name."),
                409: failure("A response with the new name exists already."),
                413: TOO_LARGE,
            },
            parameters=[path("response_name", NON_EMPTY_STRING, "The response's name, e.g. `utter_greet`.")],
            body=NAME_BODY,
            description="Renames its variations, and the response in the domain's actions, stories and rules.",
        )
    },
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
