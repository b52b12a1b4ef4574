from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class InboxOrder(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    INBOX_ORDER_UNSPECIFIED: _ClassVar[InboxOrder]
    INBOX_ORDER_ID: _ClassVar[InboxOrder]
    INBOX_ORDER_TIME: _ClassVar[InboxOrder]
    INBOX_ORDER_CONFIDENCE: _ClassVar[InboxOrder]
INBOX_ORDER_UNSPECIFIED: InboxOrder
INBOX_ORDER_ID: InboxOrder
INBOX_ORDER_TIME: InboxOrder
INBOX_ORDER_CONFIDENCE: InboxOrder

class InboxMessage(_message.Message):
    __slots__ = ("id", "hash", "text", "intent", "confidence", "user_input_json", "conversation_id", "event_id", "time", "model")
    ID_FIELD_NUMBER: _ClassVar[int]
    HASH_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    INTENT_FIELD_NUMBER: _ClassVar[int]
    CONFIDENCE_FIELD_NUMBER: _ClassVar[int]
    USER_INPUT_JSON_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    id: int
    hash: str
    text: str
    intent: str
    confidence: float
    user_input_json: str
    conversation_id: str
    event_id: int
    time: float
    model: str
    def __init__(self, id: _Optional[int] = ..., hash: _Optional[str] = ..., text: _Optional[str] = ..., intent: _Optional[str] = ..., confidence: _Optional[float] = ..., user_input_json: _Optional[str] = ..., conversation_id: _Optional[str] = ..., event_id: _Optional[int] = ..., time: _Optional[float] = ..., model: _Optional[str] = ...) -> None: ...

class ListInboxMessagesRequest(_message.Message):
    __slots__ = ("limit", "offset", "query", "intents", "order", "ascending", "exclude_training_data")
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    INTENTS_FIELD_NUMBER: _ClassVar[int]
    ORDER_FIELD_NUMBER: _ClassVar[int]
    ASCENDING_FIELD_NUMBER: _ClassVar[int]
    EXCLUDE_TRAINING_DATA_FIELD_NUMBER: _ClassVar[int]
    limit: int
    offset: int
    query: str
    intents: _containers.RepeatedScalarFieldContainer[str]
    order: InboxOrder
    ascending: bool
    exclude_training_data: bool
    def __init__(self, limit: _Optional[int] = ..., offset: _Optional[int] = ..., query: _Optional[str] = ..., intents: _Optional[_Iterable[str]] = ..., order: _Optional[_Union[InboxOrder, str]] = ..., ascending: _Optional[bool] = ..., exclude_training_data: _Optional[bool] = ...) -> None: ...

class ListInboxMessagesResponse(_message.Message):
    __slots__ = ("messages", "total_count")
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    TOTAL_COUNT_FIELD_NUMBER: _ClassVar[int]
    messages: _containers.RepeatedCompositeFieldContainer[InboxMessage]
    total_count: int
    def __init__(self, messages: _Optional[_Iterable[_Union[InboxMessage, _Mapping]]] = ..., total_count: _Optional[int] = ...) -> None: ...

class GetInboxMessageRequest(_message.Message):
    __slots__ = ("id", "hash")
    ID_FIELD_NUMBER: _ClassVar[int]
    HASH_FIELD_NUMBER: _ClassVar[int]
    id: int
    hash: str
    def __init__(self, id: _Optional[int] = ..., hash: _Optional[str] = ...) -> None: ...

class GetInboxMessageResponse(_message.Message):
    __slots__ = ("message",)
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    message: InboxMessage
    def __init__(self, message: _Optional[_Union[InboxMessage, _Mapping]] = ...) -> None: ...

class AddInboxMessageRequest(_message.Message):
    __slots__ = ("text", "user_input_json", "model", "time")
    TEXT_FIELD_NUMBER: _ClassVar[int]
    USER_INPUT_JSON_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    text: str
    user_input_json: str
    model: str
    time: float
    def __init__(self, text: _Optional[str] = ..., user_input_json: _Optional[str] = ..., model: _Optional[str] = ..., time: _Optional[float] = ...) -> None: ...

class AddInboxMessageResponse(_message.Message):
    __slots__ = ("message",)
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    message: InboxMessage
    def __init__(self, message: _Optional[_Union[InboxMessage, _Mapping]] = ...) -> None: ...

class DeleteInboxMessageRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: int
    def __init__(self, id: _Optional[int] = ...) -> None: ...

class DeleteInboxMessageResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...
