"""`postmortem check --changed`: only what the branch changed, plus what a rename breaks."""

from __future__ import annotations

import pytest

from postmortem_testkit import TmpProject
from postmortem_testkit.git import GitProject

OLD_A = "2025-01-10-edge-lb-drops-tls"
OLD_B = "2025-02-01-checkout-timeouts"
OLD_BROKEN = "2025-02-20-broken-on-main"
NEW_C = "2025-03-01-dns-lookups-fail"


def with_history(project: GitProject) -> None:
    """main: A, B (related to A) and a file with an error that is nobody's change here."""
    project.write(OLD_A, {"started": "2025-01-10T08:00:00Z"})
    project.write(OLD_B, {"started": "2025-02-01T08:00:00Z", "related": [OLD_A]})
    project.write(OLD_BROKEN, {"started": "2025-02-20T08:00:00Z", "severity": "SEV9"})
    project.push_base()
    project.branch("postmortem/new-one")


def test_only_added_and_modified_postmortems_are_checked(git_project: GitProject) -> None:
    with_history(git_project)
    git_project.write(NEW_C, {"started": "2025-03-01T08:00:00Z", "causes": ["dns-failure"]})
    git_project.write(OLD_A, {"started": "2025-01-10T08:00:00Z", "detection": "pager"})
    git_project.commit_all("add C, edit A")

    result = git_project.check("--changed")

    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[-1] == "checked 2 postmortems: 2 errors, 0 warnings"
    assert any(
        line.startswith(f"postmortems/{NEW_C}.md:") and "'dns-failure' is not a known cause" in line
        for line in lines
    )
    assert any(line.startswith(f"postmortems/{OLD_A}.md:") and "'pager'" in line for line in lines)
    assert not any(OLD_BROKEN in line or OLD_B in line for line in lines)


def test_a_rename_that_breaks_another_files_related_is_reported(git_project: GitProject) -> None:
    with_history(git_project)
    renamed = "2025-01-10-edge-lb-tls-handshake-failures"
    git_project.git("mv", f"postmortems/{OLD_A}.md", f"postmortems/{renamed}.md")
    git_project.commit_all("rename A")

    result = git_project.check("--changed", "--base", "origin/main")

    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2, result.stdout
    assert lines[0].startswith(f"postmortems/{OLD_B}.md:")
    assert f"related[0]: no postmortem '{OLD_A}' in postmortems/" in lines[0]
    assert lines[1] == "checked 2 postmortems: 1 error, 0 warnings"


def test_a_deletion_is_caught_too_and_github_format_annotates(git_project: GitProject) -> None:
    with_history(git_project)
    git_project.git("rm", "-q", f"postmortems/{OLD_A}.md")
    git_project.commit_all("delete A")

    result = git_project.check("--changed", "--format", "github")

    assert result.exit_code == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"::error file=postmortems/{OLD_B}.md,line=")
    assert OLD_A in first


def test_uncommitted_and_untracked_files_count_locally(git_project: GitProject) -> None:
    with_history(git_project)
    git_project.write(NEW_C, {"started": "2025-03-01T08:00:00Z"})  # untracked

    result = git_project.check("--changed")

    assert result.exit_code == 0, result.stdout
    assert result.stdout == "checked 1 postmortem: no problems\n"


def test_nothing_changed_checks_nothing(git_project: GitProject) -> None:
    with_history(git_project)
    result = git_project.check("--changed")
    assert result.exit_code == 0
    assert result.stdout == "checked 0 postmortems: no problems\n"


def test_falls_back_to_main_without_origin(git_project: GitProject) -> None:
    with_history(git_project)
    git_project.git("remote", "remove", "origin")
    git_project.write(NEW_C, {"started": "2025-03-01T08:00:00Z"})

    result = git_project.check("--changed")

    assert result.exit_code == 0
    assert result.stdout == "checked 1 postmortem: no problems\n"


def test_usage_errors(git_project: GitProject, project: TmpProject) -> None:
    with_history(git_project)
    unknown = git_project.check("--changed", "--base", "origin/nope")
    assert unknown.exit_code == 2
    assert "'origin/nope' is not a branch, tag or commit here" in unknown.stderr

    both = git_project.check("--changed", f"postmortems/{OLD_A}.md")
    assert both.exit_code == 2
    assert "not both" in both.stderr

    base_alone = git_project.check("--base", "main")
    assert base_alone.exit_code == 2

    outside = project.check("--changed")
    assert outside.exit_code == 2
    assert "not inside a git repository" in outside.stderr


def test_a_changed_target_of_a_linked_schema_file_checks_everything(
    git_project: GitProject,
) -> None:
    """schema/taxonomy.yml as a link to a file elsewhere in the repository (this
    repository's schema links to the starter kit's): editing the target is a schema change."""
    shared = git_project.root / "kit" / "taxonomy.yml"
    shared.parent.mkdir()
    taxonomy = git_project.root / "schema" / "taxonomy.yml"
    shared.write_text(taxonomy.read_text())
    taxonomy.unlink()
    taxonomy.symlink_to("../kit/taxonomy.yml")
    with_history(git_project)
    shared.write_text(shared.read_text().replace("  dns:\n", "  name-resolution:\n"))
    git_project.commit_all("rename a cause in the shared taxonomy")

    result = git_project.check("--changed")

    assert "kit/taxonomy.yml" in result.stderr and "every postmortem is checked" in result.stderr
    assert result.stdout.splitlines()[-1].startswith("checked 3 postmortems")


DNS_TERM = "  dns:\n    title: DNS\n    description: Name resolution failed.\n"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        # The term renamed by hand, without `postmortem taxonomy rename` (which would
        # have rewritten the postmortem and kept the old name as an alias).
        (lambda t: t.replace("  dns:\n", "  name-lookup:\n"), "'dns' is not a known cause"),
        (lambda t: t.replace(DNS_TERM, ""), "'dns' is not a known cause"),
    ],
    ids=["renamed", "removed"],
)
def test_a_pull_request_that_only_edits_the_taxonomy_checks_every_postmortem(
    git_project: GitProject, run_postmortem, edit, message: str
) -> None:  # type: ignore[no-untyped-def]
    old = "2024-06-01-resolvers-time-out"
    git_project.write(old, {"started": "2024-06-01T08:00:00Z", "causes": ["dns"]})
    git_project.write(OLD_A, {"started": "2025-01-10T08:00:00Z"})
    git_project.push_base()
    git_project.branch("tidy-the-taxonomy")
    taxonomy = git_project.root / "schema/taxonomy.yml"
    text = taxonomy.read_text(encoding="utf-8")
    assert DNS_TERM in text
    taxonomy.write_text(edit(text), encoding="utf-8")
    git_project.commit_all("Tidy the taxonomy")
    assert git_project.git("diff", "--name-only", "origin/main") == "schema/taxonomy.yml"

    check = run_postmortem("check", "--changed", cwd=git_project.root)

    assert check.returncode == 1, check.stdout + check.stderr
    lines = check.stdout.splitlines()
    assert len(lines) == 2, check.stdout
    assert lines[0].startswith(f"postmortems/{old}.md:")
    assert f": error: causes[0]: {message}" in lines[0]
    assert lines[1] == "checked 2 postmortems: 1 error, 0 warnings"
    assert check.stderr == (
        "postmortem: note: schema/ changed (schema/taxonomy.yml), so every postmortem is checked\n"
    )

    review = run_postmortem("review", "--base", "origin/main", cwd=git_project.root)

    assert review.returncode == 0, review.stderr
    assert "**`schema/` changed** (`schema/taxonomy.yml`)" in review.stdout
    assert "so every postmortem was checked (2)" in review.stdout
    assert "❌ `postmortem check`: 1 error, 0 warnings in 2 postmortems." in review.stdout
    assert f"| `postmortems/{old}.md:" in review.stdout
    assert "no problems" not in review.stdout
