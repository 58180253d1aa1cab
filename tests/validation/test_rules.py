"""Rules the schema cannot say: times, file names, taxonomy terms, action items,
related ids and required body sections."""

from __future__ import annotations

from typing import Any

import pytest

from postmortem_kb.validation.rules import body_sections
from postmortem_testkit import (
    REMOVE,
    VALID_BODY,
    VALID_RECORD,
    MakeProject,
    TmpProject,
    postmortem_text,
)

ID = "2025-03-14-payments-502"
FILE = f"postmortems/{ID}.md"
ITEM: dict[str, Any] = VALID_RECORD["action_items"][0]


def lines(project: TmpProject, overrides: dict[str, Any], name: str = ID, **kw: Any) -> list[str]:
    project.write(name, overrides, **kw)
    return project.check_lines()


# --- times -----------------------------------------------------------------------------


def test_naive_timestamp(project: TmpProject) -> None:
    assert lines(project, {"detected": "2025-03-14T09:20:00"}) == [
        f"{FILE}:6:11: error: detected: '2025-03-14T09:20:00' has no UTC offset, so it could "
        "be any time zone; write it as '2025-03-14T09:20:00Z' if it is UTC, add the offset "
        "like +01:00, or keep only the date (2025-03-14) if the time zone is not known"
    ]


def test_a_date_or_a_month_is_a_time_known_less_closely(project: TmpProject) -> None:
    assert lines(project, {"started": "2025-03-14"}) == []
    assert lines(project, {"started": "2025-03-14", "detected": "2025-03"}) == []
    assert lines(project, {"started": "2025-03", "detected": REMOVE}, "2025-03-00-month") == []


def test_not_a_time(project: TmpProject) -> None:
    assert lines(project, {"started": "14 March 2025"}) == [
        f"{FILE}:5:10: error: started: '14 March 2025' is not an ISO 8601 date and time; write "
        "it like 2025-03-14T09:12:00Z, or only the date (2025-03-14) or month (2025-03)"
    ]


def test_a_leap_second(project: TmpProject) -> None:
    ok = {"started": "2016-12-31T23:59:60Z", "detected": REMOVE, "mitigated": REMOVE}
    assert lines(project, {**ok, "resolved": "2017-01-01T00:10:00Z"}, "2016-12-31-leap") == []
    assert lines(project, {"detected": "2025-03-14T09:20:60Z"}) == [
        f"{FILE}:6:11: error: detected: '2025-03-14T09:20:60Z' is not a real date and time: a "
        "second of 60 is a leap second, which comes only at 23:59:60 UTC on the last day of a "
        "month"
    ]


def test_order_across_precisions(project: TmpProject) -> None:
    # A date is not before a time on that day; a month is not before a date in it.
    assert lines(project, {"detected": "2025-03-14"}) == []
    assert lines(project, {"started": "2025-03-14", "detected": "2025-03-13T23:00:00Z"}) == [
        f"{FILE}:6:11: error: detected: detected (2025-03-13T23:00:00Z) is before started "
        "(2025-03-14); times must run started <= detected <= mitigated <= resolved"
    ]


def test_the_file_name_of_a_date_and_of_a_month(project: TmpProject) -> None:
    assert lines(project, {"started": "2025-03-14"}, "2025-03-15-wrong") == [
        "postmortems/2025-03-15-wrong.md:5:10: error: started: the file name's date 2025-03-15 "
        "is not the date of started (2025-03-14); rename the file to 2025-03-14-wrong.md"
    ]
    (project.postmortems / "2025-03-15-wrong.md").unlink()
    assert lines(project, {"started": "2025-03", "detected": REMOVE}, "2025-03-01-month") == [
        "postmortems/2025-03-01-month.md:5:10: error: started: the file name's date 2025-03-01 "
        "is not started's month, with day 00 for the unknown day (2025-03-00); rename the "
        "file to 2025-03-00-month.md"
    ]


def test_impossible_time(project: TmpProject) -> None:
    assert lines(project, {"resolved": "2025-03-14T24:30:00Z"}) == [
        f"{FILE}:8:11: error: resolved: '2025-03-14T24:30:00Z' is not a real date and time"
    ]


def test_times_out_of_order(project: TmpProject) -> None:
    assert lines(project, {"mitigated": "2025-03-14T09:15:00Z"}) == [
        f"{FILE}:7:12: error: mitigated: mitigated (2025-03-14T09:15:00Z) is before detected "
        "(2025-03-14T09:20:00Z); times must run started <= detected <= mitigated <= resolved"
    ]


def test_order_is_compared_in_utc(project: TmpProject) -> None:
    # 10:00+02:00 is 08:00Z, before started (09:12Z) although it reads later.
    assert lines(project, {"detected": "2025-03-14T10:00:00+02:00"}) == [
        f"{FILE}:6:11: error: detected: detected (2025-03-14T10:00:00+02:00) is before started "
        "(2025-03-14T09:12:00Z); times must run started <= detected <= mitigated <= resolved"
    ]


def test_order_skips_missing_times(project: TmpProject) -> None:
    found = lines(
        project,
        {"detected": REMOVE, "mitigated": REMOVE, "resolved": "2025-03-14T09:00:00Z"},
    )
    assert found == [
        f"{FILE}:6:11: error: resolved: resolved (2025-03-14T09:00:00Z) is before started "
        "(2025-03-14T09:12:00Z); times must run started <= detected <= mitigated <= resolved"
    ]


def test_equal_times_are_fine(project: TmpProject) -> None:
    same = "2025-03-14T09:12:00Z"
    assert lines(project, {"detected": same, "mitigated": same, "resolved": same}) == []


def test_offsets_and_fractions_are_accepted(project: TmpProject) -> None:
    assert (
        lines(
            project,
            {
                "started": "2025-03-14T10:12:00+01:00",
                "detected": "2025-03-14T09:20:00.250Z",
                "mitigated": "2025-03-14 09:41Z",
                "resolved": "2025-03-14T06:05:00-05:00",
            },
        )
        == []
    )


# --- file names ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["payments-502", "2025-03-14_payments", "2025-03-14-Payments"])
def test_file_name_must_be_date_and_slug(project: TmpProject, name: str) -> None:
    assert lines(project, {}, name=name) == [
        f"postmortems/{name}.md:1:1: error: file name '{name}.md' must be "
        "YYYY-MM-DD-short-slug.md (the UTC date the incident started, then lowercase words "
        "joined by hyphens)"
    ]


def test_file_date_must_be_the_utc_date_of_started(project: TmpProject) -> None:
    assert lines(project, {}, name="2025-03-13-payments-502") == [
        "postmortems/2025-03-13-payments-502.md:5:10: error: started: the file name's date "
        "2025-03-13 is not the UTC date of started (2025-03-14); rename the file to "
        "2025-03-14-payments-502.md"
    ]


def test_local_evening_that_is_the_next_utc_day(project: TmpProject) -> None:
    times = {
        "started": "2025-03-14T23:30:00-02:00",  # 2025-03-15T01:30Z
        "detected": REMOVE,
        "mitigated": REMOVE,
        "resolved": REMOVE,
    }
    assert lines(project, times, name="2025-03-14-late-evening") == [
        "postmortems/2025-03-14-late-evening.md:5:10: error: started: the file name's date "
        "2025-03-14 is not the UTC date of started (2025-03-15); rename the file to "
        "2025-03-15-late-evening.md"
    ]


def test_local_morning_that_is_the_previous_utc_day_is_named_by_utc(
    project: TmpProject,
) -> None:
    times = {
        "started": "2025-03-15T01:30:00+02:00",  # 2025-03-14T23:30Z
        "detected": REMOVE,
        "mitigated": REMOVE,
        "resolved": REMOVE,
    }
    assert lines(project, times, name="2025-03-14-early-morning") == []


# --- taxonomy terms --------------------------------------------------------------------


def test_unknown_cause_with_did_you_mean(project: TmpProject) -> None:
    assert lines(project, {"causes": ["dns-failure"]}) == [
        f"{FILE}:13:10: error: causes[0]: 'dns-failure' is not a known cause; did you mean 'dns'?"
    ]


def test_unknown_term_in_mapping_form_points_at_the_term(project: TmpProject) -> None:
    assert lines(project, {"went_well": [{"term": "fast-rolback", "detail": "x"}]}) == [
        f"{FILE}:21:9: error: went_well[0].term: 'fast-rolback' is not a known went-well term; "
        "did you mean 'fast-rollback'?"
    ]


def test_unknown_term_without_a_close_match(project: TmpProject) -> None:
    assert lines(project, {"lucky_breaks": ["zebra"]}) == [
        f"{FILE}:17:16: error: lucky_breaks[0]: 'zebra' is not a known lucky break; pick one "
        "from schema/taxonomy.yml (lucky_breaks) or add it there"
    ]


def test_term_from_another_group_is_unknown_here(project: TmpProject) -> None:
    found = lines(project, {"lucky_breaks": ["fast-rollback"]})
    assert found == [
        f"{FILE}:17:16: error: lucky_breaks[0]: 'fast-rollback' is not a known lucky break; "
        "pick one from schema/taxonomy.yml (lucky_breaks) or add it there"
    ]


def test_alias_is_a_warning_naming_the_canonical_term(project: TmpProject) -> None:
    assert lines(project, {"causes": [{"term": "bad-config", "detail": "x"}]}) == [
        f"{FILE}:14:9: warning: causes[0].term: 'bad-config' is an alias; write the canonical "
        "cause 'config-change'"
    ]


def test_did_you_mean_can_suggest_through_an_alias(project: TmpProject) -> None:
    assert lines(project, {"lucky_breaks": ["low-trafic"]}) == [
        f"{FILE}:17:16: error: lucky_breaks[0]: 'low-trafic' is not a known lucky break; "
        "did you mean 'off-peak-timing'?"
    ]


def test_deprecated_term_with_replacement(project: TmpProject) -> None:
    assert lines(project, {"causes": ["human-error"]}) == [
        f"{FILE}:13:10: warning: causes[0]: 'human-error' is a deprecated cause; use "
        "'config-change' instead"
    ]


def test_deprecated_term_without_replacement(project: TmpProject) -> None:
    assert lines(project, {"causes": ["legacy-thing"]}) == [
        f"{FILE}:13:10: warning: causes[0]: 'legacy-thing' is a deprecated cause"
    ]


def test_deprecated_terms_are_never_suggested(project: TmpProject) -> None:
    found = lines(project, {"causes": ["human-eror"]})
    assert len(found) == 1
    assert "human-error" not in found[0]


def test_duplicate_term(project: TmpProject) -> None:
    assert lines(project, {"causes": ["dns", {"term": "dns", "detail": "again"}]}) == [
        f"{FILE}:15:9: error: causes[1].term: 'dns' is already listed as causes[0]; list each "
        "term once and put both details in one entry"
    ]


def test_duplicate_term_through_an_alias(project: TmpProject) -> None:
    assert lines(project, {"causes": ["config-change", "config-push"]}) == [
        f"{FILE}:13:25: error: causes[1]: 'config-change' is already listed as causes[0]; list "
        "each term once and put both details in one entry",
        f"{FILE}:13:25: warning: causes[1]: 'config-push' is an alias; write the canonical "
        "cause 'config-change'",
    ]


def test_unknown_detection(project: TmpProject) -> None:
    assert lines(project, {"detection": "pager"}) == [
        f"{FILE}:12:12: error: detection: 'pager' is not a known detection method; pick one "
        "from schema/taxonomy.yml (detection) or add it there"
    ]


def test_unknown_service_when_the_taxonomy_lists_services(project: TmpProject) -> None:
    assert lines(project, {"services": ["payments-api", "edge-lbs"]}) == [
        f"{FILE}:10:26: error: services[1]: 'edge-lbs' is not a known service; did you mean "
        "'edge-lb'?"
    ]


def test_any_service_when_the_taxonomy_has_no_services(make_project: MakeProject) -> None:
    project = make_project(services=False)
    assert lines(project, {"services": ["anything-goes", "edge-lbs"]}) == []


def test_unknown_trigger_with_did_you_mean(project: TmpProject) -> None:
    assert lines(project, {"trigger": {"term": "deploys", "detail": "v2"}}) == [
        f"{FILE}:33:9: error: trigger.term: 'deploys' is not a known trigger; did you mean "
        "'deploy'?"
    ]
    assert lines(project, {"trigger": "release"}) == [
        f"{FILE}:32:10: warning: trigger: 'release' is an alias; write the canonical trigger "
        "'deploy'"
    ]


# --- causes ----------------------------------------------------------------------------


def test_a_draft_or_an_imported_write_up_may_name_no_causes_yet(project: TmpProject) -> None:
    assert lines(project, {"status": "draft", "causes": []}) == []
    source = {"url": "https://status.example.com/incidents/42", "publisher": "Example"}
    assert lines(project, {"causes": [], "source": source}) == []


@pytest.mark.parametrize("status", ["review", "published"])
def test_our_own_postmortem_under_review_names_a_cause(project: TmpProject, status: str) -> None:
    assert lines(project, {"status": status, "causes": []}) == [
        f"{FILE}:13:9: error: causes: a {status} postmortem names at least one cause; list the "
        "contributing factors (terms from schema/taxonomy.yml), or keep the status draft until "
        "they are known"
    ]


# --- action items ----------------------------------------------------------------------


def test_duplicate_action_item_id(project: TmpProject) -> None:
    assert lines(project, {"action_items": [ITEM, {**ITEM, "title": "Another one"}]}) == [
        f"{FILE}:31:7: error: action_items[1].id: action item id 'AI-1' is already used by "
        "action_items[0]; ids must be unique within a postmortem"
    ]


def test_wont_do_needs_a_reason(project: TmpProject) -> None:
    assert lines(project, {"action_items": [{**ITEM, "status": "wont-do"}]}) == [
        f"{FILE}:29:11: error: action_items[0].status: status is wont-do but no reason is "
        "given; add 'reason:' saying why it will not be done"
    ]


def test_wont_do_with_a_reason_is_fine(project: TmpProject) -> None:
    item = {**ITEM, "status": "wont-do", "reason": "The service is being retired in May."}
    assert lines(project, {"action_items": [item]}) == []


def test_due_date_that_does_not_exist(project: TmpProject) -> None:
    assert lines(project, {"action_items": [{**ITEM, "due": "2025-02-30"}]}) == [
        f"{FILE}:28:8: error: action_items[0].due: '2025-02-30' is not a real date"
    ]


# --- related ---------------------------------------------------------------------------


def test_related_to_itself(project: TmpProject) -> None:
    assert lines(project, {"related": [ID]}) == [
        f"{FILE}:32:11: error: related[0]: a postmortem cannot be related to itself"
    ]


def test_related_unknown_with_and_without_a_close_id(project: TmpProject) -> None:
    project.write("2024-11-02-edge-lb-partial-outage", {"started": "2024-11-02T10:00:00Z"})
    found = lines(
        project,
        {"related": ["2024-11-02-edge-lb-partial-outag", "2020-01-01-something-else"]},
    )
    assert found == [
        f"{FILE}:32:11: error: related[0]: no postmortem '2024-11-02-edge-lb-partial-outag' in "
        "postmortems/; did you mean '2024-11-02-edge-lb-partial-outage'?",
        f"{FILE}:32:45: error: related[1]: no postmortem '2020-01-01-something-else' in "
        "postmortems/",
    ]


def test_related_to_an_existing_postmortem(project: TmpProject) -> None:
    project.write(
        "2024-11-02-edge-lb-partial-outage",
        {
            "started": "2024-11-02T10:00:00Z",
            "detected": REMOVE,
            "mitigated": REMOVE,
            "resolved": REMOVE,
        },
    )
    assert lines(project, {"related": ["2024-11-02-edge-lb-partial-outage"]}) == []


# --- same incident, source ------------------------------------------------------------


def test_same_incident_as_must_name_another_postmortem(project: TmpProject) -> None:
    assert lines(project, {"same_incident_as": ID}) == [
        f"{FILE}:32:19: error: same_incident_as: a postmortem cannot be a second write-up of itself"
    ]
    assert lines(project, {"same_incident_as": "2025-03-14-payments-50"}) == [
        f"{FILE}:32:19: error: same_incident_as: no postmortem '2025-03-14-payments-50' in "
        "postmortems/; did you mean '2025-03-14-payments-502'?"
    ]
    project.write("2025-03-14-internal-write-up")
    assert lines(project, {"same_incident_as": "2025-03-14-internal-write-up"}) == []


def test_the_source_is_a_web_address_and_a_real_date(project: TmpProject) -> None:
    found = lines(
        project,
        {"source": {"url": "javascript:alert(1)", "published": "2025-02-30"}},
    )
    assert found == [
        f"{FILE}:33:8: error: source.url: 'javascript:alert(1)' is not in the expected form: "
        "an http or https address",
        f"{FILE}:34:14: error: source.published: '2025-02-30' is not a real date",
    ]


def test_impact_numbers_are_checked(project: TmpProject) -> None:
    found = lines(
        project,
        {
            "impact": {
                "customers_affected": "120%",
                "failed_requests_percent": 101,
                "data_loss": "no",
            }
        },
    )
    assert found == [
        f"{FILE}:33:23: error: impact.customers_affected: '120%' is not in the expected form: "
        "a percentage from 0% to 100%, like 12.5%",
        f"{FILE}:34:28: error: impact.failed_requests_percent: must be at most 100, not 101",
        f"{FILE}:35:14: error: impact.data_loss: must be true or false, not text",
    ]


# --- body sections ---------------------------------------------------------------------


@pytest.mark.parametrize("status", ["review", "published"])
def test_missing_sections_for_review_and_published(project: TmpProject, status: str) -> None:
    body = VALID_BODY.replace("## Impact\n", "").replace("## Timeline\n", "")
    assert lines(project, {"status": status}, body=body) == [
        f"{FILE}:33:1: error: the body has no '## Impact' section, which a {status} postmortem "
        "needs (required_sections in schema/config.yml)",
        f"{FILE}:33:1: error: the body has no '## Timeline' section, which a {status} "
        "postmortem needs (required_sections in schema/config.yml)",
    ]


def test_drafts_may_miss_sections(project: TmpProject) -> None:
    assert lines(project, {"status": "draft"}, body="Notes so far.\n") == []


def test_headings_in_fenced_code_do_not_count(project: TmpProject) -> None:
    body = VALID_BODY.replace("## Impact\n", "```markdown\n## Impact\n```\n")
    body = body.replace("## Timeline\n", "~~~\n## Timeline\n~~~\n")
    assert lines(project, {}, body=body) == [
        f"{FILE}:33:1: error: the body has no '## Impact' section, which a published "
        "postmortem needs (required_sections in schema/config.yml)",
        f"{FILE}:33:1: error: the body has no '## Timeline' section, which a published "
        "postmortem needs (required_sections in schema/config.yml)",
    ]


def test_section_names_match_case_insensitively_and_ignore_closing_hashes(
    project: TmpProject,
) -> None:
    body = VALID_BODY.replace("## Impact", "## IMPACT ##").replace("## Timeline", "##  timeline")
    assert lines(project, {}, body=body) == []


def test_other_heading_levels_do_not_count(project: TmpProject) -> None:
    body = VALID_BODY.replace("## Impact", "### Impact").replace("## Timeline", "# Timeline")
    assert len(lines(project, {}, body=body)) == 2


def test_required_sections_come_from_config(make_project: MakeProject) -> None:
    project = make_project(config="required_sections: [Lessons learned]\n")
    assert lines(project, {}) == [
        f"{FILE}:33:1: error: the body has no '## Lessons learned' section, which a published "
        "postmortem needs (required_sections in schema/config.yml)"
    ]


def test_missing_section_line_in_a_crlf_file(project: TmpProject) -> None:
    body = VALID_BODY.replace("## Impact\n", "")
    assert lines(project, {}, body=body, newline="\r\n") == [
        f"{FILE}:33:1: error: the body has no '## Impact' section, which a published "
        "postmortem needs (required_sections in schema/config.yml)"
    ]


def test_body_sections_lists_h2_headings_with_offsets() -> None:
    body = "intro\n## One\ntext\n```\n## Not\n```\n### Sub\n##Nope\n## Two ##\n"
    assert body_sections(body) == [("One", 1), ("Two", 8)]


def test_a_tilde_line_does_not_close_a_backtick_fence() -> None:
    body = "## Summary\n```text\n~~~\n## Impact\n~~~\n```\n"
    assert body_sections(body) == [("Summary", 0)]


# --- several problems in one file --------------------------------------------------------


def test_every_problem_in_a_file_is_reported_in_line_order(project: TmpProject) -> None:
    text = postmortem_text(
        {"severity": "SEV5", "detection": "pager", "causes": ["dns-failure"]}
    ).replace("summary: ", "sumary: typo\nsummary: ")
    project.write_text(ID, text)
    assert [line.split(": ", 2)[0] for line in project.check_lines()] == [
        f"{FILE}:4:11",
        f"{FILE}:11:1",
        f"{FILE}:13:12",
        f"{FILE}:14:10",
    ]
