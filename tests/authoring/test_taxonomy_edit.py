"""Taxonomy edits: located, byte-for-byte outside the changed values, atomic, resumable."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import pytest

from postmortem_kb.authoring import taxonomy_edit as edit
from postmortem_kb.errors import UsageError
from postmortem_kb.model.kinds import Kind
from postmortem_kb.project.repository import Project
from postmortem_testkit import VALID_ID, TmpProject, postmortem_text

# A taxonomy with comments, quoting, block and flow lists, CRLF-free; the test changes it.
TAXONOMY = """\
# Our vocabulary.   Comments and   odd spacing stay.
causes:
  config-change:   # the usual suspect
    title: "Configuration change"
    description: 'A configuration change contributed.'
    aliases: [bad-config, 'config-push']
  dns:
    title: DNS
    description: Name resolution failed.
    aliases:
      - name-resolution
  capacity-exhaustion:
    title: Capacity exhaustion
    description: A resource ran out.

lucky_breaks:
  off-peak-timing:
    title: Off-peak timing
    description: It happened when traffic was low.
went_well: {}
detection:
  automated-alert:
    title: Automated alert
    description: An alert fired.
services: {}
"""


def _project(make_project, tmp_path: Path) -> TmpProject:  # type: ignore[no-untyped-def]
    project: TmpProject = make_project(taxonomy=TAXONOMY)
    return project


def _changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_rename_changes_only_the_renamed_values(make_project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project = _project(make_project, tmp_path)
    body = "## Summary\r\n\r\nconfig-change in the body stays as written.\r\n"
    text = postmortem_text(
        {
            "services": [],
            "causes": [{"term": "config-change", "detail": "d"}, "dns"],
            "action_items": [],
        },
        body=body,
        newline="\r\n",
    ).replace("services: []\r\n", "")
    # A quoted term and a flow list, as people write them.
    text = text.replace("- term: config-change", "- term: 'config-change'  # was bad-config")
    path = project.root / "postmortems" / "2025-03-14-payments-502.md"
    path.write_bytes(text.encode("utf-8"))
    before_taxonomy = (project.root / "schema/taxonomy.yml").read_bytes()

    planned = edit.rename_term(Project(project.root), Kind.CAUSE, "config-change", "config-drift")
    edit.apply_edit(planned)

    after = path.read_bytes()
    assert after == text.replace("'config-change'", "'config-drift'").encode("utf-8")
    taxonomy = (project.root / "schema/taxonomy.yml").read_bytes().decode("utf-8")
    assert _changed_lines(before_taxonomy.decode("utf-8"), taxonomy) == [
        "-  config-change:   # the usual suspect",
        "+  config-drift:   # the usual suspect",
        "-    aliases: [bad-config, 'config-push']",
        "+    aliases: [bad-config, 'config-push', config-change]",
    ]
    assert (
        Project(project.root).taxonomy.canonical_id(Kind.CAUSE, "config-change") == "config-drift"
    )


@pytest.mark.parametrize(
    ("old", "new", "before", "after"),
    [
        (
            "config-change",
            "bad-config",
            "    aliases: [bad-config, 'config-push']",
            "    aliases: ['config-push', config-change]",
        ),
        (
            "config-change",
            "config-push",
            "[bad-config, 'config-push']",
            "[bad-config, config-change]",
        ),
        ("dns", "name-resolution", "      - name-resolution\n", "      - dns\n"),
    ],
)
def test_rename_to_one_of_its_own_aliases_swaps_them(
    make_project, tmp_path: Path, old: str, new: str, before: str, after: str
) -> None:  # type: ignore[no-untyped-def]
    project = _project(make_project, tmp_path)
    project.write(overrides={"causes": [old], "services": []})
    taxonomy = project.root / "schema/taxonomy.yml"
    text = taxonomy.read_text(encoding="utf-8")

    edit.apply_edit(edit.rename_term(Project(project.root), Kind.CAUSE, old, new))

    expected = text.replace(before, after, 1).replace(f"  {old}:", f"  {new}:", 1)
    assert taxonomy.read_text(encoding="utf-8") == expected
    renamed = Project(project.root).taxonomy
    assert renamed.canonical_id(Kind.CAUSE, old) == new
    assert f"causes: [{new}]\n" in project.path(VALID_ID).read_text(encoding="utf-8")


def test_a_rename_killed_after_the_taxonomy_is_finished_by_running_it_again(
    make_project,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    project = _project(make_project, tmp_path)
    for day in ("2025-03-14", "2025-03-15"):
        project.write(
            f"{day}-outage",
            {"started": f"{day}T09:12:00Z", "causes": ["dns"], "services": REMOVE_SERVICES},
        )
    planned = edit.rename_term(Project(project.root), Kind.CAUSE, "dns", "name-lookup")
    assert len(planned.postmortems) == 2
    # Killed after the taxonomy and the first postmortem: each file wholly old or new.
    edit.apply_edit(edit.TaxonomyEdit(planned.summary, planned.files[:2]))
    middle = Project(project.root)
    assert middle.taxonomy.canonical_id(Kind.CAUSE, "dns") == "name-lookup"  # still resolves

    again = edit.rename_term(middle, Kind.CAUSE, "dns", "name-lookup")
    assert [f.shown for f in again.files] == ["postmortems/2025-03-15-outage.md"]
    edit.apply_edit(again)
    assert edit.rename_term(Project(project.root), Kind.CAUSE, "dns", "name-lookup").files == ()
    for day in ("2025-03-14", "2025-03-15"):
        text = (project.root / f"postmortems/{day}-outage.md").read_text(encoding="utf-8")
        assert "causes: [name-lookup]\n" in text


REMOVE_SERVICES: list[str] = []


def test_merge_moves_aliases_and_refuses_a_file_that_would_list_a_term_twice(
    make_project,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    project = _project(make_project, tmp_path)
    project.write("2025-03-14-a", {"causes": ["dns"], "services": []})
    planned = edit.merge_terms(Project(project.root), Kind.CAUSE, "dns", "config-change")
    edit.apply_edit(planned)
    taxonomy = Project(project.root).taxonomy
    assert taxonomy.get(Kind.CAUSE, "dns") is None
    assert taxonomy.canonical_id(Kind.CAUSE, "name-resolution") == "config-change"
    assert "causes: [config-change]\n" in (project.root / "postmortems/2025-03-14-a.md").read_text(
        "utf-8"
    )

    project.write(
        "2025-03-15-b",
        {
            "started": "2025-03-15T09:12:00Z",
            "causes": ["config-change", "capacity-exhaustion"],
            "services": [],
        },
    )
    before = (project.root / "schema/taxonomy.yml").read_bytes()
    with pytest.raises(UsageError, match=r"2025-03-15-b\.md already names both"):
        edit.merge_terms(Project(project.root), Kind.CAUSE, "capacity-exhaustion", "config-change")
    assert (project.root / "schema/taxonomy.yml").read_bytes() == before


def test_add_to_an_empty_group_and_deprecate(make_project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project = _project(make_project, tmp_path)
    edit.apply_edit(
        edit.add_term(
            Project(project.root),
            Kind.SERVICE,
            "checkout-api",
            "Checkout: API",
            "Takes orders.",
            ("checkout",),
        )
    )
    edit.apply_edit(
        edit.deprecate_term(Project(project.root), Kind.CAUSE, "capacity-exhaustion", "dns")
    )
    text = (project.root / "schema/taxonomy.yml").read_text(encoding="utf-8")
    assert "services:\n  checkout-api:\n    title: 'Checkout: API'\n" in text
    assert text.startswith(TAXONOMY.split("services:")[0].split("  capacity-exhaustion")[0])
    taxonomy = Project(project.root).taxonomy
    assert taxonomy.canonical_id(Kind.SERVICE, "checkout") == "checkout-api"
    term = taxonomy.get(Kind.CAUSE, "capacity-exhaustion")
    assert term is not None and term.deprecated and term.replaced_by == "dns"
    with pytest.raises(UsageError, match="already a service"):
        edit.add_term(Project(project.root), Kind.SERVICE, "checkout-api", "x", "y")


def test_lint_names_unused_and_near_duplicate_terms(make_project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project = make_project(
        taxonomy=TAXONOMY.replace(
            "  dns:", "  config-changes:\n    title: x\n    description: y\n  dns:"
        )
    )
    findings = edit.lint_taxonomy(Project(project.root), {Kind.CAUSE: {"dns"}})
    codes = {(f.code, f.term) for f in findings}
    assert ("near-duplicate", "config-change") in codes
    assert ("unused", "capacity-exhaustion") in codes
    assert ("unused", "dns") not in codes


def test_the_cli_refuses_a_dirty_tree_and_dry_run_changes_nothing(
    git_project, run_postmortem
) -> None:  # type: ignore[no-untyped-def]
    git_project.write(overrides={"causes": ["dns"]})
    git_project.push_base()
    taxonomy = git_project.root / "schema/taxonomy.yml"
    before = taxonomy.read_bytes()
    dry = run_postmortem(
        "taxonomy", "rename", "causes", "dns", "name-lookup", "--dry-run", cwd=git_project.root
    )
    assert dry.returncode == 0, dry.stderr
    assert "-  dns:\n+  name-lookup:" in dry.stdout
    assert taxonomy.read_bytes() == before
    (git_project.root / "README.md").write_text("dirty\n", encoding="utf-8")
    git_project.git("add", "README.md")
    refused = run_postmortem(
        "taxonomy", "rename", "causes", "dns", "name-lookup", cwd=git_project.root
    )
    assert refused.returncode == 2
    assert "uncommitted changes" in refused.stderr and "--allow-dirty" in refused.stderr
    assert taxonomy.read_bytes() == before
    done = run_postmortem(
        "taxonomy", "rename", "causes", "dns", "name-lookup", "--allow-dirty", cwd=git_project.root
    )
    assert done.returncode == 0, done.stderr
    assert "1 postmortem rewritten" in done.stdout
    check = run_postmortem("check", cwd=git_project.root)
    assert check.returncode == 0, check.stdout


def test_lint_of_a_fresh_knowledge_base_passes_unless_strict(
    tmp_path: Path, run_postmortem: Any
) -> None:
    """A starter list is all unused at first: said, but not a failure without --strict."""
    kb = tmp_path / "kb"
    assert run_postmortem("init", str(kb)).returncode == 0
    lint = run_postmortem("taxonomy", "lint", cwd=kb)
    assert lint.returncode == 0, lint.stdout
    assert "is used by no postmortem" in lint.stdout
    assert lint.stdout.splitlines()[-1].endswith("unused terms)")
    assert run_postmortem("taxonomy", "lint", "--strict", cwd=kb).returncode == 1
    added = run_postmortem(
        "taxonomy",
        "add",
        "services",
        "web",
        "--title",
        "Web",
        "--description",
        "The site.",
        cwd=kb,
    )
    assert added.returncode == 0, added.stderr
    assert added.stdout == "added service 'web' (Web); schema/taxonomy.yml\n"
