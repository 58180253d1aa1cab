"""`postmortem search`: ranking, filters, aliases, query syntax, output and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from postmortem_kb.search import fts_expression
from postmortem_testkit import MakeProject, TmpProject, run_cli
from postmortem_testkit.incidents import body, incident, ok, search_ids

ALL = [
    "2025-03-01-draft-checkout",
    "2025-01-15-bad-config-payments",
    "2024-08-20-payments-capacity",
    "2024-05-01-edge-config-push",
    "2023-02-10-dns-resolver-timeouts",
]


# -- ranking ---------------------------------------------------------------------------


def test_a_planted_unique_phrase_comes_first(make_project: MakeProject) -> None:
    project = make_project()
    filler = "The load balancer dropped connections while the zebra dashboard lagged.\n"
    for n in range(1, 8):
        project.write(
            f"2024-0{n}-01-incident-{n}",
            incident(f"2024-0{n}-01", title=f"Incident {n}"),
            body=body(filler * n),
        )
    project.write(
        "2023-06-01-planted",
        incident("2023-06-01", title="An ordinary title"),
        body=body("The purple zebra dashboard lagged once."),
    )
    ids = search_ids(project, '"purple zebra dashboard"')
    assert ids == ["2023-06-01-planted"]
    # Loose words match everywhere; the file with the rare word ranks first.
    assert search_ids(project, "zebra", "purple")[0] == "2023-06-01-planted"


def test_a_match_in_the_title_outranks_matches_in_the_body(make_project: MakeProject) -> None:
    project = make_project()
    project.write(
        "2024-01-01-body",
        incident("2024-01-01", title="Something else entirely"),
        body=body("wombat wombat wombat appears in the body three times."),
    )
    project.write("2023-01-01-title", incident("2023-01-01", title="The wombat outage"))
    assert search_ids(project, "wombat") == ["2023-01-01-title", "2024-01-01-body"]


def test_words_must_all_occur_and_details_are_searched(incidents: TmpProject) -> None:
    assert search_ids(incidents, "quokka") == ["2024-05-01-edge-config-push"]  # a cause detail
    assert search_ids(incidents, "query", "flood") == ["2023-02-10-dns-resolver-timeouts"]
    assert search_ids(incidents, "quokka", "sale") == []


def test_stemming_and_prefixes(incidents: TmpProject) -> None:
    # "timeouts" and "timed out" both reach "time out" through stemming or prefixes.
    assert search_ids(incidents, "resolver") == ["2023-02-10-dns-resolver-timeouts"]
    assert search_ids(incidents, "quok*") == ["2024-05-01-edge-config-push"]
    assert search_ids(incidents, "connection") == ["2024-08-20-payments-capacity"]


# -- filters ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["--cause", "config-change"],
            ["2025-01-15-bad-config-payments", "2024-05-01-edge-config-push"],
        ),
        (["--cause", "dns", "--cause", "config-change"], [ALL[1], ALL[3], ALL[4]]),
        (
            ["--cause", "capacity-exhaustion", "--cause", "insufficient-testing"],
            [ALL[0], ALL[2], ALL[4]],
        ),
        (["--lucky-break", "off-peak-timing"], [ALL[4]]),
        (["--lucky-break", "expert-on-hand", "--lucky-break", "off-peak-timing"], [ALL[2], ALL[4]]),
        (["--went-well", "fast-rollback"], [ALL[3]]),
        (["--went-well", "clear-runbook", "--went-well", "fast-rollback"], [ALL[1], ALL[3]]),
        (["--service", "checkout"], [ALL[0], ALL[2], ALL[4]]),
        (["--service", "edge-lb", "--service", "payments-api"], [ALL[1], ALL[2], ALL[3]]),
        (["--severity", "SEV1"], [ALL[4]]),
        (["--severity", "sev3", "--severity", "SEV4"], [ALL[0], ALL[2]]),
        (["--status", "draft"], [ALL[0]]),
        (["--status", "review", "--status", "draft"], [ALL[0], ALL[2]]),
        (["--since", "2024-08-20"], ALL[:3]),
        (["--until", "2024-05-01"], ALL[3:]),
        (["--since", "2024-01-01", "--until", "2024-12-31"], ALL[2:4]),
        # Different filters AND together.
        (["--service", "checkout", "--cause", "capacity-exhaustion"], [ALL[2], ALL[4]]),
        (["--service", "checkout", "--severity", "SEV1", "--since", "2024-01-01"], []),
        (["--cause", "insufficient-testing", "--status", "published"], []),
    ],
)
def test_filters(incidents: TmpProject, args: list[str], expected: list[str]) -> None:
    assert search_ids(incidents, *args) == expected


def test_filters_combine_with_text(incidents: TmpProject) -> None:
    assert search_ids(incidents, "errors", "--cause", "config-change") == [
        "2025-01-15-bad-config-payments"
    ]
    assert search_ids(incidents, "checkout", "--severity", "SEV1") == [
        "2023-02-10-dns-resolver-timeouts"
    ]


def test_without_a_query_everything_is_listed_newest_first(incidents: TmpProject) -> None:
    assert search_ids(incidents) == ALL
    assert search_ids(incidents, "--limit", "2") == ALL[:2]
    text = ok(incidents.cli("search", "--limit", "2")).stdout
    assert "showing 2 of 5 matches" in text


# -- aliases and unknown terms ---------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "alias", "canonical"),
    [
        ("--cause", "bad-config", "config-change"),
        ("--cause", "config-push", "config-change"),
        ("--lucky-break", "low-traffic", "off-peak-timing"),
        ("--went-well", "quick-rollback", "fast-rollback"),
    ],
)
def test_aliases_find_what_the_canonical_term_finds(
    incidents: TmpProject, option: str, alias: str, canonical: str
) -> None:
    assert search_ids(incidents, option, alias) == search_ids(incidents, option, canonical) != []


def test_a_record_written_with_an_alias_is_found_by_the_canonical_term(
    incidents: TmpProject,
) -> None:
    assert "2025-01-15-bad-config-payments" in search_ids(incidents, "--cause", "config-change")
    hit = json.loads(ok(incidents.cli("search", "errors", "--format", "json")).stdout)[0]
    assert hit["causes"] == ["config-change"]


@pytest.mark.parametrize(
    ("option", "name", "suggestion"),
    [
        ("--cause", "config-chang", "'config-change'"),
        ("--cause", "dns-failure", "'dns'"),
        ("--lucky-break", "off-peak", "'off-peak-timing'"),
        ("--went-well", "fast-rollbak", "'fast-rollback'"),
        ("--service", "payment-api", "'payments-api'"),
    ],
)
def test_an_unknown_term_is_a_usage_error_with_a_suggestion(
    incidents: TmpProject, option: str, name: str, suggestion: str
) -> None:
    result = incidents.cli("search", option, name)
    assert result.exit_code == 2
    assert f"'{name}' is not a known" in result.stderr
    assert f"did you mean {suggestion}" in result.stderr
    assert "Traceback" not in result.output


def test_services_are_free_text_without_a_services_group(make_project: MakeProject) -> None:
    project = make_project(services=False)
    project.write("2024-01-01-a", incident("2024-01-01", services=["anything-goes"]))
    assert search_ids(project, "--service", "anything-goes") == ["2024-01-01-a"]
    assert search_ids(project, "--service", "something-else") == []


# -- bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2024-13-01"], "'2024-13-01' is not a date"),
        (["--until", "yesterday"], "'yesterday' is not a date"),
        (["--since", "2025-01-01", "--until", "2024-01-01"], "is after --until"),
        (["--severity", "SEV9"], "'SEV9' is not a severity; expected one of SEV1"),
        (["--status", "done"], "'done' is not a status"),
        (["--limit", "0"], "--limit"),
        (["--format", "xml"], "--format"),
    ],
)
def test_bad_input_is_exit_2_with_a_message(
    incidents: TmpProject, args: list[str], message: str
) -> None:
    result = incidents.cli("search", *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr


@pytest.mark.parametrize(
    "query",
    [
        '"unclosed phrase',
        "AND OR NOT",
        "title:quokka",
        "(quokka",
        "quokka)",
        "*",
        "-",
        "NEAR(a b)",
        "^quokka",
        "a+b",
        '""',
        "'",
        "ünïcödé",
        "x" * 500,
    ],
)
def test_any_query_text_is_safe(incidents: TmpProject, query: str) -> None:
    result = incidents.cli("search", query)
    assert result.exit_code == 0, result.output


def test_fts_expression_quotes_every_part() -> None:
    assert fts_expression('config push "exact phrase" time*') == (
        '"config" "push" "exact phrase" "time"*'
    )
    assert fts_expression("title:quokka AND (x)") == '"title quokka" "AND" "x"'
    assert fts_expression('- * "" ') == ""


def test_a_search_outside_a_repository_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli(["search", "anything"])
    assert result.exit_code == 2
    assert "no schema/postmortem.schema.json found" in result.stderr


# -- output ----------------------------------------------------------------------------


def test_json_output_shape(incidents: TmpProject) -> None:
    hits = json.loads(ok(incidents.cli("search", "sale", "--format", "json")).stdout)
    assert isinstance(hits, list) and hits
    hit = next(h for h in hits if h["id"] == "2024-08-20-payments-capacity")
    assert hit == {
        "id": "2024-08-20-payments-capacity",
        "path": "postmortems/2024-08-20-payments-capacity.md",
        "date": "2024-08-20",
        "severity": "SEV3",
        "status": "review",
        "title": "Payments API slow during a sale",
        "score": hit["score"],
        "snippet": hit["snippet"],
        "causes": ["capacity-exhaustion", "insufficient-testing"],
        "services": ["payments-api", "checkout"],
    }
    assert isinstance(hit["score"], float) and hit["score"] > 0
    assert "[" in hit["snippet"] and "]" in hit["snippet"]


def test_json_output_of_no_matches_is_an_empty_list(incidents: TmpProject) -> None:
    assert (
        json.loads(ok(incidents.cli("search", "nothingmatches", "--format", "json")).stdout) == []
    )


def test_text_output_marks_the_match(incidents: TmpProject) -> None:
    lines = ok(incidents.cli("search", "quokka")).stdout.splitlines()
    assert lines[0].split() == ["2024-05-01-edge-config-push", "SEV2", "2024-05-01", "published"]
    assert lines[1].strip() == "Edge load balancer drops TLS after a config push"
    assert "[quokka]" in lines[2]
    assert lines[-1] == "1 match"
    assert ok(incidents.cli("search", "nothingmatches")).stdout == "no matches\n"


def test_files_with_errors_are_left_out_and_counted_on_stderr(incidents: TmpProject) -> None:
    incidents.write_text("2025-04-01-broken", "---\ntitle: [unclosed\n---\n")
    incidents.write("2025-04-02-bad-cause", incident("2025-04-02", causes=["no-such-cause"]))
    result = ok(incidents.cli("search"))
    assert "2025-04-01-broken" not in result.stdout
    assert result.stderr == (
        "postmortem: 2 files with errors left out of the search; "
        "run `postmortem check` to see them\n"
    )
    # A file that gets fixed is found at once.
    incidents.write("2025-04-02-bad-cause", incident("2025-04-02", causes=["dns"]))
    assert "2025-04-02-bad-cause" in search_ids(incidents, "--cause", "dns")


def test_help_has_examples(incidents: TmpProject) -> None:
    for command in ("search", "patterns", "similar"):
        assert "Examples:" in ok(incidents.cli(command, "--help")).stdout


def test_a_file_name_that_is_not_utf8_is_left_out_not_a_crash(incidents: TmpProject) -> None:
    """SQLite stores only valid UTF-8 text; such a name is never a valid id anyway."""
    import os

    (incidents.postmortems / os.fsdecode(b"2025-04-04-bad\xff.md")).write_text("---\n")
    result = incidents.cli("search", "--format", "json")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == 5
    assert "1 file with errors left out of the search" in result.stderr


# -- issue 12: trigger, customer-facing, severity unknown, a month and --since -----------


def test_trigger_customer_facing_and_unknown_severity_filters(incidents: TmpProject) -> None:
    incidents.write(
        "2024-06-00-imported",
        incident(
            "2024-06-01",
            title="Imported write-up known only to the month",
            severity="unknown",
            status="draft",
            causes=[],
            minutes=None,
            trigger={"term": "release", "detail": "A new build."},
            impact={"customer_facing": True},
        )
        | {"started": "2024-06"},
    )
    incidents.write(
        "2024-05-01-edge-config-push",
        incident(
            "2024-05-01",
            title="Edge load balancer drops TLS after a config push",
            causes=["config-change"],
            services=["edge-lb"],
            trigger="traffic-surge",
            impact={"customer_facing": False},
        ),
    )
    assert search_ids(incidents, "--trigger", "deploy") == ["2024-06-00-imported"]
    assert search_ids(incidents, "--trigger", "release") == ["2024-06-00-imported"]  # an alias
    assert search_ids(incidents, "--customer-facing", "yes") == ["2024-06-00-imported"]
    assert search_ids(incidents, "--customer-facing", "no") == ["2024-05-01-edge-config-push"]
    assert search_ids(incidents, "--severity", "unknown") == ["2024-06-00-imported"]
    hit = json.loads(ok(incidents.cli("search", "--format", "json", "--trigger", "deploy")).stdout)
    assert hit[0]["date"] == "2024-06"
    bad = incidents.cli("search", "--trigger", "deploys")
    assert bad.exit_code == 2 and "did you mean 'deploy'?" in bad.stderr


def test_since_and_until_say_what_a_month_left_out(incidents: TmpProject) -> None:
    incidents.write(
        "2024-08-00-month",
        incident("2024-08-01", title="Known only to the month", minutes=None)
        | {"started": "2024-08"},
    )
    cut = ok(incidents.cli("search", "--since", "2024-08-15", "--format", "json"))
    assert "2024-08-00-month" not in [h["id"] for h in json.loads(cut.stdout)]
    assert (
        "postmortem: 1 postmortem left out: its start is known only to a month that "
        "--since/--until cuts through" in cut.stderr
    )
    whole = ok(incidents.cli("search", "--since", "2024-08-01", "--until", "2024-08-31"))
    assert "2024-08-00-month" in whole.stdout and "left out" not in whole.stderr
