"""Screenshots of the web UI for docs/: the UI stack of the browser tests (tests/e2e/ui/stack.py), a cross-validation
and a chat so that every screen has something to show, then one picture per screen.

    .venv/bin/python -m tools.ui_screenshots [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import expect, sync_playwright

from tests.e2e.ui.browser import DESKTOP, PHONE, launch, put_token
from tests.e2e.ui.stack import UiStack, ui_stack

# (file name, fragment, viewport, text that shows the screen is drawn, then a link to follow, if any)
SCREENS: list[tuple[Any, ...]] = [
    ("conversations.png", "/conversations", DESKTOP, "Unread"),
    ("conversation.png", "/conversations/{sender}", DESKTOP, "Flag"),
    ("nlu-inbox.png", "/nlu-inbox", DESKTOP, "Annotate"),
    ("training-examples.png", "/training/examples", DESKTOP, "NLU examples"),
    ("stories.png", "/training/stories", DESKTOP, "happy path", "happy path"),
    ("models.png", "/models", DESKTOP, "Models"),
    ("evaluation.png", "/evaluation", DESKTOP, "F1"),
    ("chat.png", "/chat", DESKTOP, "Hey! How are you?"),
    ("conversations-phone.png", "/conversations", PHONE, "Unread"),
    ("conversation-phone.png", "/conversations/{sender}", PHONE, "Flag"),
]


def prepare(stack: UiStack) -> None:
    """A finished cross-validation and a chat, so the evaluation and chat screens have content."""
    api = stack.api
    started = api.post("/api/projects/default/evaluations/crossValidation", params={"folds": 2})
    started.raise_for_status()
    deadline = time.monotonic() + 60
    while api.get("/api/projects/default/evaluations/crossValidation").status_code != 200:
        if time.monotonic() > deadline:
            raise TimeoutError("the cross-validation did not finish")
        time.sleep(0.5)
    api.post("/api/chat?wait=true", json={"message": "hello"}, timeout=30).raise_for_status()


def shoot(stack: UiStack, out: Path) -> None:
    token = stack.api.post("/api/auth", json={"username": "admin", "password": "test-admin-password"}).json()
    sender = stack.senders[0]
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for name, fragment, viewport, ready, *follow in SCREENS:
            page: Any = browser.new_page(viewport=viewport, base_url=stack.url)
            put_token(page, stack.url, token["access_token"])
            page.goto(f"/#{fragment.format(sender=sender)}")
            page.get_by_text(ready).first.wait_for(timeout=15_000)
            for link in follow:
                page.get_by_role("link", name=link).first.click()
            expect(page.locator(".loading")).to_have_count(0, timeout=15_000)
            page.wait_for_timeout(300)
            page.screenshot(path=str(out / name))
            page.close()
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="conversely-shots-") as directory, ui_stack(Path(directory)) as stack:
        prepare(stack)
        shoot(stack, args.out)
    print(f"screenshots in {args.out}")


if __name__ == "__main__":
    main()
