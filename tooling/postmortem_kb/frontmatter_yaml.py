"""Strict, located parsing of a postmortem's YAML front matter.

Why not a plain ``yaml.safe_load``: it turns timestamps into naive datetimes,
silently keeps the last of two duplicate keys, expands aliases (a "billion
laughs" file eats memory), and forgets where each value came from. Here we use
libyaml (PyYAML's C parser) only to *compose* a node tree, then build plain
Python values ourselves with YAML 1.2 core-schema scalars, timestamps kept as
the strings that were written, and a line and column for every key and value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from postmortem_kb.findings import FieldPath

try:  # libyaml is in every PyYAML wheel; the fallback keeps odd platforms working.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


@dataclass(frozen=True)
class Position:
    line: int  # 1-based line in the whole file
    column: int  # 1-based


class FrontMatterError(Exception):
    """The front matter cannot be read; carries where and why."""

    def __init__(self, message: str, line: int, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass
class ParsedFrontMatter:
    data: dict[str, Any]
    value_positions: dict[FieldPath, Position] = field(default_factory=dict)
    key_positions: dict[FieldPath, Position] = field(default_factory=dict)


_YAML = "tag:yaml.org,2002:"
# Tags libyaml may resolve implicitly for untagged nodes. Anything else was
# written explicitly (``!!python/object``, ``!custom``, ``!!binary``) and is refused.
_IMPLICIT_TAGS = {
    _YAML + name for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
} | {_YAML + "value"}

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")


def _plain_scalar(text: str) -> Any:
    """YAML 1.2 core schema: no ``yes``/``no`` booleans, no sexagesimal, no timestamps."""
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    return text


def parse_front_matter(text: str, first_line: int) -> ParsedFrontMatter:
    """Parse front matter ``text`` whose first line is line ``first_line`` of the file."""

    def at(mark: Any) -> tuple[int, int]:
        return mark.line + first_line, mark.column + 1

    # Anchors, aliases and tags are rare in real front matter, so only files that
    # contain one of their indicator characters pay for an event-level scan.
    if "&" in text or "*" in text or "!" in text:
        _reject_anchors_and_tags(text, at)

    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = at(mark) if mark is not None else (first_line, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        raise FrontMatterError(f"YAML syntax error: {problem}", line, column) from None
    except yaml.YAMLError as exc:
        raise FrontMatterError(f"YAML error: {exc}", first_line) from None
    finally:
        loader.dispose()

    if node is None:
        raise FrontMatterError("front matter is empty", max(first_line - 1, 1))
    if not isinstance(node, yaml.MappingNode):
        kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
        line, column = at(node.start_mark)
        raise FrontMatterError(
            f"front matter must be a mapping of fields (title: ...), not {kind}", line, column
        )
    parsed = ParsedFrontMatter(data={})
    builder = _Builder(parsed, at)
    parsed.data = builder.mapping(node, ())
    return parsed


def _reject_anchors_and_tags(text: str, at: Any) -> None:
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                line, column = at(event.start_mark)
                raise FrontMatterError(
                    "YAML anchors and aliases (&name, *name) are not allowed; write the value out",
                    line,
                    column,
                )
            tag = getattr(event, "tag", None)
            if tag is not None and tag != "!":
                line, column = at(event.start_mark)
                raise FrontMatterError(
                    f"YAML tags such as '{_shown_tag(tag)}' are not allowed; remove the tag",
                    line,
                    column,
                )
    except yaml.MarkedYAMLError:
        return  # the composer below reports syntax errors with their location


def _shown_tag(tag: str) -> str:
    """Show a tag as it was written: ``tag:yaml.org,2002:python/object`` as ``!!python/object``."""
    return "!!" + tag[len(_YAML) :] if tag.startswith(_YAML) else tag


class _Builder:
    def __init__(self, parsed: ParsedFrontMatter, at: Any) -> None:
        self.parsed = parsed
        self.at = at

    def _position(self, node: yaml.Node) -> Position:
        line, column = self.at(node.start_mark)
        return Position(line, column)

    def _check_tag(self, node: yaml.Node) -> None:
        if node.tag not in _IMPLICIT_TAGS:
            pos = self._position(node)
            raise FrontMatterError(
                f"YAML tags such as '{_shown_tag(node.tag)}' are not allowed; remove the tag",
                pos.line,
                pos.column,
            )

    def value(self, node: yaml.Node, path: FieldPath) -> Any:
        self._check_tag(node)
        self.parsed.value_positions[path] = self._position(node)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.value(item, (*path, index)) for index, item in enumerate(node.value)]
        # libyaml marks plain scalars with an empty style, the pure-Python parser with None.
        if not getattr(node, "style", None):  # plain scalar: resolve its type
            return _plain_scalar(node.value)
        return node.value  # quoted or block scalars are always strings

    def mapping(self, node: yaml.MappingNode, path: FieldPath) -> dict[str, Any]:
        self.parsed.value_positions.setdefault(path, self._position(node))
        result: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            pos = self._position(key_node)
            if not isinstance(key_node, yaml.ScalarNode):
                raise FrontMatterError("keys must be plain names", pos.line, pos.column)
            if key_node.tag == _YAML + "merge":
                raise FrontMatterError("YAML merge keys (<<) are not allowed", pos.line, pos.column)
            self._check_tag(key_node)
            key = str(key_node.value)
            if key in first_seen:
                raise FrontMatterError(
                    f"duplicate key '{key}' (first set on line {first_seen[key]})",
                    pos.line,
                    pos.column,
                )
            first_seen[key] = pos.line
            self.parsed.key_positions[(*path, key)] = pos
            result[key] = self.value(value_node, (*path, key))
        return result
