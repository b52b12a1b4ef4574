"""What reviewers add to conversations: review status, tags, message flags and intent corrections."""

from __future__ import annotations

from gateway.openapi.conversations import NOT_FOUND, NOT_YOURS, REVIEW_STATUS, SENDER_ID
from gateway.openapi.schema import (
    BAD_REQUEST,
    ID,
    INT64_MAX,
    NOT_BLANK,
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
    ref,
)

TAG = "Review"
TAG_ID = path("tag_id", ID, "The tag's id.")
MESSAGE_TIMESTAMP = path("message_timestamp", NUMBER, "The message's event timestamp (Unix seconds).")
MESSAGE_NOT_FOUND = failure("No such conversation, or no message with this timestamp in it.")

TAG_PROPERTIES: dict[str, Schema] = {"id": {"type": "integer"}, "value": STRING, "color": STRING}

SCHEMAS: dict[str, Schema] = {
    "Tag": obj(TAG_PROPERTIES, description="A coloured label on conversations."),
    "TagWithConversations": obj(
        {**TAG_PROPERTIES, "conversations": array(STRING, description="Sender ids of the tagged conversations.")}
    ),
    "NewTag": obj(
        {
            "id": {
                "type": ["integer", "null"],
                "minimum": 0,
                "maximum": INT64_MAX,
                "description": "An existing tag's id; then value and color are unused.",
            },
            "value": {"type": ["string", "null"], "description": "The tag's text; created if no tag has it."},
            "color": {"type": ["string", "null"], "description": "Six hex digits (e.g. `ff8800`) for a new tag."},
        },
        required=[],
        additional=True,
        description="A tag to assign: an existing one by id, or one by value (created with the colour if new).",
    ),
}

PATHS: dict[str, Schema] = {
    "/api/conversations/tags": {
        "get": operation(
            "Every tag, with the conversations it is on",
            TAG,
            {200: json_response("The tags.", array(ref("TagWithConversations")))},
        )
    },
    "/api/conversations/tags/{tag_id}": {
        "delete": operation(
            "Delete a tag and take it off every conversation",
            TAG,
            {204: no_content("Deleted."), 404: failure("No tag with this id.")},
            parameters=[TAG_ID],
        )
    },
    "/api/conversations/{sender_id}/reviewStatus": {
        "put": operation(
            "Mark a conversation unread, reviewed or saved for later",
            TAG,
            {204: no_content("Set."), 400: BAD_REQUEST, 403: NOT_YOURS, 404: NOT_FOUND, 413: TOO_LARGE},
            parameters=[SENDER_ID],
            body=json_body(obj({"review_status": REVIEW_STATUS}, additional=True), "The new review status."),
        )
    },
    "/api/conversations/{sender_id}/tags": {
        "get": operation(
            "A conversation's tags",
            TAG,
            {200: json_response("The tags.", array(ref("Tag"))), 403: NOT_YOURS, 404: NOT_FOUND},
            parameters=[SENDER_ID],
        ),
        "post": operation(
            "Assign tags to a conversation, creating new ones",
            TAG,
            {
                201: json_response("Every tag the conversation has now.", array(ref("Tag"))),
                400: BAD_REQUEST,
                403: NOT_YOURS,
                404: failure("No such conversation, or no tag with a given id."),
                413: TOO_LARGE,
            },
            parameters=[SENDER_ID],
            body=json_body(array(ref("NewTag"), minItems=1), "The tags to assign."),
        ),
    },
    "/api/conversations/{sender_id}/tags/{tag_id}": {
        "delete": operation(
            "Take a tag off a conversation",
            TAG,
            {
                204: no_content("Removed."),
                403: NOT_YOURS,
                404: failure("No such conversation, or the tag is not on it."),
            },
            parameters=[SENDER_ID, TAG_ID],
        )
    },
    "/api/conversations/{sender_id}/messages/{message_timestamp}/flag": {
        "put": operation(
            "Flag a message",
            TAG,
            {201: no_content("Flagged."), 400: BAD_REQUEST, 403: NOT_YOURS, 404: MESSAGE_NOT_FOUND},
            parameters=[SENDER_ID, MESSAGE_TIMESTAMP],
        ),
        "delete": operation(
            "Unflag a message",
            TAG,
            {204: no_content("Unflagged."), 400: BAD_REQUEST, 403: NOT_YOURS, 404: MESSAGE_NOT_FOUND},
            parameters=[SENDER_ID, MESSAGE_TIMESTAMP],
        ),
    },
    "/api/conversations/{sender_id}/messages/{message_timestamp}/intent": {
        "put": operation(
            "Correct the intent of a user message",
            TAG,
            {
                204: no_content("Recorded; it replaces an earlier correction."),
                400: BAD_REQUEST,
                403: NOT_YOURS,
                404: MESSAGE_NOT_FOUND,
                413: TOO_LARGE,
            },
            parameters=[SENDER_ID, MESSAGE_TIMESTAMP],
            body=json_body(
                obj(
                    {"intent": NOT_BLANK, "mapped_to": nullable(STRING), "user_goal": nullable(STRING)},
                    required=["intent"],
                    additional=True,
                ),
                "The intent the message really had.",
            ),
        ),
        "delete": operation(
            "Remove a message's intent correction",
            TAG,
            {
                204: no_content("Removed."),
                400: BAD_REQUEST,
                403: NOT_YOURS,
                404: failure("No such conversation, or no correction of this message."),
            },
            parameters=[SENDER_ID, MESSAGE_TIMESTAMP],
        ),
    },
}
