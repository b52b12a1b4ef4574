"""Every setting Conversely reads, from environment variables, read once into one typed object.

The same names work for `conversely up`, for `conversely serve <service>` and for the containers.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

_ENVIRONMENT_NAME = re.compile(r"[a-z0-9_-]{1,64}")
_RESERVED_ENVIRONMENT_NAMES = frozenset({"services", "database_migration"})


class SettingsError(ValueError):
    """An environment variable holds a value Conversely cannot use."""


def _setting(env: str, default: Any, help: str) -> Any:
    return field(default=default, metadata={"env": env, "help": help})


@dataclass(frozen=True)
class Settings:
    data_dir: Path = _setting(
        "CONVERSELY_DATA_DIR", Path("conversely-data"), "Folder for the embedded SQLite file and other state."
    )
    database_url: str = _setting(
        "CONVERSELY_DATABASE_URL",
        "",
        "SQLAlchemy URL of Conversely's database; empty means SQLite in CONVERSELY_DATA_DIR/conversely.db.",
    )
    rabbitmq_url: str = _setting(
        "CONVERSELY_RABBITMQ_URL", "", "AMQP URL of the RabbitMQ that Rasa publishes to; empty: no RabbitMQ."
    )
    rabbitmq_queue: str = _setting(
        "CONVERSELY_RABBITMQ_QUEUE", "rasa_production_events", "The durable queue Rasa's pika broker fills."
    )
    rabbitmq_exchange: str = _setting(
        "CONVERSELY_RABBITMQ_EXCHANGE",
        "rasa-exchange",
        "Rasa's fanout exchange (Rasa always uses rasa-exchange).",
    )
    sql_broker_url: str = _setting(
        "CONVERSELY_SQL_BROKER_URL",
        "",
        "SQLAlchemy URL of the database of Rasa's SQL event broker (table `events`); empty: the Conversely "
        "database when no RabbitMQ is configured, otherwise none.",
    )
    rasa_environment: str = _setting(
        "CONVERSELY_RASA_ENVIRONMENT",
        "production",
        "Environment recorded for events whose AMQP message carries no app_id.",
    )
    redis_url: str = _setting(
        "CONVERSELY_REDIS_URL",
        "",
        "Redis URL of storage_service's query cache; empty: an in-process cache (one storage_service only).",
    )
    cache_ttl_s: float = _setting(
        "CONVERSELY_CACHE_TTL_S", 300.0, "Longest a cached query answer is kept (writes invalidate it at once)."
    )
    models_dir: str = _setting(
        "CONVERSELY_MODELS_DIR",
        "",
        "Folder where storage_service keeps model archives; empty: CONVERSELY_DATA_DIR/models.",
    )
    max_model_bytes: int = _setting(
        "CONVERSELY_MAX_MODEL_BYTES", 2_000_000_000, "Largest model archive accepted for upload."
    )
    rasa_token: str = _setting(
        "CONVERSELY_RASA_TOKEN",
        "",
        "The token Rasa servers send as ?token= to pull models (Rasa X's RASA_X_TOKEN); empty: a random one, "
        "kept in CONVERSELY_DATA_DIR/rasa-token (mode 600).",
    )
    admin_username: str = _setting(
        "CONVERSELY_ADMIN_USERNAME", "admin", "The admin user created when no user exists yet."
    )
    admin_password: str = _setting(
        "CONVERSELY_ADMIN_PASSWORD",
        "",
        "That admin's password; empty: a random one, written to CONVERSELY_DATA_DIR/admin-password (mode 600).",
    )
    jwt_private_key: str = _setting(
        "CONVERSELY_JWT_PRIVATE_KEY",
        "",
        "PEM of the RSA key that signs access tokens; empty: read CONVERSELY_JWT_PRIVATE_KEY_FILE.",
    )
    jwt_private_key_file: str = _setting(
        "CONVERSELY_JWT_PRIVATE_KEY_FILE",
        "",
        "File holding that key; empty: CONVERSELY_DATA_DIR/jwt-private-key.pem, created on first start.",
    )
    jwt_expiry_s: int = _setting("CONVERSELY_JWT_EXPIRY_S", 28800, "How long an access token from /api/auth lasts.")
    login_attempts_per_minute: int = _setting(
        "CONVERSELY_LOGIN_ATTEMPTS_PER_MINUTE",
        10,
        "Failed logins allowed per username and per client address in a minute; more get 429.",
    )
    rasa_environments: str = _setting(
        "CONVERSELY_RASA_ENVIRONMENTS",
        "",
        "The team's Rasa servers, `name=url` separated by commas, e.g. "
        "`production=http://rasa-production:5005,worker=http://rasa-worker:5005`; `worker` trains and evaluates, "
        "`production` answers chat. Empty: none (training and chat answer 409 saying so).",
    )
    rasa_auth_token: str = _setting(
        "CONVERSELY_RASA_AUTH_TOKEN",
        "",
        "The token Rasa servers were started with (`rasa run --auth-token`), sent as ?token= to their HTTP API.",
    )
    public_url: str = _setting(
        "CONVERSELY_PUBLIC_URL",
        "",
        "The gateway's URL as Rasa servers reach it (training callbacks, the model server and chat channel in "
        "/api/config); empty: http://127.0.0.1:CONVERSELY_GATEWAY_PORT.",
    )
    training_timeout_s: float = _setting(
        "CONVERSELY_TRAINING_TIMEOUT_S",
        3600.0,
        "How long a training or cross-validation job may run before it is failed as timed out.",
    )
    chat_reply_timeout_s: float = _setting(
        "CONVERSELY_CHAT_REPLY_TIMEOUT_S",
        15.0,
        "How long the gateway waits for the bot's answer to arrive through the event broker before telling the "
        "chat why it did not.",
    )
    bind_host: str = _setting(
        "CONVERSELY_BIND_HOST", "127.0.0.1", "Interface every service listens on (0.0.0.0 in containers)."
    )
    gateway_port: int = _setting("CONVERSELY_GATEWAY_PORT", 5002, "HTTP port of the gateway (API and UI).")
    trusted_proxies: str = _setting(
        "CONVERSELY_TRUSTED_PROXIES",
        "127.0.0.1",
        "Comma-separated addresses (or *) of reverse proxies whose X-Forwarded-For names the real client, "
        "e.g. for the login rate limit.",
    )
    storage_address: str = _setting(
        "CONVERSELY_STORAGE_ADDRESS", "127.0.0.1:50051", "host:port of storage_service's gRPC API."
    )
    events_address: str = _setting(
        "CONVERSELY_EVENTS_ADDRESS", "127.0.0.1:50052", "host:port of event_service's gRPC API."
    )
    migration_address: str = _setting(
        "CONVERSELY_MIGRATION_ADDRESS", "127.0.0.1:50053", "host:port of migration_service's gRPC API."
    )
    events_http_port: int = _setting(
        "CONVERSELY_EVENTS_HTTP_PORT", 5673, "HTTP port of event_service's `GET /health` and `GET /metrics`."
    )
    migration_http_port: int = _setting(
        "CONVERSELY_MIGRATION_HTTP_PORT",
        5006,  # not 5005: that is Rasa's own default port
        "HTTP port of migration_service's status (`GET /`, `GET /health`).",
    )
    batch_size: int = _setting("CONVERSELY_BATCH_SIZE", 500, "Most events event_service stores in one batch.")
    batch_wait_ms: int = _setting(
        "CONVERSELY_BATCH_WAIT_MS", 50, "Longest an event waits in event_service for its batch to fill."
    )
    store_concurrency: int = _setting(
        "CONVERSELY_STORE_CONCURRENCY", 2, "Batches one event_service has in flight to storage at once."
    )
    max_event_bytes: int = _setting(
        "CONVERSELY_MAX_EVENT_BYTES", 1_000_000, "Largest event accepted; larger ones are dead-lettered."
    )
    sql_broker_poll_ms: int = _setting(
        "CONVERSELY_SQL_BROKER_POLL_MS", 500, "How often Rasa's SQL event broker table is polled when idle."
    )
    shutdown_grace_s: float = _setting(
        "CONVERSELY_SHUTDOWN_GRACE_S", 10.0, "How long a stopping service lets in-flight work finish."
    )
    log_level: str = _setting("CONVERSELY_LOG_LEVEL", "info", "debug, info, warning or error.")
    log_format: str = _setting("CONVERSELY_LOG_FORMAT", "json", "json (production) or console (humans).")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read every setting from `environ` (default: the process environment)."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for setting in dataclasses.fields(cls):
            raw = environ.get(setting.metadata["env"])
            if raw is not None:
                values[setting.name] = _parse(setting, raw)
        return cls(**values)._validated()

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'conversely.db').resolve()}"

    @property
    def effective_models_dir(self) -> Path:
        return Path(self.models_dir) if self.models_dir else self.data_dir / "models"

    @property
    def effective_jwt_private_key_file(self) -> Path:
        return Path(self.jwt_private_key_file) if self.jwt_private_key_file else self.data_dir / "jwt-private-key.pem"

    @property
    def effective_public_url(self) -> str:
        return (self.public_url or f"http://127.0.0.1:{self.gateway_port}").rstrip("/")

    @property
    def rasa_servers(self) -> dict[str, str]:
        """The Rasa server URL of every configured environment, by environment name."""
        return parse_rasa_environments(self.rasa_environments)

    @property
    def effective_sql_broker_url(self) -> str:
        if self.sql_broker_url:
            return self.sql_broker_url
        return "" if self.rabbitmq_url else self.effective_database_url

    def _validated(self) -> Settings:
        if self.log_level.lower() not in {"debug", "info", "warning", "error"}:
            raise SettingsError(f"CONVERSELY_LOG_LEVEL must be debug, info, warning or error, not {self.log_level!r}")
        if self.log_format not in {"json", "console"}:
            raise SettingsError(f"CONVERSELY_LOG_FORMAT must be json or console, not {self.log_format!r}")
        for name in (
            "batch_size",
            "batch_wait_ms",
            "store_concurrency",
            "max_event_bytes",
            "sql_broker_poll_ms",
            "jwt_expiry_s",
            "login_attempts_per_minute",
            "max_model_bytes",
            "training_timeout_s",
            "chat_reply_timeout_s",
        ):
            if getattr(self, name) <= 0:
                raise SettingsError(f"{_env_name(name)} must be positive")
        parse_rasa_environments(self.rasa_environments)
        if self.public_url and urlsplit(self.public_url).scheme not in {"http", "https"}:
            raise SettingsError(f"CONVERSELY_PUBLIC_URL must be an http(s) URL, not {self.public_url!r}")
        return self


def parse_rasa_environments(value: str) -> dict[str, str]:
    """`production=http://a:5005,worker=http://b:5005` as {name: url}; SettingsError naming what is wrong."""
    servers: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in value.split(","))):
        name, equals, url = (piece.strip() for piece in item.partition("="))
        if not equals or not _ENVIRONMENT_NAME.fullmatch(name):
            raise SettingsError(
                f"CONVERSELY_RASA_ENVIRONMENTS: {item!r} is not `name=url` with a name of lowercase letters, "
                "digits, - and _"
            )
        if urlsplit(url).scheme not in {"http", "https"} or not urlsplit(url).netloc:
            raise SettingsError(f"CONVERSELY_RASA_ENVIRONMENTS: the URL of {name!r} must be http(s)://host[:port]")
        if name in servers:
            raise SettingsError(f"CONVERSELY_RASA_ENVIRONMENTS names {name!r} twice")
        if name in _RESERVED_ENVIRONMENT_NAMES:
            raise SettingsError(f"CONVERSELY_RASA_ENVIRONMENTS: {name!r} is a key of /api/health; name it otherwise")
        servers[name] = url.rstrip("/")
    return servers


def describe() -> list[tuple[str, str, str]]:
    """(environment variable, default, meaning) for every setting, for the README and `conversely settings`."""
    return [(s.metadata["env"], str(s.default), s.metadata["help"]) for s in dataclasses.fields(Settings)]


def _env_name(field_name: str) -> str:
    return next(s.metadata["env"] for s in dataclasses.fields(Settings) if s.name == field_name)


def _parse(setting: dataclasses.Field[Any], raw: str) -> Any:
    default = setting.default
    if isinstance(default, Path):
        return Path(raw)
    if isinstance(default, int | float):
        try:
            return type(default)(raw)
        except ValueError:
            kind = "whole number" if isinstance(default, int) else "number"
            raise SettingsError(f"{setting.metadata['env']}={raw!r} is not a {kind}") from None
    return raw
