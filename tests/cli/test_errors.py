"""Exit codes and the catch-all: an unexpected failure is one line and exit 3."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from postmortem_kb.cli import internal_error_line
from postmortem_testkit import TmpProject

# Makes the checker fail with an exception no command expects, in a real process.
_BREAK_THE_CHECKER = """
import sys
import postmortem_kb.validation.checker as checker
def broken(self, *args, **kwargs):
    raise RuntimeError("boom\\nsecond line")
checker.Checker.check = broken
from postmortem_kb.cli import main
sys.argv = ["postmortem", *sys.argv[1:]]
main()
"""


def _run(
    project: TmpProject, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _BREAK_THE_CHECKER, "--root", str(project.root), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_an_internal_error_is_one_line_and_exit_3(project: TmpProject) -> None:
    project.write()
    done = _run(project, "check")
    assert done.returncode == 3
    assert done.stderr == (
        "postmortem: internal error: RuntimeError: boom second line; "
        "rerun with --debug for the traceback\n"
    )
    assert "Traceback" not in done.stderr


def test_debug_shows_the_traceback(project: TmpProject) -> None:
    project.write()
    done = _run(project, "--debug", "check")
    assert done.returncode == 3
    assert "Traceback (most recent call last)" in done.stderr
    assert "RuntimeError: boom" in done.stderr
    by_env = _run(project, "check", env={"POSTMORTEM_DEBUG": "1"})
    assert "Traceback (most recent call last)" in by_env.stderr


def test_a_long_message_is_cut() -> None:
    line = internal_error_line(ValueError("x" * 2000))
    assert len(line) < 600 and line.endswith("rerun with --debug for the traceback")


def test_help_lists_the_exit_codes(run_postmortem: object, tmp_path: Path) -> None:
    done = subprocess.run(
        [str(Path(sys.executable).parent / "postmortem"), "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    for line in ("0  success", "1  findings", "2  usage or environment error", "3  internal error"):
        assert line in done.stdout
