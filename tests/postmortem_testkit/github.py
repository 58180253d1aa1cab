"""How the GitHub Actions runner reads a step's output: which lines are workflow commands.

A stricter reading than actions/runner's ``ActionCommand.TryParseV2`` / ``TryParse``:
the runner obeys only command names it knows, this counts any name, so a test that finds
no command here finds none the runner would obey.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# The runner reads output line by line; .NET's ReadLine ends a line at \n, \r or \r\n.
LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class WorkflowCommand:
    """One command as the runner would parse it, properties and data unescaped."""

    syntax: str  # "::" or "##["
    name: str
    properties: dict[str, str] = field(default_factory=dict)
    data: str = ""


def _unescape_data(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def _unescape_property(text: str) -> str:
    return (
        text.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
    )


def parse_line(line: str) -> WorkflowCommand | None:
    """The command ``line`` holds for the runner, if any: ``::`` first, then ``##[``."""
    trimmed = line.lstrip()  # .NET TrimStart: Unicode white space, not U+200B
    if trimmed.startswith("::"):
        end = trimmed.find("::", 2)
        if end > 2:
            info = trimmed[2:end]
            name, _, props = info.partition(" ")
            properties = {}
            for pair in props.strip().split(","):
                key, sep, value = pair.partition("=")
                if sep and key:
                    properties[key] = _unescape_property(value)
            return WorkflowCommand("::", name, properties, _unescape_data(trimmed[end + 2 :]))
    start = line.find("##[")
    if start >= 0:
        end = line.find("]", start)
        if end > start + 3:
            name = line[start + 3 : end].split(" ")[0]
            return WorkflowCommand("##[", name, {}, line[end + 1 :])
    return None


def workflow_commands(output: str) -> list[WorkflowCommand]:
    """Every workflow command in ``output``, in order."""
    found = [parse_line(line) for line in LINE_BREAK.split(output)]
    return [command for command in found if command is not None]
