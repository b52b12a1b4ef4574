"""Stories, rules and test stories, and saving a conversation as one."""

from __future__ import annotations

from gateway.openapi.schema import (
    ANY_OBJECT,
    BAD_REQUEST,
    BOOLEAN,
    DELETED,
    ID,
    IDS_BODY,
    LIMIT,
    NON_EMPTY_STRING,
    NUMBER,
    OFFSET,
    STRING,
    TOO_LARGE,
    TOTAL_COUNT,
    YAML_TOO_LARGE,
    Schema,
    array,
    failure,
    json_response,
    no_content,
    nullable,
    obj,
    operation,
    path,
    query,
    ref,
    yaml_body,
)

STORIES_TAG = "Stories"

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
                    LIMIT,
                    OFFSET,
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


SCHEMAS: dict[str, Schema] = {
    # Responses' items carry one too (`ResponseItem` in responses.py).
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
}

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
}
