"""gRPC handlers of StorageService: parse the request, call one query function, map the result."""

from __future__ import annotations

import grpc

from conversely.rasa_events import InvalidEvent, parse_event
from conversely.storage.v1 import storage_pb2, storage_pb2_grpc
from storage_service.queries import conversations, events
from storage_service.services.base import ServicerBase, non_negative, page_size

DEFAULT_CONVERSATIONS_LIMIT, MAX_CONVERSATIONS_LIMIT = 20, 1000
DEFAULT_EVENTS_PAGE, MAX_EVENTS_PAGE = 1000, 10000


class StorageService(ServicerBase, storage_pb2_grpc.StorageServiceServicer):
    def AppendEvents(
        self, request: storage_pb2.AppendEventsRequest, context: grpc.ServicerContext
    ) -> storage_pb2.AppendEventsResponse:
        parsed = []
        for index, event in enumerate(request.events):
            try:
                parsed.append((parse_event(event.json, sender_id=event.sender_id or None), event.rasa_environment))
            except InvalidEvent as error:
                context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"events[{index}]: {error}")
        checkpoint = (
            (request.checkpoint.source, request.checkpoint.position) if request.HasField("checkpoint") else None
        )
        result = self._write(context, lambda s: events.append_events(s, parsed, checkpoint))
        return storage_pb2.AppendEventsResponse(stored=result.stored, duplicates=result.duplicates)

    def GetCheckpoint(
        self, request: storage_pb2.GetCheckpointRequest, context: grpc.ServicerContext
    ) -> storage_pb2.GetCheckpointResponse:
        position = self._read(context, lambda s: events.read_checkpoint(s, request.source))
        return storage_pb2.GetCheckpointResponse(position=position)

    def ListConversations(
        self, request: storage_pb2.ListConversationsRequest, context: grpc.ServicerContext
    ) -> storage_pb2.ListConversationsResponse:
        limit = page_size(context, request.limit, DEFAULT_CONVERSATIONS_LIMIT, MAX_CONVERSATIONS_LIMIT, "limit")
        offset = non_negative(context, request.offset, "offset")
        summaries, total = self._read(context, lambda s: conversations.list_conversations(s, limit, offset))
        return storage_pb2.ListConversationsResponse(
            conversations=[_conversation_message(summary) for summary in summaries], total_count=total
        )

    def GetConversation(
        self, request: storage_pb2.GetConversationRequest, context: grpc.ServicerContext
    ) -> storage_pb2.GetConversationResponse:
        summary = self._read(context, lambda s: conversations.get_conversation(s, request.sender_id))
        return storage_pb2.GetConversationResponse(conversation=_conversation_message(summary))

    def ListConversationEvents(
        self, request: storage_pb2.ListConversationEventsRequest, context: grpc.ServicerContext
    ) -> storage_pb2.ListConversationEventsResponse:
        size = page_size(context, request.page_size, DEFAULT_EVENTS_PAGE, MAX_EVENTS_PAGE, "page_size")
        offset = non_negative(context, request.offset, "offset")
        page = self._read(context, lambda s: conversations.list_events(s, request.sender_id, offset, size))
        return storage_pb2.ListConversationEventsResponse(
            events=[storage_pb2.StoredEvent(id=e.id, json=e.json, timestamp=e.timestamp) for e in page],
            next_offset=offset + len(page) if len(page) == size else 0,
        )


def _conversation_message(summary: conversations.ConversationSummary) -> storage_pb2.Conversation:
    row = summary.conversation
    message = storage_pb2.Conversation(
        sender_id=row.sender_id,
        latest_event_time=row.latest_event_time,
        latest_input_channel=row.latest_input_channel or "",
        number_user_messages=row.number_user_messages,
        number_events=row.number_events,
        intents=summary.values("intent"),
        actions=summary.values("action"),
        entities=summary.values("entity"),
        policies=summary.values("policy"),
        slots=summary.values("slot"),
        rasa_environments=summary.values("environment"),
        has_flagged_messages=row.has_flagged_messages,
        interactive=row.interactive,
    )
    for name in (
        "minimum_action_confidence",
        "maximum_action_confidence",
        "minimum_intent_confidence",
        "maximum_intent_confidence",
    ):
        if getattr(row, name) is not None:
            setattr(message, name, getattr(row, name))
    return message
