"""The conversations inbox and the conversation view: filtering as the API does, reviewing a conversation (flags,
intent corrections, tags, review status), saved filter sets, deletion, and a phone-sized review."""

from __future__ import annotations

import re
import uuid
from typing import Any
from urllib.parse import quote

from playwright.sync_api import expect

from tests.e2e.ui.stack import UiStack

MATCHES = re.compile(r"^\d+ conversations? match")


def api_total(stack: UiStack, **filters: Any) -> int:
    response = stack.api.get("/api/conversations", params={**filters, "limit": 0})
    response.raise_for_status()
    return int(response.headers["x-total-count"])


def api_events(stack: UiStack, sender_id: str) -> list[dict[str, Any]]:
    response = stack.api.get(f"/api/conversations/{quote(sender_id, safe='')}/tracker")
    response.raise_for_status()
    return response.json()["events"]  # type: ignore[no-any-return]


def conversation_item(stack: UiStack, sender_id: str) -> dict[str, Any]:
    items = stack.api.get("/api/conversations").json()
    return next(item for item in items if item["sender_id"] == sender_id)


def rows(page: Any) -> Any:
    return page.get_by_role("table").locator("tbody").get_by_role("row")


def unread_count(page: Any) -> int:
    button = page.get_by_role("group", name="Review status").get_by_role("button", name=re.compile(r"^Unread \d"))
    return int(re.sub(r"\D", "", button.inner_text()))


def test_filtering_by_intent_shows_what_the_api_answers_and_survives_a_reload(page: Any, stack: UiStack) -> None:
    expected = api_total(stack, intent="weather")
    assert 0 < expected < api_total(stack), "the fixture should have weather in some conversations, not all"
    page.goto("/#/conversations")
    expect(page.get_by_text(MATCHES)).to_have_text(f"{api_total(stack)} conversations match")

    intent = page.get_by_label("Intent", exact=True)
    intent.fill("weather")
    intent.press("Enter")
    expect(page.get_by_role("list", name="Intent: chosen")).to_contain_text("weather")
    expect(page.get_by_text(MATCHES)).to_have_text(re.compile(rf"^{expected} conversations? match"))
    expect(rows(page)).to_have_count(expected)
    expect(page).to_have_url(re.compile(r"intent=weather"))

    page.reload()
    expect(page.get_by_role("list", name="Intent: chosen")).to_contain_text("weather")
    expect(rows(page)).to_have_count(expected)
    rows(page).first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Conversation with "))
    expect(page.get_by_role("list", name="Conversation events")).to_contain_text("weather")


def test_a_reviewer_flags_a_message_and_corrects_its_intent(page: Any, stack: UiStack) -> None:
    assert "alice" in stack.senders
    page.goto("/#/conversations/alice")
    flag = page.get_by_role("button", name="Flag message “hello”")
    expect(flag).to_have_attribute("aria-pressed", "false")
    flag.click()
    expect(flag).to_have_attribute("aria-pressed", "true")
    hello = next(event for event in api_events(stack, "alice") if event.get("text") == "hello")
    assert hello["is_flagged"] is True

    page.get_by_role("button", name="Correct the intent of “I am sad”").click()
    dialog = page.get_by_role("dialog", name="Correct the intent")
    dialog.get_by_label("Correct intent").select_option("deny")
    dialog.get_by_role("button", name="Save correction").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("listitem").filter(has_text="I am sad")).to_contain_text("→ deny")
    sad = next(event for event in api_events(stack, "alice") if event.get("text") == "I am sad")
    corrections = conversation_item(stack, "alice")["corrected_messages"]
    assert {"message_timestamp": sad["timestamp"], "intent": "deny"} in corrections


def test_tagging_and_marking_reviewed_lowers_the_unread_count(page: Any, stack: UiStack) -> None:
    stack.api.put("/api/conversations/carol/reviewStatus", json={"review_status": "unread"}).raise_for_status()
    page.goto("/#/conversations")
    before = api_total(stack, review_status="unread")
    expect(page.get_by_role("button", name=re.compile(r"^Unread \d"))).to_have_text(re.compile(rf"Unread\s*{before}"))
    page.get_by_role("link", name="carol", exact=True).click()

    tag = f"ui-tag-{uuid.uuid4().hex[:8]}"
    page.get_by_label("Add a tag").fill(tag)
    page.get_by_role("button", name="Add tag").click()
    expect(page.get_by_role("button", name=f"Remove tag {tag}")).to_be_visible()
    assert tag in [item["value"] for item in stack.api.get("/api/conversations/carol/tags").json()]

    reviewed = page.get_by_role("group", name="Review status").get_by_role("button", name="Reviewed")
    reviewed.click()
    expect(reviewed).to_have_attribute("aria-pressed", "true")
    assert conversation_item(stack, "carol")["review_status"] == "reviewed"
    page.get_by_role("link", name="← Conversations").click()
    expect(page.get_by_role("button", name=re.compile(r"^Unread \d"))).to_have_text(
        re.compile(rf"Unread\s*{before - 1}")
    )
    assert unread_count(page) == api_total(stack, review_status="unread")


def test_a_saved_filter_set_is_applied_again_after_a_reload(page: Any, stack: UiStack) -> None:
    data = stack.api.get("/api/user").json()["data"]
    stack.api.patch("/api/user", json={"data": {**data, "ui_conversations_marker": "kept"}}).raise_for_status()
    name = f"greetings {uuid.uuid4().hex[:6]}"
    page.goto("/#/conversations?intent=greet&is_flagged=")
    page.locator("summary", has_text="Saved filters").click()
    page.get_by_label("Name for the current filters").fill(name)
    page.get_by_role("button", name="Save filters").click()
    expect(page.get_by_label("Saved filter set")).to_have_value(name)
    stored = stack.api.get("/api/user").json()["data"]
    assert stored["ui_conversations_marker"] == "kept"
    assert {"name": name, "filters": {"intent": "greet"}} in stored["conversation_filter_sets"]

    page.goto("/#/conversations")
    page.reload()
    expect(page.get_by_text(MATCHES)).to_have_text(f"{api_total(stack)} conversations match")
    page.locator("summary", has_text="Saved filters").click()
    page.get_by_label("Saved filter set").select_option(name)
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"intent=greet"))
    expect(page.get_by_role("list", name="Intent: chosen")).to_contain_text("greet")
    expect(rows(page)).to_have_count(api_total(stack, intent="greet"))


def test_deleting_a_conversation_asks_first_and_removes_it(page: Any, stack: UiStack) -> None:
    sender = f"ui-delete-{uuid.uuid4().hex[:8]}"
    stack.api.post("/api/conversations", json={"sender_id": sender}).raise_for_status()
    page.goto(f"/#/conversations/{sender}")
    page.get_by_role("button", name="Delete…").click()
    dialog = page.get_by_role("dialog", name="Delete the conversation?")
    dialog.get_by_role("button", name="Delete conversation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Conversations")
    assert stack.api.get(f"/api/conversations/{sender}/tracker").status_code == 404


def test_on_a_phone_a_reviewer_opens_a_conversation_and_flags_a_message(phone_page: Any, stack: UiStack) -> None:
    page = phone_page
    page.goto("/#/conversations")
    page.get_by_role("link", name="bob", exact=True).click()
    flag = page.get_by_role("button", name=re.compile("^Flag message")).first
    flag.click()
    expect(flag).to_have_attribute("aria-pressed", "true")
    assert next(event["is_flagged"] for event in api_events(stack, "bob") if event["event"] == "user") is True
