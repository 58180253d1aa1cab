"""`postmortem import`: other tools' postmortems as ours, checked, never overwriting.

For each input: read it (sources), make our postmortem of it (compose, nothing
invented), check the file exactly as `postmortem check` would, and write it
atomically under a name no file has (``write_new``). A record already imported
(the same ``source.url``, or the same ``source.id`` from the same publisher, or
for an input with neither the same file and row) is skipped, so a second run
changes nothing. Names the taxonomy lacks are reported
with the closest terms; with ``add_terms`` they are added first, through the
taxonomy commands' own edits. ``dry_run`` does all of it against a scratch copy
of schema/ and writes nothing.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from postmortem_kb.authoring import taxonomy_edit
from postmortem_kb.authoring.importing.body import template_sections
from postmortem_kb.authoring.importing.compose import Draft, Unknown, compose, file_text
from postmortem_kb.authoring.importing.mapping import Mapping, load_mapping
from postmortem_kb.authoring.importing.sources import FORMATS, SUFFIXES, SourceDocument, documents
from postmortem_kb.authoring.new import MAX_UNIQUE, default_title, slugify
from postmortem_kb.errors import UsageError
from postmortem_kb.loading.files import LoadedFile, LoadError, load_bytes
from postmortem_kb.model.findings import Finding
from postmortem_kb.model.kinds import KINDS, Kind
from postmortem_kb.model.taxonomy import did_you_mean
from postmortem_kb.model.timestamps import parse_time
from postmortem_kb.project.repository import Project
from postmortem_kb.validation.blameless import CODE as BLAMELESS
from postmortem_kb.validation.checker import Checker
from postmortem_kb.writing import write_new

Status = Literal["imported", "skipped", "failed"]
_IGNORE = "  # blameless: ignore"
# Front-matter fields that hold the source's own words: a blameless hit there is marked.
_QUOTED_FIELDS = ("title", "summary", "impact.summary")


@dataclass(frozen=True)
class Outcome:
    """What happened to one input: imported as an id, skipped (and why), or failed."""

    label: str
    status: Status
    id: str = ""
    message: str = ""
    notes: tuple[str, ...] = ()

    def line(self, dry_run: bool = False) -> str:
        """The input's one line: ``data/x.md: imported as 2017-02-28-s3-outage``."""
        if self.status == "imported":
            verb = "would import as" if dry_run else "imported as"
            notes = "".join(f"; {note}" for note in self.notes)
            return f"{self.label}: {verb} {self.id}{notes}"
        if self.status == "skipped":
            return f"{self.label}: skipped: {self.message}"
        return f"{self.label}: error: {self.message}"


@dataclass
class Unmapped:
    """A name the taxonomy lacks: how many inputs used it, the closest terms, and
    whether the run added it."""

    kind: Kind
    term: str
    written: str
    inputs: int = 0
    suggestions: tuple[str, ...] = ()
    added: bool = False


@dataclass
class ImportRun:
    """Everything `postmortem import` did, in input order."""

    format: str
    dry_run: bool
    outcomes: list[Outcome] = field(default_factory=list)
    unmapped: dict[tuple[Kind, str], Unmapped] = field(default_factory=dict)
    dropped: dict[str, int] = field(default_factory=dict)  # dropped by the mapping, on purpose

    def count(self, status: Status) -> int:
        """How many inputs ended with ``status``."""
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def exit_code(self) -> int:
        """1 when any input failed (nothing else does), else 0."""
        return 1 if self.count("failed") else 0

    def report(self) -> list[str]:
        """The lines after the inputs' own: the did-you-mean report, terms added, totals."""
        lines: list[str] = []
        added = [u for u in self.unmapped.values() if u.added]
        left = [u for u in self.unmapped.values() if not u.added]
        if left:
            lines.append(
                "not in schema/taxonomy.yml, so left out (a service fails its input); map them "
                "under values: in a mapping file, or pass --add-terms to add them:"
            )
            for u in sorted(left, key=lambda u: (u.kind.value, -u.inputs, u.term)):
                lines.append(
                    f"  {KINDS[u.kind].singular} '{u.term}' ({_inputs(u.inputs)})"
                    + did_you_mean(u.suggestions)
                )
        if added:
            verb = "would add" if self.dry_run else "added"
            names = ", ".join(f"{KINDS[u.kind].singular} '{u.term}'" for u in added)
            lines.append(f"{verb} to schema/taxonomy.yml: {names}")
        if self.dropped:
            names = ", ".join(f"{name} ({n})" for name, n in sorted(self.dropped.items()))
            lines.append(f"left out by the mapping: {names}")
        verb = "would import" if self.dry_run else "imported"
        lines.append(
            f"{verb} {self.count('imported')}, skipped {self.count('skipped')}, "
            f"failed {self.count('failed')}"
        )
        return lines


def _inputs(n: int) -> str:
    return f"{n} input{'s' if n != 1 else ''}"


def import_postmortems(
    project: Project,
    format_name: str,
    paths: list[Path],
    *,
    mapping: str | None = None,
    dry_run: bool = False,
    status: str = "draft",
    add_terms: bool = False,
) -> ImportRun:
    """Import every input of ``paths`` (files, or folders of them) in ``format_name``."""
    if format_name not in FORMATS:
        raise UsageError(f"'{format_name}' is not a format; use one of {', '.join(FORMATS)}")
    if status not in project.shape.statuses:
        raise UsageError(
            f"'{status}' is not a status; use one of {', '.join(project.shape.statuses)}"
        )
    the_mapping = load_mapping(mapping)
    inputs = _inputs_of(format_name, paths)
    run = ImportRun(format_name, dry_run)
    docs = [
        doc
        for path, shown in inputs
        for doc in documents(format_name, path, shown, _recorded(project, path, shown))
    ]
    with _working(project, dry_run) as work:
        sections = _template_sections(work)
        work, drafts = _add_unknown_terms(work, docs, the_mapping, status, sections, run, add_terms)
        _Importer(project, work, the_mapping, status, sections, run).import_all(docs, drafts)
    return run


def _inputs_of(format_name: str, paths: list[Path]) -> list[tuple[Path, str]]:
    found: list[tuple[Path, str]] = []
    for path in paths:
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SUFFIXES[format_name]
            )
            found += [(p, p.as_posix()) for p in files]
        elif path.is_file():
            found.append((path, path.as_posix()))
        else:
            raise UsageError(f"{path}: no such file or folder")
    return found


def _recorded(project: Project, path: Path, shown: str) -> str:
    """How ``source.imported_from`` names an input: from the repository root when it is
    inside, else as given."""
    try:
        return path.absolute().relative_to(project.root.absolute()).as_posix()
    except ValueError:
        return shown


@contextmanager
def _working(project: Project, dry_run: bool) -> Iterator[Project]:
    """The project terms are added to and files checked against: the real one, or for a
    dry run a scratch copy of its schema/ (nothing in the repository changes)."""
    if not dry_run:
        yield project
        return
    with tempfile.TemporaryDirectory(prefix="postmortem-import-") as scratch:
        root = Path(scratch)
        shutil.copytree(project.schema_dir, root / "schema")
        (root / "postmortems").mkdir()
        yield Project(root)


def _template_sections(work: Project) -> list[str]:
    """The body sections of schema/template.md, in order (the required ones when it
    cannot be read): read once per run, since adding terms never changes it."""
    try:
        text = (work.root / "schema" / "template.md").read_text(encoding="utf-8")
    except OSError:
        text = ""
    return template_sections(text) or list(work.config.required_sections)


def _composed(
    work: Project, document: SourceDocument, mapping: Mapping, status: str, sections: list[str]
) -> Draft:
    return compose(
        document,
        mapping,
        work.taxonomy,
        work.shape,
        status=status,
        template_sections=sections,
        required_sections=list(work.config.required_sections),
    )


def _add_unknown_terms(
    work: Project,
    docs: list[SourceDocument],
    mapping: Mapping,
    status: str,
    sections: list[str],
    run: ImportRun,
    add_terms: bool,
) -> tuple[Project, list[Draft | None] | None]:
    """Count the names the taxonomy lacks; with ``add_terms``, add each (the taxonomy
    commands' add). Returns the project as it is after, and the drafts composed on the
    way (one per document, None for one that could not be read), which still hold when
    no term was added (else None: they must be composed again with the new terms)."""
    drafts: list[Draft | None] = []
    for document in docs:
        if document.error:
            drafts.append(None)
            continue
        draft = _composed(work, document, mapping, status, sections)
        drafts.append(draft)
        for unknown in dict.fromkeys(draft.unknown):
            entry = run.unmapped.setdefault(
                (unknown.kind, unknown.term),
                Unmapped(
                    unknown.kind,
                    unknown.term,
                    unknown.written,
                    suggestions=work.taxonomy.suggest(unknown.kind, unknown.term),
                ),
            )
            entry.inputs += 1
    if not add_terms or not run.unmapped:
        return work, drafts
    for entry in run.unmapped.values():
        title = entry.written if entry.written != entry.written.lower() else ""
        try:
            edit = taxonomy_edit.add_term(
                work,
                entry.kind,
                entry.term,
                title or default_title(entry.term),
                f"Added by postmortem import for '{entry.written}' ({run.format}); "
                "say when to pick it.",
            )
        except UsageError:
            continue  # an alias or a bad id after all: the input reports it
        taxonomy_edit.apply_edit(edit)
        entry.added = True
        work = Project(work.root)  # the taxonomy is read again, with the new term
    added = any(entry.added for entry in run.unmapped.values())
    return work, None if added else drafts


class _Importer:
    """The second pass: compose with the final taxonomy, check, skip known, write."""

    def __init__(
        self,
        project: Project,
        work: Project,
        mapping: Mapping,
        status: str,
        sections: list[str],
        run: ImportRun,
    ) -> None:
        self.project = project  # where files are written
        self.work = work  # whose taxonomy they are checked against
        self.mapping = mapping
        self.status = status
        self.sections = sections
        self.run = run
        self.checker = Checker(work)
        self.existing = {p.stem for p in project.postmortem_files()}
        self.known = _known_sources(project)

    def import_all(
        self, docs: list[SourceDocument], drafts: list[Draft | None] | None = None
    ) -> None:
        """Import ``docs`` in order, one outcome each appended to ``run.outcomes``;
        ``drafts``: those composed already with this taxonomy, one per document."""
        for index, document in enumerate(docs):
            self.run.outcomes.append(self.one(document, drafts[index] if drafts else None))

    def one(self, document: SourceDocument, draft: Draft | None = None) -> Outcome:
        """What becomes of one document: ``failed`` (unreadable, not composed, an unknown
        service, it would not pass check, or no free file name), ``skipped`` (imported
        before), or ``imported`` (other kinds' unknown terms left out, with a note)."""
        if document.error:
            return Outcome(document.label, "failed", message=document.error)
        if draft is None:
            draft = _composed(self.work, document, self.mapping, self.status, self.sections)
        for name in draft.dropped:
            self.run.dropped[name] = self.run.dropped.get(name, 0) + 1
        if draft.error:
            return Outcome(document.label, "failed", message=draft.error)
        services = [u for u in draft.unknown if u.kind is Kind.SERVICE]
        if services:
            return Outcome(
                document.label, "failed", message=_unknown_service(services[0], self.run)
            )
        notes = list(draft.notes)
        left_out = [u for u in draft.unknown if u.kind is not Kind.SERVICE]
        if left_out:
            names = ", ".join(f"{KINDS[u.kind].singular} '{u.written}'" for u in left_out)
            notes.append(f"not in the taxonomy, left out: {names}")
        already = self._already(draft)
        if already is not None:
            return Outcome(document.label, "skipped", message=already)
        return self._check_and_write(document, draft, notes)

    def _already(self, draft: Draft) -> str | None:
        source = draft.data["source"]
        url = source.get("url")
        if url and _url_key(url) in self.known:
            return f"already imported as {self.known[_url_key(url)]} (the same source.url)"
        if source.get("id"):
            key = _id_key(source.get("publisher", ""), source["id"])
            if key in self.known:
                return f"already imported as {self.known[key]} (the same source.id)"
        elif not url and _from_key(source["imported_from"]) in self.known:
            key = _from_key(source["imported_from"])
            return f"already imported as {self.known[key]} (from the same input)"
        return None

    def _check_and_write(self, document: SourceDocument, draft: Draft, notes: list[str]) -> Outcome:
        base = f"{parse_time(draft.data['started']).id_date}-{slugify(draft.data['title'])}"
        candidates = [base, *(f"{base}-{n}" for n in range(2, MAX_UNIQUE + 1))]
        text = file_text(draft)
        for candidate in candidates:
            if candidate in self.existing:
                continue
            path = self.project.postmortems_dir / f"{candidate}.md"
            text, findings = self._checked(path, text, candidate)
            problems = [f for f in findings if f.is_error] or findings  # warnings fail --strict
            if problems:
                first = problems[0]
                where = f"{first.field}: " if first.field else ""
                return Outcome(
                    document.label,
                    "failed",
                    message=f"the postmortem would not pass check: {where}{first.message}",
                )
            if not self.run.dry_run and not self._write(path, text):
                continue  # the name was taken a moment ago: the next one
            self.existing.add(candidate)
            self._remember(draft, candidate)
            return Outcome(document.label, "imported", candidate, notes=tuple(notes))
        return Outcome(
            document.label,
            "failed",
            message=f"postmortems/{base}.md and its numbered names are taken",
        )

    def _checked(self, path: Path, text: str, candidate: str) -> tuple[str, list[Finding]]:
        """``text`` checked as the file ``path``; the source's own words in the front
        matter that the blameless lint flags are marked ``# blameless: ignore``."""
        known = self.existing | {candidate}
        findings, _ = self.checker.check_bytes(path, text.encode("utf-8"), known)
        quoted = [f for f in findings if f.code == BLAMELESS and f.field in _QUOTED_FIELDS]
        if not quoted:
            return text, findings
        lines = text.split("\n")
        for line in sorted({f.line for f in quoted}):
            lines[line - 1] += _IGNORE
        text = "\n".join(lines)
        findings, _ = self.checker.check_bytes(path, text.encode("utf-8"), known)
        return text, findings

    def _write(self, path: Path, text: str) -> bool:
        try:
            self.project.postmortems_dir.mkdir(parents=True, exist_ok=True)
            return write_new(path, text)
        except OSError as exc:
            raise UsageError(
                f"{self.project.display_path(path)}: cannot write: {exc.strerror}"
            ) from None

    def _remember(self, draft: Draft, postmortem_id: str) -> None:
        source = draft.data["source"]
        if source.get("url"):
            self.known[_url_key(source["url"])] = postmortem_id
        if source.get("id"):
            self.known[_id_key(source.get("publisher", ""), source["id"])] = postmortem_id
        if not source.get("url") and not source.get("id"):
            self.known[_from_key(source["imported_from"])] = postmortem_id


def _unknown_service(unknown: Unknown, run: ImportRun) -> str:
    entry = run.unmapped.get((unknown.kind, unknown.term))
    hint = did_you_mean(entry.suggestions) if entry is not None else ""
    return (
        f"'{unknown.term}' is not a known service{hint} (map it under values: services: in "
        "the mapping, or pass --add-terms to add it)"
    )


def _url_key(url: str) -> str:
    head, sep, rest = url.partition("://")
    host, slash, path = rest.partition("/")
    return f"url:{head.lower()}{sep}{host.lower()}{slash}{path}".rstrip("/")


def _id_key(publisher: str, own_id: str) -> str:
    return f"id:{publisher.casefold()}\x00{own_id}"


def _from_key(imported_from: str) -> str:
    """For an input with neither a URL nor an id of its own: the file (and row) it came from."""
    return f"from:{imported_from}"


def _known_sources(project: Project) -> dict[str, str]:
    """``source.url`` and ``source.id`` of every postmortem already there -> its id."""
    known: dict[str, str] = {}
    for path in project.postmortem_files():
        raw = project.read(path)  # guarded: a FIFO or a link out of the repository is skipped
        if isinstance(raw, LoadError) or b"source:" not in raw:
            continue  # cheap: most postmortems were not imported
        loaded = load_bytes(path, raw)
        if not isinstance(loaded, LoadedFile):
            continue
        source = loaded.front_matter.data.get("source")
        if not isinstance(source, dict):
            continue
        if isinstance(source.get("url"), str):
            known.setdefault(_url_key(source["url"]), path.stem)
        if isinstance(source.get("id"), str):
            publisher = source.get("publisher") if isinstance(source.get("publisher"), str) else ""
            known.setdefault(_id_key(str(publisher), source["id"]), path.stem)
        if isinstance(source.get("imported_from"), str):
            known.setdefault(_from_key(source["imported_from"]), path.stem)
    return known
