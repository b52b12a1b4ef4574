"""The web UI's files as the gateway serves them: the page's security policy, the assets, the vendored libraries
and the modules' imports, checked without a browser (tests/e2e/ui/ drives the UI in one)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from gateway import permissions
from gateway.routes.web_ui import STATIC_DIR, WebUi
from tests.integration.test_openapi import gateway_settings
from tests.stack import free_port

ROOT = Path(__file__).resolve().parents[2]
# Each vendored file and the file of the npm package (package.json pins the version) it must be a copy of.
VENDORED = {
    "preact.js": "preact/dist/preact.mjs",
    "preact-hooks.js": "preact/hooks/dist/hooks.mjs",
    "htm.js": "htm/dist/htm.mjs",
}
MODULES = sorted(STATIC_DIR.glob("js/**/*.js"))
IMPORTED_NAMES = re.compile(r'^import\s+(?:\*\s+as\s+(\w+)|\{([^}]*)\}|(\w+))\s+from\s+"[^"]+";', re.M)
IMPORT = re.compile(r"""(?:^|\s)(?:import|export)\s[^;]*?from\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)""", re.M)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    from gateway.app import create_app

    settings = gateway_settings(tmp_path_factory.mktemp("web-ui"), f"127.0.0.1:{free_port()}")
    return TestClient(create_app(settings))  # no lifespan: the UI's routes need no service


def import_map() -> dict[str, str]:
    page = (STATIC_DIR / "index.html").read_text()
    script = re.search(r'<script type="importmap">(.*?)</script>', page, re.S)
    assert script, "index.html has no import map"
    return dict(json.loads(script.group(1))["imports"])


def test_the_page_allows_only_its_own_scripts_and_its_import_map(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    script = re.search(r'<script type="importmap">(.*?)</script>', response.text, re.S)
    assert script is not None
    digest = base64.b64encode(hashlib.sha256(script.group(1).encode()).digest()).decode()
    assert f"script-src 'self' 'sha256-{digest}';" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"


def test_an_edited_import_map_changes_the_policy(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text('<script type="importmap">{"imports": {}}</script>')
    first = WebUi(tmp_path).policy
    (tmp_path / "index.html").write_text('<script type="importmap">{"imports": {"x": "/y"}}</script>')
    assert WebUi(tmp_path).policy != first


def test_assets_are_served_as_javascript_and_revalidated_by_etag(client: TestClient) -> None:
    response = client.get("/static/js/main.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["cache-control"] == "no-cache"
    again = client.get("/static/js/main.js", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304


@pytest.mark.parametrize(
    "path",
    ["/static/../pyproject.toml", "/static/..%2f..%2fapp.py", "/static/%2e%2e/app.py", "/static/%00", "/static/"],
)
def test_nothing_outside_the_ui_folder_is_served(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["reason"] == "NotFound"


def test_every_import_of_every_module_resolves_to_a_file_or_the_import_map() -> None:
    names = import_map()
    preloaded = re.findall(r'<link rel="modulepreload" href="([^"]+)">', (STATIC_DIR / "index.html").read_text())
    for target in [*names.values(), *preloaded]:
        assert (STATIC_DIR / target.removeprefix("/static/")).is_file(), target
    unresolved = []
    for module in MODULES:
        for found in IMPORT.finditer(module.read_text()):
            specifier = found.group(1) or found.group(2)
            if specifier.startswith("."):
                if not (module.parent / specifier).resolve().is_file():
                    unresolved.append(f"{module.relative_to(STATIC_DIR)}: {specifier}")
            elif specifier not in names:
                unresolved.append(f"{module.relative_to(STATIC_DIR)}: {specifier} (not in the import map)")
    assert MODULES and unresolved == []


def test_every_module_parses_and_uses_each_name_it_imports() -> None:
    node = shutil.which("node")
    unused = []
    for module in MODULES:
        source = module.read_text()
        if node:
            parsed = subprocess.run(
                [node, "--input-type=module", "--check"], input=source, text=True, capture_output=True
            )
            assert parsed.returncode == 0, f"{module.relative_to(STATIC_DIR)}: {parsed.stderr}"
        for found in IMPORTED_NAMES.finditer(source):
            listed = found.group(2).split(",") if found.group(2) else [found.group(1) or found.group(3)]
            rest = source[: found.start()] + source[found.end() :]
            for name in (item.split(" as ")[-1].strip() for item in listed if item.strip()):
                if not re.search(rf"\b{re.escape(name)}\b", rest):
                    unused.append(f"{module.relative_to(STATIC_DIR)}: {name}")
    assert unused == []


def test_no_module_loads_anything_from_another_origin() -> None:
    for path in [*MODULES, STATIC_DIR / "index.html", *STATIC_DIR.glob("css/*.css")]:
        assert not re.search(r"""(?:from\s+|import\(\s*|src=|href=|url\()["']?(?:https?:)?//""", path.read_text()), path


def test_the_permission_names_of_the_ui_are_the_gateways() -> None:
    declared = dict(
        re.findall(r'^export const (\w+) = "([^"]+)";$', (STATIC_DIR / "js/permissions.js").read_text(), re.M)
    )
    expected = {name: value for name, value in vars(permissions).items() if name.isupper() and isinstance(value, str)}
    assert declared == expected


def test_the_vendored_libraries_are_unchanged_copies_of_the_pinned_npm_packages() -> None:
    node_modules = ROOT / "node_modules"
    if not (node_modules / "preact").is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail("node_modules is missing; make test installs it", pytrace=False)
        pytest.skip("needs node_modules (make test runs npm install)")
    pinned = json.loads((ROOT / "package.json").read_text())["devDependencies"]
    for package in ("preact", "htm"):
        installed = json.loads((node_modules / package / "package.json").read_text())["version"]
        assert installed == pinned[package], (
            f"{package}: npm installed {installed}, package.json pins {pinned[package]}"
        )
    for vendored, original in VENDORED.items():
        assert (STATIC_DIR / "vendor" / vendored).read_bytes() == (node_modules / original).read_bytes(), vendored
