"""The template's placeholders, and required sections left empty.

The convention (schema/template.md says it too): every piece of placeholder text
in the template is written between double angle brackets, ``<<like this>>``,
in the front matter and in the body. Guidance for the author is an HTML comment
in the body or a YAML comment in the front matter, never a placeholder, so that
a comment can stay and a placeholder cannot.

A placeholder left in a draft is a warning (a draft is work in progress); in a
postmortem under review or published it is an error. A required section whose
text is only a comment (the template's guidance) or nothing is as good as
missing, and reported where sections are required.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from postmortem_kb.loading.files import LoadedFile
from postmortem_kb.loading.markdown import code_lines
from postmortem_kb.model.findings import FieldPath, Level
from postmortem_kb.project.repository import Config
from postmortem_kb.validation.problems import Problem

# <<text>>: one line, no angle brackets inside, so "a << b" or "x >> y" in prose is no match.
PLACEHOLDER = re.compile(r"<<[^<>\n]{1,200}>>")
OPEN = "<<"
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_H1_OR_H2 = re.compile(r"^#{1,2}[ \t]+(?P<title>.+?)[ \t#]*$")
DRAFT = "draft"


def placeholder_problems(loaded: LoadedFile, config: Config) -> list[Problem]:
    """Placeholders left in the front matter and body, and empty required sections."""
    data = loaded.front_matter.data
    status = data.get("status")
    level = Level.WARNING if status == DRAFT else Level.ERROR
    problems: list[Problem] = []
    problems += _in_front_matter(data, (), level)
    if OPEN in loaded.body:
        problems += _in_body(loaded, level)
    if status in config.sections_required_for:
        problems += _empty_sections(loaded, config, str(status))
    return problems


def _message(text: str, level: Level) -> str:
    when = (
        "replace it before the status becomes review"
        if level is Level.WARNING
        else "a postmortem under review or published has none left"
    )
    return f"'{text}' is a placeholder from the template; {when}"


def _in_front_matter(value: Any, path: FieldPath, level: Level) -> Iterator[Problem]:
    if isinstance(value, str):
        if OPEN in value:
            match = PLACEHOLDER.search(value)
            if match is not None:
                yield Problem(path, _message(match.group(0), level), level, code="placeholder")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _in_front_matter(item, (*path, key), level)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _in_front_matter(item, (*path, index), level)


def _in_body(loaded: LoadedFile, level: Level) -> Iterator[Problem]:
    body = loaded.body
    # A placeholder inside a comment is guidance the author may keep: blank comments out,
    # keeping every line break so that line numbers stay right.
    visible = _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), body)
    lines = visible.split("\n")
    code = code_lines(visible, lines)
    for offset, line in enumerate(lines):
        if offset in code or OPEN not in line:
            continue
        for match in PLACEHOLDER.finditer(line):
            yield Problem(
                (),
                _message(match.group(0), level),
                level,
                code="placeholder",
                line=loaded.body_line + offset,
                column=match.start() + 1,
            )


def _empty_sections(loaded: LoadedFile, config: Config, status: str) -> Iterator[Problem]:
    required = {name.lower() for name in config.required_sections}
    lines = loaded.body.split("\n")
    code = code_lines(loaded.body, lines)
    headings = [
        (offset, match.group("title").strip())
        for offset, line in enumerate(lines)
        if offset not in code and (match := _H1_OR_H2.match(line))
    ]
    for index, (offset, title) in enumerate(headings):
        if not lines[offset].startswith("## ") or title.lower() not in required:
            continue
        end = headings[index + 1][0] if index + 1 < len(headings) else len(lines)
        text = "\n".join(lines[offset + 1 : end])
        if _COMMENT.sub("", text).strip():
            continue
        yield Problem(
            (),
            f"the '## {title}' section is empty (only the template's comment is there); "
            f"a {status} postmortem needs it written (required_sections in schema/config.yml)",
            code="empty-section",
            line=loaded.body_line + offset,
        )
