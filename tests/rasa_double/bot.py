"""The assistant the double pretends to have loaded: a keyword NLU, the fixture's responses and fixed next actions.

NLU is the fixture model's pipeline (KeywordIntentClassifier) plus a FallbackClassifier: hello/hi/hey mean
`greet`, bye/goodbye mean `goodbye`, "/intent" triggers that intent, anything else is `nlu_fallback` with the
fallback threshold as confidence. The next actions follow the fixture's stories and rules
(/work/shared/fixtures/rasa-3.6.21/project), with the policies and confidences Rasa logged for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

FALLBACK_INTENT = "nlu_fallback"
FALLBACK_THRESHOLD = 0.3
INTENT_KEYWORDS = {"greet": ("hello", "hi", "hey"), "goodbye": ("bye", "goodbye")}
# WhitespaceTokenizer's tokens: words, punctuation and symbols dropped (as in the fixture's `text_tokens`).
TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*")

RESPONSES: dict[str, dict[str, str]] = {
    "utter_greet": {"text": "Hey! How are you?"},
    "utter_cheer_up": {"text": "Here is something to cheer you up:", "image": "https://i.imgur.com/nGF1K8f.jpg"},
    "utter_did_that_help": {"text": "Did that help you?"},
    "utter_happy": {"text": "Great, carry on!"},
    "utter_goodbye": {"text": "Bye"},
    "utter_iamabot": {"text": "I am a bot, powered by Rasa."},
    "utter_default": {"text": "Sorry, I didn't get that. Can you rephrase?"},
}
DEFAULT_ACTIONS = (
    "action_listen",
    "action_restart",
    "action_session_start",
    "action_default_fallback",
    "action_deactivate_loop",
    "action_revert_fallback_events",
    "action_default_ask_affirmation",
    "action_default_ask_rephrase",
    "action_two_stage_fallback",
    "action_unlikely_intent",
    "action_back",
    "...",
    "action_extract_slots",
)
ACTION_NAMES = (*DEFAULT_ACTIONS, *RESPONSES)


@dataclass(frozen=True)
class Step:
    """One predicted action with the policy that predicted it, as Rasa logs it in the action event."""

    action: str
    policy: str
    confidence: float = 1.0
    hide_rule_turn: bool = False


# The actions after each intent; after them comes `action_listen` predicted by the last one's policy.
REPLIES: dict[str, tuple[Step, ...]] = {
    "greet": (Step("utter_greet", "MemoizationPolicy"),),
    "mood_great": (Step("utter_happy", "MemoizationPolicy"),),
    "mood_unhappy": (Step("utter_cheer_up", "MemoizationPolicy"), Step("utter_did_that_help", "MemoizationPolicy")),
    "goodbye": (Step("utter_goodbye", "RulePolicy", hide_rule_turn=True),),
    "bot_challenge": (Step("utter_iamabot", "RulePolicy", hide_rule_turn=True),),
    FALLBACK_INTENT: (Step("action_default_fallback", "RulePolicy", FALLBACK_THRESHOLD),),
}
LISTEN = Step("action_listen", "RulePolicy", hide_rule_turn=True)


def parse(text: str, message_id: str | None) -> dict[str, Any]:
    """Rasa's `parse_data` for `text`, in the key order Rasa writes it."""
    if text.startswith("/"):
        # RegexMessageHandler: "/intent" sets the intent outright, with no tokens.
        intent = {"name": text[1:].split("{", 1)[0].strip(), "confidence": 1.0}
        return {"intent": intent, "entities": [], "text": text, "message_id": message_id, "metadata": {}}
    parse_data: dict[str, Any] = {
        "intent": {"name": FALLBACK_INTENT, "confidence": FALLBACK_THRESHOLD},
        "entities": [],
        "text": text,
        "message_id": message_id,
        "metadata": {},
        "text_tokens": [[token.start(), token.end()] for token in TOKEN.finditer(text)],
    }
    for intent_name, keywords in INTENT_KEYWORDS.items():
        if any(re.search(rf"\b{keyword}\b", text, flags=re.IGNORECASE) for keyword in keywords):
            parse_data["intent"] = {"name": intent_name, "confidence": 1.0}
            return parse_data
    parse_data["intent_ranking"] = [{"name": FALLBACK_INTENT, "confidence": FALLBACK_THRESHOLD}]
    return parse_data


def reply_to(intent: str | None) -> tuple[Step, ...]:
    """The actions the bot takes after a user message with `intent`, before listening again (maybe none)."""
    return REPLIES.get(intent or "", ())


def listen_after(steps: tuple[Step, ...]) -> Step:
    """The `action_listen` that ends a turn: predicted by the policy that predicted the turn's last action."""
    if not steps:
        return LISTEN
    last = steps[-1]
    if last.action == "action_default_fallback":
        return LISTEN
    return Step("action_listen", last.policy, 1.0, last.hide_rule_turn)


def messages_of(recipient_id: str, response_name: str) -> list[dict[str, Any]]:
    """What Rasa's CollectingOutputChannel collects for a response: one message per text paragraph, then the image."""
    response = RESPONSES.get(response_name, {})
    messages: list[dict[str, Any]] = [
        {"recipient_id": recipient_id, "text": part} for part in response.get("text", "").strip().split("\n\n") if part
    ]
    if "image" in response:
        messages.append({"recipient_id": recipient_id, "image": response["image"]})
    return messages


def next_step(applied: list[dict[str, Any]]) -> Step:
    """The action the bot would take next, given the events in effect (`/conversations/{id}/predict`)."""
    done: list[str] = []
    for event in reversed(applied):
        if event["event"] == "user":
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            break
        if event["event"] == "action":
            done.append(str(event.get("name")))
    else:
        return LISTEN
    steps = reply_to(intent)
    if "action_listen" in done:
        return LISTEN
    return steps[len(done)] if len(done) < len(steps) else listen_after(steps)
