"""gRPC handlers of ReviewService: parse the request, call one query function, map the result."""

from __future__ import annotations

from conversely.storage.v1 import review_pb2_grpc
from storage_service.services.base import ServicerBase


class ReviewService(ServicerBase, review_pb2_grpc.ReviewServiceServicer):
    pass
