"""The template's <<placeholder>> convention and required sections left empty."""

from __future__ import annotations

from postmortem_testkit import REPO_ROOT, TmpProject, postmortem_text

TEMPLATE = (REPO_ROOT / "schema/template.md").read_text(encoding="utf-8")


def test_the_template_itself_is_all_placeholders(project: TmpProject, run_postmortem) -> None:  # type: ignore[no-untyped-def]
    path = project.root / "postmortems/2026-01-01-template.md"
    published = TEMPLATE.replace("status: draft ", "status: published", 1)
    path.write_text(published, encoding="utf-8")
    out = run_postmortem("check", path, cwd=project.root).stdout
    for field in (
        "title",
        "summary",
        "authors[0]",
        "services[0]",
        "causes[0].term",
        "causes[0].detail",
    ):
        assert f"error: {field}: '<<" in out, field
    assert ":71:3: error: '<<hh:mm>>' is a placeholder" in out
    for section in ("Summary", "Impact", "Contributing factors", "Action items"):
        assert f"the '## {section}' section is empty" in out
    assert "'## Timeline' section is empty" not in out  # it holds a (placeholder) row


def test_placeholders_warn_in_a_draft_and_fail_review(project: TmpProject, run_postmortem) -> None:  # type: ignore[no-untyped-def]
    body = "## Summary\n\n<<Three sentences.>> and `<<code>>` is fine\n<!-- <<guidance>> -->\n"
    project.write(overrides={"status": "draft", "summary": "Users saw <<what>> errors."}, body=body)
    draft = run_postmortem("check", cwd=project.root)
    assert draft.returncode == 0
    lines = [line for line in draft.stdout.splitlines() if "placeholder" in line]
    assert len(lines) == 3 and all(": warning: " in line for line in lines)
    assert "<<guidance>>" not in draft.stdout
    project.write(
        overrides={"status": "review", "summary": "Users saw <<what>> errors."}, body=body
    )
    review = run_postmortem("check", cwd=project.root)
    assert review.returncode == 1
    assert "error: summary: '<<what>>' is a placeholder" in review.stdout


def test_a_required_section_with_only_a_comment_is_empty(
    project: TmpProject, run_postmortem
) -> None:  # type: ignore[no-untyped-def]
    text = postmortem_text()
    text = text.replace(
        "## Impact\n\nAbout 4% of card payments failed and were retried by clients.",
        "## Impact\n\n<!-- Who was affected. -->",
    )
    (project.root / "postmortems/2025-03-14-payments-502.md").write_text(text, encoding="utf-8")
    out = run_postmortem("check", cwd=project.root)
    assert out.returncode == 1
    assert "error: the '## Impact' section is empty" in out.stdout
