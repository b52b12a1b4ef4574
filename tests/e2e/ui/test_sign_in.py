"""Signing in and out, and finding one's way, by keyboard alone, at desktop and phone sizes."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.e2e.ui.stack import UiStack
from tests.stack import TEST_ADMIN


def test_a_user_signs_in_with_the_keyboard_alone_and_lands_on_the_conversations(
    signed_out_page: Any, stack: UiStack
) -> None:
    page = signed_out_page
    page.goto("/")
    expect(page.get_by_label("Username")).to_be_focused()
    page.keyboard.type(TEST_ADMIN[0])
    page.keyboard.press("Tab")
    page.keyboard.type("not the password")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("password")
    page.get_by_label("Password").fill("")
    page.get_by_label("Password").focus()
    page.keyboard.type(TEST_ADMIN[1])
    page.keyboard.press("Enter")
    expect(page).to_have_url("/#/conversations")
    expect(page.get_by_role("navigation", name="Screens")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_label("Username")).to_be_visible()


def test_on_a_phone_the_navigation_is_a_menu_that_opens_and_leads_to_a_screen(phone_page: Any) -> None:
    page = phone_page
    page.goto("/#/conversations")
    navigation = page.get_by_role("navigation", name="Screens")
    expect(navigation).to_be_hidden()
    page.get_by_role("button", name="Menu").click()
    expect(navigation).to_be_visible()
    navigation.get_by_role("link", name="NLU inbox").click()
    expect(page).to_have_url("/#/nlu-inbox")
    expect(navigation).to_be_hidden()
