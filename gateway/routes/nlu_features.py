"""Entity synonyms, regex features and lookup tables (RASA_X_API.md §2.3, §4.8)."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from conversely.storage.v1 import training_data_pb2
from gateway.auth import requires
from gateway.body import json_object, string_field, string_list
from gateway.clients import CALL_TIMEOUT_S, clients
from gateway.errors import ApiError
from gateway.params import check_project, int_param, path_id
from gateway.permissions import (
    LOOKUP_TABLES_CREATE,
    LOOKUP_TABLES_DELETE,
    LOOKUP_TABLES_LIST,
    REGEXES_CREATE,
    REGEXES_DELETE,
    REGEXES_LIST,
    REGEXES_UPDATE,
    SYNONYMS_CREATE,
    SYNONYMS_DELETE,
    SYNONYMS_LIST,
    SYNONYMS_UPDATE,
)

MAX_PAGE = 1000
DEFAULT_PAGE = 100


@requires(SYNONYMS_LIST)
async def list_synonyms(request: Request) -> JSONResponse:
    """Every synonym with its mapped values; `mapped_value` keeps only the synonym mapping exactly that value."""
    check_project(request)
    response = await clients(request).training_data.ListSynonyms(
        training_data_pb2.ListSynonymsRequest(mapped_value=request.query_params.get("mapped_value", "")),
        timeout=CALL_TIMEOUT_S,
    )
    return JSONResponse([synonym_item(synonym) for synonym in response.synonyms])


@requires(SYNONYMS_LIST)
async def get_synonym(request: Request) -> JSONResponse:
    check_project(request)
    response = await clients(request).training_data.GetSynonym(
        training_data_pb2.GetSynonymRequest(id=_synonym_id(request)), timeout=CALL_TIMEOUT_S
    )
    return JSONResponse(synonym_item(response.synonym))


@requires(SYNONYMS_CREATE)
async def create_synonym(request: Request) -> JSONResponse:
    """Body {"synonym_reference", "mapped_values": [value, ...]} → 201 with the synonym."""
    check_project(request)
    body = await json_object(request)
    response = await clients(request).training_data.CreateSynonym(
        training_data_pb2.CreateSynonymRequest(
            reference=string_field(body, "synonym_reference"), values=string_list(body, "mapped_values")
        ),
        timeout=CALL_TIMEOUT_S,
    )
    return JSONResponse(synonym_item(response.synonym), status_code=201)


@requires(SYNONYMS_UPDATE)
async def rename_synonym(request: Request) -> JSONResponse:
    """Body {"synonym_reference"}: the value the mapped values become."""
    check_project(request)
    synonym_id = _synonym_id(request)
    reference = string_field(await json_object(request), "synonym_reference")
    response = await clients(request).training_data.RenameSynonym(
        training_data_pb2.RenameSynonymRequest(id=synonym_id, reference=reference), timeout=CALL_TIMEOUT_S
    )
    return JSONResponse(synonym_item(response.synonym))


@requires(SYNONYMS_DELETE)
async def delete_synonym(request: Request) -> Response:
    check_project(request)
    await clients(request).training_data.DeleteSynonym(
        training_data_pb2.DeleteSynonymRequest(id=_synonym_id(request)), timeout=CALL_TIMEOUT_S
    )
    return Response(status_code=204)


@requires(SYNONYMS_UPDATE)
async def add_synonym_values(request: Request) -> JSONResponse:
    """Body {"mapped_values": [value, ...]} maps more values to the synonym → the synonym."""
    check_project(request)
    synonym_id = _synonym_id(request)
    values = string_list(await json_object(request), "mapped_values")
    response = await clients(request).training_data.AddSynonymValues(
        training_data_pb2.AddSynonymValuesRequest(id=synonym_id, values=values), timeout=CALL_TIMEOUT_S
    )
    return JSONResponse(synonym_item(response.synonym))


@requires(SYNONYMS_UPDATE)
async def update_synonym_value(request: Request) -> JSONResponse:
    """Body {"value"} changes one mapped value → the synonym."""
    check_project(request)
    synonym_id, value_id = _synonym_id(request), path_id(request, "mapping_id", "mapped value")
    value = string_field(await json_object(request), "value")
    response = await clients(request).training_data.UpdateSynonymValue(
        training_data_pb2.UpdateSynonymValueRequest(id=synonym_id, value_id=value_id, value=value),
        timeout=CALL_TIMEOUT_S,
    )
    return JSONResponse(synonym_item(response.synonym))


@requires(SYNONYMS_DELETE)
async def delete_synonym_value(request: Request) -> Response:
    check_project(request)
    synonym_id, value_id = _synonym_id(request), path_id(request, "mapping_id", "mapped value")
    await clients(request).training_data.DeleteSynonymValue(
        training_data_pb2.DeleteSynonymValueRequest(id=synonym_id, value_id=value_id), timeout=CALL_TIMEOUT_S
    )
    return Response(status_code=204)


@requires(REGEXES_LIST)
async def list_regexes(request: Request) -> JSONResponse:
    """Regex features, one page (limit, offset), the total in X-Total-Count."""
    check_project(request)
    response = await clients(request).training_data.ListRegexes(
        training_data_pb2.ListRegexesRequest(
            limit=int_param(request, "limit", default=DEFAULT_PAGE, minimum=1, maximum=MAX_PAGE),
            offset=int_param(request, "offset", default=0),
        ),
        timeout=CALL_TIMEOUT_S,
    )
    return JSONResponse(
        [_regex_item(regex) for regex in response.regexes], headers={"X-Total-Count": str(response.total_count)}
    )


@requires(REGEXES_LIST)
async def get_regex(request: Request) -> JSONResponse:
    check_project(request)
    response = await clients(request).training_data.GetRegex(
        training_data_pb2.GetRegexRequest(id=_regex_id(request)), timeout=CALL_TIMEOUT_S
    )
    return JSONResponse(_regex_item(response.regex))


@requires(REGEXES_CREATE)
async def create_regex(request: Request) -> JSONResponse:
    """Body {"name", "pattern"} → 201 with the regex; 400 naming the error when the pattern does not compile."""
    check_project(request)
    body = await json_object(request)
    response = await clients(request).training_data.CreateRegex(
        training_data_pb2.CreateRegexRequest(name=string_field(body, "name"), pattern=string_field(body, "pattern")),
        timeout=CALL_TIMEOUT_S,
    )
    return JSONResponse(_regex_item(response.regex), status_code=201)


@requires(REGEXES_UPDATE)
async def update_regex(request: Request) -> JSONResponse:
    """Body {"name", "pattern"} replaces the regex's."""
    check_project(request)
    regex_id = _regex_id(request)
    body = await json_object(request)
    regex = training_data_pb2.Regex(id=regex_id, name=string_field(body, "name"), pattern=string_field(body, "pattern"))
    response = await clients(request).training_data.UpdateRegex(
        training_data_pb2.UpdateRegexRequest(regex=regex), timeout=CALL_TIMEOUT_S
    )
    return JSONResponse(_regex_item(response.regex))


@requires(REGEXES_DELETE)
async def delete_regex(request: Request) -> Response:
    check_project(request)
    await clients(request).training_data.DeleteRegex(
        training_data_pb2.DeleteRegexRequest(id=_regex_id(request)), timeout=CALL_TIMEOUT_S
    )
    return Response(status_code=204)


@requires(LOOKUP_TABLES_LIST)
async def list_lookup_tables(request: Request) -> JSONResponse:
    """Lookup tables without their elements: [{id, name, number_of_elements}]."""
    check_project(request)
    response = await clients(request).training_data.ListLookupTables(
        training_data_pb2.ListLookupTablesRequest(), timeout=CALL_TIMEOUT_S
    )
    return JSONResponse(
        [
            {"id": table.id, "name": table.name, "number_of_elements": table.element_count}
            for table in response.lookup_tables
        ]
    )


@requires(LOOKUP_TABLES_LIST)
async def get_lookup_table(request: Request) -> JSONResponse:
    check_project(request)
    response = await clients(request).training_data.GetLookupTable(
        training_data_pb2.GetLookupTableRequest(id=_lookup_table_id(request)), timeout=CALL_TIMEOUT_S
    )
    return JSONResponse(_lookup_table_item(response.lookup_table))


@requires(LOOKUP_TABLES_CREATE)
async def create_lookup_table(request: Request) -> JSONResponse:
    """Body {"name", "elements": [...]} or Rasa X's upload {"filename", "content"} (one element per non-blank line,
    named after the file without its extension) → 201 with the table; 409 when the name is taken."""
    check_project(request)
    name, elements = _new_lookup_table(await json_object(request))
    response = await clients(request).training_data.CreateLookupTable(
        training_data_pb2.CreateLookupTableRequest(name=name, elements=elements), timeout=CALL_TIMEOUT_S
    )
    return JSONResponse(_lookup_table_item(response.lookup_table), status_code=201)


@requires(LOOKUP_TABLES_DELETE)
async def delete_lookup_table(request: Request) -> Response:
    check_project(request)
    await clients(request).training_data.DeleteLookupTable(
        training_data_pb2.DeleteLookupTableRequest(id=_lookup_table_id(request)), timeout=CALL_TIMEOUT_S
    )
    return Response(status_code=204)


def synonym_item(synonym: training_data_pb2.Synonym) -> dict[str, Any]:
    """Rasa X's synonym: {id, synonym_reference, mapped_values: [{id, value, nlu_examples_count}]}."""
    return {
        "id": synonym.id,
        "synonym_reference": synonym.reference,
        "mapped_values": [
            {"id": value.id, "value": value.value, "nlu_examples_count": value.example_count}
            for value in synonym.values
        ],
    }


def _regex_item(regex: training_data_pb2.Regex) -> dict[str, Any]:
    return {"id": regex.id, "name": regex.name, "pattern": regex.pattern}


def _lookup_table_item(table: training_data_pb2.LookupTable) -> dict[str, Any]:
    return {
        "id": table.id,
        "name": table.name,
        "elements": list(table.elements),
        "number_of_elements": len(table.elements),
    }


def _new_lookup_table(body: dict[str, Any]) -> tuple[str, list[str]]:
    if "filename" not in body and "content" not in body:
        return string_field(body, "name"), string_list(body, "elements")
    filename, content = string_field(body, "filename"), body.get("content")
    if not isinstance(content, str):
        raise ApiError(400, "InvalidBody", "content must be a string: the file's text, one element per line")
    name = PurePosixPath(filename.replace("\\", "/")).stem
    elements = [line.strip() for line in content.splitlines() if line.strip()]
    if not name.strip():
        raise ApiError(400, "InvalidBody", f"filename {filename!r} names no lookup table")
    if not elements:
        raise ApiError(400, "InvalidBody", "content must have at least one non-blank line")
    return name, elements


def _synonym_id(request: Request) -> int:
    return path_id(request, "synonym_id", "synonym")


def _regex_id(request: Request) -> int:
    return path_id(request, "regex_id", "regex")


def _lookup_table_id(request: Request) -> int:
    return path_id(request, "lookup_table_id", "lookup table")


routes = [
    Route("/api/projects/{project_id}/synonyms", list_synonyms, methods=["GET"]),
    Route("/api/projects/{project_id}/synonyms", create_synonym, methods=["POST"]),
    Route("/api/projects/{project_id}/synonyms/{synonym_id}", get_synonym, methods=["GET"]),
    Route("/api/projects/{project_id}/synonyms/{synonym_id}", add_synonym_values, methods=["POST"]),
    Route("/api/projects/{project_id}/synonyms/{synonym_id}", rename_synonym, methods=["PUT"]),
    Route("/api/projects/{project_id}/synonyms/{synonym_id}", delete_synonym, methods=["DELETE"]),
    Route("/api/projects/{project_id}/synonyms/{synonym_id}/{mapping_id}", update_synonym_value, methods=["PUT"]),
    Route("/api/projects/{project_id}/synonyms/{synonym_id}/{mapping_id}", delete_synonym_value, methods=["DELETE"]),
    Route("/api/projects/{project_id}/regexes", list_regexes, methods=["GET"]),
    Route("/api/projects/{project_id}/regexes", create_regex, methods=["POST"]),
    Route("/api/projects/{project_id}/regexes/{regex_id}", get_regex, methods=["GET"]),
    Route("/api/projects/{project_id}/regexes/{regex_id}", update_regex, methods=["PUT"]),
    Route("/api/projects/{project_id}/regexes/{regex_id}", delete_regex, methods=["DELETE"]),
    Route("/api/projects/{project_id}/lookupTables", list_lookup_tables, methods=["GET"]),
    Route("/api/projects/{project_id}/lookupTables", create_lookup_table, methods=["POST"]),
    Route("/api/projects/{project_id}/lookupTables/{lookup_table_id}", get_lookup_table, methods=["GET"]),
    Route("/api/projects/{project_id}/lookupTables/{lookup_table_id}", delete_lookup_table, methods=["DELETE"]),
]
