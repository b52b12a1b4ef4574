"""Writing Rasa YAML in the layout Rasa's own files use."""

from __future__ import annotations

from typing import Any

import yaml

# The training data format version Rasa 3.x reads and Conversely writes.
RASA_YAML_VERSION = "3.1"


def dump_yaml(value: Any) -> str:
    """Plain data as block-style YAML in the layout Rasa's own files use; keys keep their order."""
    return yaml.dump(
        value, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=2**31 - 1
    )


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    pass


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    # A multi-line text (an end-to-end test's user message) reads best as a literal block.
    style = "|" if "\n" in text.rstrip("\n") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_text)
