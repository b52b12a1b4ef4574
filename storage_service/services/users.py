"""gRPC handlers of UserService: parse the request, call one query function, map the result."""

from __future__ import annotations

import grpc

from conversely.storage.v1 import users_pb2, users_pb2_grpc
from storage_service.models import ChatToken
from storage_service.queries import chat_token, users
from storage_service.services.base import ServicerBase


class UserService(ServicerBase, users_pb2_grpc.UserServiceServicer):
    def CreateUser(
        self, request: users_pb2.CreateUserRequest, context: grpc.ServicerContext
    ) -> users_pb2.CreateUserResponse:
        new = request.user
        stored = self._write(
            context,
            lambda s: users.create_user(s, new.username, new.password_hash, new.api_token, new.roles, new.data_json),
        )
        return users_pb2.CreateUserResponse(user=_user_message(stored))

    def GetUser(self, request: users_pb2.GetUserRequest, context: grpc.ServicerContext) -> users_pb2.GetUserResponse:
        stored = self._read(context, lambda s: users.get_user(s, request.username))
        return users_pb2.GetUserResponse(user=_user_message(stored))

    def GetUserByApiToken(
        self, request: users_pb2.GetUserByApiTokenRequest, context: grpc.ServicerContext
    ) -> users_pb2.GetUserByApiTokenResponse:
        stored = self._read(context, lambda s: users.get_user_by_api_token(s, request.api_token))
        return users_pb2.GetUserByApiTokenResponse(user=_user_message(stored))

    def ListUsers(
        self, request: users_pb2.ListUsersRequest, context: grpc.ServicerContext
    ) -> users_pb2.ListUsersResponse:
        stored = self._read(context, lambda s: users.list_users(s, request.role))
        return users_pb2.ListUsersResponse(users=[_user_message(user) for user in stored])

    def UpdateUser(
        self, request: users_pb2.UpdateUserRequest, context: grpc.ServicerContext
    ) -> users_pb2.UpdateUserResponse:
        changes = users.UserChanges(
            password_hash=request.password_hash if request.HasField("password_hash") else None,
            api_token=request.api_token if request.HasField("api_token") else None,
            data_json=request.data_json if request.HasField("data_json") else None,
            roles=list(request.roles) if request.set_roles else None,
        )
        stored = self._write(context, lambda s: users.update_user(s, request.username, changes))
        return users_pb2.UpdateUserResponse(user=_user_message(stored))

    def DeleteUser(
        self, request: users_pb2.DeleteUserRequest, context: grpc.ServicerContext
    ) -> users_pb2.DeleteUserResponse:
        self._write(context, lambda s: users.delete_user(s, request.username))
        return users_pb2.DeleteUserResponse()

    def ListRoles(
        self, request: users_pb2.ListRolesRequest, context: grpc.ServicerContext
    ) -> users_pb2.ListRolesResponse:
        stored = self._read(context, users.list_roles)
        return users_pb2.ListRolesResponse(roles=[_role_message(role) for role in stored])

    def PutRole(self, request: users_pb2.PutRoleRequest, context: grpc.ServicerContext) -> users_pb2.PutRoleResponse:
        role = users.StoredRole(
            request.role.name, request.role.description, list(request.role.grants), request.role.is_default
        )
        stored = self._write(context, lambda s: users.put_role(s, role))
        return users_pb2.PutRoleResponse(role=_role_message(stored))

    def DeleteRole(
        self, request: users_pb2.DeleteRoleRequest, context: grpc.ServicerContext
    ) -> users_pb2.DeleteRoleResponse:
        self._write(context, lambda s: users.delete_role(s, request.name))
        return users_pb2.DeleteRoleResponse()

    def GetChatToken(
        self, request: users_pb2.GetChatTokenRequest, context: grpc.ServicerContext
    ) -> users_pb2.GetChatTokenResponse:
        stored = self._read(context, chat_token.get_chat_token)
        return users_pb2.GetChatTokenResponse(chat_token=_chat_token_message(stored))

    def PutChatToken(
        self, request: users_pb2.PutChatTokenRequest, context: grpc.ServicerContext
    ) -> users_pb2.PutChatTokenResponse:
        given = request.chat_token
        stored = self._write(
            context,
            lambda s: chat_token.put_chat_token(s, given.token, given.bot_name, given.description, given.expires),
            changed=lambda _: False,  # no cached answer reads the chat token
        )
        return users_pb2.PutChatTokenResponse(chat_token=_chat_token_message(stored))


def _user_message(user: users.StoredUser) -> users_pb2.User:
    return users_pb2.User(
        username=user.username,
        password_hash=user.password_hash,
        api_token=user.api_token,
        roles=user.roles,
        data_json=user.data_json,
        created_at=user.created_at,
    )


def _role_message(role: users.StoredRole) -> users_pb2.Role:
    return users_pb2.Role(name=role.name, description=role.description, grants=role.grants, is_default=role.is_default)


def _chat_token_message(row: ChatToken) -> users_pb2.ChatToken:
    return users_pb2.ChatToken(token=row.token, bot_name=row.bot_name, description=row.description, expires=row.expires)
