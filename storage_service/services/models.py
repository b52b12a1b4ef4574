"""gRPC handlers of ModelService: parse the request, call one query function, map the result."""

from __future__ import annotations

from conversely.storage.v1 import models_pb2_grpc
from storage_service.services.base import ServicerBase


class ModelService(ServicerBase, models_pb2_grpc.ModelServiceServicer):
    pass
