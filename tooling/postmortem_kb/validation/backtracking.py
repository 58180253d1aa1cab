"""Which team patterns could make a check hang: refused before any file is read.

schema/blameless.yml and the schema's ``pattern``s are data that a pull request
can change, and regex engines that backtrack (Python's, and regress) do: ``\\b(\\w+\\s?)+\\bfault\\b`` takes exponential time on a line
of words without "fault", so one edited pattern could hang every check. Python's
``re`` has no time limit, so such patterns are refused instead, read off the
parsed pattern (the private ``re._parser``, as literals.py does):

- a repeated group that itself holds a repetition or an alternation, the shape
  of every exponential case (``(a+)+``, ``(\\w+\\s?)+``, ``(a|aa)*``): a pattern
  that repeats at most once (``(...)?``) is fine, and so is one that cannot give
  back what it took (possessive ``*+``, atomic ``(?>...)``), and one whose every
  round starts with a character nothing inside it matches (``(-[a-z0-9]+)*``:
  the text splits into rounds one way only);
- a backreference (``\\1``), which no bound on backtracking holds;
- groups nested more than MAX_NESTING deep (Python's compiler recurses on them).

The polynomial rest (``\\w+x`` is quadratic on one long word) is bounded by the
blameless scan, which lints long lines in pieces (scan._PIECE), and by the
schema's own maxLength where it sets one.
"""

from __future__ import annotations

import re
from typing import Any

try:
    import re._constants as re_constants  # type: ignore[import-not-found]
    import re._parser as re_parser  # type: ignore[import-not-found]

    PARSER_AVAILABLE = True
except ImportError:  # pragma: no cover - a Python without these private modules
    PARSER_AVAILABLE = False

MAX_NESTING = 20


def backtracking_risk(pattern: str) -> str | None:
    """Why ``pattern`` could take exponential time, or None when it cannot.

    ``pattern`` must already compile with ``re``.
    """
    if _nesting(pattern) > MAX_NESTING:
        return f"its groups are nested more than {MAX_NESTING} deep"
    if not PARSER_AVAILABLE:  # pragma: no cover
        return "this Python cannot inspect regular expressions; write the rule as a phrase"
    try:
        parsed = list(re_parser.parse(pattern, re.IGNORECASE))
        return _risk_in(parsed, repeated=False)
    except (re.error, RecursionError):
        return "it cannot be inspected"
    except (AttributeError, TypeError, ValueError, IndexError):  # pragma: no cover
        return "this Python's regular expression parser changed; write the rule as a phrase"


def _nesting(pattern: str) -> int:
    """How deep the pattern's parentheses nest (escapes and character classes skipped)."""
    depth = deepest = 0
    escaped = in_class = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif char == ")":
            depth = max(0, depth - 1)
    return deepest


def _unwrapped(items: list[Any]) -> list[Any]:
    """The sequence inside a body that is one group: ``(-[a-z]+)`` -> ``-[a-z]+``."""
    while len(items) == 1 and items[0][0] is re_constants.SUBPATTERN:
        items = list(items[0][1][-1])
    return items


def _separated(items: list[Any]) -> bool:
    """Whether a repeated body starts with a literal that nothing repeated inside it can
    match: then its repetitions cannot trade characters with one another."""
    if not items or items[0][0] is not re_constants.LITERAL:
        return False
    char = chr(items[0][1]).lower()
    return not _may_match(items[1:], char)


def _may_match(items: list[Any], char: str) -> bool:
    """Whether anything in ``items`` might match ``char`` (True when unsure)."""
    for op, argument in items:
        if op is re_constants.LITERAL:
            if chr(argument).lower() == char:
                return True
        elif op is re_constants.IN:
            if _class_may_match(argument, char):
                return True
        elif op in (re_constants.MAX_REPEAT, re_constants.MIN_REPEAT):
            if _may_match(list(argument[2]), char):
                return True
        elif op is re_constants.SUBPATTERN:
            if _may_match(list(argument[-1]), char):
                return True
        elif op is re_constants.BRANCH:
            if any(_may_match(list(branch), char) for branch in argument[1]):
                return True
        elif op is not re_constants.AT:  # anchors match no character; anything else might
            return True
    return False


_CATEGORIES = {
    "CATEGORY_DIGIT": str.isdigit,
    "CATEGORY_WORD": lambda c: c.isalnum() or c == "_",
    "CATEGORY_SPACE": str.isspace,
}


def _class_may_match(entries: list[Any], char: str) -> bool:
    for op, argument in entries:
        if op is re_constants.LITERAL and chr(argument).lower() == char:
            return True
        if op is re_constants.RANGE and (
            argument[0] <= ord(char) <= argument[1]
            or argument[0] <= ord(char.upper()) <= argument[1]
        ):
            return True
        if op is re_constants.CATEGORY:
            test = _CATEGORIES.get(str(argument))
            if test is None or test(char):
                return True
        if op not in (re_constants.LITERAL, re_constants.RANGE, re_constants.CATEGORY):
            return True  # a negated class, say: it might
    return False


def _risk_in(items: list[Any], repeated: bool) -> str | None:
    """The risk in a parsed sequence; ``repeated``: it is inside a repeated group."""
    for op, argument in items:
        if op is re_constants.GROUPREF or op is re_constants.GROUPREF_EXISTS:
            return "it uses a backreference"
        if op in (re_constants.MAX_REPEAT, re_constants.MIN_REPEAT):
            _low, high, body = argument
            repeats = high is re_constants.MAXREPEAT or high > 1
            if repeats and repeated:
                return "a repeated group holds another repetition, like (a+)+"
            items = _unwrapped(list(body))
            if repeats and _separated(items):
                # `(-[a-z0-9]+)*`: each round starts with a character nothing inside can
                # match, so there is one way to split the text into rounds.
                found = _risk_in(items[1:], repeated=False)
            else:
                found = _risk_in(items, repeated or repeats)
        elif op is re_constants.SUBPATTERN:
            found = _risk_in(list(argument[-1]), repeated)
        elif op is re_constants.BRANCH:
            if repeated:
                return "a repeated group holds an alternation, like (a|aa)*"
            found = None
            for branch in argument[1]:
                found = found or _risk_in(list(branch), repeated)
        elif op in (re_constants.ASSERT, re_constants.ASSERT_NOT):
            found = _risk_in(list(argument[1]), repeated)
        else:  # literals, classes, anchors; possessive repeats and atomic groups give nothing back
            found = None
        if found:
            return found
    return None
