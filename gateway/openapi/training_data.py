"""NLU training data: examples, the whole training data file, intents, user goals and entities."""

from __future__ import annotations

from gateway.openapi.schema import (
    ANY_OBJECT,
    BAD_REQUEST,
    BOOLEAN,
    COUNT,
    ID,
    INTEGER,
    LIMIT,
    MAX_TEXT_CHARS,
    NON_EMPTY_STRING,
    NOT_BLANK,
    OFFSET,
    PROJECT_ID,
    PROJECT_NOT_FOUND,
    STRING,
    TOO_LARGE,
    Schema,
    array,
    comma_list,
    failure,
    json_body,
    json_response,
    listing,
    no_content,
    not_in_project,
    nullable,
    obj,
    operation,
    path,
    query,
    ref,
)

EXAMPLES_TAG = "Training examples"
INTENTS_TAG = "Intents, user goals and entities"
EXAMPLE_ID = path("example_id", ID, "The example's id.")
EXAMPLE_KEY = path(
    "example_id",
    {"type": "string", "pattern": "^(?:[0-9]{1,19}|[0-9a-fA-F]{32})$"},
    "The example's id, or the md5 hash of its text.",
)
INTENT = path("intent", NON_EMPTY_STRING, "The intent's name (retrieval intents such as `faq/ask_name` included).")
USER_GOAL = path("user_goal", NON_EMPTY_STRING, "The user goal's name.")
INBOX_REMOVED = {
    "X-Inbox-Messages-Removed": {
        "description": "How many NLU inbox messages with the example's text were removed from the inbox.",
        "required": True,
        "schema": COUNT,
    }
}

SCHEMAS: dict[str, Schema] = {
    "ExampleEntity": obj(
        {
            "start": COUNT,
            "end": COUNT,
            "entity": STRING,
            "value": {"type": "string", "description": "The value Rasa extracts; the span unless a synonym maps it."},
            "role": STRING,
            "group": STRING,
        },
        required=["start", "end", "entity", "value"],
        description="An entity annotated in an example: `text[start:end]` is the span; role and group when set.",
    ),
    "TrainingExample": obj(
        {
            "id": INTEGER,
            "text": STRING,
            "intent": STRING,
            "entities": array(ref("ExampleEntity")),
            "hash": {"type": "string", "description": "md5 of the text, as Rasa X computes it."},
            "annotation": obj(
                {
                    "user": nullable(STRING),
                    "time": {"type": ["number", "null"], "description": "Unix seconds."},
                },
                description="Who last annotated the example and when (null for data imported without it).",
            ),
            "metadata": {**ANY_OBJECT, "description": "The example's Rasa metadata; only when it has some."},
        },
        required=["id", "text", "intent", "entities", "hash", "annotation"],
        description="Rasa X's training example.",
    ),
    "NewExampleEntity": obj(
        {
            "start": {"type": "integer", "minimum": 0, "maximum": MAX_TEXT_CHARS - 1},
            "end": {"type": "integer", "minimum": 1, "maximum": MAX_TEXT_CHARS},
            "entity": NOT_BLANK,
            "value": {**nullable(NOT_BLANK), "description": "Left out or null: the annotated text."},
            "role": nullable(STRING),
            "group": nullable(STRING),
        },
        required=["start", "end", "entity"],
        additional=True,
        description="An entity to annotate: `text[start:end]`, with 0 <= start < end <= the text's length.",
    ),
    "NewExample": obj(
        {
            "text": {**NOT_BLANK, "maxLength": MAX_TEXT_CHARS},
            "intent": NOT_BLANK,
            "entities": nullable(array(ref("NewExampleEntity"))),
            "metadata": nullable(ANY_OBJECT),
        },
        required=["text", "intent"],
        additional=True,
        description="A training example; the other fields of Rasa X's example (`id`, `hash`, `annotation`, ...) are "
        "accepted and ignored: the caller and the time of the request annotate it.",
    ),
    "NluJson": obj(
        {
            "rasa_nlu_data": obj(
                {
                    "common_examples": array(
                        obj(
                            {
                                "text": STRING,
                                "intent": STRING,
                                "entities": array(ref("ExampleEntity")),
                                "metadata": ANY_OBJECT,
                            },
                            required=["text", "intent", "entities"],
                        )
                    ),
                    "entity_synonyms": array(obj({"value": STRING, "synonyms": array(STRING)})),
                    "regex_features": array(obj({"name": STRING, "pattern": STRING})),
                    "lookup_tables": array(obj({"name": STRING, "elements": array(STRING)})),
                }
            )
        },
        description="Rasa's JSON NLU training data format.",
    ),
    "NluYaml": obj(
        {"version": STRING, "nlu": array(ANY_OBJECT)},
        required=["version"],
        additional=True,
        description='A Rasa 3 NLU training data file: `version: "3.1"` and the `nlu:` list of intent, synonym, regex '
        "and lookup blocks.",
    ),
    "Intent": obj(
        {
            "intent": STRING,
            "example_count": COUNT,
            "is_temporary": {"const": False, "description": "Always false: Rasa X's temporary intents do not exist."},
            "in_domain": {**BOOLEAN, "description": "Whether the domain lists it."},
            "user_goal": nullable(STRING),
        },
        description="An intent of the domain or of the examples.",
    ),
    "RenamedIntent": obj(
        {
            "intent": STRING,
            "example_count": COUNT,
            "is_temporary": {"const": False},
            "in_domain": BOOLEAN,
            "user_goal": nullable(STRING),
            "examples_renamed": COUNT,
            "stories_renamed": {**COUNT, "description": "Stories and rules that used the old name."},
        },
        description="The renamed intent and how many examples and stories now use the new name.",
    ),
    "UserGoal": obj({"name": STRING, "intents": array(STRING)}, description="Intents grouped under a user goal."),
    "Entity": obj(
        {"entity": STRING, "example_count": COUNT, "in_domain": BOOLEAN},
        description="An entity of the domain or of the examples.",
    ),
}

EXAMPLE_PATHS: dict[str, Schema] = {
    "/api/projects/{project_id}/training_examples": {
        "get": operation(
            "List training examples, sorted by intent then text",
            EXAMPLES_TAG,
            {200: listing("One page of examples.", ref("TrainingExample")), 400: BAD_REQUEST, 404: PROJECT_NOT_FOUND},
            parameters=[
                PROJECT_ID,
                query("q", STRING, "Only examples whose text contains this (any case)."),
                comma_list("intent", STRING, "Only examples of any of these intents."),
                comma_list("entity", STRING, "Only examples annotated with any of these entities."),
                query("entities", BOOLEAN, "Only examples with (`true`) or without (`false`) entities."),
                query("sorted", {**BOOLEAN, "default": True}, "Accepted for Rasa X; examples are always sorted."),
                query("distinct", {**BOOLEAN, "default": True}, "Accepted for Rasa X; examples are always distinct."),
                LIMIT,
                OFFSET,
            ],
        ),
        "post": operation(
            "Add a training example, replacing the one with the same text",
            EXAMPLES_TAG,
            {
                200: json_response(
                    "It replaced the example with the same text.", ref("TrainingExample"), INBOX_REMOVED
                ),
                201: json_response("The new example.", ref("TrainingExample"), INBOX_REMOVED),
                400: BAD_REQUEST,
                404: PROJECT_NOT_FOUND,
                413: TOO_LARGE,
            },
            parameters=[PROJECT_ID],
            body=json_body(ref("NewExample"), "The example; messages with its text leave the NLU inbox."),
        ),
        "put": operation(
            "Replace every training example",
            EXAMPLES_TAG,
            {
                200: json_response("How many examples there are now.", obj({"example_count": COUNT})),
                400: BAD_REQUEST,
                404: PROJECT_NOT_FOUND,
                413: TOO_LARGE,
            },
            parameters=[PROJECT_ID],
            body=json_body(array(ref("NewExample")), "Every example there is to be."),
        ),
        "delete": operation(
            "Delete many training examples",
            EXAMPLES_TAG,
            {
                200: json_response("How many of them there were.", obj({"deleted_count": COUNT})),
                400: BAD_REQUEST,
                404: PROJECT_NOT_FOUND,
                413: TOO_LARGE,
            },
            parameters=[PROJECT_ID],
            body=json_body(
                obj({"ids": array(ID, minItems=1, maxItems=1000)}, additional=True), "The ids of the examples."
            ),
        ),
    },
    "/api/projects/{project_id}/training_examples/{example_id}": {
        "get": operation(
            "One training example, by id or by the md5 hash of its text",
            EXAMPLES_TAG,
            {200: json_response("The example.", ref("TrainingExample")), 404: not_in_project("training example")},
            parameters=[PROJECT_ID, EXAMPLE_KEY],
        ),
        "put": operation(
            "Change a training example",
            EXAMPLES_TAG,
            {
                200: json_response("The changed example.", ref("TrainingExample")),
                400: BAD_REQUEST,
                404: not_in_project("training example"),
                409: failure("Another example has the new text."),
                413: TOO_LARGE,
            },
            parameters=[PROJECT_ID, EXAMPLE_ID],
            body=json_body(ref("NewExample"), "What the example becomes."),
        ),
        "delete": operation(
            "Delete a training example",
            EXAMPLES_TAG,
            {204: no_content("Deleted."), 404: not_in_project("training example")},
            parameters=[PROJECT_ID, EXAMPLE_ID],
        ),
    },
    "/api/projects/{project_id}/training_data": {
        "get": operation(
            "The whole NLU training data as one file",
            EXAMPLES_TAG,
            {
                200: {
                    "description": "A Rasa 3 YAML file (`data/nlu.yml`), or Rasa's JSON format for "
                    "`Accept: application/json`.",
                    "content": {
                        "application/x-yaml": {"schema": ref("NluYaml")},
                        "application/json": {"schema": ref("NluJson")},
                    },
                },
                404: PROJECT_NOT_FOUND,
                406: failure("`Accept: text/markdown`: Rasa 3 reads NLU data as YAML or JSON only."),
            },
            parameters=[PROJECT_ID],
            description="`Accept: application/x-yaml`, `text/yaml` or `application/yaml` (or none) for YAML.",
        )
    },
}

INTENT_PATHS: dict[str, Schema] = {
    "/api/projects/{project_id}/intents": {
        "get": operation(
            "Every intent of the domain or the examples",
            INTENTS_TAG,
            {
                200: json_response("The intents, by name.", array(ref("Intent"))),
                400: BAD_REQUEST,
                404: PROJECT_NOT_FOUND,
            },
            parameters=[PROJECT_ID, query("is_temporary", BOOLEAN, "`true` lists none: there are no temporary ones.")],
        ),
        "post": operation(
            "Add an intent to the domain",
            INTENTS_TAG,
            {
                201: json_response("The intent.", ref("Intent")),
                400: BAD_REQUEST,
                404: PROJECT_NOT_FOUND,
                409: failure("The domain has this intent already."),
                413: TOO_LARGE,
            },
            parameters=[PROJECT_ID],
            body=json_body(obj({"intent": NOT_BLANK}, additional=True), "The intent's name."),
        ),
    },
    "/api/projects/{project_id}/intents/{intent}": {
        "put": operation(
            "Rename an intent in the domain, examples, user goals, stories and rules",
            INTENTS_TAG,
            {
                200: json_response("The renamed intent.", ref("RenamedIntent")),
                400: BAD_REQUEST,
                404: not_in_project("intent"),
                409: failure("An intent has the new name already."),
                413: TOO_LARGE,
            },
            parameters=[PROJECT_ID, INTENT],
            body=json_body(obj({"intent": NOT_BLANK}, additional=True), "The new name."),
        ),
        "delete": operation(
            "Delete an intent from the domain and user goals",
            INTENTS_TAG,
            {
                200: json_response("Deleted.", obj({"examples_deleted": COUNT})),
                400: BAD_REQUEST,
                404: not_in_project("intent"),
                409: failure("Examples use the intent (and `delete_examples` is not `true`)."),
            },
            parameters=[
                PROJECT_ID,
                INTENT,
                query("delete_examples", {**BOOLEAN, "default": False}, "Delete the intent's examples too."),
            ],
        ),
    },
    "/api/projects/{project_id}/userGoals": {
        "get": operation(
            "Every user goal with its intents",
            INTENTS_TAG,
            {200: json_response("The user goals.", array(ref("UserGoal"))), 404: PROJECT_NOT_FOUND},
            parameters=[PROJECT_ID],
        ),
        "post": operation(
            "Create a user goal, or replace its intents",
            INTENTS_TAG,
            {
                201: json_response("The user goal.", ref("UserGoal")),
                400: failure("A field is not valid, or an intent is neither in the domain nor in the examples."),
                404: PROJECT_NOT_FOUND,
                413: TOO_LARGE,
            },
            parameters=[PROJECT_ID],
            body=json_body(
                obj({"name": NOT_BLANK, "intents": nullable(array(NOT_BLANK))}, required=["name"], additional=True),
                "The goal and its intents; an intent belongs to one goal at most, so listing it moves it here.",
            ),
        ),
    },
    "/api/projects/{project_id}/userGoals/{user_goal}": {
        "delete": operation(
            "Delete a user goal (its intents stay)",
            INTENTS_TAG,
            {204: no_content("Deleted."), 404: not_in_project("user goal")},
            parameters=[PROJECT_ID, USER_GOAL],
        )
    },
    "/api/projects/{project_id}/entities": {
        "get": operation(
            "Every entity of the domain or the examples",
            INTENTS_TAG,
            {200: json_response("The entities.", array(ref("Entity"))), 404: PROJECT_NOT_FOUND},
            parameters=[PROJECT_ID],
        )
    },
}

PATHS: dict[str, Schema] = {**EXAMPLE_PATHS, **INTENT_PATHS}
