"""`postmortem new`: a file from the template, never an overwrite, optionally on a branch."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from postmortem_kb.authoring.new import slugify
from postmortem_kb.cli import cli
from postmortem_kb.loading.files import LoadedFile, load_file
from postmortem_testkit import REPO_ROOT, TmpProject, assert_no_crash
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
    # Everything but the filled-in lines is the template, comments and body byte for byte.
    template = (git_project.root / "schema/template.md").read_text(encoding="utf-8").split("\n")
    written = path.read_text(encoding="utf-8").split("\n")
    assert len(written) == len(template)
    changed = [i for i, (a, b) in enumerate(zip(template, written, strict=True)) if a != b]
    filled = {line.split(":")[0] for line in (written[i] for i in changed)}
    assert filled <= {"title", "status", "severity", "started", "authors", "services"}
    for i in changed:
        if "#" in template[i]:
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
        ("日本語", "incident"),
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
