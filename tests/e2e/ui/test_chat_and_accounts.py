"""Talking to the bot, sharing it with guests, and managing users and one's own password, through the browser."""

from __future__ import annotations

import uuid
from typing import Any

from playwright.sync_api import expect

from tests.e2e.ui.stack import UiStack

GREETING_REPLY = "Hey! How are you?"  # tests/rasa_double/bot.py: utter_greet, the answer to "hello"


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def test_on_a_phone_the_bots_replies_appear_live_in_the_chat(phone_page: Any, stack: UiStack) -> None:
    page = phone_page
    conversation = unique("ui-chat")
    page.goto(f"/#/chat?conversation={conversation}")
    conversation_log = page.get_by_role("log", name="Conversation")
    page.get_by_role("textbox", name="Message").fill("hello")
    page.keyboard.press("Enter")
    expect(conversation_log.get_by_text("hello", exact=True)).to_be_visible()
    expect(conversation_log.get_by_text(GREETING_REPLY)).to_be_visible()
    expect(page.get_by_role("link", name="Open in review")).to_have_attribute("href", f"#/conversations/{conversation}")

    # A message sent elsewhere (here through the API) reaches the open chat only over the push socket.
    stack.api.post("/api/chat", json={"message": "goodbye", "conversation_id": conversation}).raise_for_status()
    expect(conversation_log.get_by_text("goodbye", exact=True)).to_be_visible()
    expect(conversation_log.get_by_text("Bye", exact=True)).to_be_visible()


def test_a_guest_chats_through_a_new_shared_link_and_a_made_up_link_is_refused(page: Any, signed_out_page: Any) -> None:
    page.goto("/#/share")
    link = page.get_by_label("Guest link")
    old_link = link.input_value()
    assert "/#/guest?token=" in old_link
    page.get_by_role("button", name="Make a new link").click()
    dialog = page.get_by_role("dialog", name="Make a new link")
    dialog.get_by_role("button", name="Make a new link").click()
    expect(dialog).to_be_hidden()
    expect(link).not_to_have_value(old_link)
    new_link = link.input_value()

    guest = signed_out_page
    guest.goto(new_link)
    expect(guest.get_by_role("heading", name="Chat with our assistant")).to_be_visible()
    expect(guest.get_by_role("navigation", name="Screens")).to_have_count(0)
    guest.get_by_role("textbox", name="Message").fill("hi there")
    guest.keyboard.press("Enter")
    expect(guest.get_by_role("log", name="Conversation").get_by_text(GREETING_REPLY)).to_be_visible()

    guest.goto("/#/guest?token=made-up-token")
    expect(guest.get_by_role("alert")).to_contain_text("This chat link no longer works")
    expect(guest.get_by_role("textbox", name="Message")).to_have_count(0)


def sign_in_with_the_form(page: Any, username: str, password: str) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_a_user_the_admin_adds_signs_in_and_changes_their_password(page: Any, signed_out_page: Any) -> None:
    username, first_password, new_password = unique("ui-tester"), "first-password-1", "second-password-2"
    page.goto("/#/users")
    page.get_by_role("button", name="Add user").click()
    dialog = page.get_by_role("dialog", name="Add a user")
    dialog.get_by_label("Username").fill(username)
    dialog.get_by_label("Password").fill(first_password)
    dialog.get_by_role("checkbox", name="tester").check()
    dialog.get_by_role("button", name="Create user").click()
    expect(dialog).to_be_hidden()
    page.get_by_label("Search by name").fill(username)
    row = page.get_by_role("row", name=username)
    expect(row).to_contain_text("tester")

    user = signed_out_page
    user.goto("/")
    sign_in_with_the_form(user, username, first_password)
    user.get_by_role("link", name="My account").click()
    expect(user.get_by_role("heading", name="My account")).to_be_visible()
    current = user.get_by_label("Current password")
    current.fill("not-my-password")
    user.get_by_label("New password", exact=True).fill(new_password)
    user.get_by_label("Repeat the new password").fill(new_password)
    user.get_by_role("button", name="Change password").click()
    expect(current).to_have_attribute("aria-invalid", "true")
    expect(current).to_have_accessible_description("This is not your current password.")
    expect(user.get_by_label("New password", exact=True)).to_have_value(new_password)

    current.fill(first_password)
    user.get_by_role("button", name="Change password").click()
    expect(user.get_by_text("Your password was changed.")).to_be_visible()
    expect(current).to_have_value("")

    user.get_by_role("button", name="Sign out").click()
    sign_in_with_the_form(user, username, new_password)
    expect(user.get_by_role("button", name="Sign out")).to_be_visible()
