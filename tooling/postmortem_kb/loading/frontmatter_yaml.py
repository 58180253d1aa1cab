"""Strict, located parsing of a postmortem's YAML front matter.

Why not a plain ``yaml.safe_load``: it turns timestamps into naive datetimes,
silently keeps the last of two duplicate keys, expands aliases (a "billion
laughs" file eats memory), and forgets where each value came from. Here we use
libyaml (PyYAML's C parser) only to *compose* a node tree, then build plain
Python values ourselves, with a line and column for every key and value.

Plain scalars are typed by a subset of the YAML 1.2 core schema: null, true and
false (in the three spellings the schema allows), decimal integers and decimal
floats. The rest of the core schema stays text on purpose: octal ``0o17`` and
hexadecimal ``0x1F`` (no field is a number written that way, and a value like
``0x1F`` in a title should read as written), ``.inf`` and ``.nan`` (no field can
use them), and timestamps (kept as the strings that were written, so an offset is
never lost). A non-specific tag ``!`` makes a plain scalar text, as YAML says
(``! 12`` is the string "12"). Integers of more than MAX_INT_DIGITS digits and
nesting deeper than MAX_DEPTH are refused with their location: no postmortem
needs them, and Python's int() and recursion have limits of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.reader import ReaderError

from postmortem_kb.model.findings import FieldPath

try:  # libyaml is in every PyYAML wheel; the fallback keeps odd platforms working.
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


class _Loader(_SafeLoader):
    """The safe loader with a resolver that tells only what the builder asks of a tag.

    The builder types plain scalars itself (_plain_scalar) and reads a node's tag only
    to refuse explicit tags and merge keys. PyYAML's resolver tries a list of regular
    expressions on every scalar, which was a sixth of parsing a postmortem; an explicit
    tag never reaches it (the composer keeps a written tag as it is).
    """

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            return _MERGE if implicit[0] and value == "<<" else _STR
        return _MAP if kind is yaml.MappingNode else _SEQ


@dataclass(frozen=True)
class Position:
    """Where a key or value was written in the file."""

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
    """Front matter values, and where each key and value was written.

    Positions are worked out only when asked for (a finding needs locating): most
    files have no findings, and keeping a position per node for all of them
    would double the cost of checking a large collection.
    """

    data: dict[str, Any]
    text: str = ""
    first_line: int = 1
    _positions: tuple[dict[FieldPath, Position], dict[FieldPath, Position]] | None = field(
        default=None, repr=False, compare=False
    )

    @property
    def value_positions(self) -> dict[FieldPath, Position]:
        """Where each value was written, by field path."""
        return self._located()[0]

    @property
    def key_positions(self) -> dict[FieldPath, Position]:
        """Where each key was written, by field path."""
        return self._located()[1]

    def _located(self) -> tuple[dict[FieldPath, Position], dict[FieldPath, Position]]:
        if self._positions is None:
            self._positions = _positions_of(self.text, self.first_line)
        return self._positions


_YAML = "tag:yaml.org,2002:"
# Tags libyaml may resolve implicitly for untagged nodes. Anything else was
# written explicitly (``!!python/object``, ``!custom``, ``!!binary``) and is refused.
_IMPLICIT_TAGS = {
    _YAML + name for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
} | {_YAML + "value"}
_MERGE = _YAML + "merge"
_STR, _MAP, _SEQ = _YAML + "str", _YAML + "map", _YAML + "seq"

# \Z, not $: a plain scalar never ends in a newline, but a regex should not rely on it.
_NULL = re.compile(r"^(?:~|null|Null|NULL|)\Z")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")


# Python refuses int() of longer strings (CVE-2020-10735: converting is quadratic).
MAX_INT_DIGITS = 4300
# Real front matter nests four levels (action_items[0].title); Python's recursion
# limit is about 1,000 frames, and libyaml's own nesting limit 1,000.
MAX_DEPTH = 64


class _TooManyDigits(ValueError):
    pass


def _plain_scalar(text: str) -> Any:
    """The core-schema subset of the module docstring: no ``yes``/``no``, no octal or hex."""
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.match(text):
        if len(text.lstrip("+-")) > MAX_INT_DIGITS:
            raise _TooManyDigits(text)
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
    verbatim: set[tuple[int, int]] = set()
    if "&" in text or "*" in text or "!" in text:
        verbatim = _reject_anchors_and_tags(text, at)

    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = at(mark) if mark is not None else (first_line, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        if _indented_with_tab(text, line - first_line):
            problem = "a tab indents this line; YAML indents with spaces only"
        raise FrontMatterError(f"YAML syntax error: {problem}", line, column) from None
    except ReaderError as exc:
        raise _unreadable_character(text, exc, first_line) from None
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
    return ParsedFrontMatter(
        data=_Builder(at, verbatim).mapping(node, 1), text=text, first_line=first_line
    )


def _positions_of(
    text: str, first_line: int
) -> tuple[dict[FieldPath, Position], dict[FieldPath, Position]]:
    """Compose ``text`` again (it parsed once, so it parses again) and record every position."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    values: dict[FieldPath, Position] = {}
    keys: dict[FieldPath, Position] = {}

    def position(mark: Any) -> Position:
        return Position(mark.line + first_line, mark.column + 1)

    def walk(node: yaml.Node, path: FieldPath) -> None:
        values.setdefault(path, position(node.start_mark))
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key_path = (*path, str(key_node.value))
                keys[key_path] = position(key_node.start_mark)
                walk(value_node, key_path)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, (*path, index))

    if node is not None:
        walk(node, ())
    return values, keys


def _indented_with_tab(text: str, line_index: int) -> bool:
    lines = text.split("\n")
    if not 0 <= line_index < len(lines):
        return False
    line = lines[line_index]
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    return "\t" in indent


def _unreadable_character(text: str, exc: ReaderError, first_line: int) -> FrontMatterError:
    """libyaml refuses control characters (U+0007, U+001B...) before parsing; locate the one it found."""
    position = min(max(int(exc.position), 0), len(text))
    line = text.count("\n", 0, position) + first_line
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return FrontMatterError(
        f"the front matter holds the control character U+{int(exc.character):04X}, "
        "which YAML does not allow; remove it",
        line,
        column,
    )


def _reject_anchors_and_tags(text: str, at: Any) -> set[tuple[int, int]]:
    """Refuse anchors, aliases and tags; return where the plain scalars with the
    non-specific tag ``!`` start (``! 12``), which are text whatever they look like."""
    verbatim: set[tuple[int, int]] = set()
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
            mark = event.start_mark
            if tag == "!" and isinstance(event, yaml.ScalarEvent) and mark is not None:
                verbatim.add((mark.line, mark.column))
            elif tag is not None and tag != "!":
                line, column = at(event.start_mark)
                raise FrontMatterError(
                    f"YAML tags such as '{_shown_tag(tag)}' are not allowed; remove the tag",
                    line,
                    column,
                )
    except (yaml.MarkedYAMLError, ReaderError):
        pass  # the composer below reports syntax errors with their location
    return verbatim


def _shown_tag(tag: str) -> str:
    """Show a tag as it was written: ``tag:yaml.org,2002:python/object`` as ``!!python/object``."""
    return "!!" + tag[len(_YAML) :] if tag.startswith(_YAML) else tag


class _Builder:
    """Plain Python values from a composed node tree, refusing what we do not allow."""

    def __init__(self, at: Any, verbatim: set[tuple[int, int]]) -> None:
        self.at = at
        self.verbatim = verbatim  # start marks of plain scalars tagged '!'

    def _fail(self, message: str, node: yaml.Node) -> FrontMatterError:
        line, column = self.at(node.start_mark)
        return FrontMatterError(message, line, column)

    def value(self, node: yaml.Node, depth: int) -> Any:
        """The Python value of ``node``, ``depth`` levels below the top mapping."""
        tag = node.tag
        if tag not in _IMPLICIT_TAGS:
            if tag == _MERGE and isinstance(node, yaml.ScalarNode):
                return node.value  # a plain '<<' as a value is text in YAML 1.2, not a merge
            raise self._fail(
                f"YAML tags such as '{_shown_tag(tag)}' are not allowed; remove the tag", node
            )
        if isinstance(node, yaml.ScalarNode):
            # libyaml marks plain scalars with an empty style, the pure-Python parser with None.
            if node.style or (self.verbatim and self._verbatim(node)):
                return node.value  # quoted, block or '!'-tagged scalars are always strings
            try:
                return _plain_scalar(node.value)  # plain scalar: resolve its type
            except _TooManyDigits:
                raise self._fail(
                    f"this number has more than {MAX_INT_DIGITS:,} digits; "
                    "quote it if it is meant as text",
                    node,
                ) from None
        if depth >= MAX_DEPTH:
            raise self._fail(
                f"values are nested more than {MAX_DEPTH} levels deep; "
                "front matter needs a few levels at most",
                node,
            )
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, depth + 1)
        return [self.value(item, depth + 1) for item in node.value]

    def _verbatim(self, node: yaml.Node) -> bool:
        return (node.start_mark.line, node.start_mark.column) in self.verbatim

    def mapping(self, node: yaml.MappingNode, depth: int) -> dict[str, Any]:
        """The dict of a mapping ``node``, refusing merge keys, tags and duplicates."""
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self._fail("keys must be plain names", key_node)
            if key_node.tag == _MERGE:
                raise self._fail("YAML merge keys (<<) are not allowed", key_node)
            if key_node.tag not in _IMPLICIT_TAGS:
                raise self._fail(
                    f"YAML tags such as '{_shown_tag(key_node.tag)}' are not allowed; remove the tag",
                    key_node,
                )
            key = str(key_node.value)
            if key in result:
                first = next(k for k, _ in node.value if str(k.value) == key)
                raise self._fail(
                    f"duplicate key '{key}' (first set on line {self.at(first.start_mark)[0]})",
                    key_node,
                )
            result[key] = self.value(value_node, depth)
        return result
