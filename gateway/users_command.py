"""`conversely users ...`: manage users from a shell, over gRPC to storage_service (no gateway needed)."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys

import grpc

from conversely.grpc_runtime import aio_channel
from conversely.settings import Settings
from conversely.storage.v1 import users_pb2, users_pb2_grpc
from gateway.accounts import InvalidAccount, create_user, put_built_in_roles, set_password
from gateway.clients import CALL_TIMEOUT_S


def run_users_command(args: argparse.Namespace, settings: Settings) -> int:
    """Carry out `conversely users <action>`; print errors in one line and return the exit status."""
    password = _password(args) if args.action in {"create", "set-password"} else ""
    if password is None:
        return 1
    try:
        return asyncio.run(_run(args, settings, password))
    except InvalidAccount as error:
        print(f"conversely: {error}", file=sys.stderr)
    except grpc.aio.AioRpcError as error:
        if error.code() in {grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED}:
            print(
                f"conversely: storage is not reachable at {settings.storage_address} ({error.details()}); "
                "start it with `conversely up` or `conversely serve storage`, or set CONVERSELY_STORAGE_ADDRESS",
                file=sys.stderr,
            )
        else:
            print(f"conversely: {error.details()}", file=sys.stderr)
    return 1


async def _run(args: argparse.Namespace, settings: Settings, password: str) -> int:
    async with aio_channel(settings.storage_address) as channel:
        users = users_pb2_grpc.UserServiceStub(channel)
        if args.action == "create":
            await put_built_in_roles(users)  # the roles exist even if no gateway has started yet
            user = await create_user(users, args.username, password, args.role)
            print(f"created {user.username} (roles: {', '.join(user.roles) or 'none'})")
        elif args.action == "list":
            listed = await users.ListUsers(users_pb2.ListUsersRequest(), timeout=CALL_TIMEOUT_S)
            for user in listed.users:
                print(f"{user.username}\t{','.join(user.roles)}")
        elif args.action == "delete":
            await users.DeleteUser(users_pb2.DeleteUserRequest(username=args.username), timeout=CALL_TIMEOUT_S)
            print(f"deleted {args.username}")
        else:
            await set_password(users, args.username, password)
            print(f"password of {args.username} changed")
    return 0


def _password(args: argparse.Namespace) -> str | None:
    """The new password from stdin or typed twice at a prompt; None (after saying why) when there is none."""
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            print("conversely: no password on stdin", file=sys.stderr)
            return None
        return password
    if not sys.stdin.isatty():
        print("conversely: stdin is not a terminal; pass the password with --password-stdin", file=sys.stderr)
        return None
    password = getpass.getpass(f"password for {args.username}: ")
    if getpass.getpass("again: ") != password:
        print("conversely: the passwords differ", file=sys.stderr)
        return None
    return password
