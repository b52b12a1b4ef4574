"""The work behind `POST /model/train` and `POST /model/test/intents`, as the `train` and `evaluate_intents`
handlers of rasa/server.py do it: a Response on success, a RasaError (Rasa's ErrorResponse) on failure."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from typing import Any

from starlette.responses import JSONResponse, Response

from tests.rasa_double.behaviour import RasaBehaviour
from tests.rasa_double.errors import RasaError, SanicError
from tests.rasa_double.evaluation import cross_validation_result, evaluation_on_test_set
from tests.rasa_double.training_data import NluExample, nlu_examples, read_training_payload

YAML_CONTENT_TYPE = "application/x-yaml"
# Sanic's `response.file` types a `.tar.gz` by mimetypes.guess_type: application/x-tar (the gzip is an encoding).
MODEL_CONTENT_TYPE = "application/x-tar"


@dataclass
class TrainingJobs:
    """`num_active_training_jobs` of `GET /status`."""

    active: int = 0


async def train(body: bytes, behaviour: RasaBehaviour, jobs: TrainingJobs) -> Response:
    """The model archive (Rasa's `response.file` of the trained `.tar.gz`), or the error Rasa raises."""
    if not body:
        raise RasaError(
            400, "BadRequest", "You must provide training data in the request body in order to train your model."
        )
    read_training_payload(body)
    jobs.active += 1
    try:
        await asyncio.sleep(behaviour.training_delay_s)
        if behaviour.training == "never":
            await asyncio.Event().wait()  # a training that never ends; cancelled when the double stops
        if behaviour.training == "fail":
            raise RasaError(500, "TrainingError", behaviour.training_error)
        archive = behaviour.model_archive.read_bytes()
    finally:
        jobs.active -= 1
    name = f"{time.strftime('%Y%m%d-%H%M%S')}-brisk-harbor.tar.gz"
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "filename": name}
    return Response(archive, media_type=MODEL_CONTENT_TYPE, headers=headers)


async def evaluate_intents(
    body: bytes, content_type: str | None, folds: str | None, behaviour: RasaBehaviour
) -> Response:
    """Cross-validation results (with `folds`) or the evaluation of the loaded model on the posted NLU data.

    Like Rasa, only a body whose Content-Type is exactly `application/x-yaml` is read as YAML; any other body
    must be Rasa's JSON NLU format, and cross-validation refuses it.
    """
    if not body:
        raise RasaError(
            400, "BadRequest", "You must provide some nlu data in the request body in order to evaluate your model."
        )
    if content_type == YAML_CONTENT_TYPE:
        examples = nlu_examples(read_training_payload(body))
        if folds and behaviour.cross_validation_result is not None:
            return JSONResponse(behaviour.cross_validation_result)
        if folds:
            return JSONResponse(cross_validation_result(examples, int(folds)))
        return JSONResponse(evaluation_on_test_set(examples))
    examples = _json_nlu_examples(body)
    if folds:
        raise RasaError(400, "TestingError", "Cross-validation is only supported for YAML data.")
    return JSONResponse(evaluation_on_test_set(examples))


def _json_nlu_examples(body: bytes) -> list[NluExample]:
    """The examples of `{"rasa_nlu_data": {"common_examples": [...]}}`; what Rasa raises for anything else."""
    try:
        data: Any = json.loads(body)
    except ValueError:
        raise SanicError(400, "Failed when parsing body as json") from None
    if not isinstance(data, dict) or set(data) - {"rasa_nlu_data"} or not isinstance(data.get("rasa_nlu_data"), dict):
        raise ValueError(
            "Failed to validate training data format. Make sure your data is valid. "
            "For more information about the format visit https://rasa.com/docs/rasa/training-data-format"
        )
    examples = data["rasa_nlu_data"].get("common_examples") or []
    return [
        NluExample(str(example["text"]), str(example["intent"]))
        for example in examples
        if isinstance(example, dict) and example.get("text") and example.get("intent")
    ]
