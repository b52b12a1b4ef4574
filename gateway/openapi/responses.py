"""Responses (the bot's utterances, one item per variation) and response groups (the variations of one name)."""

from __future__ import annotations

from gateway.openapi.schema import (
    ANY_OBJECT,
    ANYTHING,
    BAD_REQUEST,
    COUNT,
    DELETED,
    ID,
    IDS_BODY,
    LIMIT,
    NAME_BODY,
    NON_EMPTY_STRING,
    OFFSET,
    STRING,
    TOO_LARGE,
    TOTAL_COUNT,
    Schema,
    array,
    failure,
    json_body,
    json_response,
    no_content,
    obj,
    operation,
    path,
    query,
    ref,
)

RESPONSES_TAG = "Responses"

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
        {
            "id": {"type": "integer"},
            "response_name": STRING,
            "annotation": ref("Annotation"),
            **RESPONSE_CONTENT,
            # Kept as sent: a variation stored with `attachment: null` beside its text shows it.
            "attachment": ANYTHING,
        },
        required=["id", "response_name", "annotation"],
        additional=True,
        description="Rasa X's response: the variation's content keys, its id, response name and annotation.",
    ),
    "ResponseGroup": obj({"name": STRING, "variation_count": COUNT}),
}

PATHS: dict[str, Schema] = {
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
                LIMIT,
                OFFSET,
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
}
