"""The `conversely` command: `up` runs everything embedded; `serve <service>` runs one, as its container does."""

from __future__ import annotations

import argparse
import sys

from conversely.logs import configure_logging
from conversely.settings import Settings, SettingsError, describe

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
    service = "conversely" if args.command == "up" else SERVICE_NAMES[args.service]
    configure_logging(service, settings.log_level, settings.log_format)
    if args.command == "up":
        from conversely.embedded import run_embedded

        return run_embedded(settings)
    return _serve(args.service, settings)


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
