"""`postmortem new`: a file from the template, never an overwrite, optionally on a branch."""

from __future__ import annotations

import errno
import io
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from postmortem_kb.authoring.new import slugify
from postmortem_kb.cli import cli
from postmortem_kb.loading.files import LoadedFile, load_file
from postmortem_testkit import REPO_ROOT, TmpProject, assert_no_crash, mounts
from postmortem_testkit.git import GIT_USER, GitProject

TITLE = "Payments API returns 502 after LB config push"
NEW_ID = "2025-03-15-payments-api-returns-502-after-lb-config-push"
OPTIONS = (
    "--title",
    TITLE,
    "--severity",
    "sev2",
    # 23:12 at UTC-5 is 04:12 UTC the next day: the id takes the UTC date.
    "--started",
    "2025-03-14T23:12:00-05:00",
    "--service",
    "payments-api,edge-lb",
    "--author",
    "ana",
    "--author",
    "payments-team",
    "--cause",
    "config-change",
)


def new(project: TmpProject, *args: str, input: str | None = None) -> Result:
    result = CliRunner().invoke(cli, ["--root", str(project.root), "new", *args], input=input)
    assert_no_crash(result)
    return result


def front_matter(path: Path, project: TmpProject) -> dict[str, object]:
    loaded = load_file(path, project.root, 1 << 20)
    assert isinstance(loaded, LoadedFile), loaded
    return loaded.front_matter.data


def test_options_create_the_file_from_the_template(git_project: GitProject) -> None:
    result = new(git_project, *OPTIONS)

    assert result.exit_code == 0, result.output
    path = git_project.path(NEW_ID)
    assert result.output.startswith(f"created postmortems/{NEW_ID}.md\n")
    data = front_matter(path, git_project)
    assert data["title"] == TITLE
    assert data["status"] == "draft"
    assert data["severity"] == "SEV2"
    assert data["started"] == "2025-03-14T23:12:00-05:00"
    assert data["services"] == ["payments-api", "edge-lb"]
    assert data["authors"] == ["ana", "payments-team"]
    assert [cause["term"] for cause in data["causes"]] == ["config-change"]
    # Everything but the filled-in lines is the template, comments and body byte for byte.
    template = (git_project.root / "schema/template.md").read_text(encoding="utf-8").split("\n")
    written = path.read_text(encoding="utf-8").split("\n")
    assert len(written) == len(template)
    changed = [i for i, (a, b) in enumerate(zip(template, written, strict=True)) if a != b]
    filled = {line.split(":")[0] for line in (written[i] for i in changed)}
    # The causes given replace the template's placeholder cause, with a detail to fill in.
    assert filled <= {
        "title",
        "status",
        "severity",
        "started",
        "authors",
        "services",
        "causes",
        "  - term",
        "    detail",
    }
    for i in changed:
        if "#" in template[i] and not written[i].startswith("  - term"):
            assert written[i].endswith(template[i][template[i].index("#") :])


def test_prompts_ask_for_what_is_missing_and_re_ask_on_bad_input(git_project: GitProject) -> None:
    answers = "\n".join(
        [
            "Checkout: card form hangs",  # a colon: must be quoted in YAML
            "SEV9",  # not a severity: asked again
            "sev3",
            "2025-06-01 10:00",  # no offset: asked again
            "2025-06-01T10:00:00Z",
            "checkout, payments-api",
            "ana",
            "config-change",
        ]
    )
    result = new(git_project, input=answers + "\n")

    assert result.exit_code == 0, result.output
    assert "'SEV9' is not a severity" in result.output
    assert "has no UTC offset" in result.output
    path = git_project.path("2025-06-01-checkout-card-form-hangs")
    data = front_matter(path, git_project)
    assert data["title"] == "Checkout: card form hangs"
    assert data["severity"] == "SEV3"
    assert data["services"] == ["checkout", "payments-api"]


def test_never_overwrites_an_existing_postmortem(git_project: GitProject) -> None:
    assert new(git_project, *OPTIONS).exit_code == 0
    path = git_project.path(NEW_ID)
    path.write_text(path.read_text(encoding="utf-8") + "\nmy notes\n", encoding="utf-8")
    before = path.read_bytes()

    again = new(git_project, *OPTIONS)

    assert again.exit_code == 2
    assert f"postmortems/{NEW_ID}.md already exists" in again.stderr
    assert "--unique" in again.stderr
    assert path.read_bytes() == before
    assert sorted(p.name for p in git_project.postmortems.iterdir()) == [f"{NEW_ID}.md"]


def test_unique_adds_a_number(git_project: GitProject) -> None:
    outputs = [new(git_project, *OPTIONS, "--unique").output for _ in range(3)]

    assert [o.splitlines()[0] for o in outputs] == [
        f"created postmortems/{NEW_ID}.md",
        f"created postmortems/{NEW_ID}-2.md",
        f"created postmortems/{NEW_ID}-3.md",
    ]


def test_branch_creates_the_branch_and_commits_the_file(git_project: GitProject) -> None:
    git_project.write("2025-01-10-older-incident", {"started": "2025-01-10T08:00:00Z"})
    base = git_project.push_base()

    result = new(git_project, *OPTIONS, "--branch")

    assert result.exit_code == 0, result.output
    branch = f"postmortem/{NEW_ID}"
    assert f"on new branch {branch}, commit " in result.output
    assert git_project.current_branch == branch
    assert git_project.status() == ""
    assert git_project.git("rev-parse", "HEAD~1") == base
    assert git_project.git("show", "--name-status", "--format=", "HEAD") == (
        f"A\tpostmortems/{NEW_ID}.md"
    )
    assert git_project.git("log", "-1", "--format=%s|%an|%ae") == (
        f"Add postmortem {NEW_ID}|{GIT_USER[0]}|{GIT_USER[1]}"
    )
    assert git_project.git("rev-parse", "main") == base


def test_branch_refuses_a_dirty_working_tree(git_project: GitProject) -> None:
    git_project.write("2025-01-10-older-incident", {"started": "2025-01-10T08:00:00Z"})
    git_project.push_base()
    readme = git_project.root / "schema" / "config.yml"
    readme.write_text(readme.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")

    result = new(git_project, *OPTIONS, "--branch")

    assert result.exit_code == 2
    assert "uncommitted changes (schema/config.yml)" in result.stderr
    assert not git_project.path(NEW_ID).exists()
    assert git_project.current_branch == "main"


def test_branch_refuses_outside_a_git_repository(project: TmpProject) -> None:
    for name in ("blameless.yml", "template.md"):
        (project.root / "schema" / name).write_bytes((REPO_ROOT / "schema" / name).read_bytes())

    result = new(project, *OPTIONS, "--branch")

    assert result.exit_code == 2
    assert "is not inside a git repository" in result.stderr
    assert not project.path(NEW_ID).exists()


def test_branch_refuses_an_existing_branch(git_project: GitProject) -> None:
    git_project.write("2025-01-10-older-incident", {"started": "2025-01-10T08:00:00Z"})
    git_project.push_base()
    git_project.git("branch", f"postmortem/{NEW_ID}")

    result = new(git_project, *OPTIONS, "--branch")

    assert result.exit_code == 2
    assert f"a branch 'postmortem/{NEW_ID}' already exists" in result.stderr
    assert not git_project.path(NEW_ID).exists()


def test_prints_similar_past_incidents(git_project: GitProject) -> None:
    git_project.write("2025-01-10-edge-lb-drops-tls", {"started": "2025-01-10T08:00:00Z"})
    git_project.write(
        "2025-02-01-dns-outage",
        {"started": "2025-02-01T08:00:00Z", "services": ["checkout"], "title": "DNS outage"},
    )

    result = new(git_project, *OPTIONS)

    assert "Similar past incidents" in result.output
    assert "2025-01-10-edge-lb-drops-tls" in result.output
    assert "shares services: payments-api, edge-lb" in result.output
    # The other shares only what every incident here names (its causes) and template words:
    # below the minimum score, no close match.
    assert "2025-02-01-dns" not in result.output


def test_bad_options_are_usage_errors(git_project: GitProject) -> None:
    result = new(git_project, *OPTIONS[:4], "--started", "2025-03-14T09:00:00", *OPTIONS[6:])
    assert result.exit_code == 2
    assert "has no UTC offset" in result.stderr
    assert list(git_project.postmortems.glob("*.md")) == []


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Payments API returns 502!", "payments-api-returns-502"),
        ("Ünïcode — café outage", "unicode-cafe-outage"),
        ("日本語", "ribenyu"),  # transliterated, as every script is
        ("Яндекс.Почта", "yandeks-pochta"),
        ("!!!", "incident"),
        ("word " * 40, "-".join(["word"] * 12)),
    ],
)
def test_slug_from_title(title: str, slug: str) -> None:
    assert slugify(title) == slug
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slugify(title))


def test_every_command_has_examples_in_its_help() -> None:
    names = cli.list_commands(click.Context(cli))
    assert {"check", "new", "review"} <= set(names)
    for name in names:
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Examples:" in result.output, f"postmortem {name} --help has no Examples:"


def test_an_author_with_a_space_in_the_name_stays_one_author(git_project: GitProject) -> None:
    result = new(
        git_project,
        *OPTIONS[:8],
        *OPTIONS[-2:],
        "--author",
        "Ana Lima",
        "--author",
        "ops, sre team",
    )

    assert result.exit_code == 0, result.output
    path = git_project.path(NEW_ID)
    assert front_matter(path, git_project)["authors"] == ["Ana Lima", "ops", "sre team"]
    assert "\nauthors: [Ana Lima, ops, sre team]" in path.read_text(encoding="utf-8")


def _tree_state(project: GitProject) -> tuple[str, str, str, str, bytes]:
    """Everything `new --branch` could change: branches, HEAD, index, status, taxonomy."""
    return (
        project.git("branch", "--list", "--format=%(refname:short)"),
        project.git("rev-parse", "HEAD"),
        project.git("diff", "--cached", "--name-status"),
        project.status(),
        (project.root / "schema/taxonomy.yml").read_bytes(),
    )


def _pushed_base(project: GitProject) -> None:
    project.write("2025-01-10-older-incident", {"started": "2025-01-10T08:00:00Z"})
    project.push_base()


# An unknown service added on the way: the refusal must come before the taxonomy changes too.
WITH_A_NEW_SERVICE = (*OPTIONS[:6], "--service", "search-api", *OPTIONS[8:], "--add-terms")


def test_branch_without_a_git_identity_refuses_before_changing_anything(
    git_project: GitProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _pushed_base(git_project)
    before = _tree_state(git_project)
    # No identity anywhere, and git told not to make one up from the host name.
    nobody = tmp_path / "no-identity.gitconfig"
    nobody.write_text("[user]\n\tuseConfigOnly = true\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(nobody))
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "EMAIL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("GIT_COMMITTER_EMAIL", raising=False)

    result = new(git_project, *WITH_A_NEW_SERVICE, "--branch")

    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("postmortem: error: git does not know who you are")
    assert "git config --global user.name" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert _tree_state(git_project) == before
    assert not git_project.path(NEW_ID).exists()


def test_branch_whose_commit_fails_puts_everything_back(git_project: GitProject) -> None:
    _pushed_base(git_project)
    before = _tree_state(git_project)
    # A real failing commit: signing is required and the signing program fails.
    git_project.git("config", "commit.gpgsign", "true")
    git_project.git("config", "gpg.program", "false")

    result = new(git_project, *WITH_A_NEW_SERVICE, "--branch")

    assert result.exit_code == 2, result.output
    assert "git could not commit the new postmortem" in result.stderr
    assert "you are back on main and nothing was changed" in result.stderr
    assert _tree_state(git_project) == before
    assert not git_project.path(NEW_ID).exists()
    # Once git can commit, the very same command works.
    git_project.git("config", "commit.gpgsign", "false")
    again = new(git_project, *WITH_A_NEW_SERVICE, "--branch")
    assert again.exit_code == 0, again.output
    assert git_project.current_branch == f"postmortem/{NEW_ID}"
    assert git_project.status() == ""


def test_standard_input_ending_unanswered_names_the_option_to_give(
    git_project: GitProject,
) -> None:
    result = new(git_project, *OPTIONS[:8], "--author", "ana", input="")

    assert result.exit_code == 2
    assert result.stderr == (
        "postmortem: error: standard input ended before "
        "'Causes (comma-separated taxonomy ids, e.g. config-change)' was answered; "
        "in a script, give --cause\n"
    )
    assert list(git_project.postmortems.glob("*.md")) == []


# --- a folder that cannot be written: one line, exit 2, no partial file -------------------


def _cli_new(run_postmortem, project: TmpProject) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    done: subprocess.CompletedProcess[str] = run_postmortem("--root", project.root, "new", *OPTIONS)
    return done


def _assert_one_line_refusal(done: subprocess.CompletedProcess[str], reason: str) -> None:
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr == f"postmortem: error: postmortems/{NEW_ID}.md: cannot write: {reason}\n"
    assert done.stdout == ""


def test_a_read_only_postmortems_folder_is_one_line_and_leaves_nothing(
    git_project: GitProject, run_postmortem
) -> None:  # type: ignore[no-untyped-def]
    folder = git_project.postmortems
    if mounts.can_mount():  # root writes through permission bits: mount it read-only instead
        with mounts.tmpfs(folder, read_only=True):
            done = _cli_new(run_postmortem, git_project)
            left = sorted(p.name for p in folder.iterdir())
        reason = "Read-only file system"
    elif os.geteuid() == 0:
        pytest.skip("root may not mount here, and permission bits do not stop root")
    else:
        folder.chmod(0o555)
        try:
            done = _cli_new(run_postmortem, git_project)
            left = sorted(p.name for p in folder.iterdir())
        finally:
            folder.chmod(0o755)
        reason = "Permission denied"
    _assert_one_line_refusal(done, reason)
    assert left == []


@pytest.mark.skipif(not mounts.can_mount(), reason="a real full disk needs root to mount a tmpfs")
def test_a_full_disk_is_one_line_and_leaves_no_partial_file(
    git_project: GitProject, run_postmortem
) -> None:  # type: ignore[no-untyped-def]
    with mounts.tmpfs(git_project.postmortems, size_kib=16) as folder:
        mounts.fill(folder)
        done = _cli_new(run_postmortem, git_project)
        left = sorted(p.name for p in folder.iterdir())
    _assert_one_line_refusal(done, "No space left on device")
    assert left == ["filler"]  # no temporary file, no half-written postmortem


def test_a_write_that_runs_out_of_space_leaves_no_partial_file(
    git_project: GitProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without root: the same failure injected where a full disk reports it, the write.
    real_fdopen = os.fdopen

    class _Full:
        """The file `write_new` writes to: half the text reaches the disk, then ENOSPC."""

        def __init__(self, handle: io.TextIOWrapper) -> None:
            self.handle = handle

        def __enter__(self) -> _Full:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def write(self, text: str) -> int:
            self.handle.write(text[: len(text) // 2])
            self.handle.flush()
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def fdopen(fd: int, *args: Any, **kwargs: Any) -> _Full:
        return _Full(real_fdopen(fd, *args, **kwargs))

    monkeypatch.setattr("postmortem_kb.writing.os.fdopen", fdopen)
    result = new(git_project, *OPTIONS)

    assert result.exit_code == 2
    assert result.stderr == (
        f"postmortem: error: postmortems/{NEW_ID}.md: cannot write: No space left on device\n"
    )
    assert list(git_project.postmortems.iterdir()) == []
