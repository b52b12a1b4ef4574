"""gRPC handlers of DomainService: the domain, responses, actions and config.yml."""

from __future__ import annotations

import time

import grpc
from sqlalchemy.orm import Session

from conversely.storage.v1 import domain_pb2, domain_pb2_grpc, training_data_pb2
from storage_service.models import BotResponse, DomainAction
from storage_service.queries import domain
from storage_service.services.base import ServicerBase, non_negative, page_size

DEFAULT_RESPONSE_LIMIT, MAX_RESPONSE_LIMIT = 100, 1000


class DomainService(ServicerBase, domain_pb2_grpc.DomainServiceServicer):
    def GetDomain(
        self, request: domain_pb2.GetDomainRequest, context: grpc.ServicerContext
    ) -> domain_pb2.GetDomainResponse:
        return self._cached(
            context,
            "domain:get",
            domain_pb2.GetDomainResponse,
            lambda s: domain_pb2.GetDomainResponse(yaml=domain.get_domain_yaml(s)),
        )

    def ReplaceDomain(
        self, request: domain_pb2.ReplaceDomainRequest, context: grpc.ServicerContext
    ) -> domain_pb2.ReplaceDomainResponse:
        annotator, at = _annotation(request.annotation)
        stored = self._write(
            context, lambda s: domain.replace_domain(s, request.yaml, request.store_responses, annotator, at)
        )
        return domain_pb2.ReplaceDomainResponse(yaml=stored)

    def ListResponses(
        self, request: domain_pb2.ListResponsesRequest, context: grpc.ServicerContext
    ) -> domain_pb2.ListResponsesResponse:
        response_filter = domain.ResponseFilter(
            limit=page_size(context, request.limit, DEFAULT_RESPONSE_LIMIT, MAX_RESPONSE_LIMIT, "limit"),
            offset=non_negative(context, request.offset, "offset"),
            query=request.query,
            name=request.name,
        )

        def work(session: Session) -> domain_pb2.ListResponsesResponse:
            rows, total = domain.list_responses(session, response_filter)
            return domain_pb2.ListResponsesResponse(responses=[_response(row) for row in rows], total_count=total)

        key = "responses:" + request.SerializeToString(deterministic=True).hex()
        return self._cached(context, key, domain_pb2.ListResponsesResponse, work)

    def CreateResponse(
        self, request: domain_pb2.CreateResponseRequest, context: grpc.ServicerContext
    ) -> domain_pb2.CreateResponseResponse:
        given = request.response
        annotator, at = _annotation(given.annotation)
        row = self._write(context, lambda s: domain.create_response(s, given.name, given.content_json, annotator, at))
        return domain_pb2.CreateResponseResponse(response=_response(row))

    def UpdateResponse(
        self, request: domain_pb2.UpdateResponseRequest, context: grpc.ServicerContext
    ) -> domain_pb2.UpdateResponseResponse:
        given = request.response
        annotator, at = _annotation(given.annotation)
        row = self._write(
            context, lambda s: domain.update_response(s, given.id, given.name, given.content_json, annotator, at)
        )
        return domain_pb2.UpdateResponseResponse(response=_response(row))

    def DeleteResponses(
        self, request: domain_pb2.DeleteResponsesRequest, context: grpc.ServicerContext
    ) -> domain_pb2.DeleteResponsesResponse:
        deleted = self._write(context, lambda s: domain.delete_responses(s, list(request.ids)), lambda n: n > 0)
        return domain_pb2.DeleteResponsesResponse(deleted_count=deleted)

    def ReplaceResponses(
        self, request: domain_pb2.ReplaceResponsesRequest, context: grpc.ServicerContext
    ) -> domain_pb2.ReplaceResponsesResponse:
        # Each variation keeps its own annotation; one without gets now.
        now = time.time()
        variations = [
            (r.name, r.content_json, r.annotation.user or None, r.annotation.time or now) for r in request.responses
        ]
        count = self._write(context, lambda s: domain.replace_responses(s, variations))
        return domain_pb2.ReplaceResponsesResponse(response_count=count)

    def ListResponseGroups(
        self, request: domain_pb2.ListResponseGroupsRequest, context: grpc.ServicerContext
    ) -> domain_pb2.ListResponseGroupsResponse:
        def work(session: Session) -> domain_pb2.ListResponseGroupsResponse:
            groups = domain.list_response_groups(session, request.query)
            return domain_pb2.ListResponseGroupsResponse(
                groups=[domain_pb2.ResponseGroup(name=name, variation_count=count) for name, count in groups]
            )

        key = "response_groups:" + request.SerializeToString(deterministic=True).hex()
        return self._cached(context, key, domain_pb2.ListResponseGroupsResponse, work)

    def RenameResponseGroup(
        self, request: domain_pb2.RenameResponseGroupRequest, context: grpc.ServicerContext
    ) -> domain_pb2.RenameResponseGroupResponse:
        name, count = self._write(context, lambda s: domain.rename_response_group(s, request.name, request.new_name))
        return domain_pb2.RenameResponseGroupResponse(group=domain_pb2.ResponseGroup(name=name, variation_count=count))

    def ListActions(
        self, request: domain_pb2.ListActionsRequest, context: grpc.ServicerContext
    ) -> domain_pb2.ListActionsResponse:
        actions = self._read(context, lambda s: [_action(row, is_form) for row, is_form in domain.list_actions(s)])
        return domain_pb2.ListActionsResponse(actions=actions)

    def CreateAction(
        self, request: domain_pb2.CreateActionRequest, context: grpc.ServicerContext
    ) -> domain_pb2.CreateActionResponse:
        action = self._write(context, lambda s: _action(*domain.create_action(s, request.name)))
        return domain_pb2.CreateActionResponse(action=action)

    def UpdateAction(
        self, request: domain_pb2.UpdateActionRequest, context: grpc.ServicerContext
    ) -> domain_pb2.UpdateActionResponse:
        action = self._write(context, lambda s: _action(*domain.update_action(s, request.id, request.name)))
        return domain_pb2.UpdateActionResponse(action=action)

    def DeleteAction(
        self, request: domain_pb2.DeleteActionRequest, context: grpc.ServicerContext
    ) -> domain_pb2.DeleteActionResponse:
        self._write(context, lambda s: domain.delete_action(s, request.id))
        return domain_pb2.DeleteActionResponse()

    def GetConfig(
        self, request: domain_pb2.GetConfigRequest, context: grpc.ServicerContext
    ) -> domain_pb2.GetConfigResponse:
        return domain_pb2.GetConfigResponse(yaml=self._read(context, domain.get_config))

    def ReplaceConfig(
        self, request: domain_pb2.ReplaceConfigRequest, context: grpc.ServicerContext
    ) -> domain_pb2.ReplaceConfigResponse:
        stored = self._write(context, lambda s: domain.replace_config(s, request.yaml))
        return domain_pb2.ReplaceConfigResponse(yaml=stored)


def _annotation(annotation: training_data_pb2.Annotation) -> tuple[str | None, float]:
    """Who made the change and when (now when not given)."""
    return annotation.user or None, annotation.time or time.time()


def _response(row: BotResponse) -> domain_pb2.Response:
    return domain_pb2.Response(
        id=row.id,
        name=row.name,
        content_json=row.content,
        annotation=training_data_pb2.Annotation(user=row.annotator or "", time=row.annotated_at or 0.0),
    )


def _action(row: DomainAction, is_form: bool) -> domain_pb2.Action:
    return domain_pb2.Action(id=row.id, name=row.name, is_form=is_form)
