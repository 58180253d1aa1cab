"""Load and validate postmortems: the one pipeline behind `postmortem check`,
the MkDocs plugin, search and analysis, so they can never disagree."""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from postmortem_kb.loading.files import LoadedFile, LoadError, load_bytes
from postmortem_kb.loading.frontmatter_yaml import Position
from postmortem_kb.model.findings import FieldPath, Finding, Level, format_field
from postmortem_kb.model.records import Postmortem
from postmortem_kb.processes import can_fork
from postmortem_kb.project.repository import Project
from postmortem_kb.validation.blameless import BlamelessLint
from postmortem_kb.validation.build import build_record
from postmortem_kb.validation.placeholders import placeholder_problems
from postmortem_kb.validation.problems import Problem
from postmortem_kb.validation.rules import TIME_FIELDS, record_problems
from postmortem_kb.validation.schema_check import SchemaChecker


@dataclass
class CheckResult:
    """Findings of every file checked, and the records of those without errors."""

    findings: list[Finding] = field(default_factory=list)
    records: list[Postmortem] = field(default_factory=list)
    files_checked: int = 0

    @property
    def errors(self) -> list[Finding]:
        """Findings that fail the check."""
        return [f for f in self.findings if f.is_error]

    @property
    def warnings(self) -> list[Finding]:
        """Findings that fail the check only with --strict."""
        return [f for f in self.findings if not f.is_error]

    def exit_code(self, strict: bool = False) -> int:
        """1 when something fails the check (warnings too with ``strict``), else 0."""
        failing = self.findings if strict else self.errors
        return 1 if failing else 0


class Checker:
    """Checks files of one project against its schema, taxonomy and config."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.schema = SchemaChecker(project.schema)
        self.taxonomy = project.taxonomy
        self.config = project.config
        self.blameless = BlamelessLint.for_project(project)

    def check(
        self, paths: Iterable[Path] | None = None, *, jobs: int = 1, keep_records: bool = True
    ) -> CheckResult:
        """Check ``paths`` (default: every postmortem) against the whole collection.

        Cross-record rules need every id in postmortems/, even when one file is checked.
        ``jobs`` > 1 checks large collections in that many forked processes (each file
        is checked on its own, so only the results travel back); ``keep_records=False``
        spares sending records back when only findings are wanted.
        """
        all_files = self.project.postmortem_files()
        targets = list(paths) if paths is not None else all_files
        known_ids = {p.stem for p in all_files} | {p.stem for p in targets}
        result = CheckResult()
        with _few_collections():
            for findings, record in self._check_all(targets, known_ids, jobs, keep_records):
                result.findings.extend(findings)
                if record is not None:
                    result.records.append(record)
                result.files_checked += 1
        return result

    def check_paths(
        self, paths: list[Path], known_ids: set[str], *, jobs: int = 1
    ) -> Iterator[tuple[list[Finding], Postmortem | None]]:
        """Findings and record of each of ``paths``, in order, checked against ``known_ids``."""
        with _few_collections():
            yield from self._check_all(paths, known_ids, jobs, keep_records=True)

    def _check_all(
        self, targets: list[Path], known_ids: set[str], jobs: int, keep_records: bool
    ) -> Iterator[tuple[list[Finding], Postmortem | None]]:
        if jobs <= 1 or len(targets) < _PARALLEL_FROM or not can_fork():
            for path in targets:
                findings, record = self.check_file(path, known_ids)
                yield findings, record if keep_records else None
            return
        global _FORKED  # read by the forked workers, which inherit this process's memory
        _FORKED = (self, known_ids, keep_records)
        chunks = [targets[start : start + _CHUNK] for start in range(0, len(targets), _CHUNK)]
        try:
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                for results in pool.imap(_check_chunk, chunks):  # imap keeps the file order
                    yield from results
        finally:
            _FORKED = None

    def check_file(
        self, path: Path, known_ids: set[str]
    ) -> tuple[list[Finding], Postmortem | None]:
        """Findings of one file, and its record when it has no errors."""
        return self._check_loaded(path, self.project.load(path), known_ids)

    def check_bytes(
        self, path: Path, raw: bytes, known_ids: set[str]
    ) -> tuple[list[Finding], Postmortem | None]:
        """Findings of a file not written yet (``raw`` as it would be at ``path``), and its
        record when it has none: what `postmortem import` checks before it writes."""
        return self._check_loaded(path, load_bytes(path, raw), known_ids)

    def _check_loaded(
        self, path: Path, loaded: LoadedFile | LoadError, known_ids: set[str]
    ) -> tuple[list[Finding], Postmortem | None]:
        shown = self.project.display_path(path)
        if isinstance(loaded, LoadError):
            return [
                Finding(shown, loaded.line, loaded.column, Level.ERROR, "", loaded.message, "load")
            ], None
        problems = _rule_explains_times(
            self.schema.problems(loaded.front_matter.data),
            lambda errored: record_problems(loaded, self.taxonomy, self.config, known_ids, errored),
        )
        problems += placeholder_problems(loaded, self.config)
        problems += self.blameless.problems(loaded)
        findings = sorted(_locate(shown, loaded, p) for p in problems)
        if any(f.is_error for f in findings):
            return findings, None
        return findings, build_record(loaded, self.taxonomy)


def _rule_explains_times(
    schema_problems: list[Problem], rules: Callable[[set[FieldPath]], list[Problem]]
) -> list[Problem]:
    """Schema problems and rule problems, where a timestamp's rule speaks for it.

    The schema's timestamp pattern can only say "not in the expected form"; the
    rule says what is wrong ("has no UTC offset; write it as ...Z"). So the rule
    runs on a timestamp whose only schema problem is its pattern, and its problem
    replaces the schema's. Should the rule find nothing, the schema's stays.
    """
    forms = {
        p.field
        for p in schema_problems
        if p.code == "pattern" and len(p.field) == 1 and p.field[0] in TIME_FIELDS
    }
    errored = {p.field for p in schema_problems if p.code != "pattern" or p.field not in forms}
    rule_problems = rules(errored)
    explained = {p.field for p in rule_problems if p.code == "timestamp"}
    kept = [p for p in schema_problems if not (p.field in forms and p.field in explained)]
    return kept + rule_problems


_PARALLEL_FROM = 1000  # below this, starting processes costs more than it saves
_CHUNK = 250
_FORKED: tuple[Checker, set[str], bool] | None = None


def _check_chunk(paths: list[Path]) -> list[tuple[list[Finding], Postmortem | None]]:
    assert _FORKED is not None, "only called in a worker forked by Checker._check_all"
    checker, known_ids, keep_records = _FORKED
    results = []
    with _few_collections():
        for path in paths:
            findings, record = checker.check_file(path, known_ids)
            results.append((findings, record if keep_records else None))
    return results


@contextmanager
def _few_collections() -> Iterator[None]:
    """Checking allocates many small objects that all stay alive (records, findings);
    the cyclic garbage collector would re-scan them over and over for nothing, which
    cost about a fifth of a 10,000-file check. Collect rarely while checking."""
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], 50_000), threshold[1], threshold[2])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


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
        return Position(problem.line, problem.column or 1)
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
