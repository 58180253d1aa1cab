"""Editing the taxonomy, and every postmortem that names a term: add, rename, merge, deprecate.

Every edit is located: the file's text changes only where a value changes, so
comments, key order, quoting, line endings and the Markdown body stay byte for
byte as they were. Positions in ``schema/taxonomy.yml`` come from ruamel.yaml's
round-trip parser; positions in a postmortem come from the loader that `check`
uses. Each result is parsed again before anything is written.

An edit is planned as a whole (:class:`TaxonomyEdit`, one :class:`FileEdit` per file)
and then applied file by file, each atomically, the taxonomy first: a run killed
between two files leaves postmortems that still resolve (the old id is an alias
by then), and the same command run again finishes the job, because each step
accepts the state an earlier run left.

The CLI (`postmortem taxonomy ...`) and an importer both call these functions.
"""

from __future__ import annotations

import contextlib
import difflib
import glob
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from postmortem_kb.authoring.yaml_text import yaml_scalar
from postmortem_kb.errors import ConfigurationError, UsageError
from postmortem_kb.loading.files import LoadedFile, LoadError, load_bytes
from postmortem_kb.model.kinds import KINDS, Kind, written_terms
from postmortem_kb.model.taxonomy import Taxonomy, did_you_mean, parse_taxonomy
from postmortem_kb.project.repository import Project
from postmortem_kb.writing import temporary_prefix, write_atomic

TAXONOMY_FILE = "schema/taxonomy.yml"
TERM_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# The kinds whose terms live in taxonomy.yml (tags are free-form).
TAXONOMY_KINDS = tuple(kind for kind in Kind if KINDS[kind].in_taxonomy)
# Action items name causes and lucky breaks they turn into safeguards.
_ADDRESSED_KINDS = (Kind.CAUSE, Kind.LUCKY_BREAK)


@dataclass(frozen=True)
class FileEdit:
    """One file's text before and after an edit."""

    path: Path
    shown: str  # the path as people see it (relative to the project root)
    old: str
    new: str

    def diff(self) -> str:
        """A unified diff of the change."""
        return "".join(
            difflib.unified_diff(
                self.old.splitlines(keepends=True),
                self.new.splitlines(keepends=True),
                f"a/{self.shown}",
                f"b/{self.shown}",
            )
        )


@dataclass(frozen=True)
class TaxonomyEdit:
    """A planned edit: what it does in words, and every file it changes (taxonomy first)."""

    summary: str
    files: tuple[FileEdit, ...]
    rewrites_postmortems: bool = False  # rename and merge rewrite the postmortems naming it

    @property
    def postmortems(self) -> tuple[FileEdit, ...]:
        """The postmortems it rewrites."""
        return tuple(f for f in self.files if f.shown != TAXONOMY_FILE)

    def diff(self) -> str:
        """Every file's unified diff, the taxonomy first."""
        return "".join(f.diff() for f in self.files)


def apply_edit(edit: TaxonomyEdit) -> None:
    """Write each changed file atomically, in order (the taxonomy first).

    A run killed between writing a file's temporary copy and moving it into place
    leaves that copy behind; the file is still old, so the run that finishes the
    edit rewrites it and removes what the killed run left.
    """
    for file in edit.files:
        try:
            write_atomic(file.path, file.new.encode("utf-8"))
        except OSError as exc:
            raise UsageError(f"{file.shown}: cannot write: {exc.strerror}") from None
        for left in file.path.parent.glob(f"{glob.escape(temporary_prefix(file.path))}*.tmp"):
            with contextlib.suppress(OSError):
                left.unlink()


# --- kinds and names ---


def kind_named(name: str) -> Kind:
    """The taxonomy kind called ``name`` (``causes``, ``cause``, ``lucky-breaks`` ...)."""
    wanted = name.strip().lower().replace("-", "_")
    for kind in TAXONOMY_KINDS:
        spec = KINDS[kind]
        # The group's name, its singular ("cause", "lucky break") and its plural
        # ("triggers" for the group `trigger`), with - or _ between words.
        spellings = {kind.value, spec.singular, spec.heading.lower()}
        if wanted in {s.replace(" ", "_").replace("-", "_") for s in spellings}:
            return kind
    names = ", ".join(kind.value for kind in TAXONOMY_KINDS)
    raise UsageError(f"'{name}' is not a kind of term; use one of {names}")


def check_term_id(term_id: str) -> str:
    """A term id: lowercase words joined by hyphens."""
    if not TERM_ID.match(term_id):
        raise UsageError(f"'{term_id}' is not a term id: use lowercase words joined by hyphens")
    return term_id


# --- reading taxonomy.yml with positions ---


class _Source:
    """taxonomy.yml as text and as ruamel.yaml's round-trip tree (for positions)."""

    def __init__(self, project: Project) -> None:
        self.path = project.root / TAXONOMY_FILE
        try:
            raw = self.path.read_bytes()
        except OSError as exc:
            raise ConfigurationError(f"{TAXONOMY_FILE}: cannot read: {exc.strerror}") from None
        text = raw.decode("utf-8")
        self.newline = "\r\n" if "\r\n" in text else "\n"
        self.text = text.replace("\r\n", "\n")
        self.lines = self.text.split("\n")
        from ruamel.yaml import YAML

        parser = YAML(typ="rt")
        try:
            self.tree: Any = parser.load(io.StringIO(self.text)) or {}
        except Exception as exc:  # ruamel raises many error types; all mean "not valid YAML"
            raise ConfigurationError(f"{TAXONOMY_FILE}: not valid YAML: {exc}") from None

    def group(self, kind: Kind) -> Any:
        """The round-trip mapping of ``kind``'s terms; ``None`` when taxonomy.yml has no such
        group (or is not a mapping at all)."""
        return self.tree.get(kind.value) if hasattr(self.tree, "get") else None

    def term_line(self, kind: Kind, term_id: str) -> int:
        """0-based line of the term's key."""
        return int(self.group(kind).lc.key(term_id)[0])

    def block_end(self, kind: Kind, term_id: str) -> int:
        """0-based line after the term's last line of content (blank lines and comments
        before the next term stay with the next term)."""
        start = self.term_line(kind, term_id)
        indent = len(self.lines[start]) - len(self.lines[start].lstrip())
        end = start + 1
        last = start
        while end < len(self.lines):
            line = self.lines[end]
            stripped = line.strip()
            if stripped and not stripped.startswith("#"):
                if len(line) - len(line.lstrip()) <= indent:
                    break
                last = end
            end += 1
        return last + 1

    def child_indent(self, kind: Kind, term_id: str) -> str:
        """The indent of the term's fields (``title:``...): as its first field is written, or
        the key's indent plus two spaces when it has none."""
        start = self.term_line(kind, term_id)
        for line in self.lines[start + 1 : self.block_end(kind, term_id)]:
            if line.strip() and not line.strip().startswith("#"):
                return line[: len(line) - len(line.lstrip())]
        key_indent = self.lines[start][: len(self.lines[start]) - len(self.lines[start].lstrip())]
        return key_indent + "  "

    def result(self, lines: list[str]) -> str:
        """``lines`` as the file's text again, with the file's own line endings (CRLF kept)."""
        return "\n".join(lines).replace("\n", self.newline)


def _verified(project: Project, text: str) -> Taxonomy:
    """The taxonomy ``text`` parses to, or a ConfigurationError (a bug: nothing is written)."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigurationError(f"{TAXONOMY_FILE}: the edit would not parse ({exc})") from None
    return parse_taxonomy(raw if isinstance(raw, dict) else {}, project.root / TAXONOMY_FILE)


def _taxonomy_edit(project: Project, source: _Source, lines: list[str]) -> FileEdit:
    new = source.result(lines)
    _verified(project, new.replace("\r\n", "\n"))
    return FileEdit(source.path, TAXONOMY_FILE, source.result(source.lines), new)


def _add_aliases(
    source: _Source, lines: list[str], kind: Kind, term_id: str, names: list[str]
) -> list[str]:
    """``lines`` with ``names`` added to the aliases of ``term_id`` (a located edit)."""
    entry = source.group(kind)[term_id]
    present = [str(a) for a in (entry.get("aliases") or [])] if hasattr(entry, "get") else []
    names = [n for n in dict.fromkeys(names) if n not in present]
    if not names:
        return lines
    aliases = entry.get("aliases") if hasattr(entry, "get") else None
    if aliases is not None and len(aliases) > 0 and aliases.fa.flow_style():
        line_no, col = aliases.lc.item(len(aliases) - 1)
        line = lines[line_no]
        close = line.index("]", col)
        lines[line_no] = line[:close] + "".join(f", {yaml_scalar(n)}" for n in names) + line[close:]
        return lines
    if aliases is not None and len(aliases) > 0:  # a block list: one line per new alias
        line_no, col = aliases.lc.item(len(aliases) - 1)
        dash = lines[line_no][:col].rstrip()
        prefix = lines[line_no][: len(dash) - 1] if dash.endswith("-") else " " * (col - 2)
        new_lines = [f"{prefix}- {yaml_scalar(n)}" for n in names]
        return [*lines[: line_no + 1], *new_lines, *lines[line_no + 1 :]]
    if aliases is not None:  # "aliases: []"
        line_no = entry.lc.key("aliases")[0]
        lines[line_no] = re.sub(
            r"\[\s*\]",
            "[" + ", ".join(yaml_scalar(n) for n in names) + "]",
            lines[line_no],
            count=1,
        )
        return lines
    end = source.block_end(kind, term_id)
    indent = source.child_indent(kind, term_id)
    added = f"{indent}aliases: [{', '.join(yaml_scalar(n) for n in names)}]"
    return [*lines[:end], added, *lines[end:]]


# --- add ---


def add_term(
    project: Project,
    kind: Kind,
    term_id: str,
    title: str,
    description: str,
    aliases: tuple[str, ...] = (),
) -> TaxonomyEdit:
    """Plan adding ``term_id`` to ``kind``'s group (created if missing), at its end."""
    check_term_id(term_id)
    for alias in aliases:
        check_term_id(alias)
    title, description = " ".join(title.split()), " ".join(description.split())
    if not title:
        raise UsageError("a term needs a --title")
    if not description:
        raise UsageError("a term needs a --description: one or two sentences to help pick it")
    taxonomy = project.taxonomy
    spec = KINDS[kind]
    if taxonomy.get(kind, term_id) is not None:
        raise UsageError(f"'{term_id}' is already a {spec.singular}")
    canonical = taxonomy.aliases(kind).get(term_id)
    if canonical is not None:
        raise UsageError(f"'{term_id}' is already an alias of the {spec.singular} '{canonical}'")
    for alias in aliases:
        if taxonomy.get(kind, alias) is not None or alias in taxonomy.aliases(kind):
            raise UsageError(f"the alias '{alias}' is already a {spec.singular} or an alias of one")
    source = _Source(project)
    lines = list(source.lines)
    block = [
        f"  {term_id}:",
        f"    title: {yaml_scalar(title)}",
        f"    description: {yaml_scalar(description)}",
    ]
    if aliases:
        block.append(f"    aliases: [{', '.join(yaml_scalar(a) for a in aliases)}]")
    group = source.group(kind)
    if group is None and kind.value not in (source.tree or {}):
        while lines and lines[-1] == "":
            lines.pop()
        lines += ["", f"{kind.value}:", *block, ""]
    elif group is None or len(group) == 0:
        line_no = source.tree.lc.key(kind.value)[0]
        lines[line_no] = re.sub(r":\s*(\{\s*\}|null|~)?(\s*#.*)?$", r":\2", lines[line_no])
        lines = [*lines[: line_no + 1], *block, *lines[line_no + 1 :]]
    else:
        last = list(group)[-1]
        end = source.block_end(kind, last)
        lines = [*lines[:end], *block, *lines[end:]]
    edit = _taxonomy_edit(project, source, lines)
    return TaxonomyEdit(f"added {spec.singular} '{term_id}' ({title})", (edit,))


# --- rename and merge ---


def rename_term(project: Project, kind: Kind, old: str, new: str) -> TaxonomyEdit:
    """Plan renaming ``old`` to ``new``: the old id becomes an alias, every postmortem
    that names it is rewritten. Run again after an interruption, it finishes the job."""
    check_term_id(new)
    spec = KINDS[kind]
    taxonomy = project.taxonomy
    source = _Source(project)
    lines = list(source.lines)
    if taxonomy.get(kind, old) is not None:
        if taxonomy.get(kind, new) is not None:
            raise UsageError(
                f"'{new}' is already a {spec.singular}; to fold '{old}' into it use "
                f"'postmortem taxonomy merge {kind.value} {old} {new}'"
            )
        owner = taxonomy.aliases(kind).get(new)
        if owner is not None and owner != old:
            raise UsageError(f"'{new}' is already an alias of the {spec.singular} '{owner}'")
        line_no, col = source.group(kind).lc.key(old)
        line = lines[line_no]
        match = re.match(rf"(['\"]?){re.escape(old)}\1", line[col:])
        if match is None:
            raise ConfigurationError(f"{TAXONOMY_FILE}:{line_no + 1}: cannot find the key '{old}'")
        lines[line_no] = line[:col] + new + line[col + match.end() :]
        # Add before dropping: the new alias goes after the last one, so the located
        # positions of the others (one of them may be ``new``) stay true.
        lines = _add_aliases(source, lines, kind, old, [old])
        lines = _drop_alias(source, lines, kind, old, new)
        edits = [_taxonomy_edit(project, source, lines)]
    elif taxonomy.get(kind, new) is not None and taxonomy.aliases(kind).get(old) == new:
        edits = []  # renamed already (an earlier run): only postmortems may be left
    else:
        raise UsageError(_unknown(taxonomy, kind, old))
    edits += _rewrite_postmortems(project, kind, {old: new})
    return TaxonomyEdit(
        f"renamed {spec.singular} '{old}' to '{new}' ('{old}' is now an alias)",
        tuple(edits),
        rewrites_postmortems=True,
    )


def _drop_alias(
    source: _Source, lines: list[str], kind: Kind, term_id: str, alias: str
) -> list[str]:
    """``lines`` without ``alias`` among the aliases of ``term_id`` (it becomes the id)."""
    entry = source.group(kind)[term_id]
    aliases = entry.get("aliases") if hasattr(entry, "get") else None
    if not aliases or alias not in [str(a) for a in aliases]:
        return lines
    index = [str(a) for a in aliases].index(alias)
    line_no, col = aliases.lc.item(index)
    line = lines[line_no]
    if aliases.fa.flow_style():
        match = re.match(rf"(['\"]?){re.escape(alias)}\1", line[col:])
        assert match is not None
        start, end = col, col + match.end()
        rest = line[end:]
        if rest.lstrip().startswith(","):
            end += len(rest) - len(rest.lstrip()) + 1
            end += len(line[end:]) - len(line[end:].lstrip())
        else:
            before = line[:start].rstrip()
            if before.endswith(","):
                start = len(before) - 1
        lines[line_no] = line[:start] + line[end:]
        return lines
    return [*lines[:line_no], *lines[line_no + 1 :]]


def merge_terms(project: Project, kind: Kind, source_id: str, into: str) -> TaxonomyEdit:
    """Plan folding ``source_id`` into ``into``: its entry goes, its id and aliases become
    aliases of ``into``, and every postmortem naming it is rewritten."""
    spec = KINDS[kind]
    taxonomy = project.taxonomy
    if taxonomy.get(kind, into) is None:
        raise UsageError(_unknown(taxonomy, kind, into))
    if source_id == into:
        raise UsageError("a term cannot be merged into itself")
    both = _naming_both(project, kind, source_id, into)
    if both:
        raise UsageError(
            f"nothing changed: {', '.join(both)} already name{'s' if len(both) == 1 else ''} "
            f"both '{source_id}' and '{into}' in one list; keep one entry (with both details) "
            "in each, then merge"
        )
    source = _Source(project)
    if taxonomy.get(kind, source_id) is not None:
        entry = source.group(kind)[source_id]
        moved = [source_id, *(str(a) for a in (entry.get("aliases") or []) if str(a) != into)]
        lines = list(source.lines)
        lines = _add_aliases(source, lines, kind, into, moved)
        start, end = source.term_line(kind, source_id), source.block_end(kind, source_id)
        # Lines were only added before ``start`` if ``into`` comes first: shift by that.
        shift = len(lines) - len(source.lines)
        if source.term_line(kind, into) < start:
            start, end = start + shift, end + shift
        lines = [*lines[:start], *lines[end:]]
        edits = [_taxonomy_edit(project, source, lines)]
    elif taxonomy.aliases(kind).get(source_id) == into:
        edits = []  # merged already (an earlier run): only postmortems may be left
    else:
        raise UsageError(_unknown(taxonomy, kind, source_id))
    edits += _rewrite_postmortems(project, kind, {source_id: into})
    return TaxonomyEdit(
        f"merged {spec.singular} '{source_id}' into '{into}' (its id and aliases are aliases now)",
        tuple(edits),
        rewrites_postmortems=True,
    )


def deprecate_term(
    project: Project, kind: Kind, term_id: str, replaced_by: str | None
) -> TaxonomyEdit:
    """Plan marking ``term_id`` deprecated (and naming its replacement). Postmortems keep
    it and resolve; `check` warns on each, naming the replacement."""
    spec = KINDS[kind]
    taxonomy = project.taxonomy
    term = taxonomy.get(kind, term_id)
    if term is None:
        raise UsageError(_unknown(taxonomy, kind, term_id))
    if replaced_by is not None and taxonomy.get(kind, replaced_by) is None:
        raise UsageError(_unknown(taxonomy, kind, replaced_by))
    if replaced_by == term_id:
        raise UsageError("a term cannot replace itself")
    source = _Source(project)
    entry = source.group(kind)[term_id]
    lines = list(source.lines)
    indent = source.child_indent(kind, term_id)
    set_lines: list[tuple[str, str]] = [("deprecated", "true")]
    if replaced_by is not None:
        set_lines.append(("replaced_by", yaml_scalar(replaced_by)))
    added: list[str] = []
    for key, value in set_lines:
        if hasattr(entry, "get") and key in entry:
            line_no, col = entry.lc.value(key)
            line = lines[line_no]
            old_value = re.match(r"[^#\s]+", line[col:])
            length = old_value.end() if old_value else 0
            lines[line_no] = line[:col] + value + line[col + length :]
        else:
            added.append(f"{indent}{key}: {value}")
    end = source.block_end(kind, term_id)
    lines = [*lines[:end], *added, *lines[end:]]
    edit = _taxonomy_edit(project, source, lines)
    tail = f", replaced by '{replaced_by}'" if replaced_by else ""
    return TaxonomyEdit(f"deprecated {spec.singular} '{term_id}'{tail}", (edit,))


def _unknown(taxonomy: Taxonomy, kind: Kind, name: str) -> str:
    spec = KINDS[kind]
    suggestions = taxonomy.suggest(kind, name)
    hint = did_you_mean(suggestions)
    return f"'{name}' is not a {spec.singular}{hint} (postmortem taxonomy list {kind.value})"


# --- postmortems ---


def term_uses(data: dict[str, Any], kind: Kind) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every place the front matter names a term of ``kind``: (field path, name)."""
    spec = KINDS[kind]
    for written in written_terms(spec, data.get(spec.field)):
        yield written.path, written.name
    if kind in _ADDRESSED_KINDS and isinstance(data.get("action_items"), list):
        for index, item in enumerate(data["action_items"]):
            addresses = item.get("addresses") if isinstance(item, dict) else None
            if isinstance(addresses, list):
                for position, name in enumerate(addresses):
                    if isinstance(name, str):
                        yield ("action_items", index, "addresses", position), name


def _naming_both(project: Project, kind: Kind, first: str, second: str) -> list[str]:
    """Postmortems whose list of one field names both terms: a merge would list one twice."""
    found = []
    for path in project.postmortem_files():
        raw = project.read(path)  # guarded: a FIFO or a link out of the repository is skipped
        if isinstance(raw, LoadError) or first.encode() not in raw or second.encode() not in raw:
            continue  # cheap test before parsing; `check` reports a file that cannot be read
        loaded = load_bytes(path, raw)
        if not isinstance(loaded, LoadedFile):
            continue
        lists: dict[tuple[str | int, ...], set[str]] = {}
        for field_path, name in term_uses(loaded.front_matter.data, kind):
            key = field_path[:1] if field_path[0] != "action_items" else field_path[:3]
            lists.setdefault(key, set()).add(name)
        if any({first, second} <= names for names in lists.values()):
            found.append(project.display_path(path))
    return found


def _rewrite_postmortems(project: Project, kind: Kind, renames: dict[str, str]) -> list[FileEdit]:
    edits = []
    for path in project.postmortem_files():
        raw = project.read(path)  # guarded: a FIFO or a link out of the repository is skipped
        if isinstance(raw, LoadError) or not any(old.encode() in raw for old in renames):
            continue  # cheap test before parsing; `check` reports a file that cannot be read
        loaded = load_bytes(path, raw)
        if not isinstance(loaded, LoadedFile):
            continue  # not UTF-8, or no front matter: `check` reports it
        text = raw.decode("utf-8")
        new = _rewritten(loaded, text, kind, renames)
        if new is not None and new != text:
            edits.append(FileEdit(path, project.display_path(path), text, new))
    return edits


def _rewritten(loaded: LoadedFile, text: str, kind: Kind, renames: dict[str, str]) -> str | None:
    """``text`` with each use of a renamed term replaced where the loader located it."""
    lines = text.split("\n")
    positions = loaded.front_matter.value_positions
    # Right to left on each line, so earlier columns stay valid.
    uses = sorted(
        (
            (positions[path], renames[name])
            for path, name in term_uses(loaded.front_matter.data, kind)
            if name in renames and path in positions
        ),
        key=lambda use: (use[0].line, -use[0].column),
    )
    for position, new in uses:
        index, col = position.line - 1, position.column - 1
        line = lines[index]
        old = next(
            o for o, n in renames.items() if n == new and line[col:].lstrip("'\"").startswith(o)
        )
        match = re.match(rf"(['\"]?){re.escape(old)}\1", line[col:])
        if match is None:
            raise ConfigurationError(
                f"{loaded.path.name}:{position.line}: cannot find '{old}' where it was read"
            )
        quote = match.group(1)
        lines[index] = line[:col] + f"{quote}{new}{quote}" + line[col + match.end() :]
    return "\n".join(lines)


# --- lint ---


@dataclass(frozen=True)
class LintFinding:
    """Something in the taxonomy worth a look."""

    kind: Kind
    term: str
    message: str
    code: str


def lint_taxonomy(project: Project, used: dict[Kind, set[str]] | None) -> list[LintFinding]:
    """Terms never used, terms spelled almost alike, alias collisions, an alias that is
    another term. ``used``: the terms each kind's postmortems name (None: unknown, when
    the knowledge base cannot be loaded). Reads taxonomy.yml itself, so that it also
    explains a file that `check` refuses to load."""
    path = project.root / TAXONOMY_FILE
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigurationError(f"{TAXONOMY_FILE}: cannot be read: {exc}") from None
    findings: list[LintFinding] = []
    for kind in TAXONOMY_KINDS:
        group = raw.get(kind.value) if isinstance(raw, dict) else None
        if not isinstance(group, dict):
            continue
        spec = KINDS[kind]
        ids = sorted(str(term_id) for term_id in group)
        if used is not None:
            for term_id in ids:
                entry = group.get(term_id)
                if term_id not in used.get(kind, set()) and not (
                    isinstance(entry, dict) and entry.get("deprecated")
                ):
                    findings.append(
                        LintFinding(
                            kind,
                            term_id,
                            f"{spec.singular} '{term_id}' is used by no postmortem",
                            "unused",
                        )
                    )
        for first, second in _pairs(ids):
            if difflib.SequenceMatcher(None, first, second).ratio() >= 0.85:
                findings.append(
                    LintFinding(
                        kind,
                        first,
                        f"'{first}' and '{second}' are spelled almost alike; if they mean the "
                        f"same, 'postmortem taxonomy merge {kind.value} {second} {first}'",
                        "near-duplicate",
                    )
                )
        owners: dict[str, str] = {}
        for term_id in ids:
            entry = group.get(term_id)
            aliases = entry.get("aliases") if isinstance(entry, dict) else None
            for alias in aliases if isinstance(aliases, list) else []:
                alias = str(alias)
                if alias in group:
                    findings.append(
                        LintFinding(
                            kind,
                            term_id,
                            f"the alias '{alias}' of '{term_id}' is itself a {spec.singular}",
                            "alias-is-term",
                        )
                    )
                elif alias in owners and owners[alias] != term_id:
                    findings.append(
                        LintFinding(
                            kind,
                            term_id,
                            f"the alias '{alias}' belongs to both '{owners[alias]}' and '{term_id}'",
                            "alias-collision",
                        )
                    )
                owners.setdefault(alias, term_id)
    return findings


def _pairs(ids: list[str]) -> Iterator[tuple[str, str]]:
    for index, first in enumerate(ids):
        for second in ids[index + 1 :]:
            if abs(len(first) - len(second)) <= 3:
                yield first, second
