"""Rules for one postmortem that JSON Schema cannot say.

Each rule reads the raw front matter defensively (a value of the wrong type was
already reported by the schema check) and skips fields that already have an
error, so every problem is reported once.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from postmortem_kb.loading.files import LoadedFile
from postmortem_kb.loading.markdown import body_sections
from postmortem_kb.model.findings import FieldPath, Level
from postmortem_kb.model.kinds import KINDS, Control, Kind, KindSpec, Shape, written_terms
from postmortem_kb.model.taxonomy import Resolution, Taxonomy
from postmortem_kb.model.timestamps import IncidentTime, Precision, TimestampError, parse_time
from postmortem_kb.project.repository import Config
from postmortem_kb.validation.problems import Problem

ID_PATTERN = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*$")
TIME_FIELDS = ("started", "detected", "mitigated", "resolved")


def record_problems(
    loaded: LoadedFile,
    taxonomy: Taxonomy,
    config: Config,
    known_ids: set[str],
    errored: set[FieldPath],
) -> list[Problem]:
    """Problems the schema cannot find: times, file name, terms, causes, action items,
    related and same-incident ids, the source's date, sections."""
    data = loaded.front_matter.data
    problems: list[Problem] = []
    problems += _file_name(loaded.id, data, errored)
    problems += _times(data, errored)
    problems += _terms(data, taxonomy, errored)
    problems += _causes_named(data, errored)
    problems += _action_items(data, errored)
    problems += _related(loaded.id, data, known_ids, errored)
    problems += _same_incident(loaded.id, data, known_ids, errored)
    problems += _source(data, errored)
    problems += _sections(loaded, data, config)
    return problems


def _file_name(file_id: str, data: dict[str, Any], errored: set[FieldPath]) -> Iterator[Problem]:
    match = ID_PATTERN.match(file_id)
    if not match:
        yield Problem(
            (),
            f"file name '{file_id}.md' must be YYYY-MM-DD-short-slug.md "
            "(the UTC date the incident started, then lowercase words joined by hyphens)",
            code="file-name",
            line=1,
        )
        return
    started = data.get("started")
    if not isinstance(started, str) or ("started",) in errored:
        return
    try:
        parsed = parse_time(started)
    except TimestampError:
        return  # reported by _times
    expected = parsed.id_date
    if match.group("date") != expected:
        slug = file_id[11:]
        what = {
            Precision.TIME: "the UTC date of started",
            Precision.DAY: "the date of started",
            Precision.MONTH: "started's month, with day 00 for the unknown day",
        }[parsed.precision]
        yield Problem(
            ("started",),
            f"the file name's date {match.group('date')} is not {what} "
            f"({expected}); rename the file to {expected}-{slug}.md",
            code="file-date",
        )


def _times(data: dict[str, Any], errored: set[FieldPath]) -> Iterator[Problem]:
    parsed: list[tuple[str, IncidentTime]] = []
    for name in TIME_FIELDS:
        value = data.get(name)
        if not isinstance(value, str) or (name,) in errored:
            continue
        try:
            parsed.append((name, parse_time(value)))
        except TimestampError as exc:
            yield Problem((name,), str(exc), code="timestamp")
    # Compared at the coarser precision of each pair: a date is not before a time that day.
    for (earlier_name, earlier), (later_name, later) in itertools.pairwise(parsed):
        if later.is_before(earlier):
            yield Problem(
                (later_name,),
                f"{later_name} ({data[later_name]}) is before {earlier_name} "
                f"({data[earlier_name]}); times must run started <= detected <= mitigated <= resolved",
                code="time-order",
            )


def _terms(data: dict[str, Any], taxonomy: Taxonomy, errored: set[FieldPath]) -> Iterator[Problem]:
    """Every name of every controlled kind is a known term (model.kinds says which are)."""
    for spec in KINDS.values():
        if spec.control is Control.NEVER:
            continue
        if spec.control is Control.IF_LISTED and not taxonomy.has_group(spec.kind):
            continue  # no list of services: any name goes
        yield from _term_names(spec, data.get(spec.field), taxonomy, errored)


def _term_names(
    spec: KindSpec, value: Any, taxonomy: Taxonomy, errored: set[FieldPath]
) -> Iterator[Problem]:
    if not spec.shape.is_list and (spec.field,) in errored:
        return
    seen: dict[str, int | str] = {}
    for written in written_terms(spec, value):
        if written.path in errored or written.item in errored:
            continue
        problem = _term_problem(taxonomy, spec.kind, written.name, written.path)
        if problem is not None:
            yield problem
        if spec.shape is not Shape.TERMS:
            continue  # one term, or a list of names that is unique by the schema (uniqueItems)
        canonical = taxonomy.canonical_id(spec.kind, written.name)
        if canonical in seen:
            yield Problem(
                written.path,
                f"'{canonical}' is already listed as {spec.field}[{seen[canonical]}]; "
                "list each term once and put both details in one entry",
                code="duplicate-term",
            )
        else:
            seen[canonical] = written.item[-1]


def _term_problem(taxonomy: Taxonomy, kind: Kind, name: str, path: FieldPath) -> Problem | None:
    resolved = taxonomy.resolve(kind, name)
    if resolved.outcome is Resolution.CANONICAL:
        return None
    if resolved.outcome is Resolution.ALIAS:
        assert resolved.term is not None
        return Problem(
            path,
            f"'{name}' is an alias; write the canonical {kind.singular} '{resolved.term.id}'",
            level=Level.WARNING,
            code="alias",
        )
    if resolved.outcome is Resolution.DEPRECATED:
        assert resolved.term is not None
        instead = (
            f"; use '{resolved.term.replaced_by}' instead" if resolved.term.replaced_by else ""
        )
        return Problem(
            path,
            f"'{name}' is a deprecated {kind.singular}{instead}",
            level=Level.WARNING,
            code="deprecated",
        )
    if resolved.suggestions:
        hint = " or ".join(f"'{s}'" for s in resolved.suggestions)
        tip = f"did you mean {hint}?"
    else:
        tip = f"pick one from schema/taxonomy.yml ({kind.value}) or add it there"
    return Problem(path, f"'{name}' is not a known {kind.singular}; {tip}", code="unknown-term")


def _causes_named(data: dict[str, Any], errored: set[FieldPath]) -> Iterator[Problem]:
    """Causes may wait while a postmortem is a draft or an imported write-up (it has a
    ``source``): "not yet analysed". A postmortem of our own under review names them."""
    causes = data.get("causes")
    if causes != [] or ("causes",) in errored or data.get("status") == "draft":
        return
    if isinstance(data.get("source"), dict):
        return
    yield Problem(
        ("causes",),
        f"a {data.get('status')} postmortem names at least one cause; list the contributing "
        "factors (terms from schema/taxonomy.yml), or keep the status draft until they are known",
        code="no-causes",
    )


def _action_items(data: dict[str, Any], errored: set[FieldPath]) -> Iterator[Problem]:
    items = data.get("action_items")
    if not isinstance(items, list):
        return
    first_index: dict[str, int] = {}
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        item_id = item.get("id")
        if isinstance(item_id, str):
            if item_id in first_index:
                yield Problem(
                    ("action_items", index, "id"),
                    f"action item id '{item_id}' is already used by action_items[{first_index[item_id]}]; "
                    "ids must be unique within a postmortem",
                    code="duplicate-id",
                )
            else:
                first_index[item_id] = index
        if item.get("status") == "wont-do" and not item.get("reason"):
            yield Problem(
                ("action_items", index, "status"),
                "status is wont-do but no reason is given; add 'reason:' saying why it will not be done",
                code="wont-do-reason",
            )
        due = item.get("due")
        if isinstance(due, str) and ("action_items", index, "due") not in errored:
            yield from _real_date(("action_items", index, "due"), due)


def _postmortem_ref(
    path: FieldPath, other: str, own_id: str, known_ids: set[str], itself: str, code: str
) -> Iterator[Problem]:
    """``other`` names another postmortem: not ``own_id`` (``itself`` says why), and one
    that exists (with the closest id as a tip); codes ``<code>-self`` and ``<code>-unknown``."""
    if other == own_id:
        yield Problem(path, itself, code=f"{code}-self")
    elif other not in known_ids:
        close = difflib.get_close_matches(other, sorted(known_ids), n=1, cutoff=0.7)
        tip = f"; did you mean '{close[0]}'?" if close else ""
        yield Problem(path, f"no postmortem '{other}' in postmortems/{tip}", code=f"{code}-unknown")


def _real_date(path: FieldPath, value: str) -> Iterator[Problem]:
    """A date the schema's pattern let through must also exist (not 2025-02-30)."""
    try:
        date.fromisoformat(value)
    except ValueError:
        yield Problem(path, f"'{value}' is not a real date", code="date")


def _related(
    own_id: str, data: dict[str, Any], known_ids: set[str], errored: set[FieldPath]
) -> Iterator[Problem]:
    related = data.get("related")
    if not isinstance(related, list):
        return
    for index, other in enumerate(related):
        if isinstance(other, str) and ("related", index) not in errored:
            yield from _postmortem_ref(
                ("related", index),
                other,
                own_id,
                known_ids,
                "a postmortem cannot be related to itself",
                "related",
            )


def _same_incident(
    own_id: str, data: dict[str, Any], known_ids: set[str], errored: set[FieldPath]
) -> Iterator[Problem]:
    other = data.get("same_incident_as")
    if isinstance(other, str) and ("same_incident_as",) not in errored:
        yield from _postmortem_ref(
            ("same_incident_as",),
            other,
            own_id,
            known_ids,
            "a postmortem cannot be a second write-up of itself",
            "same-incident",
        )


def _source(data: dict[str, Any], errored: set[FieldPath]) -> Iterator[Problem]:
    source = data.get("source")
    published = source.get("published") if isinstance(source, dict) else None
    if isinstance(published, str) and ("source", "published") not in errored:
        yield from _real_date(("source", "published"), published)


def _sections(loaded: LoadedFile, data: dict[str, Any], config: Config) -> Iterator[Problem]:
    if data.get("status") not in config.sections_required_for:
        return
    present = {title.strip().lower() for title, _ in body_sections(loaded.body)}
    for required in config.required_sections:
        if required.lower() not in present:
            yield Problem(
                (),
                f"the body has no '## {required}' section, which a {data.get('status')} postmortem "
                "needs (required_sections in schema/config.yml)",
                code="missing-section",
                line=loaded.body_line,
            )
