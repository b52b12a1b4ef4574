"""Chat, the chat token and guest tokens, interactive learning, the push websocket."""

from __future__ import annotations

from gateway.openapi.accounts import TOO_MANY_ATTEMPTS
from gateway.openapi.conversations import NOT_FOUND, NOT_YOURS, SENDER_ID
from gateway.openapi.schema import (
    ANY_OBJECT,
    BAD_REQUEST,
    BOOLEAN,
    NOT_BLANK,
    NUMBER,
    STRING,
    TOO_LARGE,
    Schema,
    array,
    failure,
    json_body,
    json_response,
    obj,
    operation,
    query,
    ref,
)

TAG = "Chat"
INTERACTIVE_TAG = "Interactive learning"
SENDER_ID_VALUE: Schema = {"type": "string", "minLength": 1, "maxLength": 255, "pattern": r"\S"}
ENVIRONMENT = query(
    "environment",
    {"type": "string", "default": "production"},
    "The environment whose Rasa server gets the call (CONVERSELY_RASA_ENVIRONMENTS).",
)
NO_RASA_SERVER = failure("The environment has no Rasa server; `message` names CONVERSELY_RASA_ENVIRONMENTS.")
RASA_FAILED = failure("The Rasa server did not answer, or refused (`message` gives Rasa's reason).")
PUSH_PROTOCOL = (
    "The bot's answers come back through Rasa's event broker, not in this answer. Follow them on the websocket "
    '`/api/ws`: send `{"token": "<access token>"}` first (within 10 s, else the socket closes with 4408; a token '
    'that is not valid closes it with 4401), then `{"subscribe": "conversation:<conversation_id>"}` (or '
    '`"models"` for training jobs, with `models.view.models.jobs.list`) and `{"unsubscribe": ...}`. The server '
    'answers `{"type": "subscribed"|"unsubscribed", "topic"}` or `{"type": "error", "message"}` and pushes '
    '`{"topic", "type": "event", "event"}` for each of the conversation\'s new events. When the bot\'s answer does '
    "not arrive within CONVERSELY_CHAT_REPLY_TIMEOUT_S it pushes `NoReply`, which says why."
)
CHAT_RESPONSES: dict[int, Schema] = {
    200: json_response("Rasa's answer over HTTP (and, with `wait`, what arrived).", ref("ChatAnswer")),
    400: BAD_REQUEST,
    403: failure(
        "Another conversation than the caller's own, without `test_conversation.modify.clientEvents.create`, or one "
        "the caller may not open."
    ),
    409: NO_RASA_SERVER,
    413: TOO_LARGE,
    502: RASA_FAILED,
}
CHAT_PARAMETERS = [
    ENVIRONMENT,
    query(
        "wait",
        {**BOOLEAN, "default": False},
        "Wait for the bot's answer to arrive through the event broker (at most CONVERSELY_CHAT_REPLY_TIMEOUT_S) "
        "and include `events` and any `no_reply`.",
    ),
]
INTERACTIVE_RESPONSES: dict[int, Schema] = {
    400: BAD_REQUEST,
    403: NOT_YOURS,
    404: NOT_FOUND,
    409: NO_RASA_SERVER,
    502: RASA_FAILED,
}

SCHEMAS: dict[str, Schema] = {
    "ChatAnswer": obj(
        {
            "conversation_id": STRING,
            "messages": array(ANY_OBJECT, description="What Rasa answered over HTTP: `[{recipient_id, text, ...}]`."),
            "events": array(ANY_OBJECT, description="With `wait`: the conversation's events that arrived."),
            "no_reply": ref("NoReply"),
        },
        required=["conversation_id", "messages"],
    ),
    "NoReply": obj(
        {
            "topic": STRING,
            "type": {"const": "no_reply"},
            "reason": {"enum": ["EventsNotReachingConversely", "BotDidNotAnswer"]},
            "message": {"type": "string", "description": "Why, and what to fix."},
        },
        required=["type", "reason", "message"],
        description="The bot's answer did not arrive in time. `EventsNotReachingConversely`: Rasa answered over "
        "HTTP but its events do not reach Conversely (no event broker pointing at Conversely, or the event service "
        "is down); `BotDidNotAnswer`: the bot said nothing in time.",
    ),
    "ChatToken": obj(
        {
            "chat_token": STRING,
            "bot_name": STRING,
            "description": STRING,
            "expires": {"type": "integer", "description": "Unix seconds after which it no longer works."},
        },
        description="Share your bot: whoever has the chat token may talk to the bot as a guest.",
    ),
    "GuestToken": obj(
        {
            "access_token": {
                "type": "string",
                "description": "A guest's token: at most 24 h, never beyond the chat "
                "token, and only while that chat token is not replaced.",
            },
            "conversation_id": {"type": "string", "description": "The guest's own conversation."},
        }
    ),
    "InteractiveConversation": obj(
        {"sender_id": STRING, "interactive": {"const": True}, "created_by": STRING, "events": array(ANY_OBJECT)},
        required=["sender_id", "interactive", "created_by"],
        additional=True,
        description="Rasa's tracker of the new conversation, with who created it.",
    ),
    "NewEvent": obj(
        {"event": NOT_BLANK, "timestamp": NUMBER},
        required=["event"],
        additional=True,
        description="A Rasa event (`user`, `bot`, `action`, `slot`, ...); Rasa sets the timestamp when none is given.",
    ),
}

PATHS: dict[str, Schema] = {
    "/api/chat": {
        "post": operation(
            "Send a message to the bot (Rasa's `rasa` channel), in the caller's conversation or another",
            TAG,
            CHAT_RESPONSES,
            parameters=CHAT_PARAMETERS,
            body=json_body(
                obj(
                    {"message": NOT_BLANK, "conversation_id": SENDER_ID_VALUE},
                    required=["message"],
                    additional=True,
                ),
                "The message; without `conversation_id`, the caller's own conversation (named after them).",
            ),
            description=PUSH_PROTOCOL,
        )
    },
    # The GET of these two paths is documented with the conversations; both methods must stay in one item.
    "/api/conversations/{sender_id}/messages": {
        "post": operation(
            "Send a message to the bot in this conversation",
            TAG,
            CHAT_RESPONSES,
            parameters=[SENDER_ID, *CHAT_PARAMETERS],
            body=json_body(obj({"message": NOT_BLANK}, additional=True), "The message."),
            description=PUSH_PROTOCOL,
        ),
    },
    "/api/conversations": {
        "post": operation(
            "Start an interactive-learning conversation",
            INTERACTIVE_TAG,
            {
                201: json_response("Created; Rasa's tracker of it.", ref("InteractiveConversation")),
                400: BAD_REQUEST,
                409: failure("The conversation exists already, or the environment has no Rasa server."),
                413: TOO_LARGE,
                502: RASA_FAILED,
            },
            parameters=[ENVIRONMENT],
            body={
                "required": False,
                "description": "`sender_id`: the new conversation's id (default: a random one).",
                "content": {"application/json": {"schema": obj({"sender_id": SENDER_ID_VALUE}, [], additional=True)}},
            },
        ),
    },
    "/api/conversations/{sender_id}/predict": {
        "post": operation(
            "Ask Rasa which action comes next (nothing is executed)",
            INTERACTIVE_TAG,
            {
                200: json_response("Rasa's `{scores, policy, confidence, tracker}`.", ANY_OBJECT),
                **INTERACTIVE_RESPONSES,
            },
            parameters=[SENDER_ID, ENVIRONMENT],
        )
    },
    "/api/conversations/{sender_id}/execute": {
        "post": operation(
            "Run an action in the conversation",
            INTERACTIVE_TAG,
            {
                200: json_response("Rasa's `{tracker, messages}`.", ANY_OBJECT),
                413: TOO_LARGE,
                **INTERACTIVE_RESPONSES,
            },
            parameters=[SENDER_ID, ENVIRONMENT],
            body=json_body(
                obj(
                    {"name": NOT_BLANK, "policy": STRING, "confidence": {"type": "number", "minimum": 0, "maximum": 1}},
                    required=["name"],
                    additional=True,
                ),
                "The action, and the policy and confidence to record for it.",
            ),
        )
    },
    "/api/conversations/{sender_id}/events": {
        "post": operation(
            "Append events to the conversation's tracker in Rasa",
            INTERACTIVE_TAG,
            {200: json_response("Rasa's tracker after them.", ANY_OBJECT), 413: TOO_LARGE, **INTERACTIVE_RESPONSES},
            parameters=[SENDER_ID, ENVIRONMENT],
            body=json_body(
                {
                    "anyOf": [
                        ref("NewEvent"),
                        array(ref("NewEvent"), minItems=1, maxItems=1000),
                    ]
                },
                "One Rasa event, or a list of 1 to 1,000.",
            ),
        )
    },
    "/api/chatToken": {
        "get": operation(
            "The share-your-bot chat token (the first call makes one, valid 30 days)",
            TAG,
            {200: json_response("The chat token.", ref("ChatToken"))},
        ),
        "put": operation(
            "Replace the chat token: guests holding the old one, or tokens from it, are shut out",
            TAG,
            {200: json_response("The new chat token.", ref("ChatToken")), 400: BAD_REQUEST, 413: TOO_LARGE},
            body=json_body(
                obj(
                    {
                        "bot_name": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": r"\S"},
                        "description": {"type": "string", "maxLength": 10_000},
                        "expires": {
                            **NUMBER,
                            "maximum": 253402300799,
                            "description": "Unix seconds, in the future (default: in 30 days).",
                        },
                    },
                    required=["bot_name"],
                    additional=True,
                ),
                "The bot's name and description as guests see them.",
            ),
        ),
    },
    "/api/auth/jwt": {
        "post": operation(
            "Exchange the chat token for a guest's access token and a conversation of their own",
            TAG,
            {
                200: json_response("The guest's token; send it as `Authorization: Bearer <token>`.", ref("GuestToken")),
                400: BAD_REQUEST,
                401: failure("The chat token was replaced, has expired, or never existed."),
                413: TOO_LARGE,
                429: TOO_MANY_ATTEMPTS,
                503: {"$ref": "#/components/responses/Unavailable"},
                504: {"$ref": "#/components/responses/Timeout"},
            },
            body=json_body(obj({"chat_token": NOT_BLANK}, additional=True), "The chat token from the shared link."),
        )
    },
}
