"""NLU training examples (RASA_X_API.md §2.3, §4.3), and the whole NLU data as one file."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from conversely.storage.v1 import project_pb2, training_data_pb2
from conversely.storage.v1.training_data_pb2_grpc import TrainingDataServiceStub
from gateway.annotation import annotation, annotation_item
from gateway.auth import requires
from gateway.body import id_list, json_body, json_object
from gateway.clients import CALL_TIMEOUT_S, clients
from gateway.errors import ApiError
from gateway.params import YAML_MEDIA_TYPE, bool_param, check_project, int_param, list_param, path_id, wants_yaml
from gateway.permissions import EXAMPLES_CREATE, EXAMPLES_DELETE, EXAMPLES_LIST, EXAMPLES_UPDATE

MAX_PAGE = 1000
DEFAULT_PAGE = 100
MAX_TEXT_CHARS = 10_000
EXPORT_PAGE = 1000
NLU_FILE = "data/nlu.yml"
EMPTY_NLU_YAML = 'version: "3.1"\nnlu: []\n'
_MD5 = re.compile(r"[0-9a-fA-F]{32}")


@requires(EXAMPLES_LIST)
async def list_examples(request: Request) -> JSONResponse:
    """Examples sorted by intent, then text: q, intent and entity (comma lists), entities (bool), limit, offset."""
    check_project(request)
    # Rasa X's `sorted` and `distinct` switched off sorting and de-duplication; examples are always both here.
    bool_param(request, "sorted", default=True)
    bool_param(request, "distinct", default=True)
    lookup = training_data_pb2.ListExamplesRequest(
        limit=int_param(request, "limit", default=DEFAULT_PAGE, minimum=1, maximum=MAX_PAGE),
        offset=int_param(request, "offset", default=0),
        query=request.query_params.get("q", ""),
        intents=list_param(request, "intent"),
        entities=list_param(request, "entity"),
    )
    has_entities = bool_param(request, "entities", default=None)
    if has_entities is not None:
        lookup.has_entities = has_entities
    response = await clients(request).training_data.ListExamples(lookup, timeout=CALL_TIMEOUT_S)
    return JSONResponse(
        [example_item(example) for example in response.examples],
        headers={"X-Total-Count": str(response.total_count)},
    )


@requires(EXAMPLES_LIST)
async def get_example(request: Request) -> JSONResponse:
    """One example by its id, or by the md5 hash of its text."""
    check_project(request)
    key = request.path_params["example_id"]
    lookup = (
        training_data_pb2.GetExampleRequest(hash=key.lower())
        if _MD5.fullmatch(key)
        else training_data_pb2.GetExampleRequest(id=path_id(request, "example_id", "training example"))
    )
    response = await clients(request).training_data.GetExample(lookup, timeout=CALL_TIMEOUT_S)
    return JSONResponse(example_item(response.example))


@requires(EXAMPLES_CREATE)
async def save_example(request: Request) -> JSONResponse:
    """Body {text, intent, entities?, metadata?} → 201 with the example, or 200 when it replaced the one with the same
    text; messages with this text leave the NLU inbox (their number in X-Inbox-Messages-Removed)."""
    check_project(request)
    example = parse_example(await json_body(request))
    example.annotation.CopyFrom(annotation(request))
    response = await clients(request).training_data.SaveExample(
        training_data_pb2.SaveExampleRequest(example=example), timeout=CALL_TIMEOUT_S
    )
    return JSONResponse(
        example_item(response.example),
        status_code=201 if response.created else 200,
        headers={"X-Inbox-Messages-Removed": str(response.inbox_messages_removed)},
    )


@requires(EXAMPLES_UPDATE)
async def update_example(request: Request) -> JSONResponse:
    """Body {text, intent, entities?, metadata?} replaces the example; 409 when its new text is another example's."""
    check_project(request)
    example_id = path_id(request, "example_id", "training example")
    example = parse_example(await json_body(request))
    example.id = example_id
    example.annotation.CopyFrom(annotation(request))
    response = await clients(request).training_data.UpdateExample(
        training_data_pb2.UpdateExampleRequest(example=example), timeout=CALL_TIMEOUT_S
    )
    return JSONResponse(example_item(response.example))


@requires(EXAMPLES_DELETE)
async def delete_example(request: Request) -> Response:
    check_project(request)
    example_id = path_id(request, "example_id", "training example")
    response = await clients(request).training_data.DeleteExamples(
        training_data_pb2.DeleteExamplesRequest(ids=[example_id]), timeout=CALL_TIMEOUT_S
    )
    if response.deleted_count == 0:
        raise ApiError(404, "NotFound", f"no training example with id {example_id}")
    return Response(status_code=204)


@requires(EXAMPLES_UPDATE)
async def replace_examples(request: Request) -> JSONResponse:
    """Body [{text, intent, entities?, metadata?}, ...] replaces every example → {"example_count": n}."""
    check_project(request)
    body = await json_body(request)
    if not isinstance(body, list):
        raise ApiError(400, "InvalidBody", "the body must be a JSON list of examples {text, intent, entities?}")
    examples = [parse_example(item, f"example {index}: ") for index, item in enumerate(body)]
    stamp = annotation(request)
    for example in examples:
        example.annotation.CopyFrom(stamp)
    response = await clients(request).training_data.ReplaceExamples(
        training_data_pb2.ReplaceExamplesRequest(examples=examples), timeout=CALL_TIMEOUT_S
    )
    return JSONResponse({"example_count": response.example_count})


@requires(EXAMPLES_DELETE)
async def delete_examples(request: Request) -> JSONResponse:
    """Body {"ids": [1, 2, ...]} (1 to 1000 ids) deletes those examples → {"deleted_count": n}."""
    check_project(request)
    ids = id_list(await json_object(request))
    response = await clients(request).training_data.DeleteExamples(
        training_data_pb2.DeleteExamplesRequest(ids=ids), timeout=CALL_TIMEOUT_S
    )
    return JSONResponse({"deleted_count": response.deleted_count})


@requires(EXAMPLES_LIST)
async def download_training_data(request: Request) -> Response:
    """The whole NLU data: a Rasa 3 YAML file (the default), or Rasa's JSON format for `Accept: application/json`."""
    check_project(request)
    accept = request.headers.get("accept", "")
    if not wants_yaml(request):
        if "application/json" in accept:
            return JSONResponse(await nlu_json(clients(request).training_data))
        if "text/markdown" in accept:
            raise ApiError(406, "NotAcceptable", "Rasa 3 reads NLU data as YAML: ask for Accept: application/x-yaml")
    export = await clients(request).project.ExportProject(project_pb2.ExportProjectRequest(), timeout=CALL_TIMEOUT_S)
    content = next((file.content for file in export.files if file.path == NLU_FILE), EMPTY_NLU_YAML)
    return Response(content, media_type=YAML_MEDIA_TYPE)


async def nlu_json(data: TrainingDataServiceStub) -> dict[str, Any]:
    """Rasa's JSON NLU format: {"rasa_nlu_data": {common_examples, entity_synonyms, regex_features, lookup_tables}}."""
    examples, synonyms, regexes, lookup_tables = await asyncio.gather(
        _all_examples(data),
        data.ListSynonyms(training_data_pb2.ListSynonymsRequest(), timeout=CALL_TIMEOUT_S),
        _all_regexes(data),
        _all_lookup_tables(data),
    )
    return {
        "rasa_nlu_data": {
            "common_examples": [_common_example(example) for example in examples],
            "entity_synonyms": [
                {"value": synonym.reference, "synonyms": [value.value for value in synonym.values]}
                for synonym in synonyms.synonyms
            ],
            "regex_features": [{"name": regex.name, "pattern": regex.pattern} for regex in regexes],
            "lookup_tables": [{"name": table.name, "elements": list(table.elements)} for table in lookup_tables],
        }
    }


async def _all_examples(data: TrainingDataServiceStub) -> list[training_data_pb2.TrainingExample]:
    examples: list[training_data_pb2.TrainingExample] = []
    while True:
        page = await data.ListExamples(
            training_data_pb2.ListExamplesRequest(limit=EXPORT_PAGE, offset=len(examples)), timeout=CALL_TIMEOUT_S
        )
        examples.extend(page.examples)
        if not page.examples or len(examples) >= page.total_count:
            return examples


async def _all_regexes(data: TrainingDataServiceStub) -> list[training_data_pb2.Regex]:
    regexes: list[training_data_pb2.Regex] = []
    while True:
        page = await data.ListRegexes(
            training_data_pb2.ListRegexesRequest(limit=EXPORT_PAGE, offset=len(regexes)), timeout=CALL_TIMEOUT_S
        )
        regexes.extend(page.regexes)
        if not page.regexes or len(regexes) >= page.total_count:
            return regexes


async def _all_lookup_tables(data: TrainingDataServiceStub) -> list[training_data_pb2.LookupTable]:
    listed = await data.ListLookupTables(training_data_pb2.ListLookupTablesRequest(), timeout=CALL_TIMEOUT_S)
    found = await asyncio.gather(
        *(
            data.GetLookupTable(training_data_pb2.GetLookupTableRequest(id=table.id), timeout=CALL_TIMEOUT_S)
            for table in listed.lookup_tables
        )
    )
    return [response.lookup_table for response in found]


def _common_example(example: training_data_pb2.TrainingExample) -> dict[str, Any]:
    item: dict[str, Any] = {
        "text": example.text,
        "intent": example.intent,
        "entities": [entity_item(entity) for entity in example.entities],
    }
    if example.metadata_json:
        item["metadata"] = orjson.loads(example.metadata_json)
    return item


def example_item(example: training_data_pb2.TrainingExample) -> dict[str, Any]:
    """Rasa X's training example (RASA_X_API.md §4.3); `metadata` only when the example has some."""
    item: dict[str, Any] = {
        "id": example.id,
        "text": example.text,
        "intent": example.intent,
        "entities": [entity_item(entity) for entity in example.entities],
        "hash": example.hash,
        "annotation": annotation_item(example.annotation),
    }
    if example.metadata_json:
        item["metadata"] = orjson.loads(example.metadata_json)
    return item


def entity_item(entity: training_data_pb2.ExampleEntity) -> dict[str, Any]:
    """An annotated entity as Rasa writes it: {start, end, entity, value}, plus role and group when set."""
    item: dict[str, Any] = {"start": entity.start, "end": entity.end, "entity": entity.entity, "value": entity.value}
    if entity.role:
        item["role"] = entity.role
    if entity.group:
        item["group"] = entity.group
    return item


def parse_example(body: Any, where: str = "") -> training_data_pb2.TrainingExample:
    """An example from Rasa X's JSON {text, intent, entities?, metadata?}; other fields (id, hash, annotation, ...)
    are ignored. A 400 naming the field (prefixed by `where`) when one is not valid."""
    if not isinstance(body, dict):
        raise _invalid(f"{where}an example must be a JSON object {{text, intent, entities?, metadata?}}")
    text, intent = body.get("text"), body.get("intent")
    if not isinstance(text, str) or not text.strip():
        raise _invalid(f"{where}text must be a non-empty string")
    if len(text) > MAX_TEXT_CHARS:
        raise _invalid(f"{where}text may be at most {MAX_TEXT_CHARS} characters")
    if not isinstance(intent, str) or not intent.strip():
        raise _invalid(f"{where}intent must be a non-empty string")
    entities = body.get("entities")
    if entities is None:
        entities = []
    if not isinstance(entities, list):
        raise _invalid(f"{where}entities must be a list of {{start, end, entity, value?, role?, group?}}")
    metadata = body.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        raise _invalid(f"{where}metadata must be a JSON object")
    return training_data_pb2.TrainingExample(
        text=text,
        intent=intent,
        entities=[_entity(item, f"{where}entities[{index}]", text) for index, item in enumerate(entities)],
        metadata_json=orjson.dumps(metadata).decode() if metadata else "",
    )


def _entity(item: Any, where: str, text: str) -> training_data_pb2.ExampleEntity:
    if not isinstance(item, dict):
        raise _invalid(f"{where} must be an object {{start, end, entity, value?, role?, group?}}")
    start, end = item.get("start"), item.get("end")
    if type(start) is not int or type(end) is not int or not 0 <= start < end <= len(text):
        raise _invalid(
            f"{where}: start and end must be whole numbers with 0 <= start < end <= {len(text)} (the text's length)"
        )
    entity = item.get("entity")
    if not isinstance(entity, str) or not entity.strip():
        raise _invalid(f"{where}.entity must be a non-empty string")
    value = text[start:end] if item.get("value") is None else item["value"]
    if not isinstance(value, str) or not value.strip():
        raise _invalid(f"{where}.value must be a non-empty string (or left out: the annotated text)")
    for optional in ("role", "group"):
        if item.get(optional) is not None and not isinstance(item[optional], str):
            raise _invalid(f"{where}.{optional} must be a string")
    return training_data_pb2.ExampleEntity(
        start=start, end=end, entity=entity, value=value, role=item.get("role") or "", group=item.get("group") or ""
    )


def _invalid(message: str) -> ApiError:
    return ApiError(400, "InvalidBody", message)


routes = [
    Route("/api/projects/{project_id}/training_examples", list_examples, methods=["GET"]),
    Route("/api/projects/{project_id}/training_examples", save_example, methods=["POST"]),
    Route("/api/projects/{project_id}/training_examples", replace_examples, methods=["PUT"]),
    Route("/api/projects/{project_id}/training_examples", delete_examples, methods=["DELETE"]),
    Route("/api/projects/{project_id}/training_examples/{example_id}", get_example, methods=["GET"]),
    Route("/api/projects/{project_id}/training_examples/{example_id}", update_example, methods=["PUT"]),
    Route("/api/projects/{project_id}/training_examples/{example_id}", delete_example, methods=["DELETE"]),
    Route("/api/projects/{project_id}/training_data", download_training_data, methods=["GET"]),
]
