from conversely.storage.v1 import training_data_pb2 as _training_data_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ImportMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    IMPORT_MODE_UNSPECIFIED: _ClassVar[ImportMode]
    IMPORT_MODE_MERGE: _ClassVar[ImportMode]
    IMPORT_MODE_REPLACE: _ClassVar[ImportMode]

class WarningKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    WARNING_KIND_UNSPECIFIED: _ClassVar[WarningKind]
    WARNING_KIND_INTENT: _ClassVar[WarningKind]
    WARNING_KIND_ENTITY: _ClassVar[WarningKind]
    WARNING_KIND_ACTION: _ClassVar[WarningKind]
    WARNING_KIND_SLOT: _ClassVar[WarningKind]

class WarningProblem(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    WARNING_PROBLEM_UNSPECIFIED: _ClassVar[WarningProblem]
    WARNING_PROBLEM_NOT_IN_DOMAIN: _ClassVar[WarningProblem]
    WARNING_PROBLEM_NOT_IN_TRAINING_DATA: _ClassVar[WarningProblem]
    WARNING_PROBLEM_TOO_FEW_EXAMPLES: _ClassVar[WarningProblem]
IMPORT_MODE_UNSPECIFIED: ImportMode
IMPORT_MODE_MERGE: ImportMode
IMPORT_MODE_REPLACE: ImportMode
WARNING_KIND_UNSPECIFIED: WarningKind
WARNING_KIND_INTENT: WarningKind
WARNING_KIND_ENTITY: WarningKind
WARNING_KIND_ACTION: WarningKind
WARNING_KIND_SLOT: WarningKind
WARNING_PROBLEM_UNSPECIFIED: WarningProblem
WARNING_PROBLEM_NOT_IN_DOMAIN: WarningProblem
WARNING_PROBLEM_NOT_IN_TRAINING_DATA: WarningProblem
WARNING_PROBLEM_TOO_FEW_EXAMPLES: WarningProblem

class ProjectFile(_message.Message):
    __slots__ = ("path", "content")
    PATH_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    path: str
    content: str
    def __init__(self, path: _Optional[str] = ..., content: _Optional[str] = ...) -> None: ...

class ImportProjectRequest(_message.Message):
    __slots__ = ("files", "mode", "annotation")
    FILES_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    ANNOTATION_FIELD_NUMBER: _ClassVar[int]
    files: _containers.RepeatedCompositeFieldContainer[ProjectFile]
    mode: ImportMode
    annotation: _training_data_pb2.Annotation
    def __init__(self, files: _Optional[_Iterable[_Union[ProjectFile, _Mapping]]] = ..., mode: _Optional[_Union[ImportMode, str]] = ..., annotation: _Optional[_Union[_training_data_pb2.Annotation, _Mapping]] = ...) -> None: ...

class ImportSummary(_message.Message):
    __slots__ = ("examples", "synonyms", "regexes", "lookup_tables", "stories", "rules", "test_stories", "responses", "domain", "config")
    EXAMPLES_FIELD_NUMBER: _ClassVar[int]
    SYNONYMS_FIELD_NUMBER: _ClassVar[int]
    REGEXES_FIELD_NUMBER: _ClassVar[int]
    LOOKUP_TABLES_FIELD_NUMBER: _ClassVar[int]
    STORIES_FIELD_NUMBER: _ClassVar[int]
    RULES_FIELD_NUMBER: _ClassVar[int]
    TEST_STORIES_FIELD_NUMBER: _ClassVar[int]
    RESPONSES_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    examples: int
    synonyms: int
    regexes: int
    lookup_tables: int
    stories: int
    rules: int
    test_stories: int
    responses: int
    domain: bool
    config: bool
    def __init__(self, examples: _Optional[int] = ..., synonyms: _Optional[int] = ..., regexes: _Optional[int] = ..., lookup_tables: _Optional[int] = ..., stories: _Optional[int] = ..., rules: _Optional[int] = ..., test_stories: _Optional[int] = ..., responses: _Optional[int] = ..., domain: _Optional[bool] = ..., config: _Optional[bool] = ...) -> None: ...

class ImportProjectResponse(_message.Message):
    __slots__ = ("summary",)
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    summary: ImportSummary
    def __init__(self, summary: _Optional[_Union[ImportSummary, _Mapping]] = ...) -> None: ...

class ExportProjectRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ExportProjectResponse(_message.Message):
    __slots__ = ("files", "fingerprint")
    FILES_FIELD_NUMBER: _ClassVar[int]
    FINGERPRINT_FIELD_NUMBER: _ClassVar[int]
    files: _containers.RepeatedCompositeFieldContainer[ProjectFile]
    fingerprint: str
    def __init__(self, files: _Optional[_Iterable[_Union[ProjectFile, _Mapping]]] = ..., fingerprint: _Optional[str] = ...) -> None: ...

class TrainingDataWarning(_message.Message):
    __slots__ = ("kind", "problem", "name", "message", "example_count")
    KIND_FIELD_NUMBER: _ClassVar[int]
    PROBLEM_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    EXAMPLE_COUNT_FIELD_NUMBER: _ClassVar[int]
    kind: WarningKind
    problem: WarningProblem
    name: str
    message: str
    example_count: int
    def __init__(self, kind: _Optional[_Union[WarningKind, str]] = ..., problem: _Optional[_Union[WarningProblem, str]] = ..., name: _Optional[str] = ..., message: _Optional[str] = ..., example_count: _Optional[int] = ...) -> None: ...

class ListWarningsRequest(_message.Message):
    __slots__ = ("minimum_examples",)
    MINIMUM_EXAMPLES_FIELD_NUMBER: _ClassVar[int]
    minimum_examples: int
    def __init__(self, minimum_examples: _Optional[int] = ...) -> None: ...

class ListWarningsResponse(_message.Message):
    __slots__ = ("warnings",)
    WARNINGS_FIELD_NUMBER: _ClassVar[int]
    warnings: _containers.RepeatedCompositeFieldContainer[TrainingDataWarning]
    def __init__(self, warnings: _Optional[_Iterable[_Union[TrainingDataWarning, _Mapping]]] = ...) -> None: ...
