"""The body of an imported postmortem: the template's sections, the source's words quoted.

The source's text is split at its headings; each part whose heading names a
template section (directly, through the mapping's ``sections`` or the usual
synonyms: "Root cause" is Contributing factors, "Resolution" is Timeline) goes
under that section, the rest under "Original write-up" with its own heading kept.
Every line of the source is a Markdown block quote: the words are the original
author's, and the blameless lint does not lint quoted text. Raw HTML in it is
shown as text (``<`` is written ``&lt;``), and ``<<`` cannot pass for a template
placeholder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from postmortem_kb.authoring.importing.mapping import Mapping
from postmortem_kb.loading.markdown import fenced_lines

ORIGINAL = "Original write-up"
NOT_IN_SOURCE = "_Not in the original write-up._"
_HEADING = re.compile(r"^(?P<hashes>#{1,6})[ \t]+(?P<title>.+?)[ \t#]*$")


@dataclass(frozen=True)
class Part:
    """A run of the source's text under one of its headings (None: before any)."""

    heading: str | None
    text: str


def split_parts(body: str) -> list[Part]:
    """The source's body cut at its headings of the two highest levels it uses."""
    lines = body.split("\n")
    code = fenced_lines(lines)
    levels = sorted(
        {
            len(m.group("hashes"))
            for i, line in enumerate(lines)
            if i not in code and (m := _HEADING.match(line))
        }
    )[:2]
    parts: list[Part] = []
    heading: str | None = None
    current: list[str] = []
    for index, line in enumerate(lines):
        match = _HEADING.match(line) if index not in code else None
        if match and len(match.group("hashes")) in levels:
            parts.append(Part(heading, "\n".join(current).strip("\n")))
            heading, current = match.group("title"), []
        else:
            current.append(line)
    parts.append(Part(heading, "\n".join(current).strip("\n")))
    return [p for p in parts if p.text.strip() or p.heading is not None]


def quoted(text: str) -> str:
    """``text`` as a Markdown block quote, each line ``> ``, shown as text."""
    safe = text.replace("<", "&lt;")  # no raw HTML, and no "<<" to pass for a placeholder
    return "\n".join(f"> {line}".rstrip() for line in safe.strip("\n").split("\n"))


def first_paragraph(text: str) -> str:
    """The first paragraph of prose in ``text`` (no heading, list or fence), one line."""
    for block in re.split(r"\n\s*\n", text):
        lines = [ln for ln in block.split("\n") if ln.strip()]
        if not lines or lines[0].lstrip().startswith(("#", "```", "~~~", "|", "<")):
            continue
        words = " ".join(" ".join(ln.strip().lstrip("-*> ").split()) for ln in lines)
        if words:
            return words
    return ""


def compose_body(
    parts: list[Part],
    mapping: Mapping,
    template_sections: list[str],
    required: list[str],
    intro: str,
) -> str:
    """The imported postmortem's body: ``intro``, then each template section that got
    text, and each ``required`` one that got none with a note saying so, then the
    source's other parts under "Original write-up"."""
    placed: dict[str, list[str]] = {}
    rest: list[Part] = []
    for part in parts:
        ours = mapping.section_for(part.heading) if part.heading is not None else None
        if part.heading is None and part.text.strip():
            ours = "Summary" if "Summary" in template_sections else None
        if ours is not None and ours in template_sections:
            placed.setdefault(ours, []).append(part.text)
        else:
            rest.append(part)
    out = [intro, ""] if intro else []
    required_lower = {r.lower() for r in required}
    for section in template_sections:
        texts = [t for t in placed.get(section, []) if t.strip()]
        if texts:
            out += [f"## {section}", "", "\n>\n".join(quoted(t) for t in texts), ""]
        elif section.lower() in required_lower:
            out += [f"## {section}", "", NOT_IN_SOURCE, ""]
    if rest:
        out += [f"## {ORIGINAL}", ""]
        quotes = []
        for part in rest:
            lines = [f"**{part.heading}**"] if part.heading else []
            if part.text.strip():
                lines += ["", part.text] if lines else [part.text]
            quotes.append(quoted("\n".join(lines)))
        out += ["\n>\n".join(quotes), ""]
    return "\n".join(out)


def template_sections(template: str) -> list[str]:
    """The H2 headings of schema/template.md's body, in order."""
    lines = template.replace("\r\n", "\n").split("\n")
    in_front = bool(lines) and lines[0].strip() == "---"
    sections = []
    for index, line in enumerate(lines):
        if in_front:
            if index > 0 and line.strip() == "---":
                in_front = False
            continue
        match = re.match(r"^##[ \t]+(.+?)[ \t#]*$", line)
        if match:
            sections.append(match.group(1))
    return sections
