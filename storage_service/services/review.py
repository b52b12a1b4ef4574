"""gRPC handlers of ReviewService: parse the request, call one query function, map the result."""

from __future__ import annotations

import grpc

from conversely.storage.v1 import review_pb2, review_pb2_grpc, storage_pb2
from storage_service.queries import review
from storage_service.services.base import ServicerBase, abort
from storage_service.services.conversations import review_status_name


class ReviewService(ServicerBase, review_pb2_grpc.ReviewServiceServicer):
    def SetReviewStatus(
        self, request: review_pb2.SetReviewStatusRequest, context: grpc.ServicerContext
    ) -> review_pb2.SetReviewStatusResponse:
        if request.review_status not in set(storage_pb2.ReviewStatus.values()) - {
            storage_pb2.REVIEW_STATUS_UNSPECIFIED
        }:
            abort(
                context, grpc.StatusCode.INVALID_ARGUMENT, "review_status must be unread, reviewed or saved for later"
            )
        status = review_status_name(request.review_status)
        self._write(context, lambda s: review.set_review_status(s, request.sender_id, status))
        return review_pb2.SetReviewStatusResponse()

    def SetMessageFlag(
        self, request: review_pb2.SetMessageFlagRequest, context: grpc.ServicerContext
    ) -> review_pb2.SetMessageFlagResponse:
        self._write(
            context,
            lambda s: review.set_message_flag(s, request.sender_id, request.message_timestamp, request.flagged),
        )
        return review_pb2.SetMessageFlagResponse()

    def SetMessageCorrection(
        self, request: review_pb2.SetMessageCorrectionRequest, context: grpc.ServicerContext
    ) -> review_pb2.SetMessageCorrectionResponse:
        given = request.correction
        correction = review.Correction(given.message_timestamp, given.intent, given.mapped_to, given.user_goal)
        self._write(context, lambda s: review.set_message_correction(s, request.sender_id, correction))
        return review_pb2.SetMessageCorrectionResponse()

    def DeleteMessageCorrection(
        self, request: review_pb2.DeleteMessageCorrectionRequest, context: grpc.ServicerContext
    ) -> review_pb2.DeleteMessageCorrectionResponse:
        self._write(
            context, lambda s: review.delete_message_correction(s, request.sender_id, request.message_timestamp)
        )
        return review_pb2.DeleteMessageCorrectionResponse()

    def ListTags(
        self, request: review_pb2.ListTagsRequest, context: grpc.ServicerContext
    ) -> review_pb2.ListTagsResponse:
        tags = self._read(context, review.list_tags)
        return review_pb2.ListTagsResponse(tags=[_tag_message(tag) for tag in tags])

    def ListConversationTags(
        self, request: review_pb2.ListConversationTagsRequest, context: grpc.ServicerContext
    ) -> review_pb2.ListConversationTagsResponse:
        tags = self._read(context, lambda s: review.list_conversation_tags(s, request.sender_id))
        return review_pb2.ListConversationTagsResponse(tags=[_tag_message(tag) for tag in tags])

    def AddConversationTags(
        self, request: review_pb2.AddConversationTagsRequest, context: grpc.ServicerContext
    ) -> review_pb2.AddConversationTagsResponse:
        choices = [
            review.TagChoice(tag.id if tag.HasField("id") else None, tag.value, tag.color) for tag in request.tags
        ]
        tags = self._write(context, lambda s: review.add_conversation_tags(s, request.sender_id, choices))
        return review_pb2.AddConversationTagsResponse(tags=[_tag_message(tag) for tag in tags])

    def RemoveConversationTag(
        self, request: review_pb2.RemoveConversationTagRequest, context: grpc.ServicerContext
    ) -> review_pb2.RemoveConversationTagResponse:
        self._write(context, lambda s: review.remove_conversation_tag(s, request.sender_id, request.tag_id))
        return review_pb2.RemoveConversationTagResponse()

    def DeleteTag(
        self, request: review_pb2.DeleteTagRequest, context: grpc.ServicerContext
    ) -> review_pb2.DeleteTagResponse:
        self._write(context, lambda s: review.delete_tag(s, request.tag_id))
        return review_pb2.DeleteTagResponse()


def _tag_message(tag: review.Tag) -> review_pb2.Tag:
    return review_pb2.Tag(id=tag.id, value=tag.value, color=tag.color, sender_ids=tag.sender_ids)
