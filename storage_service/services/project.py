"""gRPC handlers of ProjectService: importing and exporting a whole Rasa project."""

from __future__ import annotations

from conversely.storage.v1 import project_pb2_grpc
from storage_service.services.base import ServicerBase


class ProjectService(ServicerBase, project_pb2_grpc.ProjectServiceServicer):
    pass
