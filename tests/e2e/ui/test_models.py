"""Models, training and evaluation through the browser: upload with progress, tags, live training jobs (the Rasa
double trains by posting the fixture model back, or fails when told to) and a cross-validation's chart."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.ui.stack import UiStack
from tests.model_archives import FIXTURE_MODEL

MODELS = "/api/projects/default/models"
PUSH_TIMEOUT_S = 10
FIXTURE_INTENTS = ["affirm", "bot_challenge", "deny", "goodbye", "greet", "mood_great", "mood_unhappy", "weather"]


@pytest.fixture
def models_made(stack: UiStack) -> Iterator[list[str]]:
    """Names of the models a test makes; whichever of them is still there afterwards is deleted."""
    made: list[str] = []
    yield made
    for name in made:
        stack.api.delete(f"{MODELS}/{name}")


def archive(name: str, content: bytes | None = None) -> dict[str, Any]:
    """A file for the upload input: the fixture model (or `content`) under the file name `name`."""
    return {"name": name, "mimeType": "application/gzip", "buffer": content or FIXTURE_MODEL.read_bytes()}


def job_item(page: Any, title: str) -> Any:
    return page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=title, exact=True))


def open_live(page: Any, path: str) -> Any:
    """Load `path` afresh and wait until its socket is subscribed to the models topic: what is pushed before that
    (a fast training's whole life) would be missed."""
    frames: list[str] = []
    page.on("websocket", lambda socket: socket.on("framereceived", lambda frame: frames.append(frame)))
    page.goto(path)
    page.reload()
    deadline = time.monotonic() + PUSH_TIMEOUT_S
    while not any('"subscribed"' in frame and '"models"' in frame for frame in frames):
        assert time.monotonic() < deadline, f"the page did not subscribe to the models topic: {frames}"
        page.wait_for_timeout(50)
    return page


def start_training(page: Any) -> Any:
    """Train with force (the data may be unchanged since another test trained); the new job's list item."""
    open_live(page, "/#/training-jobs")
    page.get_by_label("Train even if the data is unchanged").check()
    page.get_by_role("button", name="Train a model").click()
    queued = page.get_by_text(re.compile(r"^Training #\d+ queued\.$"))
    job_id = re.search(r"#(\d+)", queued.text_content()).group(1)
    return job_item(page, f"Training #{job_id}")


def test_an_uploaded_model_shows_its_progress_and_is_tagged_untagged_and_deleted(
    page: Any, models_made: list[str]
) -> None:
    name = f"ui-upload-{uuid.uuid4().hex[:8]}"
    models_made.append(name)
    page.goto("/#/models")
    page.get_by_label("Model archive").set_input_files(archive(f"{name}-broken.tar.gz", b"not a model"))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("alert")).to_contain_text("Not uploaded")

    page.get_by_label("Model archive").set_input_files(archive(f"{name}.tar.gz"))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_label("Upload progress")).to_have_attribute("value", "100")
    expect(page.get_by_text("100%")).to_be_visible()
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=re.compile(name)))
    expect(row).to_contain_text("Rasa 3.6.21")

    page.get_by_role("button", name=f"Tag {name}").click()
    dialog = page.get_by_role("dialog", name=f"Tag {name}")
    dialog.get_by_label("Tag").fill("not a tag!")
    dialog.get_by_role("button", name="Tag", exact=True).click()
    expect(dialog.get_by_text("A tag is 1 to 100 of")).to_be_visible()
    dialog.get_by_label("Tag").fill("production")
    dialog.get_by_role("button", name="Tag", exact=True).click()
    tags = row.get_by_role("list", name=f"Tags of {name}")
    expect(tags.get_by_role("listitem")).to_have_text([re.compile("production")])

    row.get_by_role("button", name=f"Remove tag production from {name}").click()
    expect(tags.get_by_role("listitem")).to_have_count(0)

    row.get_by_role("button", name=f"Delete {name}").click()
    page.get_by_role("dialog", name="Delete a model").get_by_role("button", name="Delete model").click()
    expect(row).to_have_count(0)


def test_a_training_goes_to_succeeded_live_its_model_appears_without_reload_and_is_not_retrained(
    page: Any, models_made: list[str]
) -> None:
    models_tab = open_live(page.context.new_page(), "/#/models")

    # The tab in front: a background tab gets no animation frames, which Playwright's clicks wait for.
    page.bring_to_front()
    job = start_training(page)
    expect(job.locator(".job-status")).to_have_text("succeeded")
    model = job.get_by_role("link", name=re.compile(r"-job\d+$")).text_content()
    models_made.append(model)
    expect(models_tab.get_by_role("rowheader", name=re.compile(model))).to_contain_text("new")

    page.get_by_label("Train even if the data is unchanged").uncheck()
    page.get_by_role("button", name="Train a model").click()
    expect(page.get_by_role("status").filter(has_text="Model already exists.")).to_contain_text(model)


def test_on_a_phone_a_failing_training_shows_rasas_error(phone_page: Any, stack: UiStack) -> None:
    behaviour = stack.rasa.behaviour
    outcome, behaviour.training = behaviour.training, "fail"
    try:
        job = start_training(phone_page)
        expect(job.locator(".job-status")).to_have_text("failed")
    finally:
        behaviour.training = outcome
    expect(job.get_by_role("group", name=re.compile("failed"))).to_contain_text(behaviour.training_error)


def test_a_cross_validation_charts_the_f1_score_of_each_intent(page: Any) -> None:
    open_live(page, "/#/evaluation")
    page.get_by_label("Folds").fill("1")
    page.get_by_role("button", name="Run a cross-validation").click()
    expect(page.get_by_text("Folds must be a whole number from 2 to 20.")).to_be_visible()
    page.get_by_label("Folds").fill("3")
    page.get_by_role("button", name="Run a cross-validation").click()

    newest = page.get_by_role("list", name="Cross-validations, newest first").get_by_role("listitem").first
    expect(newest).to_contain_text("results shown above")
    expect(newest).to_contain_text(re.compile(r"Folds\s*3"))
    chart = page.get_by_role("figure", name="F1 score per intent")
    expect(chart.locator("svg")).to_be_visible()
    scores = chart.get_by_role("table")
    for intent in FIXTURE_INTENTS:
        expect(scores.get_by_role("rowheader", name=intent, exact=True)).to_have_count(1)
    # The double takes every second example of an intent for the next intent of its family (mood_*).
    insights = page.get_by_role("listitem").filter(has_text="Often confused")
    expect(insights.filter(has_text="mood_great → mood_unhappy")).to_have_count(1)
