"""The `conversely` command: `up` runs everything embedded; `serve <service>` runs one, as its container does;
`users` manages users."""

from __future__ import annotations

import argparse
import os
import sys

from conversely.logs import configure_logging
from conversely.settings import Settings, SettingsError, describe
from conversely.supervision import stop_when_supervisor_is_gone

SERVICE_NAMES = {
    "gateway": "gateway",
    "storage": "storage_service",
    "events": "event_service",
    "migrate": "migration_service",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="conversely", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("up", help="run all four services on loopback (SQLite unless configured otherwise)")
    serve = commands.add_parser("serve", help="run one service in the foreground")
    serve.add_argument("service", choices=sorted(SERVICE_NAMES))
    commands.add_parser("settings", help="list every setting (environment variable, default, meaning)")
    _add_users_parser(commands.add_parser("users", help="create, list and delete users; set passwords"))
    args = parser.parse_args(argv)

    if args.command == "settings":
        for env, default, meaning in describe():
            print(f"{env}={default}\n    {meaning}")
        return 0
    try:
        settings = Settings.from_env()
    except SettingsError as error:
        print(f"conversely: {error}", file=sys.stderr)
        return 2
    if args.command == "users":
        from gateway.users_command import run_users_command

        return run_users_command(args, settings)
    service = "conversely" if args.command == "up" else SERVICE_NAMES[args.service]
    configure_logging(service, settings.log_level, settings.log_format)
    if args.command == "up":
        from conversely.embedded import run_embedded

        return run_embedded(settings)
    stop_when_supervisor_is_gone(os.environ)
    try:
        return _serve(args.service, settings)
    except SettingsError as error:  # found at start-up, e.g. an unusable JWT key
        print(f"conversely: {error}", file=sys.stderr)
        return 2


def _add_users_parser(users: argparse.ArgumentParser) -> None:
    actions = users.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="create a user (the default role unless --role is given)")
    create.add_argument("username")
    create.add_argument("--role", action="append", default=[], help="a role to give; repeat for several")
    create.add_argument("--password-stdin", action="store_true", help="read the password from stdin's first line")
    actions.add_parser("list", help="list users and their roles")
    delete = actions.add_parser("delete", help="delete a user")
    delete.add_argument("username")
    set_password = actions.add_parser("set-password", help="set a user's password")
    set_password.add_argument("username")
    set_password.add_argument("--password-stdin", action="store_true", help="read the password from stdin's first line")


def _serve(service: str, settings: Settings) -> int:
    if service == "gateway":
        from gateway.server import serve as serve_gateway

        serve_gateway(settings)
    elif service == "storage":
        from storage_service.server import serve as serve_storage

        serve_storage(settings)
    elif service == "events":
        from event_service.server import serve as serve_events

        serve_events(settings)
    else:
        from migration_service.server import serve as serve_migrations

        serve_migrations(settings)
    return 0
