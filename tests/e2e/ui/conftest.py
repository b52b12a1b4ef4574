"""Browser tests: Playwright's Python package driving Debian's Chromium, headless, against the UI stack
(tests/e2e/ui/stack.py). One stack and one browser serve every test of this package; each test gets a fresh browser
context. Both end with the package: Playwright's sync API keeps an event loop running in the main thread while it is
open, which would break every later test that runs one of its own (asyncio.run).

A failing test leaves a screenshot of its page in test-artifacts/ui/<test>.png.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.e2e.ui.browser import CHROMIUM, DESKTOP, PHONE, launch, put_token
from tests.e2e.ui.stack import UiStack, ui_stack
from tests.stack import TEST_ADMIN

if TYPE_CHECKING:
    from playwright.sync_api import ViewportSize

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "ui"


def _missing_browser() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright's Python package is not installed (make test installs it)"
    if not CHROMIUM.exists() and not shutil.which("chromium"):
        return "Debian's Chromium is not installed (apt-get install chromium; make test installs it)"
    return None


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    missing = _missing_browser()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{missing}; with CI=true the browser tests must run", pytrace=False)
        pytest.skip(f"needs a browser: {missing}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="package")
def stack(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[UiStack]:
    with ui_stack(tmp_path_factory.mktemp("ui-stack")) as running:
        yield running


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call" and report.failed:
        for page in getattr(item, "ui_pages", []):
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^\w.-]+", "_", item.nodeid.split("::", 1)[-1])
            page.screenshot(path=str(ARTIFACTS / f"{name}-{page.viewport_size['width']}.png"), full_page=True)
    return report


def open_page(request: pytest.FixtureRequest, browser: Any, stack: UiStack, viewport: ViewportSize) -> Any:
    """A page of a fresh browser context, on the UI's origin, not signed in; closed after the test."""
    context = browser.new_context(viewport=viewport, base_url=stack.url, accept_downloads=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.ui_errors = errors
    request.node.ui_pages = [*getattr(request.node, "ui_pages", []), page]
    request.addfinalizer(context.close)
    return page


def sign_in(page: Any, stack: UiStack, credentials: tuple[str, str] = TEST_ADMIN) -> Any:
    """Put a token for `credentials` where the UI keeps it (signing in through the form is its own test)."""
    token = stack.api.post("/api/auth", json={"username": credentials[0], "password": credentials[1]}).json()
    put_token(page, stack.url, token["access_token"])
    return page


@pytest.fixture
def page(request: pytest.FixtureRequest, browser: Any, stack: UiStack) -> Iterator[Any]:
    """A desktop page (1280x800) signed in as the admin; the test fails on any uncaught script error."""
    opened = sign_in(open_page(request, browser, stack, DESKTOP), stack)
    yield opened
    assert opened.ui_errors == [], f"script errors in the page: {opened.ui_errors}"


@pytest.fixture
def phone_page(request: pytest.FixtureRequest, browser: Any, stack: UiStack) -> Iterator[Any]:
    """A phone-sized page (390x844) signed in as the admin."""
    opened = sign_in(open_page(request, browser, stack, PHONE), stack)
    yield opened
    assert opened.ui_errors == [], f"script errors in the page: {opened.ui_errors}"


@pytest.fixture
def signed_out_page(request: pytest.FixtureRequest, browser: Any, stack: UiStack) -> Any:
    return open_page(request, browser, stack, DESKTOP)
