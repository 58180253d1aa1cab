"""Which team patterns could make the lint hang: refused before any file is read.

schema/blameless.yml is data that a pull request can change, and Python's regex
engine backtracks: ``\\b(\\w+\\s?)+\\bfault\\b`` takes exponential time on a line
of words without "fault", so one edited pattern could hang every check. Python's
``re`` has no time limit, so such patterns are refused instead, read off the
parsed pattern (the private ``re._parser``, as literals.py does):

- a repeated group that itself holds a repetition or an alternation, the shape
  of every exponential case (``(a+)+``, ``(\\w+\\s?)+``, ``(a|ab)*``): a pattern
  that repeats at most once (``(...)?``) is fine, and so is one that cannot give
  back what it took (possessive ``*+``, atomic ``(?>...)``);
- a backreference (``\\1``), which no bound on backtracking holds;
- groups nested more than MAX_NESTING deep (Python's compiler recurses on them).

The polynomial rest (``\\w+x`` is quadratic on one long word) is bounded by the
scan, which lints long lines in pieces (scan._PIECE).
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
            found = _risk_in(list(body), repeated or repeats)
        elif op is re_constants.SUBPATTERN:
            found = _risk_in(list(argument[-1]), repeated)
        elif op is re_constants.BRANCH:
            if repeated:
                return "a repeated group holds an alternation, like (a|ab)*"
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
