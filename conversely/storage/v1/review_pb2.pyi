from conversely.storage.v1 import storage_pb2 as _storage_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Tag(_message.Message):
    __slots__ = ("id", "value", "color", "sender_ids")
    ID_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    COLOR_FIELD_NUMBER: _ClassVar[int]
    SENDER_IDS_FIELD_NUMBER: _ClassVar[int]
    id: int
    value: str
    color: str
    sender_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, id: _Optional[int] = ..., value: _Optional[str] = ..., color: _Optional[str] = ..., sender_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class SetReviewStatusRequest(_message.Message):
    __slots__ = ("sender_id", "review_status")
    SENDER_ID_FIELD_NUMBER: _ClassVar[int]
    REVIEW_STATUS_FIELD_NUMBER: _ClassVar[int]
    sender_id: str
    review_status: _storage_pb2.ReviewStatus
    def __init__(self, sender_id: _Optional[str] = ..., review_status: _Optional[_Union[_storage_pb2.ReviewStatus, str]] = ...) -> None: ...

class SetReviewStatusResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class SetMessageFlagRequest(_message.Message):
    __slots__ = ("sender_id", "message_timestamp", "flagged")
    SENDER_ID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    FLAGGED_FIELD_NUMBER: _ClassVar[int]
    sender_id: str
    message_timestamp: float
    flagged: bool
    def __init__(self, sender_id: _Optional[str] = ..., message_timestamp: _Optional[float] = ..., flagged: _Optional[bool] = ...) -> None: ...

class SetMessageFlagResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class SetMessageCorrectionRequest(_message.Message):
    __slots__ = ("sender_id", "correction")
    SENDER_ID_FIELD_NUMBER: _ClassVar[int]
    CORRECTION_FIELD_NUMBER: _ClassVar[int]
    sender_id: str
    correction: _storage_pb2.MessageCorrection
    def __init__(self, sender_id: _Optional[str] = ..., correction: _Optional[_Union[_storage_pb2.MessageCorrection, _Mapping]] = ...) -> None: ...

class SetMessageCorrectionResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class DeleteMessageCorrectionRequest(_message.Message):
    __slots__ = ("sender_id", "message_timestamp")
    SENDER_ID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    sender_id: str
    message_timestamp: float
    def __init__(self, sender_id: _Optional[str] = ..., message_timestamp: _Optional[float] = ...) -> None: ...

class DeleteMessageCorrectionResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListTagsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListTagsResponse(_message.Message):
    __slots__ = ("tags",)
    TAGS_FIELD_NUMBER: _ClassVar[int]
    tags: _containers.RepeatedCompositeFieldContainer[Tag]
    def __init__(self, tags: _Optional[_Iterable[_Union[Tag, _Mapping]]] = ...) -> None: ...

class ListConversationTagsRequest(_message.Message):
    __slots__ = ("sender_id",)
    SENDER_ID_FIELD_NUMBER: _ClassVar[int]
    sender_id: str
    def __init__(self, sender_id: _Optional[str] = ...) -> None: ...

class ListConversationTagsResponse(_message.Message):
    __slots__ = ("tags",)
    TAGS_FIELD_NUMBER: _ClassVar[int]
    tags: _containers.RepeatedCompositeFieldContainer[Tag]
    def __init__(self, tags: _Optional[_Iterable[_Union[Tag, _Mapping]]] = ...) -> None: ...

class NewTag(_message.Message):
    __slots__ = ("id", "value", "color")
    ID_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    COLOR_FIELD_NUMBER: _ClassVar[int]
    id: int
    value: str
    color: str
    def __init__(self, id: _Optional[int] = ..., value: _Optional[str] = ..., color: _Optional[str] = ...) -> None: ...

class AddConversationTagsRequest(_message.Message):
    __slots__ = ("sender_id", "tags")
    SENDER_ID_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    sender_id: str
    tags: _containers.RepeatedCompositeFieldContainer[NewTag]
    def __init__(self, sender_id: _Optional[str] = ..., tags: _Optional[_Iterable[_Union[NewTag, _Mapping]]] = ...) -> None: ...

class AddConversationTagsResponse(_message.Message):
    __slots__ = ("tags",)
    TAGS_FIELD_NUMBER: _ClassVar[int]
    tags: _containers.RepeatedCompositeFieldContainer[Tag]
    def __init__(self, tags: _Optional[_Iterable[_Union[Tag, _Mapping]]] = ...) -> None: ...

class RemoveConversationTagRequest(_message.Message):
    __slots__ = ("sender_id", "tag_id")
    SENDER_ID_FIELD_NUMBER: _ClassVar[int]
    TAG_ID_FIELD_NUMBER: _ClassVar[int]
    sender_id: str
    tag_id: int
    def __init__(self, sender_id: _Optional[str] = ..., tag_id: _Optional[int] = ...) -> None: ...

class RemoveConversationTagResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class DeleteTagRequest(_message.Message):
    __slots__ = ("tag_id",)
    TAG_ID_FIELD_NUMBER: _ClassVar[int]
    tag_id: int
    def __init__(self, tag_id: _Optional[int] = ...) -> None: ...

class DeleteTagResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...
