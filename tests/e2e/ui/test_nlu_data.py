"""The NLU inbox and the NLU training data screens: annotating by selecting text, bulk actions, the examples editor,
and errors shown at the field or row they are about."""

from __future__ import annotations

import re
import uuid
from typing import Any

from playwright.sync_api import expect

from tests.e2e.ui.stack import UiStack

PROJECT = "/api/projects/default"


def unique() -> str:
    return uuid.uuid4().hex[:8]


def add_to_inbox(stack: UiStack, text: str) -> None:
    stack.api.post(f"{PROJECT}/logs", json={"text": text}).raise_for_status()


def select_text(textbox: Any, text: str, words: str) -> None:
    """Select `words` of the textbox's text, as a user dragging over them would."""
    start = text.index(words)
    textbox.evaluate(
        "(element, [start, end]) => { element.focus(); element.setSelectionRange(start, end); }",
        [start, start + len(words)],
    )


def test_annotating_an_inbox_message_saves_the_selected_entity_and_empties_the_inbox(page: Any, stack: UiStack) -> None:
    tag = unique()
    text = f"fly to zanzibar on {tag} please"
    add_to_inbox(stack, text)
    page.goto(f"/#/nlu-inbox?q={tag}")
    page.get_by_role("button", name=f"Annotate “{text}”").click()
    dialog = page.get_by_role("dialog", name="Annotate message")
    select_text(dialog.get_by_role("textbox", name="Message"), text, "zanzibar")
    expect(dialog.get_by_text("Selected: “zanzibar”")).to_be_visible()
    dialog.get_by_label("Entity", exact=True).fill(f"place_{tag}")
    dialog.get_by_role("button", name="Add entity").click()
    expect(dialog.get_by_role("list", name="Entities")).to_contain_text(f"zanzibar place_{tag}")
    dialog.get_by_label("Intent").fill(f"travel_{tag}")
    dialog.get_by_role("button", name="Add to training data").click()

    expect(dialog).to_be_hidden()
    expect(page.get_by_text("No message matches these filters.")).to_be_visible()
    examples = stack.api.get(f"{PROJECT}/training_examples", params={"q": tag}).json()
    assert [(example["intent"], example["entities"]) for example in examples] == [
        (f"travel_{tag}", [{"start": 7, "end": 15, "entity": f"place_{tag}", "value": "zanzibar"}])
    ]
    left = stack.api.get(f"{PROJECT}/logs", params={"q": tag, "exclude_training_data": "false"})
    assert left.headers["x-total-count"] == "0"


def test_on_a_phone_two_selected_inbox_messages_are_deleted_together(phone_page: Any, stack: UiStack) -> None:
    page = phone_page
    tag = unique()
    texts = [f"first {tag}", f"second {tag}", f"kept {tag}"]
    for text in texts:
        add_to_inbox(stack, text)
    page.goto(f"/#/nlu-inbox?q={tag}")
    page.get_by_role("checkbox", name=f"Select “{texts[0]}”").check()
    page.get_by_role("checkbox", name=f"Select “{texts[1]}”").check()
    expect(page.get_by_text("2 selected")).to_be_visible()
    page.get_by_role("button", name="Delete selected").click()
    page.get_by_role("button", name="Yes, delete").click()

    expect(page.get_by_role("region", name="Selected messages").get_by_role("status")).to_have_text("Deleted 2 of 2.")
    messages = page.get_by_role("list", name="Inbox messages").get_by_role("listitem")
    expect(messages).to_have_count(1)
    expect(messages).to_contain_text(texts[2])
    left = stack.api.get(f"{PROJECT}/logs", params={"q": tag}).json()
    assert [message["text"] for message in left] == [texts[2]]


def test_an_example_with_an_entity_is_added_in_the_examples_editor(page: Any, stack: UiStack) -> None:
    tag = unique()
    text = f"book a table in lisbon for {tag}"
    page.goto("/#/training/examples")
    page.get_by_role("button", name="Add example").click()
    dialog = page.get_by_role("dialog", name="Add example")
    textbox = dialog.get_by_role("textbox", name="Text")
    textbox.fill(text)
    select_text(textbox, text, "lisbon")
    dialog.get_by_label("Entity", exact=True).fill(f"city_{tag}")
    dialog.get_by_label("Entity", exact=True).press("Enter")
    dialog.get_by_label("Intent").fill(f"book_{tag}")
    dialog.get_by_role("button", name="Add example").click()

    expect(dialog).to_be_hidden()
    page.get_by_role("searchbox", name="Search examples").fill(tag)
    expect(page.get_by_role("row").filter(has_text=tag)).to_contain_text(f"lisbon city_{tag}")
    examples = stack.api.get(f"{PROJECT}/training_examples", params={"q": tag}).json()
    assert [(example["intent"], example["entities"]) for example in examples] == [
        (f"book_{tag}", [{"start": 16, "end": 22, "entity": f"city_{tag}", "value": "lisbon"}])
    ]


def test_an_invalid_regex_is_refused_at_its_pattern_and_nothing_is_saved(page: Any, stack: UiStack) -> None:
    name = f"code_{unique()}"
    page.goto("/#/training/regexes")
    page.get_by_label("Name", exact=True).first.fill(name)
    pattern = page.get_by_label("Pattern")
    pattern.fill("[0-9")
    page.get_by_role("button", name="Add regex").click()

    expect(pattern).to_have_attribute("aria-invalid", "true")
    expect(pattern).to_have_accessible_description(re.compile("does not compile"))
    expect(pattern).to_have_value("[0-9")
    regexes = stack.api.get(f"{PROJECT}/regexes", params={"limit": 1000}).json()
    assert name not in [regex["name"] for regex in regexes]


def test_deleting_an_intent_with_examples_is_refused_in_its_row_until_they_go_with_it(
    page: Any, stack: UiStack
) -> None:
    intent = f"doomed_{unique()}"
    example = {"text": f"this is {intent}", "intent": intent}
    stack.api.post(f"{PROJECT}/training_examples", json=example).raise_for_status()
    page.goto("/#/training/intents")
    row = page.get_by_role("row").filter(has=page.get_by_text(intent, exact=True))
    row.get_by_role("button", name=f"Delete {intent}").click()
    row.get_by_role("button", name="Yes, delete").click()

    expect(row.get_by_role("alert")).to_contain_text(re.compile(r"examples? ha(s|ve) the intent"))
    row.get_by_role("button", name="Delete with its examples").click()
    row.get_by_role("button", name="Yes, delete them all").click()
    expect(page.get_by_text(intent, exact=True)).to_have_count(0)
    intents = [item["intent"] for item in stack.api.get(f"{PROJECT}/intents").json()]
    assert intent not in intents
