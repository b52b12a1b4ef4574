"""gRPC handlers of StoryService: stories, rules and test stories."""

from __future__ import annotations

import time

import grpc
from sqlalchemy.orm import Session

from conversely.storage.v1 import stories_pb2, stories_pb2_grpc, training_data_pb2
from storage_service.models import Story
from storage_service.queries import stories
from storage_service.rasa_yaml.stories import StoryKindName
from storage_service.services.base import ServicerBase, abort, non_negative, page_size

DEFAULT_STORY_LIMIT, MAX_STORY_LIMIT = 100, 1000
_KINDS: dict[int, StoryKindName] = {
    stories_pb2.STORY_KIND_STORY: "story",
    stories_pb2.STORY_KIND_RULE: "rule",
    stories_pb2.STORY_KIND_TEST: "test",
}
_KIND_VALUES: dict[str, stories_pb2.StoryKind] = {
    "story": stories_pb2.STORY_KIND_STORY,
    "rule": stories_pb2.STORY_KIND_RULE,
    "test": stories_pb2.STORY_KIND_TEST,
}


class StoryService(ServicerBase, stories_pb2_grpc.StoryServiceServicer):
    def ListStories(
        self, request: stories_pb2.ListStoriesRequest, context: grpc.ServicerContext
    ) -> stories_pb2.ListStoriesResponse:
        story_filter = stories.StoryFilter(
            limit=page_size(context, request.limit, DEFAULT_STORY_LIMIT, MAX_STORY_LIMIT, "limit"),
            offset=non_negative(context, request.offset, "offset"),
            kind=None if request.kind == stories_pb2.STORY_KIND_UNSPECIFIED else _kind(context, request.kind),
            query=request.query,
            ids=list(request.ids),
        )

        def work(session: Session) -> stories_pb2.ListStoriesResponse:
            rows, total = stories.list_stories(session, story_filter)
            return stories_pb2.ListStoriesResponse(stories=[_story(row) for row in rows], total_count=total)

        key = "stories:" + request.SerializeToString(deterministic=True).hex()
        return self._cached(context, key, stories_pb2.ListStoriesResponse, work)

    def GetStory(
        self, request: stories_pb2.GetStoryRequest, context: grpc.ServicerContext
    ) -> stories_pb2.GetStoryResponse:
        return self._read(
            context, lambda s: stories_pb2.GetStoryResponse(story=_story(stories.get_story(s, request.id)))
        )

    def CreateStories(
        self, request: stories_pb2.CreateStoriesRequest, context: grpc.ServicerContext
    ) -> stories_pb2.CreateStoriesResponse:
        kind = _kind(context, request.kind)
        annotator, at = _annotation(request.annotation)

        def work(session: Session) -> stories_pb2.CreateStoriesResponse:
            rows = stories.create_stories(session, kind, request.yaml, request.filename, annotator, at)
            return stories_pb2.CreateStoriesResponse(stories=[_story(row) for row in rows])

        return self._write(context, work)

    def UpdateStory(
        self, request: stories_pb2.UpdateStoryRequest, context: grpc.ServicerContext
    ) -> stories_pb2.UpdateStoryResponse:
        annotator, at = _annotation(request.annotation)

        def work(session: Session) -> stories_pb2.UpdateStoryResponse:
            row = stories.update_story(session, request.id, request.yaml, annotator, at)
            return stories_pb2.UpdateStoryResponse(story=_story(row))

        return self._write(context, work)

    def DeleteStories(
        self, request: stories_pb2.DeleteStoriesRequest, context: grpc.ServicerContext
    ) -> stories_pb2.DeleteStoriesResponse:
        deleted = self._write(context, lambda s: stories.delete_stories(s, list(request.ids)), lambda n: n > 0)
        return stories_pb2.DeleteStoriesResponse(deleted_count=deleted)

    def ReplaceStories(
        self, request: stories_pb2.ReplaceStoriesRequest, context: grpc.ServicerContext
    ) -> stories_pb2.ReplaceStoriesResponse:
        kind = _kind(context, request.kind)
        annotator, at = _annotation(request.annotation)

        def work(session: Session) -> stories_pb2.ReplaceStoriesResponse:
            rows = stories.replace_stories(session, kind, request.yaml, annotator, at)
            return stories_pb2.ReplaceStoriesResponse(stories=[_story(row) for row in rows])

        return self._write(context, work)


def _kind(context: grpc.ServicerContext, value: int) -> StoryKindName:
    kind = _KINDS.get(value)
    if kind is None:
        abort(context, grpc.StatusCode.INVALID_ARGUMENT, f"kind must be story, rule or test, not {value}")
    return kind


def _annotation(annotation: training_data_pb2.Annotation) -> tuple[str | None, float]:
    """Who made the change and when (now when not given)."""
    return annotation.user or None, annotation.time or time.time()


def _story(row: Story) -> stories_pb2.Story:
    return stories_pb2.Story(
        id=row.id,
        name=row.name,
        kind=_KIND_VALUES[row.kind],
        yaml=stories.story_yaml(row),
        filename=row.filename or "",
        annotation=training_data_pb2.Annotation(user=row.annotator or "", time=row.annotated_at or 0.0),
    )
