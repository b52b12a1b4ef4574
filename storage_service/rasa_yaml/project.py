"""A whole Rasa 3 project: reading its files into training data and writing training data back as its files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from storage_service.rasa_yaml.config import CONFIG_KEYS, check_config
from storage_service.rasa_yaml.domain import DOMAIN_KEYS, Domain, parse_domain, render_domain
from storage_service.rasa_yaml.nlu import NluData, parse_nlu, render_nlu
from storage_service.rasa_yaml.reading import YamlProblem, line_of, load_yaml
from storage_service.rasa_yaml.stories import (
    StoryBlock,
    StoryKindName,
    check_version,
    parse_story_blocks,
    render_story_file,
)

YAML_SUFFIXES = {".yml", ".yaml"}
STORY_KINDS: tuple[StoryKindName, ...] = ("story", "rule", "test")
# Where each kind of data goes in an exported project, in the order the files are listed.
CONFIG_PATH, DOMAIN_PATH, NLU_PATH = "config.yml", "domain.yml", "data/nlu.yml"
STORY_PATHS = {"story": "data/stories.yml", "rule": "data/rules.yml", "test": "tests/test_stories.yml"}
# Domain sections whose entries are named: a name declared by two domain files is a mistake, not a merge.
UNIQUE_DOMAIN_SECTIONS = ("responses", "slots", "forms")
TRAINING_DATA_KEYS = ("nlu", "stories", "rules")
Named = tuple[str, dict[str, Any] | None]


@dataclass
class Project:
    """The training data a project's files hold; a kind no file holds is None (or, for stories, absent)."""

    config: str | None = None
    domain: Domain | None = None
    nlu: NluData | None = None
    # Each file holding stories, rules or test stories, with its blocks in the order written.
    story_files: list[tuple[str, list[StoryBlock]]] = field(default_factory=list)
    # The story kinds ("story", "rule", "test") some file holds, even as an empty list.
    story_kinds: set[str] = field(default_factory=set)

    @property
    def kinds(self) -> set[str]:
        """The kinds of data the files hold: "config", "domain", "nlu" and the story kinds."""
        held = {"config": self.config, "domain": self.domain, "nlu": self.nlu}
        return {kind for kind, data in held.items() if data is not None} | self.story_kinds

    def blocks(self, kind: str) -> list[StoryBlock]:
        """The blocks of this kind, from every file."""
        return [block for _, blocks in self.story_files for block in blocks if block.kind == kind]


def read_project(files: list[tuple[str, str]]) -> Project:
    """The training data in these (path, text) files, every file read before anything is returned.

    Each file is classified by its top-level keys as Rasa does: `nlu:`, `stories:` (test stories under tests/ or
    in a file named test_*), `rules:`, domain keys (a domain split over several files is merged) and config keys.
    Raises YamlProblem naming the file (and line) of the first problem: a bad path, bad YAML, an unknown top-level
    key, bad data, a second config file, a response, slot, form, story or rule name two files declare.
    """
    project = Project()
    nlu_parts: list[NluData] = []
    domain_parts: list[tuple[str, Any, Domain]] = []
    story_names: dict[tuple[str, str], str] = {}
    config_path: str | None = None
    seen_paths: set[str] = set()
    for path, text in files:
        _check_path(path, seen_paths)
        document = _load_document(path, text)
        if any(key in CONFIG_KEYS for key in document):
            if config_path is not None:
                raise YamlProblem(path, None, f"a project has one config file, and {config_path} is one already")
            _check_config_only(path, document)
            check_config(document, path)
            project.config, config_path = text, path
            continue
        if any(key in DOMAIN_KEYS for key in document):
            domain_parts.append((path, document, _parse_domain_part(document, path)))
        if "nlu" in document:
            nlu_parts.append(parse_nlu(document["nlu"], path))
        story_kind: StoryKindName = "test" if _is_test_file(path) else "story"
        rule_kind: StoryKindName = "rule"
        for key, kind in (("stories", story_kind), ("rules", rule_kind)):
            if key in document:
                blocks = parse_story_blocks(document[key], path, kind)
                _check_names_unique(path, document[key], blocks, story_names)
                project.story_files.append((path, blocks))
                project.story_kinds.add(kind)
    if domain_parts:
        project.domain = _merged_domain(domain_parts)
    if nlu_parts:
        project.nlu = _merged_nlu(nlu_parts)
    return project


def write_project(
    config: str | None, domain: Domain | None, nlu: NluData, stories: dict[StoryKindName, list[dict[str, Any]]]
) -> list[tuple[str, str]]:
    """The (path, content) files of a Rasa 3 project holding this data: config.yml, domain.yml, data/nlu.yml,
    data/stories.yml, data/rules.yml and tests/test_stories.yml, each only when there is something to put in it.

    `stories` maps a story kind ("story", "rule", "test") to its blocks, as the stories queries export them.
    """
    files: list[tuple[str, str]] = []
    if config is not None:
        files.append((CONFIG_PATH, config))
    if domain is not None:
        files.append((DOMAIN_PATH, render_domain(domain)))
    if nlu.examples or nlu.synonyms or nlu.regexes or nlu.lookups:
        files.append((NLU_PATH, render_nlu(nlu)))
    for kind in STORY_KINDS:
        if stories.get(kind):
            files.append((STORY_PATHS[kind], render_story_file(kind, stories[kind])))
    return files


def _check_path(path: str, seen: set[str]) -> None:
    """Refuse a path that is not a project-relative YAML file, or that an earlier file has already."""
    name = path or "(a file without a path)"
    parts = PurePosixPath(path).parts
    if not path or not parts:
        raise YamlProblem(name, None, "every file needs a path relative to the project folder")
    if path.startswith(("/", "\\")) or ":" in parts[0]:
        raise YamlProblem(name, None, "the path must be relative to the project folder")
    if ".." in parts or ".." in path.split("\\"):
        raise YamlProblem(name, None, "the path must not climb out of the project folder with ..")
    if PurePosixPath(path).suffix not in YAML_SUFFIXES:
        raise YamlProblem(name, None, "only .yml and .yaml files belong to a Rasa project")
    if path in seen:
        raise YamlProblem(name, None, "the path is given twice")
    seen.add(path)


def _load_document(path: str, text: str) -> Any:
    """The file's top-level mapping, every key one Rasa knows."""
    document = load_yaml(text, path)
    if document is None:
        raise YamlProblem(path, None, "the file is empty")
    if not isinstance(document, dict):
        raise YamlProblem(path, line_of(document), "the file must be a mapping of Rasa's top-level keys")
    known = {"version", *TRAINING_DATA_KEYS, *DOMAIN_KEYS, *CONFIG_KEYS}
    for key in document:
        if key not in known:
            raise YamlProblem(path, line_of(document, key), f"unknown top-level key {key!r}")
    check_version(document, path)
    return document


def _check_config_only(path: str, document: Any) -> None:
    """A config file is kept as it is, so it may hold nothing but config."""
    for key in document:
        if key != "version" and key not in CONFIG_KEYS:
            raise YamlProblem(path, line_of(document, key), f"{key!r} does not belong in the config file")


def _is_test_file(path: str) -> bool:
    """Whether Rasa reads the stories in this file as test stories: under tests/, or named test_*."""
    location = PurePosixPath(path)
    return "tests" in location.parts[:-1] or location.name.startswith("test_")


def _parse_domain_part(document: Any, path: str) -> Domain:
    """The domain part of a file, checked on its own as Rasa checks each domain file."""
    domain = parse_domain(document, path)
    domain.rest = {key: value for key, value in domain.rest.items() if key not in TRAINING_DATA_KEYS}
    return domain


def _merged_domain(parts: list[tuple[str, Any, Domain]]) -> Domain:
    """One domain of several files' as Rasa merges them: lists united in order, mappings joined, other values
    taken from the first file giving them. A response, slot or form two files declare is a YamlProblem."""
    first_files: dict[tuple[str, str], str] = {}
    for path, document, _ in parts:
        for section in UNIQUE_DOMAIN_SECTIONS:
            declared = document.get(section)
            for name in declared if isinstance(declared, dict) else {}:
                first = first_files.setdefault((section, name), path)
                if first != path:
                    problem = f"{section[:-1]} {name!r} is declared in {first} already"
                    raise YamlProblem(path, line_of(declared, name), problem)
    merged = Domain([], [], {}, {})
    for _, _, domain in parts:
        merged.intents = _united(merged.intents, domain.intents)
        merged.actions = _united(merged.actions, domain.actions)
        merged.responses |= domain.responses
        for key, value in domain.rest.items():
            merged.rest[key] = _merged_value(merged.rest[key], value) if key in merged.rest else value
    return merged


def _united(first: list[Named], second: list[Named]) -> list[Named]:
    """The names of both lists in order of first appearance; properties given by a later entry win."""
    united = dict(first)
    for name, properties in second:
        if properties is not None or name not in united:
            united[name] = properties
    return list(united.items())


def _merged_value(first: Any, second: Any) -> Any:
    if isinstance(first, list) and isinstance(second, list):
        entries = _united([_named(item) for item in first], [_named(item) for item in second])
        return [name if properties is None else {name: properties} for name, properties in entries]
    if isinstance(first, dict) and isinstance(second, dict):
        return {**first, **{key: value for key, value in second.items() if key not in first}}
    return first


def _named(item: Any) -> Named:
    """An entry of a domain list (`- name` or `- name: {properties}`) as (name, properties)."""
    if isinstance(item, dict) and len(item) == 1:
        [(name, properties)] = item.items()
        return str(name), properties
    return str(item), None


def _check_names_unique(
    path: str, items: Any, blocks: list[StoryBlock], first_files: dict[tuple[str, str], str]
) -> None:
    """Stories and rules are stored by kind and name, so two files may not name a block alike."""
    for index, block in enumerate(blocks):
        first = first_files.setdefault((block.kind, block.name), path)
        if first != path:
            problem = f"the {block.kind} name {block.name!r} is used in {first} already"
            raise YamlProblem(path, line_of(items, index), problem)


def _merged_nlu(parts: list[NluData]) -> NluData:
    """The NLU data of several files as one, in file order."""
    merged = NluData([], {}, [], {})
    for part in parts:
        merged.examples.extend(part.examples)
        for reference, values in part.synonyms.items():
            merged.synonyms.setdefault(reference, []).extend(values)
        merged.regexes.extend(part.regexes)
        for name, elements in part.lookups.items():
            merged.lookups.setdefault(name, []).extend(elements)
    return merged
