"""One source document as one of our postmortems, inventing nothing.

A field the source does not give stays out (a time, an impact figure) or says
so (``severity: unknown``, ``causes: []``: not yet analysed); a value that
cannot be written in our form is left out with a note; a taxonomy name the
taxonomy does not know is collected for the did-you-mean report (or for
``--add-terms``). The text comes back as a whole file for the strict check.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import yaml

from postmortem_kb.authoring.importing.body import (
    Part,
    compose_body,
    first_paragraph,
    split_parts,
)
from postmortem_kb.authoring.importing.mapping import Mapping, Routed
from postmortem_kb.authoring.importing.sources import SourceDocument
from postmortem_kb.authoring.importing.times import find_date, read_time
from postmortem_kb.authoring.new import slugify
from postmortem_kb.model.kinds import KINDS, Control, Kind
from postmortem_kb.model.shape import UNKNOWN_SEVERITY, RecordShape
from postmortem_kb.model.taxonomy import Resolution, Taxonomy

MAX_TITLE = 200
MAX_SUMMARY = 2000
_TERM_FIELDS = {
    "services": Kind.SERVICE,
    "causes": Kind.CAUSE,
    "trigger": Kind.TRIGGER,
    "detection": Kind.DETECTION,
}
_WEB = re.compile(r"^https?://[^\s]+$")
_SENTENCE = re.compile(r"(?<=[.!?])\s")
_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}


@dataclass(frozen=True)
class Unknown:
    """A taxonomy name the source uses that the taxonomy does not know."""

    kind: Kind
    term: str  # as a term id would be: the source's value as a slug
    written: str  # as the source wrote it


@dataclass
class Draft:
    """What one document becomes: the front matter, the body, and what was lost."""

    data: dict[str, Any]
    body: str
    notes: list[str] = field(default_factory=list)  # said on the input's line
    unknown: list[Unknown] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # left out by the mapping, on purpose
    error: str = ""  # the document cannot become a postmortem (no date, no service...)


def compose(
    document: SourceDocument,
    mapping: Mapping,
    taxonomy: Taxonomy,
    shape: RecordShape,
    *,
    status: str,
    template_sections: list[str],
    required_sections: list[str],
) -> Draft:
    """The postmortem ``document`` becomes, with status ``status``."""
    reader = _Reader(document, mapping)
    draft = Draft({}, "")
    data = draft.data
    parts = split_parts(document.body)
    summary_text = _text(reader.first("summary")) or _summary_from(parts)
    title = _text(reader.first("title")) or _text(document.heading_title)
    if len(title) < 5:
        title = _first_sentence(summary_text) if summary_text else title
    if len(title) < 5:
        draft.error = "no title: map a key to title, or give the document a heading"
        return draft
    data["title"] = _cut(title, MAX_TITLE)
    data["status"] = status
    data["severity"] = _severity(reader, mapping, shape, draft)
    _times(reader, document, mapping, draft)
    if "started" not in data:
        return draft
    source = _source(reader, document, draft)
    authors = _names(reader.first("authors")) or _names(mapping.defaults.get("authors"))
    if not authors and source.get("publisher"):
        authors = [source["publisher"]]
    if not authors:
        draft.error = (
            "no author: map a key to authors, or name one under defaults: authors: in the "
            "mapping (the publisher is taken when there is one)"
        )
        return draft
    data["authors"] = authors
    routed = _routed_values(reader, mapping, draft)
    services = _terms(routed.get("services", []), Kind.SERVICE, taxonomy, draft)
    if not services and not any(u.kind is Kind.SERVICE for u in draft.unknown):
        draft.error = (
            "no service: map a key to services (the product, say), or name one under "
            "defaults: services: in the mapping"
        )
        return draft
    data["services"] = services
    summary = summary_text or (title if len(title) >= 10 else "")
    if len(summary) < 10:
        draft.error = "no summary: map a key to summary, or give the document a first paragraph"
        return draft
    data["summary"] = _cut(summary, MAX_SUMMARY)
    detection = _terms(routed.get("detection", []), Kind.DETECTION, taxonomy, draft)
    if detection:
        data["detection"] = detection[0]
    trigger = _terms(routed.get("trigger", []), Kind.TRIGGER, taxonomy, draft)
    if trigger:
        data["trigger"] = trigger[0]
        if len(trigger) > 1:
            draft.notes.append(f"trigger: kept {trigger[0]}, not {', '.join(trigger[1:])}")
    data["causes"] = _terms(routed.get("causes", []), Kind.CAUSE, taxonomy, draft)
    impact = _impact(reader, draft)
    if impact:
        data["impact"] = impact
    roles = {
        role: names
        for role in ("incident_commander", "communications", "scribe")
        if (names := _names(reader.first(f"roles.{role}")))
    }
    if roles:
        data["roles"] = {k: v[0] if len(v) == 1 else v for k, v in roles.items()}
    responders = _count(reader.first("responders"), "responders", draft)
    if responders:
        data["responders"] = responders
    tags = list(dict.fromkeys(t for t in (slugify(v, 80) for v in routed.get("tags", [])) if t))
    if tags:
        data["tags"] = tags
    data["source"] = source
    body_text = _text(reader.first("body"))
    if body_text:
        parts = [*parts, Part(None, body_text)] if parts else [Part(None, body_text)]
    intro = (
        f"_Imported with `postmortem import` from {_code(document.imported_from)}: the "
        "quoted text is the original write-up's own words._"
    )
    required = required_sections if status != "draft" else []
    draft.body = compose_body(parts, mapping, template_sections, required, intro)
    return draft


class _Reader:
    """The values of a document for our fields, through the mapping."""

    def __init__(self, document: SourceDocument, mapping: Mapping) -> None:
        self.keys = document.keys
        self.lower = {k.lower(): v for k, v in document.keys.items()}
        self.mapping = mapping

    def first(self, target: str) -> Any:
        """The first non-empty value among the keys ``target`` is read from, else the
        mapping's default for it, else None."""
        for key in self.mapping.keys_for(target):
            value = self.keys.get(key, self.lower.get(key.lower()))
            if value not in (None, "", []):
                return value
        return self.mapping.defaults.get(target)


def _text(value: Any) -> str:
    """Text with entities decoded and white space folded (``AT&amp;T`` -> ``AT&T``)."""
    if value is None or isinstance(value, list | dict):
        return ""
    return " ".join(html.unescape(str(value)).split())


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def _first_sentence(text: str) -> str:
    return _cut(_SENTENCE.split(text, 1)[0], 120)


def _summary_from(parts: list[Part]) -> str:
    """The first paragraph of the source's summary section, or of its text, as plain text."""
    for part in parts:
        if part.heading is not None and part.heading.strip().lower() in ("summary", "overview"):
            found = first_paragraph(part.text)
            if found:
                return _plain(found)
    for part in parts:
        found = first_paragraph(part.text)
        if found:
            return _plain(found)
    return ""


_MARKUP = (
    (re.compile(r"<[^<>]*>"), ""),  # HTML tags
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # [text](url) and images
    (re.compile(r"(\*\*|__|\*|`)"), ""),  # emphasis and code marks
)


def _plain(markdown: str) -> str:
    """Markdown prose as plain text for the front matter (which pages show as text)."""
    for pattern, replacement in _MARKUP:
        markdown = pattern.sub(replacement, markdown)
    return _text(markdown)


def _code(text: str) -> str:
    return "`" + text.replace("`", "'") + "`"


def _severity(reader: _Reader, mapping: Mapping, shape: RecordShape, draft: Draft) -> str:
    written = _text(reader.first("severity"))
    if not written:
        return UNKNOWN_SEVERITY
    routed = mapping.route("severity", written)
    value = routed.value if isinstance(routed, Routed) else routed
    if value is None:
        return UNKNOWN_SEVERITY
    by_folded = {level.casefold(): level for level in shape.severities}
    level = by_folded.get(str(value).casefold())
    if level is None:
        draft.notes.append(
            f"severity '{written}' is not one of {', '.join(shape.severities)}: written as "
            "unknown (map it under values: severity: in the mapping)"
        )
        return UNKNOWN_SEVERITY
    return level


def _times(reader: _Reader, document: SourceDocument, mapping: Mapping, draft: Draft) -> None:
    for name in ("started", "detected", "mitigated", "resolved"):
        value = reader.first(name)
        got = read_time(value, mapping.timezone)
        if name == "started" and got.text is None and value in (None, ""):
            got = find_date("\n".join([document.heading_title, document.body]))
            if got.text is not None:
                got = type(got)(got.text, f"started: {got.note}")
        elif got.note:
            got = type(got)(got.text, f"{name}: {got.note}")
        if got.note:
            draft.notes.append(got.note)
        if got.text is not None:
            draft.data[name] = got.text
    if "started" not in draft.data:
        draft.error = (
            "no date: started is required and is never guessed; map the key that holds it "
            "(fields: started: in the mapping) or add the date to the source"
        )


def _source(reader: _Reader, document: SourceDocument, draft: Draft) -> dict[str, Any]:
    source: dict[str, Any] = {}
    for key in ("url", "archived_url"):
        url = _text(reader.first(f"source.{key}"))
        if url and _WEB.match(url):
            source[key] = url
        elif url:
            draft.notes.append(f"source.{key}: '{url}' is not an http or https address: left out")
    publisher = _text(reader.first("source.publisher"))
    if publisher:
        source["publisher"] = _cut(publisher, 200)
    published = read_time(reader.first("source.published"))
    if published.text is not None:
        if len(published.text) >= 10:
            source["published"] = published.text[:10]
        else:
            draft.notes.append("source.published: only a month; left out (it takes a date)")
    source["imported_from"] = _cut(document.imported_from, 500)
    own_id = _text(reader.first("id"))
    if own_id:
        source["id"] = _cut(own_id, 200)
    return source


def _names(value: Any) -> list[str]:
    """A name or names (a list, or text separated by commas), each once."""
    items = value if isinstance(value, list) else re.split(r"[,;]", str(value)) if value else []
    names = [_cut(_text(item), 100) for item in items]
    return list(dict.fromkeys(n for n in names if n))


def _values(value: Any) -> list[str]:
    if isinstance(value, list):
        return [t for item in value if (t := _text(item))]
    text = _text(value)
    return [t.strip() for t in re.split(r"[,;]", text) if t.strip()] if text else []


def _routed_values(reader: _Reader, mapping: Mapping, draft: Draft) -> dict[str, list[str]]:
    """Each field's values after the mapping's ``values`` moved or dropped them."""
    found: dict[str, list[str]] = {}
    for target in ("services", "detection", "trigger", "causes", "tags"):
        for written in _values(reader.first(target)):
            routed = mapping.route(target, written)
            if routed is None:
                draft.dropped.append(f"{target} '{written}'")
            elif isinstance(routed, Routed):
                found.setdefault(routed.field, []).append(routed.value)
            else:
                found.setdefault(target, []).append(routed)
    return found


def _terms(values: Iterable[str], kind: Kind, taxonomy: Taxonomy, draft: Draft) -> list[str]:
    """Canonical term ids for ``values``; names the taxonomy lacks are collected."""
    spec = KINDS[kind]
    free = spec.control is Control.IF_LISTED and not taxonomy.has_group(kind)
    terms: list[str] = []
    for written in values:
        term = slugify(written, 80) if not _is_slug(written) else written
        if not term:
            continue
        if free:
            terms.append(term)
            continue
        resolved = taxonomy.resolve(kind, term)
        if resolved.outcome is Resolution.UNKNOWN or resolved.term is None:
            draft.unknown.append(Unknown(kind, term, written))
        elif not resolved.term.deprecated:
            terms.append(resolved.term.id)  # an alias folds into its term
        elif resolved.term.replaced_by:
            terms.append(resolved.term.replaced_by)
        else:
            draft.notes.append(f"{spec.singular} '{term}' is deprecated: left out")
    return list(dict.fromkeys(terms))


def _is_slug(text: str) -> bool:
    return re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", text) is not None


def _impact(reader: _Reader, draft: Draft) -> dict[str, Any]:
    impact: dict[str, Any] = {}
    for key in ("customer_facing", "data_loss"):
        flag = _flag(reader.first(f"impact.{key}"), f"impact.{key}", draft)
        if flag is not None:
            impact[key] = flag
    affected = reader.first("impact.customers_affected")
    if affected not in (None, ""):
        text = _text(affected).replace(",", "").replace(" ", "")
        if re.fullmatch(r"[0-9]+", text):
            impact["customers_affected"] = int(text)
        elif re.fullmatch(r"(100(\.0+)?|[0-9]{1,2}(\.[0-9]+)?)%", text):
            impact["customers_affected"] = text
        else:
            draft.notes.append(f"impact.customers_affected: '{text}' is not a count or a %")
    regions = _names(reader.first("impact.regions"))
    if regions:
        impact["regions"] = regions
    for key, top in (("failed_requests_percent", 100.0), ("slo_budget_spent_percent", 100000.0)):
        number = _number(reader.first(f"impact.{key}"), f"impact.{key}", draft)
        if number is not None and 0 <= number <= top:
            impact[key] = int(number) if number.is_integer() else number
    tickets = _count(reader.first("impact.support_tickets"), "impact.support_tickets", draft)
    if tickets is not None:
        impact["support_tickets"] = tickets
    summary = _text(reader.first("impact.summary"))
    if summary:
        impact["summary"] = _cut(summary, 2000)
    return impact


def _flag(value: Any, name: str, draft: Draft) -> bool | None:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if text:
        draft.notes.append(f"{name}: '{text}' is not yes or no: left out")
    return None


def _number(value: Any, name: str, draft: Draft) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(_text(value).rstrip("%"))
    except ValueError:
        draft.notes.append(f"{name}: '{_text(value)}' is not a number: left out")
        return None


def _count(value: Any, name: str, draft: Draft) -> int | None:
    number = _number(value, name, draft)
    if number is None:
        return None
    if not number.is_integer() or number < 0:
        draft.notes.append(f"{name}: '{_text(value)}' is not a whole number: left out")
        return None
    return int(number)


class _Dumper(yaml.SafeDumper):
    """Dates and times unquoted, as people write them (the loader reads them as text),
    lists of plain values on one line."""


_Dumper.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if not tag.endswith(":timestamp")]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = all(not isinstance(item, list | dict) for item in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _represent_list)


def file_text(draft: Draft) -> str:
    """The postmortem file: the front matter as YAML, then the body."""
    front = yaml.dump(
        draft.data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1_000_000
    )
    return f"---\n{front}---\n{draft.body}"
