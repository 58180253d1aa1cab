"""When each postmortem was first written and last changed, from one pass over git history.

One ``git log --name-status -M`` over the postmortems folder costs about as much as
a single ``git log --follow`` on one file, so the whole folder is read at once and
parsed here. Renames are followed (a file keeps the history of its old names).
Without git, without a repository, or in a shallow clone the answer is "unknown"
(``None``), never an exception: a site built from a tarball still builds.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from postmortem_kb.errors import one_line

# A record separator no path or date can contain starts each commit in the log.
_COMMIT_MARK = "\x1e"


@dataclass
class FileHistory:
    """Dates are None when unknown; ``revisions`` counts commits that changed the file."""

    first_written: datetime | None = None
    last_changed: datetime | None = None
    revisions: int | None = None


UNKNOWN = FileHistory()


@dataclass
class GitHistory:
    """Per-file history keyed by path relative to the git work tree."""

    files: dict[str, FileHistory] = field(default_factory=dict)
    workdir: Path | None = None
    shallow: bool = False
    reason: str = ""  # why history is unavailable, for a log line

    @property
    def available(self) -> bool:
        """Whether the folder is in a git work tree (dates may still be unknown)."""
        return self.workdir is not None

    _folders: dict[Path, str | None] = field(default_factory=dict)

    def for_path(self, path: Path) -> FileHistory:
        """The history of ``path`` (UNKNOWN outside the work tree or without commits)."""
        if self.workdir is None:
            return UNKNOWN
        # Resolve each folder once, not each file: resolve() is a syscall per path part.
        if path.parent not in self._folders:
            try:
                folder = Path(os.path.realpath(path.parent)).relative_to(self.workdir).as_posix()
            except ValueError:
                folder = None
            self._folders[path.parent] = folder
        folder = self._folders[path.parent]
        if folder is None:
            return UNKNOWN
        relative = f"{folder}/{path.name}" if folder != "." else path.name
        return self.files.get(relative, UNKNOWN)


def read_history(folder: Path) -> GitHistory:
    """History of every file under ``folder`` (usually ``postmortems/``)."""
    return start_reading_history(folder).result()


class HistoryReading:
    """A ``git log`` running in a child process, writing to a temporary file rather than a
    pipe (which would stall it once full), so that it runs while the caller does other
    work (the site build checks the postmortems meanwhile); ``result`` waits and parses."""

    def __init__(self, ready: GitHistory | None = None) -> None:
        self._ready = ready
        self._process: subprocess.Popen[bytes] | None = None
        self._output: IO[bytes] | None = None
        self._errors: IO[bytes] | None = None
        self._workdir: Path | None = None
        self._shallow = False

    @classmethod
    def started(cls, command: list[str], workdir: Path, shallow: bool) -> HistoryReading:
        """``command`` (a git log) started in ``workdir``."""
        reading = cls()
        reading._workdir, reading._shallow = workdir, shallow
        # Open until result() reads them, after the caller's other work: no `with` here.
        reading._output = tempfile.TemporaryFile()  # noqa: SIM115
        reading._errors = tempfile.TemporaryFile()  # noqa: SIM115
        try:
            reading._process = subprocess.Popen(
                command, cwd=workdir, stdout=reading._output, stderr=reading._errors
            )
        except OSError as exc:
            reading._close()
            reading._ready = GitHistory(reason=f"no git history ({type(exc).__name__}: {exc})")
        return reading

    def result(self) -> GitHistory:
        """The history, once git has written it."""
        if self._ready is not None:
            return self._ready
        assert self._process is not None and self._output is not None and self._errors is not None
        code = self._process.wait()
        self._output.seek(0)
        self._errors.seek(0)
        output = self._output.read().decode("utf-8", errors="replace")
        errors = self._errors.read().decode("utf-8", errors="replace")
        self._close()
        if code != 0:
            detail = one_line(errors, 300) or f"exit code {code}"
            self._ready = GitHistory(reason=f"no git history (git log failed: {detail})")
            return self._ready
        files = parse_log(output)
        if self._shallow:
            # A shallow clone cuts history short: the oldest commit seen is not the first.
            for history in files.values():
                history.first_written = None
                history.revisions = None
        self._ready = GitHistory(files, self._workdir, self._shallow)
        return self._ready

    def _close(self) -> None:
        for stream in (self._output, self._errors):
            if stream is not None:
                stream.close()
        self._output = self._errors = None


def start_reading_history(folder: Path) -> HistoryReading:
    """Start reading the history of every file under ``folder``: the repository is found
    now (two quick ``git rev-parse`` calls), the log runs in the background."""
    # git itself rather than GitPython: importing GitPython costs a build more than these.
    if not folder.is_dir():
        return HistoryReading(GitHistory(reason=f"no git history ({folder} is not a folder)"))
    where = _git(["rev-parse", "--show-toplevel", "--is-shallow-repository"], folder)
    if isinstance(where, GitHistory):
        return HistoryReading(where)
    lines = where.splitlines()
    if len(lines) < 2:
        return HistoryReading(GitHistory(reason=f"no git history (git rev-parse said {where!r})"))
    workdir = Path(os.path.realpath(lines[0]))
    shallow = lines[1].strip() == "true"
    head = _git(["rev-parse", "--verify", "--quiet", "HEAD"], folder)
    if isinstance(head, GitHistory):
        return HistoryReading(
            GitHistory(workdir=workdir, reason="the repository has no commits yet")
        )
    try:
        pathspec = Path(os.path.realpath(folder)).relative_to(workdir).as_posix() or "."
    except ValueError as exc:
        return HistoryReading(GitHistory(reason=f"no git history ({exc})"))
    command = [
        "git",
        "-c",
        "core.quotePath=false",
        "log",
        "--name-status",
        "-M",
        f"--format={_COMMIT_MARK}%aI",
        "--",
        pathspec,
    ]
    return HistoryReading.started(command, workdir, shallow)


def _git(args: list[str], folder: Path) -> str | GitHistory:
    """What ``git ARGS`` printed in ``folder``, or an unknown history saying why it failed."""
    try:
        done = subprocess.run(
            ["git", *args], cwd=folder, capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        return GitHistory(reason="git is not available (no git executable on PATH)")
    except OSError as exc:
        return GitHistory(reason=f"no git history ({type(exc).__name__}: {exc})")
    if done.returncode == 0:
        return done.stdout
    said = one_line(done.stderr, 300) or f"exit code {done.returncode}"
    if "work tree" in said:
        return GitHistory(reason="the repository has no work tree")
    return GitHistory(reason=f"no git history ({said})")


def parse_log(output: str) -> dict[str, FileHistory]:
    """Parse newest-first ``git log --name-status -M --format=<mark>%aI`` output."""
    files: dict[str, FileHistory] = {}
    current_name: dict[str, str] = {}  # a path as it was then -> the file's name today
    born: set[str] = set()  # files whose creation we have passed: older commits are not theirs

    def touch(path: str, when: datetime) -> None:
        if path in born:
            return
        history = files.setdefault(path, FileHistory(revisions=0))
        history.revisions = (history.revisions or 0) + 1
        if history.last_changed is None:
            history.last_changed = when
        history.first_written = when

    for chunk in output.split(_COMMIT_MARK):
        lines = chunk.strip("\n").split("\n")
        if not lines or not lines[0]:
            continue
        try:
            when = datetime.fromisoformat(lines[0].strip()).astimezone(UTC)
        except ValueError:
            continue
        for line in lines[1:]:
            parts = line.split("\t")
            if len(parts) < 2:
                continue
            status = parts[0][:1]
            if status in ("R", "C") and len(parts) >= 3:
                old, new = parts[1], parts[2]
                name = current_name.get(new, new)
                touch(name, when)
                if status == "R":
                    current_name[old] = name
            elif status == "D":
                continue
            else:
                name = current_name.get(parts[1], parts[1])
                touch(name, when)
                if status == "A":
                    born.add(name)
    return files
