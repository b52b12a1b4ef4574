"""gRPC handlers of InboxService: parse the request, call one query function, map the result."""

from __future__ import annotations

from conversely.storage.v1 import inbox_pb2_grpc
from storage_service.services.base import ServicerBase


class InboxService(ServicerBase, inbox_pb2_grpc.InboxServiceServicer):
    pass
