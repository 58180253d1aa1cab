"""Git-backed test projects for the pull-request tests."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from postmortem_testkit import TmpProject

GIT_USER = ("Test Author", "author@example.com")


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=60
    )
    if done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {done.stderr}")
    return done.stdout.strip()


@dataclass
class GitProject(TmpProject):
    """A TmpProject that is a clone of ``origin`` with git helpers."""

    origin: Path = Path()

    def git(self, *args: str) -> str:
        return git(self.root, *args)

    def commit_all(self, message: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD")

    def push_base(self, message: str = "base") -> str:
        """Commit everything on main and push it: the state a pull request starts from."""
        sha = self.commit_all(message)
        self.git("push", "-q", "origin", "main")
        return sha

    def branch(self, name: str) -> None:
        self.git("checkout", "-q", "-b", name)

    @property
    def current_branch(self) -> str:
        return self.git("rev-parse", "--abbrev-ref", "HEAD")

    def status(self) -> str:
        return self.git("status", "--porcelain")
