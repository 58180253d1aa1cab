"""`mkdocs build` in GitHub Actions: what the build logs never acts as a workflow command.

The plugin reports findings through MkDocs' log, and the build's error names the file;
a file name or a value holding `::error ...` or `##[...]` must not reach the runner as
a command (mkdocs_plugin/github_log.py).
"""

from __future__ import annotations

from pathlib import Path

from postmortem_kb.reports.workflow_commands import BREAK
from postmortem_testkit.github import workflow_commands
from postmortem_testkit.hostile import HOSTILE_FILE_NAMES
from postmortem_testkit.sites import EDGE, PAYMENTS, build, write_project

IN_ACTIONS = {"GITHUB_ACTIONS": "true"}


def test_findings_in_the_build_log_are_not_commands(tmp_path: Path) -> None:
    # An error (a hostile file name) and a warning (an alias, with the old syntax in
    # its detail) in one build.
    alias = EDGE.replace("- term: config-change", "- term: bad-config").replace(
        "A rule change dropped a pool.", "##[add-mask]x"
    )
    root = write_project(
        tmp_path / "kb",
        {
            "2024-11-02-edge-lb-partial-outage.md": alias,
            HOSTILE_FILE_NAMES[0]: PAYMENTS,
        },
    )
    done = build(root, env=IN_ACTIONS)
    assert done.returncode == 1
    log = done.stdout + done.stderr
    assert "error: file name" in log
    assert HOSTILE_FILE_NAMES[0].splitlines()[1] in log.replace(BREAK, "")
    assert workflow_commands(log) == [], log
    # Outside GitHub Actions the log is left as it is.
    plain = build(root)
    assert workflow_commands(plain.stdout + plain.stderr) != []
