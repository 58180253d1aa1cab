"""What "an incident" is: a postmortem, or several linked by same_incident_as, counted once."""

from __future__ import annotations

from postmortem_kb.collection.load import load_knowledge_base
from postmortem_kb.model.kinds import Kind
from postmortem_testkit import TmpProject
from postmortem_testkit.incidents import incident


def test_second_write_ups_are_one_incident_in_chains_and_either_direction(
    project: TmpProject,
) -> None:
    project.write("2025-01-01-main", incident("2025-01-01", causes=["dns"]))
    project.write(
        "2025-01-01-public",
        incident("2025-01-01", causes=["dns"], same_incident_as="2025-01-01-main"),
    )
    project.write(
        "2025-01-02-third",
        incident("2025-01-02", causes=["config-change"], same_incident_as="2025-01-01-public"),
    )
    project.write("2025-02-01-other", incident("2025-02-01", causes=["dns"]))
    collection = load_knowledge_base(project.project()).collection
    assert len(collection) == 4 and collection.incident_count == 2
    main = collection.by_id["2025-01-01-main"]
    third = collection.by_id["2025-01-02-third"]
    assert collection.incident_of(third) == main  # the one the others point to
    assert [r.id for r in collection.write_ups(main)] == ["2025-01-02-third", "2025-01-01-public"]
    assert collection.term_counts(Kind.CAUSE) == {"dns": 2, "config-change": 1}
    ids = [r.id for r in collection.one_per_incident(collection.records)]
    assert ids == ["2025-02-01-other", "2025-01-01-main"]


def test_a_link_to_a_postmortem_with_errors_joins_nothing(project: TmpProject) -> None:
    project.write("2025-01-01-broken", incident("2025-01-01", severity="SEV9"))
    project.write("2025-01-01-public", incident("2025-01-01", same_incident_as="2025-01-01-broken"))
    collection = load_knowledge_base(project.project()).collection
    assert collection.incident_count == 1
    (record,) = collection.records
    assert collection.incident_of(record) == record and collection.write_ups(record) == []


def test_newest_first_across_precisions(project: TmpProject) -> None:
    project.write("2017-02-28-full", incident("2017-02-28"))
    day = incident("2017-02-28", minutes=None) | {"started": "2017-02-28"}
    project.write("2017-02-28-day", day)
    month = incident("2017-02-01", minutes=None) | {"started": "2017-02"}
    project.write("2017-02-00-month", month)
    collection = load_knowledge_base(project.project()).collection
    assert [r.id for r in collection.records] == [
        "2017-02-28-full",
        "2017-02-28-day",
        "2017-02-00-month",
    ]
