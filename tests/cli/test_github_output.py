"""In GitHub Actions nothing `postmortem` prints acts as a workflow command but its own
annotations: not results, not `postmortem: error:` messages, not click's usage errors,
not the internal-error line or a --debug traceback.

Each test runs the real console script (the output path is the process's own stdout and
stderr) with GITHUB_ACTIONS=true, and reads its output as the runner reads it
(postmortem_testkit.github, which counts any command name).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from postmortem_kb.reports.workflow_commands import BREAK
from postmortem_testkit import MakeProject, TmpProject
from postmortem_testkit.git import GitProject
from postmortem_testkit.github import workflow_commands
from postmortem_testkit.hostile import HOSTILE_FILE_NAMES, HOSTILE_KEY, MARKDOWN_PAYLOADS, PAYLOADS

Run = Callable[..., subprocess.CompletedProcess[str]]
IN_ACTIONS = {"GITHUB_ACTIONS": "true"}
COMMAND = MARKDOWN_PAYLOADS[
    -1
]  # "::error file=a.md::forged\n::add-mask::secret ##[set-output ...]"


def no_commands(done: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in done.stderr
    assert workflow_commands(done.stdout) == [], done.stdout
    assert workflow_commands(done.stderr) == [], done.stderr


def read(text: str) -> str:
    """What a reader of the log sees: the zero-width spaces that break commands are invisible."""
    return text.replace(BREAK, "")


@pytest.fixture
def hostile(project: TmpProject) -> TmpProject:
    """A project whose files have hostile names and a hostile front-matter key."""
    project.write()
    for name in HOSTILE_FILE_NAMES:
        project.write_text(name, (project.path("2025-03-14-payments-502")).read_text("utf-8"))
    project.write("2025-03-15-hostile-key", {HOSTILE_KEY: 1, "started": "2025-03-15T09:12:00Z"})
    # Every payload as an unknown cause and as a title: both end up in messages.
    project.write(
        "2025-03-16-hostile-terms",
        {"causes": list(PAYLOADS), "title": COMMAND, "started": "2025-03-16T09:12:00Z"},
    )
    return project


def test_check_annotations_are_the_only_commands(hostile: TmpProject, run_postmortem: Run) -> None:
    as_json = run_postmortem("--root", hostile.root, "check", "--format", "json")
    findings = json.loads(as_json.stdout)["findings"]
    done = run_postmortem("--root", hostile.root, "check", "--format", "github")
    assert done.returncode == 1
    commands = workflow_commands(done.stdout)
    # One annotation per finding, each naming its file exactly, and nothing else.
    assert [(c.syntax, c.name) for c in commands] == [("::", f["level"]) for f in findings]
    assert [read(c.properties["file"]) for c in commands] == [f["path"] for f in findings]
    assert {f["path"] for f in findings} >= {f"postmortems/{name}" for name in HOSTILE_FILE_NAMES}
    assert any(HOSTILE_KEY in read(c.data) for c in commands)
    assert workflow_commands(done.stderr) == []


@pytest.mark.parametrize("output_format", ["text", "json"])
def test_check_reports_in_actions(
    hostile: TmpProject, run_postmortem: Run, output_format: str
) -> None:
    done = run_postmortem(
        "--root", hostile.root, "check", "--format", output_format, env=IN_ACTIONS
    )
    assert done.returncode == 1
    no_commands(done)
    if output_format == "json":
        # The JSON keeps its data exactly: the old syntax is spelled with a JSON escape.
        paths = {f["path"] for f in json.loads(done.stdout)["findings"]}
        assert f"postmortems/{HOSTILE_FILE_NAMES[0]}" in paths
    else:
        assert HOSTILE_FILE_NAMES[0].splitlines()[1] in read(done.stdout)


@pytest.mark.parametrize(
    "args",
    [
        ["search", "payments"],
        ["search", "--format", "json"],
        ["patterns"],
        ["similar", "2025-03-14-payments-502"],
        ["site", "generate"],
    ],
)
def test_other_commands_in_actions(
    hostile: TmpProject, run_postmortem: Run, args: list[str]
) -> None:
    done = run_postmortem("--root", hostile.root, *args, env=IN_ACTIONS)
    assert done.returncode in (0, 1, 2), done.stderr
    no_commands(done)


def test_review_in_actions(git_project: GitProject, run_postmortem: Run) -> None:
    git_project.write()
    git_project.push_base()
    git_project.branch("postmortem/hostile")
    git_project.write_text(
        HOSTILE_FILE_NAMES[0], git_project.path("2025-03-14-payments-502").read_text()
    )
    git_project.write("2025-03-15-hostile-key", {HOSTILE_KEY: 1, "started": "2025-03-15T09:12:00Z"})
    git_project.commit_all("hostile")
    done = run_postmortem("--root", git_project.root, "review", env=IN_ACTIONS)
    assert done.returncode == 0, done.stderr
    no_commands(done)
    assert "### Check" in done.stdout


def test_error_messages_in_actions(make_project: MakeProject, run_postmortem: Run) -> None:
    # A taxonomy group name, a path argument and an option value, each holding commands.
    bad_group = make_project(taxonomy=f"{json.dumps(COMMAND)}:\n  a:\n    title: A\n")
    done = run_postmortem("--root", bad_group.root, "check", env=IN_ACTIONS)
    assert done.returncode == 2
    assert read(done.stderr).startswith("postmortem: error: ")
    assert COMMAND.splitlines()[1] in read(done.stderr)
    no_commands(done)
    project = make_project()
    for args in (["check", f"postmortems/{COMMAND}"], ["check", "--format", COMMAND]):
        done = run_postmortem("--root", project.root, *args, env=IN_ACTIONS)
        assert done.returncode == 2
        no_commands(done)


def config_value(project: TmpProject, tmp_path: Path) -> None:
    config = project.root / "schema" / "config.yml"
    config.write_text(f"max_file_bytes: {json.dumps(COMMAND)}\n", encoding="utf-8")


def linked_folder(project: TmpProject, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere\n::warning file=a.md::forged ##[add-mask]x"
    target.mkdir()
    project.write()
    (project.root / "postmortems" / "2025-03-14-payments-502.md").rename(
        target / "2025-03-14-payments-502.md"
    )
    (project.root / "postmortems").rmdir()
    (project.root / "postmortems").symlink_to(target)


def symlink_loop(project: TmpProject, tmp_path: Path) -> None:
    name = project.root / "postmortems" / "2025-04-03-##[error title=x]loop\n::error::x.md"
    name.symlink_to(name.name)


@pytest.mark.parametrize("breakage", [config_value, linked_folder, symlink_loop])
def test_broken_projects_in_actions(
    project: TmpProject, tmp_path: Path, run_postmortem: Run, breakage: Callable[..., None]
) -> None:
    # The reproductions of the issue: a configuration value, the target of a symlinked
    # postmortems/ folder and a symlink loop's name, each holding commands.
    breakage(project, tmp_path)
    for args in (["check"], ["search", "x"]):
        done = run_postmortem("--root", project.root, *args, env=IN_ACTIONS)
        no_commands(done)
    done = run_postmortem("--root", project.root, "check", "--format", "github")
    assert "Traceback" not in done.stderr
    assert workflow_commands(done.stderr) == []
    # Only annotations of our own: an error or warning at a file, one per line it printed.
    for command in workflow_commands(done.stdout):
        assert (command.syntax, command.name) in {("::", "error"), ("::", "warning")}
        assert set(command.properties) == {"file", "line", "col", "title"}
    assert len(workflow_commands(done.stdout)) == max(len(done.stdout.splitlines()) - 1, 0)


def test_format_github_guards_without_the_variable(
    make_project: MakeProject, run_postmortem: Run
) -> None:
    # `--format github` alone is enough: its reader is the runner.
    project = make_project(taxonomy=f"{json.dumps(COMMAND)}:\n  a:\n    title: A\n")
    env = {"GITHUB_ACTIONS": ""}
    for args in (["check", "--format", "github"], ["check", "--format=github"]):
        done = run_postmortem("--root", project.root, *args, env=env)
        assert done.returncode == 2
        no_commands(done)
    # Elsewhere the message is printed as it is.
    done = run_postmortem("--root", project.root, "check", env=env)
    assert workflow_commands(done.stderr) != []


# Makes the checker fail with an exception no command expects, in a real process.
_BREAK_THE_CHECKER = f"""
import sys
import postmortem_kb.validation.checker as checker
def broken(self, *args, **kwargs):
    raise RuntimeError({COMMAND!r})
checker.Checker.check = broken
from postmortem_kb.cli import main
sys.argv = ["postmortem", *sys.argv[1:]]
main()
"""


@pytest.mark.parametrize("debug", [[], ["--debug"]])
def test_internal_error_in_actions(project: TmpProject, debug: list[str]) -> None:
    project.write()
    done = subprocess.run(
        [sys.executable, "-c", _BREAK_THE_CHECKER, *debug, "--root", str(project.root), "check"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **IN_ACTIONS},
        check=False,
    )
    assert done.returncode == 3
    assert read(done.stderr).startswith("postmortem: internal error: RuntimeError: ::error")
    assert workflow_commands(done.stderr) == []
    if debug:
        assert "Traceback (most recent call last)" in done.stderr


def test_partial_lines_and_prompts_are_guarded(tmp_path: Path) -> None:
    # The guard on the real streams: pieces written without a line break (a prompt)
    # cannot be completed into a command by the next piece.
    script = (
        "import sys\n"
        "from postmortem_kb.cli.output import install_console_streams\n"
        "install_console_streams(guard=True)\n"
        "for piece in [' ', ':', ':add-mask::x\\n', 'a#', '#', '[error]b\\r', ':', ':x::y']:\n"
        "    sys.stdout.write(piece)\n"
        "    sys.stdout.flush()\n"
        "sys.stderr.write('::error::e\\n')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    stdout, stderr = done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    assert read(stdout) == " ::add-mask::x\na##[error]b\r::x::y"
    assert workflow_commands(stdout) == []
    assert workflow_commands(stderr) == []
