"""Environments, runtime configuration, training and cross-validation jobs."""

from __future__ import annotations

from gateway.openapi.schema import (
    BAD_REQUEST,
    ID,
    LIMIT,
    NUMBER,
    OFFSET,
    PROJECT_ID,
    STRING,
    Schema,
    array,
    failure,
    json_response,
    listing,
    nullable,
    obj,
    operation,
    path,
    query,
    ref,
)

TAG = "Orchestration"
KINDS = ["training", "cross_validation"]
STATES = ["queued", "running", "succeeded", "failed", "canceled"]
JOB_ID = path("job_id", ID, "The job's id.")
ENVIRONMENT = query(
    "environment",
    {"type": "string", "default": "worker"},
    "The environment whose Rasa server runs it (CONVERSELY_RASA_ENVIRONMENTS).",
)
NO_RASA_SERVER = failure("The environment has no Rasa server; `message` names CONVERSELY_RASA_ENVIRONMENTS.")
JOB_NOT_FOUND = failure("No such project or job.")
LOCATION = {"Location": {"description": "The job's URL.", "required": True, "schema": STRING}}
QUEUED = {
    "description": "Queued (or, for a training, the one already waiting): the job says how it stands.",
    "headers": LOCATION,
    "content": {"application/json": {"schema": ref("QueuedJob")}},
}
SCORE = nullable({"type": "number", "minimum": 0, "maximum": 1})
INSIGHT_KINDS = ["often_confused", "low_f1", "too_few_examples"]

SCHEMAS: dict[str, Schema] = {
    "Environments": obj(
        {
            "environments": {
                "type": "object",
                "description": "Each environment's Rasa server, by name; never the token sent to it.",
                "additionalProperties": obj({"url": STRING}),
            }
        }
    ),
    "RuntimeConfig": obj(
        {
            "endpoints": {
                "type": "string",
                "description": "endpoints.yml: `models` (this gateway's model server, tag `production`, with the "
                "Rasa token) and `event_broker` (RabbitMQ, else the SQL event broker table Conversely reads).",
            },
            "credentials": {
                "type": "string",
                "description": "credentials.yml: the `rasa` channel (chat from this gateway) and `rest`.",
            },
        },
        description="What `rasa x --production --config-endpoint` loads.",
    ),
    "Job": obj(
        {
            "id": ID,
            "kind": {"type": "string", "enum": KINDS},
            "status": {"type": "string", "enum": STATES},
            "environment": STRING,
            "requested_by": {"type": "string", "description": "The user who asked for it."},
            "created_at": {**NUMBER, "description": "Unix seconds."},
            "started_at": nullable(NUMBER),
            "finished_at": nullable(NUMBER),
            "duration_s": {**nullable(NUMBER), "description": "From start to end, once it ended."},
            "model": {**nullable(STRING), "description": "The model a training stored."},
            "error": {**nullable(STRING), "description": "Why it failed: Rasa's error, a timeout, …"},
            "folds": {**nullable({"type": "integer"}), "description": "A cross-validation's folds."},
        },
        description="A training or cross-validation run on a Rasa server.",
    ),
    "QueuedJob": obj({"info": STRING, "job": ref("Job")}),
    "ModelExists": obj(
        {"info": {"const": "Model already exists."}, "model": {"type": "string", "description": "Its name."}},
        description="The newest model was trained on the data stored now; nothing was queued.",
    ),
    "CallbackAccepted": obj({"job": ref("Job"), "model": nullable(ref("ModelItem"))}),
    "CrossValidation": obj(
        {
            "job": ref("Job"),
            "intents": array(
                obj(
                    {
                        "intent": STRING,
                        "precision": SCORE,
                        "recall": SCORE,
                        "f1_score": SCORE,
                        "support": {"type": "integer", "minimum": 0, "description": "Its number of examples."},
                    }
                )
            ),
            "confusions": array(
                obj({"intent": STRING, "confused_with": STRING, "count": {"type": "integer", "minimum": 1}}),
                description="How often an intent's examples were taken for another, most often first.",
            ),
            "accuracy": SCORE,
            "weighted_f1": SCORE,
            "insights": array(
                obj(
                    {
                        "kind": {"type": "string", "enum": INSIGHT_KINDS},
                        "intent": STRING,
                        "confused_with": nullable(STRING),
                        "count": nullable({"type": "integer"}),
                        "examples": nullable({"type": "integer"}),
                        "f1_score": SCORE,
                        "suggestion": STRING,
                    }
                ),
                description="What to fix, most pressing first: intents often confused with another, intents with "
                "an F1 score below 0.7, intents with fewer than 5 examples.",
            ),
        },
        description="The newest succeeded cross-validation, summarised.",
    ),
}

PATHS: dict[str, Schema] = {
    "/api/environments": {
        "get": operation(
            "The Rasa server of each environment",
            TAG,
            {200: json_response("The environments.", ref("Environments"))},
        )
    },
    "/api/config": {
        "get": operation(
            "Runtime configuration for a Rasa server started with --config-endpoint",
            TAG,
            {
                200: json_response("endpoints.yml and credentials.yml.", ref("RuntimeConfig")),
                503: failure("The database migrations are not complete yet (Rasa retries every 5 s)."),
            },
            description="Rasa sends the shared Rasa token as `?token=`.",
        )
    },
    "/api/projects/{project_id}/models/jobs": {
        "post": operation(
            "Train a model on the data stored now",
            TAG,
            {
                200: json_response("Nothing changed since the newest model was trained.", ref("ModelExists")),
                202: QUEUED,
                400: BAD_REQUEST,
                404: failure("No such project."),
                409: NO_RASA_SERVER,
            },
            parameters=[
                PROJECT_ID,
                ENVIRONMENT,
                query("force", {"type": "boolean", "default": False}, "Train even when nothing changed."),
            ],
            description="Queues a training job; the environment's Rasa server trains one job at a time, and the "
            "trained model is stored under `<YYYYMMDD-HHMMSS>-job<id>`. Progress is pushed on the `models` topic.",
        ),
        "get": operation(
            "List training and cross-validation jobs, newest first",
            TAG,
            {200: listing("One page of jobs.", ref("Job")), 400: BAD_REQUEST, 404: failure("No such project.")},
            parameters=[
                PROJECT_ID,
                LIMIT,
                OFFSET,
                query("kind", {"type": "string", "enum": KINDS}, "Only jobs of this kind."),
                query("state", {"type": "string", "enum": STATES}, "Only jobs in this state."),
                query("environment", STRING, "Only jobs of this environment."),
            ],
        ),
    },
    "/api/projects/{project_id}/models/jobs/{job_id}": {
        "get": operation(
            "One job",
            TAG,
            {200: json_response("The job.", ref("Job")), 404: JOB_NOT_FOUND},
            parameters=[PROJECT_ID, JOB_ID],
        ),
        "delete": operation(
            "Cancel a queued job",
            TAG,
            {
                200: json_response("The canceled job.", ref("Job")),
                404: JOB_NOT_FOUND,
                409: failure("The job has started (or ended) already."),
            },
            parameters=[PROJECT_ID, JOB_ID],
        ),
    },
    "/api/projects/{project_id}/models/jobs/{job_id}/callback": {
        "post": operation(
            "Where Rasa posts a running job's result",
            TAG,
            {
                200: json_response(
                    "Taken: the job succeeded (the model is stored, or the results), or failed with Rasa's error.",
                    ref("CallbackAccepted"),
                ),
                400: failure("The body is not a model archive, results or Rasa's error; the job failed."),
                401: failure("The secret is not the job's."),
                404: JOB_NOT_FOUND,
                409: failure("The job is not running any more: it takes one result."),
                413: failure("The model is larger than CONVERSELY_MAX_MODEL_BYTES; the job failed."),
                415: failure("A body of another type; the job failed."),
            },
            parameters=[
                PROJECT_ID,
                JOB_ID,
                query("secret", STRING, "The job's one-time secret, from the callback URL given to Rasa."),
            ],
            body={
                "required": True,
                "description": "A training's model archive (raw `.tar.gz`, streamed into storage), a "
                "cross-validation's results, or Rasa's error JSON.",
                "content": {
                    "application/x-tar": {"schema": {"type": "string", "contentMediaType": "application/x-tar"}},
                    "application/gzip": {"schema": {"type": "string", "contentMediaType": "application/gzip"}},
                    "application/octet-stream": {"schema": {"type": "string", "contentMediaType": "application/gzip"}},
                    "application/json": {"schema": {"type": "object"}},
                },
            },
            description="The secret is the credential (no user token). Rasa sends no file name: the model is "
            "stored as `<YYYYMMDD-HHMMSS>-job<id>`.",
        )
    },
    "/api/projects/{project_id}/evaluations/crossValidation": {
        "post": operation(
            "Cross-validate the NLU data",
            TAG,
            {202: QUEUED, 400: BAD_REQUEST, 404: failure("No such project."), 409: NO_RASA_SERVER},
            parameters=[
                PROJECT_ID,
                query("folds", {"type": "integer", "minimum": 2, "maximum": 20, "default": 5}, "How many folds."),
                ENVIRONMENT,
            ],
        ),
        "get": operation(
            "The newest cross-validation's scores, confusions and insights",
            TAG,
            {
                200: json_response("The newest succeeded cross-validation.", ref("CrossValidation")),
                404: failure("No such project, or no cross-validation has succeeded yet."),
            },
            parameters=[PROJECT_ID],
        ),
    },
}
