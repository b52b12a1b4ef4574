"""StoryService and DomainService through real gRPC, on SQLite and on PostgreSQL: stories, rules and test stories,
the domain, responses, actions and config.yml; plus the import/export queries the ProjectService builds on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import grpc
import pytest
import yaml
from sqlalchemy.orm import Session, sessionmaker

from conversely.storage.v1 import domain_pb2, domain_pb2_grpc, stories_pb2, stories_pb2_grpc, training_data_pb2
from storage_service.queries import domain as domain_queries
from storage_service.queries import stories as story_queries
from storage_service.rasa_yaml.domain import Domain, parse_domain_yaml
from storage_service.rasa_yaml.stories import parse_story_yaml
from tests.storage_server import rejected

PROJECT = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "rasa-3.6.21" / "project"
STORY, RULE, TEST = stories_pb2.STORY_KIND_STORY, stories_pb2.STORY_KIND_RULE, stories_pb2.STORY_KIND_TEST
INVALID, NOT_FOUND = grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.NOT_FOUND


@pytest.fixture
def story_stub(storage_channel: grpc.Channel) -> stories_pb2_grpc.StoryServiceStub:
    return stories_pb2_grpc.StoryServiceStub(storage_channel)


@pytest.fixture
def domain_stub(storage_channel: grpc.Channel) -> domain_pb2_grpc.DomainServiceStub:
    return domain_pb2_grpc.DomainServiceStub(storage_channel)


def read(name: str) -> str:
    return (PROJECT / name).read_text()


def create(
    stub: stories_pb2_grpc.StoryServiceStub, kind: stories_pb2.StoryKind, text: str, **fields: Any
) -> list[stories_pb2.Story]:
    return list(stub.CreateStories(stories_pb2.CreateStoriesRequest(kind=kind, yaml=text, **fields)).stories)


def listed(stub: stories_pb2_grpc.StoryServiceStub, **fields: Any) -> tuple[list[str], int]:
    answer = stub.ListStories(stories_pb2.ListStoriesRequest(**fields))
    return [story.name for story in answer.stories], answer.total_count


def block(name: str, *actions: str, kind: str = "story") -> str:
    steps = "".join(f"  - action: {action}\n" for action in actions)
    return f"- {kind}: {name}\n  steps:\n  - intent: greet\n{steps}"


def add_response(stub: domain_pb2_grpc.DomainServiceStub, name: str, **content: Any) -> domain_pb2.Response:
    response = domain_pb2.Response(name=name, content_json=json.dumps(content))
    return stub.CreateResponse(domain_pb2.CreateResponseRequest(response=response)).response


def responses(stub: domain_pb2_grpc.DomainServiceStub, **fields: Any) -> list[tuple[str, dict[str, Any]]]:
    answer = stub.ListResponses(domain_pb2.ListResponsesRequest(**fields))
    return [(r.name, json.loads(r.content_json)) for r in answer.responses]


def test_created_stories_keep_their_blocks_filename_and_annotation(
    story_stub: stories_pb2_grpc.StoryServiceStub,
) -> None:
    annotation = training_data_pb2.Annotation(user="ana", time=1234.5)
    created = create(story_stub, STORY, read("data/stories.yml"), filename="data/more.yml", annotation=annotation)

    assert [story.name for story in created] == ["happy path", "sad path 1", "sad path 2"]
    happy = created[0]
    assert (happy.kind, happy.filename, happy.annotation) == (STORY, "data/more.yml", annotation)
    assert happy.yaml.startswith("- story: happy path\n  steps:\n  - intent: greet\n  - action: utter_greet\n")
    assert story_stub.GetStory(stories_pb2.GetStoryRequest(id=happy.id)).story == happy
    original = parse_story_yaml(read("data/stories.yml"), "data/stories.yml", "story")
    assert [parse_story_yaml(s.yaml, "x", "story")[0] for s in created] == original


def test_stories_are_listed_by_kind_in_creation_order_with_filters_and_pages(
    story_stub: stories_pb2_grpc.StoryServiceStub,
) -> None:
    create(story_stub, STORY, read("data/stories.yml"))
    rules = create(story_stub, RULE, read("data/rules.yml"))
    create(story_stub, TEST, "- story: test greet\n  steps:\n  - user: hello\n    intent: greet\n")

    assert listed(story_stub, kind=RULE) == ([r.name for r in rules], 3)
    assert listed(story_stub) == (["happy path", "sad path 1", "sad path 2", *[r.name for r in rules], "test greet"], 7)
    assert listed(story_stub, kind=STORY, limit=1, offset=1) == (["sad path 1"], 3)
    assert listed(story_stub, query="SAD PATH") == (["sad path 1", "sad path 2"], 2)
    assert listed(story_stub, query="action: utter_goodbye") == (["sad path 2", rules[0].name], 2)
    assert listed(story_stub, query="utter_", limit=2, offset=3) == ([rules[0].name, rules[1].name], 6)
    assert listed(story_stub, ids=[rules[2].id, rules[0].id, 99999]) == ([rules[0].name, rules[2].name], 2)
    assert listed(story_stub, kind=TEST, query="user: hello") == (["test greet"], 1)
    rejected(story_stub.ListStories, stories_pb2.ListStoriesRequest(offset=-1))


def test_a_story_is_updated_with_exactly_one_block_of_its_kind(story_stub: stories_pb2_grpc.StoryServiceStub) -> None:
    [story] = create(story_stub, STORY, block("greeting", "utter_greet"))
    request = stories_pb2.UpdateStoryRequest(
        id=story.id, yaml=block("greeting again", "utter_happy"), annotation=training_data_pb2.Annotation(user="bo")
    )

    updated = story_stub.UpdateStory(request).story

    assert (updated.id, updated.name, updated.annotation.user) == (story.id, "greeting again", "bo")
    assert "utter_happy" in updated.yaml and updated.annotation.time > 0
    assert "a rule block" in rejected(
        story_stub.UpdateStory, stories_pb2.UpdateStoryRequest(id=story.id, yaml=block("r", kind="rule"))
    )
    two = block("a") + block("b")
    assert "exactly one" in rejected(story_stub.UpdateStory, stories_pb2.UpdateStoryRequest(id=story.id, yaml=two))
    rejected(story_stub.UpdateStory, stories_pb2.UpdateStoryRequest(id=999999, yaml=block("x")), NOT_FOUND)
    rejected(story_stub.GetStory, stories_pb2.GetStoryRequest(id=999999), NOT_FOUND)
    assert story_stub.GetStory(stories_pb2.GetStoryRequest(id=story.id)).story == updated


def test_stories_are_deleted_in_bulk_counting_those_that_existed(
    story_stub: stories_pb2_grpc.StoryServiceStub,
) -> None:
    created = create(story_stub, STORY, read("data/stories.yml"))

    deleted = story_stub.DeleteStories(stories_pb2.DeleteStoriesRequest(ids=[created[0].id, created[2].id, 999999]))

    assert deleted.deleted_count == 2
    assert listed(story_stub) == (["sad path 1"], 1)
    assert story_stub.DeleteStories(stories_pb2.DeleteStoriesRequest(ids=[created[0].id])).deleted_count == 0
    rejected(story_stub.DeleteStories, stories_pb2.DeleteStoriesRequest())


def test_replacing_one_kind_leaves_the_other_kinds(story_stub: stories_pb2_grpc.StoryServiceStub) -> None:
    create(story_stub, STORY, read("data/stories.yml"))
    create(story_stub, RULE, read("data/rules.yml"))

    replaced = story_stub.ReplaceStories(
        stories_pb2.ReplaceStoriesRequest(kind=RULE, yaml="rules:\n" + block("only rule", "utter_greet", kind="rule"))
    ).stories

    assert [r.name for r in replaced] == ["only rule"]
    assert listed(story_stub, kind=RULE) == (["only rule"], 1)
    assert listed(story_stub, kind=STORY)[1] == 3
    story_stub.ReplaceStories(stories_pb2.ReplaceStoriesRequest(kind=RULE, yaml=""))
    assert listed(story_stub, kind=RULE) == ([], 0)


def test_bad_story_yaml_is_refused_naming_the_line_and_changes_nothing(
    story_stub: stories_pb2_grpc.StoryServiceStub,
) -> None:
    create(story_stub, STORY, read("data/stories.yml"))
    bad = block("fine") + "- story: broken\n  steps:\n  - intent: greet\n  - acton: utter_greet\n"

    create_problem = rejected(story_stub.CreateStories, stories_pb2.CreateStoriesRequest(kind=STORY, yaml=bad))
    replace_problem = rejected(story_stub.ReplaceStories, stories_pb2.ReplaceStoriesRequest(kind=STORY, yaml=bad))

    assert create_problem.startswith("data/stories.yml line 7: unknown step 'acton'")
    assert replace_problem == create_problem
    named = rejected(
        story_stub.CreateStories, stories_pb2.CreateStoriesRequest(kind=STORY, yaml=bad, filename="data/x.yml")
    )
    assert named.startswith("data/x.yml line 7:")
    bad_rules = stories_pb2.CreateStoriesRequest(kind=RULE, yaml="rules:\n- rule: a: b\n")
    assert rejected(story_stub.CreateStories, bad_rules).startswith("data/rules.yml line 2: mapping values")
    assert listed(story_stub) == (["happy path", "sad path 1", "sad path 2"], 3)


def test_stories_need_a_kind_and_at_least_one_block(story_stub: stories_pb2_grpc.StoryServiceStub) -> None:
    assert "kind" in rejected(story_stub.CreateStories, stories_pb2.CreateStoriesRequest(yaml=block("a")))
    assert "no story blocks" in rejected(
        story_stub.CreateStories, stories_pb2.CreateStoriesRequest(kind=STORY, yaml='version: "3.1"\n')
    )
    rejected(story_stub.ReplaceStories, stories_pb2.ReplaceStoriesRequest(yaml=block("a")))


def test_replaced_domain_is_returned_whole_and_responses_are_kept_unless_asked(
    domain_stub: domain_pb2_grpc.DomainServiceStub,
) -> None:
    assert domain_stub.GetDomain(domain_pb2.GetDomainRequest()).yaml == ""
    fixture = parse_domain_yaml(read("domain.yml"), "domain.yml")

    stored = domain_stub.ReplaceDomain(domain_pb2.ReplaceDomainRequest(yaml=read("domain.yml"), store_responses=True))

    assert parse_domain_yaml(stored.yaml, "domain.yml") == fixture
    assert parse_domain_yaml(domain_stub.GetDomain(domain_pb2.GetDomainRequest()).yaml, "domain.yml") == fixture
    assert len(responses(domain_stub)) == 7

    without = 'version: "3.1"\nintents:\n- greet\nresponses:\n  utter_new:\n  - text: New\n'
    kept = parse_domain_yaml(
        domain_stub.ReplaceDomain(domain_pb2.ReplaceDomainRequest(yaml=without)).yaml, "domain.yml"
    )
    assert kept.intents == [("greet", None)]
    assert kept.responses == fixture.responses
    assert kept.rest == {"version": "3.1"}


def test_bad_domain_yaml_is_refused_naming_the_line_and_changes_nothing(
    domain_stub: domain_pb2_grpc.DomainServiceStub,
) -> None:
    domain_stub.ReplaceDomain(domain_pb2.ReplaceDomainRequest(yaml=read("domain.yml"), store_responses=True))
    before = domain_stub.GetDomain(domain_pb2.GetDomainRequest()).yaml
    bad = read("domain.yml").replace('  - text: "Bye"', "  - txt: Bye")

    problem = rejected(domain_stub.ReplaceDomain, domain_pb2.ReplaceDomainRequest(yaml=bad, store_responses=True))

    assert problem.startswith("domain.yml line 39: a variation of response 'utter_goodbye' has none of text")
    assert domain_stub.GetDomain(domain_pb2.GetDomainRequest()).yaml == before


def test_responses_are_created_updated_listed_and_deleted(domain_stub: domain_pb2_grpc.DomainServiceStub) -> None:
    hello = add_response(domain_stub, "utter_greet", text="Hello!")
    buttons = add_response(domain_stub, "utter_ask", text="Which?", buttons=[{"title": "A", "payload": "/a"}])
    image = add_response(domain_stub, "utter_greet", image="https://example.com/hi.png")
    bye = add_response(domain_stub, "utter_bye", text="Bye, see you", channel="slack")

    assert [name for name, _ in responses(domain_stub)] == ["utter_ask", "utter_bye", "utter_greet", "utter_greet"]
    assert responses(domain_stub, name="utter_greet") == [
        ("utter_greet", {"text": "Hello!"}),
        ("utter_greet", {"image": "https://example.com/hi.png"}),
    ]
    assert [name for name, _ in responses(domain_stub, query="SEE YOU")] == ["utter_bye"]
    assert [name for name, _ in responses(domain_stub, query="greet")] == ["utter_greet", "utter_greet"]
    page = domain_stub.ListResponses(domain_pb2.ListResponsesRequest(limit=1, offset=1))
    assert ([r.id for r in page.responses], page.total_count) == ([bye.id], 4)

    changed = domain_pb2.Response(id=image.id, name="utter_welcome", content_json='{"text": "Welcome"}')
    updated = domain_stub.UpdateResponse(domain_pb2.UpdateResponseRequest(response=changed)).response
    assert (updated.id, updated.name, json.loads(updated.content_json)) == (
        image.id,
        "utter_welcome",
        {"text": "Welcome"},
    )

    deleted = domain_stub.DeleteResponses(domain_pb2.DeleteResponsesRequest(ids=[hello.id, buttons.id, 999999]))
    assert deleted.deleted_count == 2
    assert [name for name, _ in responses(domain_stub)] == ["utter_bye", "utter_welcome"]


def test_bad_responses_are_refused(domain_stub: domain_pb2_grpc.DomainServiceStub) -> None:
    def create_with(name: str, content_json: str) -> str:
        response = domain_pb2.Response(name=name, content_json=content_json)
        return rejected(domain_stub.CreateResponse, domain_pb2.CreateResponseRequest(response=response))

    assert "has none of text" in create_with("utter_a", '{"txt": "hi"}')
    assert "not JSON" in create_with("utter_a", "{")
    assert "JSON object" in create_with("utter_a", '["hi"]')
    assert "response name" in create_with("", '{"text": "hi"}')
    assert "buttons" in create_with("utter_a", '{"text": "hi", "buttons": "yes"}')
    missing = domain_pb2.Response(id=999999, name="utter_a", content_json='{"text": "hi"}')
    rejected(domain_stub.UpdateResponse, domain_pb2.UpdateResponseRequest(response=missing), NOT_FOUND)
    rejected(domain_stub.DeleteResponses, domain_pb2.DeleteResponsesRequest())
    assert responses(domain_stub) == []


def test_replacing_responses_drops_the_others_and_keeps_each_annotation(
    domain_stub: domain_pb2_grpc.DomainServiceStub,
) -> None:
    add_response(domain_stub, "utter_old", text="Old")
    new = [
        domain_pb2.Response(
            name="utter_a", content_json='{"text": "A"}', annotation=training_data_pb2.Annotation(user="ana", time=5.0)
        ),
        domain_pb2.Response(name="utter_a", content_json='{"text": "A2"}'),
    ]

    answer = domain_stub.ReplaceResponses(domain_pb2.ReplaceResponsesRequest(responses=new))

    assert answer.response_count == 2
    listed_responses = domain_stub.ListResponses(domain_pb2.ListResponsesRequest()).responses
    first = listed_responses[0]
    assert (first.name, first.annotation.user, first.annotation.time) == ("utter_a", "ana", 5.0)
    assert [json.loads(r.content_json)["text"] for r in listed_responses] == ["A", "A2"]
    bad = [domain_pb2.Response(name="utter_b", content_json="{}")]
    rejected(domain_stub.ReplaceResponses, domain_pb2.ReplaceResponsesRequest(responses=bad))
    assert len(domain_stub.ListResponses(domain_pb2.ListResponsesRequest()).responses) == 2


def test_renaming_a_response_group_reaches_stories_rules_and_domain_actions(
    domain_stub: domain_pb2_grpc.DomainServiceStub, story_stub: stories_pb2_grpc.StoryServiceStub
) -> None:
    domain_stub.ReplaceDomain(
        domain_pb2.ReplaceDomainRequest(
            yaml=read("domain.yml") + "actions:\n- utter_goodbye\n- action_other\n", store_responses=True
        )
    )
    [story] = create(story_stub, STORY, block("bye", "utter_goodbye", "utter_goodbye_later", "utter_goodbye"))
    rules = create(story_stub, RULE, read("data/rules.yml"))

    renamed = domain_stub.RenameResponseGroup(
        domain_pb2.RenameResponseGroupRequest(name="utter_goodbye", new_name="utter_farewell")
    )

    assert (renamed.group.name, renamed.group.variation_count) == ("utter_farewell", 1)
    steps = yaml.safe_load(story_stub.GetStory(stories_pb2.GetStoryRequest(id=story.id)).story.yaml)[0]["steps"]
    assert [step.get("action") for step in steps] == [None, "utter_farewell", "utter_goodbye_later", "utter_farewell"]
    rule = story_stub.GetStory(stories_pb2.GetStoryRequest(id=rules[0].id)).story
    assert "action: utter_farewell" in rule.yaml and "utter_goodbye\n" not in rule.yaml
    names = [a.name for a in domain_stub.ListActions(domain_pb2.ListActionsRequest()).actions]
    assert names == ["utter_farewell", "action_other"]
    groups = domain_stub.ListResponseGroups(domain_pb2.ListResponseGroupsRequest(query="FARE")).groups
    assert [(g.name, g.variation_count) for g in groups] == [("utter_farewell", 1)]
    assert len(domain_stub.ListResponseGroups(domain_pb2.ListResponseGroupsRequest()).groups) == 7


def test_renaming_a_response_group_to_a_taken_or_missing_name_is_refused(
    domain_stub: domain_pb2_grpc.DomainServiceStub,
) -> None:
    add_response(domain_stub, "utter_a", text="A")
    add_response(domain_stub, "utter_b", text="B")

    def rename(name: str, new_name: str, code: grpc.StatusCode) -> None:
        request = domain_pb2.RenameResponseGroupRequest(name=name, new_name=new_name)
        rejected(domain_stub.RenameResponseGroup, request, code)

    rename("utter_a", "utter_b", grpc.StatusCode.ALREADY_EXISTS)
    rename("utter_missing", "utter_c", NOT_FOUND)
    rename("utter_a", "", INVALID)
    assert [name for name, _ in responses(domain_stub)] == ["utter_a", "utter_b"]


def test_actions_are_listed_with_forms_created_renamed_and_deleted(
    domain_stub: domain_pb2_grpc.DomainServiceStub,
) -> None:
    domain_stub.ReplaceDomain(
        domain_pb2.ReplaceDomainRequest(
            yaml="actions:\n- action_search\n- restaurant_form\nforms:\n  restaurant_form:\n    required_slots: []\n"
        )
    )
    search, form = domain_stub.ListActions(domain_pb2.ListActionsRequest()).actions
    assert (search.name, search.is_form, form.name, form.is_form) == ("action_search", False, "restaurant_form", True)

    created = domain_stub.CreateAction(domain_pb2.CreateActionRequest(name="action_book")).action
    renamed = domain_stub.UpdateAction(domain_pb2.UpdateActionRequest(id=search.id, name="action_find")).action
    domain_stub.DeleteAction(domain_pb2.DeleteActionRequest(id=form.id))

    assert renamed == domain_pb2.Action(id=search.id, name="action_find", is_form=False)
    assert list(domain_stub.ListActions(domain_pb2.ListActionsRequest()).actions) == [renamed, created]
    rejected(
        domain_stub.CreateAction, domain_pb2.CreateActionRequest(name="action_book"), grpc.StatusCode.ALREADY_EXISTS
    )
    taken = domain_pb2.UpdateActionRequest(id=search.id, name="action_book")
    rejected(domain_stub.UpdateAction, taken, grpc.StatusCode.ALREADY_EXISTS)
    rejected(domain_stub.CreateAction, domain_pb2.CreateActionRequest(name=" "))
    rejected(domain_stub.UpdateAction, domain_pb2.UpdateActionRequest(id=999999, name="x"), NOT_FOUND)
    rejected(domain_stub.DeleteAction, domain_pb2.DeleteActionRequest(id=999999), NOT_FOUND)

    domain_stub.ReplaceDomain(domain_pb2.ReplaceDomainRequest(yaml="actions:\n- action_new\n- action_find\n"))
    after = domain_stub.ListActions(domain_pb2.ListActionsRequest()).actions
    assert [(a.name, a.id == search.id) for a in after] == [("action_new", False), ("action_find", True)]


def test_config_is_stored_verbatim_and_checked(domain_stub: domain_pb2_grpc.DomainServiceStub) -> None:
    assert domain_stub.GetConfig(domain_pb2.GetConfigRequest()).yaml == ""
    text = "# chosen by hand\n" + read("config.yml")

    assert domain_stub.ReplaceConfig(domain_pb2.ReplaceConfigRequest(yaml=text)).yaml == text
    assert domain_stub.GetConfig(domain_pb2.GetConfigRequest()).yaml == text

    bad = text.replace("  - name: RulePolicy", "  - RulePolicy")
    assert rejected(domain_stub.ReplaceConfig, domain_pb2.ReplaceConfigRequest(yaml=bad)).startswith(
        "config.yml line 14: a component of policies must be a mapping"
    )
    assert "empty" in rejected(domain_stub.ReplaceConfig, domain_pb2.ReplaceConfigRequest(yaml=""))
    assert domain_stub.GetConfig(domain_pb2.GetConfigRequest()).yaml == text


def test_imported_stories_replace_same_named_ones_and_whole_kinds_when_asked(
    sessions: sessionmaker[Session], story_stub: stories_pb2_grpc.StoryServiceStub
) -> None:
    [old_happy, *_] = create(story_stub, STORY, read("data/stories.yml"))
    create(story_stub, RULE, read("data/rules.yml"))
    new_happy = parse_story_yaml(block("happy path", "utter_new"), "data/stories.yml", "story")
    extra = parse_story_yaml(block("extra"), "data/stories.yml", "story")

    with sessions.begin() as session:
        story_queries.import_stories(session, new_happy + extra, set(), "ana", 7.0, "data/imported.yml")

    happy = story_stub.GetStory(stories_pb2.GetStoryRequest(id=old_happy.id)).story
    assert ("utter_new" in happy.yaml, happy.filename, happy.annotation.user) == (True, "data/imported.yml", "ana")
    assert listed(story_stub, kind=STORY) == (["happy path", "sad path 1", "sad path 2", "extra"], 4)

    rule = parse_story_yaml(block("new rule", kind="rule"), "data/rules.yml", "rule")
    with sessions.begin() as session:
        story_queries.import_stories(session, rule, {"rule"}, None, 8.0, None)
        exported = story_queries.export_stories(session, "rule")

    assert exported == [rule[0].content]
    assert listed(story_stub, kind=STORY)[1] == 4


def test_imported_domain_is_merged_or_replaces_the_stored_one(
    sessions: sessionmaker[Session], domain_stub: domain_pb2_grpc.DomainServiceStub
) -> None:
    with sessions.begin() as session:
        assert domain_queries.export_domain(session) is None
        domain_queries.import_domain(session, parse_domain_yaml(read("domain.yml"), "domain.yml"), False, "ana", 1.0)
    extra = parse_domain_yaml(
        """\
intents:
- greet:
    use_entities: []
- order
entities:
- city:
    roles: [from, to]
- dish
slots:
  city:
    type: any
    mappings: []
  dish:
    type: text
    mappings: []
actions:
- action_order
responses:
  utter_greet:
  - text: Welcome back
session_config:
  session_expiration_time: 5
""",
        "extra.yml",
    )

    with sessions.begin() as session:
        domain_queries.import_domain(session, extra, False, "bo", 2.0)
        merged = domain_queries.export_domain(session)

    assert merged is not None
    assert [name for name, _ in merged.intents][-2:] == ["weather", "order"]
    assert merged.intents[0] == ("greet", {"use_entities": []})
    assert merged.actions == [("action_order", None)]
    assert merged.rest["entities"] == [{"city": {"roles": ["from", "to"]}}, "dish"]
    assert merged.rest["slots"] == {"city": {"type": "any", "mappings": []}, "dish": {"type": "text", "mappings": []}}
    assert merged.rest["session_config"] == {"session_expiration_time": 5}
    assert merged.responses["utter_greet"] == [{"text": "Welcome back"}]
    assert len(merged.responses) == 7
    assert responses(domain_stub, name="utter_greet")[0][1] == {"text": "Welcome back"}

    with sessions.begin() as session:
        domain_queries.import_domain(session, extra, True, None, 3.0)
        assert domain_queries.export_domain(session) == extra
        domain_queries.import_domain(session, Domain([], [], {}, {}), True, None, 4.0)
        assert domain_queries.export_domain(session) is None


def test_imported_config_is_exported_verbatim(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        assert domain_queries.export_config(session) is None
        domain_queries.import_config(session, read("config.yml"))
        domain_queries.import_config(session, "# again\n" + read("config.yml"))

    with sessions.begin() as session:
        assert domain_queries.export_config(session) == "# again\n" + read("config.yml")
