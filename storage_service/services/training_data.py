"""gRPC handlers of TrainingDataService: NLU examples, intents, user goals, entities, synonyms, regexes, lookups."""

from __future__ import annotations

from conversely.storage.v1 import training_data_pb2_grpc
from storage_service.services.base import ServicerBase


class TrainingDataService(ServicerBase, training_data_pb2_grpc.TrainingDataServiceServicer):
    pass
