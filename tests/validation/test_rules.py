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
        "be any time zone; write it as '2025-03-14T09:20:00Z' if it is UTC, or add the offset "
        "like +01:00"
    ]


def test_date_only_timestamp(project: TmpProject) -> None:
    assert lines(project, {"started": "2025-03-14"}) == [
        f"{FILE}:5:10: error: started: '2025-03-14' is not an ISO 8601 date and time; write it "
        "like 2025-03-14T09:12:00Z"
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
