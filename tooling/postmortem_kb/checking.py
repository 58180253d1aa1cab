"""Load and validate postmortems: the one pipeline behind `postmortem check`,
the MkDocs plugin, search and analysis, so they can never disagree."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from postmortem_kb.findings import FieldPath, Finding, Level, format_field
from postmortem_kb.frontmatter_yaml import Position
from postmortem_kb.loading import LoadedFile, LoadError, load_file
from postmortem_kb.project import Project
from postmortem_kb.records import Postmortem, build_record
from postmortem_kb.validation.problems import Problem
from postmortem_kb.validation.rules import record_problems
from postmortem_kb.validation.schema_check import SchemaChecker


@dataclass
class CheckResult:
    findings: list[Finding] = field(default_factory=list)
    records: list[Postmortem] = field(default_factory=list)
    files_checked: int = 0

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.is_error]

    def exit_code(self, strict: bool = False) -> int:
        failing = self.findings if strict else self.errors
        return 1 if failing else 0


class Checker:
    """Checks files of one project against its schema, taxonomy and config."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.schema = SchemaChecker(project.schema)
        self.taxonomy = project.taxonomy
        self.config = project.config

    def check(self, paths: Iterable[Path] | None = None) -> CheckResult:
        """Check ``paths`` (default: every postmortem) against the whole collection.

        Cross-record rules need every id in postmortems/, even when one file is checked.
        """
        all_files = self.project.postmortem_files()
        targets = list(paths) if paths is not None else all_files
        known_ids = {p.stem for p in all_files} | {p.stem for p in targets}
        result = CheckResult()
        for path in targets:
            findings, record = self.check_file(path, known_ids)
            result.findings.extend(findings)
            if record is not None:
                result.records.append(record)
            result.files_checked += 1
        return result

    def check_file(
        self, path: Path, known_ids: set[str]
    ) -> tuple[list[Finding], Postmortem | None]:
        shown = self.project.display_path(path)
        loaded = load_file(path, self.project.root, self.config.max_file_bytes)
        if isinstance(loaded, LoadError):
            return [
                Finding(shown, loaded.line, loaded.column, Level.ERROR, "", loaded.message, "load")
            ], None
        problems = self.schema.problems(loaded.front_matter.data)
        errored = {p.field for p in problems}
        problems += record_problems(loaded, self.taxonomy, self.config, known_ids, errored)
        findings = sorted(_locate(shown, loaded, p) for p in problems)
        if any(f.is_error for f in findings):
            return findings, None
        return findings, build_record(loaded, self.taxonomy)


def _locate(shown: str, loaded: LoadedFile, problem: Problem) -> Finding:
    position = _position(loaded, problem)
    return Finding(
        shown,
        position.line,
        position.column,
        problem.level,
        format_field(problem.field),
        problem.message,
        problem.code,
    )


def _position(loaded: LoadedFile, problem: Problem) -> Position:
    if problem.line is not None:
        return Position(problem.line, 1)
    fm = loaded.front_matter
    if problem.at_key and problem.field in fm.key_positions:
        return fm.key_positions[problem.field]
    path: FieldPath = problem.field
    while path:
        if path in fm.value_positions:
            return fm.value_positions[path]
        if path in fm.key_positions:
            return fm.key_positions[path]
        path = path[:-1]
    return Position(1, 1)  # the opening '---' of the front matter
