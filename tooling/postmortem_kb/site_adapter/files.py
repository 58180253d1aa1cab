"""A generated page as a Markdown file that a Python-Markdown-based generator renders.

The plugin hands MkDocs a page's Markdown and wraps the rendered result in the
page's generated HTML. A file has to hold both at once: the generated parts as
raw HTML, and the author's Markdown (a postmortem's body, the home page's text)
inside the elements that enclose it, marked ``markdown="1"`` so that the
``md_in_html`` extension renders it there. Markdown outside any element (the
home page's text) stays plain Markdown.

Links in a file's HTML name other files of the docs folder, relative to it
(urls.SourceLinker), as a Markdown link would; the generator turns them into
page URLs. Zensical does that in raw HTML as well; MkDocs does not, which is
why MkDocs builds these pages through the plugin, never from the files.
"""

from __future__ import annotations

import re

from postmortem_kb.pages import GeneratedPage

# Where the author's Markdown goes. Generated text is HTML-escaped, so this
# comment can only appear where a page's render function put the rendered Markdown.
BODY_SLOT = "<!-- postmortem-kb: the author's Markdown -->"

# YAML front matter as MkDocs reads it: a first line of ---, up to --- or ... .
_FRONT_MATTER = re.compile(r"\A(-{3}[ \t]*\n.*?\n(?:-{3}|\.{3})[ \t]*\n)", re.S)

_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)


def split_front_matter(document: str) -> tuple[str, str]:
    """``document`` as its front matter block (``""`` if none) and the Markdown after it."""
    match = _FRONT_MATTER.match(document)
    if match is None:
        return "", document
    return match.group(1), document[match.end() :]


def page_file(page: GeneratedPage, document: str | None = None) -> str:
    """``page`` as one Markdown file. ``document`` is the Markdown the page is rendered
    from when it is not the page's own (the hand-written site/index.md for the home page)."""
    front, body = split_front_matter(page.markdown if document is None else document)
    if document is None:
        front = _without_generator_search(front)
    if front:
        front += "\n"
    if not body.strip():
        return _ending(front + page.render(""))
    html = page.render(BODY_SLOT)
    if BODY_SLOT not in html:
        return _ending(front + html)
    return _ending(front + markdown_inside(html, BODY_SLOT, body))


def _without_generator_search(front: str) -> str:
    # Site search is Pagefind: the generator's own index is removed after the build
    # (`postmortem site index`), and Zensical fails on pages too big for it (the action
    # items page at 2,000 postmortems), so generated pages stay out of it.
    closing = front.rstrip("\n").rsplit("\n", 1)[-1] + "\n"
    return front[: -len(closing)] + "search:\n  exclude: true\n" + closing


def markdown_inside(html: str, slot: str, markdown: str) -> str:
    """``html`` with ``markdown`` in place of ``slot``, each element around the slot
    marked ``markdown="1"`` so that md_in_html renders the Markdown where it stands."""
    at = html.index(slot)
    enclosing = _open_elements(html[:at])
    parts = []
    start = 0
    for end in enclosing:  # in document order
        parts.append(html[start:end])
        parts.append(' markdown="1"')
        start = end
    parts.append(html[start:at])
    # Blank lines around it: Markdown blocks must not run into the HTML lines around.
    parts.append("\n\n" + markdown.strip("\n") + "\n\n")
    parts.append(html[at + len(slot) :])
    return "".join(parts)


def _ending(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"


def _open_elements(html: str) -> list[int]:
    """Where to add an attribute to each element still open at the end of ``html``:
    the offset of its start tag's closing ``>``."""
    stack: list[tuple[str, int]] = []
    for match in _TAG.finditer(html):
        closing, name, end = match.group(1), match.group(2).lower(), match.end() - 1
        if closing:
            for index in range(len(stack) - 1, -1, -1):
                if stack[index][0] == name:
                    del stack[index:]
                    break
        elif name not in _VOID and not match.group(0).endswith("/>"):
            stack.append((name, end))
    return [end for _name, end in stack]


# A tag of the generated HTML before the slot: every value in it is escaped, so no
# ">" appears inside an attribute, and it holds no comments (an HTML parser was
# several times slower here, and this runs once per postmortem).
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^>]*>")
