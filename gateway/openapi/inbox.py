"""The NLU inbox (Rasa X's "annotate new data"): user messages waiting to become training examples."""

from __future__ import annotations

from gateway.openapi.schema import (
    BAD_REQUEST,
    BOOLEAN,
    ID,
    MAX_TEXT_CHARS,
    NON_EMPTY_STRING,
    NUMBER,
    OFFSET,
    PROJECT_ID,
    PROJECT_NOT_FOUND,
    STRING,
    TOO_LARGE,
    Schema,
    comma_list,
    failure,
    json_response,
    listing,
    no_content,
    nullable,
    obj,
    operation,
    path,
    query,
    ref,
)

TAG = "NLU inbox"

SCHEMAS: dict[str, Schema] = {
    "InboxItem": obj(
        {
            "id": {"type": "integer"},
            "hash": {"type": "string", "description": "md5 of the text, as Rasa X computes it."},
            "text": STRING,
            "intent": nullable(STRING),
            "confidence": nullable(NUMBER),
            "user_input": obj(
                {"text": STRING, "intent": {}, "intent_ranking": {}, "entities": {}},
                required=[],
                additional=True,
                description="What Rasa's /model/parse answered: text, intent, intent_ranking, entities.",
            ),
            "conversation_id": nullable(STRING),
            "event_id": nullable({"type": "integer"}),
            "time": NUMBER,
            "model": nullable(STRING),
        },
        description="Rasa X's message log item, with the text, intent and confidence also at the top.",
    ),
}

PATHS: dict[str, Schema] = {
    "/api/projects/{project_id}/logs": {
        "get": operation(
            "List inbox messages",
            TAG,
            {200: listing("One page of inbox messages.", ref("InboxItem")), 400: BAD_REQUEST, 404: PROJECT_NOT_FOUND},
            parameters=[
                PROJECT_ID,
                query("q", STRING, "Only messages containing this text (any case)."),
                comma_list("intent", STRING, "Only messages predicted as any of these intents."),
                query(
                    "sort_by",
                    {"type": "string", "enum": ["id", "time", "confidence"], "default": "id"},
                    "The order.",
                ),
                query("sort_order", {"type": "string", "enum": ["asc", "desc"], "default": "desc"}, "Its direction."),
                query(
                    "exclude_training_data",
                    {**BOOLEAN, "default": True},
                    "Leave out messages whose text already is a training example; `true`/`false` (also `1`/`0`, "
                    "`yes`/`no`).",
                ),
                query("limit", {"type": "integer", "minimum": 1, "maximum": 1000, "default": 20}, "At most this many."),
                OFFSET,
            ],
        ),
        "post": operation(
            "Add a message to the inbox",
            TAG,
            {
                201: json_response("The inbox message (stored unparsed: no intent).", ref("InboxItem")),
                400: BAD_REQUEST,
                404: PROJECT_NOT_FOUND,
                413: TOO_LARGE,
            },
            parameters=[
                PROJECT_ID,
                query(
                    "q", {"type": "string", "maxLength": MAX_TEXT_CHARS}, "The text; when given, the body is unused."
                ),
            ],
            body={
                "required": False,
                "description": 'The text, when `q` is not given: a JSON string or `{"text": ...}`.',
                "content": {
                    "application/json": {
                        "schema": {
                            "anyOf": [
                                {"type": "string", "maxLength": MAX_TEXT_CHARS},
                                obj({"text": {"type": "string", "maxLength": MAX_TEXT_CHARS}}, additional=True),
                            ]
                        }
                    }
                },
            },
            description="The text must not be blank and may be at most 10,000 characters long.",
        ),
    },
    "/api/projects/{project_id}/logs/{log_id}": {
        "get": operation(
            "One inbox message, by id or by the md5 hash of its text",
            TAG,
            {
                200: json_response("The inbox message.", ref("InboxItem")),
                404: failure("No such project or inbox message."),
            },
            parameters=[PROJECT_ID, path("log_id", NON_EMPTY_STRING, "The message's id, or the md5 of its text.")],
        ),
        "delete": operation(
            "Remove a message from the inbox",
            TAG,
            {204: no_content("Removed."), 404: failure("No such project or inbox message.")},
            parameters=[
                PROJECT_ID,
                path("log_id", ID, "The message's id."),
            ],
        ),
    },
}
