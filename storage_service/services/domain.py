"""gRPC handlers of DomainService: the domain, responses, actions and config.yml."""

from __future__ import annotations

from conversely.storage.v1 import domain_pb2_grpc
from storage_service.services.base import ServicerBase


class DomainService(ServicerBase, domain_pb2_grpc.DomainServiceServicer):
    pass
