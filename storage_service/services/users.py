"""gRPC handlers of UserService: parse the request, call one query function, map the result."""

from __future__ import annotations

from conversely.storage.v1 import users_pb2_grpc
from storage_service.services.base import ServicerBase


class UserService(ServicerBase, users_pb2_grpc.UserServiceServicer):
    pass
