"""Models: upload, list, download, tag and delete Rasa model archives, and the model server Rasa pulls from."""

from __future__ import annotations

from gateway.openapi.schema import (
    BAD_REQUEST,
    BOOLEAN,
    LIMIT,
    NON_EMPTY_STRING,
    NUMBER,
    OFFSET,
    PROJECT_ID,
    STRING,
    Schema,
    array,
    failure,
    json_response,
    listing,
    no_content,
    obj,
    operation,
    path,
    query,
    ref,
)

TAG = "Models"
MODEL = path("model", NON_EMPTY_STRING, "The model's name (its archive's file name without `.tar.gz`).")
MODEL_TAG = path("tag", NON_EMPTY_STRING, "A tag, e.g. `production`.")
IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": "The ETag of the archive the caller already has (Rasa sends back the last one it got).",
    "schema": STRING,
}
ETAG = {"description": "The archive's sha256, quoted.", "required": True, "schema": STRING}
NOT_FOUND = failure("No such project or model.")
ARCHIVE_HEADERS = {
    "ETag": ETAG,
    "Content-Length": {"description": "The archive's size.", "required": True, "schema": {"type": "integer"}},
    "Content-Disposition": {
        "description": '`attachment; filename="<model>.tar.gz"`.',
        "required": True,
        "schema": STRING,
    },
    "filename": {
        "description": "`<model>.tar.gz`: the file name Rasa saves a pulled model under.",
        "required": True,
        "schema": STRING,
    },
}
ARCHIVE = {
    "description": "The model's `.tar.gz` archive, streamed.",
    "headers": ARCHIVE_HEADERS,
    "content": {"application/gzip": {"schema": {"type": "string", "contentMediaType": "application/gzip"}}},
}
NOT_MODIFIED = {"description": "The caller has this archive already (If-None-Match).", "headers": {"ETag": ETAG}}
PULL_DESCRIPTION = (
    "What Rasa's `models.url` in endpoints.yml points at, with `token: <the Rasa token>`: Rasa sends the token as "
    "`?token=` and the last ETag as `If-None-Match`, and loads the archive when it gets one."
)

SCHEMAS: dict[str, Schema] = {
    "ModelItem": obj(
        {
            "hash": {"type": "string", "description": "sha256 of the archive, hex; its ETag."},
            "model": {"type": "string", "description": "The model's name."},
            "path": {"type": "string", "description": "The archive's file name, `<model>.tar.gz`."},
            "project": {"const": "default"},
            "trained_at": {"type": "number", "description": "When Rasa trained it (Unix seconds)."},
            "version": {"type": "string", "description": "The Rasa version that trained it."},
            "model_id": {"type": "string", "description": "Rasa's id of the model (metadata.json)."},
            "tags": array(STRING),
            "is_compatible": {
                **BOOLEAN,
                "description": "Whether the Rasa servers can load it (for now: trained by Rasa 3.x).",
            },
            "size_bytes": {"type": "integer", "minimum": 0},
            "uploaded_at": {**NUMBER, "description": "When it was uploaded (Unix seconds)."},
        },
        description="Rasa X's model list item; `path` is a file name, never a path on the server.",
    ),
}

PATHS: dict[str, Schema] = {
    "/api/projects/{project_id}/models": {
        "get": operation(
            "List models, newest first",
            TAG,
            {200: listing("One page of models.", ref("ModelItem")), 400: BAD_REQUEST, 404: NOT_FOUND},
            parameters=[
                PROJECT_ID,
                query("tag", STRING, "Only the model with this tag."),
                LIMIT,
                OFFSET,
            ],
        ),
        "post": operation(
            "Upload a model",
            TAG,
            {
                201: json_response("The stored model.", ref("ModelItem")),
                400: failure(
                    "No file field `model`, a file name not ending in `.tar.gz`, or a file that is not a Rasa model "
                    "archive (a .tar.gz with metadata.json)."
                ),
                404: NOT_FOUND,
                409: failure("A model has this name already."),
                413: failure("The model is larger than CONVERSELY_MAX_MODEL_BYTES."),
            },
            parameters=[PROJECT_ID],
            body={
                "required": True,
                "description": "A form with the model's archive in the file field `model`; its file name (ending "
                "in `.tar.gz`) names the model. Streamed to storage as it arrives.",
                "content": {
                    "multipart/form-data": {
                        "schema": obj(
                            {"model": {"type": "string", "contentMediaType": "application/gzip"}}, additional=True
                        ),
                    }
                },
            },
        ),
    },
    "/api/projects/{project_id}/models/{model}": {
        "get": operation(
            "Download a model's archive",
            TAG,
            {200: ARCHIVE, 304: NOT_MODIFIED, 400: BAD_REQUEST, 404: NOT_FOUND},
            parameters=[PROJECT_ID, MODEL, IF_NONE_MATCH],
            description="Also takes the Rasa token as `?token=`.",
        ),
        "delete": operation(
            "Delete a model with its archive and tags",
            TAG,
            {204: no_content("Deleted."), 400: BAD_REQUEST, 404: NOT_FOUND},
            parameters=[PROJECT_ID, MODEL],
        ),
    },
    "/api/projects/{project_id}/models/{model}/tags/{tag}": {
        "put": operation(
            "Tag a model, taking the tag from the model that had it",
            TAG,
            {204: no_content("Tagged."), 400: BAD_REQUEST, 404: NOT_FOUND},
            parameters=[PROJECT_ID, MODEL, MODEL_TAG],
            description="A tag is on one model at most: tagging `production` promotes a model to what the "
            "production Rasa servers pull.",
        ),
        "delete": operation(
            "Take a tag from a model",
            TAG,
            {
                204: no_content("Untagged."),
                400: BAD_REQUEST,
                404: failure("No such project or model, or the model does not have the tag."),
            },
            parameters=[PROJECT_ID, MODEL, MODEL_TAG],
        ),
    },
    "/api/projects/{project_id}/models/tags/{tag}": {
        "get": operation(
            "Model server: the archive of the model with the tag",
            TAG,
            {200: ARCHIVE, 304: NOT_MODIFIED, 400: BAD_REQUEST, 404: failure("No model has the tag.")},
            parameters=[PROJECT_ID, MODEL_TAG, IF_NONE_MATCH],
            description=PULL_DESCRIPTION,
        )
    },
    "/api/models/tags/{tag}": {
        "get": operation(
            "Model server, at the path later Rasa X releases also used",
            TAG,
            {200: ARCHIVE, 304: NOT_MODIFIED, 400: BAD_REQUEST, 404: failure("No model has the tag.")},
            parameters=[MODEL_TAG, IF_NONE_MATCH],
            description=PULL_DESCRIPTION,
        )
    },
}
