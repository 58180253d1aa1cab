"""The review summary posted on a postmortem pull request, as Markdown.

For the postmortems a branch changes: the check results, and for each one the
history the knowledge base already holds -- how often each cause recurred and
when last, action items still open from earlier incidents with the same causes
("did we fix it last time?"), lucky breaks seen before, and similar incidents
not yet linked in ``related``. Everything taken from front matter is escaped:
a title must not be able to inject Markdown, HTML or @mentions into the comment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from postmortem_kb.analysis.ledger import lucky_break_ledger
from postmortem_kb.analysis.similarity import SimilarityTarget, similar_incidents
from postmortem_kb.collection.index import ActionItemRef, Collection
from postmortem_kb.loading.files import LoadedFile, load_file
from postmortem_kb.model.findings import Finding
from postmortem_kb.model.kinds import Kind
from postmortem_kb.model.records import Postmortem
from postmortem_kb.model.taxonomy import Taxonomy
from postmortem_kb.model.timestamps import TimestampError, parse_timestamp
from postmortem_kb.project.repository import Project
from postmortem_kb.validation.checker import Checker, CheckResult
from postmortem_kb.vcs.changes import ChangeKind, ChangeSet

MARKER = "<!-- postmortem-review -->"
MAX_FINDINGS = 50
SIMILAR_LIMIT = 5
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")


# --- escaping ---


def escape(text: str) -> str:
    """Text from a postmortem, safe inside a Markdown paragraph, list item or table cell."""
    text = " ".join(str(text).split())  # no line breaks: they would end a list item or row
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return text.replace("@", "&#64;")  # no @mentions from front matter


def code(text: str) -> str:
    """An inline code span; text with a backtick cannot be one, so it is escaped instead."""
    text = " ".join(str(text).split())
    return f"`{text}`" if "`" not in text and text else escape(text)


def ordinal(n: int) -> str:
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# --- what is known about one changed postmortem ---


@dataclass(frozen=True)
class Subject:
    """A changed postmortem as far as it can be read (it may not pass check yet)."""

    id: str
    title: str
    started: datetime | None
    causes: tuple[str, ...]
    lucky_breaks: tuple[str, ...]
    related: tuple[str, ...]
    target: SimilarityTarget
    valid: bool

    @classmethod
    def from_record(cls, record: Postmortem) -> Subject:
        return cls(
            id=record.id,
            title=record.title,
            started=record.started_utc,
            causes=tuple(dict.fromkeys(ref.term for ref in record.causes)),
            lucky_breaks=tuple(dict.fromkeys(ref.term for ref in record.lucky_breaks)),
            related=record.related,
            target=SimilarityTarget.from_record(record),
            valid=True,
        )

    @classmethod
    def from_loaded(cls, loaded: LoadedFile, taxonomy: Taxonomy) -> Subject:
        """Best effort: only known taxonomy terms count (a template placeholder is not a cause)."""
        target = SimilarityTarget.from_loaded(loaded, taxonomy)
        data = loaded.front_matter.data
        started: datetime | None = None
        if isinstance(data.get("started"), str):
            try:
                started = parse_timestamp(data["started"]).astimezone(UTC)
            except TimestampError:
                started = None
        related = data.get("related")
        return cls(
            id=loaded.id,
            title=target.title or loaded.id,
            started=started,
            causes=tuple(t for t in target.causes if taxonomy.get(Kind.CAUSE, t)),
            lucky_breaks=tuple(t for t in target.lucky_breaks if taxonomy.get(Kind.LUCKY_BREAK, t)),
            related=tuple(r for r in related if isinstance(r, str))
            if isinstance(related, list)
            else (),
            target=target,
            valid=False,
        )

    def earlier(self, records: list[Postmortem]) -> list[Postmortem]:
        """Incidents that started before this one (all others when its start is unknown)."""
        return [
            r
            for r in records
            if r.id != self.id and (self.started is None or r.started_utc < self.started)
        ]


@dataclass
class Review:
    markdown: str
    check: CheckResult
    changes: ChangeSet
    subjects: list[Subject] = field(default_factory=list)


def build_review(project: Project, changes: ChangeSet, today: date | None = None) -> Review:
    today = today or datetime.now(UTC).date()
    checker = Checker(project)
    everything = checker.check()
    targets = changes.targets
    shown = {project.display_path(p) for p in targets}
    check = CheckResult(
        findings=[f for f in everything.findings if f.path in shown],
        records=[r for r in everything.records if project.display_path(r.path) in shown],
        files_checked=len(targets),
    )
    collection = Collection(everything.records, project.taxonomy)
    subjects = []
    for path in changes.changed_files:
        record = collection.by_id.get(path.stem)
        if record is not None:
            subjects.append(Subject.from_record(record))
            continue
        loaded = load_file(path, project.root, project.config.max_file_bytes)
        if isinstance(loaded, LoadedFile):
            subjects.append(Subject.from_loaded(loaded, project.taxonomy))
    lines = [MARKER, "## Postmortem review", ""]
    lines += _changes_section(changes)
    lines += _check_section(check)
    for subject in subjects:
        lines += _subject_section(subject, collection, today)
    lines += [
        "",
        "<sub>Generated by `postmortem review`. Reviewers: see the checklist in the "
        "pull request description.</sub>",
    ]
    return Review("\n".join(lines).rstrip("\n") + "\n", check, changes, subjects)


def _changes_section(changes: ChangeSet) -> list[str]:
    lines = [f"Compared with {code(changes.base)} (merge base {code(changes.merge_base[:7])})."]
    if not changes.changes:
        return [*lines, "", "No postmortems changed.", ""]
    lines.append("")
    for change in changes.changes:
        if change.kind is ChangeKind.RENAMED:
            lines.append(f"- renamed: {code(change.old_id or '')} → {code(change.id)}")
        else:
            lines.append(f"- {change.kind.value}: {code(change.id)}")
    for path in changes.affected:
        lines.append(
            f"- also checked (its `related` names a renamed or deleted id): {code(path.stem)}"
        )
    return [*lines, ""]


def _check_section(check: CheckResult) -> list[str]:
    errors, warnings = len(check.errors), len(check.warnings)
    files = f"{check.files_checked} postmortem{'s' if check.files_checked != 1 else ''}"
    if not check.findings:
        return ["### Check", "", f"✅ `postmortem check`: no problems in {files}.", ""]
    icon = "❌" if errors else "⚠️"
    lines = [
        "### Check",
        "",
        f"{icon} `postmortem check`: {errors} error{'s' if errors != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''} in {files}.",
        "",
        "| Where | Level | Problem |",
        "|---|---|---|",
    ]
    for finding in check.findings[:MAX_FINDINGS]:
        lines.append(_finding_row(finding))
    if len(check.findings) > MAX_FINDINGS:
        lines.append(
            f"| … | | and {len(check.findings) - MAX_FINDINGS} more; run `postmortem check --changed` |"
        )
    return [*lines, ""]


def _finding_row(finding: Finding) -> str:
    where = code(f"{finding.path}:{finding.line}:{finding.column}")
    problem = (
        f"{code(finding.field)}: {escape(finding.message)}"
        if finding.field
        else escape(finding.message)
    )
    return f"| {where} | {finding.level.value} | {problem} |"


def _subject_section(subject: Subject, collection: Collection, today: date) -> list[str]:
    lines = [f"### {code(subject.id)}: {escape(subject.title)}", ""]
    if not subject.valid:
        lines += [
            "_This postmortem does not pass `postmortem check` yet; the history below uses "
            "what could be read._",
            "",
        ]
    earlier = subject.earlier(collection.records)
    lines += _causes(subject, earlier, collection.taxonomy)
    lines += _open_items(subject, earlier, today)
    lines += _lucky_breaks(subject, earlier, collection)
    lines += _similar(subject, collection)
    return lines


def _causes(subject: Subject, earlier: list[Postmortem], taxonomy: Taxonomy) -> list[str]:
    if not subject.causes:
        return []
    lines = ["**Causes, and how often they recurred**", ""]
    first_time = []
    for cause in subject.causes:
        before = [r for r in earlier if any(ref.term == cause for ref in r.causes)]
        term = taxonomy.get(Kind.CAUSE, cause)
        name = f"{code(cause)} ({escape(term.title)})" if term else code(cause)
        if not before:
            first_time.append(code(cause))
            continue
        first, last = min(r.date for r in before), max(before, key=lambda r: r.started_utc)
        lines.append(
            f"- {name}: **{ordinal(len(before) + 1)} incident** with cause {code(cause)} "
            f"since {first:%Y-%m}; last {last.date.isoformat()} ({code(last.id)})"
        )
    if first_time:
        lines.append(f"- first incident with {', '.join(first_time)}")
    return [*lines, ""]


def _open_items(subject: Subject, earlier: list[Postmortem], today: date) -> list[str]:
    causes = set(subject.causes)
    refs = [
        ActionItemRef(record, item)
        for record in earlier
        if causes & {ref.term for ref in record.causes}
        for item in record.action_items
        if item.is_open
    ]
    if not refs:
        return []
    refs.sort(key=lambda ref: (ref.item.due, ref.postmortem.id, ref.item.id))
    lines = [
        "**Did we fix it last time?** Action items still open from earlier incidents "
        "with the same causes:",
        "",
    ]
    for ref in refs:
        shared = sorted(causes & {c.term for c in ref.postmortem.causes})
        overdue = " **overdue**" if ref.item.is_overdue(today) else ""
        lines.append(
            f"- {code(ref.item.id)} {escape(ref.item.title)} — {escape(ref.item.status)}, "
            f"owner {escape(ref.item.owner)}, due {ref.item.due.isoformat()}{overdue}; "
            f"from {code(ref.postmortem.id)} (cause {', '.join(code(c) for c in shared)})"
        )
    return [*lines, ""]


def _lucky_breaks(subject: Subject, earlier: list[Postmortem], collection: Collection) -> list[str]:
    seen = []
    ledger = {entry.term: entry for entry in lucky_break_ledger(collection)}
    for term in subject.lucky_breaks:
        before = [r for r in earlier if any(ref.term == term for ref in r.lucky_breaks)]
        if before:
            seen.append((term, before))
    if not seen:
        return []
    lines = ["**Lucky breaks seen before** (luck to replace with a safeguard):", ""]
    for term, before in seen:
        entry = ledger.get(term)
        status = f"; safeguard: {entry.status}" if entry is not None else ""
        last = max(before, key=lambda r: r.started_utc)
        times = "once" if len(before) == 1 else f"{len(before)} times"
        lines.append(
            f"- {code(term)}: {times} before, last {last.date.isoformat()} "
            f"({code(last.id)}){status}"
        )
    return [*lines, ""]


def _similar(subject: Subject, collection: Collection) -> list[str]:
    linked = set(subject.related) | {r.id for r in collection.backlinks(subject.id)}
    similar = [
        s
        for s in similar_incidents(collection, subject.target, SIMILAR_LIMIT + len(linked))
        if s.record.id not in linked
    ][:SIMILAR_LIMIT]
    if not similar:
        return []
    lines = ["**Similar incidents not linked in `related`:**", ""]
    for incident in similar:
        lines.append(
            f"- {code(incident.record.id)} {escape(incident.record.title)} "
            f"({escape(incident.reason)})"
        )
    return [*lines, ""]
