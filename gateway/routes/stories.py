"""Stories, rules and end-to-end test stories (RASA_X_API.md §2.3), and saving a conversation as one.

The three kinds share their handlers: `/api/stories`, `/api/rules` and `/api/test_stories` differ only in the
StoryKind they ask storage for, the permissions they need and the top key of their YAML file.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from conversely.storage.v1 import stories_pb2
from gateway.annotation import annotation, annotation_item
from gateway.auth import requires
from gateway.body import MAX_IDS, id_list, json_body, json_object, yaml_body
from gateway.clients import CALL_TIMEOUT_S, clients
from gateway.conversation_access import readable_conversation
from gateway.conversation_events import rasa_event, stored_events
from gateway.errors import ApiError
from gateway.params import MAX_ID, MAX_ID_DIGITS, YAML_MEDIA_TYPE, int_param, list_param, path_id, wants_yaml
from gateway.permissions import (
    RULES_CREATE,
    RULES_DELETE,
    RULES_LIST,
    RULES_UPDATE,
    STORIES_CREATE,
    STORIES_DELETE,
    STORIES_LIST,
    STORIES_UPDATE,
    TEST_STORIES_CREATE,
    TEST_STORIES_DELETE,
    TEST_STORIES_LIST,
    TEST_STORIES_UPDATE,
)
from gateway.story import STORY_FORMAT_VERSION, end_to_end_story_yaml, story_yaml

MAX_PAGE = 1000
MAX_NAME_CHARS = 1000

Handler = Callable[[Request, "Kind"], Awaitable[Response]]


@dataclass(frozen=True)
class Kind:
    """One of the three kinds of story: its path segment, storage's kind, its YAML key and permissions."""

    plural: str
    singular: str
    stored_as: stories_pb2.StoryKind
    yaml_key: str
    list_permission: str
    create_permission: str
    update_permission: str
    delete_permission: str


STORIES = Kind(
    plural="stories",
    singular="story",
    stored_as=stories_pb2.STORY_KIND_STORY,
    yaml_key="stories",
    list_permission=STORIES_LIST,
    create_permission=STORIES_CREATE,
    update_permission=STORIES_UPDATE,
    delete_permission=STORIES_DELETE,
)
RULES = Kind(
    plural="rules",
    singular="rule",
    stored_as=stories_pb2.STORY_KIND_RULE,
    yaml_key="rules",
    list_permission=RULES_LIST,
    create_permission=RULES_CREATE,
    update_permission=RULES_UPDATE,
    delete_permission=RULES_DELETE,
)
TEST_STORIES = Kind(
    plural="test_stories",
    singular="test_story",
    stored_as=stories_pb2.STORY_KIND_TEST,
    yaml_key="stories",  # Rasa's tests/ files hold their end-to-end stories under `stories:` too
    list_permission=TEST_STORIES_LIST,
    create_permission=TEST_STORIES_CREATE,
    update_permission=TEST_STORIES_UPDATE,
    delete_permission=TEST_STORIES_DELETE,
)


async def list_stories(request: Request, kind: Kind) -> Response:
    """One page of the kind's stories (q, id, limit, offset): JSON items, or a Rasa 3 YAML file by Accept."""
    response = await clients(request).stories.ListStories(
        stories_pb2.ListStoriesRequest(
            kind=kind.stored_as,
            limit=int_param(request, "limit", default=100, minimum=1, maximum=MAX_PAGE),
            offset=int_param(request, "offset", default=0),
            query=request.query_params.get("q", ""),
            ids=[_id(raw, "id") for raw in list_param(request, "id")],
        ),
        timeout=CALL_TIMEOUT_S,
    )
    headers = {"X-Total-Count": str(response.total_count)}
    if wants_yaml(request):
        return PlainTextResponse(
            stories_file(kind.yaml_key, response.stories), media_type=YAML_MEDIA_TYPE, headers=headers
        )
    return JSONResponse([story_item(story) for story in response.stories], headers=headers)


async def create_stories(request: Request, kind: Kind) -> JSONResponse:
    """Store each block of the Rasa 3 YAML body → 201 with the stored stories."""
    response = await clients(request).stories.CreateStories(
        stories_pb2.CreateStoriesRequest(
            kind=kind.stored_as, yaml=await yaml_body(request, "story"), annotation=annotation(request)
        ),
        timeout=CALL_TIMEOUT_S,
    )
    return JSONResponse([story_item(story) for story in response.stories], status_code=201)


async def replace_stories(request: Request, kind: Kind) -> JSONResponse:
    """Replace every story of the kind with the blocks of the YAML body → the stored stories."""
    response = await clients(request).stories.ReplaceStories(
        stories_pb2.ReplaceStoriesRequest(
            kind=kind.stored_as, yaml=await yaml_body(request, "story"), annotation=annotation(request)
        ),
        timeout=CALL_TIMEOUT_S,
    )
    return JSONResponse([story_item(story) for story in response.stories])


async def delete_stories(request: Request, kind: Kind) -> JSONResponse:
    """Delete the stories of the kind whose ids the body lists (`{"ids": [...]}`); ids of other kinds stay."""
    ids = id_list(await json_object(request))
    stories = clients(request).stories
    found = await stories.ListStories(
        stories_pb2.ListStoriesRequest(kind=kind.stored_as, ids=ids, limit=MAX_IDS), timeout=CALL_TIMEOUT_S
    )
    if not found.stories:
        return JSONResponse({"deleted_count": 0})
    deleted = await stories.DeleteStories(
        stories_pb2.DeleteStoriesRequest(ids=[story.id for story in found.stories]), timeout=CALL_TIMEOUT_S
    )
    return JSONResponse({"deleted_count": deleted.deleted_count})


async def get_story(request: Request, kind: Kind) -> JSONResponse:
    return JSONResponse(story_item(await _story_of_kind(request, kind)))


async def update_story(request: Request, kind: Kind) -> JSONResponse:
    """Replace one story with the body's single YAML block."""
    story = await _story_of_kind(request, kind)
    response = await clients(request).stories.UpdateStory(
        stories_pb2.UpdateStoryRequest(
            id=story.id, yaml=await yaml_body(request, "story"), annotation=annotation(request)
        ),
        timeout=CALL_TIMEOUT_S,
    )
    return JSONResponse(story_item(response.story))


async def delete_story(request: Request, kind: Kind) -> Response:
    story = await _story_of_kind(request, kind)
    await clients(request).stories.DeleteStories(
        stories_pb2.DeleteStoriesRequest(ids=[story.id]), timeout=CALL_TIMEOUT_S
    )
    return Response(status_code=204)


async def save_conversation(request: Request, kind: Kind) -> JSONResponse:
    """Store the conversation (reviewers' intent corrections applied) as a story or an end-to-end test story
    named by the optional body `{"name": ...}` (default: the sender id) → 201 with the stored story."""
    conversation = await readable_conversation(request)
    name = await _story_name(request, default=conversation.sender_id)
    events = [rasa_event(event) for event in await stored_events(request, conversation.sender_id)]
    corrections = {c.message_timestamp: c.intent for c in conversation.corrected_messages}
    write = end_to_end_story_yaml if kind is TEST_STORIES else story_yaml
    response = await clients(request).stories.CreateStories(
        stories_pb2.CreateStoriesRequest(
            kind=kind.stored_as, yaml=write(name, events, corrections), annotation=annotation(request)
        ),
        timeout=CALL_TIMEOUT_S,
    )
    return JSONResponse(story_item(response.stories[0]), status_code=201)


async def _story_of_kind(request: Request, kind: Kind) -> stories_pb2.Story:
    """The story the path names; 404 when there is none of this kind."""
    what = kind.singular.replace("_", " ")
    response = await clients(request).stories.GetStory(
        stories_pb2.GetStoryRequest(id=path_id(request, "story_id", what)), timeout=CALL_TIMEOUT_S
    )
    if response.story.kind != kind.stored_as:
        raise ApiError(404, "NotFound", f"no {what} with id {request.path_params['story_id']!r}")
    return response.story


async def _story_name(request: Request, default: str) -> str:
    if not await request.body():
        return default
    body = await json_body(request)
    if not isinstance(body, dict) or not isinstance(body.get("name", default), str):
        raise ApiError(400, "InvalidBody", 'the body, when given, must be {"name": "<story name>"}')
    name: str = body.get("name", default)
    if not name.strip() or len(name) > MAX_NAME_CHARS:
        raise ApiError(400, "InvalidBody", f"name must be a non-blank string of at most {MAX_NAME_CHARS} characters")
    return name


def story_item(story: stories_pb2.Story) -> dict[str, Any]:
    """Rasa X's story (RASA_X_API.md §4.8): the block's YAML as `story`."""
    return {
        "id": story.id,
        "name": story.name,
        "story": story.yaml,
        "annotation": annotation_item(story.annotation),
        "filename": story.filename or None,
        "is_rule": story.kind == stories_pb2.STORY_KIND_RULE,
    }


def stories_file(yaml_key: str, stories: Sequence[stories_pb2.Story]) -> str:
    """A Rasa 3 training data file with these blocks under `yaml_key` (`stories` or `rules`), each as stored."""
    if not stories:
        return f'version: "{STORY_FORMAT_VERSION}"\n{yaml_key}: []\n'
    blocks = "\n".join(story.yaml.rstrip("\n") + "\n" for story in stories)
    return f'version: "{STORY_FORMAT_VERSION}"\n\n{yaml_key}:\n{blocks}'


def _id(raw: str, name: str) -> int:
    value = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= MAX_ID_DIGITS else -1
    if not 0 <= value <= MAX_ID:
        raise ApiError(400, "InvalidParameter", f"{name} must list whole numbers, got {raw!r}")
    return value


def _endpoint(handler: Handler, kind: Kind, permission: str, name: str) -> Callable[[Request], Any]:
    """`handler` for one kind, named (its route's name and operationId) and guarded by `permission`."""

    async def endpoint(request: Request) -> Response:
        return await handler(request, kind)

    endpoint.__name__ = endpoint.__qualname__ = name
    return requires(permission)(endpoint)


def _kind_routes(kind: Kind) -> list[Route]:
    base, one = f"/api/{kind.plural}", f"/api/{kind.plural}/{{story_id}}"
    return [
        Route(base, _endpoint(list_stories, kind, kind.list_permission, f"list_{kind.plural}"), methods=["GET"]),
        Route(base, _endpoint(create_stories, kind, kind.create_permission, f"create_{kind.plural}"), methods=["POST"]),
        Route(
            base, _endpoint(replace_stories, kind, kind.update_permission, f"replace_{kind.plural}"), methods=["PUT"]
        ),
        Route(
            base, _endpoint(delete_stories, kind, kind.delete_permission, f"delete_{kind.plural}"), methods=["DELETE"]
        ),
        Route(one, _endpoint(get_story, kind, kind.list_permission, f"get_{kind.singular}"), methods=["GET"]),
        Route(one, _endpoint(update_story, kind, kind.update_permission, f"update_{kind.singular}"), methods=["PUT"]),
        Route(
            one, _endpoint(delete_story, kind, kind.delete_permission, f"delete_{kind.singular}"), methods=["DELETE"]
        ),
    ]


routes = [
    *_kind_routes(STORIES),
    *_kind_routes(RULES),
    *_kind_routes(TEST_STORIES),
    # `:path` because Rasa sender ids may contain "/" (clients send it percent-encoded as %2F).
    Route(
        "/api/conversations/{sender_id:path}/stories",
        _endpoint(save_conversation, STORIES, STORIES_CREATE, "save_conversation_as_story"),
        methods=["POST"],
    ),
    Route(
        "/api/conversations/{sender_id:path}/test_stories",
        _endpoint(save_conversation, TEST_STORIES, TEST_STORIES_CREATE, "save_conversation_as_test_story"),
        methods=["POST"],
    ),
]
