"""Settings: read from the environment once, typed, with a clear error for a bad value, all documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from conversely.settings import Settings, SettingsError, describe

README = Path(__file__).resolve().parents[2] / "README.md"


def test_defaults_are_the_embedded_mode() -> None:
    settings = Settings.from_env({})
    assert settings.gateway_port == 5002
    assert settings.rabbitmq_queue == "rasa_production_events"
    assert settings.effective_database_url.startswith("sqlite:///")
    assert settings.effective_sql_broker_url == settings.effective_database_url


def test_values_are_typed() -> None:
    settings = Settings.from_env(
        {"CONVERSELY_GATEWAY_PORT": "8080", "CONVERSELY_SHUTDOWN_GRACE_S": "2.5", "CONVERSELY_DATA_DIR": "/x"}
    )
    assert (settings.gateway_port, settings.shutdown_grace_s, settings.data_dir) == (8080, 2.5, Path("/x"))


def test_rabbitmq_replaces_the_sql_broker_unless_both_are_asked_for() -> None:
    assert Settings.from_env({"CONVERSELY_RABBITMQ_URL": "amqp://h"}).effective_sql_broker_url == ""
    both = Settings.from_env({"CONVERSELY_RABBITMQ_URL": "amqp://h", "CONVERSELY_SQL_BROKER_URL": "sqlite:///r.db"})
    assert both.effective_sql_broker_url == "sqlite:///r.db"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CONVERSELY_GATEWAY_PORT": "http"}, "CONVERSELY_GATEWAY_PORT='http' is not a whole number"),
        ({"CONVERSELY_BATCH_SIZE": "0"}, "CONVERSELY_BATCH_SIZE must be positive"),
        ({"CONVERSELY_LOG_FORMAT": "xml"}, "CONVERSELY_LOG_FORMAT must be json or console"),
    ],
)
def test_bad_values_say_which_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(env)


def test_readme_documents_every_setting() -> None:
    readme = README.read_text()
    missing = [env for env, _, _ in describe() if f"`{env}`" not in readme]
    assert not missing


def test_rasa_environments_are_named_urls_and_the_public_url_defaults_to_the_gateway_port() -> None:
    settings = Settings.from_env(
        {
            "CONVERSELY_RASA_ENVIRONMENTS": " production=http://rasa:5005/ , worker=https://w.example:443",
            "CONVERSELY_GATEWAY_PORT": "8080",
        }
    )
    assert settings.rasa_servers == {"production": "http://rasa:5005", "worker": "https://w.example:443"}
    assert settings.effective_public_url == "http://127.0.0.1:8080"
    assert Settings.from_env({}).rasa_servers == {}
    given = Settings.from_env({"CONVERSELY_PUBLIC_URL": "https://x.example/"})
    assert given.effective_public_url == "https://x.example"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("production", "'production' is not `name=url`"),
        ("Prod=http://a:1", "'Prod=http://a:1' is not `name=url`"),
        ("production=rasa:5005", "the URL of 'production' must be http(s)://host[:port]"),
        ("a=http://x:1,a=http://y:1", "names 'a' twice"),
        ("services=http://x:1", "'services' is a key of /api/health"),
    ],
)
def test_a_bad_rasa_environment_is_refused_naming_it(value: str, message: str) -> None:
    with pytest.raises(SettingsError, match="CONVERSELY_RASA_ENVIRONMENTS") as refused:
        Settings.from_env({"CONVERSELY_RASA_ENVIRONMENTS": value})
    assert message in str(refused.value)


def test_a_public_url_must_be_http() -> None:
    with pytest.raises(SettingsError, match="CONVERSELY_PUBLIC_URL must be an http"):
        Settings.from_env({"CONVERSELY_PUBLIC_URL": "gateway:5002"})
