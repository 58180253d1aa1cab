"""The generated parts of the writing guide: the field reference from the JSON Schema
and the controlled vocabulary from schema/taxonomy.yml."""

from __future__ import annotations

from typing import Any

from postmortem_kb.model.kinds import (
    KINDS,
    TAXONOMY_KINDS,
    TERM_PAGE_KINDS,
    Control,
    Kind,
    Shape,
)
from postmortem_kb.model.timestamps import TIMESTAMP_PATTERN
from postmortem_kb.pages import urls
from postmortem_kb.pages.context import SiteContext
from postmortem_kb.pages.html import a, esc, section, table, tr


def _resolve(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    ref = spec.get("$ref")
    # "#/$defs/x", or the same made absolute with the schema's $id: compiling the schema
    # for validation (fastjsonschema) rewrites the refs of the dict it is given.
    if isinstance(ref, str) and "#/$defs/" in ref:
        target = schema.get("$defs", {}).get(ref.rpartition("/")[2], {})
        merged = dict(target)
        merged.update({k: v for k, v in spec.items() if k != "$ref"})
        return merged
    return spec


# JSON Schema's types as the guide names them.
_TYPE_NAMES = {
    "string": "text",
    "integer": "whole number",
    "number": "number",
    "boolean": "true or false",
    "object": "mapping",
}

# Fields that hold terms of a kind: their type says which kind (model.kinds).
_KIND_FIELDS = {kind.field: kind for kind in Kind}


def _kind_type(kind: Kind) -> str:
    """``causes`` -> "list of cause terms (an id, or term and detail)"."""
    spec = KINDS[kind]
    noun = spec.singular if spec.singular.endswith(" term") else f"{spec.singular} term"
    if spec.shape is Shape.TERM:
        return f"one {noun} (an id from the taxonomy)"
    if spec.shape is Shape.TERMS:
        return f"list of {noun}s (an id, or term and detail)"
    if spec.control is Control.NEVER:
        return f"list of {spec.singular}s (free-form, lowercase-with-hyphens)"
    return f"list of {noun}s (ids; free-form when the taxonomy lists none)"


def _type_text(schema: dict[str, Any], spec: dict[str, Any], name: str = "") -> str:
    """What a field holds, in words: "date and time with offset", "list of cause terms"."""
    kind = _KIND_FIELDS.get(name)
    if kind is not None:
        return _kind_type(kind)
    spec = _resolve(schema, spec)
    if "enum" in spec:
        return "one of " + ", ".join(str(v) for v in spec["enum"])
    json_type = spec.get("type")
    if json_type == "array":
        items = _resolve(schema, spec.get("items", {}))
        if "oneOf" in items:
            return "list of terms (an id, or term and detail)"
        if items.get("type") == "object":
            return "list of mappings (below)"
        return "list of " + _plural(_type_text(schema, items))
    pattern = str(spec.get("pattern", ""))
    if json_type == "string" and pattern == TIMESTAMP_PATTERN:
        return "date and time with offset, or only a date or a month"
    if json_type == "string" and spec.get("format") == "date-time":
        return "date and time with offset"
    if json_type == "object" and "properties" in spec:
        return "mapping (below)" if "term" not in spec["properties"] else "term and detail"
    if json_type == "string" and spec.get("format") == "date":
        return "date (YYYY-MM-DD)"
    if json_type == "string" and pattern.startswith("^[0-9]{4}-[0-9]{2}-[0-9]{2}-"):
        return "postmortem id"
    if json_type == "string" and pattern.startswith("^[a-z0-9]+(-"):
        return "id (lowercase-with-hyphens)"
    if json_type == "string" and pattern.startswith("^https?://"):
        return "URL (http or https)"
    if "oneOf" in spec:
        return " or ".join(_type_text(schema, option) for option in spec["oneOf"])
    if isinstance(json_type, str):
        return _TYPE_NAMES.get(json_type, json_type)
    return "any value"


def _plural(text: str) -> str:
    """ "id (lowercase-with-hyphens)" -> "ids (lowercase-with-hyphens)"."""
    head, _, rest = text.partition(" (")
    if head == "text":
        return text
    words = head + ("" if head.endswith("s") else "s")
    return f"{words} ({rest}" if rest else words


def _field_rows(schema: dict[str, Any], spec: dict[str, Any], prefix: str = "") -> list[str]:
    required = set(spec.get("required", []))
    rows = []
    for name, raw in spec.get("properties", {}).items():
        field = _resolve(schema, raw)
        rows.append(
            tr(
                [
                    f"<code>{esc(prefix + name)}</code>",
                    esc(field.get("title", "")),
                    "yes" if name in required else "",
                    # Only top-level fields hold terms of a kind (model.kinds).
                    esc(_type_text(schema, raw, "" if prefix else name)),
                    esc(field.get("description", "")),
                ]
            )
        )
    return rows


def _fields_table(rows: list[str]) -> str:
    # The wrapper's class lets the stylesheet keep field names whole (no break mid-word).
    headers = ["Field", "Title", "Required", "Type", "Description"]
    return f'<div class="pmkb-fields">{table(headers, rows)}</div>'


def render_fields(ctx: SiteContext) -> str:
    """The field reference (guide/fields.md), generated from the JSON Schema: the front
    matter, action items, each nested object and terms with detail, a table each."""
    here = urls.GUIDE_FIELDS
    schema = ctx.schema
    parts = [
        "<h1>Field reference</h1>",
        f"<p>{esc(schema.get('description', ''))}</p>",
        "<p>Generated from the JSON Schema, which editors can use for completion and "
        f"checking: {a(ctx.href(here, urls.SCHEMA_JSON), 'postmortem.schema.json')}.</p>",
        section("Front matter", "front-matter", _fields_table(_field_rows(schema, schema))),
    ]
    action_item = schema.get("$defs", {}).get("actionItem")
    if isinstance(action_item, dict):
        parts.append(
            section(
                "Action items",
                "action-items",
                _fields_table(_field_rows(schema, action_item, "action_items[].")),
            )
        )
    for name, raw in schema.get("properties", {}).items():
        nested = _resolve(schema, raw) if isinstance(raw, dict) else {}
        if nested.get("type") == "object" and "properties" in nested:
            parts.append(
                section(
                    str(nested.get("title") or raw.get("title") or name),
                    f"field-{name.replace('_', '-')}",
                    _fields_table(_field_rows(schema, nested, f"{name}.")),
                )
            )
    term_ref = schema.get("$defs", {}).get("termRef")
    if isinstance(term_ref, dict):
        objects = [
            o for o in term_ref.get("oneOf", []) if isinstance(o, dict) and "properties" in o
        ]
        rows = [row for o in objects for row in _field_rows(schema, o, "causes[].")]
        parts.append(
            section(
                "Terms with detail",
                "term-detail",
                f"<p>{esc(term_ref.get('description', ''))} The same shape is used by "
                "<code>lucky_breaks</code> and <code>went_well</code>, and by <code>trigger</code> "
                "for its one term.</p>" + _fields_table(rows),
            )
        )
    return "\n".join(parts)


def render_taxonomy(ctx: SiteContext) -> str:
    """The taxonomy reference (guide/taxonomy.md): every term of each kind with its title,
    description (deprecation first) and aliases; a used term of a kind with pages links to it."""
    here = urls.GUIDE_TAXONOMY
    parts = [
        "<h1>Taxonomy</h1>",
        "<p>The controlled vocabulary from <code>schema/taxonomy.yml</code>. Use the term id, "
        "not an alias: a cause only recurs if it is named the same way each time. "
        f"The raw file: {a(ctx.href(here, urls.TAXONOMY_YAML), 'taxonomy.yml')}.</p>",
    ]
    for kind in TAXONOMY_KINDS:
        terms = ctx.taxonomy.terms.get(kind)
        if not terms:
            continue
        rows = []
        for term in terms.values():
            used = kind in TERM_PAGE_KINDS and ctx.stats_for(kind, term.id) is not None
            name = ctx.term_link(here, kind, term.id) if used else f"<code>{esc(term.id)}</code>"
            note = esc(term.description)
            if term.deprecated:
                replacement = f" Use {esc(term.replaced_by)} instead." if term.replaced_by else ""
                note = f"<strong>Deprecated.</strong>{replacement} {note}"
            rows.append(
                tr(
                    [name, esc(term.title), note, esc(", ".join(term.aliases))],
                    f'id="{esc(kind.field)}-{esc(term.id)}"',
                )
            )
        parts.append(
            section(
                KINDS[kind].guide_heading,
                KINDS[kind].anchor,
                table(["Term", "Title", "Description", "Aliases"], rows),
            )
        )
    return "\n".join(parts)
