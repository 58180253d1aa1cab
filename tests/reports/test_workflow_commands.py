"""Workflow commands: our annotations stay commands, nothing else reads as one.

The reading of the output is the runner's (``postmortem_testkit.github``), stricter
than the runner itself: any command name counts.
"""

from __future__ import annotations

import json

import pytest

from postmortem_kb.reports.workflow_commands import (
    BREAK,
    CommandGuard,
    annotation,
    neutral_json,
    neutralize,
    split_lines,
)
from postmortem_testkit.github import WorkflowCommand, workflow_commands

# What a file name, field name or taxonomy entry could hold to command the runner.
ATTACKS = [
    "::error file=a.md,line=1::forged",
    "  \t::add-mask::secret",
    "x\n::warning::after a newline",
    "x\r::set-output name=a::after a carriage return",
    "x\r\n::stop-commands::token",
    "##[add-mask]secret",
    "text then ##[set-output name=a;]value",
    "###[error]three hashes",
    "##[##[error]]nested",
    "::",
    "::::",
    ":: ::",
]


@pytest.mark.parametrize("text", ATTACKS)
def test_neutralized_text_holds_no_command(text: str) -> None:
    safe = neutralize(text)
    assert workflow_commands(safe) == []
    # The text reads the same: only zero-width spaces were added, and the lines stay.
    assert safe.replace(BREAK, "") == text


def test_neutralize_leaves_ordinary_text_alone() -> None:
    text = "postmortems/a.md:3:1: error: title: 'x::y' is too short\nchecked 1 postmortem\n"
    assert neutralize(text) == text


@pytest.mark.parametrize("text", ATTACKS)
def test_the_guard_is_safe_however_the_text_is_cut(text: str) -> None:
    # Every way of writing the text in two or three pieces, with a flush between
    # pieces (a prompt) or not.
    for first in range(len(text) + 1):
        for second in range(first, len(text) + 1):
            for flush in (False, True):
                guard = CommandGuard()
                out = ""
                for piece in (text[:first], text[first:second], text[second:]):
                    out += guard.feed(piece)
                    if flush:
                        out += guard.flush()
                out += guard.flush()
                assert workflow_commands(out) == [], (first, second, flush, out)
                assert out.replace(BREAK, "") == text


def test_the_guard_holds_back_only_what_could_become_a_command() -> None:
    guard = CommandGuard()
    assert guard.feed("checked 2 postmortems\nnext ") == "checked 2 postmortems\nnext "
    assert guard.feed("line #") == "line "  # "#" may become "##["
    assert guard.feed("1\n") == "#1\n"
    assert guard.feed("  :") == ""  # may become "::" at the start of a line
    assert guard.feed(":warning::x\n") == f"  :{BREAK}:warning::x\n"


def test_annotation_round_trips_through_the_runner() -> None:
    message = "postmortems/a\n::warning::x.md:1:1: error: 100% ##[add-mask]s"
    line = annotation("error", [("file", "postmortems/a\n::b,c.md"), ("line", "1")], message)
    assert split_lines(line) == [line]  # one line, whatever the values hold
    assert workflow_commands(line) == [
        WorkflowCommand(
            "::",
            "error",
            {"file": "postmortems/a\n::b,c.md", "line": "1"},
            message.replace("##[", f"#{BREAK}#["),
        )
    ]


def test_json_keeps_its_data_and_loses_the_old_syntax() -> None:
    data = {"title": "##[add-mask]secret", "path": "a ###[b"}
    text = neutral_json(json.dumps(data, indent=2))
    assert "##[" not in text
    assert json.loads(text) == data
