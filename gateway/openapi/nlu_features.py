"""NLU features of the training data: entity synonyms, regex features and lookup tables."""

from __future__ import annotations

from gateway.openapi.schema import (
    BAD_REQUEST,
    COUNT,
    ID,
    INTEGER,
    LIMIT,
    NOT_BLANK,
    OFFSET,
    PROJECT_ID,
    PROJECT_NOT_FOUND,
    STRING,
    TOO_LARGE,
    Schema,
    array,
    failure,
    json_body,
    json_response,
    listing,
    no_content,
    not_in_project,
    obj,
    operation,
    path,
    query,
    ref,
)

FEATURES_TAG = "Synonyms, regexes and lookup tables"
SYNONYM_ID = path("synonym_id", ID, "The synonym's id.")
MAPPING_ID = path("mapping_id", ID, "The id of one of the synonym's mapped values.")
REGEX_ID = path("regex_id", ID, "The regex feature's id.")
LOOKUP_TABLE_ID = path("lookup_table_id", ID, "The lookup table's id.")

SCHEMAS: dict[str, Schema] = {
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
            {200: json_response("The synonym.", ref("Synonym")), 404: not_in_project("synonym")},
            parameters=[PROJECT_ID, SYNONYM_ID],
        ),
        "post": operation(
            "Map more values to a synonym",
            FEATURES_TAG,
            {
                200: json_response("The synonym.", ref("Synonym")),
                400: BAD_REQUEST,
                404: not_in_project("synonym"),
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
                404: not_in_project("synonym"),
                409: SYNONYM_CONFLICT,
                413: TOO_LARGE,
            },
            parameters=[PROJECT_ID, SYNONYM_ID],
            body=json_body(obj({"synonym_reference": NOT_BLANK}, additional=True), "The new reference value."),
        ),
        "delete": operation(
            "Delete a synonym and its mapped values",
            FEATURES_TAG,
            {204: no_content("Deleted."), 404: not_in_project("synonym")},
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
                404: not_in_project("synonym or mapped value"),
                409: SYNONYM_CONFLICT,
                413: TOO_LARGE,
            },
            parameters=[PROJECT_ID, SYNONYM_ID, MAPPING_ID],
            body=json_body(obj({"value": NOT_BLANK}, additional=True), "The new value."),
        ),
        "delete": operation(
            "Remove one mapped value from a synonym",
            FEATURES_TAG,
            {204: no_content("Removed."), 404: not_in_project("synonym or mapped value")},
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
            {200: json_response("The regex.", ref("Regex")), 404: not_in_project("regex")},
            parameters=[PROJECT_ID, REGEX_ID],
        ),
        "put": operation(
            "Change a regex feature",
            FEATURES_TAG,
            {
                200: json_response("The regex.", ref("Regex")),
                400: BAD_REGEX,
                404: not_in_project("regex"),
                409: REGEX_CONFLICT,
                413: TOO_LARGE,
            },
            parameters=[PROJECT_ID, REGEX_ID],
            body=json_body(REGEX_BODY, "The new name and pattern."),
        ),
        "delete": operation(
            "Delete a regex feature",
            FEATURES_TAG,
            {204: no_content("Deleted."), 404: not_in_project("regex")},
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
            body=json_body(ref("NewLookupTable"), "The table's name and elements, or a lookup file."),
        ),
    },
    "/api/projects/{project_id}/lookupTables/{lookup_table_id}": {
        "get": operation(
            "One lookup table with its elements",
            FEATURES_TAG,
            {200: json_response("The lookup table.", ref("LookupTable")), 404: not_in_project("lookup table")},
            parameters=[PROJECT_ID, LOOKUP_TABLE_ID],
        ),
        "delete": operation(
            "Delete a lookup table",
            FEATURES_TAG,
            {204: no_content("Deleted."), 404: not_in_project("lookup table")},
            parameters=[PROJECT_ID, LOOKUP_TABLE_ID],
        ),
    },
}

PATHS: dict[str, Schema] = {**SYNONYM_PATHS, **LOOKUP_PATHS}
