from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class MigrationState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MIGRATION_STATE_UNSPECIFIED: _ClassVar[MigrationState]
    MIGRATION_STATE_PENDING: _ClassVar[MigrationState]
    MIGRATION_STATE_IN_PROGRESS: _ClassVar[MigrationState]
    MIGRATION_STATE_COMPLETED: _ClassVar[MigrationState]
    MIGRATION_STATE_FAILED: _ClassVar[MigrationState]
MIGRATION_STATE_UNSPECIFIED: MigrationState
MIGRATION_STATE_PENDING: MigrationState
MIGRATION_STATE_IN_PROGRESS: MigrationState
MIGRATION_STATE_COMPLETED: MigrationState
MIGRATION_STATE_FAILED: MigrationState

class GetStatusRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetStatusResponse(_message.Message):
    __slots__ = ("state", "current_revisions", "target_revisions", "progress_percent", "message")
    STATE_FIELD_NUMBER: _ClassVar[int]
    CURRENT_REVISIONS_FIELD_NUMBER: _ClassVar[int]
    TARGET_REVISIONS_FIELD_NUMBER: _ClassVar[int]
    PROGRESS_PERCENT_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    state: MigrationState
    current_revisions: _containers.RepeatedScalarFieldContainer[str]
    target_revisions: _containers.RepeatedScalarFieldContainer[str]
    progress_percent: float
    message: str
    def __init__(self, state: _Optional[_Union[MigrationState, str]] = ..., current_revisions: _Optional[_Iterable[str]] = ..., target_revisions: _Optional[_Iterable[str]] = ..., progress_percent: _Optional[float] = ..., message: _Optional[str] = ...) -> None: ...
