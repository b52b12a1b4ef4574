"""gRPC handlers of TrainingDataService: NLU examples, intents, user goals, entities, synonyms, regexes, lookups."""

from __future__ import annotations

import json
import time
from typing import Any

import grpc
from google.protobuf.message import Message
from sqlalchemy.orm import Session

from conversely.storage.v1 import training_data_pb2 as pb
from conversely.storage.v1 import training_data_pb2_grpc
from storage_service.models import RegexFeature, TrainingExample
from storage_service.queries import intents, nlu_features, training_examples
from storage_service.queries.errors import InvalidRequest
from storage_service.services.base import ServicerBase, abort, non_negative, page_size

DEFAULT_EXAMPLE_LIMIT, MAX_EXAMPLE_LIMIT = 20, 1000
DEFAULT_REGEX_LIMIT, MAX_REGEX_LIMIT = 100, 1000


class TrainingDataService(ServicerBase, training_data_pb2_grpc.TrainingDataServiceServicer):
    def ListExamples(self, request: pb.ListExamplesRequest, context: grpc.ServicerContext) -> pb.ListExamplesResponse:
        example_filter = training_examples.ExampleFilter(
            limit=page_size(context, request.limit, DEFAULT_EXAMPLE_LIMIT, MAX_EXAMPLE_LIMIT, "limit"),
            offset=non_negative(context, request.offset, "offset"),
            query=request.query,
            intents=list(request.intents),
            entities=list(request.entities),
            has_entities=request.has_entities if request.HasField("has_entities") else None,
        )

        def work(session: Session) -> pb.ListExamplesResponse:
            rows, total = training_examples.list_examples(session, example_filter)
            return pb.ListExamplesResponse(examples=[_example(row) for row in rows], total_count=total)

        return self._cached(context, _key("examples", request), pb.ListExamplesResponse, work)

    def GetExample(self, request: pb.GetExampleRequest, context: grpc.ServicerContext) -> pb.GetExampleResponse:
        which = request.WhichOneof("key")
        if which is None:
            abort(context, grpc.StatusCode.INVALID_ARGUMENT, "name the training example by id or by hash")
        example_id, example_hash = (request.id, None) if which == "id" else (None, request.hash)
        row = self._read(context, lambda s: _example(training_examples.get_example(s, example_id, example_hash)))
        return pb.GetExampleResponse(example=row)

    def SaveExample(self, request: pb.SaveExampleRequest, context: grpc.ServicerContext) -> pb.SaveExampleResponse:
        def work(session: Session) -> pb.SaveExampleResponse:
            saved = training_examples.save_example(session, _example_data(request.example))
            return pb.SaveExampleResponse(
                example=_example(saved.example),
                created=saved.created,
                inbox_messages_removed=saved.inbox_messages_removed,
            )

        return self._write(context, work)

    def UpdateExample(
        self, request: pb.UpdateExampleRequest, context: grpc.ServicerContext
    ) -> pb.UpdateExampleResponse:
        given = request.example
        example = self._write(
            context, lambda s: _example(training_examples.update_example(s, given.id, _example_data(given)))
        )
        return pb.UpdateExampleResponse(example=example)

    def DeleteExamples(
        self, request: pb.DeleteExamplesRequest, context: grpc.ServicerContext
    ) -> pb.DeleteExamplesResponse:
        deleted = self._write(context, lambda s: training_examples.delete_examples(s, request.ids), bool)
        return pb.DeleteExamplesResponse(deleted_count=deleted)

    def ReplaceExamples(
        self, request: pb.ReplaceExamplesRequest, context: grpc.ServicerContext
    ) -> pb.ReplaceExamplesResponse:
        count = self._write(
            context,
            lambda s: training_examples.replace_examples(s, [_example_data(given) for given in request.examples]),
        )
        return pb.ReplaceExamplesResponse(example_count=count)

    def ListIntents(self, request: pb.ListIntentsRequest, context: grpc.ServicerContext) -> pb.ListIntentsResponse:
        def work(session: Session) -> pb.ListIntentsResponse:
            return pb.ListIntentsResponse(intents=[_intent(intent) for intent in intents.list_intents(session)])

        return self._cached(context, _key("intents", request), pb.ListIntentsResponse, work)

    def CreateIntent(self, request: pb.CreateIntentRequest, context: grpc.ServicerContext) -> pb.CreateIntentResponse:
        intent = self._write(context, lambda s: intents.create_intent(s, request.name))
        return pb.CreateIntentResponse(intent=_intent(intent))

    def RenameIntent(self, request: pb.RenameIntentRequest, context: grpc.ServicerContext) -> pb.RenameIntentResponse:
        renamed = self._write(context, lambda s: intents.rename_intent(s, request.name, request.new_name))
        return pb.RenameIntentResponse(
            intent=_intent(renamed.intent),
            examples_renamed=renamed.examples_renamed,
            stories_renamed=renamed.stories_renamed,
        )

    def DeleteIntent(self, request: pb.DeleteIntentRequest, context: grpc.ServicerContext) -> pb.DeleteIntentResponse:
        deleted = self._write(context, lambda s: intents.delete_intent(s, request.name, request.delete_examples))
        return pb.DeleteIntentResponse(examples_deleted=deleted)

    def ListUserGoals(
        self, request: pb.ListUserGoalsRequest, context: grpc.ServicerContext
    ) -> pb.ListUserGoalsResponse:
        def work(session: Session) -> pb.ListUserGoalsResponse:
            goals = intents.list_user_goals(session)
            return pb.ListUserGoalsResponse(user_goals=[pb.UserGoal(name=g.name, intents=g.intents) for g in goals])

        return self._cached(context, _key("user_goals", request), pb.ListUserGoalsResponse, work)

    def SetUserGoal(self, request: pb.SetUserGoalRequest, context: grpc.ServicerContext) -> pb.SetUserGoalResponse:
        given = request.user_goal
        goal = self._write(context, lambda s: intents.set_user_goal(s, given.name, list(given.intents)))
        return pb.SetUserGoalResponse(user_goal=pb.UserGoal(name=goal.name, intents=goal.intents))

    def DeleteUserGoal(
        self, request: pb.DeleteUserGoalRequest, context: grpc.ServicerContext
    ) -> pb.DeleteUserGoalResponse:
        self._write(context, lambda s: intents.delete_user_goal(s, request.name))
        return pb.DeleteUserGoalResponse()

    def ListEntities(self, request: pb.ListEntitiesRequest, context: grpc.ServicerContext) -> pb.ListEntitiesResponse:
        def work(session: Session) -> pb.ListEntitiesResponse:
            return pb.ListEntitiesResponse(
                entities=[
                    pb.EntityType(name=e.name, example_count=e.example_count, in_domain=e.in_domain)
                    for e in intents.list_entities(session)
                ]
            )

        return self._cached(context, _key("entities", request), pb.ListEntitiesResponse, work)

    def ListSynonyms(self, request: pb.ListSynonymsRequest, context: grpc.ServicerContext) -> pb.ListSynonymsResponse:
        def work(session: Session) -> pb.ListSynonymsResponse:
            synonyms = nlu_features.list_synonyms(session, request.mapped_value)
            return pb.ListSynonymsResponse(synonyms=[_synonym(synonym) for synonym in synonyms])

        return self._cached(context, _key("synonyms", request), pb.ListSynonymsResponse, work)

    def GetSynonym(self, request: pb.GetSynonymRequest, context: grpc.ServicerContext) -> pb.GetSynonymResponse:
        synonym = self._read(context, lambda s: nlu_features.get_synonym(s, request.id))
        return pb.GetSynonymResponse(synonym=_synonym(synonym))

    def CreateSynonym(
        self, request: pb.CreateSynonymRequest, context: grpc.ServicerContext
    ) -> pb.CreateSynonymResponse:
        synonym = self._write(context, lambda s: nlu_features.create_synonym(s, request.reference, request.values))
        return pb.CreateSynonymResponse(synonym=_synonym(synonym))

    def RenameSynonym(
        self, request: pb.RenameSynonymRequest, context: grpc.ServicerContext
    ) -> pb.RenameSynonymResponse:
        synonym = self._write(context, lambda s: nlu_features.rename_synonym(s, request.id, request.reference))
        return pb.RenameSynonymResponse(synonym=_synonym(synonym))

    def DeleteSynonym(
        self, request: pb.DeleteSynonymRequest, context: grpc.ServicerContext
    ) -> pb.DeleteSynonymResponse:
        self._write(context, lambda s: nlu_features.delete_synonym(s, request.id))
        return pb.DeleteSynonymResponse()

    def AddSynonymValues(
        self, request: pb.AddSynonymValuesRequest, context: grpc.ServicerContext
    ) -> pb.AddSynonymValuesResponse:
        synonym = self._write(context, lambda s: nlu_features.add_synonym_values(s, request.id, request.values))
        return pb.AddSynonymValuesResponse(synonym=_synonym(synonym))

    def UpdateSynonymValue(
        self, request: pb.UpdateSynonymValueRequest, context: grpc.ServicerContext
    ) -> pb.UpdateSynonymValueResponse:
        synonym = self._write(
            context, lambda s: nlu_features.update_synonym_value(s, request.id, request.value_id, request.value)
        )
        return pb.UpdateSynonymValueResponse(synonym=_synonym(synonym))

    def DeleteSynonymValue(
        self, request: pb.DeleteSynonymValueRequest, context: grpc.ServicerContext
    ) -> pb.DeleteSynonymValueResponse:
        self._write(context, lambda s: nlu_features.delete_synonym_value(s, request.id, request.value_id))
        return pb.DeleteSynonymValueResponse()

    def ListRegexes(self, request: pb.ListRegexesRequest, context: grpc.ServicerContext) -> pb.ListRegexesResponse:
        limit = page_size(context, request.limit, DEFAULT_REGEX_LIMIT, MAX_REGEX_LIMIT, "limit")
        offset = non_negative(context, request.offset, "offset")

        def work(session: Session) -> pb.ListRegexesResponse:
            rows, total = nlu_features.list_regexes(session, limit, offset)
            return pb.ListRegexesResponse(regexes=[_regex(row) for row in rows], total_count=total)

        return self._cached(context, _key("regexes", request), pb.ListRegexesResponse, work)

    def GetRegex(self, request: pb.GetRegexRequest, context: grpc.ServicerContext) -> pb.GetRegexResponse:
        regex = self._read(context, lambda s: _regex(nlu_features.get_regex(s, request.id)))
        return pb.GetRegexResponse(regex=regex)

    def CreateRegex(self, request: pb.CreateRegexRequest, context: grpc.ServicerContext) -> pb.CreateRegexResponse:
        regex = self._write(context, lambda s: _regex(nlu_features.create_regex(s, request.name, request.pattern)))
        return pb.CreateRegexResponse(regex=regex)

    def UpdateRegex(self, request: pb.UpdateRegexRequest, context: grpc.ServicerContext) -> pb.UpdateRegexResponse:
        given = request.regex
        regex = self._write(
            context, lambda s: _regex(nlu_features.update_regex(s, given.id, given.name, given.pattern))
        )
        return pb.UpdateRegexResponse(regex=regex)

    def DeleteRegex(self, request: pb.DeleteRegexRequest, context: grpc.ServicerContext) -> pb.DeleteRegexResponse:
        self._write(context, lambda s: nlu_features.delete_regex(s, request.id))
        return pb.DeleteRegexResponse()

    def ListLookupTables(
        self, request: pb.ListLookupTablesRequest, context: grpc.ServicerContext
    ) -> pb.ListLookupTablesResponse:
        def work(session: Session) -> pb.ListLookupTablesResponse:
            return pb.ListLookupTablesResponse(
                lookup_tables=[
                    pb.LookupTableSummary(id=lookup_id, name=name, element_count=count)
                    for lookup_id, name, count in nlu_features.list_lookup_tables(session)
                ]
            )

        return self._cached(context, _key("lookup_tables", request), pb.ListLookupTablesResponse, work)

    def GetLookupTable(
        self, request: pb.GetLookupTableRequest, context: grpc.ServicerContext
    ) -> pb.GetLookupTableResponse:
        lookup = self._read(context, lambda s: nlu_features.get_lookup_table(s, request.id))
        return pb.GetLookupTableResponse(lookup_table=_lookup(lookup))

    def CreateLookupTable(
        self, request: pb.CreateLookupTableRequest, context: grpc.ServicerContext
    ) -> pb.CreateLookupTableResponse:
        lookup = self._write(context, lambda s: nlu_features.create_lookup_table(s, request.name, request.elements))
        return pb.CreateLookupTableResponse(lookup_table=_lookup(lookup))

    def DeleteLookupTable(
        self, request: pb.DeleteLookupTableRequest, context: grpc.ServicerContext
    ) -> pb.DeleteLookupTableResponse:
        self._write(context, lambda s: nlu_features.delete_lookup_table(s, request.id))
        return pb.DeleteLookupTableResponse()


def _key(kind: str, request: Message) -> str:
    return f"training_data:{kind}:" + request.SerializeToString(deterministic=True).hex()


def _example_data(given: pb.TrainingExample) -> training_examples.ExampleData:
    """The example a client sent; annotated now by nobody unless it says who and when."""
    entities: list[dict[str, Any]] = []
    for entity in given.entities:
        fields: dict[str, Any] = {"start": entity.start, "end": entity.end, "entity": entity.entity}
        fields["value"] = entity.value
        for key in ("role", "group"):
            if getattr(entity, key):
                fields[key] = getattr(entity, key)
        entities.append(fields)
    return training_examples.ExampleData(
        text=given.text,
        intent=given.intent,
        entities=entities,
        metadata=_metadata(given.metadata_json),
        annotator=given.annotation.user or None,
        annotated_at=given.annotation.time or time.time(),
    )


def _metadata(metadata_json: str) -> dict[str, Any] | None:
    if not metadata_json.strip():
        return None
    try:
        metadata = json.loads(metadata_json, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as error:
        raise InvalidRequest(f"metadata_json is not JSON: {error}") from None
    if not isinstance(metadata, dict):
        raise InvalidRequest(f"metadata_json must be a JSON object, not {type(metadata).__name__}")
    return metadata


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _example(row: TrainingExample) -> pb.TrainingExample:
    message = pb.TrainingExample(
        id=row.id,
        text=row.text,
        hash=row.hash,
        intent=row.intent,
        entities=[pb.ExampleEntity(**entity) for entity in training_examples.entities_of(row)],
        metadata_json=row.example_metadata or "",
    )
    if row.annotator is not None or row.annotated_at is not None:
        message.annotation.CopyFrom(pb.Annotation(user=row.annotator or "", time=row.annotated_at or 0.0))
    return message


def _intent(intent: intents.Intent) -> pb.Intent:
    return pb.Intent(
        name=intent.name, example_count=intent.example_count, in_domain=intent.in_domain, user_goal=intent.user_goal
    )


def _synonym(synonym: nlu_features.Synonym) -> pb.Synonym:
    values = [pb.SynonymValue(id=v.id, value=v.value, example_count=v.example_count) for v in synonym.values]
    return pb.Synonym(id=synonym.id, reference=synonym.reference, values=values)


def _regex(row: RegexFeature) -> pb.Regex:
    return pb.Regex(id=row.id, name=row.name, pattern=row.pattern)


def _lookup(lookup: nlu_features.Lookup) -> pb.LookupTable:
    return pb.LookupTable(id=lookup.id, name=lookup.name, elements=lookup.elements)
