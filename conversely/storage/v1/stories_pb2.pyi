from conversely.storage.v1 import training_data_pb2 as _training_data_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class StoryKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    STORY_KIND_UNSPECIFIED: _ClassVar[StoryKind]
    STORY_KIND_STORY: _ClassVar[StoryKind]
    STORY_KIND_RULE: _ClassVar[StoryKind]
    STORY_KIND_TEST: _ClassVar[StoryKind]
STORY_KIND_UNSPECIFIED: StoryKind
STORY_KIND_STORY: StoryKind
STORY_KIND_RULE: StoryKind
STORY_KIND_TEST: StoryKind

class Story(_message.Message):
    __slots__ = ("id", "name", "kind", "yaml", "filename", "annotation")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    YAML_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    ANNOTATION_FIELD_NUMBER: _ClassVar[int]
    id: int
    name: str
    kind: StoryKind
    yaml: str
    filename: str
    annotation: _training_data_pb2.Annotation
    def __init__(self, id: _Optional[int] = ..., name: _Optional[str] = ..., kind: _Optional[_Union[StoryKind, str]] = ..., yaml: _Optional[str] = ..., filename: _Optional[str] = ..., annotation: _Optional[_Union[_training_data_pb2.Annotation, _Mapping]] = ...) -> None: ...

class ListStoriesRequest(_message.Message):
    __slots__ = ("kind", "limit", "offset", "query", "ids")
    KIND_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    IDS_FIELD_NUMBER: _ClassVar[int]
    kind: StoryKind
    limit: int
    offset: int
    query: str
    ids: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, kind: _Optional[_Union[StoryKind, str]] = ..., limit: _Optional[int] = ..., offset: _Optional[int] = ..., query: _Optional[str] = ..., ids: _Optional[_Iterable[int]] = ...) -> None: ...

class ListStoriesResponse(_message.Message):
    __slots__ = ("stories", "total_count")
    STORIES_FIELD_NUMBER: _ClassVar[int]
    TOTAL_COUNT_FIELD_NUMBER: _ClassVar[int]
    stories: _containers.RepeatedCompositeFieldContainer[Story]
    total_count: int
    def __init__(self, stories: _Optional[_Iterable[_Union[Story, _Mapping]]] = ..., total_count: _Optional[int] = ...) -> None: ...

class GetStoryRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: int
    def __init__(self, id: _Optional[int] = ...) -> None: ...

class GetStoryResponse(_message.Message):
    __slots__ = ("story",)
    STORY_FIELD_NUMBER: _ClassVar[int]
    story: Story
    def __init__(self, story: _Optional[_Union[Story, _Mapping]] = ...) -> None: ...

class CreateStoriesRequest(_message.Message):
    __slots__ = ("kind", "yaml", "filename", "annotation")
    KIND_FIELD_NUMBER: _ClassVar[int]
    YAML_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    ANNOTATION_FIELD_NUMBER: _ClassVar[int]
    kind: StoryKind
    yaml: str
    filename: str
    annotation: _training_data_pb2.Annotation
    def __init__(self, kind: _Optional[_Union[StoryKind, str]] = ..., yaml: _Optional[str] = ..., filename: _Optional[str] = ..., annotation: _Optional[_Union[_training_data_pb2.Annotation, _Mapping]] = ...) -> None: ...

class CreateStoriesResponse(_message.Message):
    __slots__ = ("stories",)
    STORIES_FIELD_NUMBER: _ClassVar[int]
    stories: _containers.RepeatedCompositeFieldContainer[Story]
    def __init__(self, stories: _Optional[_Iterable[_Union[Story, _Mapping]]] = ...) -> None: ...

class UpdateStoryRequest(_message.Message):
    __slots__ = ("id", "yaml", "annotation")
    ID_FIELD_NUMBER: _ClassVar[int]
    YAML_FIELD_NUMBER: _ClassVar[int]
    ANNOTATION_FIELD_NUMBER: _ClassVar[int]
    id: int
    yaml: str
    annotation: _training_data_pb2.Annotation
    def __init__(self, id: _Optional[int] = ..., yaml: _Optional[str] = ..., annotation: _Optional[_Union[_training_data_pb2.Annotation, _Mapping]] = ...) -> None: ...

class UpdateStoryResponse(_message.Message):
    __slots__ = ("story",)
    STORY_FIELD_NUMBER: _ClassVar[int]
    story: Story
    def __init__(self, story: _Optional[_Union[Story, _Mapping]] = ...) -> None: ...

class DeleteStoriesRequest(_message.Message):
    __slots__ = ("ids",)
    IDS_FIELD_NUMBER: _ClassVar[int]
    ids: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, ids: _Optional[_Iterable[int]] = ...) -> None: ...

class DeleteStoriesResponse(_message.Message):
    __slots__ = ("deleted_count",)
    DELETED_COUNT_FIELD_NUMBER: _ClassVar[int]
    deleted_count: int
    def __init__(self, deleted_count: _Optional[int] = ...) -> None: ...

class ReplaceStoriesRequest(_message.Message):
    __slots__ = ("kind", "yaml", "annotation")
    KIND_FIELD_NUMBER: _ClassVar[int]
    YAML_FIELD_NUMBER: _ClassVar[int]
    ANNOTATION_FIELD_NUMBER: _ClassVar[int]
    kind: StoryKind
    yaml: str
    annotation: _training_data_pb2.Annotation
    def __init__(self, kind: _Optional[_Union[StoryKind, str]] = ..., yaml: _Optional[str] = ..., annotation: _Optional[_Union[_training_data_pb2.Annotation, _Mapping]] = ...) -> None: ...

class ReplaceStoriesResponse(_message.Message):
    __slots__ = ("stories",)
    STORIES_FIELD_NUMBER: _ClassVar[int]
    stories: _containers.RepeatedCompositeFieldContainer[Story]
    def __init__(self, stories: _Optional[_Iterable[_Union[Story, _Mapping]]] = ...) -> None: ...
