"""Create a new postmortem file from schema/template.md.

The template's front matter is filled by substituting the values of its
top-level keys line by line, so every comment and the body stay exactly as the
team wrote them; the result is parsed again before it is written, so a broken
template never produces a broken file. Files are written atomically and never
overwrite: a hard link from a finished temporary file claims the name or fails.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from anyascii import anyascii

from postmortem_kb.authoring.yaml_text import yaml_scalar
from postmortem_kb.errors import ConfigurationError, UsageError
from postmortem_kb.loading.files import NO_OPENING, LoadedFile, LoadError, closing_fence, load_bytes
from postmortem_kb.model.kinds import KINDS, Control, Kind
from postmortem_kb.model.taxonomy import Taxonomy, did_you_mean
from postmortem_kb.model.timestamps import TimestampError, parse_timestamp
from postmortem_kb.project.repository import Project
from postmortem_kb.writing import write_new

TEMPLATE_FILE = "schema/template.md"
MAX_SLUG = 60
MAX_UNIQUE = 99
_SLUG_PART = re.compile(r"[a-z0-9]+")
_SERVICE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_KEY_LINE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*):(?P<value>[^#\n]*?)(?P<comment>[ \t]+#.*)?$")


@dataclass(frozen=True)
class NewPostmortem:
    """What an author says about an incident before writing anything else."""

    title: str
    severity: str
    started: str  # as written, with a UTC offset
    services: tuple[str, ...]
    authors: tuple[str, ...]
    causes: tuple[str, ...] = ()
    detection: str | None = None
    lucky_breaks: tuple[str, ...] = ()
    went_well: tuple[str, ...] = ()

    @property
    def started_at(self) -> datetime:
        """The start time as an aware datetime."""
        return parse_timestamp(self.started)

    @property
    def base_id(self) -> str:
        """``YYYY-MM-DD-slug``: the UTC date the incident started and the slugged title."""
        return f"{self.started_at.astimezone(UTC).date().isoformat()}-{slugify(self.title)}"


def slugify(title: str, max_length: int = MAX_SLUG) -> str:
    """Lowercase ASCII words joined by hyphens, cut at a word boundary. A title in any
    script is transliterated (Zürich -> zurich, Яндекс -> yandeks, 東京 -> dongjing)."""
    ascii_title = anyascii(unicodedata.normalize("NFKC", title))
    words = _SLUG_PART.findall(ascii_title.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug or (words[0][:max_length] if words else "incident")


# --- checking what the author typed (the CLI re-prompts on a UsageError) ---


def check_title(value: str) -> str:
    """A one-line title of 5 to 200 characters, with runs of white space folded."""
    title = " ".join(value.split())
    if len(title) < 5:
        raise UsageError("the title needs at least 5 characters: say what users saw")
    if len(title) > 200:
        raise UsageError("the title is over 200 characters; keep it to one line")
    return title


def now_started() -> str:
    """Now, to the second, with the local UTC offset: the default start time."""
    return datetime.now().astimezone().replace(microsecond=0).isoformat()


def check_started(value: str) -> str:
    """A start time with a UTC offset, as typed; else a UsageError saying how to write it."""
    text = value.strip()
    try:
        parse_timestamp(text)
    except TimestampError as exc:
        raise UsageError(str(exc)) from None
    return text


def check_severity(value: str, allowed: tuple[str, ...]) -> str:
    """One of ``allowed`` (case-insensitive), in the schema's spelling."""
    severity = value.strip().upper()
    if severity not in allowed:
        raise UsageError(f"'{value}' is not a severity; use one of {', '.join(allowed)}")
    return severity


def split_list(value: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """``"a, b c"`` or ``("a", "b,c")`` -> ``("a", "b", "c")``, each once, in order."""
    parts = [value] if isinstance(value, str) else list(value)
    items = [item for part in parts for item in re.split(r"[,\s]+", part) if item]
    return tuple(dict.fromkeys(items))


def check_services(value: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """One or more service names, each a lowercase slug."""
    services = split_list(value)
    if not services:
        raise UsageError("name at least one service, e.g. payments-api")
    bad = [s for s in services if not _SERVICE.match(s)]
    if bad:
        raise UsageError(
            f"service names are lowercase words joined by hyphens; not {', '.join(bad)}"
        )
    return services


def check_authors(value: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """One or more authors (people or teams), separated by commas only: "Ana Lima" is one."""
    parts = [value] if isinstance(value, str) else list(value)
    items = [" ".join(item.split()) for part in parts for item in part.split(",")]
    authors = tuple(dict.fromkeys(item for item in items if item))
    if not authors:
        raise UsageError("name at least one author (a person or a team)")
    return authors


def check_terms(value: str | tuple[str, ...] | list[str], what: str) -> tuple[str, ...]:
    """Term ids (lowercase words joined by hyphens); ``what`` names them in the message."""
    terms = split_list(value)
    bad = [t for t in terms if not _SERVICE.match(t)]
    if bad:
        raise UsageError(f"{what} are lowercase words joined by hyphens; not {', '.join(bad)}")
    return terms


# --- rendering ---


def render(template: str, spec: NewPostmortem) -> str:
    """The template with its front matter filled in from ``spec`` and ``status: draft``."""
    values: dict[str, str] = {
        "title": yaml_scalar(spec.title),
        "status": "draft",
        "severity": yaml_scalar(spec.severity),
        "started": spec.started,  # already a valid timestamp; quoting it would look odd
        "authors": _flow_list(spec.authors),
        "services": _flow_list(spec.services),
    }
    if spec.detection:
        values["detection"] = spec.detection
    for key, terms in (
        ("causes", spec.causes),
        ("lucky_breaks", spec.lucky_breaks),
        ("went_well", spec.went_well),
    ):
        if terms:
            values[key] = _term_items(terms)
    newline = "\r\n" if "\r\n" in template else "\n"
    lines = template.replace("\r\n", "\n").split("\n")
    closing = closing_fence(lines)
    if closing == NO_OPENING:
        raise ConfigurationError(f"{TEMPLATE_FILE}: must start with a '---' line")
    if closing is None:
        raise ConfigurationError(f"{TEMPLATE_FILE}: its front matter has no closing '---' line")
    front = lines[1:closing]
    for key, rendered in values.items():
        front = _set_key(front, key, rendered)
    text = "\n".join(["---", *front, *lines[closing:]])
    return text.replace("\n", newline)


def _set_key(front: list[str], key: str, rendered: str) -> list[str]:
    for index, line in enumerate(front):
        match = _KEY_LINE.match(line)
        if match is None or match.group("key") != key:
            continue
        comment = match.group("comment") or ""
        block = ""
        if rendered.startswith("\n"):  # a block list: the comment stays on the key's line
            rendered, block = "", rendered
        head = f"{key}: {rendered}" if rendered else f"{key}:"
        if comment:
            # Keep the comment in its column when the new value fits in front of it.
            comment = comment.lstrip()
            column = len(line) - len(comment)
            head = head.ljust(column) if len(head) + 2 <= column else head + "  "
        end = index + 1
        # A value the template spread over more lines (a block list, a folded string) goes too.
        while end < len(front) and (front[end].startswith((" ", "\t", "- ")) or front[end] == "-"):
            end += 1
        return [*front[:index], head + comment + block, *front[end:]]
    return [*front, f"{key}: {rendered}"]


def _flow_list(values: tuple[str, ...]) -> str:
    return "[" + ", ".join(_flow_item(v) for v in values) + "]"


def _flow_item(value: str) -> str:
    """An item of a flow list: quoted when it holds a flow indicator (``x]``, ``a, b``)."""
    plain = yaml_scalar(value)
    if plain.startswith(("'", '"')) or not any(ch in plain for ch in ",[]{}#"):
        return plain
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


# The detail an author writes for each term given on the command line.
TERM_DETAIL_PLACEHOLDER = '"<<What about this mattered here.>>"'


def _term_items(terms: tuple[str, ...]) -> str:
    """A block list of ``{term, detail}`` items, the detail a placeholder to fill in."""
    return "".join(
        f"\n  - term: {yaml_scalar(term)}\n    detail: {TERM_DETAIL_PLACEHOLDER}" for term in terms
    )


def _verify(path: Path, text: str, spec: NewPostmortem) -> LoadedFile:
    loaded = load_bytes(path, text.encode("utf-8"))
    if isinstance(loaded, LoadError):
        raise ConfigurationError(
            f"{TEMPLATE_FILE}: filling it in gives a file that cannot be read "
            f"(line {loaded.line}: {loaded.message}); fix the template"
        )
    expected: dict[str, Any] = {
        "title": spec.title,
        "status": "draft",
        "severity": spec.severity,
        "started": spec.started,
        "authors": list(spec.authors),
        "services": list(spec.services),
    }
    data = loaded.front_matter.data
    if spec.causes:
        causes = data.get("causes")
        if not isinstance(causes, list) or [
            c.get("term") if isinstance(c, dict) else c for c in causes
        ] != list(spec.causes):
            expected["causes"] = list(spec.causes)
    wrong = [key for key, value in expected.items() if data.get(key) != value]
    if wrong:
        raise ConfigurationError(
            f"{TEMPLATE_FILE}: could not fill in {', '.join(wrong)}; "
            "keep each of them as a top-level 'key: value' line"
        )
    return loaded


# --- writing ---


@dataclass(frozen=True)
class Created:
    """The file `new` wrote: where, its id, and its front matter as read back."""

    path: Path
    id: str
    loaded: LoadedFile


def planned_id(project: Project, spec: NewPostmortem, unique: bool) -> str:
    """The id the new file will get: the base id, or with ``unique`` the first free -N."""
    base = spec.base_id
    if not unique:
        if _taken(project, base):
            raise UsageError(
                f"postmortems/{base}.md already exists; edit it, choose another title, "
                "or pass --unique to create "
                f"postmortems/{base}-2.md"
            )
        return base
    for candidate in _candidates(base):
        if not _taken(project, candidate):
            return candidate
    raise UsageError(f"postmortems/{base}.md and {MAX_UNIQUE - 1} numbered copies already exist")


def create_postmortem(
    project: Project, spec: NewPostmortem, unique: bool = False, postmortem_id: str | None = None
) -> Created:
    """Write the new file and return where; never overwrites an existing file.

    ``postmortem_id`` pins the id (as planned by :func:`planned_id`); otherwise the
    base id is used, or with ``unique`` the first of base, base-2, base-3... that is free.
    """
    template_path = project.root / TEMPLATE_FILE
    try:
        template = template_path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigurationError(
            f"{template_path}: cannot read the template: {exc.strerror}"
        ) from None
    text = render(template, spec)
    try:
        project.postmortems_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{project.postmortems_dir}: cannot create: {exc.strerror}") from None
    if postmortem_id is not None:
        candidates = [postmortem_id]
    else:
        candidates = _candidates(spec.base_id) if unique else [spec.base_id]
    for candidate in candidates:
        path = project.postmortems_dir / f"{candidate}.md"
        loaded = _verify(path, text, spec)
        try:
            claimed = write_new(path, text)
        except OSError as exc:  # a read-only folder, a full disk: no partial file is left
            raise UsageError(
                f"{project.display_path(path)}: cannot write: {exc.strerror}"
            ) from None
        if claimed:
            return Created(path, candidate, loaded)
    if len(candidates) == 1:
        raise UsageError(
            f"postmortems/{candidates[0]}.md already exists; edit it, choose another title, "
            f"or pass --unique to create postmortems/{spec.base_id}-2.md"
        )
    raise UsageError(
        f"postmortems/{spec.base_id}.md and {MAX_UNIQUE - 1} numbered copies already exist"
    )


def _candidates(base: str) -> list[str]:
    return [base, *(f"{base}-{n}" for n in range(2, MAX_UNIQUE + 1))]


def _taken(project: Project, postmortem_id: str) -> bool:
    path = project.postmortems_dir / f"{postmortem_id}.md"
    return path.exists() or path.is_symlink()


# --- names the taxonomy must know ---


@dataclass(frozen=True)
class UnknownName:
    """A service or term the taxonomy lacks, with the closest known ones."""

    kind: Kind
    name: str
    suggestions: tuple[str, ...]

    def message(self) -> str:
        """``'checkout-ap' is not a known service; did you mean 'checkout-api'?``"""
        spec = KINDS[self.kind]
        hint = did_you_mean(self.suggestions)
        return f"'{self.name}' is not a known {spec.singular}{hint}"


def resolve_names(
    taxonomy: Taxonomy, kind: Kind, names: tuple[str, ...]
) -> tuple[tuple[str, ...], list[UnknownName]]:
    """``names`` as canonical ids (an alias becomes its term), and those the taxonomy lacks.

    Services are free-form when taxonomy.yml has no services group.
    """
    if not KINDS[kind].in_taxonomy or (
        KINDS[kind].control is Control.IF_LISTED and not taxonomy.has_group(kind)
    ):
        return names, []
    canonical: list[str] = []
    unknown: list[UnknownName] = []
    for name in names:
        resolved = taxonomy.resolve(kind, name)
        if resolved.term is None:
            unknown.append(UnknownName(kind, name, resolved.suggestions))
            canonical.append(name)
        else:
            canonical.append(resolved.term.id)
    return tuple(dict.fromkeys(canonical)), unknown


def default_title(term_id: str) -> str:
    """A title for a term added from the command line: ``checkout-api`` -> ``Checkout api``."""
    return term_id.replace("-", " ").capitalize()
