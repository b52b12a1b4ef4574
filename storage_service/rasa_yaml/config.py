"""Rasa 3 model configuration (config.yml): checked with a line for every problem, stored as its text."""

from __future__ import annotations

from typing import Any

from storage_service.rasa_yaml.reading import YamlProblem, line_of, load_yaml

# Top-level keys that make a file a config file.
CONFIG_KEYS = frozenset({"recipe", "language", "pipeline", "policies", "assistant_id"})


def check_config(document: Any, filename: str) -> None:
    """Raise YamlProblem (file and line) unless `document` is a mapping whose `language`, `recipe` and
    `assistant_id` are strings and whose `pipeline` and `policies` are lists of components, each a mapping with a
    string `name`. Absent or null keys are fine: Rasa fills them in; other keys are Rasa's business."""
    if document is None:
        raise YamlProblem(filename, None, "the config is empty; it needs at least a language, pipeline or policies")
    if not isinstance(document, dict):
        raise YamlProblem(filename, line_of(document), "the config must be a mapping of language, pipeline, ...")
    for key in ("language", "recipe", "assistant_id"):
        value = document.get(key)
        if value is not None and not isinstance(value, str):
            raise YamlProblem(filename, line_of(document, key), f"{key} must be a string, not {value!r}")
    for key in ("pipeline", "policies"):
        _check_components(document, key, filename)


def check_config_yaml(text: str, filename: str) -> None:
    """check_config on the YAML text."""
    check_config(load_yaml(text, filename), filename)


def _check_components(document: Any, key: str, filename: str) -> None:
    components = document.get(key)
    if components is None:
        return
    if not isinstance(components, list):
        raise YamlProblem(filename, line_of(document, key), f"{key} must be a list of components")
    for index, component in enumerate(components):
        line = line_of(components, index)
        if not isinstance(component, dict):
            raise YamlProblem(filename, line, f"a component of {key} must be a mapping such as `- name: RulePolicy`")
        name = component.get("name")
        if not isinstance(name, str) or not name.strip():
            raise YamlProblem(filename, line, f"a component of {key} needs a name")
