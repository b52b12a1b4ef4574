from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Event(_message.Message):
    __slots__ = ("sender_id", "json", "rasa_environment")
    SENDER_ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIELD_NUMBER: _ClassVar[int]
    RASA_ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    sender_id: str
    json: str
    rasa_environment: str
    def __init__(self, sender_id: _Optional[str] = ..., json: _Optional[str] = ..., rasa_environment: _Optional[str] = ...) -> None: ...

class Checkpoint(_message.Message):
    __slots__ = ("source", "position")
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    source: str
    position: int
    def __init__(self, source: _Optional[str] = ..., position: _Optional[int] = ...) -> None: ...

class AppendEventsRequest(_message.Message):
    __slots__ = ("events", "checkpoint")
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    CHECKPOINT_FIELD_NUMBER: _ClassVar[int]
    events: _containers.RepeatedCompositeFieldContainer[Event]
    checkpoint: Checkpoint
    def __init__(self, events: _Optional[_Iterable[_Union[Event, _Mapping]]] = ..., checkpoint: _Optional[_Union[Checkpoint, _Mapping]] = ...) -> None: ...

class AppendEventsResponse(_message.Message):
    __slots__ = ("stored", "duplicates")
    STORED_FIELD_NUMBER: _ClassVar[int]
    DUPLICATES_FIELD_NUMBER: _ClassVar[int]
    stored: int
    duplicates: int
    def __init__(self, stored: _Optional[int] = ..., duplicates: _Optional[int] = ...) -> None: ...

class GetCheckpointRequest(_message.Message):
    __slots__ = ("source",)
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    source: str
    def __init__(self, source: _Optional[str] = ...) -> None: ...

class GetCheckpointResponse(_message.Message):
    __slots__ = ("position",)
    POSITION_FIELD_NUMBER: _ClassVar[int]
    position: int
    def __init__(self, position: _Optional[int] = ...) -> None: ...

class Conversation(_message.Message):
    __slots__ = ("sender_id", "latest_event_time", "latest_input_channel", "number_user_messages", "intents", "actions", "number_events", "entities", "policies", "slots", "rasa_environments", "minimum_action_confidence", "maximum_action_confidence", "minimum_intent_confidence", "maximum_intent_confidence", "has_flagged_messages", "interactive")
    SENDER_ID_FIELD_NUMBER: _ClassVar[int]
    LATEST_EVENT_TIME_FIELD_NUMBER: _ClassVar[int]
    LATEST_INPUT_CHANNEL_FIELD_NUMBER: _ClassVar[int]
    NUMBER_USER_MESSAGES_FIELD_NUMBER: _ClassVar[int]
    INTENTS_FIELD_NUMBER: _ClassVar[int]
    ACTIONS_FIELD_NUMBER: _ClassVar[int]
    NUMBER_EVENTS_FIELD_NUMBER: _ClassVar[int]
    ENTITIES_FIELD_NUMBER: _ClassVar[int]
    POLICIES_FIELD_NUMBER: _ClassVar[int]
    SLOTS_FIELD_NUMBER: _ClassVar[int]
    RASA_ENVIRONMENTS_FIELD_NUMBER: _ClassVar[int]
    MINIMUM_ACTION_CONFIDENCE_FIELD_NUMBER: _ClassVar[int]
    MAXIMUM_ACTION_CONFIDENCE_FIELD_NUMBER: _ClassVar[int]
    MINIMUM_INTENT_CONFIDENCE_FIELD_NUMBER: _ClassVar[int]
    MAXIMUM_INTENT_CONFIDENCE_FIELD_NUMBER: _ClassVar[int]
    HAS_FLAGGED_MESSAGES_FIELD_NUMBER: _ClassVar[int]
    INTERACTIVE_FIELD_NUMBER: _ClassVar[int]
    sender_id: str
    latest_event_time: float
    latest_input_channel: str
    number_user_messages: int
    intents: _containers.RepeatedScalarFieldContainer[str]
    actions: _containers.RepeatedScalarFieldContainer[str]
    number_events: int
    entities: _containers.RepeatedScalarFieldContainer[str]
    policies: _containers.RepeatedScalarFieldContainer[str]
    slots: _containers.RepeatedScalarFieldContainer[str]
    rasa_environments: _containers.RepeatedScalarFieldContainer[str]
    minimum_action_confidence: float
    maximum_action_confidence: float
    minimum_intent_confidence: float
    maximum_intent_confidence: float
    has_flagged_messages: bool
    interactive: bool
    def __init__(self, sender_id: _Optional[str] = ..., latest_event_time: _Optional[float] = ..., latest_input_channel: _Optional[str] = ..., number_user_messages: _Optional[int] = ..., intents: _Optional[_Iterable[str]] = ..., actions: _Optional[_Iterable[str]] = ..., number_events: _Optional[int] = ..., entities: _Optional[_Iterable[str]] = ..., policies: _Optional[_Iterable[str]] = ..., slots: _Optional[_Iterable[str]] = ..., rasa_environments: _Optional[_Iterable[str]] = ..., minimum_action_confidence: _Optional[float] = ..., maximum_action_confidence: _Optional[float] = ..., minimum_intent_confidence: _Optional[float] = ..., maximum_intent_confidence: _Optional[float] = ..., has_flagged_messages: _Optional[bool] = ..., interactive: _Optional[bool] = ...) -> None: ...

class ListConversationsRequest(_message.Message):
    __slots__ = ("limit", "offset")
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    limit: int
    offset: int
    def __init__(self, limit: _Optional[int] = ..., offset: _Optional[int] = ...) -> None: ...

class ListConversationsResponse(_message.Message):
    __slots__ = ("conversations", "total_count")
    CONVERSATIONS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_COUNT_FIELD_NUMBER: _ClassVar[int]
    conversations: _containers.RepeatedCompositeFieldContainer[Conversation]
    total_count: int
    def __init__(self, conversations: _Optional[_Iterable[_Union[Conversation, _Mapping]]] = ..., total_count: _Optional[int] = ...) -> None: ...

class GetConversationRequest(_message.Message):
    __slots__ = ("sender_id",)
    SENDER_ID_FIELD_NUMBER: _ClassVar[int]
    sender_id: str
    def __init__(self, sender_id: _Optional[str] = ...) -> None: ...

class GetConversationResponse(_message.Message):
    __slots__ = ("conversation",)
    CONVERSATION_FIELD_NUMBER: _ClassVar[int]
    conversation: Conversation
    def __init__(self, conversation: _Optional[_Union[Conversation, _Mapping]] = ...) -> None: ...

class StoredEvent(_message.Message):
    __slots__ = ("id", "json", "timestamp")
    ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    id: int
    json: str
    timestamp: float
    def __init__(self, id: _Optional[int] = ..., json: _Optional[str] = ..., timestamp: _Optional[float] = ...) -> None: ...

class ListConversationEventsRequest(_message.Message):
    __slots__ = ("sender_id", "page_size", "offset")
    SENDER_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    sender_id: str
    page_size: int
    offset: int
    def __init__(self, sender_id: _Optional[str] = ..., page_size: _Optional[int] = ..., offset: _Optional[int] = ...) -> None: ...

class ListConversationEventsResponse(_message.Message):
    __slots__ = ("events", "next_offset")
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_OFFSET_FIELD_NUMBER: _ClassVar[int]
    events: _containers.RepeatedCompositeFieldContainer[StoredEvent]
    next_offset: int
    def __init__(self, events: _Optional[_Iterable[_Union[StoredEvent, _Mapping]]] = ..., next_offset: _Optional[int] = ...) -> None: ...
