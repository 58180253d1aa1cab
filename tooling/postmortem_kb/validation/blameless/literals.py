"""Which words a regular expression cannot match without: the lint's cheap pre-filter.

Running every phrase rule's regex over every line of every body cost more than
all other checks together. If every match of a rule contains one of a few
literal words, a substring search for those words finds the only lines worth
scanning. The words are read off the pattern as Python's own regex parser sees
it, through the private ``re._parser`` module: there is no public API for it.

If a Python release changes or removes that module, ``required_words`` answers
None ("cannot vouch for any word") and the lint scans every line: slower, never
wrong. ``tests/validation/test_blameless_literals.py`` fails loudly when that
happens, so the slowdown does not go unnoticed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

try:
    import re._constants as re_constants  # type: ignore[import-not-found]
    import re._parser as re_parser  # type: ignore[import-not-found]

    PARSER_AVAILABLE = True
except ImportError:  # pragma: no cover - a Python without these private modules
    PARSER_AVAILABLE = False

_MIN_TRIGGER = 3  # shorter literals ("to", "is") would let almost every body through


def all_known(
    word_sets: Iterable[frozenset[str] | None],
) -> tuple[frozenset[str], ...] | None:
    """The word sets, or None when any of them is unknown."""
    given = list(word_sets)
    known = tuple(words for words in given if words is not None)
    return known if len(known) == len(given) else None


def required_words(pattern: str) -> frozenset[str] | None:
    """Lower-cased literals such that every match of ``pattern`` contains one of them.

    Read off the parsed regex: a run of literal characters in the top-level sequence
    is required; a group or a repeat of at least one contributes what it requires; an
    alternation requires one of its branches'. None when nothing can be vouched for.
    """
    if not PARSER_AVAILABLE:
        return None
    try:
        parsed = re_parser.parse(pattern, re.IGNORECASE)
        return _required_in_sequence(list(parsed))
    except re.error:
        return None
    except (AttributeError, TypeError, ValueError, IndexError):
        # The private parser's shape changed under us: vouch for nothing.
        return None


def _required_in_sequence(items: list[Any]) -> frozenset[str] | None:
    candidates: list[frozenset[str]] = []
    run = ""

    def end_run() -> None:
        nonlocal run
        if len(run) >= _MIN_TRIGGER:
            candidates.append(frozenset({run.lower()}))
        run = ""

    for op, argument in items:
        if op is re_constants.LITERAL:
            run += chr(argument)
            continue
        end_run()
        if op is re_constants.SUBPATTERN:
            found = _required_in_sequence(list(argument[-1]))
        elif op in (re_constants.MAX_REPEAT, re_constants.MIN_REPEAT) and argument[0] >= 1:
            found = _required_in_sequence(list(argument[2]))
        elif op is re_constants.BRANCH:
            branches = [_required_in_sequence(list(branch)) for branch in argument[1]]
            known = all_known(branches)
            found = None if known is None else frozenset[str]().union(*known)
        else:
            found = None
        if found:
            candidates.append(found)
    end_run()
    if not candidates:
        return None
    # Any candidate is sound; the one whose shortest word is longest rejects the most bodies.
    return max(candidates, key=lambda words: min(len(w) for w in words))
