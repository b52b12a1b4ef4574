"""Loading Rasa YAML: problems name the file and line, and a document cannot make its readers do unbounded work."""

from __future__ import annotations

import pytest

from storage_service.rasa_yaml.reading import YamlProblem, load_yaml


def test_aliases_are_expanded_as_yaml_says() -> None:
    document = load_yaml("steps: &steps [{action: a}, {action: b}]\nagain: *steps\n", "data/stories.yml")
    assert document["again"] == [{"action": "a"}, {"action": "b"}]


def test_a_billion_laughs_is_refused_before_anything_walks_it() -> None:
    levels = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"] + [
        f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 10) + "]" for level in range(1, 9)
    ]
    with pytest.raises(YamlProblem, match=r"domain\.yml: its anchors and aliases expand it too far"):
        load_yaml("\n".join(levels) + "\n", "domain.yml")


def test_a_syntax_error_names_the_file_and_line() -> None:
    with pytest.raises(YamlProblem, match=r"^data/nlu.yml line 3: "):
        load_yaml("nlu:\n- intent: greet\n  examples: [hi\n", "data/nlu.yml")


@pytest.mark.parametrize(
    ("text", "line"),
    [('intents:\n- greet\n- "a\\ud800b"\n', 3), ('"\\udc00": 1\n', 1), ('slots:\n  city: {x: "\\ud8a0"}\n', 2)],
)
def test_a_text_that_is_not_unicode_is_refused_at_its_line(text: str, line: int) -> None:
    # JSON-style escapes can make a lone surrogate, which no database or gRPC message can hold.
    with pytest.raises(YamlProblem, match=rf"^domain\.yml line {line}: a text holds \\ud[89a-f]"):
        load_yaml(text, "domain.yml")
