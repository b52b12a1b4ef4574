"""Conversations: the filtered list, export, tracker, messages, deletion, statistics and the filter dropdowns."""

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
    Schema,
    array,
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

TAG = "Conversations"
OPTIONS_TAG = "Filter options"
REVIEW_STATUS: Schema = {"type": "string", "enum": ["unread", "reviewed", "saved_for_later"]}
CONFIDENCE: Schema = {"type": "number", "minimum": 0, "maximum": 1}
POINT_IN_TIME: Schema = {
    "anyOf": [NUMBER, {"type": "string", "format": "date-time"}],
    "description": "Unix seconds, or an ISO-8601 time (UTC when it names no zone).",
}
BOOLEAN_SPELLINGS = "`true`/`false` (also `1`/`0`, `yes`/`no`)"

SENDER_ID = path(
    "sender_id",
    NON_EMPTY_STRING,
    "The conversation's sender id; percent-encode a `/` in it as `%2F`.",
)
NOT_FOUND = failure("No conversation with this sender id.")
NOT_YOURS = failure("Without `conversations.view.metadata.list`, only the conversations the caller created.")

CONVERSATION_FILTERS = [
    query("start", POINT_IN_TIME, "Only conversations whose latest event is at or after this time."),
    query("until", POINT_IN_TIME, "Only conversations whose latest event is at or before this time."),
    comma_list("intent", STRING, "Only conversations with any of these intents."),
    comma_list("entity", STRING, "Only conversations with any of these entities."),
    comma_list("action", STRING, "Only conversations with any of these actions."),
    comma_list("policies", STRING, "Only conversations where any of these policies predicted an action."),
    comma_list(
        "slots",
        {"type": "string", "pattern": r"^\s*[^\s:,][^:,]*:[^,]*$"},
        "Only conversations that set any of these slots: `NAME:VALUE` items, the value matched as a substring.",
    ),
    comma_list("input_channels", STRING, "Only conversations whose latest input channel is one of these."),
    query("text", STRING, "Only conversations with a user message containing this text (any case)."),
    query(
        "minimumUserMessages",
        {"type": "integer", "minimum": 0, "maximum": INT32_MAX, "default": 0},
        "Only conversations with at least this many user messages.",
    ),
    query("minimumConfidence", CONFIDENCE, "Lower bound of the conversation's lowest action confidence."),
    query("maximumConfidence", CONFIDENCE, "Upper bound of the conversation's lowest action confidence."),
    query("minimumNluConfidence", CONFIDENCE, "Lower bound of the conversation's lowest intent confidence."),
    query("maximumNluConfidence", CONFIDENCE, "Upper bound of the conversation's lowest intent confidence."),
    query("in_training_data", BOOLEAN, f"Only conversations (not) covered by training stories; {BOOLEAN_SPELLINGS}."),
    query("review_status", REVIEW_STATUS, "Only conversations with this review status."),
    comma_list(
        "tags_any",
        {"type": "integer", "minimum": 1, "maximum": INT64_MAX},
        "Only conversations with any of these tag ids.",
    ),
    query(
        "is_flagged", {**BOOLEAN, "default": False}, f"Only conversations with a flagged message; {BOOLEAN_SPELLINGS}."
    ),
    query(
        "interactive", {**BOOLEAN, "default": True}, f"Include interactive-learning conversations; {BOOLEAN_SPELLINGS}."
    ),
    query(
        "exclude_self",
        {**BOOLEAN, "default": False},
        f"Leave out the conversations the caller created; {BOOLEAN_SPELLINGS}.",
    ),
    query(
        "rasa_environment",
        {"type": "string", "default": "production"},
        "Only conversations with events from this Rasa environment (an empty value means the default).",
    ),
    query(
        "sort_by_latest_event_time",
        {**BOOLEAN, "default": True},
        f"Latest event first; {BOOLEAN_SPELLINGS}.",
    ),
    query(
        "sort_by_confidence",
        {**BOOLEAN, "default": True},
        f"Highest lowest-action-confidence first, when filtering on `in_training_data=false`; {BOOLEAN_SPELLINGS}.",
    ),
]
PAGE = [
    query(
        "limit",
        {"type": "integer", "minimum": 0, "maximum": 1000, "default": 1000},
        "At most this many conversations.",
    ),
    query("offset", {"type": "integer", "minimum": 0, "maximum": INT32_MAX, "default": 0}, "Skip this many first."),
]
EVENT_WINDOW = [
    query("since", NUMBER, "Only events at or after this time (Unix seconds)."),
    query("until", NUMBER, "Only events at or before this time (Unix seconds)."),
]
OPTIONS_PARAMETERS = [
    query("q", STRING, "Only values containing this text (any case)."),
    query("limit", {"type": "integer", "minimum": 1, "maximum": 1000, "default": 1000}, "At most this many values."),
]
VALUES = json_response("The distinct values, sorted.", array(STRING))

TRACKER: dict[str, Schema] = {
    "sender_id": STRING,
    "slots": ANY_OBJECT,
    "latest_message": ANY_OBJECT,
    "latest_event_time": nullable(NUMBER),
    "followup_action": nullable(STRING),
    "paused": BOOLEAN,
    "events": array(ref("Event")),
    "latest_input_channel": nullable(STRING),
    "active_loop": ANY_OBJECT,
    "latest_action_name": nullable(STRING),
}
MESSAGE: Schema = {
    "allOf": [ref("Event")],
    "type": "object",
    "required": ["type", "data"],
    "properties": {"type": {"enum": ["user", "bot", "agent"]}, "data": ANYTHING},
}

SCHEMAS: dict[str, Schema] = {
    "ConversationItem": obj(
        {
            "sender_id": STRING,
            "sender_name": STRING,
            "latest_event_time": NUMBER,
            "latest_input_channel": nullable(STRING),
            "intents": array(STRING),
            "actions": array(STRING),
            "entities": array(STRING),
            "policies": array(STRING),
            "slots": array(STRING, description="`name:value` pairs seen."),
            "rasa_environments": array(STRING),
            "minimum_action_confidence": nullable(NUMBER),
            "maximum_action_confidence": nullable(NUMBER),
            "minimum_intent_confidence": nullable(NUMBER),
            "maximum_intent_confidence": nullable(NUMBER),
            "in_training_data": BOOLEAN,
            "review_status": REVIEW_STATUS,
            "n_user_messages": COUNT,
            "n_bot_messages": COUNT,
            "number_of_events": COUNT,
            "has_flagged_messages": BOOLEAN,
            "corrected_messages": array(obj({"message_timestamp": NUMBER, "intent": STRING})),
            "interactive": BOOLEAN,
            "tags": array({"type": "integer"}, description="The ids of the conversation's tags."),
            "created_by": nullable(STRING),
        },
        description="Rasa X's conversation list item.",
    ),
    "Event": obj(
        {
            "event": STRING,
            "timestamp": NUMBER,
            "metadata": obj(
                {"rasa_x_flagged": BOOLEAN, "rasa_x_id": {"type": "integer"}},
                additional=True,
                description="The event's metadata plus Rasa X's flag and event id.",
            ),
            "is_flagged": BOOLEAN,
        },
        additional=True,
        description="A Rasa event exactly as Rasa sent it, plus Rasa X's `is_flagged` and metadata.",
    ),
    "Tracker": obj(TRACKER, description="Rasa's tracker state, replayed from the conversation's events."),
    "TrackerWithMessages": obj(
        {**TRACKER, "messages": array(MESSAGE)},
        description="The tracker plus `messages`: its user, bot and agent events with Rasa X's `type` and `data`.",
    ),
    "Story": obj(
        {
            "version": STRING,
            "stories": array(obj({"story": STRING, "steps": array(ANY_OBJECT)})),
        },
        description="A Rasa 3.x stories file with this conversation as its one story.",
    ),
    "ExportedConversation": obj(
        {"sender_id": STRING, "conversation": ref("ConversationItem"), "events": array(ref("Event"))},
        description="One line of the conversations export.",
    ),
    "Statistics": obj(
        {
            "conversations": COUNT,
            "events": COUNT,
            "user_messages": COUNT,
            "bot_messages": COUNT,
            "top_intents": array(obj({"intent": STRING, "count": COUNT})),
            "top_actions": array(obj({"action": STRING, "count": COUNT})),
            "top_entities": array(obj({"entity": STRING, "count": COUNT})),
            "top_policies": array(obj({"policy": STRING, "count": COUNT})),
        }
    ),
}


def _options(summary: str, extra: list[Schema] | None = None) -> Schema:
    return operation(
        summary,
        OPTIONS_TAG,
        {200: VALUES, 400: BAD_REQUEST},
        parameters=[*(extra or []), *OPTIONS_PARAMETERS],
    )


PATHS: dict[str, Schema] = {
    "/api/conversations": {
        "get": operation(
            "List conversations matching Rasa X's filters, one page",
            TAG,
            {200: listing("One page of conversations.", ref("ConversationItem")), 400: BAD_REQUEST},
            parameters=[*CONVERSATION_FILTERS, *PAGE],
            description="Callers without `conversations.view.metadata.list` see only the conversations they created.",
        )
    },
    "/api/conversations/export": {
        "get": operation(
            "Export every matching conversation with its events, as JSON lines",
            TAG,
            {
                200: {
                    "description": "One `ExportedConversation` JSON object per line, streamed.",
                    "headers": {"Content-Disposition": {"schema": STRING, "required": True}},
                    "content": {"application/x-ndjson": {"schema": STRING}},
                },
                400: BAD_REQUEST,
            },
            parameters=CONVERSATION_FILTERS,
        )
    },
    "/api/statistics": {
        "get": operation(
            "Message counts and the most frequent intents, actions, entities and policies",
            TAG,
            {200: json_response("The statistics.", ref("Statistics")), 400: BAD_REQUEST},
            parameters=[
                query(
                    "top",
                    {"type": "integer", "minimum": 1, "maximum": 100, "default": 10},
                    "How many of each to rank.",
                )
            ],
        )
    },
    "/api/conversations/{sender_id}/tracker": {
        "get": operation(
            "A conversation's tracker; by `Accept`, a JSON dump or a Rasa story",
            TAG,
            {
                200: {
                    "description": "The tracker (JSON; an attachment with `Accept: application/json`), or the "
                    "conversation as a YAML story with `Accept: application/x-yaml`, `text/yaml` or "
                    "`application/yaml`.",
                    "content": {
                        "application/json": {"schema": ref("Tracker")},
                        "application/x-yaml": {"schema": ref("Story")},
                    },
                },
                400: BAD_REQUEST,
                403: NOT_YOURS,
                404: NOT_FOUND,
                406: failure("`Accept: text/markdown`: Rasa 3 reads stories as YAML only."),
            },
            parameters=[SENDER_ID, *EVENT_WINDOW],
        )
    },
    "/api/conversations/{sender_id}/messages": {
        "get": operation(
            "A conversation's tracker plus its messages",
            TAG,
            {
                200: json_response("The tracker with `messages`.", ref("TrackerWithMessages")),
                400: BAD_REQUEST,
                403: NOT_YOURS,
                404: NOT_FOUND,
            },
            parameters=[SENDER_ID, *EVENT_WINDOW],
        )
    },
    "/api/conversations/{sender_id}": {
        "get": operation(
            "One conversation: review status, tags, flags, corrections and counts",
            TAG,
            {
                200: json_response("The conversation, as the list shows it.", ref("ConversationItem")),
                403: NOT_YOURS,
                404: NOT_FOUND,
            },
            parameters=[SENDER_ID],
        ),
        "delete": operation(
            "Delete a conversation and its events",
            TAG,
            {204: no_content("Deleted."), 403: NOT_YOURS, 404: NOT_FOUND},
            parameters=[SENDER_ID],
        ),
    },
    "/api/conversationActions": {"get": _options("Actions seen in conversations")},
    "/api/conversationIntents": {"get": _options("Intents seen in conversations")},
    "/api/conversationEntities": {"get": _options("Entities seen in conversations")},
    "/api/conversationPolicies": {"get": _options("Policies that predicted actions in conversations")},
    "/api/conversations/slotNames": {"get": _options("Slot names set in conversations")},
    "/api/conversations/slotValues": {
        "get": _options(
            "Values a slot was set to in conversations",
            [query("slot", NON_EMPTY_STRING, "The slot's name.", required=True)],
        )
    },
    "/api/conversations/inputChannels": {"get": _options("Input channels conversations came from")},
}
