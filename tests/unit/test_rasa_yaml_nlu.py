"""Rasa 3 NLU YAML: reading the real Rasa project's nlu.yml, writing it back, entity markup, and every problem
named with its file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from storage_service.rasa_yaml.nlu import (
    Example,
    NluData,
    annotate_text,
    parse_annotated_text,
    parse_nlu,
    render_nlu,
)
from storage_service.rasa_yaml.reading import YamlProblem, load_yaml

RASA_NLU = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "rasa-3.6.21" / "project" / "data" / "nlu.yml"


def parsed(text: str, filename: str = "nlu.yml") -> NluData:
    return parse_nlu(load_yaml(text, filename)["nlu"], filename)


def round_trip(data: NluData) -> NluData:
    return parsed(render_nlu(data), "rendered.yml")


@pytest.fixture(scope="module")
def rasa_nlu() -> NluData:
    return parsed(RASA_NLU.read_text(), "data/nlu.yml")


def test_the_rasa_project_nlu_file_is_read_example_by_example(rasa_nlu: NluData) -> None:
    source = RASA_NLU.read_text()
    annotated_lines = [line.strip()[2:] for line in source.splitlines() if line.startswith("    - ")]
    lookup_elements = ["berlin", "paris", "tokyo", "lagos"]
    example_lines = annotated_lines[: -len(lookup_elements)]

    assert [parse_annotated_text(line)[0] for line in example_lines] == [e.text for e in rasa_nlu.examples]
    assert len(rasa_nlu.examples) == 71
    assert list(dict.fromkeys(e.intent for e in rasa_nlu.examples)) == [
        "greet",
        "goodbye",
        "affirm",
        "deny",
        "mood_great",
        "mood_unhappy",
        "bot_challenge",
        "weather",
    ]
    assert rasa_nlu.examples[0] == Example("hey", "greet", [], None)
    weather = [e for e in rasa_nlu.examples if e.intent == "weather"]
    assert weather == [
        Example(
            "what is the weather in berlin",
            "weather",
            [{"start": 23, "end": 29, "entity": "city", "value": "berlin"}],
        ),
        Example("weather in paris", "weather", [{"start": 11, "end": 16, "entity": "city", "value": "paris"}]),
        Example(
            "how is the weather in tokyo", "weather", [{"start": 22, "end": 27, "entity": "city", "value": "tokyo"}]
        ),
    ]
    assert rasa_nlu.lookups == {"city": lookup_elements}
    assert (rasa_nlu.synonyms, rasa_nlu.regexes) == ({}, [])


def test_the_rasa_project_nlu_file_is_written_back_as_rasa_writes_it(rasa_nlu: NluData) -> None:
    rendered = render_nlu(rasa_nlu)

    assert round_trip(rasa_nlu) == rasa_nlu
    assert rendered.startswith('version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hey\n    - hello\n')
    assert "    - what is the weather in [berlin](city)\n" in rendered
    assert rendered.endswith("\n- lookup: city\n  examples: |\n    - berlin\n    - paris\n    - tokyo\n    - lagos\n")
    # Only blank lines tell the written file from the original, which separates its items the same way.
    assert rendered.replace("\n\n", "\n") == RASA_NLU.read_text().replace("\n\n", "\n")


def test_synonyms_regexes_and_lookups_are_written_and_read_back() -> None:
    data = NluData(
        examples=[
            Example("I live in NYC", "inform", [{"start": 10, "end": 13, "entity": "city", "value": "New York"}])
        ],
        synonyms={"New York": ["NYC", "big apple"], "unused": []},
        regexes=[("zipcode", r"\d{5}"), ("zipcode", r"\d{5}-\d{4}"), ("account", "[a-z]{2}#")],
        lookups={"cities": ["berlin", "a: b"]},
    )
    rendered = render_nlu(data)

    assert "- synonym: New York\n  examples: |\n    - NYC\n    - big apple\n" in rendered
    assert "- regex: zipcode\n  examples: |\n    - \\d{5}\n    - \\d{5}-\\d{4}\n" in rendered
    assert round_trip(data) == data


def test_regexes_of_one_name_are_written_as_one_item() -> None:
    data = NluData([], {}, [("a", "x"), ("b", "y"), ("a", "z")], {})

    assert round_trip(data).regexes == [("a", "x"), ("a", "z"), ("b", "y")]


def test_examples_with_metadata_or_line_breaks_are_written_as_text_items() -> None:
    data = NluData(
        examples=[
            Example("first\nsecond line", "note", []),
            Example("happy", "note", [], {"sentiment": "positive", "scores": [1, 2.5, None]}),
            Example("tab\there, line separator\u2028and a [bracket]", "note", []),
        ],
        synonyms={},
        regexes=[],
        lookups={},
    )
    rendered = render_nlu(data)

    assert "  - text: " in rendered
    assert "    metadata:\n      sentiment: positive\n" in rendered
    assert round_trip(data) == data


def test_example_and_intent_metadata_are_kept_on_each_example() -> None:
    data = parsed(
        "nlu:\n"
        "- intent: check_balance\n"
        "  metadata:\n"
        "    domain: bank\n"
        "  examples:\n"
        "  - text: |\n"
        "      how much do I have on my [savings](account) account\n"
        "    metadata:\n"
        "      sentiment: neutral\n"
        "  - text: my balance\n"
    )

    assert data.examples == [
        Example(
            "how much do I have on my savings account",
            "check_balance",
            [{"start": 25, "end": 32, "entity": "account", "value": "savings"}],
            {"domain": "bank", "sentiment": "neutral"},
        ),
        Example("my balance", "check_balance", [], {"domain": "bank"}),
    ]
    assert round_trip(data) == data


def test_an_empty_nlu_key_holds_no_data() -> None:
    assert parsed("nlu:\n") == NluData([], {}, [], {})


@pytest.mark.parametrize(
    ("annotated", "text", "entities"),
    [
        ("no entities here", "no entities here", []),
        ("fly to [Berlin](city)", "fly to Berlin", [{"start": 7, "end": 13, "entity": "city", "value": "Berlin"}]),
        (
            "I live in [NYC](city:New York)",
            "I live in NYC",
            [{"start": 10, "end": 13, "entity": "city", "value": "New York"}],
        ),
        (
            'from [LA]{"entity": "city", "role": "departure", "value": "Los Angeles"} to [SF](city)',
            "from LA to SF",
            [
                {"start": 5, "end": 7, "entity": "city", "value": "Los Angeles", "role": "departure"},
                {"start": 11, "end": 13, "entity": "city", "value": "SF"},
            ],
        ),
        (
            '[2]{"entity": "number", "group": "1"} [large]{"entity": "size", "group": "1"} pizza',
            "2 large pizza",
            [
                {"start": 0, "end": 1, "entity": "number", "value": "2", "group": "1"},
                {"start": 2, "end": 7, "entity": "size", "value": "large", "group": "1"},
            ],
        ),
        (
            'a [cheap][{"entity": "price"}, {"entity": "quality", "value": "low"}] one',
            "a cheap one",
            [
                {"start": 2, "end": 7, "entity": "price", "value": "cheap"},
                {"start": 2, "end": 7, "entity": "quality", "value": "low"},
            ],
        ),
        ("[brackets] alone are [text", "[brackets] alone are [text", []),
    ],
)
def test_entity_markup_forms_are_read(annotated: str, text: str, entities: list[dict[str, Any]]) -> None:
    assert parse_annotated_text(annotated) == (text, entities)


@pytest.mark.parametrize(
    ("text", "entities", "annotated"),
    [
        ("fly to Berlin", [{"start": 7, "end": 13, "entity": "city", "value": "Berlin"}], "fly to [Berlin](city)"),
        (
            "I live in NYC",
            [{"start": 10, "end": 13, "entity": "city", "value": "New York"}],
            'I live in [NYC]{"entity": "city", "value": "New York"}',
        ),
        (
            "from LA",
            [{"start": 5, "end": 7, "entity": "city", "value": "LA", "role": "departure"}],
            'from [LA]{"entity": "city", "role": "departure"}',
        ),
        (
            "a cheap one",
            [
                {"start": 2, "end": 7, "entity": "price", "value": "cheap"},
                {"start": 2, "end": 7, "entity": "quality", "value": "low"},
            ],
            'a [cheap][{"entity": "price"}, {"entity": "quality", "value": "low"}] one',
        ),
        (
            "odd one",
            [{"start": 0, "end": 3, "entity": "a:b)", "value": "x}]y"}],
            '[odd]{"entity": "a:b)", "value": "x\\u007d\\u005dy"} one',
        ),
    ],
)
def test_entities_are_written_in_the_shortest_markup_that_reads_back(
    text: str, entities: list[dict[str, Any]], annotated: str
) -> None:
    assert annotate_text(text, entities) == annotated
    assert parse_annotated_text(annotated) == (text, entities)


@pytest.mark.parametrize(
    ("annotated", "problem"),
    [
        ("[Berlin]{city}", "not a JSON entity object"),
        ('[Berlin]{"entity": "city", "colour": "red"}', "unknown entity key 'colour'"),
        ('[Berlin]{"value": "x"}', "names no entity"),
        ('[Berlin]{"entity": 5}', "entity must be a string"),
        ("[Berlin][city]", "not a list of entity objects"),
        ("[Berlin]( )", "names no entity"),
    ],
)
def test_bad_entity_markup_is_refused_with_what_is_wrong(annotated: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem.replace("(", r"\(")):
        parse_annotated_text(annotated)


@pytest.mark.parametrize(
    ("entities", "problem"),
    [
        ([{"start": 0, "end": 9, "entity": "x", "value": "x"}], "does not cover a part of the text"),
        (
            [{"start": 2, "end": 3, "entity": "x", "value": "x"}, {"start": 2, "end": 4, "entity": "y", "value": "y"}],
            "entities overlap",
        ),
        ([{"start": 0, "end": 2, "entity": "x", "value": "x"}], "contains ']'"),
    ],
)
def test_entities_markup_cannot_hold_are_refused(entities: list[dict[str, Any]], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        annotate_text("a]cd", entities)


@pytest.mark.parametrize(
    ("source", "line", "problem"),
    [
        ("nlu:\n  intent: greet\n", 2, "nlu must be a list"),
        ("nlu:\n- just text\n", 2, "must be a mapping"),
        (
            "nlu:\n- intent: greet\n  examples: |\n    - hi\n  extra: 1\n",
            5,
            "unknown key 'extra' in the intent item 'greet'",
        ),
        ("nlu:\n- intent: greet\n  synonym: x\n  examples: |\n    - hi\n", 2, "exactly one of the keys"),
        ("nlu:\n- examples: |\n    - hi\n", 2, "exactly one of the keys"),
        ("nlu:\n- intent: greet\n", 2, "intent 'greet' has no examples"),
        ("nlu:\n- intent: greet\n  examples: ''\n", 3, "intent 'greet' has no examples"),
        ("nlu:\n- intent: greet\n  examples: 5\n", 3, "examples must be text or a list"),
        ("nlu:\n- intent: [a, b]\n  examples: |\n    - hi\n", 2, "intent must be a non-empty string"),
        ("nlu:\n- intent: greet\n  examples: |\n    - hi\n    hello\n", 5, "does not start with '- '"),
        ("nlu:\n- intent: greet\n  examples: |\n    - hi\n    -\n", 5, "empty example"),
        (
            "nlu:\n- intent: greet\n  examples: |\n    - hi\n    - [x]{bad json}\n",
            5,
            "example '[x]{bad json}': '{bad json}' is not a JSON entity object",
        ),
        ("nlu:\n- intent: greet\n  examples:\n  - text: hi\n  - txt: hello\n", 5, "unknown key 'txt'"),
        ("nlu:\n- intent: greet\n  examples:\n  - text: [1]\n", 4, "an example's text must be a string"),
        ("nlu:\n- intent: greet\n  metadata: [1]\n  examples: |\n    - hi\n", 3, "metadata must be a mapping"),
        ("nlu:\n- intent: greet\n  examples: |\n    - hi\n\n    - '[x]()'\n", None, None),
        ("nlu:\n- regex: zip\n  examples: |\n    - \\d{5}\n    - ([a-z\n", 5, "'([a-z' does not compile"),
        ("nlu:\n- regex: big\n  examples: |\n    - a{99999999999}\n", 4, "does not compile"),
        ("nlu:\n- synonym: ny\n  examples:\n  - ''\n", 4, "each example must be non-empty text"),
        ("nlu:\n- lookup: city\n", 2, "lookup 'city' has no examples"),
        ("nlu:\n- lookup: city\n  examples: {a: 1}\n", 3, "examples must be text of '- ' lines"),
    ],
)
def test_every_problem_names_the_file_and_line(source: str, line: int | None, problem: str | None) -> None:
    if problem is None:  # a control case: blank lines are allowed and "[x]()" is plain text
        assert [e.text for e in parsed(source).examples] == ["hi", "'[x]()'"]
        return
    with pytest.raises(YamlProblem) as raised:
        parsed(source, "data/nlu.yml")
    assert raised.value.line == line
    assert str(raised.value).startswith(f"data/nlu.yml line {line}: ")
    assert problem in str(raised.value)
