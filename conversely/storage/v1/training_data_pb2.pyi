from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ExampleEntity(_message.Message):
    __slots__ = ("start", "end", "entity", "value", "role", "group")
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    start: int
    end: int
    entity: str
    value: str
    role: str
    group: str
    def __init__(self, start: _Optional[int] = ..., end: _Optional[int] = ..., entity: _Optional[str] = ..., value: _Optional[str] = ..., role: _Optional[str] = ..., group: _Optional[str] = ...) -> None: ...

class Annotation(_message.Message):
    __slots__ = ("user", "time")
    USER_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    user: str
    time: float
    def __init__(self, user: _Optional[str] = ..., time: _Optional[float] = ...) -> None: ...

class TrainingExample(_message.Message):
    __slots__ = ("id", "text", "hash", "intent", "entities", "annotation", "metadata_json")
    ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    HASH_FIELD_NUMBER: _ClassVar[int]
    INTENT_FIELD_NUMBER: _ClassVar[int]
    ENTITIES_FIELD_NUMBER: _ClassVar[int]
    ANNOTATION_FIELD_NUMBER: _ClassVar[int]
    METADATA_JSON_FIELD_NUMBER: _ClassVar[int]
    id: int
    text: str
    hash: str
    intent: str
    entities: _containers.RepeatedCompositeFieldContainer[ExampleEntity]
    annotation: Annotation
    metadata_json: str
    def __init__(self, id: _Optional[int] = ..., text: _Optional[str] = ..., hash: _Optional[str] = ..., intent: _Optional[str] = ..., entities: _Optional[_Iterable[_Union[ExampleEntity, _Mapping]]] = ..., annotation: _Optional[_Union[Annotation, _Mapping]] = ..., metadata_json: _Optional[str] = ...) -> None: ...

class ListExamplesRequest(_message.Message):
    __slots__ = ("limit", "offset", "query", "intents", "entities", "has_entities")
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    INTENTS_FIELD_NUMBER: _ClassVar[int]
    ENTITIES_FIELD_NUMBER: _ClassVar[int]
    HAS_ENTITIES_FIELD_NUMBER: _ClassVar[int]
    limit: int
    offset: int
    query: str
    intents: _containers.RepeatedScalarFieldContainer[str]
    entities: _containers.RepeatedScalarFieldContainer[str]
    has_entities: bool
    def __init__(self, limit: _Optional[int] = ..., offset: _Optional[int] = ..., query: _Optional[str] = ..., intents: _Optional[_Iterable[str]] = ..., entities: _Optional[_Iterable[str]] = ..., has_entities: _Optional[bool] = ...) -> None: ...

class ListExamplesResponse(_message.Message):
    __slots__ = ("examples", "total_count")
    EXAMPLES_FIELD_NUMBER: _ClassVar[int]
    TOTAL_COUNT_FIELD_NUMBER: _ClassVar[int]
    examples: _containers.RepeatedCompositeFieldContainer[TrainingExample]
    total_count: int
    def __init__(self, examples: _Optional[_Iterable[_Union[TrainingExample, _Mapping]]] = ..., total_count: _Optional[int] = ...) -> None: ...

class GetExampleRequest(_message.Message):
    __slots__ = ("id", "hash")
    ID_FIELD_NUMBER: _ClassVar[int]
    HASH_FIELD_NUMBER: _ClassVar[int]
    id: int
    hash: str
    def __init__(self, id: _Optional[int] = ..., hash: _Optional[str] = ...) -> None: ...

class GetExampleResponse(_message.Message):
    __slots__ = ("example",)
    EXAMPLE_FIELD_NUMBER: _ClassVar[int]
    example: TrainingExample
    def __init__(self, example: _Optional[_Union[TrainingExample, _Mapping]] = ...) -> None: ...

class SaveExampleRequest(_message.Message):
    __slots__ = ("example",)
    EXAMPLE_FIELD_NUMBER: _ClassVar[int]
    example: TrainingExample
    def __init__(self, example: _Optional[_Union[TrainingExample, _Mapping]] = ...) -> None: ...

class SaveExampleResponse(_message.Message):
    __slots__ = ("example", "created", "inbox_messages_removed")
    EXAMPLE_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    INBOX_MESSAGES_REMOVED_FIELD_NUMBER: _ClassVar[int]
    example: TrainingExample
    created: bool
    inbox_messages_removed: int
    def __init__(self, example: _Optional[_Union[TrainingExample, _Mapping]] = ..., created: _Optional[bool] = ..., inbox_messages_removed: _Optional[int] = ...) -> None: ...

class UpdateExampleRequest(_message.Message):
    __slots__ = ("example",)
    EXAMPLE_FIELD_NUMBER: _ClassVar[int]
    example: TrainingExample
    def __init__(self, example: _Optional[_Union[TrainingExample, _Mapping]] = ...) -> None: ...

class UpdateExampleResponse(_message.Message):
    __slots__ = ("example",)
    EXAMPLE_FIELD_NUMBER: _ClassVar[int]
    example: TrainingExample
    def __init__(self, example: _Optional[_Union[TrainingExample, _Mapping]] = ...) -> None: ...

class DeleteExamplesRequest(_message.Message):
    __slots__ = ("ids",)
    IDS_FIELD_NUMBER: _ClassVar[int]
    ids: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, ids: _Optional[_Iterable[int]] = ...) -> None: ...

class DeleteExamplesResponse(_message.Message):
    __slots__ = ("deleted_count",)
    DELETED_COUNT_FIELD_NUMBER: _ClassVar[int]
    deleted_count: int
    def __init__(self, deleted_count: _Optional[int] = ...) -> None: ...

class ReplaceExamplesRequest(_message.Message):
    __slots__ = ("examples",)
    EXAMPLES_FIELD_NUMBER: _ClassVar[int]
    examples: _containers.RepeatedCompositeFieldContainer[TrainingExample]
    def __init__(self, examples: _Optional[_Iterable[_Union[TrainingExample, _Mapping]]] = ...) -> None: ...

class ReplaceExamplesResponse(_message.Message):
    __slots__ = ("example_count",)
    EXAMPLE_COUNT_FIELD_NUMBER: _ClassVar[int]
    example_count: int
    def __init__(self, example_count: _Optional[int] = ...) -> None: ...

class Intent(_message.Message):
    __slots__ = ("name", "example_count", "in_domain", "user_goal")
    NAME_FIELD_NUMBER: _ClassVar[int]
    EXAMPLE_COUNT_FIELD_NUMBER: _ClassVar[int]
    IN_DOMAIN_FIELD_NUMBER: _ClassVar[int]
    USER_GOAL_FIELD_NUMBER: _ClassVar[int]
    name: str
    example_count: int
    in_domain: bool
    user_goal: str
    def __init__(self, name: _Optional[str] = ..., example_count: _Optional[int] = ..., in_domain: _Optional[bool] = ..., user_goal: _Optional[str] = ...) -> None: ...

class ListIntentsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListIntentsResponse(_message.Message):
    __slots__ = ("intents",)
    INTENTS_FIELD_NUMBER: _ClassVar[int]
    intents: _containers.RepeatedCompositeFieldContainer[Intent]
    def __init__(self, intents: _Optional[_Iterable[_Union[Intent, _Mapping]]] = ...) -> None: ...

class CreateIntentRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class CreateIntentResponse(_message.Message):
    __slots__ = ("intent",)
    INTENT_FIELD_NUMBER: _ClassVar[int]
    intent: Intent
    def __init__(self, intent: _Optional[_Union[Intent, _Mapping]] = ...) -> None: ...

class RenameIntentRequest(_message.Message):
    __slots__ = ("name", "new_name")
    NAME_FIELD_NUMBER: _ClassVar[int]
    NEW_NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    new_name: str
    def __init__(self, name: _Optional[str] = ..., new_name: _Optional[str] = ...) -> None: ...

class RenameIntentResponse(_message.Message):
    __slots__ = ("intent", "examples_renamed", "stories_renamed")
    INTENT_FIELD_NUMBER: _ClassVar[int]
    EXAMPLES_RENAMED_FIELD_NUMBER: _ClassVar[int]
    STORIES_RENAMED_FIELD_NUMBER: _ClassVar[int]
    intent: Intent
    examples_renamed: int
    stories_renamed: int
    def __init__(self, intent: _Optional[_Union[Intent, _Mapping]] = ..., examples_renamed: _Optional[int] = ..., stories_renamed: _Optional[int] = ...) -> None: ...

class DeleteIntentRequest(_message.Message):
    __slots__ = ("name", "delete_examples")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DELETE_EXAMPLES_FIELD_NUMBER: _ClassVar[int]
    name: str
    delete_examples: bool
    def __init__(self, name: _Optional[str] = ..., delete_examples: _Optional[bool] = ...) -> None: ...

class DeleteIntentResponse(_message.Message):
    __slots__ = ("examples_deleted",)
    EXAMPLES_DELETED_FIELD_NUMBER: _ClassVar[int]
    examples_deleted: int
    def __init__(self, examples_deleted: _Optional[int] = ...) -> None: ...

class UserGoal(_message.Message):
    __slots__ = ("name", "intents")
    NAME_FIELD_NUMBER: _ClassVar[int]
    INTENTS_FIELD_NUMBER: _ClassVar[int]
    name: str
    intents: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., intents: _Optional[_Iterable[str]] = ...) -> None: ...

class ListUserGoalsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListUserGoalsResponse(_message.Message):
    __slots__ = ("user_goals",)
    USER_GOALS_FIELD_NUMBER: _ClassVar[int]
    user_goals: _containers.RepeatedCompositeFieldContainer[UserGoal]
    def __init__(self, user_goals: _Optional[_Iterable[_Union[UserGoal, _Mapping]]] = ...) -> None: ...

class SetUserGoalRequest(_message.Message):
    __slots__ = ("user_goal",)
    USER_GOAL_FIELD_NUMBER: _ClassVar[int]
    user_goal: UserGoal
    def __init__(self, user_goal: _Optional[_Union[UserGoal, _Mapping]] = ...) -> None: ...

class SetUserGoalResponse(_message.Message):
    __slots__ = ("user_goal",)
    USER_GOAL_FIELD_NUMBER: _ClassVar[int]
    user_goal: UserGoal
    def __init__(self, user_goal: _Optional[_Union[UserGoal, _Mapping]] = ...) -> None: ...

class DeleteUserGoalRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class DeleteUserGoalResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class EntityType(_message.Message):
    __slots__ = ("name", "example_count", "in_domain")
    NAME_FIELD_NUMBER: _ClassVar[int]
    EXAMPLE_COUNT_FIELD_NUMBER: _ClassVar[int]
    IN_DOMAIN_FIELD_NUMBER: _ClassVar[int]
    name: str
    example_count: int
    in_domain: bool
    def __init__(self, name: _Optional[str] = ..., example_count: _Optional[int] = ..., in_domain: _Optional[bool] = ...) -> None: ...

class ListEntitiesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListEntitiesResponse(_message.Message):
    __slots__ = ("entities",)
    ENTITIES_FIELD_NUMBER: _ClassVar[int]
    entities: _containers.RepeatedCompositeFieldContainer[EntityType]
    def __init__(self, entities: _Optional[_Iterable[_Union[EntityType, _Mapping]]] = ...) -> None: ...

class SynonymValue(_message.Message):
    __slots__ = ("id", "value", "example_count")
    ID_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    EXAMPLE_COUNT_FIELD_NUMBER: _ClassVar[int]
    id: int
    value: str
    example_count: int
    def __init__(self, id: _Optional[int] = ..., value: _Optional[str] = ..., example_count: _Optional[int] = ...) -> None: ...

class Synonym(_message.Message):
    __slots__ = ("id", "reference", "values")
    ID_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    id: int
    reference: str
    values: _containers.RepeatedCompositeFieldContainer[SynonymValue]
    def __init__(self, id: _Optional[int] = ..., reference: _Optional[str] = ..., values: _Optional[_Iterable[_Union[SynonymValue, _Mapping]]] = ...) -> None: ...

class ListSynonymsRequest(_message.Message):
    __slots__ = ("mapped_value",)
    MAPPED_VALUE_FIELD_NUMBER: _ClassVar[int]
    mapped_value: str
    def __init__(self, mapped_value: _Optional[str] = ...) -> None: ...

class ListSynonymsResponse(_message.Message):
    __slots__ = ("synonyms",)
    SYNONYMS_FIELD_NUMBER: _ClassVar[int]
    synonyms: _containers.RepeatedCompositeFieldContainer[Synonym]
    def __init__(self, synonyms: _Optional[_Iterable[_Union[Synonym, _Mapping]]] = ...) -> None: ...

class GetSynonymRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: int
    def __init__(self, id: _Optional[int] = ...) -> None: ...

class GetSynonymResponse(_message.Message):
    __slots__ = ("synonym",)
    SYNONYM_FIELD_NUMBER: _ClassVar[int]
    synonym: Synonym
    def __init__(self, synonym: _Optional[_Union[Synonym, _Mapping]] = ...) -> None: ...

class CreateSynonymRequest(_message.Message):
    __slots__ = ("reference", "values")
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    reference: str
    values: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, reference: _Optional[str] = ..., values: _Optional[_Iterable[str]] = ...) -> None: ...

class CreateSynonymResponse(_message.Message):
    __slots__ = ("synonym",)
    SYNONYM_FIELD_NUMBER: _ClassVar[int]
    synonym: Synonym
    def __init__(self, synonym: _Optional[_Union[Synonym, _Mapping]] = ...) -> None: ...

class RenameSynonymRequest(_message.Message):
    __slots__ = ("id", "reference")
    ID_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    id: int
    reference: str
    def __init__(self, id: _Optional[int] = ..., reference: _Optional[str] = ...) -> None: ...

class RenameSynonymResponse(_message.Message):
    __slots__ = ("synonym",)
    SYNONYM_FIELD_NUMBER: _ClassVar[int]
    synonym: Synonym
    def __init__(self, synonym: _Optional[_Union[Synonym, _Mapping]] = ...) -> None: ...

class DeleteSynonymRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: int
    def __init__(self, id: _Optional[int] = ...) -> None: ...

class DeleteSynonymResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class AddSynonymValuesRequest(_message.Message):
    __slots__ = ("id", "values")
    ID_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    id: int
    values: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, id: _Optional[int] = ..., values: _Optional[_Iterable[str]] = ...) -> None: ...

class AddSynonymValuesResponse(_message.Message):
    __slots__ = ("synonym",)
    SYNONYM_FIELD_NUMBER: _ClassVar[int]
    synonym: Synonym
    def __init__(self, synonym: _Optional[_Union[Synonym, _Mapping]] = ...) -> None: ...

class UpdateSynonymValueRequest(_message.Message):
    __slots__ = ("id", "value_id", "value")
    ID_FIELD_NUMBER: _ClassVar[int]
    VALUE_ID_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    id: int
    value_id: int
    value: str
    def __init__(self, id: _Optional[int] = ..., value_id: _Optional[int] = ..., value: _Optional[str] = ...) -> None: ...

class UpdateSynonymValueResponse(_message.Message):
    __slots__ = ("synonym",)
    SYNONYM_FIELD_NUMBER: _ClassVar[int]
    synonym: Synonym
    def __init__(self, synonym: _Optional[_Union[Synonym, _Mapping]] = ...) -> None: ...

class DeleteSynonymValueRequest(_message.Message):
    __slots__ = ("id", "value_id")
    ID_FIELD_NUMBER: _ClassVar[int]
    VALUE_ID_FIELD_NUMBER: _ClassVar[int]
    id: int
    value_id: int
    def __init__(self, id: _Optional[int] = ..., value_id: _Optional[int] = ...) -> None: ...

class DeleteSynonymValueResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class Regex(_message.Message):
    __slots__ = ("id", "name", "pattern")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PATTERN_FIELD_NUMBER: _ClassVar[int]
    id: int
    name: str
    pattern: str
    def __init__(self, id: _Optional[int] = ..., name: _Optional[str] = ..., pattern: _Optional[str] = ...) -> None: ...

class ListRegexesRequest(_message.Message):
    __slots__ = ("limit", "offset")
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    limit: int
    offset: int
    def __init__(self, limit: _Optional[int] = ..., offset: _Optional[int] = ...) -> None: ...

class ListRegexesResponse(_message.Message):
    __slots__ = ("regexes", "total_count")
    REGEXES_FIELD_NUMBER: _ClassVar[int]
    TOTAL_COUNT_FIELD_NUMBER: _ClassVar[int]
    regexes: _containers.RepeatedCompositeFieldContainer[Regex]
    total_count: int
    def __init__(self, regexes: _Optional[_Iterable[_Union[Regex, _Mapping]]] = ..., total_count: _Optional[int] = ...) -> None: ...

class GetRegexRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: int
    def __init__(self, id: _Optional[int] = ...) -> None: ...

class GetRegexResponse(_message.Message):
    __slots__ = ("regex",)
    REGEX_FIELD_NUMBER: _ClassVar[int]
    regex: Regex
    def __init__(self, regex: _Optional[_Union[Regex, _Mapping]] = ...) -> None: ...

class CreateRegexRequest(_message.Message):
    __slots__ = ("name", "pattern")
    NAME_FIELD_NUMBER: _ClassVar[int]
    PATTERN_FIELD_NUMBER: _ClassVar[int]
    name: str
    pattern: str
    def __init__(self, name: _Optional[str] = ..., pattern: _Optional[str] = ...) -> None: ...

class CreateRegexResponse(_message.Message):
    __slots__ = ("regex",)
    REGEX_FIELD_NUMBER: _ClassVar[int]
    regex: Regex
    def __init__(self, regex: _Optional[_Union[Regex, _Mapping]] = ...) -> None: ...

class UpdateRegexRequest(_message.Message):
    __slots__ = ("regex",)
    REGEX_FIELD_NUMBER: _ClassVar[int]
    regex: Regex
    def __init__(self, regex: _Optional[_Union[Regex, _Mapping]] = ...) -> None: ...

class UpdateRegexResponse(_message.Message):
    __slots__ = ("regex",)
    REGEX_FIELD_NUMBER: _ClassVar[int]
    regex: Regex
    def __init__(self, regex: _Optional[_Union[Regex, _Mapping]] = ...) -> None: ...

class DeleteRegexRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: int
    def __init__(self, id: _Optional[int] = ...) -> None: ...

class DeleteRegexResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class LookupTable(_message.Message):
    __slots__ = ("id", "name", "elements")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ELEMENTS_FIELD_NUMBER: _ClassVar[int]
    id: int
    name: str
    elements: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, id: _Optional[int] = ..., name: _Optional[str] = ..., elements: _Optional[_Iterable[str]] = ...) -> None: ...

class ListLookupTablesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListLookupTablesResponse(_message.Message):
    __slots__ = ("lookup_tables",)
    LOOKUP_TABLES_FIELD_NUMBER: _ClassVar[int]
    lookup_tables: _containers.RepeatedCompositeFieldContainer[LookupTableSummary]
    def __init__(self, lookup_tables: _Optional[_Iterable[_Union[LookupTableSummary, _Mapping]]] = ...) -> None: ...

class LookupTableSummary(_message.Message):
    __slots__ = ("id", "name", "element_count")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ELEMENT_COUNT_FIELD_NUMBER: _ClassVar[int]
    id: int
    name: str
    element_count: int
    def __init__(self, id: _Optional[int] = ..., name: _Optional[str] = ..., element_count: _Optional[int] = ...) -> None: ...

class GetLookupTableRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: int
    def __init__(self, id: _Optional[int] = ...) -> None: ...

class GetLookupTableResponse(_message.Message):
    __slots__ = ("lookup_table",)
    LOOKUP_TABLE_FIELD_NUMBER: _ClassVar[int]
    lookup_table: LookupTable
    def __init__(self, lookup_table: _Optional[_Union[LookupTable, _Mapping]] = ...) -> None: ...

class CreateLookupTableRequest(_message.Message):
    __slots__ = ("name", "elements")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ELEMENTS_FIELD_NUMBER: _ClassVar[int]
    name: str
    elements: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., elements: _Optional[_Iterable[str]] = ...) -> None: ...

class CreateLookupTableResponse(_message.Message):
    __slots__ = ("lookup_table",)
    LOOKUP_TABLE_FIELD_NUMBER: _ClassVar[int]
    lookup_table: LookupTable
    def __init__(self, lookup_table: _Optional[_Union[LookupTable, _Mapping]] = ...) -> None: ...

class DeleteLookupTableRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: int
    def __init__(self, id: _Optional[int] = ...) -> None: ...

class DeleteLookupTableResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...
