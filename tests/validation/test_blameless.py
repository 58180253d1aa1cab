"""The blameless-language lint: warnings at body lines, with a systems-focused rewording."""

from __future__ import annotations

import pytest

from postmortem_kb.project.repository import Project
from postmortem_kb.validation.checker import Checker
from postmortem_testkit import REPO_ROOT, VALID_BODY, TmpProject

PROBE = "2025-03-14-payments-502"


@pytest.fixture
def linted(project: TmpProject) -> TmpProject:
    (project.root / "schema" / "blameless.yml").write_bytes(
        (REPO_ROOT / "schema" / "blameless.yml").read_bytes()
    )
    return project


def body_line(project: TmpProject, marker: str) -> int:
    lines = project.path(PROBE).read_text(encoding="utf-8").split("\n")
    return next(i for i, line in enumerate(lines, start=1) if marker in line)


def blameless(project: TmpProject, body: str) -> list[str]:
    project.write(PROBE, body=VALID_BODY + "\n## Lessons learned\n\n" + body)
    result = project.check()
    assert result.exit_code == 0, result.stdout  # warnings do not fail without --strict
    return [line for line in result.stdout.splitlines() if ": warning: " in line]


@pytest.mark.parametrize(
    ("sentence", "quoted"),
    [
        ("The outage was caused by human error.", "human error"),
        ("A careless edit removed the limit.", "careless"),
        ("The reviewer should have known the flag was global.", "should have known"),
        ("In the end it was Bob's fault.", "Bob's fault"),
        (
            "The on-call engineer failed to page the database team.",
            "The on-call engineer failed to",
        ),
        ("Nobody is to blame but the deploy was rushed.", "is to blame"),
    ],
)
def test_each_phrase_class_warns_at_its_line(
    linted: TmpProject, sentence: str, quoted: str
) -> None:
    warnings = blameless(linted, f"Some context.\n\n{sentence}\n")

    assert len(warnings) == 1, warnings
    line = body_line(linted, sentence)
    column = sentence.index(quoted) + 1
    assert warnings[0].startswith(f"postmortems/{PROBE}.md:{line}:")
    assert f":{line}:{column}: warning: '{quoted}'" in warnings[0]
    assert "; " in warnings[0]  # and a suggestion follows


def test_an_authors_name_as_the_subject_of_a_failure(linted: TmpProject) -> None:
    # VALID_RECORD's authors are ana and payments-team.
    warnings = blameless(linted, "Ana forgot to renew the certificate.\n")

    assert len(warnings) == 1
    assert "'Ana forgot to' makes a person the subject of a failure" in warnings[0]
    assert "name the missing safeguard" in warnings[0]


def test_people_from_the_people_file(linted: TmpProject) -> None:
    (linted.root / "schema" / "people.yml").write_text(
        "people: [Carol Diaz, dave]\n", encoding="utf-8"
    )
    config = linted.root / "schema" / "config.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + "\npeople_file: schema/people.yml\n", encoding="utf-8"
    )

    warnings = blameless(
        linted,
        "Carol Diaz simply ignored the alert.\n\nDave restarted the cache and it recovered.\n",
    )

    assert len(warnings) == 1
    assert "'Carol Diaz simply ignored' makes a person the subject" in warnings[0]


def test_a_system_that_failed_is_fine(linted: TmpProject) -> None:
    assert blameless(linted, "The health check failed to detect the hung process.\n") == []


def test_ignore_comment_on_the_line_or_the_line_before(linted: TmpProject) -> None:
    body = (
        '> "It was human error," the vendor said. <!-- blameless: ignore -->\n\n'
        "<!-- blameless: ignore -->\n"
        "We quote the ticket: careless edit.\n\n"
        "Code is never linted: `should have known`.\n\n"
        "```\nerror: the operator failed to connect\n```\n\n"
        "But this is careless.\n"
    )
    warnings = blameless(linted, body)

    assert len(warnings) == 1
    assert f":{body_line(linted, 'But this is careless.')}:" in warnings[0]


def test_a_team_added_phrase(linted: TmpProject) -> None:
    path = linted.root / "schema" / "blameless.yml"
    text = path.read_text(encoding="utf-8").replace(
        "phrases:\n",
        "phrases:\n  - phrase: fat finger\n    suggest: describe the missing confirmation step\n",
        1,
    )
    path.write_text(text, encoding="utf-8")

    warnings = blameless(linted, "A FAT  finger took the site down.\n")

    assert len(warnings) == 1
    assert "'FAT  finger' assigns blame; describe the missing confirmation step" in warnings[0]


def test_json_reports_code_blameless_and_strict_fails(linted: TmpProject) -> None:
    blameless(linted, "human error\n")
    assert '"code": "blameless"' in linted.check("--format", "json").stdout
    assert linted.check("--strict").exit_code == 1


def test_the_real_postmortems_have_no_blameless_warnings() -> None:
    result = Checker(Project(REPO_ROOT)).check()
    flagged = [f.render() for f in result.findings if f.code == "blameless"]
    assert flagged == []


def test_prose_in_the_front_matter_is_linted_at_its_value(linted: TmpProject) -> None:
    linted.write(
        PROBE,
        {
            "summary": "It was human error.",
            "causes": [{"term": "config-change", "detail": "Ana forgot to run the linter"}],
        },
        body=VALID_BODY,
    )
    text = linted.path(PROBE).read_text(encoding="utf-8").split("\n")
    summary_line = next(i for i, line in enumerate(text, 1) if line.startswith("summary:"))
    detail_line = next(i for i, line in enumerate(text, 1) if "Ana forgot" in line)
    warnings = [w for w in linted.check().stdout.splitlines() if ": warning: " in w]
    assert len(warnings) == 2, warnings
    assert warnings[0].startswith(f"postmortems/{PROBE}.md:{summary_line}:")
    assert ": summary: 'human error' assigns blame; " in warnings[0]
    assert warnings[1].startswith(f"postmortems/{PROBE}.md:{detail_line}:")
    assert ": causes[0].detail: 'Ana forgot to' makes a person the subject" in warnings[1]


def test_a_front_matter_value_is_silenced_with_a_yaml_comment(linted: TmpProject) -> None:
    linted.write(PROBE, {"summary": "Quoting the ticket: human error."}, body=VALID_BODY)
    path = linted.path(PROBE)
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("human error.'", "human error.' # blameless: ignore")
        .replace('human error."', 'human error." # blameless: ignore')
        .replace("human error.\n", "human error. # blameless: ignore\n", 1),
        encoding="utf-8",
    )
    assert "# blameless: ignore" in path.read_text(encoding="utf-8")
    result = linted.check("--strict")
    assert result.exit_code == 0, result.stdout
    assert result.stdout.endswith("no problems\n")


# --- issue 11: long lines in pieces, and team patterns that could hang the check ---


def test_every_hit_on_a_very_long_line_is_found_once_at_its_column(linted: TmpProject) -> None:
    """170,000 hits on one line once took 15 minutes (quadratic); the line is linted in
    pieces now, and a phrase across a piece's cut is still found, once."""
    filler = "The canary stage was skipped and the push went everywhere. "
    sentence = "It was human error. "
    line = "".join(filler * 7 + sentence for _ in range(300))  # ~120,000 characters
    warnings = blameless(linted, line)
    assert len(warnings) == 300
    at = body_line(linted, "It was human error")
    columns = [int(w.split(":")[2]) for w in warnings]
    step = len(filler) * 7 + len(sentence)
    expected = [1 + i * step + len(filler) * 7 + len("It was ") for i in range(300)]
    assert columns == expected
    assert all(f":{at}:" in w and "'human error' assigns blame" in w for w in warnings)


def test_a_phrase_across_every_possible_cut_is_found_once(linted: TmpProject) -> None:
    for shift in range(0, 300, 37):
        line = "x" * (2048 - shift) + " human error " + "y" * 3000
        assert len(blameless(linted, line)) == 1, shift


def _team_pattern(project: TmpProject, pattern: str) -> str:
    (project.root / "schema" / "blameless.yml").write_text(
        f"phrases:\n  - pattern: '{pattern}'\n    suggest: say what happened\n", encoding="utf-8"
    )
    project.write(PROBE)
    result = project.check()
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return result.output


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        (r"\b(\w+\s?)+\bfault\b", "a repeated group holds another repetition, like (a+)+"),
        (r"(?:a|aa)*c", "a repeated group holds"),
        (r"(\w+)\s+\1", "it uses a backreference"),
        ("(" * 600 + "a" + ")" * 600, "its groups are nested more than 20 deep"),
    ],
    ids=["nested-repeat", "repeated-alternation", "backreference", "600-deep"],
)
def test_a_team_pattern_that_could_hang_the_check_is_refused(
    project: TmpProject, pattern: str, why: str
) -> None:
    output = _team_pattern(project, pattern)
    assert "schema/blameless.yml: phrases[0]: pattern could take exponential time" in output
    assert why in output


def test_the_default_patterns_are_all_accepted(linted: TmpProject) -> None:
    linted.write(PROBE)
    assert linted.check().exit_code == 0


def test_a_team_pattern_whose_rounds_start_with_a_separator_is_accepted(
    project: TmpProject,
) -> None:
    (project.root / "schema" / "blameless.yml").write_text(
        "phrases:\n  - pattern: '\\bblame(?:-\\w+)*\\b'\n    suggest: say what happened\n",
        encoding="utf-8",
    )
    project.write(PROBE, body=VALID_BODY + "\n## Lessons learned\n\nNo blame-game here.\n")
    result = project.check()
    assert result.exit_code == 0, result.output
    assert "'blame-game' assigns blame" in result.output


# --- issue 12: quoted text is someone else's; roles name people; every detail is prose ---


def test_quoted_text_is_not_linted(linted: TmpProject) -> None:
    quote = (
        "From the original write-up:\n\n"
        "> The outage was caused by human error: an engineer mistakenly ran the wrong script.\n"
        ">\n"
        "  > The on-call engineer failed to page the database team.\n"
    )
    assert blameless(linted, quote) == []
    # The same words outside the quote are ours, and linted.
    assert len(blameless(linted, quote + "\nIt was human error.\n")) == 1


def test_a_person_in_a_role_counts_as_a_person(linted: TmpProject) -> None:
    linted.write(
        PROBE,
        {"roles": {"incident_commander": "Dana Reyes", "scribe": ["kim"]}},
        body=VALID_BODY + "\n## Lessons learned\n\nDana Reyes failed to escalate in time.\n",
    )
    warnings = [line for line in linted.check().stdout.splitlines() if ": warning: " in line]
    assert len(warnings) == 1
    assert "'Dana Reyes failed to' makes a person the subject of a failure" in warnings[0]


def test_the_trigger_detail_and_the_impact_summary_are_linted(linted: TmpProject) -> None:
    linted.write(
        PROBE,
        {
            "trigger": {"term": "deploy", "detail": "A careless deploy."},
            "impact": {"summary": "Checkout failed; human error."},
        },
    )
    warnings = [line for line in linted.check().stdout.splitlines() if ": warning: " in line]
    assert [w.split(": warning: ")[1].split(":")[0] for w in warnings] == [
        "trigger.detail",
        "impact.summary",
    ]
