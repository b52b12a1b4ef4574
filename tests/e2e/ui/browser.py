"""Debian's Chromium as the browser tests, tools/ui_screenshots.py and bench/ui.py drive it, and signing a page in."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the tests that need Playwright skip, or fail under CI, when it is missing: no import here
    from playwright.sync_api import ViewportSize

CHROMIUM = Path("/usr/bin/chromium")
# No sandbox as root; no GPU headless; no background connections, which this machine's closed network refuses.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 390, "height": 844}
TOKEN_KEY = "conversely.token"  # where gateway/static/js/api.js keeps the signed-in user's token


def launch(playwright: Any) -> Any:
    """Chromium, headless, from Debian's package (Playwright's own browser download does not work here)."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)


def put_token(page: Any, gateway_url: str, access_token: str) -> None:
    """Sign `page` in with `access_token`, put where the UI keeps it (signing in through the form is a test of its
    own), and wait until the UI shows it is signed in."""
    page.goto(gateway_url + "/")
    page.evaluate("([key, token]) => localStorage.setItem(key, token)", [TOKEN_KEY, access_token])
    page.reload()
    page.get_by_role("button", name="Sign out").wait_for()
