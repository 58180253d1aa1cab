"""Reporters: the text people read, the JSON scripts read, GitHub annotations."""

from __future__ import annotations

import json

import pytest

from postmortem_kb.model.findings import Finding, Level, format_field
from postmortem_kb.reports.check import REPORTERS, github_report, json_report, text_report
from postmortem_kb.validation.checker import CheckResult
from postmortem_testkit import TmpProject

ERROR = Finding(
    "postmortems/2025-03-14-x.md",
    7,
    3,
    Level.ERROR,
    "causes[1].term",
    "'dns-failure' is not a known cause; did you mean 'dns'?",
    "unknown-term",
)
WARNING = Finding(
    "postmortems/2025-03-14-x.md",
    9,
    5,
    Level.WARNING,
    "causes[2]",
    "'bad-config' is an alias; write the canonical cause 'config-change'",
    "alias",
)
LOAD = Finding("postmortems/2025-03-14-y.md", 1, 1, Level.ERROR, "", "file is empty", "load")


def result(*findings: Finding, files: int = 2) -> CheckResult:
    return CheckResult(findings=list(findings), files_checked=files)


def test_reporters_by_name() -> None:
    assert sorted(REPORTERS) == ["github", "json", "text"]


def test_format_field() -> None:
    assert format_field(("causes", 1, "term")) == "causes[1].term"
    assert format_field(("action_items", 0)) == "action_items[0]"
    assert format_field(("title",)) == "title"
    assert format_field(()) == ""


def test_finding_render() -> None:
    assert ERROR.render() == (
        "postmortems/2025-03-14-x.md:7:3: error: causes[1].term: 'dns-failure' is not a known "
        "cause; did you mean 'dns'?"
    )
    assert LOAD.render() == "postmortems/2025-03-14-y.md:1:1: error: file is empty"


def test_text_report() -> None:
    assert text_report(result(ERROR, WARNING, LOAD)) == (
        f"{ERROR.render()}\n{WARNING.render()}\n{LOAD.render()}\n"
        "checked 2 postmortems: 2 errors, 1 warning\n"
    )


@pytest.mark.parametrize(
    ("findings", "files", "summary"),
    [
        ((), 0, "checked 0 postmortems: no problems"),
        ((), 1, "checked 1 postmortem: no problems"),
        ((ERROR,), 1, "checked 1 postmortem: 1 error, 0 warnings"),
        ((WARNING, WARNING), 3, "checked 3 postmortems: 0 errors, 2 warnings"),
    ],
)
def test_text_summary(findings: tuple[Finding, ...], files: int, summary: str) -> None:
    assert text_report(result(*findings, files=files)).splitlines()[-1] == summary


def test_json_report_shape() -> None:
    payload = json.loads(json_report(result(ERROR, WARNING)))
    assert payload == {
        "files_checked": 2,
        "errors": 1,
        "warnings": 1,
        "findings": [
            {
                "path": "postmortems/2025-03-14-x.md",
                "line": 7,
                "column": 3,
                "level": "error",
                "field": "causes[1].term",
                "message": "'dns-failure' is not a known cause; did you mean 'dns'?",
                "code": "unknown-term",
            },
            {
                "path": "postmortems/2025-03-14-x.md",
                "line": 9,
                "column": 5,
                "level": "warning",
                "field": "causes[2]",
                "message": "'bad-config' is an alias; write the canonical cause 'config-change'",
                "code": "alias",
            },
        ],
    }


def test_json_report_when_clean() -> None:
    assert json.loads(json_report(result(files=4))) == {
        "files_checked": 4,
        "errors": 0,
        "warnings": 0,
        "findings": [],
    }


def test_github_report() -> None:
    assert github_report(result(ERROR, WARNING)).splitlines() == [
        "::error file=postmortems/2025-03-14-x.md,line=7,col=3,"
        f"title=postmortem check%3A causes[1].term::{ERROR.render()}",
        "::warning file=postmortems/2025-03-14-x.md,line=9,col=5,"
        f"title=postmortem check%3A causes[2]::{WARNING.render()}",
        "checked 2 postmortems: 1 error, 1 warning",
    ]


def test_github_report_without_field() -> None:
    assert github_report(result(LOAD)).splitlines()[0] == (
        "::error file=postmortems/2025-03-14-y.md,line=1,col=1,title=postmortem check::"
        "postmortems/2025-03-14-y.md:1:1: error: file is empty"
    )


def test_github_escaping() -> None:
    odd = Finding("postmortems/a,b:c%.md", 2, 1, Level.ERROR, "x", "50% of\r\nrequests", "c")
    assert github_report(result(odd)).splitlines()[0] == (
        "::error file=postmortems/a%2Cb%3Ac%25.md,line=2,col=1,title=postmortem check%3A x::"
        "postmortems/a,b:c%25.md:2:1: error: x: 50%25 of%0D%0Arequests"
    )


# --- through the command line -------------------------------------------------------------


def test_json_output_of_check(project: TmpProject) -> None:
    project.write(overrides={"severity": "SEV9"})
    out = project.check("--format", "json")
    assert out.exit_code == 1
    assert json.loads(out.stdout) == {
        "files_checked": 1,
        "errors": 1,
        "warnings": 0,
        "findings": [
            {
                "path": "postmortems/2025-03-14-payments-502.md",
                "line": 4,
                "column": 11,
                "level": "error",
                "field": "severity",
                "message": "'SEV9' is not one of: SEV1, SEV2, SEV3, SEV4, unknown",
                "code": "enum",
            }
        ],
    }


def test_html_in_text_fields_appears_verbatim_in_json(project: TmpProject) -> None:
    script = "<script>alert('x')</script>"
    project.write(overrides={"title": f"{script} outage", "severity": script})
    out = project.check("--format", "json")
    (finding,) = json.loads(out.stdout)["findings"]
    assert finding["message"] == f'"{script}" is not one of: SEV1, SEV2, SEV3, SEV4, unknown'
    assert script in out.stdout  # not escaped: escaping is the renderer's job


def test_github_output_of_check(project: TmpProject) -> None:
    project.write(overrides={"severity": "a,b:c%d"})
    out = project.check("--format", "github")
    assert out.stdout.splitlines() == [
        "::error file=postmortems/2025-03-14-payments-502.md,line=4,col=11,"
        "title=postmortem check%3A severity::postmortems/2025-03-14-payments-502.md:4:11: "
        "error: severity: 'a,b:c%25d' is not one of: SEV1, SEV2, SEV3, SEV4, unknown",
        "checked 1 postmortem: 1 error, 0 warnings",
    ]


def test_unknown_format_is_a_usage_error(project: TmpProject) -> None:
    out = project.check("--format", "xml")
    assert out.exit_code == 2
    assert "'xml' is not one of 'github', 'json', 'text'" in out.stderr
