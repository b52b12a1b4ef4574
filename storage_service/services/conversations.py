"""gRPC handlers of StorageService: parse the request, call one query function, map the result."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

import grpc
from google.protobuf.message import Message
from sqlalchemy.orm import Session

from conversely.rasa_events import InvalidEvent, parse_event
from conversely.storage.v1 import storage_pb2, storage_pb2_grpc
from storage_service.queries import conversations, events, export, statistics
from storage_service.queries.conversation_filter import ConversationFilter, ConversationOrder, SlotCondition
from storage_service.services.base import ServicerBase, abort, non_negative, page_size

DEFAULT_CONVERSATIONS_LIMIT, MAX_CONVERSATIONS_LIMIT = 20, 1000
DEFAULT_EVENTS_PAGE, MAX_EVENTS_PAGE = 1000, 10000
DEFAULT_FILTER_OPTIONS, MAX_FILTER_OPTIONS = 1000, 10000
DEFAULT_TOP, MAX_TOP = 10, 100
REVIEW_STATUS_PREFIX = "REVIEW_STATUS_"
FILTER_OPTIONS = {
    storage_pb2.FILTER_OPTION_KIND_INTENT: statistics.FilterOption.INTENT,
    storage_pb2.FILTER_OPTION_KIND_ENTITY: statistics.FilterOption.ENTITY,
    storage_pb2.FILTER_OPTION_KIND_ACTION: statistics.FilterOption.ACTION,
    storage_pb2.FILTER_OPTION_KIND_POLICY: statistics.FilterOption.POLICY,
    storage_pb2.FILTER_OPTION_KIND_SLOT_NAME: statistics.FilterOption.SLOT_NAME,
    storage_pb2.FILTER_OPTION_KIND_SLOT_VALUE: statistics.FilterOption.SLOT_VALUE,
    storage_pb2.FILTER_OPTION_KIND_INPUT_CHANNEL: statistics.FilterOption.INPUT_CHANNEL,
}


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
        result = self._write(
            context,
            lambda s: events.append_events(s, parsed, checkpoint),
            changed=lambda appended: appended.stored > 0,  # a redelivered batch changes nothing
        )
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
        wanted = conversation_filter(context, request.filter)
        order = (
            ConversationOrder(request.order.by_latest_event_time, request.order.by_confidence)
            if request.HasField("order")
            else ConversationOrder()
        )

        def work(session: Session) -> storage_pb2.ListConversationsResponse:
            summaries, total = conversations.list_conversations(session, limit, offset, wanted, order)
            return storage_pb2.ListConversationsResponse(
                conversations=[conversation_message(summary) for summary in summaries], total_count=total
            )

        return self._cached(context, _cache_key(request), storage_pb2.ListConversationsResponse, work)

    def GetConversation(
        self, request: storage_pb2.GetConversationRequest, context: grpc.ServicerContext
    ) -> storage_pb2.GetConversationResponse:
        summary = self._read(context, lambda s: conversations.get_conversation(s, request.sender_id))
        return storage_pb2.GetConversationResponse(conversation=conversation_message(summary))

    def ListConversationEvents(
        self, request: storage_pb2.ListConversationEventsRequest, context: grpc.ServicerContext
    ) -> storage_pb2.ListConversationEventsResponse:
        size = page_size(context, request.page_size, DEFAULT_EVENTS_PAGE, MAX_EVENTS_PAGE, "page_size")
        offset = non_negative(context, request.offset, "offset")
        after_id = non_negative(context, request.after_id, "after_id")
        page = self._read(context, lambda s: conversations.list_events(s, request.sender_id, offset, size, after_id))
        # After an id, the client asks for the next page after the last id it got: an offset would mean nothing.
        more = len(page) == size and not after_id
        return storage_pb2.ListConversationEventsResponse(
            events=[_event_message(event) for event in page], next_offset=offset + len(page) if more else 0
        )

    def ListConversationFilterOptions(
        self, request: storage_pb2.ListConversationFilterOptionsRequest, context: grpc.ServicerContext
    ) -> storage_pb2.ListConversationFilterOptionsResponse:
        option = FILTER_OPTIONS.get(request.kind)
        if option is None:
            abort(context, grpc.StatusCode.INVALID_ARGUMENT, "kind must name a filter option")
        if option is statistics.FilterOption.SLOT_VALUE and not request.slot_name:
            abort(context, grpc.StatusCode.INVALID_ARGUMENT, "slot_name is required to list slot values")
        limit = page_size(context, request.limit, DEFAULT_FILTER_OPTIONS, MAX_FILTER_OPTIONS, "limit")
        return self._cached(
            context,
            _cache_key(request),
            storage_pb2.ListConversationFilterOptionsResponse,
            lambda s: storage_pb2.ListConversationFilterOptionsResponse(
                values=statistics.filter_options(s, option, request.slot_name, request.query, limit)
            ),
        )

    def GetStatistics(
        self, request: storage_pb2.GetStatisticsRequest, context: grpc.ServicerContext
    ) -> storage_pb2.GetStatisticsResponse:
        top = page_size(context, request.top, DEFAULT_TOP, MAX_TOP, "top")
        return self._cached(
            context,
            _cache_key(request),
            storage_pb2.GetStatisticsResponse,
            lambda s: _statistics_message(statistics.statistics(s, top)),
        )

    def ExportConversations(
        self, request: storage_pb2.ExportConversationsRequest, context: grpc.ServicerContext
    ) -> Iterator[storage_pb2.ExportConversationsResponse]:
        wanted = conversation_filter(context, request.filter)
        for chunk in export.export_conversations(partial(self._read, context), wanted):
            message = storage_pb2.ExportConversationsResponse(
                sender_id=chunk.sender_id, events=[_event_message(event) for event in chunk.events]
            )
            if chunk.summary is not None:
                message.conversation.CopyFrom(conversation_message(chunk.summary))
            yield message

    def CreateConversation(
        self, request: storage_pb2.CreateConversationRequest, context: grpc.ServicerContext
    ) -> storage_pb2.CreateConversationResponse:
        result = self._write(
            context,
            lambda s: conversations.create_conversation(s, request.sender_id, request.created_by, request.interactive),
            changed=lambda outcome: outcome.changed,
        )
        return storage_pb2.CreateConversationResponse(
            conversation=conversation_message(result.summary), created=result.created
        )

    def DeleteConversation(
        self, request: storage_pb2.DeleteConversationRequest, context: grpc.ServicerContext
    ) -> storage_pb2.DeleteConversationResponse:
        deleted = self._write(context, lambda s: conversations.delete_conversation(s, request.sender_id))
        return storage_pb2.DeleteConversationResponse(deleted_events=deleted)


def conversation_filter(context: grpc.ServicerContext, given: storage_pb2.ConversationFilter) -> ConversationFilter:
    """The query's filter from the request's (INVALID_ARGUMENT for what cannot select anything meaningful)."""
    for index, slot in enumerate(given.slots):
        if not slot.name:
            abort(context, grpc.StatusCode.INVALID_ARGUMENT, f"filter.slots[{index}].name must not be empty")
    review_status = None
    if given.review_status != storage_pb2.REVIEW_STATUS_UNSPECIFIED:
        if given.review_status not in storage_pb2.ReviewStatus.values():
            abort(context, grpc.StatusCode.INVALID_ARGUMENT, "filter.review_status is not a review status")
        review_status = review_status_name(given.review_status)

    def optional(name: str) -> float | None:
        return getattr(given, name) if given.HasField(name) else None  # type: ignore[no-any-return]

    return ConversationFilter(
        start=optional("start"),
        until=optional("until"),
        intents=tuple(given.intents),
        entities=tuple(given.entities),
        actions=tuple(given.actions),
        policies=tuple(given.policies),
        slots=tuple(SlotCondition(slot.name, slot.value) for slot in given.slots),
        input_channels=tuple(given.input_channels),
        text=given.text,
        minimum_user_messages=given.minimum_user_messages,
        minimum_action_confidence=optional("minimum_action_confidence"),
        maximum_action_confidence=optional("maximum_action_confidence"),
        minimum_intent_confidence=optional("minimum_intent_confidence"),
        maximum_intent_confidence=optional("maximum_intent_confidence"),
        in_training_data=given.in_training_data if given.HasField("in_training_data") else None,
        review_status=review_status,
        tag_ids=tuple(given.tag_ids),
        flagged_only=given.flagged_only,
        exclude_interactive=given.exclude_interactive,
        exclude_created_by=given.exclude_created_by,
        created_by=given.created_by,
        rasa_environment=given.rasa_environment,
    )


def review_status_name(status: storage_pb2.ReviewStatus) -> str:
    """The review status as conversation.review_status stores it: REVIEW_STATUS_SAVED_FOR_LATER is
    "saved_for_later" (Rasa X's names)."""
    return storage_pb2.ReviewStatus.Name(status).removeprefix(REVIEW_STATUS_PREFIX).lower()


def review_status_value(name: str) -> storage_pb2.ReviewStatus:
    try:
        return storage_pb2.ReviewStatus.Value(REVIEW_STATUS_PREFIX + name.upper())
    except ValueError:
        return storage_pb2.REVIEW_STATUS_UNSPECIFIED


def conversation_message(summary: conversations.ConversationSummary) -> storage_pb2.Conversation:
    row = summary.conversation
    message = storage_pb2.Conversation(
        sender_id=row.sender_id,
        latest_event_time=row.latest_event_time,
        latest_input_channel=row.latest_input_channel or "",
        number_user_messages=row.number_user_messages,
        number_bot_messages=row.number_bot_messages,
        number_events=row.number_events,
        intents=summary.values("intent"),
        actions=summary.values("action"),
        entities=summary.values("entity"),
        policies=summary.values("policy"),
        slots=summary.values("slot"),
        rasa_environments=summary.values("environment"),
        has_flagged_messages=row.has_flagged_messages,
        interactive=row.interactive,
        review_status=review_status_value(row.review_status),
        in_training_data=row.in_training_data,
        tag_ids=summary.tag_ids,
        corrected_messages=[
            storage_pb2.MessageCorrection(
                message_timestamp=c.message_timestamp, intent=c.intent, mapped_to=c.mapped_to, user_goal=c.user_goal
            )
            for c in summary.corrections
        ],
        created_by=row.created_by or "",
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


def _event_message(event: conversations.StoredEvent) -> storage_pb2.StoredEvent:
    return storage_pb2.StoredEvent(id=event.id, json=event.json, timestamp=event.timestamp, flagged=event.flagged)


def _statistics_message(found: statistics.Statistics) -> storage_pb2.GetStatisticsResponse:
    def top(kind: str) -> list[storage_pb2.ValueCount]:
        return [storage_pb2.ValueCount(value=value, count=count) for value, count in found.top[kind]]

    return storage_pb2.GetStatisticsResponse(
        conversations=found.conversations,
        events=found.events,
        user_messages=found.user_messages,
        bot_messages=found.bot_messages,
        top_intents=top("intent"),
        top_actions=top("action"),
        top_entities=top("entity"),
        top_policies=top("policy"),
    )


def _cache_key(request: Message) -> str:
    """The request itself names the answer: its type and its deterministic serialisation."""
    return f"{request.DESCRIPTOR.full_name}:{request.SerializeToString(deterministic=True).hex()}"
