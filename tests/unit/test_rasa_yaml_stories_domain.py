"""Reading and writing Rasa 3 stories, rules, test stories, domains and configs: round trips of a real Rasa project,
every Rasa feature kept, and every problem named by file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage_service.rasa_yaml.config import check_config_yaml
from storage_service.rasa_yaml.domain import Domain, parse_domain_yaml, render_domain
from storage_service.rasa_yaml.reading import YamlProblem
from storage_service.rasa_yaml.stories import (
    StoryKindName,
    parse_story_blocks,
    parse_story_yaml,
    render_block,
    render_story_file,
)

PROJECT = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "rasa-3.6.21" / "project"

RICH_DOMAIN = """\
version: "3.1"
intents:
- greet
- inform:
    use_entities:
    - city
- chitchat:
    ignore_entities: [city]
- out_of_scope:
    use_entities: false
entities:
- city:
    roles: [departure, destination]
- cuisine
slots:
  city:
    type: text
    mappings:
    - type: from_entity
      entity: city
      role: destination
  cuisine:
    type: categorical
    values: [thai, pizza]
    influence_conversation: true
    mappings:
    - type: from_text
      conditions:
      - active_loop: restaurant_form
        requested_slot: cuisine
  logged_in:
    type: bool
    initial_value: false
    mappings:
    - type: custom
forms:
  restaurant_form:
    required_slots:
    - cuisine
    ignored_intents: [chitchat]
actions:
- action_search
- action_hello_world:
    send_domain: true
- validate_restaurant_form
responses:
  utter_greet:
  - text: "Hey {name}!"
    condition:
    - type: slot
      name: logged_in
      value: true
  - text: "Hey there!"
  utter_ask_cuisine:
  - text: What would you like?
    buttons:
    - title: Thai
      payload: '/inform{"cuisine": "thai"}'
    - title: Pizza
      payload: /inform
    button_type: vertical
  - text: Pick one
    channel: slack
    quick_replies:
    - title: Thai
      payload: thai
  utter_cheer_up:
  - image: https://i.imgur.com/nGF1K8f.jpg
  - custom:
      blocks:
      - type: section
        text: {type: mrkdwn, text: "*Cheer up*"}
    channel: slack
  utter_multiline:
  - text: |
      First line
      Second line
session_config:
  session_expiration_time: 60
  carry_over_slots_to_new_session: true
e2e_actions:
- Hello, how can I help?
config:
  store_entities_as_slots: true
"""


def read(name: str) -> str:
    return (PROJECT / name).read_text()


def problem(call: object, *args: object) -> str:
    with pytest.raises(YamlProblem) as raised:
        call(*args)  # type: ignore[operator]
    return str(raised.value)


@pytest.mark.parametrize(("path", "kind"), [("data/stories.yml", "story"), ("data/rules.yml", "rule")])
def test_fixture_stories_and_rules_are_written_back_byte_for_byte(path: str, kind: StoryKindName) -> None:
    blocks = parse_story_yaml(read(path), path, kind)

    assert {block.kind for block in blocks} == {kind}
    assert render_story_file(kind, [block.content for block in blocks]) == read(path)


def test_fixture_story_is_read_as_rasa_reads_it() -> None:
    [happy, *_] = parse_story_yaml(read("data/stories.yml"), "data/stories.yml", "story")

    assert happy.name == "happy path"
    assert happy.content == {
        "story": "happy path",
        "steps": [
            {"intent": "greet"},
            {"action": "utter_greet"},
            {"intent": "mood_great"},
            {"action": "utter_happy"},
        ],
    }
    assert render_block(happy.content).startswith("- story: happy path\n  steps:\n  - intent: greet\n")


def test_fixture_domain_is_split_into_intents_responses_and_the_rest_and_read_back_equal() -> None:
    domain = parse_domain_yaml(read("domain.yml"), "domain.yml")

    assert [name for name, _ in domain.intents][:3] == ["greet", "goodbye", "affirm"]
    assert len(domain.intents) == 8 and all(properties is None for _, properties in domain.intents)
    assert domain.actions == []
    assert domain.responses["utter_cheer_up"] == [
        {"text": "Here is something to cheer you up:", "image": "https://i.imgur.com/nGF1K8f.jpg"}
    ]
    assert len(domain.responses) == 7
    assert list(domain.rest) == ["version", "entities", "slots", "session_config"]
    assert domain.rest["slots"]["city"]["mappings"] == [{"type": "from_entity", "entity": "city"}]
    assert parse_domain_yaml(render_domain(domain), "domain.yml") == domain


def test_fixture_config_passes_the_check() -> None:
    check_config_yaml(read("config.yml"), "config.yml")


def test_domain_with_every_rasa_feature_is_read_back_equal() -> None:
    domain = parse_domain_yaml(RICH_DOMAIN, "domain.yml")

    assert domain.intents[1] == ("inform", {"use_entities": ["city"]})
    assert domain.intents[3] == ("out_of_scope", {"use_entities": False})
    assert domain.actions[1] == ("action_hello_world", {"send_domain": True})
    assert domain.responses["utter_greet"][0]["condition"] == [{"type": "slot", "name": "logged_in", "value": True}]
    assert domain.responses["utter_ask_cuisine"][1]["channel"] == "slack"
    assert domain.responses["utter_cheer_up"][1]["custom"]["blocks"][0]["text"]["text"] == "*Cheer up*"
    assert domain.rest["forms"] == {"restaurant_form": {"required_slots": ["cuisine"], "ignored_intents": ["chitchat"]}}
    assert domain.rest["entities"][0] == {"city": {"roles": ["departure", "destination"]}}
    assert domain.rest["config"] == {"store_entities_as_slots": True}

    written = render_domain(domain)

    assert parse_domain_yaml(written, "domain.yml") == domain
    assert "  utter_multiline:\n  - text: |\n      First line\n      Second line\n" in written


def test_domain_sections_are_written_in_rasa_order_version_first() -> None:
    domain = Domain(
        intents=[("greet", None)],
        actions=[("action_search", None)],
        responses={"utter_greet": [{"text": "Hi"}]},
        rest={"config": {"store_entities_as_slots": False}, "session_config": {}, "slots": {}, "version": "3.1"},
    )

    lines = [line for line in render_domain(domain).splitlines() if line and not line.startswith((" ", "-"))]

    assert lines == [
        'version: "3.1"',
        "intents:",
        "slots: {}",
        "actions:",
        "responses:",
        "session_config: {}",
        "config:",
    ]


def test_empty_domain_is_written_as_nothing_and_read_back_empty() -> None:
    empty = Domain([], [], {}, {})

    assert render_domain(empty) == ""
    assert parse_domain_yaml("", "domain.yml") == empty


def test_rule_with_condition_and_flags_round_trips() -> None:
    text = """\
rules:
- rule: activate form
  condition:
  - active_loop: null
  - slot_was_set:
    - logged_in: true
  conversation_start: true
  wait_for_user_input: false
  steps:
  - intent: request_restaurant
  - action: restaurant_form
  - active_loop: restaurant_form
  metadata:
    author: ana
"""
    [rule] = parse_story_yaml(text, "data/rules.yml", "rule")

    assert rule.content["condition"] == [{"active_loop": None}, {"slot_was_set": [{"logged_in": True}]}]
    assert rule.content["wait_for_user_input"] is False
    assert parse_story_yaml(render_story_file("rule", [rule.content]), "data/rules.yml", "rule") == [rule]


def test_story_with_checkpoints_or_entities_and_slots_round_trips() -> None:
    text = """\
- story: start
  steps:
  - intent: greet
  - action: utter_greet
  - checkpoint: greeted
- story: continue
  steps:
  - checkpoint: greeted
    slot_was_set:
    - logged_in
  - or:
    - intent: affirm
    - intent: thankyou
  - intent: inform
    entities:
    - city: Berlin
    - cuisine
    - entity: city
      value: Paris
      role: destination
  - slot_was_set:
    - city: Berlin
  - bot: Which city?
  - action: action_search
    metadata:
      source: ui
"""
    blocks = parse_story_yaml(text, "data/stories.yml", "story")

    assert [block.name for block in blocks] == ["start", "continue"]
    assert blocks[1].content["steps"][1] == {"or": [{"intent": "affirm"}, {"intent": "thankyou"}]}
    written = render_story_file("story", [block.content for block in blocks])
    assert parse_story_yaml(written, "data/stories.yml", "story") == blocks


def test_test_story_with_user_text_round_trips_and_writes_multiline_text_as_a_block() -> None:
    text = """\
version: "3.1"
stories:
- story: greet and ask
  steps:
  - user: |
      hello there
      how is the weather in [Berlin](city)?
    intent: weather
  - action: utter_weather
"""
    [test] = parse_story_yaml(text, "tests/test_stories.yml", "test")

    assert test.kind == "test"
    assert test.content["steps"][0]["user"] == "hello there\nhow is the weather in [Berlin](city)?\n"
    written = render_block(test.content)
    assert "  - user: |\n      hello there\n" in written
    assert parse_story_yaml(written, "tests/test_stories.yml", "test") == [test]


def test_a_bare_list_of_blocks_reads_like_a_whole_file() -> None:
    whole = parse_story_yaml(read("data/rules.yml"), "data/rules.yml", "rule")
    bare = parse_story_yaml("".join(render_block(block.content) for block in whole), "data/rules.yml", "rule")

    assert bare == whole


def test_no_blocks_reads_as_none_and_writes_an_empty_list() -> None:
    assert parse_story_yaml("", "data/stories.yml", "story") == []
    assert parse_story_yaml('version: "3.1"\n', "data/stories.yml", "story") == []
    assert parse_story_blocks(None, "data/stories.yml", "story") == []
    assert render_story_file("rule", []) == 'version: "3.1"\n\nrules: []\n'


STORY_PROBLEMS = [
    ("story", "stories:\n- story: a\n  steps:\n  - intnt: greet\n", "f.yml line 4: unknown step 'intnt'"),
    ("story", "- story: a\n  steps:\n  - intent: greet\n    action: x\n", "f.yml line 4: 'action' does not belong"),
    ("story", "- story: a\n  steps:\n  - intent: greet\n- rule: b\n  steps: []\n", "f.yml line 4: a rule block"),
    ("rule", "rules:\n- story: a\n  steps: []\n", "f.yml line 2: a story block where a rule is expected"),
    ("story", "- story: a\n  steps: {}\n", "f.yml line 2: steps must be a list"),
    ("story", "- story: a\n", "f.yml line 1: story 'a' has no steps"),
    ("story", "- story: ''\n  steps: []\n", "f.yml line 1: story must be a non-empty name"),
    ("story", "- story: a\n  steps: []\n  condition: []\n", "f.yml line 3: unknown key 'condition'"),
    ("story", "- story: a\n  steps: []\n- story: a\n  steps: []\n", "f.yml line 3: the name 'a' is used twice"),
    ("story", "- story: a\n  steps:\n  - action: 3\n", "f.yml line 3: action must be a non-empty string"),
    ("story", "- story: a\n  steps:\n  - intent: x\n    entities: city\n", "f.yml line 4: entities must be a list"),
    ("story", "- story: a\n  steps:\n  - slot_was_set: x\n", "f.yml line 3: slot_was_set must be a list"),
    ("story", "- story: a\n  steps:\n  - or:\n    - action: x\n", "f.yml line 4: an or step holds only"),
    ("story", "- story: a\n  steps:\n  - just text\n", "f.yml line 3: a step must be a mapping"),
    ("rule", "- rule: a\n  steps:\n  - checkpoint: c\n", "f.yml line 3: rules cannot hold checkpoint steps"),
    ("rule", "- rule: a\n  condition:\n  - intent: x\n  steps: []\n", "f.yml line 3: a rule's condition holds only"),
    ("rule", "- rule: a\n  conversation_start: yes\n  steps: []\n", "f.yml line 2: conversation_start must be"),
    ("story", "stories: []\nrules: []\n", "f.yml line 2: unexpected key 'rules'"),
    ("story", "stories: 3\n", "f.yml line 1: stories must be a list of blocks"),
    ("story", "version: 3.1\nstories: []\n", 'f.yml line 1: version must be a quoted string such as "3.1"'),
    ("story", "- story: a\n  steps: [\n", "f.yml line 2:"),
    ("test", "stories:\n- story: a\n  steps:\n  - user: ''\n", "f.yml line 4: user must be a non-empty string"),
]


@pytest.mark.parametrize(("kind", "text", "message"), STORY_PROBLEMS)
def test_story_problems_name_file_and_line(kind: StoryKindName, text: str, message: str) -> None:
    assert problem(parse_story_yaml, text, "f.yml", kind).startswith(message)


DOMAIN_PROBLEMS = [
    ("- greet\n", "domain.yml line 1: a domain must be a mapping"),
    ("version: '3.1'\nintents: greet\n", "domain.yml line 2: intents must be a list"),
    ("intents:\n- greet\n- greet\n", "domain.yml line 3: intents lists 'greet' twice (first on line 2)"),
    ("intents:\n- greet: [a]\n", "domain.yml line 2: the properties of 'greet' must be a mapping"),
    ("intents:\n- greet:\n    use_entities: city\n", "domain.yml line 3: use_entities of 'greet' must be a list"),
    ("intents:\n- a: {}\n  b: {}\n", "domain.yml line 2: an entry of intents is a name"),
    ("entities: city\n", "domain.yml line 1: entities must be a list"),
    ("actions: {a: 1}\n", "domain.yml line 1: actions must be a list"),
    ("actions:\n- action_a:\n    send_domain: maybe\n", "domain.yml line 3: send_domain must be true or false"),
    ("slots:\n- city\n", "domain.yml line 1: slots must be a mapping"),
    ("slots:\n  city:\n    mappings: []\n", "domain.yml line 2: slot 'city' has no type"),
    ("slots:\n  city:\n    type: text\n    mappings:\n    - entity: x\n", "domain.yml line 5: a mapping of slot"),
    ("forms: [a]\n", "domain.yml line 1: forms must be a mapping"),
    ("forms:\n  f:\n    required_slots: a\n", "domain.yml line 3: required_slots of form 'f' must be a list"),
    ("responses: [utter_a]\n", "domain.yml line 1: responses must be a mapping"),
    ("responses:\n  utter_a: hello\n", "domain.yml line 2: response 'utter_a' must be a list of variations"),
    ("responses:\n  utter_a:\n  - hello\n", "domain.yml line 3: a variation of response 'utter_a' must be a map"),
    ("responses:\n  utter_a:\n  - txt: hi\n", "domain.yml line 3: a variation of response 'utter_a' has none of"),
    ("responses:\n  utter_a:\n  - text: [hi]\n", "domain.yml line 3: the text of response 'utter_a' must be"),
    ("responses:\n  utter_a:\n  - text: hi\n    buttons: yes\n", "domain.yml line 4: buttons of response"),
    ("session_config: 60\n", "domain.yml line 1: session_config must be a mapping"),
    ("e2e_actions: hi\n", "domain.yml line 1: e2e_actions must be a list of texts"),
    ("version: 3.1\n", "domain.yml line 1: version must be a quoted string"),
    ("intents:\n- greet\n- bye: x: y\n", "domain.yml line 3: mapping values are not allowed here"),
    ("version: '3.1'\nintnets:\n- greet\n", "domain.yml line 2: unknown key 'intnets': did you mean 'intents'?"),
    ("respones:\n  utter_a:\n  - text: hi\n", "domain.yml line 1: unknown key 'respones': did you mean 'responses'?"),
]


def test_other_unknown_top_level_keys_are_kept_as_rasa_keeps_them() -> None:
    domain = parse_domain_yaml("intents:\n- greet\nmy_notes: for the team\nmetadata: {owner: ana}\n", "domain.yml")
    assert domain.rest == {"my_notes": "for the team", "metadata": {"owner": "ana"}}


@pytest.mark.parametrize(("text", "message"), DOMAIN_PROBLEMS)
def test_domain_problems_name_file_and_line(text: str, message: str) -> None:
    assert problem(parse_domain_yaml, text, "domain.yml").startswith(message)


CONFIG_PROBLEMS = [
    ("", "config.yml: the config is empty"),
    ("- name: x\n", "config.yml line 1: the config must be a mapping"),
    ("language: 3\n", "config.yml line 1: language must be a string"),
    ("recipe: [default.v1]\n", "config.yml line 1: recipe must be a string"),
    ("language: en\nassistant_id: {a: 1}\n", "config.yml line 2: assistant_id must be a string"),
    ("pipeline: WhitespaceTokenizer\n", "config.yml line 1: pipeline must be a list of components"),
    ("pipeline:\n- WhitespaceTokenizer\n", "config.yml line 2: a component of pipeline must be a mapping"),
    ("policies:\n- name: RulePolicy\n- max_history: 5\n", "config.yml line 3: a component of policies needs a name"),
    ("language: en\n  pipeline: []\n", "config.yml line 2:"),
]


@pytest.mark.parametrize(("text", "message"), CONFIG_PROBLEMS)
def test_config_problems_name_file_and_line(text: str, message: str) -> None:
    assert problem(check_config_yaml, text, "config.yml").startswith(message)


def test_config_with_null_sections_and_other_keys_passes() -> None:
    check_config_yaml(
        "# defaults\nlanguage: en\npipeline:\npolicies: null\nimporters:\n- name: RasaFileImporter\n", "c"
    )
