"""When each postmortem was first written and last changed, from one pass over git history.

One ``git log --name-status -M`` over the postmortems folder costs about as much as
a single ``git log --follow`` on one file, so the whole folder is read at once and
parsed here. Renames are followed (a file keeps the history of its old names).
Without git, without a repository, or in a shallow clone the answer is "unknown"
(``None``), never an exception: a site built from a tarball still builds.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

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
    try:
        import git  # GitPython raises ImportError when no git executable is installed
    except ImportError as exc:
        return GitHistory(reason=f"git is not available ({exc})")
    try:
        repo = git.Repo(folder, search_parent_directories=True)
        if repo.working_tree_dir is None:
            return GitHistory(reason="the repository has no work tree")
        workdir = Path(os.path.realpath(repo.working_tree_dir))
        if not repo.head.is_valid():
            return GitHistory(workdir=workdir, reason="the repository has no commits yet")
        pathspec = Path(os.path.realpath(folder)).relative_to(workdir).as_posix() or "."
        output = repo.git.execute(
            [
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
        )
        shallow = (Path(repo.git_dir) / "shallow").exists()
    except (git.exc.GitError, OSError, ValueError) as exc:
        return GitHistory(reason=f"no git history ({type(exc).__name__}: {exc})")
    assert isinstance(output, str)
    files = parse_log(output)
    if shallow:
        # A shallow clone cuts history short: the oldest commit seen is not the first.
        for history in files.values():
            history.first_written = None
            history.revisions = None
    return GitHistory(files, workdir, shallow)


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
