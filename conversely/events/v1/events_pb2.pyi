from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class IngestRequest(_message.Message):
    __slots__ = ("events", "rasa_environment")
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    RASA_ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    events: _containers.RepeatedScalarFieldContainer[str]
    rasa_environment: str
    def __init__(self, events: _Optional[_Iterable[str]] = ..., rasa_environment: _Optional[str] = ...) -> None: ...

class IngestResponse(_message.Message):
    __slots__ = ("stored", "duplicates")
    STORED_FIELD_NUMBER: _ClassVar[int]
    DUPLICATES_FIELD_NUMBER: _ClassVar[int]
    stored: int
    duplicates: int
    def __init__(self, stored: _Optional[int] = ..., duplicates: _Optional[int] = ...) -> None: ...

class GetStatusRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetStatusResponse(_message.Message):
    __slots__ = ("sources", "consumed", "stored", "duplicates", "dead_lettered", "last_error", "queue_depth", "batches", "last_batch_size")
    SOURCES_FIELD_NUMBER: _ClassVar[int]
    CONSUMED_FIELD_NUMBER: _ClassVar[int]
    STORED_FIELD_NUMBER: _ClassVar[int]
    DUPLICATES_FIELD_NUMBER: _ClassVar[int]
    DEAD_LETTERED_FIELD_NUMBER: _ClassVar[int]
    LAST_ERROR_FIELD_NUMBER: _ClassVar[int]
    QUEUE_DEPTH_FIELD_NUMBER: _ClassVar[int]
    BATCHES_FIELD_NUMBER: _ClassVar[int]
    LAST_BATCH_SIZE_FIELD_NUMBER: _ClassVar[int]
    sources: _containers.RepeatedScalarFieldContainer[str]
    consumed: int
    stored: int
    duplicates: int
    dead_lettered: int
    last_error: str
    queue_depth: int
    batches: int
    last_batch_size: int
    def __init__(self, sources: _Optional[_Iterable[str]] = ..., consumed: _Optional[int] = ..., stored: _Optional[int] = ..., duplicates: _Optional[int] = ..., dead_lettered: _Optional[int] = ..., last_error: _Optional[str] = ..., queue_depth: _Optional[int] = ..., batches: _Optional[int] = ..., last_batch_size: _Optional[int] = ...) -> None: ...
