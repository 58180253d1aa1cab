"""`postmortem review`: the Markdown a reviewer sees on a postmortem pull request."""

from __future__ import annotations

from typing import Any

from postmortem_testkit import REMOVE
from postmortem_testkit.git import GitProject

NEW = "2025-09-20-payments-api-502-again"


def at(started: str, **fields: Any) -> dict[str, Any]:
    """Overrides for an incident that started at ``started`` (no later times to contradict it)."""
    return {
        "started": started,
        "detected": REMOVE,
        "mitigated": REMOVE,
        "resolved": REMOVE,
        **fields,
    }


def item(item_id: str, title: str, status: str, due: str = "2025-04-30") -> dict[str, Any]:
    return {
        "id": item_id,
        "title": title,
        "owner": "edge-team",
        "type": "prevent",
        "priority": "P1",
        "due": due,
        "status": status,
    }


def with_history(project: GitProject) -> None:
    """Three earlier config-change incidents on main, one of them linked from the new one."""
    project.write(
        "2025-03-14-payments-502",
        at(
            "2025-03-14T09:12:00Z",
            lucky_breaks=["off-peak-timing"],
            action_items=[
                item("AI-1", "Canary every load balancer config push", "open"),
                item("AI-2", "Lint load balancer configs", "done"),
            ],
        ),
    )
    project.write(
        "2025-06-02-checkout-config-typo",
        at(
            "2025-06-02T10:00:00Z",
            title="Checkout <script>alert(1)</script> fails for @everyone",
            services=["checkout"],
            causes=["config-change"],
            lucky_breaks=[],
            action_items=[
                item("AI-1", "Validate checkout config in CI", "in-progress", "2099-01-01")
            ],
        ),
    )
    project.write(
        "2025-09-02-edge-lb-config",
        at("2025-09-02T07:00:00Z", causes=["config-change"], lucky_breaks=[], action_items=[]),
    )
    project.write(
        "2025-05-01-dns",
        at(
            "2025-05-01T07:00:00Z",
            causes=["dns"],
            services=["checkout"],
            lucky_breaks=[],
            action_items=[item("AI-1", "Unrelated DNS work", "open")],
        ),
    )
    project.push_base()
    project.branch(f"postmortem/{NEW}")
    project.write(
        NEW,
        at(
            "2025-09-20T09:00:00Z",
            status="review",
            causes=["config-change", "insufficient-testing", "capacity-exhaustion"],
            related=["2025-09-02-edge-lb-config"],
            action_items=[],
        ),
    )
    project.commit_all("add the new postmortem")


def test_review_summarises_history_for_the_changed_postmortem(git_project: GitProject) -> None:
    with_history(git_project)
    out = git_project.root / "review.md"

    result = git_project.cli("review", "--base", "origin/main", "--output", str(out))

    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {out} (1 postmortem reviewed)\n"
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!-- postmortem-review -->\n## Postmortem review\n")
    assert f"- added: `{NEW}`" in text
    assert "✅ `postmortem check`: no problems in 1 postmortem." in text
    # Recurrence: three earlier incidents with config-change, the first in March.
    assert (
        "**4th incident** with cause `config-change` since 2025-03; "
        "last 2025-09-02 (`2025-09-02-edge-lb-config`)"
    ) in text
    assert "**2nd incident** with cause `insufficient-testing` since 2025-03" in text
    assert "- first incident with `capacity-exhaustion`" in text
    # Did we fix it last time? Open and in-progress items of earlier config-change incidents.
    assert (
        "`AI-1` Canary every load balancer config push — open, owner edge-team, due 2025-04-30 **overdue**"
        in text
    )
    assert "`AI-1` Validate checkout config in CI — in-progress" in text
    assert "Lint load balancer configs" not in text  # done
    assert "Unrelated DNS work" not in text  # another cause
    # Lucky breaks seen before.
    assert (
        "- `off-peak-timing`: once before, last 2025-03-14 (`2025-03-14-payments-502`); "
        "safeguard: unaddressed"
    ) in text
    # Similar incidents, but not the one already in `related`.
    similar = text[text.index("**Similar incidents not linked") :]
    assert "`2025-03-14-payments-502`" in similar
    assert "2025-09-02-edge-lb-config" not in similar
    # Front matter cannot inject HTML or mentions (tests/reports/test_review_hostile.py).
    assert "<script>" not in text
    assert "&lt;script&gt;alert\\(1\\)&lt;/script&gt; fails for @\u200deveryone" in text


def test_review_reports_check_problems_and_a_broken_related(git_project: GitProject) -> None:
    with_history(git_project)
    git_project.git(
        "mv", "postmortems/2025-09-02-edge-lb-config.md", "postmortems/2025-09-02-lb.md"
    )
    git_project.write(
        NEW,
        at(
            "2025-09-20T09:00:00Z",
            related=["2025-09-02-lb"],
            causes=["config-change", "bad_term|x"],
        ),
    )
    git_project.commit_all("rename and break")

    result = git_project.cli("review")

    assert result.exit_code == 0
    text = result.stdout
    assert "- renamed: `2025-09-02-edge-lb-config` → `2025-09-02-lb`" in text
    assert "❌ `postmortem check`: " in text
    assert "| `postmortems/2025-09-20-payments-api-502-again.md:" in text
    assert "bad\\_term\\\\|x" in text  # a table cell cannot be broken by a pipe
    assert "_This postmortem does not pass `postmortem check` yet" in text
    # What could be read still counts: config-change recurred.
    assert "incident** with cause `config-change`" in text


def test_review_with_no_changes(git_project: GitProject) -> None:
    git_project.write("2025-03-14-payments-502")
    git_project.push_base()
    result = git_project.cli("review")
    assert result.exit_code == 0
    assert "No postmortems changed." in result.stdout
