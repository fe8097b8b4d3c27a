"""Reading a form file with PyYAML while keeping the line of every key, for error messages."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import yaml


class LocatedDict(dict):
    """A YAML mapping that remembers the line of itself and of each key (1-based)."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[Any, int] = {}
        self.repeated_keys: list[tuple[Any, int]] = []

    def line_of(self, key: Any) -> int:
        return self.lines.get(key, self.line)


class _Loader(yaml.SafeLoader):
    """SafeLoader (no Python objects) whose mappings carry their lines."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LocatedDict:
    loader.flatten_mapping(node)
    mapping = LocatedDict()
    mapping.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, str | int | float | bool) or key is None:
            key = str(key)
        if key in mapping:
            mapping.repeated_keys.append((key, line))
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = line
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)

# libyaml's parser, when PyYAML was built with it, reads a form several times faster (the first
# school page waits for every shipped form's title). Same nodes, marks and constructors, so the
# same document; an unreadable file is read again in Python for PyYAML's usual wording.
_FAST_LOADER: type[yaml.CSafeLoader] | None = None
if getattr(yaml, "__with_libyaml__", False):

    class _FastLoader(yaml.CSafeLoader):
        """CSafeLoader (libyaml's parser, no Python objects) whose mappings carry their lines."""

    _FastLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _FAST_LOADER = _FastLoader


class YamlProblem(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def read_yaml(text: str) -> Any:
    """The document with LocatedDict mappings; YamlProblem(line, sentence) if unreadable."""
    if _FAST_LOADER is not None:
        try:
            return yaml.load(text, Loader=_FAST_LOADER)  # noqa: S506 - CSafeLoader underneath
        except yaml.YAMLError:
            pass  # the Python parser below says what is wrong, in its words
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader derives from SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        reason = exc.problem or "the file is not valid YAML"
        raise YamlProblem(line, f"this is not valid YAML ({reason}).") from exc
    except yaml.YAMLError as exc:
        raise YamlProblem(1, f"this is not valid YAML ({exc}).") from exc


def canonical_hash(document: Any) -> str:
    """sha256 of the document's canonical JSON: comments, key order and layout do not count."""
    canonical = json.dumps(
        _plain(document), sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
