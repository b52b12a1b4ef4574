"""gRPC handlers of StoryService: stories, rules and test stories."""

from __future__ import annotations

from conversely.storage.v1 import stories_pb2_grpc
from storage_service.services.base import ServicerBase


class StoryService(ServicerBase, stories_pb2_grpc.StoryServiceServicer):
    pass
