"""gRPC handlers of InboxService: parse the request, call one query function, map the result."""

from __future__ import annotations

import time

import grpc
from sqlalchemy.orm import Session

from conversely.storage.v1 import inbox_pb2, inbox_pb2_grpc
from storage_service.models import MessageLog
from storage_service.queries import inbox
from storage_service.services.base import ServicerBase, abort, non_negative, page_size

DEFAULT_INBOX_LIMIT, MAX_INBOX_LIMIT = 20, 1000
_ORDERS: dict[int, inbox.InboxOrder] = {
    inbox_pb2.INBOX_ORDER_UNSPECIFIED: "id",
    inbox_pb2.INBOX_ORDER_ID: "id",
    inbox_pb2.INBOX_ORDER_TIME: "time",
    inbox_pb2.INBOX_ORDER_CONFIDENCE: "confidence",
}


class InboxService(ServicerBase, inbox_pb2_grpc.InboxServiceServicer):
    def ListInboxMessages(
        self, request: inbox_pb2.ListInboxMessagesRequest, context: grpc.ServicerContext
    ) -> inbox_pb2.ListInboxMessagesResponse:
        order = _ORDERS.get(request.order)
        if order is None:
            abort(context, grpc.StatusCode.INVALID_ARGUMENT, f"order {request.order} is not an InboxOrder")
        inbox_filter = inbox.InboxFilter(
            limit=page_size(context, request.limit, DEFAULT_INBOX_LIMIT, MAX_INBOX_LIMIT, "limit"),
            offset=non_negative(context, request.offset, "offset"),
            query=request.query,
            intents=list(request.intents),
            order=order,
            ascending=request.ascending,
            exclude_training_data=request.exclude_training_data,
        )

        def work(session: Session) -> inbox_pb2.ListInboxMessagesResponse:
            rows, total = inbox.list_inbox_messages(session, inbox_filter)
            return inbox_pb2.ListInboxMessagesResponse(
                messages=[_inbox_message(row) for row in rows], total_count=total
            )

        key = "inbox:" + request.SerializeToString(deterministic=True).hex()
        return self._cached(context, key, inbox_pb2.ListInboxMessagesResponse, work)

    def GetInboxMessage(
        self, request: inbox_pb2.GetInboxMessageRequest, context: grpc.ServicerContext
    ) -> inbox_pb2.GetInboxMessageResponse:
        which = request.WhichOneof("key")
        if which is None:
            abort(context, grpc.StatusCode.INVALID_ARGUMENT, "name the inbox message by id or by hash")
        message_id, message_hash = (request.id, None) if which == "id" else (None, request.hash)
        row = self._read(context, lambda s: inbox.get_inbox_message(s, message_id, message_hash))
        return inbox_pb2.GetInboxMessageResponse(message=_inbox_message(row))

    def AddInboxMessage(
        self, request: inbox_pb2.AddInboxMessageRequest, context: grpc.ServicerContext
    ) -> inbox_pb2.AddInboxMessageResponse:
        at = request.time or time.time()
        row = self._write(
            context,
            lambda s: inbox.add_inbox_message(s, request.text, request.user_input_json, request.model, at),
        )
        return inbox_pb2.AddInboxMessageResponse(message=_inbox_message(row))

    def DeleteInboxMessage(
        self, request: inbox_pb2.DeleteInboxMessageRequest, context: grpc.ServicerContext
    ) -> inbox_pb2.DeleteInboxMessageResponse:
        self._write(context, lambda s: inbox.delete_inbox_message(s, request.id))
        return inbox_pb2.DeleteInboxMessageResponse()


def _inbox_message(row: MessageLog) -> inbox_pb2.InboxMessage:
    message = inbox_pb2.InboxMessage(
        id=row.id,
        hash=row.hash,
        text=row.text,
        intent=row.intent or "",
        user_input_json=row.user_input,
        conversation_id=row.conversation_id,
        event_id=row.event_id,
        time=row.time,
        model=row.model or "",
    )
    if row.confidence is not None:
        message.confidence = row.confidence
    return message
