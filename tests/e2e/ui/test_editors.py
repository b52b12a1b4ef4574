"""The stories, responses and domain editors: YAML mistakes shown at their line with nothing typed lost, saving
and deleting through the API, and the editors by keyboard and on a phone."""

from __future__ import annotations

import re
import uuid
from typing import Any

from playwright.sync_api import expect

from tests.e2e.ui.stack import UiStack


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


def test_a_story_with_a_yaml_mistake_is_refused_at_its_line_then_saved_and_deleted(page: Any, stack: UiStack) -> None:
    name = unique("ui story ")
    broken = f"- story: {name}\n  steps:\n  - intent: greet\n    - action: utter_greet\n"
    page.goto("/#/training/stories")
    page.get_by_role("button", name="New story").click()
    editor = page.get_by_label("The story as Rasa YAML")
    editor.fill(broken)
    page.get_by_role("button", name="Add story").click()

    expect(page.get_by_role("alert")).to_contain_text("line 4")
    expect(page.locator(".yaml-gutter mark")).to_have_text("4")
    expect(editor).to_have_value(broken)
    expect(editor).to_be_focused()
    caret = editor.evaluate("element => element.selectionStart")
    assert caret == broken.index("    - action"), "the caret is at the start of the line in error"

    editor.fill(broken.replace("    - action", "  - action"))
    editor.press("Control+s")
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)
    stored = stack.api.get("/api/stories", params={"q": name}).json()
    assert [story["name"] for story in stored] == [name]
    assert "- action: utter_greet" in stored[0]["story"]

    page.get_by_role("button", name="Delete").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete the story").click()
    expect(page.get_by_role("link", name=name)).to_have_count(0)
    assert stack.api.get("/api/stories", params={"q": name}).json() == []


def test_a_new_response_checks_its_name_and_stores_its_variation_with_a_button(page: Any, stack: UiStack) -> None:
    name = unique("utter_ui_")
    page.goto("/#/training/responses")
    page.get_by_role("link", name="New response").click()
    page.get_by_label("Response name", exact=True).fill("greet back")
    page.get_by_label("Text", exact=True).fill("Hello from the editor")
    page.get_by_role("button", name="Add the response").click()
    expect(page.get_by_label("Response name", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("“greet back” is no response name")).to_be_visible()

    page.get_by_label("Response name", exact=True).fill(name)
    page.get_by_role("button", name="Add a button").click()
    page.get_by_label("Button 1 title").fill("Yes")
    page.get_by_label("Button 1 payload").fill("/affirm")
    page.get_by_role("button", name="Add the response").click()

    expect(page.get_by_role("heading", name=name)).to_be_visible()
    expect(page.get_by_text("Hello from the editor")).to_be_visible()
    variations = stack.api.get("/api/responses", params={"response_name": name}).json()
    try:
        assert [(item["text"], item["buttons"]) for item in variations] == [
            ("Hello from the editor", [{"title": "Yes", "payload": "/affirm"}])
        ]
    finally:
        stack.api.request("DELETE", "/api/responses", json={"ids": [item["id"] for item in variations]})


def test_the_domain_editor_refuses_an_invalid_domain_at_its_line_and_keeps_the_text(page: Any, stack: UiStack) -> None:
    stored = stack.api.get("/api/domain").text
    page.goto("/#/training/domain")
    editor = page.get_by_label("domain.yml")
    expect(editor).to_have_value(stored)
    lines = stored.split("\n")
    wrong_line = lines.index("- greet")
    lines[wrong_line] = "- greet: {use_entities: 5}"
    invalid = "\n".join(lines)
    editor.fill(invalid)
    expect(page.get_by_text("Unsaved changes")).to_be_visible()
    page.get_by_role("button", name="Save the domain").click()

    expect(page.get_by_role("alert")).to_contain_text(f"line {wrong_line + 1}: use_entities")
    expect(page.locator(".yaml-gutter mark")).to_have_text(str(wrong_line + 1))
    expect(editor).to_have_value(invalid)
    expect(page.get_by_text("Unsaved changes")).to_be_visible()
    assert stack.api.get("/api/domain").text == stored


def test_on_a_phone_a_story_opens_alone_and_the_keyboard_can_indent_and_leave_the_editor(
    phone_page: Any,
) -> None:
    page = phone_page
    page.goto("/#/training/stories")
    page.get_by_role("link", name="happy path").click()
    list_search = page.get_by_label("Search stories")
    expect(list_search).to_be_hidden()
    editor = page.get_by_label("The story as Rasa YAML")
    expect(editor).to_have_value(re.compile(r"^- story: happy path\n"))
    original = editor.input_value()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "nothing sticks out sideways"

    editor.focus()
    page.keyboard.press("Control+Home")
    page.keyboard.press("Tab")
    expect(editor).to_have_value("  " + original)
    expect(editor).to_be_focused()
    expect(page.get_by_text("Unsaved changes")).to_be_visible()
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Save")).to_be_focused()

    page.get_by_role("button", name="Discard changes").click()
    expect(editor).to_have_value(original)
    page.get_by_role("link", name="← All stories").click()
    expect(list_search).to_be_visible()
