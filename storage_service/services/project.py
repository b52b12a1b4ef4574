"""gRPC handlers of ProjectService: importing and exporting a whole Rasa project, and warnings about it."""

from __future__ import annotations

import hashlib
import json
import time

import grpc
from sqlalchemy.orm import Session

from conversely.storage.v1 import project_pb2, project_pb2_grpc
from storage_service.queries import domain, nlu_project, stories, warnings
from storage_service.queries.errors import InvalidRequest
from storage_service.rasa_yaml.project import STORY_KINDS, Project, read_project, write_project
from storage_service.services.base import ServicerBase, abort, non_negative

_REPLACE = {project_pb2.IMPORT_MODE_MERGE: False, project_pb2.IMPORT_MODE_REPLACE: True}
_WARNING_KINDS = {
    "intent": project_pb2.WARNING_KIND_INTENT,
    "entity": project_pb2.WARNING_KIND_ENTITY,
    "action": project_pb2.WARNING_KIND_ACTION,
    "slot": project_pb2.WARNING_KIND_SLOT,
}
_WARNING_PROBLEMS = {
    "not_in_domain": project_pb2.WARNING_PROBLEM_NOT_IN_DOMAIN,
    "not_in_training_data": project_pb2.WARNING_PROBLEM_NOT_IN_TRAINING_DATA,
    "too_few_examples": project_pb2.WARNING_PROBLEM_TOO_FEW_EXAMPLES,
}


class ProjectService(ServicerBase, project_pb2_grpc.ProjectServiceServicer):
    def ImportProject(
        self, request: project_pb2.ImportProjectRequest, context: grpc.ServicerContext
    ) -> project_pb2.ImportProjectResponse:
        replace = _REPLACE.get(request.mode)
        if replace is None:
            abort(context, grpc.StatusCode.INVALID_ARGUMENT, "mode must be IMPORT_MODE_MERGE or IMPORT_MODE_REPLACE")
        if not request.files:
            abort(context, grpc.StatusCode.INVALID_ARGUMENT, "there are no files to import")
        try:
            project = read_project([(file.path, file.content) for file in request.files])
        except InvalidRequest as problem:
            abort(context, grpc.StatusCode.INVALID_ARGUMENT, str(problem))
        annotator = request.annotation.user or None
        at = request.annotation.time or time.time()
        self._write(context, lambda s: store_project(s, project, replace, annotator, at))
        return project_pb2.ImportProjectResponse(summary=summary(project))

    def ExportProject(
        self, request: project_pb2.ExportProjectRequest, context: grpc.ServicerContext
    ) -> project_pb2.ExportProjectResponse:
        try:
            files = self._read(context, export_project)
        except ValueError as error:  # an example whose entities Rasa's markup cannot express (render_nlu)
            abort(
                context,
                grpc.StatusCode.FAILED_PRECONDITION,
                f"the stored data cannot be written as Rasa files: {error}",
            )
        return project_pb2.ExportProjectResponse(
            files=[project_pb2.ProjectFile(path=path, content=content) for path, content in files],
            fingerprint=fingerprint(files),
        )

    def ListWarnings(
        self, request: project_pb2.ListWarningsRequest, context: grpc.ServicerContext
    ) -> project_pb2.ListWarningsResponse:
        minimum = non_negative(context, request.minimum_examples, "minimum_examples")
        found = self._read(context, lambda s: warnings.list_warnings(s, minimum or warnings.DEFAULT_MINIMUM_EXAMPLES))
        return project_pb2.ListWarningsResponse(warnings=[warning_message(warning) for warning in found])


def store_project(session: Session, project: Project, replace: bool, annotator: str | None, at: float) -> None:
    """Store every kind of data the project holds; with `replace`, each kind replaces what is stored of it."""
    if project.config is not None:
        domain.import_config(session, project.config)
    if project.domain is not None:
        domain.import_domain(session, project.domain, replace, annotator, at)
    if project.nlu is not None:
        nlu_project.import_nlu(session, project.nlu, replace, annotator, at)
    replace_kinds = project.story_kinds if replace else set()
    for path, blocks in project.story_files:
        stories.import_stories(session, blocks, replace_kinds, annotator, at, path)
        replace_kinds = set()  # replaced once, before the first file's blocks are stored


def export_project(session: Session) -> list[tuple[str, str]]:
    """Every kind of stored data, as the files of a Rasa project."""
    return write_project(
        domain.export_config(session),
        domain.export_domain(session),
        nlu_project.export_nlu(session),
        {kind: stories.export_stories(session, kind) for kind in STORY_KINDS},
    )


def summary(project: Project) -> project_pb2.ImportSummary:
    """What the project's files held."""
    nlu = project.nlu
    return project_pb2.ImportSummary(
        examples=len(nlu.examples) if nlu else 0,
        synonyms=len(nlu.synonyms) if nlu else 0,
        regexes=len(nlu.regexes) if nlu else 0,
        lookup_tables=len(nlu.lookups) if nlu else 0,
        stories=len(project.blocks("story")),
        rules=len(project.blocks("rule")),
        test_stories=len(project.blocks("test")),
        responses=len(project.domain.responses) if project.domain else 0,
        domain=project.domain is not None,
        config=project.config is not None,
    )


def warning_message(warning: warnings.DataWarning) -> project_pb2.TrainingDataWarning:
    return project_pb2.TrainingDataWarning(
        kind=_WARNING_KINDS[warning.kind],
        problem=_WARNING_PROBLEMS[warning.problem],
        name=warning.name,
        message=warning.message,
        example_count=warning.example_count,
    )


def fingerprint(files: list[tuple[str, str]]) -> str:
    """sha256 over the sorted (path, content) pairs: equal for equal files, whatever their order."""
    return hashlib.sha256(json.dumps(sorted(files)).encode()).hexdigest()
