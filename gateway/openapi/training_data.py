"""NLU training data: examples, intents, user goals, entities, synonyms, regexes, lookup tables."""

from __future__ import annotations

from gateway.openapi.inbox import PROJECT_ID, PROJECT_NOT_FOUND
from gateway.openapi.schema import (
    ANY_OBJECT,
    BAD_REQUEST,
    BOOLEAN,
    COUNT,
    INT32_MAX,
    INT64_MAX,
    INTEGER,
    NON_EMPTY_STRING,
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
    nullable,
    obj,
    operation,
    path,
    query,
    ref,
)

EXAMPLES_TAG = "Training examples"
INTENTS_TAG = "Intents, user goals and entities"
FEATURES_TAG = "Synonyms, regexes and lookup tables"
MAX_TEXT_CHARS = 10_000
NOT_BLANK: Schema = {"type": "string", "pattern": r"\S"}
ID: Schema = {"type": "integer", "minimum": 0, "maximum": INT64_MAX}
LIMIT = query("limit", {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}, "At most this many.")
OFFSET = query("offset", {"type": "integer", "minimum": 0, "maximum": INT32_MAX, "default": 0}, "Skip this many.")
EXAMPLE_ID = path("example_id", ID, "The example's id.")
EXAMPLE_KEY = path(
    "example_id",
    {"type": "string", "pattern": "^(?:[0-9]{1,19}|[0-9a-fA-F]{32})$"},
    "The example's id, or the md5 hash of its text.",
)
INTENT = path("intent", NON_EMPTY_STRING, "The intent's name (retrieval intents such as `faq/ask_name` included).")
USER_GOAL = path("user_goal", NON_EMPTY_STRING, "The user goal's name.")
SYNONYM_ID = path("synonym_id", ID, "The synonym's id.")
MAPPING_ID = path("mapping_id", ID, "The id of one of the synonym's mapped values.")
REGEX_ID = path("regex_id", ID, "The regex feature's id.")
LOOKUP_TABLE_ID = path("lookup_table_id", ID, "The lookup table's id.")
INBOX_REMOVED = {
    "X-Inbox-Messages-Removed": {
        "description": "How many NLU inbox messages with the example's text were removed from the inbox.",
        "required": True,
        "schema": COUNT,
    }
}


def _body(name: str, description: str) -> Schema:
    return json_body(ref(name), description)


def _not_found(what: str) -> Schema:
    return failure(f"No such project or {what}.")


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
    "Synonym": obj(
        {
            "id": INTEGER,
            "synonym_reference": {"type": "string", "description": "The value the mapped values become."},
            "mapped_values": array(
                obj(
                    {
                        "id": INTEGER,
                        "value": STRING,
                        "nlu_examples_count": {**COUNT, "description": "Examples annotating an entity with it."},
                    }
                )
            ),
        },
        description="An entity synonym (Rasa's `synonym:` block).",
    ),
    "Regex": obj(
        {"id": INTEGER, "name": STRING, "pattern": STRING},
        description="One pattern of a regex feature (Rasa's `regex:` block); a name may have several.",
    ),
    "LookupTableSummary": obj({"id": INTEGER, "name": STRING, "number_of_elements": COUNT}),
    "LookupTable": obj(
        {"id": INTEGER, "name": STRING, "elements": array(STRING), "number_of_elements": COUNT},
        description="A lookup table (Rasa's `lookup:` block).",
    ),
    "NewLookupTable": {
        "anyOf": [
            obj({"name": NOT_BLANK, "elements": array(NOT_BLANK, minItems=1)}, additional=True),
            obj(
                {
                    "filename": {**NOT_BLANK, "description": "Names the table, without its extension."},
                    "content": {**NOT_BLANK, "description": "The file's text: one element per non-blank line."},
                },
                additional=True,
            ),
        ],
        "description": "`{name, elements}`, or Rasa X's upload `{filename, content}` (used when either is given).",
    },
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
            body=_body("NewExample", "The example; messages with its text leave the NLU inbox."),
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
            {200: json_response("The example.", ref("TrainingExample")), 404: _not_found("training example")},
            parameters=[PROJECT_ID, EXAMPLE_KEY],
        ),
        "put": operation(
            "Change a training example",
            EXAMPLES_TAG,
            {
                200: json_response("The changed example.", ref("TrainingExample")),
                400: BAD_REQUEST,
                404: _not_found("training example"),
                409: failure("Another example has the new text."),
                413: TOO_LARGE,
            },
            parameters=[PROJECT_ID, EXAMPLE_ID],
            body=_body("NewExample", "What the example becomes."),
        ),
        "delete": operation(
            "Delete a training example",
            EXAMPLES_TAG,
            {204: no_content("Deleted."), 404: _not_found("training example")},
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
                404: _not_found("intent"),
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
                404: _not_found("intent"),
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
            {204: no_content("Deleted."), 404: _not_found("user goal")},
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

SYNONYM_CONFLICT = failure("Another synonym has this reference, or maps one of these values.")
SYNONYM_PATHS: dict[str, Schema] = {
    "/api/projects/{project_id}/synonyms": {
        "get": operation(
            "Every entity synonym with its mapped values",
            FEATURES_TAG,
            {200: json_response("The synonyms.", array(ref("Synonym"))), 404: PROJECT_NOT_FOUND},
            parameters=[PROJECT_ID, query("mapped_value", STRING, "Only the synonym mapping exactly this value.")],
        ),
        "post": operation(
            "Create an entity synonym",
            FEATURES_TAG,
            {
                201: json_response("The synonym.", ref("Synonym")),
                400: BAD_REQUEST,
                404: PROJECT_NOT_FOUND,
                409: SYNONYM_CONFLICT,
                413: TOO_LARGE,
            },
            parameters=[PROJECT_ID],
            body=json_body(
                obj({"synonym_reference": NOT_BLANK, "mapped_values": array(NOT_BLANK, minItems=1)}, additional=True),
                "The reference value and the values mapped to it.",
            ),
        ),
    },
    "/api/projects/{project_id}/synonyms/{synonym_id}": {
        "get": operation(
            "One entity synonym",
            FEATURES_TAG,
            {200: json_response("The synonym.", ref("Synonym")), 404: _not_found("synonym")},
            parameters=[PROJECT_ID, SYNONYM_ID],
        ),
        "post": operation(
            "Map more values to a synonym",
            FEATURES_TAG,
            {
                200: json_response("The synonym.", ref("Synonym")),
                400: BAD_REQUEST,
                404: _not_found("synonym"),
                409: SYNONYM_CONFLICT,
                413: TOO_LARGE,
            },
            parameters=[PROJECT_ID, SYNONYM_ID],
            body=json_body(obj({"mapped_values": array(NOT_BLANK, minItems=1)}, additional=True), "The new values."),
        ),
        "put": operation(
            "Change a synonym's reference value",
            FEATURES_TAG,
            {
                200: json_response("The synonym.", ref("Synonym")),
                400: BAD_REQUEST,
                404: _not_found("synonym"),
                409: SYNONYM_CONFLICT,
                413: TOO_LARGE,
            },
            parameters=[PROJECT_ID, SYNONYM_ID],
            body=json_body(obj({"synonym_reference": NOT_BLANK}, additional=True), "The new reference value."),
        ),
        "delete": operation(
            "Delete a synonym and its mapped values",
            FEATURES_TAG,
            {204: no_content("Deleted."), 404: _not_found("synonym")},
            parameters=[PROJECT_ID, SYNONYM_ID],
        ),
    },
    "/api/projects/{project_id}/synonyms/{synonym_id}/{mapping_id}": {
        "put": operation(
            "Change one mapped value of a synonym",
            FEATURES_TAG,
            {
                200: json_response("The synonym.", ref("Synonym")),
                400: BAD_REQUEST,
                404: _not_found("synonym or mapped value"),
                409: SYNONYM_CONFLICT,
                413: TOO_LARGE,
            },
            parameters=[PROJECT_ID, SYNONYM_ID, MAPPING_ID],
            body=json_body(obj({"value": NOT_BLANK}, additional=True), "The new value."),
        ),
        "delete": operation(
            "Remove one mapped value from a synonym",
            FEATURES_TAG,
            {204: no_content("Removed."), 404: _not_found("synonym or mapped value")},
            parameters=[PROJECT_ID, SYNONYM_ID, MAPPING_ID],
        ),
    },
}

REGEX_BODY = obj({"name": NOT_BLANK, "pattern": NOT_BLANK}, additional=True)
BAD_REGEX = failure("A field is not valid, or the pattern does not compile; `message` says why.")
REGEX_CONFLICT = failure("The regex feature has this pattern already.")
LOOKUP_PATHS: dict[str, Schema] = {
    "/api/projects/{project_id}/regexes": {
        "get": operation(
            "List regex features",
            FEATURES_TAG,
            {200: listing("One page of regexes.", ref("Regex")), 400: BAD_REQUEST, 404: PROJECT_NOT_FOUND},
            parameters=[PROJECT_ID, LIMIT, OFFSET],
        ),
        "post": operation(
            "Add a regex feature",
            FEATURES_TAG,
            {
                201: json_response("The regex.", ref("Regex")),
                400: BAD_REGEX,
                404: PROJECT_NOT_FOUND,
                409: REGEX_CONFLICT,
                413: TOO_LARGE,
            },
            parameters=[PROJECT_ID],
            body=json_body(REGEX_BODY, "The feature's name and one pattern (a Python regular expression)."),
        ),
    },
    "/api/projects/{project_id}/regexes/{regex_id}": {
        "get": operation(
            "One regex feature",
            FEATURES_TAG,
            {200: json_response("The regex.", ref("Regex")), 404: _not_found("regex")},
            parameters=[PROJECT_ID, REGEX_ID],
        ),
        "put": operation(
            "Change a regex feature",
            FEATURES_TAG,
            {
                200: json_response("The regex.", ref("Regex")),
                400: BAD_REGEX,
                404: _not_found("regex"),
                409: REGEX_CONFLICT,
                413: TOO_LARGE,
            },
            parameters=[PROJECT_ID, REGEX_ID],
            body=json_body(REGEX_BODY, "The new name and pattern."),
        ),
        "delete": operation(
            "Delete a regex feature",
            FEATURES_TAG,
            {204: no_content("Deleted."), 404: _not_found("regex")},
            parameters=[PROJECT_ID, REGEX_ID],
        ),
    },
    "/api/projects/{project_id}/lookupTables": {
        "get": operation(
            "Every lookup table, without its elements",
            FEATURES_TAG,
            {200: json_response("The lookup tables.", array(ref("LookupTableSummary"))), 404: PROJECT_NOT_FOUND},
            parameters=[PROJECT_ID],
        ),
        "post": operation(
            "Create a lookup table",
            FEATURES_TAG,
            {
                201: json_response("The lookup table.", ref("LookupTable")),
                400: BAD_REQUEST,
                404: PROJECT_NOT_FOUND,
                409: failure("A lookup table has this name already."),
                413: TOO_LARGE,
            },
            parameters=[PROJECT_ID],
            body=_body("NewLookupTable", "The table's name and elements, or a lookup file."),
        ),
    },
    "/api/projects/{project_id}/lookupTables/{lookup_table_id}": {
        "get": operation(
            "One lookup table with its elements",
            FEATURES_TAG,
            {200: json_response("The lookup table.", ref("LookupTable")), 404: _not_found("lookup table")},
            parameters=[PROJECT_ID, LOOKUP_TABLE_ID],
        ),
        "delete": operation(
            "Delete a lookup table",
            FEATURES_TAG,
            {204: no_content("Deleted."), 404: _not_found("lookup table")},
            parameters=[PROJECT_ID, LOOKUP_TABLE_ID],
        ),
    },
}

PATHS: dict[str, Schema] = {**EXAMPLE_PATHS, **INTENT_PATHS, **SYNONYM_PATHS, **LOOKUP_PATHS}
