from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ReviewStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REVIEW_STATUS_UNSPECIFIED: _ClassVar[ReviewStatus]
    REVIEW_STATUS_UNREAD: _ClassVar[ReviewStatus]
    REVIEW_STATUS_REVIEWED: _ClassVar[ReviewStatus]
    REVIEW_STATUS_SAVED_FOR_LATER: _ClassVar[ReviewStatus]

class FilterOptionKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    FILTER_OPTION_KIND_UNSPECIFIED: _ClassVar[FilterOptionKind]
    FILTER_OPTION_KIND_INTENT: _ClassVar[FilterOptionKind]
    FILTER_OPTION_KIND_ENTITY: _ClassVar[FilterOptionKind]
    FILTER_OPTION_KIND_ACTION: _ClassVar[FilterOptionKind]
    FILTER_OPTION_KIND_POLICY: _ClassVar[FilterOptionKind]
    FILTER_OPTION_KIND_SLOT_NAME: _ClassVar[FilterOptionKind]
    FILTER_OPTION_KIND_SLOT_VALUE: _ClassVar[FilterOptionKind]
    FILTER_OPTION_KIND_INPUT_CHANNEL: _ClassVar[FilterOptionKind]
REVIEW_STATUS_UNSPECIFIED: ReviewStatus
REVIEW_STATUS_UNREAD: ReviewStatus
REVIEW_STATUS_REVIEWED: ReviewStatus
REVIEW_STATUS_SAVED_FOR_LATER: ReviewStatus
FILTER_OPTION_KIND_UNSPECIFIED: FilterOptionKind
FILTER_OPTION_KIND_INTENT: FilterOptionKind
FILTER_OPTION_KIND_ENTITY: FilterOptionKind
FILTER_OPTION_KIND_ACTION: FilterOptionKind
FILTER_OPTION_KIND_POLICY: FilterOptionKind
FILTER_OPTION_KIND_SLOT_NAME: FilterOptionKind
FILTER_OPTION_KIND_SLOT_VALUE: FilterOptionKind
FILTER_OPTION_KIND_INPUT_CHANNEL: FilterOptionKind

class MessageCorrection(_message.Message):
    __slots__ = ("message_timestamp", "intent", "mapped_to", "user_goal")
    MESSAGE_TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    INTENT_FIELD_NUMBER: _ClassVar[int]
    MAPPED_TO_FIELD_NUMBER: _ClassVar[int]
    USER_GOAL_FIELD_NUMBER: _ClassVar[int]
    message_timestamp: float
    intent: str
    mapped_to: str
    user_goal: str
    def __init__(self, message_timestamp: _Optional[float] = ..., intent: _Optional[str] = ..., mapped_to: _Optional[str] = ..., user_goal: _Optional[str] = ...) -> None: ...

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
    __slots__ = ("sender_id", "latest_event_time", "latest_input_channel", "number_user_messages", "intents", "actions", "number_events", "entities", "policies", "slots", "rasa_environments", "minimum_action_confidence", "maximum_action_confidence", "minimum_intent_confidence", "maximum_intent_confidence", "has_flagged_messages", "interactive", "review_status", "in_training_data", "tag_ids", "corrected_messages", "created_by", "number_bot_messages")
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
    REVIEW_STATUS_FIELD_NUMBER: _ClassVar[int]
    IN_TRAINING_DATA_FIELD_NUMBER: _ClassVar[int]
    TAG_IDS_FIELD_NUMBER: _ClassVar[int]
    CORRECTED_MESSAGES_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    NUMBER_BOT_MESSAGES_FIELD_NUMBER: _ClassVar[int]
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
    review_status: ReviewStatus
    in_training_data: bool
    tag_ids: _containers.RepeatedScalarFieldContainer[int]
    corrected_messages: _containers.RepeatedCompositeFieldContainer[MessageCorrection]
    created_by: str
    number_bot_messages: int
    def __init__(self, sender_id: _Optional[str] = ..., latest_event_time: _Optional[float] = ..., latest_input_channel: _Optional[str] = ..., number_user_messages: _Optional[int] = ..., intents: _Optional[_Iterable[str]] = ..., actions: _Optional[_Iterable[str]] = ..., number_events: _Optional[int] = ..., entities: _Optional[_Iterable[str]] = ..., policies: _Optional[_Iterable[str]] = ..., slots: _Optional[_Iterable[str]] = ..., rasa_environments: _Optional[_Iterable[str]] = ..., minimum_action_confidence: _Optional[float] = ..., maximum_action_confidence: _Optional[float] = ..., minimum_intent_confidence: _Optional[float] = ..., maximum_intent_confidence: _Optional[float] = ..., has_flagged_messages: _Optional[bool] = ..., interactive: _Optional[bool] = ..., review_status: _Optional[_Union[ReviewStatus, str]] = ..., in_training_data: _Optional[bool] = ..., tag_ids: _Optional[_Iterable[int]] = ..., corrected_messages: _Optional[_Iterable[_Union[MessageCorrection, _Mapping]]] = ..., created_by: _Optional[str] = ..., number_bot_messages: _Optional[int] = ...) -> None: ...

class SlotFilter(_message.Message):
    __slots__ = ("name", "value")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    name: str
    value: str
    def __init__(self, name: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...

class ConversationFilter(_message.Message):
    __slots__ = ("start", "until", "intents", "entities", "actions", "policies", "slots", "input_channels", "text", "minimum_user_messages", "minimum_action_confidence", "maximum_action_confidence", "minimum_intent_confidence", "maximum_intent_confidence", "in_training_data", "review_status", "tag_ids", "flagged_only", "exclude_interactive", "exclude_created_by", "created_by", "rasa_environment")
    START_FIELD_NUMBER: _ClassVar[int]
    UNTIL_FIELD_NUMBER: _ClassVar[int]
    INTENTS_FIELD_NUMBER: _ClassVar[int]
    ENTITIES_FIELD_NUMBER: _ClassVar[int]
    ACTIONS_FIELD_NUMBER: _ClassVar[int]
    POLICIES_FIELD_NUMBER: _ClassVar[int]
    SLOTS_FIELD_NUMBER: _ClassVar[int]
    INPUT_CHANNELS_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    MINIMUM_USER_MESSAGES_FIELD_NUMBER: _ClassVar[int]
    MINIMUM_ACTION_CONFIDENCE_FIELD_NUMBER: _ClassVar[int]
    MAXIMUM_ACTION_CONFIDENCE_FIELD_NUMBER: _ClassVar[int]
    MINIMUM_INTENT_CONFIDENCE_FIELD_NUMBER: _ClassVar[int]
    MAXIMUM_INTENT_CONFIDENCE_FIELD_NUMBER: _ClassVar[int]
    IN_TRAINING_DATA_FIELD_NUMBER: _ClassVar[int]
    REVIEW_STATUS_FIELD_NUMBER: _ClassVar[int]
    TAG_IDS_FIELD_NUMBER: _ClassVar[int]
    FLAGGED_ONLY_FIELD_NUMBER: _ClassVar[int]
    EXCLUDE_INTERACTIVE_FIELD_NUMBER: _ClassVar[int]
    EXCLUDE_CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    RASA_ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    start: float
    until: float
    intents: _containers.RepeatedScalarFieldContainer[str]
    entities: _containers.RepeatedScalarFieldContainer[str]
    actions: _containers.RepeatedScalarFieldContainer[str]
    policies: _containers.RepeatedScalarFieldContainer[str]
    slots: _containers.RepeatedCompositeFieldContainer[SlotFilter]
    input_channels: _containers.RepeatedScalarFieldContainer[str]
    text: str
    minimum_user_messages: int
    minimum_action_confidence: float
    maximum_action_confidence: float
    minimum_intent_confidence: float
    maximum_intent_confidence: float
    in_training_data: bool
    review_status: ReviewStatus
    tag_ids: _containers.RepeatedScalarFieldContainer[int]
    flagged_only: bool
    exclude_interactive: bool
    exclude_created_by: str
    created_by: str
    rasa_environment: str
    def __init__(self, start: _Optional[float] = ..., until: _Optional[float] = ..., intents: _Optional[_Iterable[str]] = ..., entities: _Optional[_Iterable[str]] = ..., actions: _Optional[_Iterable[str]] = ..., policies: _Optional[_Iterable[str]] = ..., slots: _Optional[_Iterable[_Union[SlotFilter, _Mapping]]] = ..., input_channels: _Optional[_Iterable[str]] = ..., text: _Optional[str] = ..., minimum_user_messages: _Optional[int] = ..., minimum_action_confidence: _Optional[float] = ..., maximum_action_confidence: _Optional[float] = ..., minimum_intent_confidence: _Optional[float] = ..., maximum_intent_confidence: _Optional[float] = ..., in_training_data: _Optional[bool] = ..., review_status: _Optional[_Union[ReviewStatus, str]] = ..., tag_ids: _Optional[_Iterable[int]] = ..., flagged_only: _Optional[bool] = ..., exclude_interactive: _Optional[bool] = ..., exclude_created_by: _Optional[str] = ..., created_by: _Optional[str] = ..., rasa_environment: _Optional[str] = ...) -> None: ...

class ConversationOrder(_message.Message):
    __slots__ = ("by_latest_event_time", "by_confidence")
    BY_LATEST_EVENT_TIME_FIELD_NUMBER: _ClassVar[int]
    BY_CONFIDENCE_FIELD_NUMBER: _ClassVar[int]
    by_latest_event_time: bool
    by_confidence: bool
    def __init__(self, by_latest_event_time: _Optional[bool] = ..., by_confidence: _Optional[bool] = ...) -> None: ...

class ListConversationsRequest(_message.Message):
    __slots__ = ("limit", "offset", "filter", "order")
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    ORDER_FIELD_NUMBER: _ClassVar[int]
    limit: int
    offset: int
    filter: ConversationFilter
    order: ConversationOrder
    def __init__(self, limit: _Optional[int] = ..., offset: _Optional[int] = ..., filter: _Optional[_Union[ConversationFilter, _Mapping]] = ..., order: _Optional[_Union[ConversationOrder, _Mapping]] = ...) -> None: ...

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
    __slots__ = ("id", "json", "timestamp", "flagged")
    ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    FLAGGED_FIELD_NUMBER: _ClassVar[int]
    id: int
    json: str
    timestamp: float
    flagged: bool
    def __init__(self, id: _Optional[int] = ..., json: _Optional[str] = ..., timestamp: _Optional[float] = ..., flagged: _Optional[bool] = ...) -> None: ...

class ListConversationEventsRequest(_message.Message):
    __slots__ = ("sender_id", "page_size", "offset", "after_id")
    SENDER_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    AFTER_ID_FIELD_NUMBER: _ClassVar[int]
    sender_id: str
    page_size: int
    offset: int
    after_id: int
    def __init__(self, sender_id: _Optional[str] = ..., page_size: _Optional[int] = ..., offset: _Optional[int] = ..., after_id: _Optional[int] = ...) -> None: ...

class ListConversationEventsResponse(_message.Message):
    __slots__ = ("events", "next_offset")
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_OFFSET_FIELD_NUMBER: _ClassVar[int]
    events: _containers.RepeatedCompositeFieldContainer[StoredEvent]
    next_offset: int
    def __init__(self, events: _Optional[_Iterable[_Union[StoredEvent, _Mapping]]] = ..., next_offset: _Optional[int] = ...) -> None: ...

class ListConversationFilterOptionsRequest(_message.Message):
    __slots__ = ("kind", "slot_name", "query", "limit")
    KIND_FIELD_NUMBER: _ClassVar[int]
    SLOT_NAME_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    kind: FilterOptionKind
    slot_name: str
    query: str
    limit: int
    def __init__(self, kind: _Optional[_Union[FilterOptionKind, str]] = ..., slot_name: _Optional[str] = ..., query: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class ListConversationFilterOptionsResponse(_message.Message):
    __slots__ = ("values",)
    VALUES_FIELD_NUMBER: _ClassVar[int]
    values: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, values: _Optional[_Iterable[str]] = ...) -> None: ...

class GetStatisticsRequest(_message.Message):
    __slots__ = ("top",)
    TOP_FIELD_NUMBER: _ClassVar[int]
    top: int
    def __init__(self, top: _Optional[int] = ...) -> None: ...

class ValueCount(_message.Message):
    __slots__ = ("value", "count")
    VALUE_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    value: str
    count: int
    def __init__(self, value: _Optional[str] = ..., count: _Optional[int] = ...) -> None: ...

class GetStatisticsResponse(_message.Message):
    __slots__ = ("conversations", "events", "user_messages", "bot_messages", "top_intents", "top_actions", "top_entities", "top_policies")
    CONVERSATIONS_FIELD_NUMBER: _ClassVar[int]
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    USER_MESSAGES_FIELD_NUMBER: _ClassVar[int]
    BOT_MESSAGES_FIELD_NUMBER: _ClassVar[int]
    TOP_INTENTS_FIELD_NUMBER: _ClassVar[int]
    TOP_ACTIONS_FIELD_NUMBER: _ClassVar[int]
    TOP_ENTITIES_FIELD_NUMBER: _ClassVar[int]
    TOP_POLICIES_FIELD_NUMBER: _ClassVar[int]
    conversations: int
    events: int
    user_messages: int
    bot_messages: int
    top_intents: _containers.RepeatedCompositeFieldContainer[ValueCount]
    top_actions: _containers.RepeatedCompositeFieldContainer[ValueCount]
    top_entities: _containers.RepeatedCompositeFieldContainer[ValueCount]
    top_policies: _containers.RepeatedCompositeFieldContainer[ValueCount]
    def __init__(self, conversations: _Optional[int] = ..., events: _Optional[int] = ..., user_messages: _Optional[int] = ..., bot_messages: _Optional[int] = ..., top_intents: _Optional[_Iterable[_Union[ValueCount, _Mapping]]] = ..., top_actions: _Optional[_Iterable[_Union[ValueCount, _Mapping]]] = ..., top_entities: _Optional[_Iterable[_Union[ValueCount, _Mapping]]] = ..., top_policies: _Optional[_Iterable[_Union[ValueCount, _Mapping]]] = ...) -> None: ...

class ExportConversationsRequest(_message.Message):
    __slots__ = ("filter",)
    FILTER_FIELD_NUMBER: _ClassVar[int]
    filter: ConversationFilter
    def __init__(self, filter: _Optional[_Union[ConversationFilter, _Mapping]] = ...) -> None: ...

class ExportConversationsResponse(_message.Message):
    __slots__ = ("sender_id", "conversation", "events")
    SENDER_ID_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_FIELD_NUMBER: _ClassVar[int]
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    sender_id: str
    conversation: Conversation
    events: _containers.RepeatedCompositeFieldContainer[StoredEvent]
    def __init__(self, sender_id: _Optional[str] = ..., conversation: _Optional[_Union[Conversation, _Mapping]] = ..., events: _Optional[_Iterable[_Union[StoredEvent, _Mapping]]] = ...) -> None: ...

class DeleteConversationRequest(_message.Message):
    __slots__ = ("sender_id",)
    SENDER_ID_FIELD_NUMBER: _ClassVar[int]
    sender_id: str
    def __init__(self, sender_id: _Optional[str] = ...) -> None: ...

class DeleteConversationResponse(_message.Message):
    __slots__ = ("deleted_events",)
    DELETED_EVENTS_FIELD_NUMBER: _ClassVar[int]
    deleted_events: int
    def __init__(self, deleted_events: _Optional[int] = ...) -> None: ...

class CreateConversationRequest(_message.Message):
    __slots__ = ("sender_id", "created_by", "interactive")
    SENDER_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    INTERACTIVE_FIELD_NUMBER: _ClassVar[int]
    sender_id: str
    created_by: str
    interactive: bool
    def __init__(self, sender_id: _Optional[str] = ..., created_by: _Optional[str] = ..., interactive: _Optional[bool] = ...) -> None: ...

class CreateConversationResponse(_message.Message):
    __slots__ = ("conversation", "created")
    CONVERSATION_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    conversation: Conversation
    created: bool
    def __init__(self, conversation: _Optional[_Union[Conversation, _Mapping]] = ..., created: _Optional[bool] = ...) -> None: ...
